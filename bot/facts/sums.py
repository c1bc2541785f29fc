"""Sums told in parts: 彩礼十八万八，还有三金一万二 / 第一回七千八，第二回一万二千六 / 八月四千二，九月三千九.

Citizens often list what they are owed item by item and leave the adding to us ("一共多少你们算"). The
sum in dispute is then the total of the parts, not the largest of them. Two neighbouring sums in one
sentence are parts of one total when the text between them says so:

- an adding word (加上, 还有, 另外, 又借了 …), or
- the same kind of label before each, different each time: an ordinal (第一回 … 第二回, 一张 … 一张),
  a month (八月 … 九月), a named item (医药费 … 误工费, 押金 … 房租), a crew or side that is the whole
  clause (木工班欠 … 钢筋班 … 杂工那边) or people (我自个儿 … 俩表哥一人 … 那仨加一块儿: a group's own
  sum is a part of the whole), or
- the citizen asking us to add them after the list, with no figure (…，都加一块儿).

A correction (不对, 应该是) or a contrast (只, 但, 结果, 剩下) between them keeps them apart, and so does a
rate (每月): rates are multiplied elsewhere (``rate_counts``), and so does a part paid (中间他打过一笔
一万: ``ledger`` takes it off the sum). An explicit total (一共二十万) still wins when the citizen gives
one (``extract._best_amount``).
"""

from __future__ import annotations

import re

from .ledger import paid_part
from .model import Fact
from .numbers import to_number
from .quantities import SENTENCE_BREAK

_MAX_GAP = 16
_ADDING = re.compile(
    r"(?:加上|再加上?|外加|另外|另有|还有|还多|还要|以及|又(?:借|给|交|垫|花|欠|拿|转|付|赔)|[和跟与及、+＋])"
)
# 九千没算夜班的，加上是一万零八百 / 工资八千，算上加班费是一万: the later sum is the total including
# the first, not a part to add to it (``extract`` takes it as the total said)
INCLUDING_TOTAL = re.compile(
    r"(?:加上|算上|连上|包括|加进去|算进去)[^\d，,。！？!?;；\n]{0,8}?(?:就是|总共是|一共是|总共|一共|共|是|得)\s?$"
)
_APART = re.compile(
    r"(?:不对|不是|错了|说错|应该是|其实是|准确|更正|改成|变成|只|才|但|可是|可|结果|其中|剩|扣|"
    r"首付|定金|还了|还剩|还差|还欠|退了|给了我|一共|总共|合计|共计|加起来|或者|还是|到)"
)
# 第一回 … 第二回, also with the verb said after it: 第一次借了他两万，第二次借了三万; 一次八千，一次一万二
_ORDINAL = re.compile(
    r"(?:第[一二两三四五六七八九十\d]{1,3}|(?<![第\d一二两三四五六七八九十])(?:头|先|另|又|再)?一)[回次批笔趟期单车个张]"
    r"(?:(?:又|再)?(?:借|给|交|付|转|垫|花|拿|欠|打|汇|送)了?(?:他|她|我|给他|给她|给我)?)?$"
)
_MONTH = re.compile(r"(?:[一二三四五六七八九十\d]{1,3}|正|腊)月份?$")
_ITEM = re.compile(
    r"(?:[\u4e00-\u9fff]{1,4}(?:费|款|金|租|资|钱|礼|账)|押金|房租|彩礼|三金|五金|嫁妆|工资|工钱|货款|利息)"
    r"(?:是|有|要|共)?$"
)


# 月租3200，押金6400: a rent or pay per period is a rate, never a part of the sum
_RATE_LABEL = re.compile(r"(?:月|日|年|周|时|每)(?:租|薪|供|工资)")
# 加起来 / 加一块儿 / 合计: the citizen's adding; with a group before it (那仨加一块儿两万三) a part's sum
_RECKON = r"(?:都|全|全部|统统)?(?:加一块儿?|加在一块儿?|加起来|加一起|加在一起|合起来|合计|一共|总共)"
# Labels that are a whole clause before the sum: a crew or side (木工班欠…, 杂工那边…) or people
# (我自个儿…, 俩表哥一人…, 那仨加一块儿…), so 木工班六十三万，钢筋班四十八万五 are parts of one sum.
_CREW = re.compile(r"[\u4e00-\u9fff]{1,3}?(?:班|组|队|那边|这边|那头)(?:欠了?|的|是|有|要)?")
_PEOPLE = re.compile(
    r"(?:(?:我|俺|咱|阮)(?:自个儿?|自己|自家|本人|这边)?"
    r"|(?:那|这|另外|另外那|剩下的?|其余|其他|他们|她们)?(?:[俩仨]|[两二三四五六七八九十几\d]{1,2}个)"
    r"(?![月天年日周星期小时钟头点号次回])(?:人|[\u4e00-\u9fff]{1,2}?)?(?:一人|每人|每个人|各)?)"
    rf"{_RECKON}?(?:是|有|要|欠)?"
)
_CLAUSE_START = re.compile(r"[，,、：:;；。！？!?\s]")
# 六十三万，四十八万五，九万出头，都加一块儿 (no figure after it): the citizen asks us to add them
_RECKON_BEFORE = re.compile(rf"{_RECKON}\S{{0,3}}$")
_ADD_UP_AFTER = re.compile(rf"{_RECKON}(?:算|吧|呢|是多少|多少|有多少|一下)?")


def _clause_lead(s: str, start: int) -> str | None:
    """The whole clause before ``start`` when it is short (≤ 8 characters), else None."""
    window = s[max(0, start - 9) : start]
    breaks = list(_CLAUSE_START.finditer(window))
    if breaks:
        return window[breaks[-1].end() :]
    return window if start <= 8 else None


def _label(s: str, start: int) -> tuple[str, str] | None:
    """The kind and text of the label right before a sum (after the clause's start), if any."""
    lead = s[max(0, start - 8) : start]
    lead = re.split(r"[，,、：:]", lead)[-1]
    for kind, rx in (("ordinal", _ORDINAL), ("month", _MONTH), ("item", _ITEM)):
        m = rx.search(lead)
        if m and not (kind == "item" and _RATE_LABEL.search(m.group(0))):
            return kind, m.group(0)
    clause = _clause_lead(s, start)
    for kind, rx in (("crew", _CREW), ("people", _PEOPLE)):
        if clause and rx.fullmatch(clause):
            return kind, clause
    return None


def _added_up_after(s: str, end: int) -> bool:
    """Whether the sentence after ``end`` asks for the sums to be added (都加一块儿), with no figure."""
    rest = SENTENCE_BREAK.split(s[end : end + 40])[0]
    m = _ADD_UP_AFTER.search(rest)
    return m is not None and not re.search(r"[\d一二两三四五六七八九十百千万]", rest[m.end() :])


def _parts_of_one_sum(s: str, a: Fact, b: Fact) -> bool:
    gap = s[a.end : b.start]
    la, lb = _label(s, a.start), _label(s, b.start)
    if lb is not None and lb[0] == "people" and gap.endswith(lb[1]):
        gap = gap[: -len(lb[1])]  # 那仨加一块儿: their own sum, a part of the whole
    if len(gap) > _MAX_GAP or SENTENCE_BREAK.search(gap) or _APART.search(gap) or INCLUDING_TOTAL.search(gap):
        return False
    if paid_part(s, b) != paid_part(s, a):
        return False  # 一张两万三，中间他打过一笔一万: a part paid, taken off (``ledger``), not added
    if _ADDING.search(gap) and a.value != b.value:  # 一共两千三…先算两千三: the same sum said again
        return True
    if _added_up_after(s, b.end) and not _RECKON_BEFORE.search(gap):
        return True
    if la is not None and la == lb and la[0] == "ordinal" and la[1][-2] == "一":
        return True  # 一次八千，一次一万二: "once … once more", two different times
    return la is not None and lb is not None and la[0] == lb[0] and la[1] != lb[1]


def settle_summed_parts(facts: list[Fact], s: str, original: str) -> list[Fact]:
    """Runs of sums that are parts of one total become one fact worth their sum, with ``extra``
    {"kind": "sum", "parts": [...]}; the parts' facts are replaced by it."""
    amounts = sorted(
        (
            f
            for f in facts
            if f.entity == "amount"
            and isinstance(f.value, int | float)
            and f.value > 0
            and "per" not in f.extra
            and f.extra.get("kind") != "remaining"
        ),
        key=lambda f: f.start,
    )
    runs: list[list[Fact]] = []
    for fact in amounts:
        if runs and _parts_of_one_sum(s, runs[-1][-1], fact):
            runs[-1].append(fact)
        else:
            runs.append([fact])
    runs = [run for run in runs if len(run) > 1]
    if not runs:
        return facts
    gone = {id(f) for run in runs for f in run}
    sums = [
        Fact(
            "amount",
            to_number(sum(float(f.value) for f in run)),
            run[0].start,
            run[-1].end,
            original[run[0].start : run[-1].end],
            approximate=any(f.approximate for f in run),
            extra={"kind": "sum", "parts": [f.value for f in run]},
        )
        for run in runs
    ]
    return [f for f in facts if id(f) not in gone] + sums
