"""What the hotline and WeChat channels do alike with a message; each keeps its own protocol and its
own way of cutting the reply into parts.

- :class:`ChannelMemories`: a channel's numbered options (:mod:`sms`) and answered message ids
  (:mod:`replies`), in the process or, with ``REDIS_URL``, in Redis under the channel's namespace;
- :func:`answer_once`: a message id is handled once; a repeat gets the remembered answer, a failed
  attempt is forgotten so that the retry is handled;
- :func:`run_turn`: one dialogue turn, a digit answering the options last sent, the bot's messages
  back as one text with their buttons as numbered options, remembered for the next turn.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from connectors.channels import replies, sms

POLL = 0.2  # seconds between looks at a message id another attempt is handling


@dataclass(frozen=True)
class ChannelMemories:
    options: sms.OptionMemory
    answered: replies.ReplyMemory

    @classmethod
    def load(cls, namespace: str, redis_url: str | None = None) -> ChannelMemories:
        """Shared through Redis when several Rasa workers or instances answer (``REDIS_URL``)."""
        url = (os.environ.get("REDIS_URL") if redis_url is None else redis_url) or None
        return cls(sms.option_memory(url, namespace), replies.reply_memory(url, namespace))


async def answer_once(
    answered: replies.ReplyMemory,
    key: str,
    handle: Callable[[], Awaitable[tuple[Any, Any]]],
    wait: float = 0.0,
) -> tuple[str, Any]:
    """``(DONE, remembered answer)`` for a message already answered; ``(BUSY, None)`` while another
    attempt handles it (after waiting up to ``wait`` seconds for that one's answer); else
    ``(NEW, result)`` of ``handle()``, which returns ``(result, answer to remember)``: ``None`` to
    remember nothing (the retry is handled), as when ``handle`` raises."""
    deadline = asyncio.get_running_loop().time() + wait
    while True:
        state, earlier = await answered.begin(key)
        if state != replies.BUSY or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(POLL)
    if state != replies.NEW:
        return state, earlier
    try:
        result, remembered = await handle()
    except BaseException:
        await answered.forget(key)
        raise
    if remembered is None:
        await answered.forget(key)
    else:
        await answered.finish(key, remembered)
    return replies.NEW, result


async def run_turn(
    channel: str,
    text: str,
    conversation: str,
    metadata: dict[str, Any],
    options: sms.OptionMemory,
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
) -> str:
    """The dialogue's reply to ``text``; a digit choosing one of the options last sent becomes that
    option's payload (its title in ``metadata[channel]["option"]``)."""
    chosen = sms.pick_option(text, await options.options(conversation))
    if chosen is not None:
        metadata.setdefault(channel, {})["option"] = chosen.title
        text = chosen.payload
    collector = CollectingOutputChannel()
    await on_new_message(UserMessage(text, collector, conversation, input_channel=channel, metadata=metadata))
    reply, offered = sms.render_reply(collector.messages)
    await options.remember(conversation, offered)
    return reply
