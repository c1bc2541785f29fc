"""Helpers for the fact-extraction tests (a uniquely named module, so other test folders' conftest.py
files can never shadow it)."""

from __future__ import annotations

import datetime as dt

from bot.facts import Fact, extract_facts

NOW = dt.datetime(2026, 5, 10, 10, 0, 0)


def facts_of(text: str, entity: str | None = None, now: dt.datetime = NOW) -> list[Fact]:
    """Facts of one entity type (or all), in text order."""
    return [f for f in extract_facts(text, now) if entity is None or f.entity == entity]


def values_of(text: str, entity: str, now: dt.datetime = NOW) -> list:
    """Normalised values of one entity type, in text order."""
    return [f.value for f in facts_of(text, entity, now)]
