"""Live 转人工 through the staff API and the widget's poll, against a stand-in for Rasa's HTTP API:
the list scoped by window, take / write / hand back, what the citizen's widget receives, what lands
in Rasa's tracker (pause, staff words with the name, resume, the intake form run again)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from console_helpers import csrf_of, login, wage_record
from jsonschema import RefResolver
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from rasa_fake import TOKEN, FakeRasa

from bot.service.app import create_app
from bot.service.console import CONSOLE_CONFIG
from bot.service.openapi import openapi_document
from bot.storage import outbox
from bot.tickets.deadlines import utcnow

CITIZEN = "w-" + "a1" * 16
OTHER_CITIZEN = "w-" + "b2" * 16


@pytest.fixture
async def rasa() -> AsyncIterator[tuple[FakeRasa, str]]:
    fake = FakeRasa()
    async with TestServer(fake.app()) as server:
        yield fake, str(server.make_url("")).rstrip("/")


@pytest.fixture
async def api(store, rasa) -> AsyncIterator[TestClient]:
    app = create_app(store, staff_token="admin-test-token", deliver_outbox=False)
    app[CONSOLE_CONFIG] = dataclasses.replace(app[CONSOLE_CONFIG], rasa_url=rasa[1], rasa_token=TOKEN)
    async with TestClient(TestServer(app)) as c:
        yield c


def waiting(store, fake: FakeRasa, sender: str, channel: str = "rest", **kw: Any) -> dict[str, Any]:
    """A citizen of the wage window asked for a person: ticket filed, conversation listed and paused."""
    ticket = store.file_ticket(
        dataclasses.replace(wage_record(sender), channel=channel, status="awaiting_staff")
    )
    fake.conversation(sender, "老板欠我工资", "转人工", slots={"category": "wage_arrears"})
    store.open_handoff(sender, channel, ticket["code"], ticket["summary"], **kw)
    return ticket


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def matches(resp: Any, path: str, method: str = "post") -> Any:
    """The response's JSON, checked against the OpenAPI document's schema for it."""
    doc = openapi_document()
    schema = doc["paths"][path][method]["responses"][str(resp.status)]["content"]["application/json"][
        "schema"
    ]
    validator = OAS30ReadValidator(
        schema, resolver=RefResolver.from_schema(doc), format_checker=oas30_format_checker
    )
    body = await resp.json()
    assert [e.message for e in validator.iter_errors(body)] == []
    return body


async def poll(client: TestClient, sender: str, after: float | None = None) -> dict[str, Any]:
    resp = await client.post("/widget/handoff", data=json.dumps({"sender": sender, "after": after}))
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_staff_take_write_and_hand_back_the_citizen_sees_it_all(api, store, rasa) -> None:
    fake, _ = rasa
    ticket = waiting(store, fake, CITIZEN)
    wang, _ = store.create_token("王志强", "window_staff", ["labor_inspection"])

    listed = await matches(await api.get("/api/handoffs", headers=bearer(wang)), "/api/handoffs", "get")
    assert [(h["sender_id"], h["state"], h["ticket_code"]) for h in listed["handoffs"]] == [
        (CITIZEN, "waiting", ticket["code"])
    ]
    assert listed["handoffs"][0]["summary"] and listed["handoffs"][0]["channel"] == "rest"
    first = await poll(api, CITIZEN)
    assert first["state"] == "waiting" and first["messages"] == []

    resp = await api.post(f"/api/handoffs/{CITIZEN}/take", headers=bearer(wang))
    assert (await matches(resp, "/api/handoffs/{sender_id}/take"))["taken_by"] == "王志强"
    resp = await api.post(
        f"/api/handoffs/{CITIZEN}/messages",
        headers=bearer(wang),
        json={"text": "您好，我是王志强，欠了多久？"},
    )
    assert resp.status == 200
    seen = await poll(api, CITIZEN, first["cursor"])
    assert seen["state"] == "taken" and seen["staff"] == "王志强"
    assert [m["text"] for m in seen["messages"]] == [
        "工作人员王志强已接入，请直接说您的情况。",
        "您好，我是王志强，欠了多久？",
    ]
    assert seen["messages"][1]["staff"] == "王志强"
    assert (await poll(api, CITIZEN, seen["cursor"]))["messages"] == []  # nothing twice

    staff_event = [e for e in fake.events(CITIZEN) if e.get("text") == "您好，我是王志强，欠了多久？"][0]
    assert staff_event["event"] == "bot" and staff_event["metadata"]["handoff"]["staff"] == "王志强"

    fake.citizen_says(CITIZEN, "三个月了")  # Rasa stores it while paused; the bot stays silent
    resp = await api.post(f"/api/handoffs/{CITIZEN}/release", headers=bearer(wang))
    assert (await matches(resp, "/api/handoffs/{sender_id}/release"))["state"] == "released"
    kinds = [e["event"] for e in fake.events(CITIZEN)]
    assert kinds.index("pause") < kinds.index("resume") and fake.executed == [(CITIZEN, "intake_form")]
    back = await poll(api, CITIZEN, seen["cursor"])
    assert back["state"] == "ended"
    assert [m["text"] for m in back["messages"]] == [
        "工作人员王志强已把对话交回智能助手，我们接着来。",
        "一共涉及多少钱？",
    ]
    assert (await (await api.get("/api/handoffs", headers=bearer(wang))).json())["handoffs"] == []


async def test_scoping_and_unknown_conversations(api, store, rasa) -> None:
    fake, _ = rasa
    waiting(store, fake, CITIZEN)
    zhao, _ = store.create_token("赵敏", "window_staff", ["labor_arbitration"])  # another window
    wang, _ = store.create_token("王志强", "window_staff", ["labor_inspection"])
    assert (await (await api.get("/api/handoffs", headers=bearer(zhao))).json())["handoffs"] == []
    resp = await api.post(f"/api/handoffs/{CITIZEN}/take", headers=bearer(zhao))
    assert resp.status == 403
    await matches(resp, "/api/handoffs/{sender_id}/take")
    assert (await api.post(f"/api/handoffs/{OTHER_CITIZEN}/take", headers=bearer(wang))).status == 404
    assert (await api.post(f"/api/handoffs/{CITIZEN}/take")).status == 401
    # only the taker writes and hands back
    assert (
        await api.post(f"/api/handoffs/{CITIZEN}/messages", headers=bearer(wang), json={"text": "在吗"})
    ).status == 409
    await api.post(f"/api/handoffs/{CITIZEN}/take", headers=bearer(wang))
    resp = await api.post(f"/api/handoffs/{CITIZEN}/take", headers=bearer("admin-test-token"))
    assert resp.status == 409 and "王志强" in (await resp.json())["message"]
    assert (
        await api.post(f"/api/handoffs/{CITIZEN}/messages", headers=bearer(wang), json={"text": ""})
    ).status == 400


async def test_a_citizen_cannot_poll_another_citizens_conversation(api, store, rasa) -> None:
    fake, _ = rasa
    waiting(store, fake, CITIZEN)
    wang, _ = store.create_token("王志强", "window_staff", ["labor_inspection"])
    await api.post(f"/api/handoffs/{CITIZEN}/take", headers=bearer(wang))
    await api.post(
        f"/api/handoffs/{CITIZEN}/messages", headers=bearer(wang), json={"text": "您的工资欠了多久？"}
    )
    other = await poll(api, OTHER_CITIZEN, 0.0)  # a valid id of another citizen: nothing of A's
    assert other == {"state": "none", "messages": [], "cursor": 0.0}
    for bad in ("hl-" + "0" * 24, CITIZEN.upper(), CITIZEN + "0", None):  # hotline ids, odd forms
        resp = await api.post("/widget/handoff", data=json.dumps({"sender": bad, "after": 0}))
        assert resp.status == 400
    assert len((await poll(api, CITIZEN, 0.0))["messages"]) == 2


async def test_hotline_staff_messages_go_out_as_sms_parts(api, store, rasa) -> None:
    fake, _ = rasa
    sender = "hl-" + "c3" * 12
    waiting(store, fake, sender, channel="hotline", recipient="13912345678")
    wang, _ = store.create_token("王志强", "window_staff", ["labor_inspection"])
    await api.post(f"/api/handoffs/{sender}/take", headers=bearer(wang))
    long = "您好，" + "请把欠条、考勤记录和聊天记录都准备好，" * 4 + "明天上午来一楼3号窗口。"
    await api.post(f"/api/handoffs/{sender}/messages", headers=bearer(wang), json={"text": long})
    bodies = []
    while rows := store.due_outbox(20, outbox.HOTLINE):  # one recipient's rows come out in order
        bodies += [json.loads(r.body) for r in rows]
        for row in rows:
            store.outbox_delivered(row.id)
    assert [b["to"] for b in bodies] == ["13912345678", "13912345678"]
    assert bodies[0]["parts"] == ["工作人员王志强已接入，请直接说您的情况。"]
    assert len(bodies[1]["parts"]) > 1 and bodies[1]["parts"][0].startswith("1/")
    assert "".join(p.split(" ", 1)[1] for p in bodies[1]["parts"]) == long
    assert bodies[1]["handoff"] == {"staff": "王志强"}


async def test_nobody_takes_it_in_time_the_citizen_is_told_honestly(api, store, rasa) -> None:
    fake, _ = rasa
    ticket = waiting(store, fake, CITIZEN, now=utcnow() - timedelta(minutes=30))
    from bot.service.handoff.views import relay_of

    assert await relay_of(api.server.app).expire_overdue() == 1
    told = (await poll(api, CITIZEN, 0.0))["messages"]
    assert len(told) == 1 and "没能及时接入" in told[0]["text"] and ticket["code"] in told[0]["text"]
    assert fake.events(CITIZEN)[-1]["event"] == "resume"
    assert store.handoff(CITIZEN)["state"] == "expired"
    assert store.get_ticket(ticket["code"])["status"] == "awaiting_staff"  # filed as before


async def test_console_lists_takes_writes_and_hands_back(api, store, rasa) -> None:
    fake, _ = rasa
    ticket = waiting(store, fake, CITIZEN)
    code = ticket["code"]
    await login(api, "zhao")  # another window: neither listed nor reachable
    assert code not in await (await api.get("/console/handoffs")).text()
    assert (await api.get(f"/console/handoffs/{code}")).status == 403
    await login(api, "wang")
    page = await (await api.get("/console/handoffs")).text()
    assert code in page and "等待接入" in page and "接入" in page
    csrf = csrf_of(page)
    resp = await api.post(f"/console/handoffs/{code}/take", data={"csrf": csrf}, allow_redirects=False)
    assert resp.status == 303
    chat = await (await api.get(f"/console/handoffs/{code}")).text()
    assert "老板欠我工资" in chat and "交回智能助手" in chat and CITIZEN not in chat
    await api.post(f"/console/handoffs/{code}/send", data={"csrf": csrf, "text": "请问欠了几个月？"})
    fake.citizen_says(CITIZEN, "三个月")
    pane = await (await api.get(f"/console/handoffs/{code}/messages")).json()
    assert [(m["speaker"], m["text"]) for m in pane["messages"][-2:]] == [
        ("工作人员 王志强", "请问欠了几个月？"),
        ("群众", "三个月"),
    ]
    told = (await poll(api, CITIZEN, 0.0))["messages"]
    assert told[-1] == {"text": "请问欠了几个月？", "staff": "王志强", "at": told[-1]["at"]}
    await api.post(f"/console/handoffs/{code}/release", data={"csrf": csrf})
    assert store.handoff(CITIZEN)["state"] == "released"
    assert fake.executed == [(CITIZEN, "intake_form")]


async def test_wechat_staff_messages_go_out_as_customer_service_messages(api, store, rasa) -> None:
    fake, _ = rasa
    sender = "wx-" + "d4" * 12
    waiting(store, fake, sender, channel="wechat", recipient="oWx_citizen_openid")
    wang, _ = store.create_token("王志强", "window_staff", ["labor_inspection"])
    await api.post(f"/api/handoffs/{sender}/take", headers=bearer(wang))
    await api.post(f"/api/handoffs/{sender}/messages", headers=bearer(wang), json={"text": "请问欠了多久？"})
    bodies = []
    while rows := store.due_outbox(20, outbox.WECHAT):
        bodies += [json.loads(r.body) for r in rows]
        for row in rows:
            store.outbox_delivered(row.id)
    assert bodies == [
        {"openid": "oWx_citizen_openid", "content": "工作人员王志强已接入，请直接说您的情况。"},
        {"openid": "oWx_citizen_openid", "content": "请问欠了多久？"},
    ]


async def test_an_expiry_rasa_could_not_hear_is_tried_again(store) -> None:
    from bot.service.handoff.rasa import RasaConversations
    from bot.service.handoff.relay import Relay
    from bot.service.rasa_api import RasaApi

    ticket = store.file_ticket(dataclasses.replace(wage_record(CITIZEN), status="awaiting_staff"))
    store.open_handoff(CITIZEN, "rest", ticket["code"], "欠薪", now=utcnow() - timedelta(minutes=30))
    api = RasaApi("http://127.0.0.1:9", TOKEN)
    down = Relay(store, RasaConversations(api))
    assert await down.expire_overdue() == 0
    await api.close()
    assert store.handoff(CITIZEN)["state"] == "waiting"  # still listed: the citizen was not told yet
