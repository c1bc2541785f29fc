"""Questions in the middle of an intake. At a step whose answer is never a question (the consent, the
category, the confirmation, the name and the phone) a question is answered, not taken for an unclear
answer ("你们中心附近有没有停车的地方？" is no name), nor for a goodbye ("我能先自己修了回头再找他要不？":
回头再 is no 回头再说)."""

from __future__ import annotations

import re
from typing import Any

from bot.intake.schema import CONFIRMED_SLOT, CONSENT_SLOT, QUESTIONS_SLOT, fact_specs
from bot.intake.yes import says_yes, tells_to_record
from bot.questions import has_question
from bot.textnorm import content_chars, normalize_text

# Steps whose answer is never a question: one asked there is answered (action) and the step asked
# again, at most this many times per step; after that it counts as an unclear answer.
QUESTION_STEPS = ("consent", "category", "sub_type", "confirmed", "applicant_name", "phone")
MAX_QUESTIONS_PER_STEP = 2
MIN_QUESTION_CHARS = 4
KEPT_QUESTIONS = 5
# "…咋整", "…怎么弄啊", "…啷个办", "…点算": asking what to do, in the words of the north, the south-west
# and Cantonese, at the end of a clause ("他家要是不同意离咋整，都分开两年了").
_WHAT_TO_DO = re.compile(
    r"(?:(?:咋|怎么|怎样|如何|啷个|咋个|怎么个)(?:整|弄|搞|办|处理|解决|算|治|是好|才好)|点算(?:好|才好)?|点搞(?:好)?|点办|哪个办)"
    r"[啊呀哦嘞咧哩呢嘛撒噻捏]*$"
)
# "这钱找新老板还是老老板要", "是他的责任还是我的": asking which of two ("还是没给", "还是这样" tell).
_EITHER_OR = re.compile(
    r"(?:是|找|问|去|告|向|跟|让|归|算|由|给|要|交)[^，,。]{1,10}还是"
    r"(?!不|没|那样|这样|一样|老样子|照样|照旧|一直|要不|拿不|找不)[^，,。]{1,10}$"
)
_CLAUSE_SPLIT = re.compile(r"[，,。.！!；;\s~]+")
# Taking leave in a question ("我先走了，明天再来行吗？", "那回头再说好吧？"): a goodbye, the intake paused.
# A question without these words is none, whatever the classifier heard ("…回头再找他要不？").
# (88 and 886, bye-bye, only as a number of their own, never inside a phone number or a sum)
_LEAVE = re.compile(
    r"再见|拜拜|白白|bye|不聊了|先这样|就这样吧|走了|晚安|下次再|下回再|改天|回头再说|回头再聊|回头再来"
    r"|回头再?联系|先不说了|先不弄了|先不登记|不登记了|想想再|考虑考虑|考虑一下|(?<!\d)886?(?!\d)"
)
# Interruptions a yes at the consent or the confirmation is heard as ("你记吧" as asking whether it is a
# bot, "就是这么个事，你们费心了" as a question about the center): the step's answer when nothing is asked.
_YES_HEARD_AS = ("consult", "bot_challenge")


def asked_at_step(slots: dict[str, Any], requested: str | None, text: str) -> bool:
    """A question at the consent, category or confirmation step ("恁遐有講閩南話的人無？", "去恁那儿
    远不远"), not yet asked there twice."""
    if requested not in QUESTION_STEPS or not asks(text):
        return False
    if len(content_chars(text)) < MIN_QUESTION_CHARS:  # "嗯？", "啥？" is no question to answer
        return False
    return list(slots.get("reasked") or []).count(step_marker(str(requested))) < MAX_QUESTIONS_PER_STEP


def asks(text: str) -> bool:
    """A question (``bot.questions.has_question``) or a clause asking in other words: what to do in
    dialect ("他家要是不同意离咋整", "房子的事怎么弄嘛"), which of two ("找新老板还是老老板要")."""
    return has_question(text) or asks_in_other_words(text)


def asks_in_other_words(text: str) -> bool:
    """A clause asking what to do in dialect words ("…咋整", "…怎么弄嘛", "…啷个办") or which of two
    ("老板换了 这钱找新老板还是老老板要"), without a question mark."""
    clauses = _CLAUSE_SPLIT.split(normalize_text(text or ""))
    return any(_WHAT_TO_DO.search(c) or _EITHER_OR.search(c) for c in clauses if c)


# Facts answered in the citizen's own words: a statement at their step is the answer, unless it speaks
# of the center itself ("你们中心在哪" without a question mark is still a question).
FREE_TEXT_KINDS = ("location", "text", "relation")
_ABOUT_THE_CENTER = re.compile(
    r"你们|你哋|恁们|您们|贵中心|综治|中心(?:在|的地址|几点|电话)|窗口|办公|上班|地址"
)


def states_the_fact(
    intent: str | None, requested: str | None, text: str, entities: list[dict[str, Any]]
) -> bool:
    """A message the classifier took for an interruption that is the step's own: a question about the
    center that asks nothing and states the fact asked ("台山市都斛鎮，老屋喺嗰度" to "事情发生在哪里？"),
    a yes heard as a question or as asking for the bot ("就是这么个事，你们费心了" to the summary, "你记吧"
    to the consent), or a question heard as a goodbye (``asks_not_leaves``): answered at the step."""
    if asks_not_leaves(intent, requested, text):
        return True
    if intent in _YES_HEARD_AS and not asks(text) and _says_yes_at(requested, text):
        return True
    if intent in _YES_HEARD_AS and requested == CONSENT_SLOT and ends_with_yes(text):
        return True  # "信息会不会给到公司？……好吧，那登记吧": the question is answered and the yes taken
    spec = fact_specs().get(requested or "")
    if intent != "consult" or spec is None or asks(text):
        return False
    if spec.kind in FREE_TEXT_KINDS and not _ABOUT_THE_CENTER.search(normalize_text(text)):
        return True  # "开发区物流园那个分拣中心": a place needs no recognised entity to be the answer
    return bool(spec.entity) and any(e.get("entity") == spec.entity for e in entities)


def asks_not_leaves(intent: str | None, requested: str | None, text: str) -> bool:
    """A question heard as a goodbye at a step where questions are answered ("我能先自己修了回头再找他
    要不？" at the consent): asked, noted for staff and the step asked again, never the intake paused. A
    question that takes leave ("我先走了，明天再来行吗？") is a goodbye."""
    if intent != "goodbye" or requested not in QUESTION_STEPS or not asks(text):
        return False
    said = normalize_text(text).lower()
    return _LEAVE.search(said) is None


def _says_yes_at(requested: str | None, text: str) -> bool:
    if requested == CONSENT_SLOT:
        return says_yes(text) or tells_to_record(text)
    return requested == CONFIRMED_SLOT and says_yes(text, at_confirmation=True)


def without_what_to_do(clause: str) -> str:
    """The clause without its ending that asks what to do ("有人唔俾人工点算啊" → "有人唔俾人工")."""
    return _WHAT_TO_DO.sub("", normalize_text(clause or ""))


def step_marker(requested: str) -> str:
    """The ``reasked`` entry that counts questions at a step."""
    return f"{requested}?"


def kept(slots: dict[str, Any], text: str) -> dict[str, Any]:
    """A question the profile cannot answer is kept for the staff summary (the reply says it is)."""
    said = (text or "").strip()
    questions = [q for q in slots.get(QUESTIONS_SLOT) or [] if q != said]
    return {QUESTIONS_SLOT: [*questions, said][-KEPT_QUESTIONS:]} if said else {}


_SENTENCE_END = re.compile(r"[？?。！!…\n]+")


def ends_with_yes(text: str) -> bool:
    """A question, then a yes or a go-ahead to record after it ("…会不会给到公司？……好吧，那登记吧")."""
    sentences = [s for s in _SENTENCE_END.split(text or "") if s.strip()]
    if len(sentences) < 2 or not asks(text):
        return False
    last = sentences[-1].strip("，, ")
    return says_yes(last) or tells_to_record(last)
