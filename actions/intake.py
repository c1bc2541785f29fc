"""The intake form: start, ask, validate, confirm, file. Logic lives in ``bot.intake``."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    AskConfirmingHeld,
    MessageReadingForm,
    channel_of,
    get_store,
    in_thread,
    latest,
    send,
    slots_of,
)
from bot.intake import confirmation, consultation, dialogue, opening, schema, story_sums, subtypes
from bot.intake.ticketing import confirmation_key, file_intake
from bot.intake.turn import Turn
from bot.tickets.messages import closing_message
from bot.tickets.profiles import current_profile
from bot.tickets.records import StorageUnavailable

log = logging.getLogger(__name__)


class ActionStartIntake(Action):
    def name(self) -> str:
        return "action_start_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text, intent, ranking, entities = latest(tracker)
        turn = dialogue.start_intake(text, intent, ranking, entities, slots_of(tracker))
        turn.question = opening.question_in_story(text)
        return answer_question(turn, send(turn, dispatcher), dispatcher, tracker)


class ValidateIntakeForm(MessageReadingForm):
    """Asks what ``schema.required_slots_of`` lists: the category, its sub-type when it has several,
    consent, the sub-type's questions (else the category's), the amount when the story speaks of money
    — minus what is already stated — and the confirmation."""

    def name(self) -> str:
        return "validate_intake_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return schema.required_slots_of(slots_of(tracker))

    async def read_message(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        text, intent, _, entities = latest(tracker)
        turn = dialogue.answer_turn(
            slots_of(tracker),
            tracker.get_slot("requested_slot"),
            text,
            intent.get("name"),
            entities,
            known_phone=known_phone(tracker),
        )
        if turn is None:
            return []  # an interruption: the form rejects and a rule answers
        return answer_question(turn, send(turn, dispatcher), dispatcher, tracker)


def answer_question(
    turn: Turn, events: list[dict[str, Any]], dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]]:
    """A question asked with a story or at a step whose answer is no question: answered, kept for staff."""
    if turn.question is None:
        return events
    slots = {**slots_of(tracker), **turn.updates}
    topic = consultation.topic_by_words(turn.question)
    reply, kept = consultation.reply_to(current_profile(), topic, turn.question, [], slots)
    dispatcher.utter_message(text=reply)
    return events + [SlotSet(name, value) for name, value in kept.items()]


def known_phone(tracker: Tracker) -> str | None:
    """The hotline caller's own number: the channel puts it in the message's metadata (the
    conversation id is a keyed hash of it); other channels never set it."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    phone = metadata.get("phone") if isinstance(metadata, dict) else None
    return dialogue.channel_phone(channel_of(tracker), str(phone)) if phone else None


class ActionAskCategory(Action):
    def name(self) -> str:
        return "action_ask_category"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text, buttons = dialogue.category_question(slots_of(tracker))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionAskSubType(Action):
    def name(self) -> str:
        return "action_ask_sub_type"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text, buttons = subtypes.question(tracker.get_slot("category"))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionAskAmount(AskConfirmingHeld):
    """The amount question; a settled figure of the story is asked to be confirmed instead."""

    plain = "utter_ask_amount_yuan"

    def name(self) -> str:
        return "action_ask_amount_yuan"

    def held(self, slots: dict[str, Any]) -> dict[str, Any] | None:
        figure = story_sums.held_figure(slots)
        return None if figure is None else {"response": "utter_ask_amount_held", "figure": figure}


class ActionAskConfirmed(Action):
    def name(self) -> str:
        return "action_ask_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text, buttons = confirmation.confirmation_prompt(slots_of(tracker))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionFileTicket(Action):
    def name(self) -> str:
        return "action_file_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        # one confirmation, one ticket: a retried or repeated call files nothing new
        key = confirmation_key(tracker.sender_id, _confirming_event_time(tracker))
        try:
            ticket = await in_thread(
                file_intake,
                get_store(),
                tracker.sender_id,
                channel_of(tracker),
                slots_of(tracker),
                idempotency_key=key,
            )
        except StorageUnavailable:
            log.exception("ticket store unavailable at confirmation; the intake is kept for a retry")
            dispatcher.utter_message(response="utter_filing_failed")
            # the form asks for the confirmation again: nothing the citizen said is lost
            return [SlotSet("confirmed", None), FollowupAction("intake_form")]
        dispatcher.utter_message(text=closing_message(ticket))
        return [SlotSet("ticket_code", ticket["code"]), SlotSet("confirmed", None)]


def _confirming_event_time(tracker: Tracker) -> str:
    """The time of the citizen's message that confirmed (the same on a retry of this action)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return str(event.get("timestamp"))
    return "none"
