"""Headcount ledger: the groups a citizen lists, added up, with those who left or were paid taken off.

Asked how many people, citizens often count in parts and leave the adding to us:

- groups listed (俺木工这边十四个，钢筋的十一个，杂工七个，恁自己加 → 32; 我们车间九个，隔壁包装线还有六个
  → 15), joined by an adding word (还有, 加上, 跟, 仲有 …) or each a short clause of its own label and count;
- the citizen listed with others (俺和俺俩表哥，再加上邻屯那仨 → 1 + 2 + 3; 瓦工五个人 水电三个 加我 → 9):
  the citizen adds one unless a part already counts them (我们车间九个, 我跟我老婆, 我们娘仨, 连我九个); a
  count between 我/俺 and a kin or people word is someone else's (俺俩表哥: two cousins; 我弟两口子);
- those who left or were paid, taken off the group before them (俺们组原来十三户，搬走了两户 → 11; 本来二十
  个人，有五个已经结了钱 → 15); a group said to be left or still unpaid after it is the answer itself
  (剩下八个, 有五个没拿到).

A total said for the list (一共十二个, or a first count equal to the parts after it) is kept, never added to
its breakdown; households (户) and people are never added together; a part of a group (其中五个) is not
added to it. Approximate counts keep the reading the extractor gives them (三十多 → 30, 七八 → 7 to 8), and
the rule is conservative: the parts' values less the most who left (三十多个，走了七八个 → 30 − 8 = 22,
approximate), with ``min``/``max`` the range the count can be (23 to 32).

A run of counts becomes one headcount fact (``extra["ledger"]`` is "sum", "total" or "remaining", with
``parts`` and ``left``) replacing the headcount facts it was made from. A bare count (钢筋的十一个) takes part only in a
run that says it counts people: a headcount fact, the citizen, or a label naming people or a place of work.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from .headcount import COUNT_APPROX, COUNT_NUM, DURATION_AFTER, KIN, count_value
from .lexicon import alternation, lexicon
from .model import Fact, span_overlaps
from .quantities import NOT_INSIDE, SENTENCE_BREAK
from .textnorm import normalise

LEDGER = "ledger"
_MAX_GAP = 16
_LABEL_MAX = 8
_BREAK = r"[，,、。.！!？?；;：:\s~…]"
_CLAUSE_START = re.compile(rf"{_BREAK}")
_ADVERBS = r"(?:已经|早就|早已|早|都|也|先|就|又|之前|后来|陆续|提前|全|还|到现在|至今|一直){0,4}"
# what a bare count may be followed by: the clause's end, a word about the group, or a people noun
_FOLLOWERS = "都也已早先还就全一又没不是的被去在呢吧啊嘛呀了加和跟同与及到至"
_SELF_JOINERS = r"(?:和|跟|同|与|及|还有|加上|带着|仲有|、)"


@dataclass(eq=False)  # items are compared by identity
class _Item:
    start: int
    end: int
    value: int
    low: int
    high: int
    approximate: bool = False
    unit: str | None = "人"  # 人, 户 (households), None for the citizen (either)
    role: str = "part"  # part, self, one (a relative named alone), gone, rest, total
    anchored: bool = False
    self_in: bool = False
    fact: Fact | None = None
    lead: str = ""


@functools.lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    lex = lexicon()
    led = lex["headcount_ledger"]
    paid_words = lex["rate_count"]["paid"]
    # pay said to have come (结了, 发了 …), not money the citizen's side handed over (交了, 缴了)
    gone = alternation([*led["gone"], *(w for w in paid_words if w[0] not in "交缴")])
    people = alternation([*lex["people_nouns"], *lex["occupation_nouns"]])
    places = alternation([*lex["workplaces"], *lex["settlements"]])
    speakers = alternation(lex["group_speakers"])
    others = alternation(led["others"])
    adding = alternation(led["adding"])
    after_noun = rf"(?:{KIN}|{people}|娘们)"
    return {
        "bare": re.compile(
            rf"{NOT_INSIDE}(?<![第每几伎])"
            rf"(?:{COUNT_NUM}{COUNT_APPROX}(?P<cl>个人|个|名|位|号人|口人|户人家|户)|(?P<coll>[俩仨])(?:个人|个|人)?)"
            rf"(?!{DURATION_AFTER}|多月|个月)"
            rf"(?=$|{_BREAK}|[{_FOLLOWERS}]|{gone}|{after_noun})"
        ),
        "self": re.compile(
            r"(?:(?P<home>(?:我们|俺们|咱们|我|俺|咱)家)|(?:我|俺|咱|额|偶)(?:自己|自个儿?|自各儿|本人|一个人?|一人)?)"
            r"(?![们哋])"
        ),
        # 我同我老公 / 加上我小舅子: one relative named with the others (not 我弟两口子: his household)
        "one": re.compile(
            rf"(?:{adding})(?P<who>(?:我|俺|咱|额)?的?{KIN})(?![俩仨家们]|口子|[两一二三四五六七八九十](?![个名位人]))"
        ),
        # the citizen as one of those listed: opening a clause or after 不光/连/加/还有/和 … (a 4-character window)
        "self_before": re.compile(rf"(?:^|{_BREAK}|{alternation(led['with_self'])})$"),
        "self_after": re.compile(rf"$|{_BREAK}|{_SELF_JOINERS}"),
        # 连我九个 / 加上我一共十个: the count after the citizen includes them
        "with_who": re.compile(
            rf"(?:和|跟|同|与)(?!{others}|{speakers})[^\s，,、。！？!?；;：:的那这]{{1,4}}(?<![那这的些边])"
        ),
        "self_counted": re.compile(rf"(?:在内)?(?:{alternation(led['totals'])})?(?:有|是)?"),
        "gone_before": re.compile(rf"(?<![没未不])(?:{gone})(?:了|咗)?的?(?:有|是)?$"),
        "gone_after": re.compile(rf"(?:人|户|家|口)?{_ADVERBS}(?<![没未不])(?:{gone})"),
        "unpaid_after": re.compile(rf"(?:人|户|家)?{_ADVERBS}(?:{alternation(lex['rate_count']['unpaid'])})"),
        "rest": re.compile(rf"(?:{alternation(led['rest'])})"),
        "subset": re.compile(rf"(?:{alternation(led['subset'])})"),
        "subset_lead": re.compile(rf"(?:{alternation(led['subset'])})?(?:有)?"),
        # 不是十个人，是十二个 / 不对，…: a correction between two counts keeps them apart
        "apart": re.compile(rf"{alternation(lex['self_correction_cues'])}|不是|应该是|其实是"),
        "add_up": re.compile(alternation(led["add_up"])),
        "total": re.compile(rf"(?:{alternation(led['totals'])})(?:有|是|就)?$"),
        "adding": re.compile(adding),
        "adding_start": re.compile(rf"^(?:{adding}|不光|不只|不止|连)+"),
        "speaker_start": re.compile(rf"(?:{speakers})"),
        "singular": re.compile(r"[我俺咱额偶]$"),
        "after_noun": re.compile(after_noun),
        "kin": re.compile(KIN),
        "count_start": re.compile(r"[俩仨两一二三四五六七八九十\d]"),
        "anchor": re.compile(rf"{speakers}|{others}|{people}|{places}|{KIN}"),
        # 有…/其中…/剩下…/是… and a verb (买了三个) start no label; nor does the other side (老板两个人)
        "not_label": re.compile(
            rf"^[有其只才就但可却剩都也还是]|[了过着咗]$|{alternation(lex['counterparty']['person']['terms'])}"
        ),
    }


def _clause_lead(s: str, start: int, floor: int) -> str:
    """The clause's words before ``start`` (not before ``floor``, the previous count's end)."""
    window = s[max(floor, start - 12) : start]
    breaks = list(_CLAUSE_START.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def _self_in(item: _Item, s: str, t: dict[str, Any]) -> bool:
    """Whether a count counts the citizen: 我们车间九个, 俺们仨, 我跟我老婆; not 俺俩表哥, 我弟两口子."""
    head = t["adding_start"].sub("", item.lead) + s[item.start : item.end]
    m = t["speaker_start"].match(head)
    if not m:
        return False
    rest = head[m.end() :]
    if t["kin"].match(rest):
        return False  # 我弟两口子: the brother's household
    if t["singular"].search(m.group()) and t["count_start"].match(rest):
        return not t["after_noun"].match(s, item.end)  # 俺俩表哥 / 我两个老乡: the pronoun owns them
    return True


def _fact_item(fact: Fact) -> _Item:
    value = int(fact.value)
    low, high = int(fact.extra.get("min", value)), int(fact.extra.get("max", value))
    unit = "户" if fact.extra.get("unit") in ("户", "家") else "人"
    return _Item(fact.start, fact.end, value, low, high, fact.approximate, unit, anchored=True, fact=fact)


def _bare_item(m: re.Match[str]) -> _Item | None:
    if m.group("coll"):
        value = 2 if m.group("coll") == "俩" else 3
        return _Item(m.start(), m.end(), value, value, value)
    got = count_value(m.group("num"), bool(m.group("ap")))
    if got is None or not 1 <= got[0] <= 100_000:
        return None
    value, approximate, extra = got
    unit = "户" if m.group("cl").startswith("户") else "人"
    low, high = int(extra.get("min", value)), int(extra.get("max", value))
    return _Item(m.start(), m.end(), value, low, high, approximate, unit)


def _items(facts: list[Fact], s: str, t: dict[str, Any], asked: bool) -> list[_Item]:
    """The counts of a message in order: headcount facts, the citizen listed, bare counts (钢筋的十一个)."""
    items = [_fact_item(f) for f in facts if f.entity == "headcount" and isinstance(f.value, int)]
    taken = bytearray(len(s) + 1)  # characters already read as a fact or a count
    for fact in facts:
        taken[max(0, fact.start) : max(0, fact.end)] = b"\x01" * max(0, fact.end - max(0, fact.start))

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        taken[start:end] = b"\x01" * (end - start)
        return True

    for m in t["self"].finditer(s):
        before = s[max(0, m.start() - 4) : m.start()]
        if t["self_before"].search(before) and t["self_after"].match(s, m.end()) and claim(*m.span()):
            unit = "户" if m.group("home") else None
            items.append(_Item(m.start(), m.end(), 1, 1, 1, unit=unit, role="self", anchored=True))
    for m in t["one"].finditer(s):
        if claim(*m.span("who")):
            items.append(_Item(m.start("who"), m.end("who"), 1, 1, 1, unit=None, role="one"))
    for m in t["bare"].finditer(s):
        item = _bare_item(m)
        if item is None or any(taken[m.start() : m.end()]):
            continue
        if item.value > 1 or t["adding"].search(s[max(0, m.start() - 3) : m.start()]):
            claim(*m.span())
            items.append(item)  # 还有一个; not 大哥一个人全拿走了 (one person, alone)
    items.sort(key=lambda i: i.start)
    floor, previous = 0, None
    for item in items:
        item.lead = _clause_lead(s, item.start, floor)
        floor = item.end
        if item.role in ("self", "one"):
            previous = item
            continue
        item.role = _role(item, s, t)
        # 夫妻俩加上儿子三个人: a plain count right after the one named counts them all (not 我细佬两公婆)
        named = previous is not None and previous.role == "one" and previous.end == item.start
        if named and item.role == "part" and s[item.end - 1] in "个人位名":
            item.role = "total"
        previous = item
        item.self_in = _self_in(item, s, t)
        item.anchored = (
            asked
            or item.anchored
            or item.role == "gone"
            or bool(t["anchor"].search(item.lead))
            or bool(t["after_noun"].match(s, item.end))
        )
    return _absorb_self(items, s, t)


def _role(item: _Item, s: str, t: dict[str, Any]) -> str:
    lead = item.lead
    if t["rest"].search(lead):
        return "rest"  # 剩下俺们八个
    if t["gone_before"].search(lead) or t["gone_after"].match(s, item.end):
        return "gone"  # 走了七八个 / 有五个已经结了钱
    if t["total"].search(lead):
        return "total"  # 一共十二个
    if t["unpaid_after"].match(s, item.end) and t["subset_lead"].fullmatch(lead):
        return "rest"  # 有五个没拿到 (after the group: those still unpaid)
    return "part"


def _absorb_self(items: list[_Item], s: str, t: dict[str, Any]) -> list[_Item]:
    """连我九个 / 加上我一共十个 / 我和老乡们十几个人: the count right after the citizen already counts
    them (not 我跟他们三个, 俺和俺俩表哥, 我跟邻屯那仨: those counts are the others')."""
    kept: list[_Item] = []
    for i, item in enumerate(items):
        nxt = items[i + 1] if i + 1 < len(items) else None
        if item.role == "self" and nxt is not None:
            gap = s[item.end : nxt.start]
            with_who = t["with_who"].fullmatch(gap) and not t["speaker_start"].match(s, nxt.start)
            if t["self_counted"].fullmatch(gap) or with_who:
                nxt.self_in = True
                continue
        kept.append(item)
    return kept


def _added_up(item: _Item, s: str, t: dict[str, Any]) -> bool:
    """Whether the citizen asks us to add the counts up after ``item`` (恁自己加, 你们算一下)."""
    return bool(t["add_up"].search(SENTENCE_BREAK.split(s[item.end : item.end + 30])[0]))


def _labelled(a: _Item, b: _Item, s: str, t: dict[str, Any]) -> bool:
    """木工这边十四个，钢筋的十一个: each count a short clause of its own, with a different label; not a
    group named again (我们公司一百多个，我们部门二十个) or a small part of a large one (厂里三百多人，车间
    二十个) unless the citizen asks us to add them (恁自己加)."""
    if not re.match(_BREAK, s[a.end : b.start]):
        return False
    label = b.lead
    if not a.lead or not label or len(label) > _LABEL_MAX or t["not_label"].search(label) or label == a.lead:
        return False
    if _added_up(b, s, t):
        return True
    return not t["speaker_start"].match(label) and a.value < 4 * b.value


def _glued(a: _Item, b: _Item, s: str, blockers: list[Fact], t: dict[str, Any]) -> bool:
    """Whether ``b`` continues the ledger ending with ``a``."""
    gap = s[a.end : b.start]
    if len(gap) > _MAX_GAP or SENTENCE_BREAK.search(gap) or t["apart"].search(a.lead + gap):
        return False
    if span_overlaps(a.end, b.start, blockers):
        return False  # a sum or a date between them: two different statements
    if t["subset"].search(gap):
        return b.role in ("gone", "rest")  # 其中五个已经结了: taken off; 其中五个是女的: not added
    if b.role in ("gone", "rest", "total"):
        return True
    if t["adding"].search(_CLAUSE_START.split(gap)[-1]):
        return True  # in the count's own clause: 还有我弟两口子, not 加上我小舅子在工地干活，…
    return "self" not in (a.role, b.role) and _labelled(a, b, s, t)


def _runs(items: list[_Item], facts: list[Fact], s: str, t: dict[str, Any]) -> list[list[_Item]]:
    blockers = [f for f in facts if f.entity in ("amount", "time", "phone", "id_number")]
    runs: list[list[_Item]] = []
    for item in items:
        if runs and _glued(runs[-1][-1], item, s, blockers, t):
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def _settle(
    run: list[_Item], s: str, t: dict[str, Any], asked: bool
) -> tuple[_Item, str, list[int], list[int]] | None:
    """The run's count as one item (with its kind and the parts and the left), or None when it reads
    nothing new: a single count, units that differ, more leaving than there were."""
    if not (asked or any(i.anchored for i in run)) or all(i.role in ("self", "one") for i in run):
        return None  # 我跟我老婆吵架: the citizen and a relative, no count said
    if len({i.unit for i in run if i.unit}) > 1:
        return None  # 三户 and 五个人 are not added
    rests = [i for i in run[1:] if i.role == "rest"]
    if rests:
        rest = rests[-1]
        return rest, "remaining", [i.value for i in run if i is not rest], []
    parts = [i for i in run if i.role in ("part", "one") or (i.role == "rest" and i is run[0])]
    totals = [i for i in run if i.role == "total"]
    gone = [i for i in run if i.role == "gone" and (not parts or i.start > parts[0].start)]
    if totals:
        base = [totals[-1]]
    elif (
        len(parts) >= 3 and parts[0].value == sum(p.value for p in parts[1:]) and not _added_up(run[-1], s, t)
    ):
        base = [parts[0]]  # 我们班组十二个人，木工五个，钢筋七个: the group and its breakdown
    else:
        base = parts
    me = 1 if any(i.role == "self" for i in run) and not any(i.self_in for i in base) else 0
    if not base and not me:
        return None
    if len(base) + me + len(gone) < 2 and not (asked or totals and len(run) > 1):
        return None
    value = sum(i.value for i in base) + me - sum(g.high for g in gone)
    low = sum(i.low for i in base) + me - sum(g.high for g in gone)
    high = sum(i.high for i in base) + me - sum(g.low for g in gone)
    if value < 1 or low < 1:
        return None
    approximate = any(i.approximate for i in (*base, *gone))
    unit = next((i.unit for i in run if i.unit), "人")
    merged = _Item(run[0].start, run[-1].end, value, low, high, approximate, unit)
    kind = "remaining" if gone else "total" if totals else "sum"
    counted = [i.value for i in run if i in base or (me and i.role == "self")]
    return merged, kind, counted, [g.high for g in gone]


def settle_headcounts(facts: list[Fact], s: str, original: str) -> list[Fact]:
    """Runs of counts that make one group (parts listed, the citizen, those who left) become one headcount
    fact (``extra["ledger"]``, ``parts``, ``left``), replacing the headcount facts they were made from."""
    t = _tables()
    used: set[int] = set()
    made: list[Fact] = []
    for run in _runs(_items(facts, s, t, asked=False), facts, s, t):
        got = _settle(run, s, t, asked=False)
        if got is None:
            continue
        item, kind, parts, left = got
        start, end = run[0].start, run[-1].end
        extra: dict[str, Any] = {LEDGER: kind, "parts": parts}
        if left:
            extra["left"] = left
        if item.approximate:
            extra.update({"min": item.low, "max": item.high})
        if item.unit == "户":
            units = [i.fact.extra.get("unit") for i in run if i.fact is not None and i.fact.extra.get("unit")]
            extra["unit"] = units[0] if units else "户"
        used.update(id(i.fact) for i in run if i.fact is not None)
        made.append(
            Fact(
                "headcount",
                item.value,
                start,
                end,
                original[start:end],
                approximate=item.approximate,
                extra=extra,
            )
        )
    if not made:
        return facts
    return [f for f in facts if id(f) not in used] + made


def answer_count(text: str) -> tuple[int, bool] | None:
    """The count an answer to "how many people" gives when no headcount fact was found in it: bare counts
    (我们车间九个, 钢筋的十一个，杂工七个) are people there. (value, approximate), or None."""
    s = normalise(text or "")
    t = _tables()
    read = [
        got
        for run in _runs(_items([], s, t, asked=True), [], s, t)
        if (got := _settle(run, s, t, asked=True))
    ]
    if not read:
        return None
    ledgers = [got for got in read if got[1] == "remaining" or len(got[2]) + len(got[3]) > 1]
    item = ledgers[-1][0] if ledgers else max((got[0] for got in read), key=lambda i: i.value)
    return item.value, item.approximate
