"""The consent step: a yes (taking the name held before it), a no, a question why, or asked again once."""

from __future__ import annotations

from typing import Any

from bot.intake.consent_reading import consents, refuses_consent
from bot.intake.schema import CONSENT_SLOT, HELD_CONTACT_SLOT, consent_question_words
from bot.intake.turn import Turn


def consent_answer(
    turn: Turn, slots: dict[str, Any], text: str, intent: str | None, phone: str | None
) -> None:
    if consents(text, intent):
        turn.updates[CONSENT_SLOT] = True
        held = slots.get(HELD_CONTACT_SLOT) or {}
        if held.get("applicant_name") and not slots.get("applicant_name"):
            turn.updates["applicant_name"] = held["applicant_name"]
        if phone and not slots.get("phone") and not held.get("phone"):
            turn.updates["phone"] = phone
    elif refuses_consent(text, intent):
        turn.updates[CONSENT_SLOT] = False
    elif any(word in text for word in consent_question_words()):
        turn.updates[CONSENT_SLOT] = None  # answered; the form asks again
        turn.say("utter_consent_why")
    else:
        reasked = list(slots.get("reasked") or [])
        if CONSENT_SLOT in reasked:
            turn.updates[CONSENT_SLOT] = False  # no clear yes: nothing personal is collected
        else:
            turn.updates["reasked"] = [*reasked, CONSENT_SLOT]
            turn.updates[CONSENT_SLOT] = None
            turn.say("utter_reask_consent")
