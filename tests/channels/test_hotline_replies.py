"""The hotline channel in-process (a stand-in dialogue, no Rasa server): a message id is remembered
with its reply only once handled, so the gateway's retry gets the same replies back and a message that
crashed mid-handling is handled on the retry; the callback goes to the outbox once."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from bot import signing
from bot.storage import outbox
from bot.storage.store import TicketStore
from connectors.channels import replies
from connectors.channels.channel_outbox import ChannelOutbox
from connectors.channels.hotline import HotlineInput, HotlineSettings
from connectors.channels.limits import RateLimiter

SECRET = "hotline-in-process-secret"
PHONE = "13912345678"


class Dialogue:
    """Stands in for Rasa; ``crash_first`` makes the first message fail (a worker dying mid-turn)."""

    def __init__(self, crash_first: bool = False) -> None:
        self.crash_first = crash_first
        self.received: list[Any] = []

    async def __call__(self, message: Any) -> None:
        self.received.append(message)
        if self.crash_first and len(self.received) == 1:
            raise RuntimeError("the dialogue crashed")
        await message.output_channel.send_response(message.sender_id, {"text": f"收到：{message.text}"})


@pytest.fixture
def channel(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SENDER_ID_KEY", "hotline-replies-test-key")
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    settings = HotlineSettings(secret=SECRET, callback_url="http://127.0.0.1:9/callback")
    yield HotlineInput(settings, RateLimiter(30, 0, redis_url=""), ChannelOutbox(store))
    store.dispose()


async def post(channel: HotlineInput, message_id: str, text: str, dialogue: Dialogue) -> tuple[int, Any]:
    body = json.dumps({"message_id": message_id, "from": PHONE, "text": text}, ensure_ascii=False).encode()
    request = SimpleNamespace(body=body, headers=signing.signed_headers(SECRET, body), ip="127.0.0.1")
    answer = await channel.handle(request, dialogue)  # type: ignore[arg-type]
    return answer.status, json.loads(answer.body)


def callbacks(channel: HotlineInput) -> int:
    return channel.outbox.store().outbox_counts()[outbox.PENDING]


async def test_a_retry_gets_the_same_replies_and_no_second_turn(channel: HotlineInput) -> None:
    dialogue = Dialogue()
    message_id = f"gw-{uuid.uuid4().hex}"
    status, first = await post(channel, message_id, "老板欠我工资", dialogue)
    assert status == 200 and first["replies"] == ["收到：老板欠我工资"] and first["callback"] is True
    status, again = await post(channel, message_id, "老板欠我工资", dialogue)
    assert status == 200
    assert again == {"message_id": message_id, "duplicate": True, "replies": ["收到：老板欠我工资"]}
    assert len(dialogue.received) == 1 and callbacks(channel) == 1  # one turn, one callback


async def test_a_message_that_crashed_is_handled_on_the_retry(channel: HotlineInput) -> None:
    dialogue = Dialogue(crash_first=True)
    message_id = f"gw-{uuid.uuid4().hex}"
    status, _ = await post(channel, message_id, "你好", dialogue)
    assert status == 500 and callbacks(channel) == 0
    status, retry = await post(channel, message_id, "你好", dialogue)  # not marked seen: handled
    assert status == 200 and retry["replies"] == ["收到：你好"] and "duplicate" not in retry
    assert (await post(channel, message_id, "你好", dialogue))[1]["duplicate"] is True
    assert len(dialogue.received) == 2 and callbacks(channel) == 1


async def test_a_retry_during_the_first_attempt_waits_for_its_reply(
    channel: HotlineInput, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from connectors.channels import hotline

    monkeypatch.setattr(hotline, "BUSY_WAIT", 5.0)
    gate = asyncio.Event()

    class Slow(Dialogue):
        async def __call__(self, message: Any) -> None:
            await gate.wait()
            await super().__call__(message)

    dialogue = Slow()
    first = asyncio.ensure_future(post(channel, "gw-slow", "你好", dialogue))
    await asyncio.sleep(0.1)
    retry = asyncio.ensure_future(post(channel, "gw-slow", "你好", dialogue))
    await asyncio.sleep(0.3)
    gate.set()
    (s1, b1), (s2, b2) = await first, await retry
    assert (s1, s2) == (200, 200) and b2["duplicate"] is True and b2["replies"] == b1["replies"]
    assert len(dialogue.received) == 1


async def test_reply_memory_in_process_and_in_redis(redis_url: tuple[str, str]) -> None:
    url, prefix = redis_url
    import redis

    shared = replies.RedisReplyMemory(url, prefix=f"{prefix}:answered:")
    for memory in (replies.ReplyMemory(), shared):
        assert await memory.begin("m1") == (replies.NEW, None)
        assert await memory.begin("m1") == (replies.BUSY, None)
        await memory.finish("m1", ["1/2 甲", "2/2 乙"])
        assert await memory.begin("m1") == (replies.DONE, ["1/2 甲", "2/2 乙"])
        assert await memory.begin("m2") == (replies.NEW, None)
        await memory.forget("m2")  # failed: the retry is new
        assert await memory.begin("m2") == (replies.NEW, None)
    raw = b"".join(
        v
        for k in redis.Redis.from_url(url).scan_iter(f"{prefix}*")
        if (v := redis.Redis.from_url(url).get(k))
    )
    assert "甲".encode() not in raw  # the answers are encrypted in Redis


async def test_the_memories_and_the_rate_limit_share_one_redis_client(redis_url: tuple[str, str]) -> None:
    """Asynchronous Redis (nothing blocks the event loop), one client and pool per URL and loop."""
    import asyncio

    from connectors.channels import redis_clients, sms

    url, prefix = redis_url
    options, answered = sms.option_memory(url, prefix), replies.reply_memory(url, prefix)
    await options.remember(PHONE, [sms.Option("是", "/affirm")])
    assert await answered.begin("m1") == (replies.NEW, None)
    assert await RateLimiter(30, 0, redis_url=url).check_sender("hotline", f"{prefix}-c") is None
    loop = asyncio.get_running_loop()
    assert [key for key in redis_clients._CLIENTS if key[0] == url] == [(url, id(loop))]
