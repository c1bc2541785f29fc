"""Record which category the citizen's description falls into (the rule then names it)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.taxonomy import category_for_intent


class ActionClassifyDispute(Action):
    def name(self) -> str:
        return "action_classify_dispute"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        found = category_for_intent(intent)
        if found is None:
            dispatcher.utter_message(response="utter_default")
            return []
        return [SlotSet("category", found.code), SlotSet("category_name", found.name)]
