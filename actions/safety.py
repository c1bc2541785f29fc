"""Danger in any message: emergency numbers at once, an urgent ticket filed with what is known (at
most a few new ones per conversation per hour: ``bot.intake.safety.urgent_capped``), listed for a
person in the console during staffed hours."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import channel_of, get_store, in_thread, latest, slots_of
from actions.handoff import list_for_staff, staffed_now
from actions.intake import known_phone
from bot.intake.dialogue import answer_turn
from bot.intake.safety import capped_message, urgent_capped, urgent_intake
from bot.risk import URGENT


class ActionHandleDanger(Action):
    def name(self) -> str:
        return "action_handle_danger"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text, _, ranking, entities = latest(tracker)
        # the message may also answer the form's question ("打我孙子的电话，138…"): kept, so the form
        # goes on to the next question instead of asking the same one again
        requested = tracker.get_slot("requested_slot") if tracker.active_loop_name == "intake_form" else None
        answered = (
            answer_turn(slots_of(tracker), requested, text, None, entities, known_phone(tracker))
            if requested
            else None
        )
        answer = answered.updates if answered else {}
        # a new urgent ticket, not an update of this one: capped per conversation and hour
        if not tracker.get_slot("ticket_code") and await in_thread(
            urgent_capped, get_store(), tracker.sender_id
        ):
            dispatcher.utter_message(text=capped_message(text))
            return [*(SlotSet(k, v) for k, v in answer.items()), SlotSet("risk_level", URGENT)]
        result = await in_thread(
            urgent_intake,
            get_store(),
            tracker.sender_id,
            channel_of(tracker),
            {**slots_of(tracker), **answer},
            text,
            ranking,
            entities,
        )
        dispatcher.utter_message(text=result.message)
        if result.ticket is not None and await in_thread(staffed_now, get_store()):
            # in the 等待人工 list at once; the bot goes on until a person takes the conversation
            await list_for_staff(get_store(), tracker, result.ticket, "urgent", paused=False)
        return [SlotSet(name, value) for name, value in {**answer, **result.updates}.items()]
