"""extract_facts: runs every extractor over one normalised copy of the text and resolves overlaps.

Priority when spans overlap: id_number > phone > headcount > amount > time, so the digits of a phone
number never become an amount, 三个月 stays a duration and 十几个人 a headcount.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.textnorm import SPACE_BETWEEN_CJK, typed_apart

from .claims import BELITTLED, CLAIMED, GIVEN, STATED_TOTAL, mark_claims
from .contact import extract_ids, extract_phones
from .head_ledger import LEDGER, settle_headcounts
from .headcount import extract_headcounts
from .ledger import settle_ledger, settle_partial_returns
from .location import extract_locations
from .model import Fact
from .quantities import EN_TOTAL_AFTER, extract_amounts
from .rate_counts import settle_per_person, settle_rate_counts
from .rules import extract_own_name, extract_rules
from .self_corrections import SUPERSEDED, settle_corrections
from .sums import INCLUDING_TOTAL, settle_summed_parts
from .textnorm import normalise
from .timex import extract_times

log = logging.getLogger(__name__)
MAX_CHARS = 20_000  # a longer paste is truncated for extraction (offsets stay valid: it is a prefix)
_TOTAL_WORDS = re.compile(r"(?:一共|总共|共计|合计|总计|加起来|总额|总数|共)(?P<tail>\S{0,3})$")
# 丧事总共才花三万多 / 一共只有两千 / 总共也就五百: a total that belittles the sum is no claim.
_BELITTLING = re.compile(r"(?:才|只|仅|就(?!是)|也就|不过|还不到|都不到|不到)")
# The citizen's own reckoning: 算下来违约金两万一 / 阮算过差不多有六万六 / 一年就是七千二 / total 38000.
_RECKONING = re.compile(
    r"(?:算下来|算起来|算过|算了一下|算了算|算一算|算一下|合起来|加在一起|加一起|加一块|加在一块|拢共|统共"
    r"|连利息|连本带利|连本带息|本息|加上利息|加利息|算上利息)"  # 银行讲连利息是六万三千多
    r"[^\d，,。！？!?;；\n]{0,6}$"
    r"|就是(?:差不多|大概|将近|快)?\s?$"
    r"|(?:^|[，,。！？!?;；\s])(?:我|阮|俺|咱|全部|前后)?差不多有\s?$"
    r"|(?i:\b(?:in total|altogether|total(?: is| of)?)\s?[:：]?\s?)$"
)
_PERIOD_RANK = {"day": 0, "month": 1, "year": 2}


_MISSING: set[str] = set()


def _safe(fn: Callable[..., list[Fact]], *args: Any) -> list[Fact]:
    try:
        return fn(*args)
    except ModuleNotFoundError as exc:  # e.g. the intake service's environment has no spaCy/jionlp
        if exc.name not in _MISSING:
            _MISSING.add(str(exc.name))
            log.warning(
                "fact extractor %s skipped: %s is not installed", getattr(fn, "__name__", fn), exc.name
            )
        return []
    except Exception:  # one broken extractor must not lose the others' facts
        log.exception("fact extractor %s failed", getattr(fn, "__name__", fn))
        return []


def extract_facts(text: str, now: dt.datetime | None = None) -> list[Fact]:
    """All facts in ``text`` (offsets into ``text`` as given), sorted by position; never raises."""
    if not isinstance(text, str) or not text.strip():
        return []
    if typed_apart(text[:MAX_CHARS]):  # read without the spaces, offsets mapped back to the text given
        return _read_together(text[:MAX_CHARS], now)
    return _extract(text, now)


def _read_together(text: str, now: dt.datetime | None) -> list[Fact]:
    kept = [i for i, _ in enumerate(text) if not SPACE_BETWEEN_CJK.match(text, i)]
    joined = "".join(text[i] for i in kept)
    # phones and IDs are read as typed (bot.facts.contact knows digits typed apart and what may follow)
    s = normalise(text)
    facts = [*_safe(extract_ids, s, text), *_safe(extract_phones, s, text)]
    for fact in _extract(joined, now):
        if fact.entity in ("phone", "id_number"):
            continue
        start, end = kept[fact.start], kept[fact.end - 1] + 1 if fact.end > fact.start else kept[fact.start]
        facts.append(replace(fact, start=start, end=end, text=text[start:end]))
    return sorted(facts, key=lambda f: (f.start, f.end, f.entity))


def _extract(text: str, now: dt.datetime | None) -> list[Fact]:
    now = now or dt.datetime.now()
    if now.tzinfo is not None:
        now = now.astimezone().replace(tzinfo=None)
    original = text[:MAX_CHARS]
    try:
        s = normalise(original)
    except Exception:  # pragma: no cover - normalise is total, this is belt and braces
        log.exception("normalise failed")
        return []
    taken: list[Fact] = []
    result: list[Fact] = []
    for fn in (extract_ids, extract_phones, extract_headcounts, extract_amounts):
        for fact in _safe(fn, s, original):
            if not fact.overlaps(taken):
                taken.append(fact)
                result.append(fact)
    places = [f for f in _safe(extract_locations, s, original) if not f.overlaps(taken)]
    result.extend(places)
    amount_starts = [f.start for f in result if f.entity == "amount"]
    for fact in _safe(extract_times, s, original, now, amount_starts):
        if not fact.overlaps(taken) and not fact.overlaps(places):  # 3号楼 is not the 3rd
            result.append(fact)
    for fn in (extract_rules, extract_own_name):
        for fact in _safe(fn, s, original):
            if not fact.overlaps([t for t in taken if t.entity in ("id_number", "phone")]):
                result.append(fact)
    own = [f for f in result if f.entity == "person_name"]
    # 叫我老王就行: the citizen's own nickname is not the other party
    result = [f for f in result if f.entity != "counterparty" or not f.overlaps(own)]
    result = settle_per_person(result, s, original)  # 俩表哥一人七千: two shares, 14000
    # 第一批两万三，第二批两万八…只还五千五: the parts are added before the part paid back is taken off
    result = settle_summed_parts(result, s, original)  # 彩礼十八万八，还有三金一万二: one sum in parts
    result = settle_partial_returns(result, s, original)  # after times, which may sit between the two sums
    result = settle_rate_counts(result, s, original)  # 每月八百，拖了三个月: the product is the sum
    result = settle_summed_parts(result, s, original)  # 每月八百，拖了三个月，还有押金两千
    result = settle_corrections(result, s, original)  # 5280……等下我看错了，是5820
    result.sort(key=lambda f: (f.start, f.end, f.entity))
    _mark_totals(result, s)
    mark_claims(result, s)  # 他该出的一万五没给 / 厂长拿了五千块 / 老爷子留了二十万存款
    # 算下来四万二，他给了一万五 / 总共八十六万，给了七十二万: the parts paid are taken off the total
    result = settle_ledger(result, s, original)
    # 木工这边十四个，钢筋的十一个 / 原来十三户，搬走了两户: the groups added, those who left taken off
    result = settle_headcounts(result, s, original)
    result.sort(key=lambda f: (f.start, f.end, f.entity))
    _mark_main_group(result, s)
    return result


MAIN_GROUP = "main_group"
# 连我九个人，小刘走了，剩下俺们八个都没拿着: the group left is the one the dispute is about
_REST_OF_GROUP = re.compile(r"(?:剩下|剩余|其余|余下|还剩)(?:的)?\S{0,3}$")


def _mark_main_group(facts: list[Fact], s: str) -> None:
    """Mark the headcount the dispute is about (``extra["main_group"]``): the group said to be left
    (剩下俺们八个), else the last the headcount ledger reckoned (parts added, those who left taken off),
    else the largest; every reader of the facts takes the same one."""
    groups = [f for f in facts if f.entity == "headcount" and isinstance(f.value, int)]
    if not groups:
        return
    rest = [f for f in groups if _REST_OF_GROUP.search(s[max(0, f.start - 6) : f.start])]
    reckoned = [f for f in groups if f.extra.get(LEDGER)]
    chosen = rest[-1] if rest else reckoned[-1] if reckoned else max(groups, key=lambda f: f.value)
    chosen.extra[MAIN_GROUP] = True


def _mark_totals(facts: list[Fact], s: str) -> None:
    """Mark the sums the citizen states as their total or own reckoning (``extra["stated_total"]``), so
    every reader of the facts (``facts_dict``, the intake's answers) takes the same one."""
    known = [f for f in facts if f.entity == "amount" and f.value is not None]
    for fact in known:
        if _is_total(fact, s, known):
            fact.extra[STATED_TOTAL] = True


def _is_total(fact: Fact, s: str, known: list[Fact]) -> bool:
    """Whether the citizen states ``fact`` as their total: 一共二十万 (not 一共才两千), or their own
    reckoning (算下来…, 就是…, total …). A reckoned rate counts only over a shorter rate said before it
    (一个月六百，一年就是七千二), so 算下来一天才一百 stays a rate."""
    lead = s[max(0, fact.start - 6) : fact.start]
    m = _TOTAL_WORDS.search(lead)
    if m:
        if _BELITTLING.match(m.group("tail")):
            fact.extra[BELITTLED] = True  # 丧事总共才花三万多: a figure argued against, no claim
            return False
        return True
    lead = s[max(0, fact.start - 16) : fact.start]
    if INCLUDING_TOTAL.search(lead):  # 九千没算夜班的，加上是一万零八百
        return "per" not in fact.extra
    if not (_RECKONING.search(lead) or EN_TOTAL_AFTER.match(s, fact.end)):
        return False
    if _BELITTLING.search(lead[-3:]):
        return False
    per = fact.extra.get("per")
    if per is None:
        return True
    rank = _PERIOD_RANK.get(per)
    return rank is not None and any(
        _PERIOD_RANK.get(str(f.extra.get("per")), 99) < rank for f in known if f.start < fact.start
    )


def _best_amount(facts: list[Fact], s: str) -> Fact | None:
    amounts = [f for f in facts if f.entity == "amount" and not f.extra.get(SUPERSEDED)]
    if not amounts:
        return None
    known = [f for f in amounts if f.value is not None]
    # 厂长拿了五千块: money the other side gave is no sum in dispute when another is said
    known = [f for f in known if not f.extra.get(GIVEN)] or known
    totals = [f for f in known if f.extra.get(STATED_TOTAL)]
    claimed = [f for f in known if f.extra.get(CLAIMED)]
    if claimed and not any(t.start > claimed[-1].start for t in totals):
        return claimed[-1]  # 总共花了两万一…要他们把一万四拿出来: the sum asked for, not the expense
    if totals:
        return totals[-1]
    remaining = [f for f in known if f.extra.get("kind") == "remaining"]
    if remaining:  # 借了他十万，还了三万: what is left is the sum in dispute
        return remaining[-1]
    lumps = [f for f in known if "per" not in f.extra]
    pool = lumps or known
    return max(pool, key=lambda f: f.value) if pool else amounts[0]


def facts_dict(text: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """One best value per entity for form slots; ``evidence`` is the list of distinct evidence names.

    amount: a sum introduced by 一共/总共 (not 一共才) or by the citizen's own reckoning (算下来, 就是,
    total) wins, the last such; else what is left after a part paid back, else the largest lump sum;
    headcount: the group the dispute is about (``extra["main_group"]``, see ``_mark_main_group``);
    phone/id_number: the first valid one; person_name: a full name over a bare surname.
    """
    facts = extract_facts(text, now)
    s = normalise(text[:MAX_CHARS]) if isinstance(text, str) and text else ""
    out: dict[str, Any] = {}
    best_amount = _best_amount(facts, s)
    if best_amount is not None:
        out["amount"] = best_amount.value
    heads = [f for f in facts if f.entity == "headcount"]
    if heads:
        main = [f for f in heads if f.extra.get(MAIN_GROUP)]
        out["headcount"] = main[0].value if main else max(f.value for f in heads)
    for entity in ("phone", "id_number"):
        valid = [f for f in facts if f.entity == entity and f.valid and not f.extra.get(SUPERSEDED)]
        if valid:
            out[entity] = valid[0].value
    names = [f for f in facts if f.entity == "person_name"]
    if names:
        full = [f for f in names if not f.extra.get("surname_only")]
        out["person_name"] = (full or names)[0].value
    for entity in ("time", "counterparty"):
        found = [f for f in facts if f.entity == entity]
        if found:
            out[entity] = found[0].value
    locations = [f for f in facts if f.entity == "location"]
    if locations:
        # the most specific place (most filled fields) is the one that finds the jurisdiction
        out["location"] = max(locations, key=lambda f: sum(v is not None for v in f.value.values())).value
    evidence = [f.value for f in facts if f.entity == "evidence" and not f.extra.get("negated")]
    if evidence:
        out["evidence"] = list(dict.fromkeys(evidence))
    return out
