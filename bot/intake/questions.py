"""Whether a message asks something. At a step whose answer is never a question (the consent, the
category, the confirmation) a question is answered, not taken for an unclear answer."""

from __future__ import annotations

import re
from typing import Any

from bot.textnorm import normalize_text

# "…有用吗？", "…告他不", "…水电伐" (吴语), "…的人無" (闽南), "Can I …?"
_QUESTION_END = re.compile(r"(？|\?|吗|么|嘛|呢)[\s。.!！~]*$")
_LONG_QUESTION_END = re.compile(r"^.{3,}?(伐|無|无|不|否)[\s。.!！~]*$")
# A-not-A anywhere: 能不能, 是不是, 有没有, 远不远, 可不可以
_A_NOT_A = re.compile(r"(能|是|有|要|可|会|行|好|远|对|去|用|算|管|收|办|得)[不没]\1")
_ASKING = re.compile(r"^(请问|想问|问一下|问下|我想问|咨询一下|咨询下)")


def is_question(text: str) -> bool:
    """ "这个收费不？", "要钱吗", "去恁那儿远不远", "请问…": a question, whatever yes/no word it ends on."""
    said = normalize_text(text or "").strip()
    if not said:
        return False
    return bool(
        _QUESTION_END.search(said)
        or _A_NOT_A.search(said)
        or _ASKING.search(said)
        or _LONG_QUESTION_END.search(said)
    )


# Steps whose answer is never a question: one asked there is answered (action) and the step asked
# again, at most this many times per step; after that it counts as an unclear answer.
QUESTION_STEPS = ("consent", "category", "sub_type", "confirmed")
MAX_QUESTIONS_PER_STEP = 2
QUESTIONS_SLOT = "citizen_questions"
MIN_QUESTION_CHARS = 4
KEPT_QUESTIONS = 5


def asked_at_step(slots: dict[str, Any], requested: str | None, text: str) -> bool:
    """A question at the consent, category or confirmation step ("恁遐有講閩南話的人無？", "去恁那儿
    远不远"), not yet asked there twice."""
    if requested not in QUESTION_STEPS or not is_question(text):
        return False
    if len(re.sub(r"[\W_]", "", text)) < MIN_QUESTION_CHARS:  # "嗯？", "啥？" is no question to answer
        return False
    return list(slots.get("reasked") or []).count(f"{requested}?") < MAX_QUESTIONS_PER_STEP


def step_marker(requested: str) -> str:
    """The ``reasked`` entry that counts questions at a step."""
    return f"{requested}?"


def kept(slots: dict[str, Any], text: str) -> dict[str, Any]:
    """A question the profile cannot answer is kept for the staff summary (the reply says it is)."""
    said = (text or "").strip()
    questions = [q for q in slots.get(QUESTIONS_SLOT) or [] if q != said]
    return {QUESTIONS_SLOT: [*questions, said][-KEPT_QUESTIONS:]} if said else {}
