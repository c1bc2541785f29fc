"""Which facts an intake asks for, driven by the taxonomy (one mechanism for every category)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.intake import subtypes
from bot.taxonomy import category
from bot.textnorm import normalize_text

FACTS_FILE = Path(__file__).with_name("facts.yml")
CATEGORY_SLOT = "category"
CONSENT_SLOT = "consent"
CONFIRMED_SLOT = "confirmed"
DESCRIPTION_SLOT = "description"
# Figures said roughly (三万出头), and the name and phone given before consent (held until it).
APPROXIMATE_SLOT = "approximate"
HELD_CONTACT_SLOT = "held_contact"
# A sum the story names that is not yet the sum in dispute (an estate, a loan guaranteed, 三十多万):
# the amount is asked, and this is kept when the citizen cannot give a figure (bot/intake/story_sums.py).
STORY_AMOUNT_SLOT = "story_amount"
# Questions nobody could answer during the intake, and an answer at the confirmation that never became
# clear: both go on the staff summary.
QUESTIONS_SLOT = "citizen_questions"
UNCONFIRMED_SLOT = "unconfirmed_answer"
PERSONAL_FACTS = ("applicant_name", "phone")
SUB_TYPE_SLOT = subtypes.SUB_TYPE_SLOT


@dataclass(frozen=True)
class FactSpec:
    name: str
    label: str
    kind: str
    personal: bool = False
    entity: str | None = None
    aliases: tuple[str, ...] = ()
    asked_only: bool = False  # a date that means something only as the answer to its own question
    also_fills: str | None = None  # its answer also fills this fact when still empty (one question, not two)


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def fact_specs() -> dict[str, FactSpec]:
    return {
        name: FactSpec(name=name, **{**fields, "aliases": tuple(fields.get("aliases", ()))})
        for name, fields in _raw()["facts"].items()
    }


def skip_words() -> tuple[str, ...]:
    return tuple(_raw()["skip_words"])


def yes_words() -> tuple[str, ...]:
    return tuple(str(w) for w in _raw().get("yes_words") or ())


def no_change_words() -> tuple[str, ...]:
    return tuple(str(w) for w in _raw().get("no_change_words") or ())


def consent_question_words() -> tuple[str, ...]:
    return tuple(_raw().get("consent_questions") or ())


def derived_flag_words() -> dict[str, tuple[str, ...]]:
    return {flag: tuple(words) for flag, words in (_raw().get("derived_flags") or {}).items()}


def unknown_marker() -> str:
    return str(_raw()["unknown"])


def facts_to_ask(
    category_code: str | None, consent: bool | None, sub_type: str | None = None, story: str = ""
) -> list[str]:
    """The facts this intake asks, in order: name and phone only with consent, then the sub-type's
    questions (or the category's) and the first of its optional ones, the amount first whenever money
    is part of the story. Any other fact the citizen states is kept all the same (``kept_besides``)."""
    if not category_code:
        return []
    personal = list(PERSONAL_FACTS) if consent else []
    return personal + _required(category_code, sub_type) + _optional(category_code, sub_type, story)


def _required(category_code: str, sub_type: str | None) -> list[str]:
    sub = subtypes.get(category_code, sub_type)
    if sub is not None and sub.required is not None:
        return list(sub.required)
    return list(category(category_code).required)


def _optional(category_code: str, sub_type: str | None, story: str) -> list[str]:
    sub = subtypes.get(category_code, sub_type)
    optional = (
        list(sub.optional)
        if sub is not None and sub.optional is not None
        else list(category(category_code).optional)
    )
    if "amount_yuan" not in _required(category_code, sub_type) and subtypes.money_in_story(story):
        optional = ["amount_yuan", *(n for n in optional if n != "amount_yuan")]
    worth = optional_worth_asking()
    asked = [n for n in optional if n in worth][: optional_questions()]
    if (
        "headcount" not in asked
        and "headcount" not in _required(category_code, sub_type)
        and tells_of_group(story)
    ):
        asked.append("headcount")
    return asked


def relation_words() -> tuple[str, ...]:
    return tuple(str(w) for w in _raw().get("relation_words") or ())


def tells_of_group(story: str) -> bool:
    """Whether the story speaks for a group without a count (facts.yml ``group_words``)."""
    said = normalize_text(story or "")
    return any(word in said for word in _raw().get("group_words") or ())


def optional_worth_asking() -> tuple[str, ...]:
    """The optional facts that change how a case is handled (the sum, how many, the children): the
    only ones ever asked (facts.yml); evidence, demand and the like are kept when said."""
    return tuple(str(n) for n in _raw().get("optional_worth_asking") or ())


def optional_questions() -> int:
    """How many optional questions an intake asks (facts.yml): each is one more turn on a phone."""
    return int(_raw().get("optional_questions", 99))


def _intake_of(slots: dict[str, Any]) -> tuple[str | None, bool | None, str | None, str]:
    """(category, consent, sub-type, story): what decides the questions, read from the slots."""
    return (
        slots.get(CATEGORY_SLOT),
        slots.get(CONSENT_SLOT),
        slots.get(SUB_TYPE_SLOT),
        slots.get(DESCRIPTION_SLOT) or "",
    )


def facts_of(slots: dict[str, Any]) -> list[str]:
    """``facts_to_ask`` for the intake these slots describe."""
    return facts_to_ask(*_intake_of(slots))


def kept_besides(asked: list[str], consent: bool | None) -> list[str]:
    """Every fact an intake keeps, asked or not: the questions (``asked``) first, then any other fact
    the citizen stated (money in a family case, a group in a land case …). The category and sub-type
    only decide what to ask."""
    specs = fact_specs()
    rest = [
        n
        for n, spec in specs.items()
        if n not in asked and (consent or n not in PERSONAL_FACTS) and not spec.asked_only
    ]
    return asked + rest


def facts_kept_of(slots: dict[str, Any]) -> list[str]:
    """``kept_besides`` the questions of the intake these slots describe."""
    return kept_besides(facts_of(slots), slots.get(CONSENT_SLOT))


def required_slots_of(slots: dict[str, Any]) -> list[str]:
    """``required_slots`` for the intake these slots describe."""
    return required_slots(*_intake_of(slots))


def required_slots(
    category_code: str | None, consent: bool | None, sub_type: str | None = None, story: str = ""
) -> list[str]:
    """The form's slots: category, the sub-type when the category has several, consent, the facts,
    and the confirmation."""
    if not category_code:
        return [CATEGORY_SLOT]
    asking_sub_type = [SUB_TYPE_SLOT] if subtypes.needs_question(category_code) else []
    facts = facts_to_ask(category_code, consent, sub_type, story)
    return [CATEGORY_SLOT, *asking_sub_type, CONSENT_SLOT, *facts, CONFIRMED_SLOT]


def is_optional(category_code: str | None, fact: str, sub_type: str | None = None) -> bool:
    return bool(category_code) and fact not in _required(category_code or "", sub_type)
