"""The channels' outgoing messages go through the ticket database's outbox (``bot.storage.outbox``),
which the intake service delivers (``bot.service.channels``): a restart of Rasa or of the service
loses none, retries survive both, and each recipient's messages arrive in order.

One :class:`~bot.storage.store.TicketStore` per process, created on first use, always off the event
loop. The recipient (a phone number, an openid) is inside the encrypted payload only; the row's order
key is a keyed hash of it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable
from typing import Any

from bot.storage import outbox
from bot.storage.store import TicketStore

log = logging.getLogger(__name__)

HOTLINE_EVENT = "hotline.reply"
WECHAT_EVENT = "wechat.message"
WECHAT_MEDIA_EVENT = "wechat.media"  # a photo for the intake service to fetch and keep as evidence


class ChannelOutbox:
    """The outbox seen from the Rasa process: write messages, ask whether some still wait."""

    def __init__(self, store: TicketStore | None = None) -> None:
        self._store = store
        self._lock = threading.Lock()

    def store(self) -> TicketStore:
        with self._lock:  # threads of asyncio.to_thread may ask at once: one store per process
            if self._store is None:
                self._store = TicketStore()
            return self._store

    async def write(self, target: str, recipient: str, event: str, bodies: list[dict[str, Any]]) -> None:
        await asyncio.to_thread(
            lambda: self.store().enqueue_channel_messages(target, recipient, event, bodies)
        )

    async def waiting(self, target: str, recipient: str) -> bool:
        return await asyncio.to_thread(lambda: self.store().channel_undelivered(target, recipient))

    async def hotline_reply(self, phone: str, message_id: str, parts: list[str]) -> None:
        """The callback to the SMS gateway: ``{"to", "in_reply_to", "parts"}``, as the gateway reads it."""
        body = {"to": phone, "in_reply_to": message_id, "parts": parts}
        await self.write(outbox.HOTLINE, phone, HOTLINE_EVENT, [body])


_shared = ChannelOutbox()


def shared() -> ChannelOutbox:
    """This process's outbox (``DATABASE_URL``, else ``var/intake.db``, as the intake service)."""
    return _shared


class PendingAnswers:
    """WeChat answers that missed the passive reply, per conversation in order: each is awaited (the
    dialogue may still be working on it) and its parts written to the outbox as customer-service
    messages. ``busy(conversation)``: an answer of this process is not in the outbox yet."""

    def __init__(self, channel_outbox: ChannelOutbox) -> None:
        self.outbox = channel_outbox
        self._tails: dict[str, asyncio.Task[None]] = {}

    def busy(self, conversation: str) -> bool:
        tail = self._tails.get(conversation)
        return tail is not None and not tail.done()

    def enqueue(self, conversation: str, openid: str, answer: Awaitable[list[str]]) -> asyncio.Task[None]:
        previous = self._tails.get(conversation)
        task = asyncio.ensure_future(self._write(previous, conversation, openid, answer))
        self._tails[conversation] = task

        def done(finished: asyncio.Task[None]) -> None:
            if self._tails.get(conversation) is finished:
                del self._tails[conversation]

        task.add_done_callback(done)
        return task

    async def drain(self) -> None:
        """Wait until every pending answer is in the outbox (server shutdown, tests)."""
        while self._tails:
            await asyncio.gather(*list(self._tails.values()), return_exceptions=True)

    async def _write(
        self,
        previous: asyncio.Task[None] | None,
        conversation: str,
        openid: str,
        answer: Awaitable[list[str]],
    ) -> None:
        if previous is not None and not previous.done():
            await asyncio.wait([previous])
        try:
            parts = await answer
        except Exception:
            log.exception("wechat: a message of %s failed, nothing to send", conversation)
            return
        if not parts:
            return
        bodies = [{"openid": openid, "content": part} for part in parts]
        try:
            await self.outbox.write(outbox.WECHAT, openid, WECHAT_EVENT, bodies)
        except Exception:
            log.exception("wechat: the answer to %s could not be queued (%d parts)", conversation, len(parts))
