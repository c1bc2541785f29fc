"""The sum in dispute reckoned from the sums of one message: what was owed, less what was paid of it.

Citizens tell a total and then what came of it, and leave the subtracting to us: 医药费加误工费算下来四万二，
他给了一万五 → 27000; 协议上总共八十六万，给了七十二万 → 140000; 一天一百八，干了二十一天，中间预支过五百
→ 3280. The extractor's other steps have already made the base: a stated total (``extract`` marks it), the
parts of one sum added up (``sums``), a rate times its periods (``rate_counts``). This step takes off
the parts said after it to have been paid toward it:

- paid back (还了三万, 才退五万, 结了八万: ``settle_partial_returns``, the pair said side by side),
- handed over by the other side (他给了一万五, 保险赔了六千, 佢过咗一千俾我: ``claims.handed_over``), not
  money brought along on a visit (厂长来过一回，拿了五千块 / 塞了两千 / 送来五千),
- advanced to the citizen or arrived (预支过五百, 借支八百, 六千已经到账),
- said with no one named, right after the total (总共八十六万，给了七十二万),
- listed after the times it was paid in (还了两回，一回八千一回五千 / 分三次还了，每次两千 / 陆陆续续还过
  几笔，一笔三千一笔两千; lexicon ``instalments``): paid back by either side, handed over by the other.

A sum said to be still owed (还差一万, 剩下的一万二) or asked for (``claims.CLAIMED``) is the citizen's
own reckoning already: nothing is taken off then. Money paid before the total is said (他给了五千就再没
给过，工钱一共两万) is not taken off either: the total may well be what is left.
"""

from __future__ import annotations

import functools
import re

from .claims import BELITTLED, CLAIMED, GIVEN, NOT_OWN, STATED_TOTAL, UNIT_AFTER, handed_over, other_acts
from .lexicon import alternation, lexicon
from .model import Fact
from .numbers import to_number
from .quantities import SENTENCE_BREAK, other_side
from .self_corrections import SUPERSEDED

# 借了他十万，还了三万 / 彩礼十八万八，只肯退五万 / 工程款二十万，结了八万: the later, smaller sum is a
# part the other side paid back; the sum in dispute is what is left. The verb needs a completed or
# consenting form (还了, 退回, 只肯退), so a demand (要求退五万, 还我三万) or 还欠 is never read as one.
# Money the other side (or its insurer) advanced (对方保险先垫了一万) is paid back too; the citizen's
# own advance (我自己垫了三万七) is the sum itself.
# 了 and its dialect forms (粤 咗, 陕 咧, 湘 哒): the paying back is done
_DONE_SUFFIXES = ("了", "过", "咗", "咧", "哒")
_RETURNED_BEFORE = re.compile(
    rf"(?P<verb>退还|退回|返还|结算|垫付|垫支|退|还|结|返|给|俾|畀|垫)(?P<sfx>{'|'.join(_DONE_SUFFIXES)}|回来|回)?(?P<to>给)?"
    r"(?:我们|俺们|咱们|我|俺|咱)?了?(?:一笔|一次|一回)?\s?$"  # 后来他还过一笔五千
)
_CONSENT_BEFORE = re.compile(r"(?:只|才|就|已经|已|先|肯|愿意|愿|答应|同意|陆续|总共|一共)$")
_DONE_BEFORE = re.compile(r"(?:只|才|已经|已|陆续)$")  # 才还五千 / 只还: done, not promised
# 只给了二十万 / 就给了五千 / 先俾咗五千: a part of the sum paid (补偿款三十二万，只给了二十万)
_PART_GIVEN_BEFORE = re.compile(r"(?:只|才|就|先|已经|已|头一回|第一回|第一次|之前)$")
_NEGATED_BEFORE = re.compile(r"[不没未别]\S{0,2}$")
_OWN_SIDE = re.compile(r"我|俺|阮|咱|自己|自家|本人")
_PAIR_GAP = 24
# 彩礼给了十八万八，三金另算。…她家上个月才退了五万: a return told a sentence later still pairs when it
# is plainly done and no other sum lies between.
_LONG_PAIR_GAP = 50


def _return_kind(s: str, fact: Fact, lead: str) -> str | None:
    """'done' (还了三万, 才退五万) or 'agreed' (只肯退五万) when ``lead`` (the text right before ``fact``)
    makes it money paid back, else None."""
    m = _RETURNED_BEFORE.search(lead)
    if not m:
        return None
    before = lead[: m.start()]
    if _NEGATED_BEFORE.search(before):
        return None  # 不肯退三万, 没还
    verb, sfx = m.group("verb"), m.group("sfx")
    if (
        verb in ("给", "俾", "畀")
        and sfx not in ("回", "回来")
        and s[fact.end : fact.end + 2] != "回来"
        and not (_PART_GIVEN_BEFORE.search(before) and sfx in _DONE_SUFFIXES)
    ):  # 他就给一千 is an offer; 他就给了五千 is paid
        return None  # 彩礼给了十八万八 is the sum given; 只给了二十万 / 先俾咗五千 is a part of it paid
    done = sfx in _DONE_SUFFIXES or bool(_DONE_BEFORE.search(before))
    if verb.startswith("垫"):
        clause = re.split(r"[，,。！？!?;；\n]", before)[-1]
        if not done or _OWN_SIDE.search(clause) or not other_side().search(clause):
            return None  # 我自己垫了三万七 / 先垫一万 (not yet done) / 垫了一万 (by whom?)
    if done:
        return "done"
    return "agreed" if m.group("sfx") or m.group("to") or _CONSENT_BEFORE.search(before) else None


def _returned_part(s: str, total: Fact, part: Fact) -> bool:
    """Whether ``part`` (after ``total``) is a share of it paid back: 借了他十万，还了三万."""
    gap = s[total.end : part.start]
    if len(gap) > _LONG_PAIR_GAP or "\n" in gap:
        return False
    kind = _return_kind(s, part, gap)
    if kind is None or (len(gap) > _PAIR_GAP and kind != "done"):
        return False
    return _return_kind(s, total, s[max(0, total.start - 8) : total.start]) is None


def settle_partial_returns(facts: list[Fact], s: str, original: str) -> list[Fact]:
    """A total followed by the smaller part returned of it becomes one fact worth the difference, with
    ``extra`` {"kind": "remaining", "total", "returned"}; the two figures' facts are replaced by it."""
    amounts = sorted((f for f in facts if f.entity == "amount"), key=lambda f: f.start)
    merged: list[tuple[Fact, Fact, Fact]] = []
    i = 0
    while i + 1 < len(amounts):
        total, part = amounts[i], amounts[i + 1]
        if (
            isinstance(total.value, int | float)
            and isinstance(part.value, int | float)
            and 0 < part.value < total.value
            and "per" not in total.extra
            and "per" not in part.extra
            and _returned_part(s, total, part)
        ):
            rest = Fact(
                "amount",
                to_number(total.value - part.value),
                total.start,
                part.end,
                original[total.start : part.end],
                approximate=total.approximate or part.approximate,
                extra={"kind": "remaining", "total": total.value, "returned": part.value},
            )
            merged.append((total, part, rest))
            i += 2
            continue
        i += 1
    if not merged:
        return facts
    gone = {id(f) for total, part, _ in merged for f in (total, part)}
    return [f for f in facts if id(f) not in gone] + [rest for _, _, rest in merged]


# 拿了五千块 / 塞了两千 / 送来五千: money brought along on a visit, never counted against the sum
_BROUGHT = ("拿", "送", "塞", "留")
# 预支过五百 / 借支了八百 / 预领两千: an advance on the pay owed
_ADVANCE_BEFORE = re.compile(r"(?:预支|借支|预领|预借|支取)(?:过|了|咗)*(?:我|我们)?\s?$")
# 六千已经到账 / 打过来了: money that arrived; 到账了六千 / 收到五千
_ARRIVED_AFTER = re.compile(rf"{UNIT_AFTER}\s?(?:已经|已|都|也)?(?:到账|到手|打过来|转过来|汇过来)")
_ARRIVED_BEFORE = re.compile(r"(?:到账|到手|收到|拿到)(?:了|咗)?\s?$")
# 总共八十六万，给了七十二万: a paying verb opening its clause, no one named (only adverbs before it)
_BARE_PAY = re.compile(
    r"^(?:后来|之前|前面|中间|当时|先后|前后|陆续|已经|已|先|只|才|就|又|再|也|总共|一共|年底|年前|过年|前天|昨天"
    r"|前几天|(?:上|这|前|今|去|头|第[一二三四五六七八九十\d]{1,2})个?(?:月|年|回|次|礼拜|星期|周|天|阵))*"
    rf"(?:给|付|赔|打|转|汇|结|还|退|俾|畀)(?:{'|'.join(_DONE_SUFFIXES)})+(?:我们|我|俺|阮)?(?:一笔|一次)?\s?$"
)
# 给了五千定金 / 付了两万首付: the citizen's own money handed over, never a part paid to them
_OWN_MONEY_AFTER = re.compile(rf"{UNIT_AFTER}\s?(?:的)?(?:定金|订金|押金|首付|彩礼|礼金|利息|好处费|保证金)")
_CLAUSE_BREAK = re.compile(r"[，,。！？!?;；、\s\n]")


@functools.lru_cache(maxsize=1)
def instalment_words() -> dict[str, str]:
    """Regex alternations of the lexicon's ``instalments`` words: ``verbs`` (return and give), ``give``,
    ``times``, ``spread``, ``each``, ``reckon``, and ``done`` (了 and its dialect forms)."""
    words = lexicon()["instalments"]
    out = {key: alternation(words[key]) for key in ("times", "spread", "each", "reckon")}
    out["verbs"] = alternation(words["return_verbs"] + words["give_verbs"])
    out["give"] = alternation(words["give_verbs"])
    out["done"] = "|".join(_DONE_SUFFIXES)
    return out


@functools.lru_cache(maxsize=1)
def _instalments() -> re.Pattern[str]:
    """还了两回，一回八千一回 / 分三次还了，每次 / 陆陆续续还过几笔，一笔三千一笔: the times a sum was paid
    in, then the parts listed (figures, their labels and separators only) up to the end."""
    w = instalment_words()
    count = r"(?:[两二三四五六七八九十\d]{1,3}|好几|几)"
    paid = rf"(?:清|完)?(?:{w['done']})(?:我们|俺们|我哋|我|俺|阮|咱)?"
    cue = (
        rf"(?:(?:{w['spread']})?(?P<verb>{w['verbs']}){paid}{count}(?:{w['times']})"
        rf"|(?:{w['spread']}){count}(?:{w['times']})(?P<verb2>{w['verbs']}){paid})(?:钱)?"
    )
    listing = (
        rf"(?:[\d.零一二两三四五六七八九十百千万块元钱蚊第头又再另后最先每各是，,、：:\s]"
        rf"|{w['times']}|{w['verbs']}|{w['done']}|{w['reckon']})*"
    )
    return re.compile(rf"{cue}{listing}$")


def _in_instalments(s: str, fact: Fact) -> bool:
    """Whether ``fact`` is one of the parts listed after the times a sum was paid in (还了两回，一回八千
    一回五千 / 分三次还了，每次两千): paid back by either side, or handed over by the other side."""
    at = max(0, fact.start - 40)
    lead = SENTENCE_BREAK.split(s[at : fact.start])[-1]
    m = _instalments().search(lead)
    if m is None or _NEGATED_BEFORE.search(lead[: m.start()]):
        return False  # 没还过几回
    verb = "verb" if m.group("verb") else "verb2"
    if not re.fullmatch(instalment_words()["give"], m.group(verb)):
        return True
    return other_acts(s, fact.start - len(lead) + m.start(verb))  # 老板给过两回, not 我分两次付了


def _said(rx: re.Pattern[str], clause: str) -> bool:
    m = rx.search(clause)
    return m is not None and not re.search(r"[没未不别]有?$", clause[: m.start()])  # 没预支过


def paid_part(s: str, fact: Fact) -> bool:
    """Whether the words around ``fact`` tell of money paid toward a sum: paid back, handed over by the
    other side, advanced to the citizen or arrived (not brought along on a visit, not promised)."""
    verb = handed_over(fact, s)
    if verb is not None:
        return verb not in _BROUGHT
    lead = s[max(0, fact.start - 12) : fact.start]
    if _return_kind(s, fact, lead) == "done" or _in_instalments(s, fact):
        return True
    clause = _CLAUSE_BREAK.split(lead)[-1]
    if _OWN_MONEY_AFTER.match(s, fact.end):
        return False
    return (
        _said(_ADVANCE_BEFORE, clause)
        or _said(_ARRIVED_BEFORE, clause)
        or _said(_BARE_PAY, clause)
        or bool(_ARRIVED_AFTER.match(s, fact.end))
    )


def _base(fact: Fact) -> bool:
    """Whether ``fact`` can be what the paid parts are taken off: a sum (or a rate times its periods)
    that is the citizen's own, neither a bare rate nor money handed over."""
    extra = fact.extra
    return (
        extra.get("per") is None
        and not extra.get(GIVEN)
        and not extra.get(NOT_OWN)
        and not extra.get(BELITTLED)
    )


def settle_ledger(facts: list[Fact], s: str, original: str) -> list[Fact]:
    """The base (a stated total, else the sum said last) less the parts said after it to be paid toward
    it, as one amount fact with ``extra`` {"kind": "remaining", "total", "returned", "paid"}, in place of
    the base and the parts. Nothing changes when the citizen names the sum still owed or asked for, when
    the parts paid come to the base or more, or when no base comes before them."""
    amounts = sorted(
        (
            f
            for f in facts
            if f.entity == "amount"
            and isinstance(f.value, int | float)
            and f.value > 0
            and not f.extra.get(SUPERSEDED)
        ),
        key=lambda f: f.start,
    )
    paid = [f for f in amounts if paid_part(s, f)]
    # the first part paid after a base: 他给了五千就再没给过，工钱一共两万 takes nothing off
    first = next(
        (p for p in paid if any(f.end <= p.start and f not in paid and _base(f) for f in amounts)), None
    )
    if first is None:
        return facts
    before = [f for f in amounts if f.end <= first.start and f not in paid and _base(f)]
    totals = [f for f in before if f.extra.get(STATED_TOTAL)]
    base = totals[-1] if totals else before[-1]
    if any(f.extra.get(CLAIMED) for f in amounts if f is not base):
        return facts  # 一共一万二，他中间给过两千，还差一万: the citizen names what is owed
    parts: list[Fact] = []
    last = base
    for fact in (f for f in amounts if f.start >= base.end):
        if fact not in paid:
            if _base(fact):
                break  # another sum said: the parts after it are not paid toward this one
            continue
        gap = s[last.end : fact.start]
        if len(gap) > _LONG_PAIR_GAP or "\n" in gap:
            break
        parts.append(fact)
        last = fact
    returned = sum(float(f.value) for f in parts)
    if not parts or returned >= float(base.value):
        return facts
    rest = Fact(
        "amount",
        to_number(float(base.value) - returned),
        base.start,
        last.end,
        original[base.start : last.end],
        approximate=base.approximate or any(f.approximate for f in parts),
        extra={
            "kind": "remaining",
            "total": base.value,
            "returned": to_number(returned),
            "paid": [f.value for f in parts],
        },
    )
    gone = {id(base), *(id(f) for f in parts)}
    return [f for f in facts if id(f) not in gone] + [rest]
