"""A rate times the number of periods it ran is the sum in dispute.

每月八百的房租，拖了三个月 → 2400; 一天三百，干了二十天没给 → 6000; 每个月扣社保四百八，扣了十四个月 → 6720.
The citizen rarely multiplies, so without this step the ticket would carry the rate (800) instead of the
money owed. It runs after the amount extractor (which marks rates with ``extra["per"]``) and is
deliberately narrow: one rate and one count of the same period in the sentence, the count owed or
taken (拖/欠/扣), the periods' pay the topic (两个月人工), any count when the rate is itself a shortfall
(每个月少了2500，已经三个月了), or worked with no pay said to have come (or only a part of it: 中间预支过
五百, which ``ledger`` takes off), and no separate sum that could be the total. A share each times the
people counted (俩表哥一人七千 → 14000) or a share each of the times counted (分三次还了，每次两千 → 6000)
is ``settle_per_person``. Rental terms count months too: 押二付一，房租2300 is a deposit of 2 × 2300.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any

from .ledger import instalment_words, paid_part
from .lexicon import alternation, lexicon
from .model import Fact
from .numbers import number_range, parse_number, to_number
from .quantities import NOT_INSIDE, NUM_BODY, SENTENCE_BREAK, rental_terms

_PAIR_GAP = 30
# The unit words of each rate period, and the largest count that is still a count of periods.
_UNITS = {"month": ("个多月", "个来月", "个月", "月"), "day": ("多天", "天", "日"), "year": ("年",)}
_MAX_COUNT = {"month": 240, "day": 3650, "year": 50}
_COUNT_BODY = (
    rf"{NOT_INSIDE}(?P<num>{NUM_BODY}|[一二两三四五六七八九][二两三四五六七八九])(?P<ap>[多来几余])?"
)
# 三月份 / 三月底 / 五年前 / 两年半: a date, a time ago or a part period, not a whole count.
_NOT_AFTER = r"(?![份底初中末号前后半以之里内])"
_HEDGE = r"(?:整整|足足|快|将近|差不多|大概|有|近|都|总共|一共|共)?"
_OBJECT = r"(?:了|过|着)?(?:我们|俺们|咱们|我|俺|咱|他|她|人家)?"
_NEGATION_BEFORE = re.compile(r"(?:没|未|不|没有)\S?$")
# 最后一个月 / 上个月 / 那个月 / 一个月没给: one period owed, so the periods worked are not what is owed
_ONE_PERIOD = re.compile(
    r"(?:(?:最后|最近|其中|头|第一|还有|有|剩下|那|这|上)(?:一个|一|个)|(?<![每第\d零一二两三四五六七八九十])一个)"
    r"(?P<unit>月|天|年)(?![份底初中末号前后以之里内])"
)
_UNIT_PERIOD = {"月": "month", "天": "day", "年": "year"}
# 五亩地流转，一亩一年六百，三年没给: a rent per mu as well as per year is times the mu of land too
_PER_MU_BEFORE = re.compile(r"(?:一|每)亩(?:地|田)?")
_AREA = re.compile(rf"{NOT_INSIDE}(?P<num>{NUM_BODY})(?P<ap>多)?亩(?P<half>半)?(?P<ap2>多)?")
_RATE_LEAD = 10
_PART_AFTER = 4  # 给了我一千: a sum this close after a word of pay is the part paid
_INSTALMENTS_AFTER = 12  # 给过两回，一回一千: the parts paid listed after the times


@functools.lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    words = lexicon()["rate_count"]

    def words_of(key: str) -> str:
        return alternation(words[key])

    units = "|".join(u for per in _UNITS.values() for u in per)
    count = rf"{_COUNT_BODY}(?P<unit>{units})(?P<ap2>多)?{_NOT_AFTER}"
    return {
        "owed": re.compile(rf"(?:{words_of('owed_verbs')}){_OBJECT}{_HEDGE}{count}"),
        "worked": re.compile(rf"(?:{words_of('work_verbs')}){_OBJECT}{_HEDGE}{count}"),
        # 三个月没交 / 二十天的工钱一分没给: the count, then the money not paid
        "bare": re.compile(rf"{count}(?=[^，,。！？!?;；\n]{{0,4}}(?:{words_of('unpaid')}))"),
        # every count of whole periods, to see whether the sentence tells of more than one
        "mention": re.compile(
            rf"{_COUNT_BODY}(?P<unit>个多月|个来月|个月|多天|天|年)(?P<ap2>多)?{_NOT_AFTER}"
        ),
        # 两个月人工 / 三个月的工资: the count, then the pay it names
        "topic": re.compile(rf"{count}(?=的?(?:{words_of('pay_nouns')}))"),
        "shortfall": re.compile(rf"(?:{words_of('shortfall')})(?:了|咗)?(?:我们|俺们|我|俺|咱)?\s?$"),
        "unpaid": re.compile(words_of("unpaid")),
        # 一个月没给 / 一个月的工钱没发 / 一个月房租没交
        "one_unpaid": re.compile(rf"的?(?:{words_of('pay_nouns')}|钱)?没"),
        "paid": re.compile(words_of("paid")),
    }


def _unit(m: re.Match[str]) -> str:
    """The count's unit word; none in rental terms (押二付一), whose count is of months."""
    return m.groupdict().get("unit") or ""


def _period(unit: str) -> str:
    if not unit:
        return "month"  # 押二付一: two months' rent
    return next(per for per, units in _UNITS.items() if unit in units)


def _count(m: re.Match[str]) -> tuple[int, bool] | None:
    """(whole number of periods, approximate) of a count match; None for one period or an odd figure
    (one month of rental terms counts: 押一付三 is a deposit of one month's rent)."""
    num, groups = m.group("num"), m.groupdict()
    approximate = bool(groups.get("ap") or groups.get("ap2")) or _unit(m).startswith(("个多", "个来", "多"))
    spread = number_range(num)
    if spread is not None:  # 七八个月: the lower bound
        value: float | None = spread[0]
        approximate = True
    else:
        value = parse_number(num)
    least = 2 if _unit(m) else 1
    if value is None or value != int(value) or not least <= value <= _MAX_COUNT[_period(_unit(m))]:
        return None
    if m.start("num") > 0 and m.string[m.start("num") - 1] in "每第":
        return None
    return int(value), approximate


def _sentence_span(s: str, start: int, end: int) -> tuple[int, int]:
    """From the sentence that holds ``start`` to the end of the one that holds ``end``."""
    breaks = [m.end() for m in SENTENCE_BREAK.finditer(s, 0, start)]
    after = SENTENCE_BREAK.search(s, end)
    return (breaks[-1] if breaks else 0), (after.start() if after else len(s))


def _pay_said(s: str, start: int, end: int, amounts: list[Fact]) -> bool:
    """Whether the text says pay came (结了, 只给了), not 没给过, nor a sum paid of it (给了我一千, 给过两回，
    一回一千: a part paid, which ``ledger`` takes off the product)."""
    return any(
        not _NEGATION_BEFORE.search(s[max(0, m.start() - 3) : m.start()])
        and not any(
            0 <= f.start - m.end() <= _PART_AFTER
            or (0 <= f.start - m.end() <= _INSTALMENTS_AFTER and paid_part(s, f))
            for f in amounts
        )
        for m in _tables()["paid"].finditer(s, start, end)
    )


def _counts(s: str, start: int, end: int) -> list[tuple[re.Match[str], bool]]:
    """Counts of periods in ``s[start:end]`` that were owed or taken: (match, whether worked only)."""
    t = _tables()
    found: dict[int, tuple[re.Match[str], bool]] = {}
    for key in ("owed", "bare", "topic", "worked"):
        for m in t[key].finditer(s, start, end):
            found.setdefault(m.start("num"), (m, key == "worked"))
    for rx in rental_terms():  # 押二付一: a deposit of two months' rent, owed like 押了两个月
        for m in rx.finditer(s, start, end):
            found.setdefault(m.start("num"), (m, False))
    return [found[k] for k in sorted(found)]


def _area(s: str, rate: Fact) -> tuple[float, bool] | None:
    """(mu of land, approximate) when ``rate`` is per mu (一亩一年六百, 每亩每年八百) and the message says
    one area (五亩地, 两亩半); None otherwise, so the rate times the periods stands."""
    lead_at = max(0, rate.start - _RATE_LEAD)
    lead = re.split(r"[，,。！？!?;；\n]", s[lead_at : rate.start])[-1]
    if not _PER_MU_BEFORE.search(lead):
        return None
    areas: set[tuple[float, bool]] = set()
    for m in _AREA.finditer(s):
        if s[m.start() - 1 : m.start()] == "每" or (
            m.group("num") == "一" and lead_at <= m.start() < rate.start
        ):
            continue  # the rate's own 一亩 / 每亩
        value = parse_number(m.group("num"))
        if value is not None and value > 0:
            areas.add((value + (0.5 if m.group("half") else 0), bool(m.group("ap") or m.group("ap2"))))
    return next(iter(areas)) if len({a for a, _ in areas}) == 1 else None


def _product(rate: Fact, count_m: re.Match[str], count: tuple[int, bool], s: str, original: str) -> Fact:
    start, end = min(rate.start, count_m.start("num")), max(rate.end, count_m.end())
    extra: dict[str, Any] = {"kind": "rate_times_count", "rate": rate.value, "count": count[0]}
    area = _area(s, rate)
    if area is not None:
        extra["area"] = to_number(area[0])
    return Fact(
        "amount",
        to_number(float(rate.value) * count[0] * (area[0] if area else 1)),
        start,
        end,
        original[start:end],
        approximate=rate.approximate or count[1] or bool(area and area[1]),
        extra=extra,
    )


def _settle_one(rate: Fact, amounts: list[Fact], s: str, original: str) -> Fact | None:
    """The product fact for ``rate``, or None when the message gives no single clear count for it."""
    lo, hi = max(0, rate.start - _PAIR_GAP), min(len(s), rate.end + _PAIR_GAP)
    per = rate.extra["per"]
    counts = [(m, worked) for m, worked in _counts(s, lo, hi) if _period(_unit(m)) == per]
    lead = re.split(r"[，,。！？!?;；\n]", s[max(0, rate.start - _RATE_LEAD) : rate.start])[-1]
    if _tables()["shortfall"].search(lead):  # 每个月少了2500，已经三个月了: every count is owed
        listed = {m.start("num") for m, _ in counts}
        counts += [
            (m, False) for m in _tables()["mention"].finditer(s, lo, hi) if m.start("num") not in listed
        ]
        counts = [(m, False) for m, _ in counts if _period(_unit(m)) == per]
    valued = [(m, worked, c) for m, worked in counts if (c := _count(m)) is not None]
    if any(
        _period(m.group("unit")) == per and not rate.start - 3 <= m.end() <= rate.start
        for m in _tables()["mention"].finditer(s, lo, hi)
    ):  # 押二付一，房租两千，住了三个月，欠了一个月房租: the months said are the topic, not the deposit
        valued = [v for v in valued if _unit(v[0])]
    worked_at = {m.start("num") for m, worked, _ in valued if worked}
    if any(not worked for _, worked, _ in valued):  # 干了四个月，最后两个月没给: the months owed count
        valued = [v for v in valued if not v[1]]
    else:
        worked_at = set()
    mentions = [
        m
        for m in _tables()["mention"].finditer(s, lo, hi)
        if _period(m.group("unit")) == per and m.start("num") not in worked_at
    ]
    mentioned = {c[0] for m in mentions if (c := _count(m)) is not None}
    if not valued or len({c[0] for *_, c in valued} | mentioned) != 1:
        return None  # no count, or 干了三个月，结了两个月: which periods are owed is not clear
    m, _, count = next((v for v in valued if not v[1]), valued[0])  # 拖了 over 干了 when both are said
    worked = all(v[1] for v in valued)
    rates = {f.value for f in amounts if f.extra.get("per") == per and lo <= f.start < hi}
    if len(rates) > 1:
        return None  # 月薪五千，每月扣五百: which rate runs is not clear
    region = _sentence_span(s, min(rate.start, m.start()), max(rate.end, m.end()))
    if _pay_said(s, *region, amounts):
        return None
    # 干了二十一天，中间预支过五百: a part paid says the rest is owed
    part_paid = any(region[0] <= f.start < region[1] and paid_part(s, f) for f in amounts if f is not rate)
    if worked and not _tables()["unpaid"].search(s, *region) and not part_paid:
        return None  # 一天三百，干了二十天: maybe paid; only the rate is known
    if worked and _one_period_owed(s, region, rate, per):
        return None  # 干了四个月，一个月四千五，最后一个月没给: one month's pay is owed, not four
    return _product(rate, m, count, s, original)


def _one_period_owed(s: str, region: tuple[int, int], rate: Fact, per: str) -> bool:
    """Whether the sentence names a single period of ``per`` (最后一个月, 上个月) other than the rate's
    own word (一个月四千五); a bare 一个月 counts only with no pay said right after it (一个月没给)."""
    for m in _ONE_PERIOD.finditer(s, *region):
        if _UNIT_PERIOD[m.group("unit")] != per or rate.start - 3 <= m.end() <= rate.start:
            continue  # the rate's own 一个月 (一个月四千五, 最后一个月工资… is no rate at all)
        bare = m.group().startswith("一个")
        if not bare or _tables()["unpaid"].match(s, m.end()) or _tables()["one_unpaid"].match(s, m.end()):
            return True
    return False


def _per_person(s: str, start: int) -> bool:
    """每人一个月七千: a rate per person too; times the months it is one person's share, not the sum."""
    clause = re.split(r"[，,。！？!?;；\n]", s[max(0, start - 12) : start])[-1]
    return any(w in clause for w in lexicon()["rate_words"]["person"])


def settle_rate_counts(facts: list[Fact], s: str, original: str) -> list[Fact]:
    """A rate (每月八百) and the count of periods it was owed for (拖了三个月) become one amount fact
    worth their product, with ``extra`` {"kind": "rate_times_count", "rate", "count"}; the rate's fact
    is replaced by it. Nothing changes when another sum the size of the rate or more is stated (that
    sum is the total the citizen means), unless it is a part paid (预支过五百: ``ledger`` takes it off)."""
    amounts = [f for f in facts if f.entity == "amount"]
    rates = [
        f
        for f in amounts
        if f.extra.get("per") in _UNITS
        and isinstance(f.value, int | float)
        and f.value > 0
        and not _per_person(s, f.start)
    ]
    if not rates:
        return facts
    lumps = [
        f
        for f in amounts
        if "per" not in f.extra and isinstance(f.value, int | float) and not paid_part(s, f)
    ]  # a part paid (预支过五百) is no total
    replaced: dict[int, Fact] = {}
    for rate in rates:
        if any(f.value >= rate.value for f in lumps):
            continue  # 一天二百，干了四十五天，应该给九千: the citizen's own total is the sum
        product = _settle_one(rate, amounts, s, original)
        if product is not None:
            replaced[id(rate)] = product
    if len(replaced) != 1:
        return facts  # two products in one message: which is the sum is not clear
    return [replaced.get(id(f), f) for f in facts]


# 俩表哥一人七千 / 两个老乡每人五千五 / 三个人各五千: a share each of a number of people said right
# before it (in the same clause) is that many shares
_EACH_PERSON = re.compile(
    r"(?P<n>[俩仨]|[两二三四五六七八九十\d]{1,3}个)(?:人|[\u4e00-\u9fff]{1,3}?)?(?:一人|每人|每个人|人均|各)"
    r"(?:是|给|要|欠|出|拿|分)?\s?$"
)


@functools.lru_cache(maxsize=1)
def _each_time() -> re.Pattern[str]:
    """分三次还了，每次 / 还了两回，每回 / 分两次打了，每次都是: a share each of the times counted before it
    (across one comma), the times a sum was paid or lent in (lexicon ``instalments``)."""
    w = instalment_words()
    return re.compile(
        rf"(?<![第每\d零一二两三四五六七八九十])(?P<n>[两二三四五六七八九十\d]{{1,3}})(?:{w['times']})"
        rf"[^，,。！？!?;；\n\d]{{0,6}}?[，,]?\s?(?:{w['each']})(?:都|就)?(?:是|{w['verbs']})?(?:{w['done']})?"
        r"(?:我们|俺们|我|俺|他|她)?\s?$"
    )


def _shares(s: str, fact: Fact) -> tuple[str, float] | None:
    """("people", n) for 俩表哥一人七千, ("times", n) for 分三次还了，每次两千, else None."""
    lead = SENTENCE_BREAK.split(s[max(0, fact.start - 20) : fact.start])[-1]
    m = _EACH_PERSON.search(re.split(r"[，,]", lead[-12:])[-1])
    if m:
        people = parse_number(m.group("n").rstrip("个"))
        return ("people", people) if people is not None else None
    m = _each_time().search(lead)
    times = parse_number(m.group("n")) if m else None
    return ("times", times) if times is not None else None


_SHARE_KINDS = {"people": "per_person", "times": "per_time"}


def settle_per_person(facts: list[Fact], s: str, original: str) -> list[Fact]:
    """A share each (俩表哥一人七千, 分三次还了，每次两千) becomes the shares of all the people or times
    counted before it (14000, 6000), with ``extra`` {"kind": "per_person", "share", "people"} or {"kind":
    "per_time", "share", "times"}; a share with no count stays as it is."""
    out: list[Fact] = []
    for fact in facts:
        shares = _shares(s, fact) if fact.entity == "amount" else None
        if (
            shares is None
            or not 2 <= shares[1] <= 200
            or not isinstance(fact.value, int | float)
            or fact.extra.get("per") not in (None, "person")
        ):
            out.append(fact)
            continue
        kind, count = shares
        extra = {k: v for k, v in fact.extra.items() if k != "per"}
        extra.update({"kind": _SHARE_KINDS[kind], "share": fact.value, kind: int(count)})
        out.append(replace(fact, value=to_number(float(fact.value) * count), extra=extra))
    return out
