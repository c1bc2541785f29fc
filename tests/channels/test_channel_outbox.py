"""The channels' outgoing messages through the ticket database's outbox: written by the Rasa side
(``connectors.channels.channel_outbox``), delivered by the intake service (``bot.service.channels``),
surviving a restart of the deliverer, in order per recipient, phone numbers and openids never in clear."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text

from bot import signing
from bot.service.app import create_app
from bot.service.channels import HotlineCallbacks, WeChatMessages
from bot.service.wechat_api import WeChatApi
from bot.storage import outbox
from bot.storage.store import TicketStore
from connectors.channels.channel_outbox import ChannelOutbox
from tests.channels.wechat_fakes import APP_ID, APP_SECRET, FakeWeChat

SECRET = "gateway-secret"
PHONE = "13912345678"
OPENID = "oOutboxTestOpenid"


class Gateway:
    """The SMS gateway's callback URL: refuses the first ``fail_first`` requests (HTTP 503)."""

    def __init__(self, fail_first: int) -> None:
        self.fail_first = fail_first
        self.requests: list[tuple[dict[str, str], bytes, int]] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        status = 503 if len(self.requests) < self.fail_first else 200
        self.requests.append((dict(request.headers), body, status))
        return web.Response(status=status)

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body, status in self.requests if status == 200]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Gateway], Awaitable[str]]]:
    runners: list[web.AppRunner] = []

    async def start(gateway: Gateway) -> str:
        app = web.Application()
        app.router.add_post("/sms/callback", gateway.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{port}/sms/callback"

    yield start
    for runner in runners:
        await runner.cleanup()


def raw_rows(store: TicketStore) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM outbox ORDER BY id"))]


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_a_hotline_callback_survives_a_restart_and_is_delivered_once_signed(
    tmp_path: Any, serve: Callable[[Gateway], Awaitable[str]]
) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    rasa_side = ChannelOutbox(TicketStore(url))
    parts = ["1/2 您反映的欠薪问题已记录，", "2/2 回复1：同意"]
    await rasa_side.hotline_reply(PHONE, "gw-1", parts)
    stored = json.dumps(raw_rows(rasa_side.store()), default=str)
    assert PHONE not in stored and "5678" not in stored  # the number is encrypted, the key a hash

    gateway = Gateway(fail_first=2)
    callback_url = await serve(gateway)

    def service(store: TicketStore, delay: float) -> web.Application:
        sender = HotlineCallbacks(store, callback_url, SECRET, base_delay=delay, interval=0.05)
        return create_app(store, staff_token="t", channels=[sender], reminder_interval=3600)

    first = TicketStore(url)
    async with TestClient(TestServer(service(first, 0.5))):
        await until(lambda: len(gateway.requests) >= 1)
    first.dispose()  # the intake service stops after one refused attempt …
    assert len(gateway.requests) == 1
    again = TicketStore(url)
    async with TestClient(TestServer(service(again, 0.05))):  # … and a new one takes over
        await until(lambda: bool(gateway.accepted))
        await asyncio.sleep(0.3)  # nothing more comes
    assert [status for _, _, status in gateway.requests] == [503, 503, 200]
    assert gateway.accepted == [{"to": PHONE, "in_reply_to": "gw-1", "parts": parts}]
    headers, body, _ = gateway.requests[-1]
    verdict = signing.verify(
        SECRET, body, headers.get(signing.TIMESTAMP_HEADER), headers.get(signing.SIGNATURE_HEADER)
    )
    assert verdict.ok, verdict.reason
    [row] = raw_rows(again)
    assert row["state"] == outbox.DELIVERED and row["target"] == outbox.HOTLINE
    again.dispose()


async def test_hotline_callbacks_keep_their_order_per_recipient(
    tmp_path: Any, serve: Callable[[Gateway], Awaitable[str]]
) -> None:
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    rasa_side = ChannelOutbox(store)
    for n in (1, 2, 3):
        await rasa_side.hotline_reply(PHONE, f"m{n}", [f"第{n}条"])
    await rasa_side.hotline_reply("13800000000", "other", ["别人的"])
    gateway = Gateway(fail_first=1)
    sender = HotlineCallbacks(store, await serve(gateway), SECRET, base_delay=0.0)
    for _ in range(10):
        await sender.deliver_pending()
    mine = [c["in_reply_to"] for c in gateway.accepted if c["to"] == PHONE]
    assert mine == ["m1", "m2", "m3"]
    assert "other" in [c["in_reply_to"] for c in gateway.accepted]
    store.dispose()


async def test_no_callback_is_sent_unsigned(
    tmp_path: Any, serve: Callable[[Gateway], Awaitable[str]]
) -> None:
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    await ChannelOutbox(store).hotline_reply(PHONE, "m", ["x"])
    gateway = Gateway(fail_first=0)
    sender = HotlineCallbacks(store, await serve(gateway), "")
    assert (await sender.deliver_pending()).delivered == 0 and gateway.requests == []
    assert raw_rows(store)[0]["state"] == outbox.PENDING
    store.dispose()


async def test_wechat_messages_survive_a_restart_in_order(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    store = TicketStore(url)
    bodies = [{"openid": OPENID, "content": f"第{n}部分"} for n in (1, 2)]
    await ChannelOutbox(store).write(outbox.WECHAT, OPENID, "wechat.message", bodies)
    assert OPENID not in json.dumps(raw_rows(store), default=str)
    fake = FakeWeChat(fail_next=2)
    await fake.start()
    try:

        def service(s: TicketStore) -> web.Application:
            sender = WeChatMessages(
                s, WeChatApi(APP_ID, APP_SECRET, fake.base), base_delay=0.05, interval=0.05
            )
            return create_app(s, staff_token="t", channels=[sender], reminder_interval=3600)

        async with TestClient(TestServer(service(store))):
            await until(lambda: fake.refused >= 1)
        store.dispose()
        again = TicketStore(url)
        async with TestClient(TestServer(service(again))):
            await until(lambda: len(fake.sent) == 2)
            # the row is marked delivered right after the send returns: wait for it, not for the send
            await until(lambda: {r["state"] for r in raw_rows(again)} == {outbox.DELIVERED})
        assert fake.texts(OPENID) == ["第1部分", "第2部分"] and fake.refused == 2
        assert {r["state"] for r in raw_rows(again)} == {outbox.DELIVERED}
        again.dispose()
    finally:
        await fake.stop()
