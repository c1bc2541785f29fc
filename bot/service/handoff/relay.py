"""What a live hand-off does, for the staff API, the console and the timer alike.

Every step goes through Rasa's own mechanisms (``rasa.RasaConversations``): taking a conversation
appends ``ConversationPaused`` (the bot stays silent, Rasa still stores the citizen's messages);
a staff member's message is a ``BotUttered`` event whose metadata names them (so the transcript
shows who spoke); handing back appends ``ConversationResumed`` and runs the intake form again when an
intake was under way (it asks the question it was at). The citizen gets these messages by the
widget's poll (``views.py``), on the hotline as SMS parts through the outbox (target ``hotline``,
delivered signed by ``bot.service.channels``), on WeChat as customer-service messages (``wechat``).

The table (``bot.storage.handoffs``) changes before Rasa's tracker when a step claims the
conversation (take, expiry: two staff members or the timer cannot both win) and after it when a
step ends it (release, close: the widget keeps polling until the last message is in the tracker).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from bot.intake.ticketing import not_live_message
from bot.service.handoff.rasa import RasaConversations, RasaUnavailable, bot_event, event
from bot.smsparts import split_sms
from bot.storage import handoffs as states
from bot.storage import outbox
from bot.storage.store import TicketError, TicketStore

log = logging.getLogger(__name__)

STAFF, NOTICE = "staff", "notice"  # kinds of the hand-off's bot utterances (metadata "handoff.kind")
HOTLINE_EVENT, WECHAT_EVENT = "hotline.handoff", "wechat.handoff"


def utterance(text: str, kind: str, staff: str | None) -> dict[str, Any]:
    return bot_event(text, {"handoff": {"kind": kind, "staff": staff}})


class Relay:
    def __init__(self, store: TicketStore, rasa: RasaConversations) -> None:
        self.store, self.rasa = store, rasa

    async def _deliver(self, handoff: dict[str, Any], texts: list[str], staff: str | None) -> None:
        """The channels that cannot poll, through the outbox: the hotline gets the texts as SMS parts,
        WeChat as customer-service messages."""
        recipient, texts = handoff.get("recipient"), [t for t in texts if t.strip()]
        if not recipient or not texts:
            return
        if handoff["channel"] == "hotline":
            target, kind = outbox.HOTLINE, HOTLINE_EVENT
            bodies = [
                {"to": recipient, "in_reply_to": None, "parts": split_sms(t), "handoff": {"staff": staff}}
                for t in texts
            ]
        elif handoff["channel"] == "wechat":
            target, kind = outbox.WECHAT, WECHAT_EVENT
            bodies = [{"openid": recipient, "content": t} for t in texts]
        else:
            return
        await asyncio.to_thread(self.store.enqueue_channel_messages, target, recipient, kind, bodies)

    async def _say(self, handoff: dict[str, Any], events: list[dict[str, Any]], staff: str | None) -> None:
        await self.rasa.append(handoff["sender_id"], events)
        await self._deliver(handoff, [e["text"] for e in events if e.get("event") == "bot"], staff)

    async def take(self, sender_id: str, name: str, actor_id: str) -> dict[str, Any]:
        """Pause first (harmless if it was paused; an urgent case listed unpaused goes silent only
        now), then claim, then tell the citizen who answers."""
        before = await asyncio.to_thread(self.store.handoff, sender_id)
        if before is None or before["state"] not in states.ACTIVE:
            return await asyncio.to_thread(self.store.take_handoff, sender_id, name, actor_id)  # 404
        await self.rasa.append(sender_id, [event("pause")])
        handoff = await asyncio.to_thread(self.store.take_handoff, sender_id, name, actor_id)
        if before["state"] == states.WAITING:
            notice = self.store.profile.handoff.text("taken", staff=name)
            await self._say(handoff, [utterance(notice, NOTICE, name)], name)
        return handoff

    async def say(self, sender_id: str, actor_id: str, name: str, text: str) -> dict[str, Any]:
        handoff = await asyncio.to_thread(self.store.check_taker, sender_id, actor_id)
        await self._say(handoff, [utterance(text, STAFF, name)], name)
        return handoff

    async def release(self, sender_id: str, actor_id: str, name: str) -> dict[str, Any]:
        """Back to the bot, which goes on with the intake where it was."""
        handoff = await asyncio.to_thread(self.store.check_taker, sender_id, actor_id)
        notice = self.store.profile.handoff.text("released", staff=name)
        await self._say(handoff, [utterance(notice, NOTICE, name), event("resume")], name)
        tracker = await self.rasa.tracker(sender_id)
        slots = tracker.get("slots") or {}
        if slots.get("category") and not slots.get("confirmed"):
            messages = await self.rasa.execute(sender_id, "intake_form")
            await self.rasa.append(sender_id, [{"event": "action", "name": "action_listen"}])
            await self._deliver(handoff, [str(m.get("text") or "") for m in messages], None)
        return await asyncio.to_thread(self.store.end_handoff, sender_id, states.RELEASED, actor_id=actor_id)

    async def close(self, sender_id: str, actor_id: str, name: str) -> dict[str, Any]:
        """Staff are done (the ticket filed or completed): the citizen is told, the bot listens again."""
        handoff = await asyncio.to_thread(self.store.check_taker, sender_id, actor_id)
        code = handoff.get("ticket_code") or ""
        notice = self.store.profile.handoff.text("closed", staff=name, code=code)
        await self._say(handoff, [utterance(notice, NOTICE, name), event("resume")], name)
        return await asyncio.to_thread(self.store.end_handoff, sender_id, states.CLOSED, actor_id=actor_id)

    async def expire_overdue(self) -> int:
        """Hand-offs nobody took within the profile's ``wait_minutes``: the citizen is told honestly
        (the ticket was filed when they asked) and the bot listens again. Urgent cases listed without
        pausing leave the list silently: their citizen was never told to wait."""
        profile = self.store.profile
        wait = timedelta(minutes=profile.handoff.wait_minutes)
        count = 0
        for found in await asyncio.to_thread(self.store.overdue_handoffs, wait):
            try:
                handoff = await asyncio.to_thread(self.store.end_handoff, found["sender_id"], states.EXPIRED)
            except TicketError:  # taken meanwhile
                continue
            if not found["paused"]:
                count += 1
                continue
            try:
                tracker = await self.rasa.tracker(found["sender_id"])
                slots = tracker.get("slots") or {}
                message = not_live_message(profile, found.get("ticket_code") or "", slots, "expired")
                await self._say(handoff, [utterance(message, NOTICE, None), event("resume")], None)
                count += 1
            except RasaUnavailable:
                await asyncio.to_thread(self.store.reopen_expired, found["sender_id"])
        return count

    async def run_expiry(self, interval: float) -> None:
        while True:
            try:
                await self.expire_overdue()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("hand-off expiry pass failed")
            await asyncio.sleep(interval)
