"""Signed webhook delivery from the outbox to a real local receiver, with retries and dead letters."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp import web

from bot.cli import main as cli_main
from bot.service.webhook import WebhookDeliverer, sign, verify
from bot.storage.store import IntakeRecord

SECRET = "s3cret-for-tests"


class Receiver:
    """A center system that fails the first ``fail_first`` requests, then accepts."""

    def __init__(self, fail_first: int):
        self.fail_first = fail_first
        self.requests: list[tuple[dict, bytes]] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append((dict(request.headers), body))
        if len(self.requests) <= self.fail_first:
            return web.Response(status=503, text="busy")
        if not verify(body, SECRET, request.headers.get("X-Intake-Signature")):
            return web.Response(status=401, text="bad signature")
        return web.json_response({"ok": True})


@pytest.fixture
async def receiver_url():
    runners = []

    async def start(receiver: Receiver) -> str:
        app = web.Application()
        app.router.add_post("/hook", receiver.handle)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}/hook"

    yield start
    for runner in runners:
        await runner.cleanup()


def _file(store):
    return store.file_ticket(
        IntakeRecord(
            "wx-9", "web", "wage_arrears", "none", {"phone": "13912345678", "applicant_name": "赵六"}, "欠薪"
        )
    )


async def _deliver_until_done(deliverer: WebhookDeliverer, rounds: int = 40):
    for _ in range(rounds):
        await deliverer.deliver_pending()
        counts = await asyncio.to_thread(deliverer.store.outbox_counts)
        if counts["pending"] == 0:
            return counts
        await asyncio.sleep(0.03)
    return counts


async def test_retries_then_delivers_signed_body(sqlite_store, receiver_url):
    receiver = Receiver(fail_first=2)
    url = await receiver_url(receiver)
    ticket = _file(sqlite_store)
    assert sqlite_store.outbox_counts()["pending"] == 1  # nothing sent yet: the row waits
    deliverer = WebhookDeliverer(sqlite_store, url, SECRET, max_attempts=5, base_delay=0.01)
    counts = await _deliver_until_done(deliverer)
    assert counts == {"pending": 0, "delivered": 1, "dead": 0}
    assert len(receiver.requests) == 3
    keys = {h["Idempotency-Key"] for h, _ in receiver.requests}
    assert len(keys) == 1, "retries reuse the idempotency key"
    headers, body = receiver.requests[-1]
    assert headers["X-Intake-Signature"] == sign(body, SECRET)
    assert headers["X-Intake-Timestamp"].isdigit()
    payload = json.loads(body)
    assert payload["event"] == "ticket.created"
    assert payload["ticket"]["code"] == ticket["code"]
    assert payload["ticket"]["facts"]["phone"] == "13912345678"
    row = sqlite_store.outbox_rows(ticket["code"])[0]
    assert (row["state"], row["attempts"]) == ("delivered", 3)


async def test_wrong_secret_is_refused_by_receiver(sqlite_store, receiver_url):
    url = await receiver_url(Receiver(fail_first=0))
    code = _file(sqlite_store)["code"]
    deliverer = WebhookDeliverer(sqlite_store, url, "wrong", max_attempts=1, base_delay=0.01)
    await deliverer.deliver_pending()
    row = sqlite_store.outbox_rows(code)[0]
    assert (row["state"], row["last_error"]) == ("dead", "HTTP 401")


async def test_dead_letters_and_cli_redeliver(sqlite_store, receiver_url, monkeypatch):
    down = Receiver(fail_first=10**6)
    url = await receiver_url(down)
    code = _file(sqlite_store)["code"]
    deliverer = WebhookDeliverer(sqlite_store, url, SECRET, max_attempts=2, base_delay=0.01)
    counts = await _deliver_until_done(deliverer)
    assert counts["dead"] == 1 and len(down.requests) == 2
    deliverer_again = WebhookDeliverer(sqlite_store, url, SECRET, max_attempts=2, base_delay=0.01)
    await deliverer_again.deliver_pending()
    assert len(down.requests) == 2, "dead letters are not retried on their own"

    up = Receiver(fail_first=0)
    monkeypatch.setenv("DATABASE_URL", sqlite_store.url)
    monkeypatch.setenv("CENTER_WEBHOOK_URL", await receiver_url(up))
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    assert await asyncio.to_thread(cli_main, ["redeliver"]) == 0
    assert len(up.requests) == 1
    assert sqlite_store.outbox_rows(code)[0]["state"] == "delivered"


async def test_unreachable_receiver_backs_off(sqlite_store):
    code = _file(sqlite_store)["code"]
    deliverer = WebhookDeliverer(
        sqlite_store, "http://127.0.0.1:9/hook", SECRET, max_attempts=5, base_delay=60, timeout=2
    )
    report = await deliverer.deliver_pending()
    assert report.failed == 1
    row = sqlite_store.outbox_rows(code)[0]
    assert row["state"] == "pending" and row["attempts"] == 1
    assert (await deliverer.deliver_pending()).failed == 0, "not retried before the back-off delay"


async def test_service_delivers_the_outbox_in_the_background(sqlite_store, receiver_url):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.service.app import create_app

    receiver = Receiver(fail_first=0)
    deliverer = WebhookDeliverer(sqlite_store, await receiver_url(receiver), SECRET, interval=0.05)
    app = create_app(sqlite_store, staff_token="t", deliverer=deliverer)
    async with TestClient(TestServer(app)) as client:
        resp = await client.post(
            "/api/tickets",
            headers={"Authorization": "Bearer t"},
            json={
                "sender_id": "c",
                "channel": "center",
                "category": "family",
                "risk_level": "urgent",
                "facts": {},
                "summary": "家暴求助",
            },
        )
        code = (await resp.json())["code"]
        for _ in range(100):
            if receiver.requests:
                break
            await asyncio.sleep(0.05)
    payload = json.loads(receiver.requests[0][1])
    assert payload["ticket"]["code"] == code and payload["urgent"] is True
    assert payload["ticket"]["route"]["duty_officer"]["phone"]
