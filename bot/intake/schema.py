"""Which facts an intake asks for, driven by the taxonomy (one mechanism for every category)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.taxonomy import category

FACTS_FILE = Path(__file__).with_name("facts.yml")
CATEGORY_SLOT = "category"
CONSENT_SLOT = "consent"
CONFIRMED_SLOT = "confirmed"
PERSONAL_FACTS = ("applicant_name", "phone")


@dataclass(frozen=True)
class FactSpec:
    name: str
    label: str
    kind: str
    personal: bool = False
    entity: str | None = None
    aliases: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def fact_specs() -> dict[str, FactSpec]:
    return {
        name: FactSpec(name=name, **{**fields, "aliases": tuple(fields.get("aliases", ()))})
        for name, fields in _raw()["facts"].items()
    }


def skip_words() -> tuple[str, ...]:
    return tuple(_raw()["skip_words"])


def consent_question_words() -> tuple[str, ...]:
    return tuple(_raw().get("consent_questions") or ())


def derived_flag_words() -> dict[str, tuple[str, ...]]:
    return {flag: tuple(words) for flag, words in (_raw().get("derived_flags") or {}).items()}


def unknown_marker() -> str:
    return _raw()["unknown"]


def facts_to_ask(category_code: str | None, consent: bool | None) -> list[str]:
    """The facts of this category in asking order; name and phone only with consent."""
    if not category_code:
        return []
    found = category(category_code)
    personal = list(PERSONAL_FACTS) if consent else []
    return personal + list(found.required) + list(found.optional)


def facts_kept(category_code: str | None, consent: bool | None) -> list[str]:
    """Every fact an intake keeps, asked or not: the category's questions first, then any other fact
    the citizen stated (money in a family case, a group in a land case …). The category only decides
    what to ask."""
    asked = facts_to_ask(category_code, consent)
    rest = [n for n in fact_specs() if n not in asked and (consent or n not in PERSONAL_FACTS)]
    return asked + rest


def required_slots(category_code: str | None, consent: bool | None) -> list[str]:
    """The form's slots: category first, then consent, the facts, and the confirmation."""
    if not category_code:
        return [CATEGORY_SLOT]
    return [CATEGORY_SLOT, CONSENT_SLOT, *facts_to_ask(category_code, consent), CONFIRMED_SLOT]


def is_optional(category_code: str | None, fact: str) -> bool:
    return bool(category_code) and fact in category(category_code).optional
