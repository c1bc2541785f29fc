"""Dates, spans and durations via jionlp, normalised against the message time.

jionlp also reports rates (一天二百), times of day in 一分钱 and ages (今年52岁); those are filtered here
because a ticket's `period` needs when the dispute happened and how long it has lasted.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from typing import Any

from .lexicon import lexicon, surname_sets
from .model import Fact
from .spans import extract_spans

log = logging.getLogger(__name__)
_DAYS = {"year": 365, "month": 30, "week": 7, "day": 1}
_CLAUSE_BREAK = re.compile(r"[，,。！？!?;；\n]")
_ADDRESS_AFTER = re.compile(r"(?:楼|栋|幢|院|室|门|房|单元|线|车间|地块)")
_CLAUSE = re.compile(r"[^，,。！？!?;；\n]+")
_TIME_HINT = re.compile(
    r"[\d一二两三四五六七八九十半几]\s*个?(?:年|月|日|号|天|周|星期|礼拜|小时|季度)|[今明昨去前后上下本]年|"
    r"[上下本这]个?(?:月|周|星期|礼拜)|[今明昨前后大]天|春节|过年|年[前后底初末]|月[底初末]|[上中下]旬|腊月|正月|"
    r"元旦|国庆|中秋|端午|清明|五一|周末|星期|礼拜|[早晚]上|中午|[上下]午|凌晨|半夜|最近|\d{1,2}[:：]\d{2}"
)
# 东门老街18号 / 人民路二十五号: a bare day number right after a street word is a house number.
_STREET_BEFORE = re.compile(r"(?:街|路|巷|弄|胡同|大道|门牌号?)(?:是)?\s?$")
_BARE_DAY = re.compile(r"[\d零一二两三四五六七八九十]{1,3}\s?[号日]")
_NUMERAL_CHARS = set("0123456789零一二两三四五六七八九十百千")
# 国庆节 / 国庆期间 / 国庆前 / 国庆那几天: the holiday, not the 国庆 of 许国庆.
_HOLIDAY_USE_AFTER = re.compile(
    r"节|期间|前(?!天)|后(?![来面边头])|那|放假|假|当天|左右|的时候|时|以[前后]|之[前后]|回|黄金周|长假|连休"
)
# Surname characters that are more often a preposition before a holiday (和五一, 于国庆节).
_NOT_SURNAME_HERE = set("和于向与及同")
# Words jionlp reads as "now" that carry no date for a ticket (到现在都不给).
_VAGUE_NOW = {
    "现在",
    "目前",
    "当前",
    "如今",
    "刚才",
    "马上",
    "立刻",
    "以后",
    "之后",
    "以前",
    "之前",
    "现今",
    "眼下",
}


# What jionlp cannot parse at all (上个月, 本月, 前几天: "illegal time string"), read here.
_RELATIVE_MONTH = re.compile(r"(上上|上|这|本|下)个?月(?![\d一二三四五六七八九十初中底末份])")
_MONTH_OFFSET = {"上上": -2, "上": -1, "这": 0, "本": 0, "下": 1}
_RECENT_DAYS = re.compile(r"(?:前|这|最近)(?:几|两|一两)天")


def _relative_times(s: str, original: str, now: dt.datetime, taken: list[tuple[int, int]]) -> list[Fact]:
    """上个月 / 本月 / 下个月 as that calendar month, 前几天 / 这两天 as the last week (approximate)."""
    facts: list[Fact] = []
    spans: list[tuple[re.Match[str], dict[str, str]]] = []
    today = now.date()
    for m in _RELATIVE_MONTH.finditer(s):
        index = now.year * 12 + now.month - 1 + _MONTH_OFFSET[m.group(1)]
        first = dt.date(index // 12, index % 12 + 1, 1)
        following = dt.date((index + 1) // 12, (index + 1) % 12 + 1, 1)
        last = following - dt.timedelta(days=1)
        spans.append((m, {"start": first.isoformat(), "end": last.isoformat()}))
    for m in _RECENT_DAYS.finditer(s):
        spans.append((m, {"start": (today - dt.timedelta(days=7)).isoformat(), "end": today.isoformat()}))
    for m, value in spans:
        if any(m.start() < end and start < m.end() for start, end in taken):
            continue  # jionlp already read a longer expression here (上个月底)
        facts.append(
            Fact(
                "time",
                value,
                m.start(),
                m.end(),
                original[m.start() : m.end()],
                approximate=True,
                extra={"kind": "span"},
            )
        )
    return facts


class _DropJionlpTracebacks(logging.Filter):
    """jionlp logs a full traceback on the root logger for every string it cannot parse (八万 …)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "jionlp" not in (record.pathname or "")


@functools.lru_cache(maxsize=1)
def _jio() -> Any:
    import jionlp

    logging.getLogger().addFilter(_DropJionlpTracebacks())  # only affects records logged on root itself
    return jionlp


def _after_street(s: str, start: int) -> bool:
    """Whether the numeral ending in a day number at ``start`` (一百零八号 read as 八号) follows a street."""
    while start > 0 and s[start - 1] in _NUMERAL_CHARS:
        start -= 1
    return bool(_STREET_BEFORE.search(s, max(0, start - 4), start))


def _given_name(s: str, start: int, text: str) -> bool:
    """许国庆 / 李清明: a holiday word right after a surname, not used as the holiday, is a given name."""
    word = next((w for w in lexicon().get("holiday_given_names", []) if text.startswith(w)), None)
    if word is None:
        return False
    surnames, compound = surname_sets()
    sur = s[max(0, start - 2) : start] in compound or (
        start > 0 and s[start - 1] in surnames and s[start - 1] not in _NOT_SURNAME_HERE
    )
    return sur and not _HOLIDAY_USE_AFTER.match(s, start + len(word))  # 许国庆前天: still a name


def _date(value: str) -> str | None:
    if not isinstance(value, str) or "inf" in value:
        return None
    return value[:10]


def _duration_days(delta: dict[str, Any] | list[dict[str, Any]]) -> int | None:
    if isinstance(delta, list):  # 三到五个月: [lower, upper]; take the lower bound, as for blur ranges
        delta = next((d for d in delta if isinstance(d, dict)), {})
    days = 0.0
    for unit, value in delta.items():
        if unit not in _DAYS or value is None:
            continue
        if isinstance(value, list):  # blur ranges: take the lower bound
            value = value[0]
        value = float(value)
        if unit == "year" and value != int(value):
            # 半年 / 一年半: whole years are 365 days, the fraction counts in 30-day months (半年 = 180).
            days += int(value) * 365 + round((value - int(value)) * 12) * 30
            continue
        days += value * _DAYS[unit]
    return round(days) if days > 0 else None


def _is_rate(s: str, start: int, end: int, text: str, amount_starts: list[int]) -> bool:
    """一天二百 / 一个月4500 / 每月: a pay rate, not a duration."""
    if start > 0 and s[start - 1] in "每按":
        return True
    if not text.startswith(("一", "1", "每")):
        return False
    tail = s[end : end + 8]
    cut = _CLAUSE_BREAK.search(tail)
    limit = end + (cut.start() if cut else len(tail))
    return any(end <= a <= limit for a in amount_starts) or (
        start > 0
        and any(a < start and start - a <= 6 and not _CLAUSE_BREAK.search(s[a:start]) for a in amount_starts)
    )


def extract_times(
    s: str, original: str, now: dt.datetime, amount_starts: list[int] | None = None
) -> list[Fact]:
    """Time points/spans as {"start","end"} ISO dates, durations as {"duration_days"}."""
    amount_starts = amount_starts or []
    found: list[tuple[int, dict[str, Any]]] = []
    base = now.timestamp()
    # jionlp costs ~25 µs per character, so only clauses that could hold a time expression go through it.
    for m in _CLAUSE.finditer(s):
        if not _TIME_HINT.search(m.group()):
            continue
        try:
            items = _jio().ner.extract_time(m.group(), time_base=base, with_parsing=True)
        except Exception as exc:  # jionlp raises on some odd strings; time is optional, never crash
            log.debug("extract_time failed: %s", exc)
            continue
        found.extend((m.start(), item) for item in items or [])
    facts: list[Fact] = []
    for offset, item in found:
        try:
            start, end = (offset + i for i in item["offset"])
            if item["text"] in _VAGUE_NOW or _ADDRESS_AFTER.match(s, end):
                continue  # 到现在 / 12号楼: no date here
            if _BARE_DAY.fullmatch(item["text"]) and _after_street(s, start):
                continue  # 人民路25号: a house number
            if _given_name(s, start, item["text"]):
                continue  # 我大哥许国庆: a name
            detail = item.get("detail") or {}
            kind = detail.get("type") or item.get("type")
            text = item["text"]
            approximate = detail.get("definition") == "blur" or isinstance(detail.get("time"), list)
            if kind == "time_delta":
                days = _duration_days(detail.get("time") or {})
                if days is None or _is_rate(s, start, end, text, amount_starts):
                    continue
                facts.append(
                    Fact(
                        "time",
                        {"duration_days": days},
                        start,
                        end,
                        original[start:end],
                        approximate=approximate,
                        extra={"kind": "duration"},
                    )
                )
            elif kind in ("time_point", "time_span"):
                if re.match(
                    r"(?:今年|今年的)?\s*\d{1,3}\s*岁|(?:今年)?[一二三四五六七八九十]+岁", s[end : end + 6]
                ):
                    continue  # 今年52岁 is an age
                times = detail.get("time") or []
                if len(times) != 2:
                    continue
                value = {"start": _date(times[0]), "end": _date(times[1])}
                if value["start"] is None and value["end"] is None:
                    continue
                facts.append(
                    Fact(
                        "time",
                        value,
                        start,
                        end,
                        original[start:end],
                        approximate=approximate,
                        extra={"kind": "span" if kind == "time_span" else "point"},
                    )
                )
        except (KeyError, TypeError, ValueError) as exc:  # pragma: no cover - defensive against jionlp output
            log.debug("skipping odd time item %r: %s", item, exc)
    spans = extract_spans(s, original, now)  # 五月干到八月: jionlp reads these as two points or a duration
    facts = spans + [f for f in facts if not f.overlaps(spans)]
    return facts + _relative_times(s, original, now, [(f.start, f.end) for f in facts])
