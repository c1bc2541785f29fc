"""The citizen's side of the closed loop: each stage change queues one progress SMS for a consenting
citizen (delivered, signed, in order, to a fake SMS gateway), nothing for a citizen without consent;
the citizen's rating after 办结 (hotline digit, status page, widget), a low rating's return visit
(差评待回访) in the queue, and 满意率 counted apart for citizens and staff."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import signing
from bot.service.app import create_app
from bot.service.channels import HotlineCallbacks
from bot.smsparts import SMS_LIMIT, sms_length
from bot.storage import outbox
from bot.storage.models import Outbox, Ticket
from bot.storage.store import IntakeRecord, InvalidInput, ListFilters, TicketStore
from bot.tickets import notices

SECRET = "gateway-test-secret"
PHONE = "13912345678"
WIDGET_ID = "w-" + "ab" * 16


@pytest.fixture(autouse=True)
def _sms_gateway_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress messages are queued only when the SMS gateway's callback is configured."""
    monkeypatch.setenv("HOTLINE_CALLBACK_URL", "http://127.0.0.1:9/sms/callback")


def record(phone: str | None = PHONE, sender: str = "hl-1", channel: str = "hotline") -> IntakeRecord:
    facts: dict[str, Any] = {
        "applicant_name": "张三" if phone else None,
        "phone": phone,
        "counterparty": "王某",
    }
    return IntakeRecord(sender, channel, "neighbor", "none", facts, "邻居噪音纠纷")


def close(store: TicketStore, code: str) -> None:
    """签收 → 调解 → 化解 → 办结, as staff do it."""
    store.claim(code, "李四")
    store.change_status(code, "in_mediation", "李四")
    store.change_status(code, "resolved", "李四", "双方和解")
    store.change_status(code, "closed", "李四")


def notices_queued(store: TicketStore) -> list[dict[str, Any]]:
    """The progress messages in the outbox, oldest first (bodies decrypted)."""
    from bot.privacy import decrypt

    with store._read() as session:
        rows = session.query(Outbox).filter(Outbox.target == outbox.HOTLINE).order_by(Outbox.id).all()
        return [json.loads(decrypt(r.payload_enc) or "{}") for r in rows if r.event == "ticket.notice"]


class Gateway:
    """The SMS gateway's callback URL on a loopback port: records every request."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append((dict(request.headers), await request.read()))
        return web.Response(status=200)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
async def gateway() -> AsyncIterator[tuple[Gateway, str]]:
    fake = Gateway()
    app = web.Application()
    app.router.add_post("/sms/callback", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield fake, f"http://127.0.0.1:{port}/sms/callback"
    await runner.cleanup()


async def test_every_stage_reaches_a_consenting_citizen_signed_and_in_order(
    sqlite_store: TicketStore, gateway: tuple[Gateway, str]
) -> None:
    fake, url = gateway
    code = sqlite_store.file_ticket(record())["code"]
    other = sqlite_store.file_ticket(record("13800001111", sender="hl-2"))["code"]
    sqlite_store.claim(code, "李四")
    sqlite_store.claim(other, "王五")
    sqlite_store.add_note(code, "李四", "已电话联系")  # a note is not a stage: no message
    sqlite_store.change_status(code, "in_mediation", "李四")
    sqlite_store.change_status(code, "resolved", "李四")
    sqlite_store.change_status(code, "closed", "李四")
    sender = HotlineCallbacks(sqlite_store, url, SECRET, base_delay=0.0)
    for _ in range(8):
        await sender.deliver_pending()
    mine = [b for b in fake.bodies() if b["to"] == PHONE]
    assert [b["notice"] for b in mine] == ["accepted", "contacted", "resolved", "closed"]
    assert all(b["code"] == code and b["in_reply_to"] is None for b in mine)
    texts = ["".join(b["parts"]) for b in mine]
    assert "签收" in texts[0] and "调解" in texts[1] and "已化解" in texts[2]
    assert "已办结" in texts[3] and "回复1到5" in texts[3]
    for b in mine:
        joined = "".join(b["parts"])
        assert code in joined and f"/status/?code={code}" in joined  # never cut inside the code or link
        assert all(sms_length(p) <= SMS_LIMIT for p in b["parts"])
    assert [b["notice"] for b in fake.bodies() if b["to"] == "13800001111"] == ["accepted"]
    for headers, body in fake.requests:
        verdict = signing.verify(
            SECRET, body, headers.get(signing.TIMESTAMP_HEADER), headers.get(signing.SIGNATURE_HEADER)
        )
        assert verdict.ok, verdict.reason


def test_a_citizen_without_consent_gets_nothing(sqlite_store: TicketStore) -> None:
    code = sqlite_store.file_ticket(record(phone=None, sender="w-" + "0" * 32, channel="rest"))["code"]
    sqlite_store.transfer(code, "legal_aid", "李四", "需要法律援助")
    close(sqlite_store, code)
    assert notices_queued(sqlite_store) == []
    # the center's webhook still hears of every change
    assert [r["event"] for r in sqlite_store.outbox_rows(code)][-1] == "ticket.status_changed"


def test_without_an_sms_gateway_nothing_waits_in_the_outbox(
    sqlite_store: TicketStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HOTLINE_CALLBACK_URL")
    close(sqlite_store, sqlite_store.file_ticket(record())["code"])
    assert notices_queued(sqlite_store) == []


def test_a_web_citizen_who_left_a_phone_gets_sms_and_a_transfer_is_a_stage(sqlite_store: TicketStore) -> None:
    code = sqlite_store.file_ticket(record(sender=WIDGET_ID, channel="rest"))["code"]
    sqlite_store.transfer(code, "legal_aid", "李四", "需要法律援助")
    [notice] = notices_queued(sqlite_store)
    assert (
        notice["to"] == PHONE
        and notice["notice"] == "transferred"
        and "法律援助窗口" in "".join(notice["parts"])
    )


def test_a_hotline_digit_after_closing_is_the_rating(store: TicketStore) -> None:
    code = store.file_ticket(record())["code"]
    assert store.rate_by_phone(PHONE, 5) is None  # not closed yet: the digit is a message
    close(store, code)
    assert store.rate_by_phone("13800001111", 5) is None  # another phone
    result = store.rate_by_phone("+86 139-1234-5678", 5)
    assert result is not None and result["code"] == code and "感谢您的评价（5分）" in result["reply"]
    ticket = store.get_ticket(code)
    assert (
        ticket is not None and ticket["citizen_rating"] == 5 and ticket["follow_up"]["satisfaction"] is None
    )
    assert ticket["history"][-1]["kind"] == "rating" and not ticket["citizen_feedback"]["revisit_due"]
    assert store.rate_by_phone(PHONE, 1) is None  # rated: later digits are ordinary messages


def test_a_low_rating_opens_a_return_visit_until_staff_record_one(store: TicketStore) -> None:
    code = store.file_ticket(record())["code"]
    fine = store.file_ticket(record("13800001111", sender="hl-2"))["code"]
    close(store, code)
    close(store, fine)
    store.rate_by_phone(PHONE, 2)
    store.rate_by_phone("13800001111", 4)
    ticket = store.get_ticket(code)
    assert ticket is not None and ticket["citizen_feedback"]["revisit_due"] is True
    assert [h["kind"] for h in ticket["history"][-2:]] == ["rating", "revisit_task"]
    assert "差评待回访" in ticket["history"][-1]["note"]
    assert [t["code"] for t in store.list_tickets(ListFilters(revisit=True))] == [code]
    queue = store.list_tickets(ListFilters(status="received,awaiting_staff,routed,accepted,in_mediation"))
    assert [t["code"] for t in queue] == [code]  # back in the work queue though closed
    store.follow_up(code, 3, "主管已回访，解释了处理依据", "陈主任")
    assert store.list_tickets(ListFilters(revisit=True)) == []
    after = store.get_ticket(code)
    assert (
        after is not None
        and after["citizen_feedback"]["revisit_due"] is False
        and after["citizen_rating"] == 2
    )


def test_satisfaction_rates_count_citizens_and_staff_apart(store: TicketStore) -> None:
    phones = ["13900000001", "13900000002", "13900000003"]
    codes = [store.file_ticket(record(p, sender=f"hl-{p}"))["code"] for p in phones]
    for code in codes:
        close(store, code)
    store.rate_by_phone(phones[0], 5)
    store.rate_by_phone(phones[1], 2)
    store.follow_up(codes[2], 4, "满意", "李四")
    store.follow_up(codes[1], 5, "回访后满意", "陈主任")
    rates = store.statistics()["satisfaction_rate"]
    assert rates["citizen"] == {"count": 2, "satisfied": 1, "rate": 0.5, "average": 3.5}
    assert rates["staff"] == {"count": 2, "satisfied": 2, "rate": 1.0, "average": 4.5}


def test_the_status_page_rating_keeps_the_status_checks_limits(store: TicketStore) -> None:
    code = store.file_ticket(record())["code"]
    close(store, code)
    with pytest.raises(InvalidInput):
        store.rate_checked(code, "5678", 6)
    for _ in range(4):
        assert store.rate_checked(code, "0000", 5) is None  # wrong last 4: refused, counted
    locked = store.rate_checked(code, "1111", 5)
    assert locked is not None and locked["locked"] is True
    assert store.rate_checked(code, "5678", 5)["locked"] is True  # type: ignore[index]
    ticket = store.get_ticket(code)
    assert ticket is not None and ticket["citizen_rating"] is None


def test_rating_texts_parse_the_ways_citizens_type_them() -> None:
    assert [notices.parse_rating(t) for t in ("5", "５", "五", "4分", " 3 。", "评分2", "五星")] == [
        5,
        5,
        5,
        4,
        3,
        2,
        5,
    ]
    assert [notices.parse_rating(t) for t in ("6", "0", "15", "好", "5号楼", "", "5" * 2000)] == [None] * 7


@pytest.fixture
async def client(sqlite_store: TicketStore) -> AsyncIterator[TestClient]:
    app = create_app(
        sqlite_store, staff_token="admin-test-token", deliver_outbox=False, public_rate=(50, 60.0)
    )
    async with TestClient(TestServer(app)) as c:
        yield c


async def test_the_widget_sees_its_cases_and_rates_a_closed_one(
    client: TestClient, sqlite_store: TicketStore
) -> None:
    code = sqlite_store.file_ticket(record(sender=WIDGET_ID, channel="rest"))["code"]
    body = await (await client.get(f"/api/public/updates?sender_id={WIDGET_ID}")).json()
    assert [(u["code"], u["status"], u["can_rate"]) for u in body["updates"]] == [(code, "received", False)]
    assert "您的案件有新进展" in body["texts"]["widget_update"]
    early = await client.post("/api/public/rating", json={"sender_id": WIDGET_ID, "code": code, "rating": 5})
    assert early.status == 409 and "办结后" in (await early.json())["message"]
    close(sqlite_store, code)
    [update] = (await (await client.get(f"/api/public/updates?sender_id={WIDGET_ID}")).json())["updates"]
    assert update["status_name"] == "已办结" and update["can_rate"] is True
    other = "w-" + "cd" * 16
    stranger = await client.post("/api/public/rating", json={"sender_id": other, "code": code, "rating": 1})
    assert stranger.status == 404
    assert (await (await client.get(f"/api/public/updates?sender_id={other}")).json())["updates"] == []
    assert (await (await client.get("/api/public/updates?sender_id=hl-123")).json())["updates"] == []
    both = await (await client.get(f"/api/public/updates?sender_id=hl-1&sender_id={WIDGET_ID}")).json()
    assert [(u["sender_id"], u["code"]) for u in both["updates"]] == [(WIDGET_ID, code)]
    rated = await client.post(
        "/api/public/rating",
        json={"sender_id": WIDGET_ID, "code": code, "rating": 4, "comment": "调解员很耐心"},
    )
    assert rated.status == 200 and (await rated.json())["citizen_rating"] == 4
    ticket = sqlite_store.get_ticket(code)
    assert ticket is not None and ticket["citizen_feedback"]["comment"] == "调解员很耐心"


async def test_the_status_page_offers_the_rating_and_rejects_a_wrong_last4(
    client: TestClient, sqlite_store: TicketStore
) -> None:
    code = sqlite_store.file_ticket(record())["code"]
    close(sqlite_store, code)
    page = await (await client.post("/status/", data={"code": code, "phone_last4": "5678"})).text()
    assert "已办结" in page and 'action="/status/rating"' in page and 'value="5"' in page
    wrong = await client.post("/status/rating", data={"code": code, "phone_last4": "0000", "rating": "1"})
    assert "没有查到" in await wrong.text()
    api_wrong = await client.post(
        "/api/public/rating", json={"code": code, "phone_last4": "0000", "rating": 1}
    )
    assert api_wrong.status == 404
    done = await client.post(
        "/status/rating",
        data={"code": code, "phone_last4": "5678", "rating": "1", "comment": "一直没人联系我"},
    )
    text = await done.text()
    assert "感谢您的评价（1分）" in text and "主管" in text
    ticket = sqlite_store.get_ticket(code)
    assert ticket is not None and ticket["citizen_rating"] == 1 and ticket["citizen_feedback"]["revisit_due"]
    again = await (await client.post("/status/", data={"code": code, "phone_last4": "5678"})).text()
    assert 'action="/status/rating"' not in again  # rated: no second form


async def test_the_citizen_endpoints_answer_as_the_document_says(
    client: TestClient, sqlite_store: TicketStore
) -> None:
    from bot.service.openapi import openapi_document
    from tests.tickets.test_openapi import _check

    doc = openapi_document()
    code = sqlite_store.file_ticket(record(sender=WIDGET_ID, channel="rest"))["code"]
    close(sqlite_store, code)
    updates = await _check(
        await client.get(f"/api/public/updates?sender_id={WIDGET_ID}"), "/api/public/updates", "get", doc
    )
    assert updates["updates"][0]["can_rate"] is True
    path = "/api/public/rating"
    await _check(
        await client.post(path, json={"code": code, "phone_last4": "0000", "rating": 3}), path, "post", doc
    )
    await _check(
        await client.post(path, json={"code": code, "phone_last4": "5678", "rating": 9}), path, "post", doc
    )
    rated = await _check(
        await client.post(path, json={"code": code, "phone_last4": "5678", "rating": 3}), path, "post", doc
    )
    assert rated["citizen_rating"] == 3
    await _check(
        await client.post(path, json={"code": code, "phone_last4": "5678", "rating": 3}), path, "post", doc
    )
    ticket = await _check(
        await client.get(f"/api/tickets/{code}", headers={"Authorization": "Bearer admin-test-token"}),
        "/api/tickets/{code}",
        "get",
        doc,
    )
    assert ticket["citizen_rating"] == 3
    stats = await _check(
        await client.get("/api/stats", headers={"Authorization": "Bearer admin-test-token"}),
        "/api/stats",
        "get",
        doc,
    )
    assert stats["satisfaction_rate"]["citizen"]["count"] == 1


def test_the_chat_status_query_reports_the_new_status(sqlite_store: TicketStore, profile: Any) -> None:
    from bot.tickets.messages import status_message

    code = sqlite_store.file_ticket(record())["code"]
    assert "已受理" in status_message(sqlite_store.public_status(code, "5678"), profile)
    close(sqlite_store, code)
    assert "已办结" in status_message(sqlite_store.public_status(code, "5678"), profile)


def test_the_rating_comment_is_encrypted_and_purged_with_the_case(sqlite_store: TicketStore) -> None:
    from datetime import timedelta

    from bot.tickets.deadlines import utcnow

    code = sqlite_store.file_ticket(record())["code"]
    close(sqlite_store, code)
    sqlite_store.rate_checked(code, "5678", 2, "调解员态度不好，电话13912345678")
    with sqlite_store._read() as session:
        stored = session.query(Ticket).filter(Ticket.code == code).one().citizen_rating_comment_enc
    assert stored and "态度" not in stored and "13912345678" not in stored
    assert sqlite_store.purge_expired(now=utcnow() + timedelta(days=3650)) == 1
    ticket = sqlite_store.get_ticket(code)
    assert (
        ticket is not None and ticket["citizen_rating"] == 2 and ticket["citizen_feedback"]["comment"] is None
    )


async def test_the_widget_does_not_use_up_the_status_checks_of_its_address(sqlite_store: TicketStore) -> None:
    code = sqlite_store.file_ticket(record(sender=WIDGET_ID, channel="rest"))["code"]
    app = create_app(sqlite_store, staff_token="t", deliver_outbox=False, public_rate=(2, 60.0))
    async with TestClient(TestServer(app)) as c:
        for _ in range(5):  # a citizen opening the widget again and again
            answer = await c.get(f"/api/public/updates?sender_id={WIDGET_ID}")
            assert answer.status == 200 and (await answer.json())["updates"][0]["code"] == code
        assert (await c.post("/api/public/status", json={"code": code, "phone_last4": "5678"})).status == 200
        assert (
            await c.post("/api/public/rating", json={"code": code, "phone_last4": "5678", "rating": 5})
        ).status == 409
        limited = await c.post("/api/public/rating", json={"code": code, "phone_last4": "5678", "rating": 5})
        assert limited.status == 429  # the status check's own limit still holds for code + last 4
