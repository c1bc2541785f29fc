"""Danger in any message: emergency numbers at once, an urgent ticket filed with what is known.

At most ``URGENT_CAP`` new urgent tickets per conversation per hour (env ``URGENT_TICKETS_PER_HOUR``,
default 3): past that the emergency numbers are still shown, but no new ticket (and no new duty-officer
notification) is made, so one sender cannot flood the duty officer."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import channel_of, get_store, in_thread, latest, slots_of
from bot.intake.safety import urgent_intake
from bot.risk import URGENT, emergency_message, screen
from bot.tickets.records import ListFilters

log = logging.getLogger(__name__)
CAPPED = (
    "您的安全最重要。如果您现在有危险，请马上拨打 110 报警，有人受伤请拨 120。"
    "您刚才反映的紧急情况已经登记，工作人员会尽快联系您。"
)


def urgent_cap() -> int:
    return int(os.environ.get("URGENT_TICKETS_PER_HOUR") or 3)


def recent_urgent_tickets(sender_id: str, now: datetime | None = None) -> int:
    """Urgent tickets this conversation filed in the last hour."""
    since = (now or datetime.now(timezone.utc)) - timedelta(hours=1)
    cap = urgent_cap()
    tickets = get_store().list_tickets(ListFilters(sender_id=sender_id, risk=URGENT, limit=cap + 1))
    return sum(1 for t in tickets if datetime.fromisoformat(t["created_at"]) >= since)


class ActionHandleDanger(Action):
    def name(self) -> str:
        return "action_handle_danger"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text, _, ranking, entities = latest(tracker)
        if not tracker.get_slot("ticket_code"):  # a new urgent ticket, not an update of this one
            try:
                recent = await in_thread(recent_urgent_tickets, tracker.sender_id)
            except Exception:  # the count must not keep the numbers from the citizen
                log.exception("could not count a conversation's urgent tickets")
                recent = 0
            if recent >= urgent_cap():
                log.warning("urgent cap: %s urgent tickets in the last hour, no new one filed", recent)
                assessment = screen(text or "")
                message = emergency_message(assessment) if assessment.level == URGENT else ""
                dispatcher.utter_message(text=message or CAPPED)
                return [SlotSet("risk_level", URGENT)]
        result = await in_thread(
            urgent_intake,
            get_store(),
            tracker.sender_id,
            channel_of(tracker),
            slots_of(tracker),
            text,
            ranking,
            entities,
        )
        dispatcher.utter_message(text=result.message)
        return [SlotSet(name, value) for name, value in result.updates.items()]
