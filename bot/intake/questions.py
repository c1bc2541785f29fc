"""Questions in the middle of an intake. At a step whose answer is never a question (the consent, the
category, the confirmation, the name and the phone) a question is answered, not taken for an unclear
answer ("你们中心附近有没有停车的地方？" is no name)."""

from __future__ import annotations

from typing import Any

from bot.intake.schema import QUESTIONS_SLOT
from bot.questions import has_question
from bot.textnorm import content_chars

# Steps whose answer is never a question: one asked there is answered (action) and the step asked
# again, at most this many times per step; after that it counts as an unclear answer.
QUESTION_STEPS = ("consent", "category", "sub_type", "confirmed", "applicant_name", "phone")
MAX_QUESTIONS_PER_STEP = 2
MIN_QUESTION_CHARS = 4
KEPT_QUESTIONS = 5


def asked_at_step(slots: dict[str, Any], requested: str | None, text: str) -> bool:
    """A question at the consent, category or confirmation step ("恁遐有講閩南話的人無？", "去恁那儿
    远不远"), not yet asked there twice."""
    if requested not in QUESTION_STEPS or not has_question(text):
        return False
    if len(content_chars(text)) < MIN_QUESTION_CHARS:  # "嗯？", "啥？" is no question to answer
        return False
    return list(slots.get("reasked") or []).count(step_marker(str(requested))) < MAX_QUESTIONS_PER_STEP


def step_marker(requested: str) -> str:
    """The ``reasked`` entry that counts questions at a step."""
    return f"{requested}?"


def kept(slots: dict[str, Any], text: str) -> dict[str, Any]:
    """A question the profile cannot answer is kept for the staff summary (the reply says it is)."""
    said = (text or "").strip()
    questions = [q for q in slots.get(QUESTIONS_SLOT) or [] if q != said]
    return {QUESTIONS_SLOT: [*questions, said][-KEPT_QUESTIONS:]} if said else {}
