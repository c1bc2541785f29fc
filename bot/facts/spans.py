"""Month-to-month working periods that jionlp misreads: 五月干到八月, 从三月份一直到现在, 去年八月干到十二月.

A span is a start month (optionally with year and day), a short filler (干, 一直, 开始干), 到/至 and an end
month or 现在/今天. A missing year is taken from the other end; when neither end has one the period is the
most recent one that has already begun (a dispute is about work done), so in May 五月干到八月 is last year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .model import Fact, span_overlaps
from .numbers import parse_number

_YEAR = r"(?:(?P<{0}y>去年|今年|前年|明年|第二年|次年|转年|隔年|\d{{4}}年|[零一二三四五六七八九]{{4}}年)的?)?"
_MONTH = r"(?P<{0}m>十[一二]|[一二三四五六七八九十]|1[0-2]|0?[1-9])月份?"
_DAY = r"(?:(?P<{0}d>[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]|[12]\d|3[01]|0?[1-9])[日号])?"
_NOW_WORDS = "现在|今天|目前|如今|眼下|当下"
SPAN_RE = re.compile(
    r"(?<![\d一二三四五六七八九十年])"
    + _YEAR.format("a")
    + _MONTH.format("a")
    + _DAY.format("a")
    + r"(?:[^，,。！？!?;；\n\d月]{0,6}?)(?:到|至)(?:"
    + _YEAR.format("b")
    + _MONTH.format("b")
    + _DAY.format("b")
    + rf"|(?P<now>{_NOW_WORDS}))"
)
# 2021到2023 / 2019至2022年 / 2021-2023: whole years (jionlp reads the first year only, or none).
YEAR_SPAN_RE = re.compile(
    r"(?<![\d.])(?P<a>19[5-9]\d|20\d\d)年?\s?(?:到|至|-|~)\s?(?P<b>19[5-9]\d|20\d\d)年?(?:底|末)?(?![\d.]|\s?(?:块|元))"
)
_RELATIVE_YEAR = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
_FOLLOWING_YEAR = ("第二年", "次年", "转年", "隔年")  # the year after the start's


def _year(text: str | None, now: dt.datetime) -> int | None:
    if not text or text in _FOLLOWING_YEAR:
        return None
    if text in _RELATIVE_YEAR:
        return now.year + _RELATIVE_YEAR[text]
    value = parse_number(text[:-1])
    return int(value) if value and 1900 <= value <= 2100 else None


def _int(text: str | None) -> int | None:
    if not text:
        return None
    value = parse_number(text)
    return int(value) if value else None


def _resolve(m: re.Match[str], now: dt.datetime) -> dict[str, str] | None:
    ma, mb = _int(m.group("am")), _int(m.group("bm"))
    da, db = _int(m.group("ad")), _int(m.group("bd"))
    ya, yb = _year(m.group("ay"), now), _year(m.group("by"), now)
    if ma is None or not 1 <= ma <= 12 or (mb is not None and not 1 <= mb <= 12):
        return None
    today = now.date()
    following = m.group("by") in _FOLLOWING_YEAR
    if following and ya is None:
        ya = now.year - 1 if dt.date(now.year, 12, 1) > today else now.year  # the span ends by now
    if following and ya is not None:
        yb = ya + 1
    if m.group("now"):
        if ya is None:
            ya = now.year if ma <= now.month else now.year - 1
        start = dt.date(ya, ma, 1)
        end = today
    else:
        assert mb is not None
        if ya is None and yb is None:
            ya = now.year if ma <= now.month else now.year - 1
            yb = ya if mb >= ma else ya + 1
            if dt.date(yb, mb, 1) > today:  # 五月干到八月 said in May: last year's season
                ya, yb = ya - 1, yb - 1
        elif ya is None and yb is not None:
            ya = yb if ma <= mb else yb - 1
        elif yb is None and ya is not None:
            yb = ya if mb >= ma else ya + 1
        if ya is None or yb is None:
            return None
        start = dt.date(ya, ma, 1)
        end = dt.date(yb, mb, calendar.monthrange(yb, mb)[1])
    try:
        if da:
            start = start.replace(day=da)
        if db and not m.group("now"):
            end = end.replace(day=db)
    except ValueError:
        return None
    if end < start:
        return None
    return {"start": start.isoformat(), "end": end.isoformat()}


def extract_spans(s: str, original: str, now: dt.datetime) -> list[Fact]:
    """Month-to-month periods as {"start", "end"} ISO dates; the fact text is the whole period."""
    facts: list[Fact] = []
    for m in SPAN_RE.finditer(s):
        value = _resolve(m, now)
        if value is None:
            continue
        start, end = m.span()
        facts.append(Fact("time", value, start, end, original[start:end], extra={"kind": "span"}))
    for m in YEAR_SPAN_RE.finditer(s):
        first, last = int(m.group("a")), int(m.group("b"))
        start, end = m.span()
        if last < first or span_overlaps(start, end, facts):
            continue
        years = {"start": f"{first}-01-01", "end": f"{last}-12-31"}
        facts.append(Fact("time", years, start, end, original[start:end], extra={"kind": "span"}))
    facts.sort(key=lambda f: f.start)
    return facts
