"""Sums the citizen takes back: 报价是5280……等下我看错了，是5820 / 工资三千，不对，工资三千五 / 大概九千吧…
稍等，我再看看，是一万零八百.

The sum said after the correction is the one meant. The one before it stays a fact (a phone number taken
back does too) marked ``extra["superseded"]``, so every reader (``extract.facts_dict``, the intake's
answers) passes over it. A correction is a word taking back what was said (lexicon.yml
self_correction_cues: 看错, 记混, 搞错咗 …, or 哦不，); a word of checking again (recheck_words: 等下, 稍等,
我再看看 …) counts only when the new sum is introduced by 是. Between the correction and the new sum only
such words, a label (工资, 报价) and 是 may stand: 哦不对，他中间给过两千 tells of another sum, it corrects
nothing. The new sum may be a bare figure the amount extractor left for want of money words (是5820):
after a correction of a sum it is money.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .lexicon import alternation, lexicon
from .model import Fact
from .numbers import to_number

SUPERSEDED = "superseded"
_BEFORE_CUE = 30  # at most this far from the sum taken back to the correction
_AFTER_CUE = 24  # and from the correction to the sum meant
_MAX_LABEL = 4
_SAID_IS = re.compile(r"(?:应该是|应该系|其实是|实际是|改成|变成|就是|是|系|为)\s?$")
# a verb of paying between the correction and the next sum: that sum is another one (他中间给过两千)
_ANOTHER_SUM = re.compile(r"[给还退付赔垫拿欠借扣交剩差花押]")
# 哦不，/ 噢不不，/ 哎不是，: "oh no" said before the figure meant
_OH_NO = r"(?:哦|噢|喔|呃|哎|唉|啊|欸|诶)不(?:不|是)?(?=[，,。…\s！!~、.])"
_BARE_FIGURE = re.compile(r"(?<![\d.])(?P<num>\d{2,7}(?:\.\d{1,2})?)(?![\d.%])(?P<cur>\s?(?:块钱|块|元|蚊))?")


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    lex = lexicon()
    cues = alternation([*lex.get("self_correction_cues", []), "应该是", "其实是"])
    recheck = alternation(lex.get("recheck_words", [])) or r"(?!)"
    units = sorted(lex["non_money_units"], key=len, reverse=True)
    return {
        "cue": re.compile(rf"{cues}|{_OH_NO}"),
        "recheck": re.compile(recheck),
        "filler": re.compile(
            rf"{cues}|{_OH_NO}|{recheck}|[^\u4e00-\u9fff\d]|[了啦咯咧哒啊呀哦噢喔嗯呃哎唉诶我俺刚才又再的]"
        ),
        "non_money": re.compile("(?:" + "|".join(re.escape(u) for u in units) + ")"),
    }


def correction_ends(s: str) -> list[int]:
    """Where each correction in ``s`` ends (a cue, or a word of checking again that a 是 and a figure
    follow), in order: what is said after it is meant."""
    t = _patterns()
    ends = {m.end() for m in t["cue"].finditer(s)}
    for m in t["recheck"].finditer(s):
        ahead = re.split(r"[。！？!?;；\n]", s[m.end() : m.end() + 16])[0]
        said = re.search(r"(?:是|系)\s?(?=[\d一二两三四五六七八九十])", ahead)
        if said:
            ends.add(m.end())
    return sorted(ends)


def _only_fillers(s: str, start: int, end: int, recheck: bool) -> bool:
    """Whether ``s[start:end]`` (between a correction and the next sum) holds no more than fillers, a short
    label and 是 — required after a word of checking again."""
    gap = s[start:end]
    said_is = _SAID_IS.search(gap)
    if recheck and not said_is:
        return False
    rest = _patterns()["filler"].sub("", gap[: said_is.start()] if said_is else gap)
    return len(rest) <= _MAX_LABEL and not _ANOTHER_SUM.search(rest)


def _bare_figure(s: str, original: str, start: int, taken: list[Fact]) -> Fact | None:
    """The bare figure (是5820) right after a correction of a sum, as an amount fact."""
    m = _BARE_FIGURE.search(s, start, min(len(s), start + _AFTER_CUE))
    if not m or (not m.group("cur") and _patterns()["non_money"].match(s, m.end())):
        return None
    if any(f.start < m.end() and m.start() < f.end for f in taken):
        return None
    value = to_number(float(m.group("num")))
    return Fact("amount", value, m.start(), m.end(), original[m.start() : m.end()])


# 那就八万 / 那就押金三千 / 所以是三万八: the sum a second thought concludes with, after its reason
_CONCLUDING = re.compile(r"(?:那就|那么就|所以就?|就按|那还是|那就按)(?:是|算|要|赔)?[^，,。！？!?\d]{0,4}$")
_CONCLUDING_REACH = 48
# 本来想讲要十万，朋友说太多了，那就八万: a first figure said as what was once meant
_ONCE_MEANT = re.compile(r"(?:本来|原本|起先|一开始)(?:想|打算|准备)?(?:讲|说|要)?(?:要|是)?\s?$")


def _concluded(amounts: list[Fact], s: str, cue: int) -> Fact | None:
    """The sum a second thought ends on (…我想起来他还拿过两千，那就三万八), however long its reason."""
    for f in amounts:
        if cue <= f.start <= cue + _CONCLUDING_REACH and _CONCLUDING.search(
            s[max(0, f.start - 10) : f.start]
        ):
            return f
    return None


def _settle_second_thoughts(amounts: list[Fact], s: str) -> None:
    """本来想讲要十万…那就八万: the sum once meant is taken back by the one concluded."""
    for f in amounts:
        if _ONCE_MEANT.search(s[max(0, f.start - 8) : f.start]):
            meant = _concluded(amounts, s, f.end)
            if meant is not None and meant.value != f.value:
                f.extra[SUPERSEDED] = True


def settle_corrections(facts: list[Fact], s: str, original: str) -> list[Fact]:
    """Mark each sum taken back by a correction (``extra["superseded"]``); a bare figure after the
    correction becomes the amount fact meant."""
    amounts = sorted(
        (f for f in facts if f.entity == "amount" and isinstance(f.value, int | float)), key=lambda f: f.start
    )
    if not amounts:
        return facts
    added: list[Fact] = []
    t = _patterns()
    rechecks = {m.end() for m in t["recheck"].finditer(s)}
    _settle_second_thoughts(amounts, s)
    for cue in sorted(set(correction_ends(s)) | rechecks):  # a recheck without 是 may still conclude
        before = [f for f in amounts if f.end <= cue]
        if not before or cue - before[-1].end > _BEFORE_CUE or "\n" in s[before[-1].end : cue]:
            continue
        taken_back = before[-1]
        after = [f for f in [*amounts, *added] if f.start >= cue and f.start - cue <= _AFTER_CUE]
        meant = min(after, key=lambda f: f.start) if after else _bare_figure(s, original, cue, facts + added)
        if meant is None or "\n" in s[cue : meant.start] or meant.value == taken_back.value:
            continue
        if not _only_fillers(s, cue, meant.start, cue in rechecks and not t["cue"].search(s, cue - 8, cue)):
            meant = _concluded(amounts, s, cue)  # 哦不对…我想起来他还拿过两千，那就三万八
            if meant is None or meant.value == taken_back.value:
                continue
            for f in before:  # the whole reckoning before it is taken back (押金三千，房租一千一，一共四千一)
                if "\n" not in s[f.end : cue]:
                    f.extra[SUPERSEDED] = True
        taken_back.extra[SUPERSEDED] = True
        if meant not in amounts and meant not in added:
            added.append(meant)
    return facts + added


def figure_meant(text: str) -> float | int | None:
    """The bare figure an answer means when it corrects itself (是5820，哦不，看岔了，是5280): the first
    after the last correction; None when the answer corrects nothing or says no figure after it."""
    ends = correction_ends(text)
    if not ends:
        return None
    m = _BARE_FIGURE.search(text, ends[-1])
    if not m or (not m.group("cur") and _patterns()["non_money"].match(text, m.end())):
        return None
    if not _only_fillers(text, ends[-1], m.start(), False):
        return None
    return to_number(float(m.group("num")))


# the answer to "一共涉及多少钱" given as a bare figure: "5600，两个月的", "3000左右"
_LEADING_FIGURE = re.compile(
    r"^(?:大概|大约|大約|约|差不多|一共|总共|總共)?\s*(\d{2,9}(?:\.\d{1,2})?)\s*(?:块钱|块|塊|元)?"
    r"(?=$|[，,。.；;！!？?\s]|左右|上下|多)"
)


def leading_figure(text: str) -> int | float | None:
    """The bare figure opening an answer to the money question ("5600，两个月的", "3000左右")."""
    m = _LEADING_FIGURE.match(text.replace(",", ""))
    return to_number(float(m.group(1))) if m else None
