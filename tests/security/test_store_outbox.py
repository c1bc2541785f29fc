"""8: webhook delivery per ticket in order, urgent events never dead, dead letters reported by
/health and on the console for administrators, and no unsigned delivery with an empty secret."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.fernet import Fernet

os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())

from bot.service.app import create_app  # noqa: E402
from bot.service.console import CONSOLE_CONFIG  # noqa: E402
from bot.service.webhook import WebhookDeliverer  # noqa: E402
from bot.storage.store import IntakeRecord, TicketStore  # noqa: E402
from bot.tickets.deadlines import utcnow  # noqa: E402
from bot.tickets.profiles import load_profile  # noqa: E402


@pytest.fixture
def store(tmp_path):
    s = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", load_profile())
    yield s
    s.dispose()


PASSWORD = "correct-horse-9"


async def login(client, username):
    client.session.cookie_jar.clear()
    page = await (await client.get("/console/login")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    data = {"username": username, "password": PASSWORD, "csrf": token, "next": "/console/"}
    return await client.post("/console/login", data=data, allow_redirects=False)


def _record(sender="s-1", risk="none"):
    return IntakeRecord(sender, "rest", "wage_arrears", risk, {"phone": "13912345678"}, "欠薪")


def _due(store, minutes=0):
    from bot.storage import outbox

    with store._write() as session:
        return outbox.claim_due(session, 50, now=utcnow() + timedelta(minutes=minutes))


def test_a_tickets_events_go_in_order(store):
    code = store.file_ticket(_record())["code"]
    store.claim(code, "王", actor_id="user:1")
    other = store.file_ticket(_record("s-2"))["code"]
    first = _due(store)
    assert [m.ticket_code for m in first] == [code, other]  # not the claim while "created" is out
    assert first[0].event == "ticket.created"
    store.outbox_failed(first[0].id, "HTTP 500", max_attempts=1, base_delay=1)  # dead
    store.outbox_delivered(first[1].id)
    assert _due(store, minutes=120) == []  # the claim waits behind the dead "created"
    store.requeue_dead()
    again = _due(store, minutes=1)
    assert [m.event for m in again] == ["ticket.created"]
    store.outbox_delivered(again[0].id)
    assert [m.event for m in _due(store, minutes=2)] == ["ticket.claim"]


def test_urgent_events_never_go_dead(store):
    code = store.file_ticket(_record(risk="urgent"))["code"]
    for i in range(30):
        msgs = _due(store, minutes=10 * i + 10)
        assert [m.ticket_code for m in msgs] == [code]
        assert store.outbox_failed(msgs[0].id, "timeout", max_attempts=3, base_delay=5) == "pending"
    row = store.outbox_rows(code)[0]
    assert row["state"] == "pending" and row["attempts"] == 30
    # back-off capped: the next attempt is at most 5 minutes away
    assert _due(store, minutes=10 * 30 + 6)


async def test_health_and_console_report_dead_letters(store):
    code = store.file_ticket(_record())["code"]
    msg = _due(store)[0]
    store.outbox_failed(msg.id, "HTTP 500", max_attempts=1, base_delay=1)
    store.create_user("boss", PASSWORD, "陈主任", "admin")
    store.create_user("wang", PASSWORD, "王志强", "window_staff", ["labor_inspection"])
    app = create_app(store, staff_token="t", deliver_outbox=False)
    app[CONSOLE_CONFIG] = dataclasses.replace(app[CONSOLE_CONFIG], rasa_url="http://127.0.0.1:9")
    async with TestClient(TestServer(app)) as client:
        resp = await client.get("/health")
        body = await resp.json()
        assert resp.status == 200 and body["status"] == "degraded" and body["dead_letters"] == 1
        await login(client, "wang")
        assert "未能推送" not in await (await client.get("/console/")).text()
        await login(client, "boss")
        page = await (await client.get(f"/console/tickets/{code}")).text()
        assert "1 条案件通知未能推送" in page


async def test_empty_secret_refuses_to_deliver(store, caplog, monkeypatch):
    monkeypatch.delenv("WEBHOOK_SECRET", raising=False)
    code = store.file_ticket(_record())["code"]
    deliverer = WebhookDeliverer(store, "http://127.0.0.1:9/hook", "", base_delay=0.01)
    report = await deliverer.deliver_pending()
    assert (report.delivered, report.failed) == (0, 0)
    assert store.outbox_rows(code)[0]["state"] == "pending" and store.outbox_rows(code)[0]["attempts"] == 0
    assert "refusing to send unsigned" in caplog.text
    app = create_app(store, staff_token="t", deliver_outbox=True, deliverer=deliverer)
    async with TestClient(TestServer(app)) as client:
        body = await (await client.get("/health")).json()
    assert body["status"] == "degraded" and body["webhook"]["ok"] is False
