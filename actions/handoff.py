"""转人工: file what we have for staff, tell the citizen what happens next, pause the bot."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import channel_of, get_store, in_thread, slots_of
from bot.intake.ticketing import handoff


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        code, message = await in_thread(
            handoff, get_store(), tracker.sender_id, channel_of(tracker), slots_of(tracker)
        )
        dispatcher.utter_message(text=message)
        return [SlotSet("ticket_code", code), ConversationPaused()]
