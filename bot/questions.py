"""Whether a message asks something ("这个收费不？", "去恁那儿远不远", "请问…"): read by the NLU (a
question is no yes or no), the intake (a question at the consent is answered) and the danger screen
(a short question is a consultation, not a story for the trained opinion)."""

from __future__ import annotations

import re

from bot.textnorm import normalize_text

# "…有用吗？", "…告他不", "…水电伐" (吴语), "…的人無" (闽南), "Can I …?"
_QUESTION_END = re.compile(r"(？|\?|吗|么|嘛|呢)[\s。.!！~]*$")
_LONG_QUESTION_END = re.compile(r"^.{3,}?(伐|無|无|不|否)[\s。.!！~]*$")
# A-not-A anywhere: 能不能, 是不是, 有没有, 远不远, 可不可以
_A_NOT_A = re.compile(
    r"(能|是|有|要|可|会|行|好|远|对|去|用|算|管|收|办|得|上|开|在|来|给|退|赔|认|找|接|还|交|走|帮|愿)[不没]\1"
)
_ASKING = re.compile(r"^(请问|想问|问一下|问下|我想问|咨询一下|咨询下)")
# a question mark or asking words anywhere ("…有啥区别？我就是好奇问问")
_ASKING_ANYWHERE = re.compile(r"[?？]|问问|想问|想知道|请问")


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


def asks_anywhere(text: str) -> bool:
    """A question at the end or anywhere inside ("故意伤害和寻衅滋事有啥区别？我就是好奇问问"): for a
    message already known to be about something else (the danger screen's "asked in theory")."""
    return is_question(text) or _ASKING_ANYWHERE.search(normalize_text(text or "")) is not None
