"""查询进度 with a case code and the phone's last four digits."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import MessageReadingForm, get_store, in_thread, latest
from bot.intake.status import find_case_code, find_last4
from bot.tickets.messages import status_message


class ValidateStatusForm(MessageReadingForm):
    def name(self) -> str:
        return "validate_status_form"

    async def read_message(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
        text, intent, _, _ = latest(tracker)
        requested = tracker.get_slot("requested_slot")
        events: list[dict[str, Any]] = []
        code = find_case_code(text)
        if code:
            events.append(SlotSet("case_code", code))
        elif requested == "case_code":
            if intent.get("name") in ("deny", "restart", "goodbye"):
                return []
            dispatcher.utter_message(response="utter_reask_case_code")
            events.append(SlotSet("case_code", None))
        if requested == "phone_last4" or (code and find_last4(text)):
            last4 = find_last4(text)
            if last4 is None and requested == "phone_last4":
                dispatcher.utter_message(response="utter_reask_phone_last4")
            events.append(SlotSet("phone_last4", last4))
        return events


class ActionQueryStatus(Action):
    def name(self) -> str:
        return "action_query_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        code = tracker.get_slot("case_code")
        store = get_store()
        status = await in_thread(store.public_status, code or "", tracker.get_slot("phone_last4") or "")
        dispatcher.utter_message(text=status_message(status, store.profile))
        return [SlotSet("case_code", None), SlotSet("phone_last4", None)]
