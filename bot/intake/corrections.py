"""Apply a free-text correction at the confirmation step (电话写错了，是139…)."""

from __future__ import annotations

import re
from typing import Any

from bot.intake.answers import read_answer
from bot.intake.schema import DESCRIPTION_SLOT, FactSpec, fact_specs, facts_kept_of

_VALUE_AFTER = re.compile(r"(?:应该是|改成|改为|换成|是|为|叫|在)[:：\s]*(.+)$")


def _named_field(text: str, specs: list[FactSpec]) -> FactSpec | None:
    best: tuple[int, FactSpec] | None = None
    for spec in specs:
        for alias in (spec.label, *spec.aliases):
            position = text.find(alias)
            if position >= 0 and (best is None or position < best[0]):
                best = (position, spec)
    return best[1] if best else None


def apply_correction(
    text: str, intent: str | None, entities: list[dict[str, Any]], slots: dict[str, Any]
) -> dict[str, Any]:
    """The fact updates a correction message asks for; empty when none could be read."""
    # without the story: money in it would move the amount to the front and change which alias wins
    names = facts_kept_of({**slots, DESCRIPTION_SLOT: None})
    specs = [fact_specs()[n] for n in names]
    updates: dict[str, Any] = {}
    named = _named_field(text, specs)
    if named is not None:
        match = _VALUE_AFTER.search(text)
        tail = match.group(1).strip(" 。.！!") if match else text
        answer = read_answer(named, tail, intent, entities)
        if answer.ok:
            updates[named.name] = answer.value
    for spec in specs:  # other facts stated with a recognisable value (a phone, an amount …)
        if spec.name in updates or not spec.entity:
            continue
        if any(e.get("entity") == spec.entity for e in entities or []):
            answer = read_answer(spec, text, intent, entities)
            if answer.ok and answer.value != slots.get(spec.name):
                if spec.entity == "counterparty" and named is not None:
                    continue
                updates[spec.name] = answer.value
    return updates
