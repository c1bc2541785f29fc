"""The 督办 scheduler through a whole 13710 cycle with the clock driven by the test (SQLite and
PostgreSQL): a notice when a deadline is near and again when it has passed, each once; nothing for a
stage done in time; a second pass issues nothing new; urgent tickets re-alert the duty officer; one
leader per SQLite file; and the service's app factory runs the scheduler."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.privacy import decrypt
from bot.service.app import create_app
from bot.service.openapi import openapi_document
from bot.storage.leader import Leadership
from bot.storage.models import Outbox, Supervision
from bot.storage.store import IntakeRecord
from tests.tickets.test_openapi import _check  # the response checked against the OpenAPI document

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing, a Tuesday


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def debt(sender: str = "web-1", risk: str = "none") -> IntakeRecord:
    return IntakeRecord(
        sender,
        "web",
        "debt",
        risk,
        {"amount_yuan": 3000, "applicant_name": "王五", "phone": "13700001111"},
        "借款不还",
    )


def issued(store, when) -> set[tuple[str, str]]:
    return {(n["stage"], n["kind"]) for n in store.supervise(when)["notices"]}


def events(store, event: str) -> list[dict]:
    with store._read() as session:
        rows = session.execute(select(Outbox).where(Outbox.event == event).order_by(Outbox.id)).scalars()
        return [json.loads(decrypt(r.payload_enc)) for r in rows]


def test_whole_13710_cycle(store):
    code = store.file_ticket(debt(), now=T0)["code"]  # simple tier: sign 1, contact 3, report 7, close 7 days
    assert issued(store, at(10)) == set()
    assert issued(store, at(20)) == {("sign", "near")}  # 80 % of a day
    assert issued(store, at(20)) == set()  # the same pass again: nothing new
    assert issued(store, at(23)) == set()
    assert issued(store, at(26)) == {("sign", "overdue")}
    assert issued(store, at(26.5)) == set()
    store.claim(code, "王志强", now=at(27))  # signed late
    store.change_status(code, "in_mediation", "王志强", now=at(50))  # contacted in time (due at 72 h)
    assert issued(store, at(60)) == set()
    assert issued(store, at(80)) == set()
    assert issued(store, at(140)) == {("report", "near"), ("close", "near")}  # 80 % of 7 days: 134.4 h
    store.change_status(code, "resolved", "王志强", now=at(150))  # reported in time
    assert issued(store, at(170)) == {("close", "overdue")}
    store.change_status(code, "closed", "王志强", now=at(171))
    assert issued(store, at(500)) == set()

    ticket = store.get_ticket(code)
    assert [(s["stage"], s["kind"]) for s in ticket["supervision"]] == [
        ("sign", "near"),
        ("sign", "overdue"),
        ("report", "near"),
        ("close", "near"),
        ("close", "overdue"),
    ]
    first = ticket["supervision"][0]
    assert first["deadline"] == "2026-12-02T01:00:00+00:00" and first["at"] == "2026-12-01T21:00:00+00:00"
    notes = [h["note"] for h in ticket["history"] if h["kind"] == "supervision"]
    assert notes[0] == "督办：签收期限将至（12月2日09:00前），请抓紧办理"
    assert notes[1] == "督办：签收已超过期限（12月2日09:00），请立即办理并说明原因"
    assert len(notes) == 5
    assert ticket["updated_at"] == "2026-12-08T04:00:00+00:00"  # the 督办 did not change the case itself
    sent = events(store, "ticket.supervision")
    assert len(sent) == 5
    assert sent[0]["supervision"]["recipients"] == [
        {"role": "window_lead", "window": "people_mediation", "window_name": "人民调解窗口", "name": None},
        {"role": "admin"},
    ]
    assert sent[0]["ticket"]["code"] == code and sent[0]["ticket"]["supervision"][0]["kind"] == "near"


def test_notice_rows_are_unique_whatever_the_passes(store):
    """Passes running at once (two leaders by mistake, a manual run) still issue each notice once."""
    store.file_ticket(debt(), now=T0)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: store.supervise(at(30)), range(4)))
    assert sum(len(r["notices"]) for r in results) == 1
    with store._read() as session:
        rows = session.execute(select(Supervision.stage, Supervision.kind)).all()
    assert sorted(rows) == [("sign", "overdue")]
    assert len(events(store, "ticket.supervision")) == 1


def test_urgent_unsigned_ticket_realerts_the_duty_officer_once_per_interval(store):
    code = store.file_ticket(debt("web-u", "urgent"), now=T0)["code"]
    minutes = lambda m: T0 + timedelta(minutes=m)  # noqa: E731
    assert store.supervise(minutes(20))["duty_alerts"] == []
    assert store.supervise(minutes(31))["duty_alerts"] == [code]
    assert store.supervise(minutes(45))["duty_alerts"] == []
    assert store.supervise(minutes(62))["duty_alerts"] == [code]
    store.claim(code, "值班长", now=minutes(70))
    assert store.supervise(minutes(130))["duty_alerts"] == []
    alerts = events(store, "ticket.duty_alert")
    assert len(alerts) == 2
    assert alerts[0]["duty_alert"]["duty_officer"]["phone"] == store.profile.duty_officer["phone"]
    assert alerts[0]["duty_alert"]["note"] == "紧急案件已31分钟无人签收，再次提醒综治中心总值班室值班长"
    assert alerts[0]["urgent"] is True
    kinds = [h["kind"] for h in store.get_ticket(code)["history"]]
    assert kinds.count("duty_alert") == 2


def test_one_leader_per_sqlite_file(sqlite_store, tmp_path):
    from bot.storage.store import TicketStore

    other = TicketStore(sqlite_store.url, sqlite_store.profile)  # a second process's store
    a, b = Leadership(sqlite_store.engine), Leadership(other.engine)
    try:
        sqlite_store.file_ticket(debt(), now=T0)
        assert a.acquire() and a.acquire()  # leading, and still leading
        assert other.supervise_as(b, at(20)) is None  # B does nothing while A leads
        assert sqlite_store.supervise_as(a, at(20))["notices"][0]["kind"] == "near"
        a.release()
        assert other.supervise_as(b, at(26))["notices"][0]["kind"] == "overdue"
        assert not a.acquire()
    finally:
        a.release()
        b.release()
        other.dispose()


async def test_the_service_runs_the_scheduler(sqlite_store):
    now = datetime.now(timezone.utc)
    code = sqlite_store.file_ticket(debt(), now=now - timedelta(hours=21))["code"]
    app = create_app(
        sqlite_store, staff_token="t", deliver_outbox=True, supervision_interval=0.05, channels=[]
    )
    async with TestClient(TestServer(app)):
        for _ in range(100):
            ticket = await asyncio.to_thread(sqlite_store.get_ticket, code)
            if ticket["supervision"]:
                break
            await asyncio.sleep(0.05)
    assert [(s["stage"], s["kind"]) for s in ticket["supervision"]] == [("sign", "near")]
    # stopping the service stepped down: another instance could lead at once
    assert Leadership(sqlite_store.engine).acquire()


async def test_api_lists_the_supervised_tickets(sqlite_store):
    late = sqlite_store.file_ticket(debt("web-1"), now=T0)["code"]
    sqlite_store.file_ticket(debt("web-2"), now=T0 + timedelta(days=30))
    sqlite_store.supervise(at(30))
    app = create_app(sqlite_store, staff_token="t", deliver_outbox=False)
    async with TestClient(TestServer(app)) as client:
        auth = {"Authorization": "Bearer t"}
        doc = openapi_document()
        resp = await client.get("/api/tickets?supervised=1", headers=auth)
        tickets = (await _check(resp, "/api/tickets", "get", doc))["tickets"]
        assert [t["code"] for t in tickets] == [late]
        assert tickets[0]["supervision"][0]["kind"] == "overdue"
        resp = await client.get("/api/tickets?supervised=0", headers=auth)
        others = (await _check(resp, "/api/tickets", "get", doc))["tickets"]
        assert [t["repeat_of"] for t in others] == [[{"code": late, "basis": "phone"}]]
        assert (await client.get("/api/tickets?supervised=maybe", headers=auth)).status == 400
