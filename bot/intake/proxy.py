"""代填: staff (grid workers, window clerks) type or paste the citizen's account in the citizen's words;
this proposes what the bot would have understood — category, sub-type, facts, risk — for the worker to
correct before filing, and turns the corrected form into the same slots the dialogue files from
(``bot.intake.ticketing.build_record``), so routing, deadlines, the risk screen and case codes apply
unchanged.

With Rasa's ``/model/parse`` answer (the caller asks when Rasa is reachable) the category is the
model's intent when it is clear and the facts are its entities (the same ``bot.facts`` rules, run with
spaCy, jieba and jionlp). Without it the taxonomy's own cues decide the category — the sub-types'
keywords (``subtypes.yml``) and the categories' names — and ``bot.facts`` runs here with what is
installed (the intake service's environment has no spaCy/jionlp: amounts, headcounts, phones, ID
numbers and dates are found; names, the other party, places and evidence are left to the worker).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.facts import extract_facts
from bot.intake import subtypes
from bot.intake.answers import facts_from_entities
from bot.intake.dialogue import clear_category
from bot.intake.schema import (
    CATEGORY_SLOT,
    CONSENT_SLOT,
    DESCRIPTION_SLOT,
    SUB_TYPE_SLOT,
    fact_specs,
    facts_to_ask,
    kept_besides,
)
from bot.risk import RiskAssessment, screen
from bot.taxonomy import OTHER, categories, category_named_in
from bot.textnorm import normalize_text
from bot.tickets.records import number_of

MAX_TEXT = 2000
_NUMBERS: dict[str, type] = {
    "amount_yuan": float,
    "headcount": int,
}  # a longer paste is cut: the worker summarises, the form is not a document store


@dataclass
class Proposal:
    """What the form shows first; ``source`` says where the category came from (model, keywords,
    none: the worker picks)."""

    text: str
    category: str
    source: str
    sub_type: str | None
    facts: dict[str, Any]
    fields: list[str]
    risk: RiskAssessment
    candidates: list[str] = field(default_factory=list)


def keyword_scores(text: str) -> dict[str, int]:
    """Per category: how often the text uses its sub-types' keywords (weighted) and its names."""
    said = normalize_text(text or "")
    scores: dict[str, int] = {}
    for code, options in subtypes.subtypes().items():
        hits = sum(subtypes.keyword_hits(said, sub.keywords) * sub.weight for sub in options.values())
        if hits:
            scores[code] = hits
    named = category_named_in(said, disputes_only=True)
    if named is not None:
        scores[named.code] = scores.get(named.code, 0) + 2
    return scores


def keyword_category(text: str, risk: RiskAssessment | None = None) -> str | None:
    """The category the taxonomy's cues point to; None when none does or two tie."""
    implied = subtypes.from_risk(list((risk or screen(text)).kinds))
    if implied:
        return implied[0]
    ranked = sorted(keyword_scores(text).items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def propose(
    text: str,
    parse: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Proposal:
    """The proposal for ``text``; ``parse`` is Rasa's ``/model/parse`` answer when available."""
    text = (text or "").strip()[:MAX_TEXT]
    risk = screen(text)
    code, source = None, "none"
    if parse:
        code = clear_category(parse.get("intent") or {}, parse.get("intent_ranking") or [])
        source = "model" if code else "none"
    if code is None:
        code = keyword_category(text, risk)
        source = "keywords" if code else source
    scores = keyword_scores(text)
    candidates = sorted(scores, key=lambda c: scores[c], reverse=True)[:3]
    category_code = code or OTHER
    sub_type = subtypes.detect(category_code, text)
    entities = (parse or {}).get("entities") or [f.as_entity("bot.facts") for f in extract_facts(text, now)]
    asked = facts_to_ask(category_code, True, sub_type, text)
    wanted = kept_besides(asked, True)
    facts = facts_from_entities(entities, fact_specs(), wanted, text)
    return Proposal(
        text=text,
        category=category_code,
        source=source,
        sub_type=sub_type,
        facts=facts,
        fields=asked,
        risk=risk,
        candidates=candidates,
    )


def form_fields(category_code: str, sub_type: str | None, text: str, facts: dict[str, Any]) -> list[str]:
    """The facts the form shows: the category's questions (name and phone first), then any other
    fact already filled."""
    asked = facts_to_ask(category_code, True, sub_type, text)
    return asked + [n for n in fact_specs() if n not in asked and facts.get(n) not in (None, "")]


def _number(value: Any, kind: type) -> Any:
    number = number_of(value, kind)
    return value if number is None else number


def slots_from_form(
    text: str, category_code: str, sub_type: str | None, facts: dict[str, Any], consent: bool
) -> dict[str, Any]:
    """The dialogue's slots for the corrected form (empty fields are left unknown). Without consent
    nothing personal is kept, as in the chat."""
    if category_code not in categories():
        category_code = OTHER
    if not subtypes.get(category_code, sub_type):
        sub_type = None
    slots: dict[str, Any] = {
        DESCRIPTION_SLOT: (text or "").strip()[:MAX_TEXT],
        CATEGORY_SLOT: category_code,
        SUB_TYPE_SLOT: sub_type,
        CONSENT_SLOT: bool(consent),
        "category_name": categories()[category_code].name,
    }
    for name in fact_specs():
        value = facts.get(name)
        if isinstance(value, str):
            value = value.strip()[:500]
        if name in _NUMBERS and value not in (None, ""):  # typed "80000": a number ("八万多" stays text)
            value = _number(value, _NUMBERS[name])
        if value not in (None, ""):
            slots[name] = value
    return slots
