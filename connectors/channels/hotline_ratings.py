"""A hotline reply that is only a rating (``5``, ``５``, ``五``) after 办结: the citizen's answer to the
closing message's "回复1到5" (``bot.tickets.notices``), stored by ``TicketStore.rate_by_phone``.

A digit stays an ordinary message whenever it can mean something else: when it chooses one of the
numbered options last sent to the caller, while an intake form is under way in the conversation (a
"5" may be a headcount) or a person answers it (live 转人工), or when the caller has no case closed in the last 30 days that is not yet
rated. Only then is the dialogue skipped and the citizen thanked.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.tickets import notices
from connectors.channels import sms
from connectors.channels.channel_outbox import ChannelOutbox

log = logging.getLogger(__name__)


def agent_of(request: Any) -> Any:
    """Rasa's agent behind a request of the server (``app.ctx.agent``), else None."""
    return getattr(getattr(getattr(request, "app", None), "ctx", None), "agent", None)


async def in_intake(agent: Any, conversation: str) -> bool:
    """Whether the conversation is busy with something a digit may answer: a form (the intake's
    questions) is active, or a person has taken it over (live 转人工: Rasa's conversation is paused);
    False without an agent (tests without Rasa's server), True when the tracker cannot be read."""
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return False
    try:
        tracker = await store.retrieve(conversation)
    except Exception:  # a digit then goes to the dialogue, as before
        log.exception("hotline: cannot read the conversation to tell a rating from an answer")
        return True
    return bool(tracker is not None and (tracker.active_loop_name or tracker.is_paused()))


class HotlineRatings:
    """Reads ratings off the hotline; the store is the channel outbox's (the ticket database)."""

    def __init__(self, outbox: ChannelOutbox) -> None:
        self.outbox = outbox

    async def answer(
        self, phone: str, conversation: str, text: str, options: sms.OptionMemory, agent: Any = None
    ) -> str | None:
        """The thanks for a rating, or None: the message goes to the dialogue."""
        rating = notices.parse_rating(text)
        if rating is None:
            return None
        if sms.pick_option(text, await options.options(conversation)) is not None:
            return None
        if await in_intake(agent, conversation):
            return None
        store = self.outbox.store()
        result = await asyncio.to_thread(store.rate_by_phone, phone, rating)
        if result is None:
            return None
        await options.remember(conversation, [])
        log.info("hotline: %s rated case %s", sms.mask(phone), result["code"])
        return str(result["reply"])
