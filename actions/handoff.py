"""转人工 (asked for, or called by ``action_not_understood`` after repeated misunderstanding): file what
we have for staff and, when staff are on duty (the profile's ``handoff:`` hours), list
the conversation in the console's 等待人工 list and pause the bot: a person answers in the chat through
the intake service (``bot.service.handoff``). Outside the hours the citizen is told so, and the bot
keeps listening. An urgent case is listed too, without pausing: the bot goes on until someone takes it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import channel_of, get_store, in_thread, slots_of, texts_of
from bot import privacy
from bot.intake.ticketing import handoff, offline_intake
from bot.storage.store import TicketStore
from bot.tickets.deadlines import utcnow


def staffed_now(store: TicketStore) -> bool:
    profile = store.profile
    return profile.handoff.staffed(utcnow().astimezone(store.tz()), profile.calendar)


def recipient_of(tracker: Tracker) -> str | None:
    """Where staff messages go besides the tracker: the hotline caller's number, the WeChat citizen's
    openid (the channels put them in the message's metadata, the openid encrypted); the widget polls."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    if not isinstance(metadata, dict):
        return None
    wechat = metadata.get("wechat")
    openid = privacy.decrypt(wechat.get("openid_enc")) if isinstance(wechat, dict) else None
    found = metadata.get("phone") or openid
    return str(found) if found else None


async def list_for_staff(
    store: TicketStore, tracker: Tracker, ticket: dict[str, Any], reason: str, *, paused: bool
) -> None:
    await in_thread(
        store.open_handoff,
        tracker.sender_id,
        channel_of(tracker),
        ticket["code"],
        ticket.get("summary") or "",
        recipient=recipient_of(tracker),
        reason=reason,
        paused=paused,
    )


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        store = get_store()
        live = await in_thread(staffed_now, store)
        slots = slots_of(tracker)
        asked = ((tracker.latest_message or {}).get("intent") or {}).get("name") == "ask_human"
        reason = (
            "asked" if asked else "misunderstood"
        )  # the bot calls a person itself after misunderstandings
        ticket, message = await in_thread(
            handoff,
            store,
            tracker.sender_id,
            channel_of(tracker),
            slots,
            live=live,
            waiting_text="waiting" if asked else "misunderstood",
        )
        dispatcher.utter_message(text=message)
        events: list[dict[str, Any]] = [SlotSet("ticket_code", ticket["code"]), SlotSet("staff_live", live)]
        if not live:  # the rules go on with the intake (its next question), the case already filed
            said = texts_of(tracker, "user")
            return events + [SlotSet(k, v) for k, v in offline_intake(slots, said).items()]
        await list_for_staff(store, tracker, ticket, reason, paused=True)
        return [*events, ConversationPaused()]
