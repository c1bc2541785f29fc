"""4: staff see no more than their role: API filings point at no transcript and non-admins file
under their own sender-id namespace, replaying another window's idempotency key is 403, phones and
phone-shaped sender ids are masked for non-admins everywhere, mediators are matched by id, and
``update_intake`` never re-routes a ticket staff acted on."""

from __future__ import annotations

import dataclasses
import os

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.fernet import Fernet

os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())

from bot.service.app import create_app  # noqa: E402
from bot.service.console import CONSOLE_CONFIG  # noqa: E402
from bot.service.console.auth import ConsoleUser  # noqa: E402
from bot.storage.store import IntakeRecord, ListFilters, TicketStore  # noqa: E402
from bot.tickets.profiles import load_profile  # noqa: E402

ADMIN = {"Authorization": "Bearer admin-test-token"}


@pytest.fixture(scope="module")
def profile():
    return load_profile()


@pytest.fixture
def store(tmp_path, profile):
    s = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", profile)
    yield s
    s.dispose()


@pytest.fixture
async def client(store):
    app = create_app(store, staff_token="admin-test-token", deliver_outbox=False)
    app[CONSOLE_CONFIG] = dataclasses.replace(app[CONSOLE_CONFIG], rasa_url="http://127.0.0.1:9")
    async with TestClient(TestServer(app)) as c:
        yield c


def _clerk(store, windows=("labor_inspection",)):
    token, _ = store.create_token("窗口甲", "window_staff", list(windows))
    return {"Authorization": f"Bearer {token}"}


def _wage(sender="13800001111", channel="hotline"):
    return IntakeRecord(
        sender, channel, "wage_arrears", "none", {"phone": "13912345678", "applicant_name": "张三"}, "欠薪"
    )


def _body(sender_id, category="wage_arrears", **extra):
    return {
        "sender_id": sender_id,
        "channel": "rest",
        "category": category,
        "risk_level": "none",
        "facts": {"phone": "13700002222"},
        **extra,
    }


async def test_api_filing_cannot_name_a_conversation(client, store):
    bot_ticket = store.file_ticket(_wage("13800001111"))  # the bot's hotline conversation
    assert bot_ticket["transcript_ref"]["sender_id"] == "13800001111"
    resp = await client.post("/api/tickets", headers=_clerk(store), json=_body("13800001111"))
    filed = await resp.json()
    assert resp.status == 201 and filed["transcript_ref"] is None
    stored = store.get_ticket(filed["code"])
    assert stored["sender_id"].startswith("api-") and stored["sender_id"] != "13800001111"
    assert store.transcript_ref(filed["code"]) is None
    # even an administrator's API filing points at no transcript
    resp = await client.post("/api/tickets", headers=ADMIN, json=_body("13800001111"))
    assert (await resp.json())["transcript_ref"] is None


async def test_replaying_another_windows_key_is_forbidden(client, store):
    clerk = _clerk(store)
    body = _body("c-1", category="neighbor", idempotency_key="k-1")  # routed to people_mediation
    first = await client.post("/api/tickets", headers=clerk, json=body)
    assert first.status == 201
    replay = await client.post("/api/tickets", headers=clerk, json=body)
    assert replay.status == 403 and (await replay.json())["error"] == "forbidden"
    mine = _body("c-2", idempotency_key="k-2")
    a = await (await client.post("/api/tickets", headers=clerk, json=mine)).json()
    b = await client.post("/api/tickets", headers=clerk, json=mine)
    assert b.status == 200 and (await b.json())["code"] == a["code"]


async def test_phones_masked_for_staff_full_for_admins(client, store):
    code = store.file_ticket(_wage("13800001111"))["code"]
    clerk = _clerk(store)
    got = await (await client.get(f"/api/tickets/{code}", headers=clerk)).json()
    assert got["facts"]["phone"] == "139****5678" and "13800001111" not in str(got)
    listed = (await (await client.get("/api/tickets", headers=clerk)).json())["tickets"]
    assert listed and "13800001111" not in str(listed) and "13912345678" not in str(listed)
    claimed = await (await client.post(f"/api/tickets/{code}/claim", headers=clerk)).json()
    assert "13912345678" not in str(claimed) and "13800001111" not in str(claimed)
    admin = await (await client.get(f"/api/tickets/{code}", headers=ADMIN)).json()
    assert admin["facts"]["phone"] == "13912345678" and admin["sender_id"] == "13800001111"
    admin_list = (await (await client.get("/api/tickets", headers=ADMIN)).json())["tickets"]
    assert admin_list[0]["facts"]["phone"] == "13912345678"


def test_mediators_are_matched_by_id_not_name(store):
    mediator = store.create_user("li", "password-1", "李秀英", "mediator")
    namesake = store.create_user("li2", "password-2", "李秀英", "window_staff", ["labor_inspection"])
    code = store.file_ticket(_wage())["code"]  # labor_inspection, not mediator m_li
    store.claim(code, namesake["name"], actor_id=f"user:{namesake['id']}")
    li = ConsoleUser.from_json({**mediator, "csrf_token": "x"})
    ticket = store.get_ticket(code)
    assert ticket["assignee"] == "李秀英" and not li.can_see(ticket)
    filters = ListFilters(assigned_to=li.people(), assignee_ids=(li.actor_id,))
    assert code not in [t["code"] for t in store.list_tickets(filters)]
    # a ticket the mediator claimed is theirs
    store.claim(code, li.name, actor_id=li.actor_id)
    assert li.can_see(store.get_ticket(code))
    assert code in [t["code"] for t in store.list_tickets(filters)]


def test_update_intake_does_not_reroute_after_staff_acted(store):
    urgent = dataclasses.replace(_wage(), risk_level="urgent", status="received")
    code = store.file_ticket(urgent)["code"]
    before = store.get_ticket(code)
    store.claim(code, "王窗口", actor_id="user:1")
    family = IntakeRecord(
        "13800001111",
        "hotline",
        "family",
        "urgent",
        {"phone": "13912345678", "applicant_name": "张三", "location": "刘家堡乡"},
        "家暴，补充了地点",
    )
    after = store.update_intake(code, family)
    assert after["category"] == before["category"] and after["route"]["window"] == before["route"]["window"]
    assert after["route"]["mediator_id"] == before["route"]["mediator_id"]
    assert after["facts"]["location"] == "刘家堡乡" and after["summary"] == "家暴，补充了地点"
    # untouched by staff: the update still routes
    other = store.file_ticket(dataclasses.replace(_wage("s-2"), risk_level="urgent"))["code"]
    assert store.update_intake(other, dataclasses.replace(family, sender_id="s-2"))["category"] == "family"
