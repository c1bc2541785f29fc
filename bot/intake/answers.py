"""Read a citizen's answer to one question into a fact value, or say kindly what was wrong.

Entities from the NLU pipeline (bot/facts) carry normalised values; this module decides
which of them answers the question and what a skip or a bad answer means.
"""

from __future__ import annotations

import re
from typing import Any

from bot.facts.extract import MAIN_GROUP
from bot.facts.head_ledger import answer_count
from bot.facts.self_corrections import figure_meant, leading_figure
from bot.facts.textnorm import normalise
from bot.intake.amount_answers import is_rate, meant_amount
from bot.intake.answer_basics import Answer, entity_values
from bot.intake.name_answers import read_name
from bot.intake.schema import FactSpec, relation_words, skip_words, unknown_marker
from bot.textnorm import normalize_text

AFFIRM_WORDS = ("是", "有", "签了", "签过", "对", "嗯", "好的", "同意", "可以", "行", "中", "要得", "ok", "yes")  # fmt: skip
DENY_WORDS = ("没", "无", "否", "不是", "不同意", "不要", "算了", "no")
NONE_WORDS = ("没有", "都没有", "没得", "木有", "啥也没有", "什么都没有", "无")
_DIGITS = re.compile(r"\d+")
_COUNT_HEDGE = re.compile(r"^(?:大概|大约|差不多|一共|总共|得有|有)|(?:吧|左右|上下|啊|呢)$")
_CLAUSE = re.compile(r"[，,。.；;、！!？?\s]+")
# "就我", "只有俺", "我一人": the citizen alone
_ALONE = re.compile(
    r"(?:就|只有|只|就是|光)?(?:我|俺|咱|额|偶|本人)(?:自己|自个儿?|自各儿|一人|一个)?(?:人)?(?:啊|呀|吧|了|呗|嘛)?[。.!！~～]*"
)
# "我自己一个", "就我自个儿", "就俺自己": the citizen on their own, said anywhere in the answer
_BY_ONESELF = re.compile(r"(?:就|只有)?(?:我|俺|咱|额|偶)?(?:一个人|自己|自个儿?|自各儿|我一个|本人)")


def is_skip(text: str) -> bool:
    cleaned = re.sub(r"[\s，。,.!！?？~～了啊呀吧呢哦]", "", text.lower())
    return bool(cleaned) and any(word in cleaned for word in skip_words()) and len(cleaned) <= 12


def format_time(value: Any, text: str) -> str:
    """A period for people: the citizen's words plus the dates they mean."""
    if isinstance(value, dict):
        if value.get("start") and value.get("end"):
            span = value["start"] if value["start"] == value["end"] else f"{value['start']}至{value['end']}"
            return f"{text}（{span}）" if text and text not in span else span
        if value.get("duration_days"):
            return f"{text}（约{value['duration_days']}天）" if text else f"约{value['duration_days']}天"
    return text or str(value)


def format_location(value: Any, text: str) -> str:
    """The place with its province and city added when the dictionary knows them, but never at the
    cost of the citizen's words: "桃园村" is not turned into 台湾省桃园市."""
    if isinstance(value, dict):
        said = str(value.get("text") or text)
        parts = [value.get(k) for k in ("province", "city", "county", "town", "detail")]
        joined = "".join(p for p in parts if p)
        return joined if joined and said in joined else said
    return str(value or text)


def read_answer(spec: FactSpec, text: str, intent: str | None, entities: list[dict[str, Any]]) -> Answer:
    """Interpret ``text`` as the answer to the question about ``spec``."""
    text = (text or "").strip()
    found = entity_values(entities, spec.entity)
    reader = _READERS.get(spec.kind, _read_text)
    if is_skip(text) and not found:
        return Answer(unknown_marker(), hint="skip")
    return reader(spec, text, intent, found)


BARE_ROLE_CHARS = 3


def _read_text(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    span = str(found[0].get("value")) if found else ""
    # the recognised span ("包工头老王") is better than the sentence around it, unless it is a bare role
    # in a longer answer ("聚福楼 原来老板姓宋 七月转给一个姓郝的了": 老板 alone loses both names)
    bare_role = len(span) <= BARE_ROLE_CHARS and len(text.strip()) > len(span) + BARE_ROLE_CHARS
    if found and not bare_role:
        return Answer(span)
    if not text or text.startswith("/") or len(text) > 300:
        return Answer(None, hint="text")
    return Answer(text)


def _read_phone(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    valid = [e for e in found if e.get("valid", True) and not (e.get("extra") or {}).get("superseded")]
    if valid:  # "137…63，不对，打错了，是137…36": the last number said is the one meant
        return Answer(str(valid[-1]["value"]))
    return Answer(None, hint="phone")


def _read_amount(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    sums = [e for e in found if not is_rate(e)]
    figure = leading_figure(text)  # "5600，两个月的", "3000左右"
    if found and not sums and figure is not None and not any(e.get("start") == 0 for e in found):
        return Answer(figure)  # "6800，两个月，每月3400": the sum, not the rate
    # a rate given as the answer counts; so does an advance when nothing else is said
    chosen = meant_amount(sums, text) or meant_amount(found, text)
    chosen = chosen or next((e for e in found if isinstance(e.get("value"), int | float)), None)
    if chosen is not None:
        return Answer(chosen["value"])
    if found:  # 十来万: no number, keep the words
        return Answer(found[0].get("text") or text)
    figure = figure_meant(normalise(text)) or figure  # "是5820，哦不，看岔了，是5280"
    return Answer(figure) if figure is not None else Answer(None, hint="amount")


def _read_headcount(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    # the group the dispute is about, as the fact extractor marks it (剩下俺们八个, else the largest)
    main = [e for e in found if (e.get("extra") or {}).get(MAIN_GROUP) and isinstance(e.get("value"), int)]
    if main:
        return Answer(main[0]["value"])
    if found and isinstance(found[0].get("value"), int):
        return Answer(found[0]["value"])
    counted = answer_count(text)  # 我们车间九个 / 钢筋的十一个，杂工七个，恁自己加: counts of people here
    if counted is not None:
        return Answer(counted[0])
    if _BY_ONESELF.search(text) or _ALONE.fullmatch(text.strip()):
        return Answer(1)
    # "十五个，有名单" / "大概12个吧": the count opening the answer
    said = _COUNT_HEDGE.sub("", _CLAUSE.split(text.strip())[0]).rstrip("个人位名号")
    digits = _DIGITS.fullmatch(said)
    if digits and 0 < int(digits.group()) < 100000:
        return Answer(int(digits.group()))
    from cn2an import cn2an  # 十五 → 15

    try:
        number = int(cn2an(said, "smart"))
        if 0 < number < 100000:
            return Answer(number)
    except (ValueError, KeyError, TypeError):
        pass
    return Answer(None, hint="headcount")


def _read_time(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    if found:
        return Answer(format_time(found[0].get("value"), found[0].get("text") or text))
    return _read_text(spec, text, intent, found)


# An answer this short is the place itself: kept as said when the dictionary's reading drops part of it.
SHORT_PLACE_ANSWER = 20


def _read_location(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    if found:
        place = format_location(found[0].get("value"), found[0].get("text") or text)
        said = text.strip("。.！! ")
        if len(said) <= SHORT_PLACE_ANSWER and said not in place and place not in said:
            return Answer(said)  # "桃园村" stays 桃园村, not 台湾省桃园市
        return Answer(place)
    return _read_text(spec, text, intent, found)


def _read_evidence(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    if found:
        names: list[str] = []
        for entity in found:
            values = entity["value"] if isinstance(entity.get("value"), list) else [entity.get("value")]
            names.extend(str(v) for v in values if v and str(v) not in names)
        return Answer("、".join(names))
    if intent == "deny" or text.strip("。.！!") in NONE_WORDS:
        return Answer("无")
    return _read_text(spec, text, intent, found)


def _read_yesno(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    lowered = text.lower()
    if intent == "deny" or any(lowered.startswith(w) for w in DENY_WORDS) or "没" in lowered:
        return Answer("否")
    if intent == "affirm" or any(lowered.startswith(w) for w in AFFIRM_WORDS):
        return Answer("是")
    return Answer(None, hint="yesno")


def _read_relation(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    """A relation answer names one (夫妻, 我二儿子, 邻居); a remark ("我不是要告他") is asked again."""
    if is_skip(text):
        return Answer(None, hint="skip")
    said = normalize_text(text).strip()
    if not said or said.startswith("/") or not any(word in said for word in relation_words()):
        return Answer(None, hint="relation")
    return Answer(text.strip())


_READERS = {
    "name": read_name,
    "phone": _read_phone,
    "amount": _read_amount,
    "headcount": _read_headcount,
    "time": _read_time,
    "location": _read_location,
    "evidence": _read_evidence,
    "yesno": _read_yesno,
    "text": _read_text,
    "relation": _read_relation,
}


def facts_from_entities(
    entities: list[dict[str, Any]], specs: dict[str, FactSpec], wanted: list[str], text: str = ""
) -> dict[str, Any]:
    """Facts stated in a message, for the facts this intake still needs (never personal ones
    unless they are wanted, i.e. the citizen has consented)."""
    filled: dict[str, Any] = {}
    used: set[str] = set()
    for name in wanted:
        spec = specs[name]
        found = entity_values(entities, spec.entity)
        if spec.kind == "amount":  # a rate stated in passing is not the sum: the question is asked
            found = [e for e in found if not is_rate(e)]
            meant = meant_amount(found, text)
            found = [meant] if meant else []  # only money already paid: the question is asked
        if not found or (spec.entity and spec.entity in used):
            continue  # one entity fills one fact: the first wanted (asked facts come first)
        reader = _READERS.get(spec.kind, _read_text)
        # a fact said in passing is its recognised span: the whole message is an answer only to its question
        answer = (
            Answer(str(found[0].get("value"))) if reader is _read_text else reader(spec, text, None, found)
        )
        if answer.ok:
            filled[name] = answer.value
            if spec.entity:
                used.add(spec.entity)
    return filled


APPROXIMATE_FACTS = ("amount_yuan", "headcount")


def is_approximate(entities: list[dict[str, Any]], spec: FactSpec, value: Any = None) -> bool:
    """Whether the message states this fact as a rough figure (三万出头, 七千多, 十几个人), so the
    ticket keeps it as approximate: the figure taken (``value``) when the message says it ("八千多…
    赔我五千就行" is an exact 5000), else any figure it was reckoned from."""
    found = entity_values(entities, spec.entity)
    taken = [e for e in found if value is not None and e.get("value") == value]
    return any(bool(e.get("approximate")) for e in (taken or found))
