"""A sum the story names that is not yet the sum in dispute: an estate shared by heirs, a loan the
citizen guaranteed (``amount_answers.story_sum``), or a round figure said roughly (三十多万, 十几万). The amount
question is asked instead of taking it; the story's figure is kept and used when the citizen cannot
give one ("不清楚") or the intake never asks. A settled figure (欠我四万九) is held as well and the
question asks to confirm it ("涉及金额按49000元登记，对吗？"): the sum is what mediation is about, and
a citizen who miscounted or was paid part since says so only when asked."""

from __future__ import annotations

import re
from typing import Any

from bot.facts.ledger import paid_part
from bot.facts.model import Fact
from bot.facts.textnorm import normalise
from bot.intake.amount_answers import story_sum
from bot.intake.answer_basics import entity_values
from bot.intake.schema import APPROXIMATE_SLOT, STORY_AMOUNT_SLOT, unknown_marker
from bot.intake.yes import says_yes

AMOUNT = "amount_yuan"
# 三十多万, 十几万, 几十万, 几万: a sum whose unknown part is ten thousand yuan or more, or whose size is
# itself vague. 三万多 or 七千多 stay: close enough for the ticket, marked approximate.
_COARSE = re.compile(r"(?:十[多几来]万|几十万|几万|十万多)")


def _coarse(entity: dict[str, Any]) -> bool:
    return bool(entity.get("approximate")) and bool(_COARSE.search(str(entity.get("text") or "")))


def defer(updates: dict[str, Any], entities: list[dict[str, Any]], text: str) -> None:
    """Hold back the story's sum (``updates`` of a new intake) when it is not settled, so it is asked."""
    unsettled = story_sum(entities, text)
    if unsettled is not None and updates.get(AMOUNT) is None:
        updates[STORY_AMOUNT_SLOT] = {
            "value": unsettled["value"],
            "approx": bool(unsettled.get("approximate")),
        }
        return
    value = updates.get(AMOUNT)
    if not isinstance(value, int | float) or value <= 0:
        return
    rough = [e for e in entity_values(entities, "amount") if e.get("value") == value and _coarse(e)]
    approx = bool(rough) or AMOUNT in (updates.get(APPROXIMATE_SLOT) or [])
    updates[STORY_AMOUNT_SLOT] = {"value": value, "approx": approx, "settled": not rough}
    updates[AMOUNT] = None
    marks = [n for n in updates.get(APPROXIMATE_SLOT) or [] if n != AMOUNT]
    if APPROXIMATE_SLOT in updates:
        updates[APPROXIMATE_SLOT] = marks or None


def held_figure(slots: dict[str, Any]) -> str | None:
    """The settled story figure the amount question asks to confirm ("约8000元"), else None."""
    held = slots.get(STORY_AMOUNT_SLOT)
    if not isinstance(held, dict) or not held.get("settled") or slots.get(AMOUNT) not in (None, ""):
        return None
    value = held.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{'约' if held.get('approx') else ''}{value}元"


def affirmed(
    updates: dict[str, Any], slots: dict[str, Any], text: str, entities: list[dict[str, Any]]
) -> bool:
    """ "对" / "没错" to the confirmation of the story's figure (no figure said), or an answer whose only
    sums were paid toward it ("押金就是两个月房租 退了800 剩下的都被扣了": the story already took the 800
    off): the figure is the answer."""
    if held_figure(slots) is None:
        return False
    said = entity_values(entities, "amount")
    if (said or not says_yes(text)) and not (said and _only_paid_toward(text, said)):
        return False
    held = slots[STORY_AMOUNT_SLOT]
    updates[AMOUNT] = held["value"]
    if held.get("approx"):
        updates[APPROXIMATE_SLOT] = sorted({*(slots.get(APPROXIMATE_SLOT) or []), AMOUNT})
    return True


def kept(slots: dict[str, Any], answered: Any) -> tuple[Any, bool] | None:
    """(the story's figure, approximate) when the amount answer gives none (``answered`` unknown or
    empty) and the story named one; else None."""
    held = slots.get(STORY_AMOUNT_SLOT)
    if not isinstance(held, dict) or answered not in (None, "", unknown_marker()):
        return None
    return held.get("value"), bool(held.get("approx"))


def when_unknown(updates: dict[str, Any], slots: dict[str, Any], requested: str | None) -> None:
    """The amount question answered without a figure ("不清楚"): the story's figure is the answer."""
    held = kept(slots, updates[AMOUNT]) if requested == AMOUNT and AMOUNT in updates else None
    if held is not None:
        updates[AMOUNT] = held[0]
        if held[1]:
            updates[APPROXIMATE_SLOT] = sorted({*(slots.get(APPROXIMATE_SLOT) or []), AMOUNT})


def _only_paid_toward(text: str, sums: list[dict[str, Any]]) -> bool:
    plain = normalise(text)
    return all(paid_part(plain, Fact.from_entity(e)) for e in sums)
