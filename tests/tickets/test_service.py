"""The intake service through aiohttp's test client: auth, permissions, errors, public status."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.service.app import create_app
from bot.storage.store import IntakeRecord

ADMIN = {"Authorization": "Bearer admin-test-token"}


@pytest.fixture
async def client(sqlite_store):
    app = create_app(
        sqlite_store,
        staff_token="admin-test-token",
        deliver_outbox=False,
        max_body=4096,
        public_rate=(5, 60.0),
    )
    async with TestClient(TestServer(app)) as c:
        yield c


def _wage(sender="wx-1"):
    return IntakeRecord(
        sender,
        "web",
        "wage_arrears",
        "none",
        {"phone": "13912345678", "applicant_name": "张三", "counterparty": "包工头"},
        "欠薪",
    )


def _family(sender="wx-2"):
    return IntakeRecord(sender, "web", "family", "none", {"phone": "13800001111"}, "赡养纠纷")


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


async def test_index_health_and_openapi(client):
    resp = await client.get("/")
    assert resp.status == 200 and "综治中心" in await resp.text()
    resp = await client.get("/health")
    body = await resp.json()
    assert resp.status == 200 and body["db"] is True and body["status"] == "ok"
    resp = await client.get("/api/openapi.json")
    doc = await resp.json()
    assert doc["openapi"].startswith("3.") and "/api/tickets/{code}" in doc["paths"]
    assert "/api/public/status" in doc["paths"]


async def test_demo_page_takes_rasa_url_from_config_never_from_host_header(client, monkeypatch):
    monkeypatch.setenv("RASA_PUBLIC_URL", "https://rasa.example.gov.cn/")
    resp = await client.get("/demo/", headers={"Host": "evil.example:80"})
    page = await resp.text()
    assert resp.status == 200 and 'data-rasa-url="https://rasa.example.gov.cn"' in page
    assert "evil.example" not in page
    monkeypatch.delenv("RASA_PUBLIC_URL")
    monkeypatch.setenv("RASA_PORT", "5105")
    page = await (await client.get("/", headers={"Host": "evil.example:80"})).text()
    assert "data-rasa-url" not in page and 'data-rasa-port="5105"' in page and "evil.example" not in page
    assert "<li>" in page and "&lt;" not in page  # the profile's windows are listed, escaped once


@pytest.mark.parametrize(
    "headers, message",
    [
        ({}, "缺少访问令牌"),
        ({"Authorization": "Bearer wrong"}, "无效"),
        ({"Authorization": "Basic YWRtaW46YWRtaW4="}, "缺少访问令牌"),
    ],
)
async def test_staff_api_needs_a_valid_token(client, headers, message):
    for path in ("/api/tickets?sender_id=x", "/api/tickets/140105-20261123-0001", "/api/stats"):
        resp = await client.get(path, headers=headers)
        assert resp.status == 401
        body = await resp.json()
        assert body["error"] == "unauthorized" and message in body["message"]


async def test_file_get_and_list(client):
    resp = await client.post(
        "/api/tickets",
        headers=ADMIN,
        json={
            "sender_id": "center-1",
            "channel": "center",
            "category": "debt",
            "risk_level": "none",
            "facts": {"phone": "13700002222", "amount_yuan": 5000},
            "summary": "借款5000元未还",
        },
    )
    assert resp.status == 201
    first = await resp.json()
    resp = await client.post(
        "/api/tickets",
        headers=ADMIN,
        json={
            "sender_id": "center-1",
            "channel": "center",
            "category": "neighbor",
            "risk_level": "none",
            "facts": {},
            "summary": "噪音",
        },
    )
    second = await resp.json()
    resp = await client.get(f"/api/tickets/{first['code']}", headers=ADMIN)
    got = await resp.json()
    assert resp.status == 200 and got["code"] == first["code"]
    assert got["facts"]["phone"] == "13700002222" and got["route"]["window"] == "people_mediation"
    resp = await client.get("/api/tickets", params={"sender_id": "center-1"}, headers=ADMIN)
    listed = (await resp.json())["tickets"]
    assert [t["code"] for t in listed] == [second["code"], first["code"]]
    assert listed[1]["facts"]["phone"] == "13700002222"  # administrators see full values


async def test_errors_are_json(client, sqlite_store):
    resp = await client.get("/api/tickets/140105-20000101-0001", headers=ADMIN)
    assert resp.status == 404 and (await resp.json())["error"] == "not_found"
    code = sqlite_store.file_ticket(_wage())["code"]
    resp = await client.post(f"/api/tickets/{code}/status", headers=ADMIN, data="{not json")
    assert resp.status == 400 and (await resp.json())["error"] == "bad_json"
    resp = await client.post(f"/api/tickets/{code}/notes", headers=ADMIN, data="x" * 10_000)
    assert resp.status == 413 and (await resp.json())["error"] == "body_too_large"
    resp = await client.post("/api/tickets", headers=ADMIN, json={"sender_id": "x"})
    assert resp.status == 400 and "缺少字段" in (await resp.json())["message"]
    resp = await client.post(
        "/api/tickets",
        headers=ADMIN,
        json={"sender_id": "x", "channel": "web", "category": "weather", "risk_level": "none", "facts": {}},
    )
    assert resp.status == 400 and (await resp.json())["error"] == "invalid_input"
    resp = await client.get("/api/tickets", params={"overdue": "maybe"}, headers=ADMIN)
    assert resp.status == 400
    resp = await client.get("/api/nothing", headers=ADMIN)
    assert resp.status == 404 and (await resp.json())["error"] == "not_found"


async def test_lifecycle_over_http(client, sqlite_store):
    code = sqlite_store.file_ticket(_family())["code"]
    _, info = sqlite_store.create_token("李秀英", "mediator", ["family_mediation"])
    token, _ = sqlite_store.create_token("李秀英", "mediator", ["family_mediation"])
    h = _bearer(token)
    resp = await client.post(f"/api/tickets/{code}/claim", headers=h)
    t = await resp.json()
    assert resp.status == 200 and (t["status"], t["assignee"]) == ("accepted", "李秀英")
    resp = await client.post(f"/api/tickets/{code}/follow-up", headers=h, json={"satisfaction": 5})
    assert resp.status == 409
    resp = await client.post(f"/api/tickets/{code}/status", headers=h, json={"status": "closed"})
    assert resp.status == 409 and "不能从" in (await resp.json())["message"]
    resp = await client.post(f"/api/tickets/{code}/status", headers=h, json={})
    assert resp.status == 400
    resp = await client.post(
        f"/api/tickets/{code}/status", headers=h, json={"status": "resolved", "note": "双方达成协议"}
    )
    assert resp.status == 200 and (await resp.json())["status"] == "resolved"
    resp = await client.post(f"/api/tickets/{code}/follow-up", headers=h, json={"satisfaction": 9})
    assert resp.status == 400
    resp = await client.post(
        f"/api/tickets/{code}/follow-up", headers=h, json={"satisfaction": 4, "note": "满意"}
    )
    assert (await resp.json())["follow_up"]["satisfaction"] == 4
    resp = await client.post(f"/api/tickets/{code}/notes", headers=h, json={"note": "已归档"})
    history = (await resp.json())["history"]
    assert history[-1]["note"] == "已归档" and history[-1]["actor"] == "李秀英"
    resp = await client.get("/api/stats", headers=ADMIN)
    stats = await resp.json()
    assert stats["total"] == 1 and stats["satisfaction"]["average"] == 4.0


async def test_window_staff_see_only_their_windows(client, sqlite_store):
    wage = sqlite_store.file_ticket(_wage())["code"]  # labor_inspection + legal_aid
    family = sqlite_store.file_ticket(_family())["code"]
    labor, _ = sqlite_store.create_token("王志强", "window_staff", ["labor_inspection"])
    legal, _ = sqlite_store.create_token("法援", "window_staff", ["legal_aid"])
    assert (await client.get(f"/api/tickets/{wage}", headers=_bearer(labor))).status == 200
    assert (await client.get(f"/api/tickets/{wage}", headers=_bearer(legal))).status == 200
    resp = await client.get(f"/api/tickets/{family}", headers=_bearer(labor))
    assert resp.status == 403 and (await resp.json())["error"] == "forbidden"
    resp = await client.post(f"/api/tickets/{family}/claim", headers=_bearer(labor))
    assert resp.status == 403
    resp = await client.get("/api/tickets", headers=_bearer(labor))
    assert [t["code"] for t in (await resp.json())["tickets"]] == [wage]
    resp = await client.get("/api/tickets", params={"window": "family_mediation"}, headers=_bearer(labor))
    assert resp.status == 403
    resp = await client.get("/api/stats", headers=_bearer(labor))
    assert (await resp.json())["total"] == 1
    mediator, _ = sqlite_store.create_token("调解员", "mediator", ["family_mediation"])
    resp = await client.post(
        "/api/tickets",
        headers=_bearer(mediator),
        json={"sender_id": "x", "channel": "web", "category": "family", "risk_level": "none", "facts": {}},
    )
    assert resp.status == 403


async def test_window_staff_see_the_phone_masked_the_same_on_every_reply(client, sqlite_store):
    code = sqlite_store.file_ticket(_wage())["code"]
    labor, _ = sqlite_store.create_token("王志强", "window_staff", ["labor_inspection"])
    read = await (await client.get(f"/api/tickets/{code}", headers=_bearer(labor))).json()
    resp = await client.post(f"/api/tickets/{code}/notes", headers=_bearer(labor), json={"note": "已联系"})
    noted = await resp.json()
    assert read["facts"]["phone"] == noted["facts"]["phone"] == "139****5678"


async def test_revoked_token_is_refused(client, sqlite_store):
    token, info = sqlite_store.create_token("临时", "admin")
    assert (await client.get("/api/stats", headers=_bearer(token))).status == 200
    sqlite_store.revoke_token(info["id"])
    assert (await client.get("/api/stats", headers=_bearer(token))).status == 401


async def test_public_status(client, sqlite_store):
    code = sqlite_store.file_ticket(_wage())["code"]
    resp = await client.post(
        "/api/public/status", json={"code": code.replace("-", " "), "phone_last4": "5678"}
    )
    body = await resp.json()
    assert resp.status == 200 and body["status_name"] == "已受理" and body["room"] == "一楼3号窗口"
    assert "13912345678" not in str(body) and "张三" not in str(body)
    wrong = await client.post("/api/public/status", json={"code": code, "phone_last4": "0000"})
    unknown = await client.post(
        "/api/public/status", json={"code": "140105-20000101-0001", "phone_last4": "5678"}
    )
    assert wrong.status == unknown.status == 404
    assert await wrong.json() == await unknown.json(), "no hint whether the code exists"
    bad = await client.post("/api/public/status", data="nope")
    assert bad.status == 400
    assert (await client.post("/api/public/status", json={"code": code, "phone_last4": "5678"})).status == 200
    limited = await client.post("/api/public/status", json={"code": code, "phone_last4": "5678"})
    assert limited.status == 429 and (await limited.json())["error"] == "rate_limited"
