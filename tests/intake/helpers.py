"""Shared by the intake tests: a citizen's answer at a step, read by the dialogue with the facts the
NLU's fact extractor would attach."""

from __future__ import annotations

from typing import Any

from bot.facts import extract_facts
from bot.intake import dialogue
from bot.intake.turn import Turn


def answer(slots: dict[str, Any], requested: str, text: str, intent: str = "out_of_scope") -> Turn:
    entities = [f.as_entity() for f in extract_facts(text)]
    turn = dialogue.answer_turn(slots, requested, text, intent, entities)
    assert turn is not None
    return turn


def told_sum(updates: dict[str, Any]) -> Any:
    """The sum a story told: taken, or held for the citizen to confirm (bot/intake/story_sums.py)."""
    if updates.get("amount_yuan") is not None:
        return updates["amount_yuan"]
    return (updates.get("story_amount") or {}).get("value")
