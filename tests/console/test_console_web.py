"""The staff console through aiohttp's test client: login, sessions, CSRF, permissions, masking,
escaping, the ticket lifecycle from the console and the statistics."""

from __future__ import annotations

import re

from aiohttp import web
from aiohttp.test_utils import TestServer
from console_helpers import PASSWORD, csrf_of, login, wage_record

from bot.service.console import CONSOLE_CONFIG
from bot.storage.store import IntakeRecord


async def test_login_page_and_redirect_when_logged_out(client):
    resp = await client.get("/console/", allow_redirects=False)
    assert resp.status == 302 and resp.headers["Location"].startswith("/console/login")
    page = await client.get("/console/login")
    html = await page.text()
    assert page.status == 200 and "工作人员登录" in html
    assert "Content-Security-Policy" in page.headers


async def test_bad_password_is_refused(client):
    resp = await login(client, "wang", "wrong-password")
    assert resp.status == 401
    assert "用户名或密码错误" in await resp.text()
    resp = await login(client, "nobody", "wrong-password")
    assert resp.status == 401
    assert "zz_console" not in {c.key for c in client.session.cookie_jar}


async def test_login_sets_a_strict_httponly_session_cookie(client):
    resp = await login(client, "wang")
    assert resp.status == 303 and resp.headers["Location"] == "/console/"
    cookie = next(v for k, v in resp.headers.items() if k == "Set-Cookie" and v.startswith("zz_console="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console/" in cookie
    page = await client.get("/console/")
    assert page.status == 200 and "王志强" in await page.text()


async def test_login_without_csrf_is_forbidden(client):
    resp = await client.post("/console/login", data={"username": "wang", "password": PASSWORD})
    assert resp.status == 403


async def test_logout_ends_the_session(client, logged_in):
    await logged_in("wang")
    page = await client.get("/console/")
    token = csrf_of(await page.text())
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/console/"))["zz_console"].value
    resp = await client.post("/console/logout", data={"csrf": token}, allow_redirects=False)
    assert resp.status == 303
    # the old session id no longer works, even if a copy of the cookie is replayed
    client.session.cookie_jar.update_cookies({"zz_console": cookie}, client.make_url("/console/"))
    resp = await client.get("/console/", allow_redirects=False)
    assert resp.status == 302


async def test_post_without_csrf_token_is_forbidden(client, store, logged_in):
    t = store.file_ticket(wage_record())
    await logged_in("wang")
    resp = await client.post(f"/console/tickets/{t['code']}/claim", data={})
    assert resp.status == 403 and "CSRF" in await resp.text()
    resp = await client.post(f"/console/tickets/{t['code']}/claim", data={"csrf": "forged"})
    assert resp.status == 403
    assert store.get_ticket(t["code"])["status"] == "received"


async def test_other_window_is_forbidden_and_phone_masked(client, store, logged_in):
    wage = store.file_ticket(wage_record())  # labor_inspection
    labor = store.file_ticket(
        IntakeRecord("web-2", "web", "labor", "none", {"phone": "13800001111"}, "被辞退没有补偿")
    )
    await logged_in("wang")
    resp = await client.get(f"/console/tickets/{labor['code']}")
    assert resp.status == 403
    resp = await client.get(f"/console/tickets/{wage['code']}")
    html = await resp.text()
    assert resp.status == 200
    assert "139****5678" in html and "13912345678" not in html
    queue = await (await client.get("/console/")).text()
    assert wage["code"] in queue and labor["code"] not in queue
    resp = await client.get("/console/?window=labor_arbitration")
    assert resp.status == 403

    await logged_in("boss")
    html = await (await client.get(f"/console/tickets/{wage['code']}")).text()
    assert "13912345678" in html


async def test_phone_and_id_typed_in_free_text_are_masked_for_staff(client, store, logged_in):
    t = store.file_ticket(wage_record(evidence="微信聊天记录，工友电话13700002222，身份证140105199001011234"))
    await logged_in("wang")
    html = await (await client.get(f"/console/tickets/{t['code']}")).text()
    assert "13700002222" not in html and "140105199001011234" not in html


async def test_citizen_script_is_rendered_as_text(client, store, logged_in):
    evil = "<script>alert('x')</script>"
    t = store.file_ticket(wage_record(applicant_name=evil, demand=f'"><img src=x onerror=alert(1)>{evil}'))
    store.add_note(t["code"], "王志强", evil)
    await logged_in("wang")
    for path in (f"/console/tickets/{t['code']}", "/console/"):
        html = await (await client.get(path)).text()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


async def test_mediator_sees_only_cases_assigned_to_them(client, store, logged_in):
    family = store.file_ticket(
        IntakeRecord("web-3", "web", "family", "none", {"phone": "13800001111"}, "老人赡养纠纷")
    )
    wage = store.file_ticket(wage_record())
    assert family["route"]["mediator_id"] == "m_li"
    await logged_in("li")
    queue = await (await client.get("/console/")).text()
    assert family["code"] in queue and wage["code"] not in queue
    assert (await client.get(f"/console/tickets/{family['code']}")).status == 200
    assert (await client.get(f"/console/tickets/{wage['code']}")).status == 403


async def test_queue_puts_urgent_first_in_red_with_time_left(client, store, logged_in):
    calm = store.file_ticket(wage_record("web-4"))
    urgent = store.file_ticket(
        IntakeRecord(
            "web-5",
            "web",
            "wage_arrears",
            "urgent",
            {"phone": "13900000000", "headcount": 30},
            "三十多名工人讨薪，扬言明天去堵政府大门",
            risk_reasons=("10人以上可能聚集",),
        )
    )
    await logged_in("wang")
    html = await (await client.get("/console/")).text()
    assert html.index(urgent["code"]) < html.index(calm["code"])
    assert 'class="risk-urgent' in html
    assert re.search(r"签收 剩\d", html)
    urgent_only = await (await client.get("/console/?risk=urgent")).text()
    assert urgent["code"] in urgent_only and calm["code"] not in urgent_only


async def test_queue_version_changes_when_a_ticket_arrives(client, store, logged_in):
    store.file_ticket(wage_record("web-6"))
    await logged_in("wang")
    first = await (await client.get("/console/queue/version")).json()
    store.file_ticket(wage_record("web-7"))
    second = await (await client.get("/console/queue/version")).json()
    assert first["version"] != second["version"] and second["count"] == first["count"] + 1


async def test_accept_transfer_resolve_close_follow_up_and_statistics(client, store, logged_in):
    t = store.file_ticket(wage_record())
    code = t["code"]

    await logged_in("boss")
    before = await (await client.get("/console/stats")).text()
    assert re.search(r'id="kpi-satisfaction">—<', before)

    await logged_in("wang")
    page = await client.get(f"/console/tickets/{code}")
    token = csrf_of(await page.text())
    resp = await client.post(f"/console/tickets/{code}/claim", data={"csrf": token})
    assert resp.status == 200 and "已签收" in await resp.text()
    assert store.get_ticket(code)["assignee"] == "王志强"

    resp = await client.post(
        f"/console/tickets/{code}/transfer", data={"csrf": token, "window": "labor_arbitration"}
    )
    assert resp.status == 400 and "转办原因" in await resp.text()
    resp = await client.post(
        f"/console/tickets/{code}/transfer",
        data={"csrf": token, "window": "labor_arbitration", "reason": "涉及解除劳动合同补偿，转仲裁"},
        allow_redirects=False,
    )
    assert resp.status == 303 and resp.headers["Location"].startswith("/console/?moved=")
    assert (await client.get(f"/console/tickets/{code}")).status == 403  # no longer wang's window

    await logged_in("zhao")
    page = await client.get(f"/console/tickets/{code}")
    html = await page.text()
    assert page.status == 200 and "涉及解除劳动合同补偿" in html and "劳动人事争议仲裁窗口" in html
    token = csrf_of(html)
    resp = await client.post(f"/console/tickets/{code}/status", data={"csrf": token, "status": "closed"})
    assert resp.status == 409  # accepted → closed is not a step
    for status, note in (("resolved", "双方达成调解协议"), ("closed", "")):
        resp = await client.post(
            f"/console/tickets/{code}/status", data={"csrf": token, "status": status, "note": note}
        )
        assert resp.status == 200, await resp.text()
    resp = await client.post(f"/console/tickets/{code}/note", data={"csrf": token, "note": "已电话告知结果"})
    assert resp.status == 200
    resp = await client.post(
        f"/console/tickets/{code}/follow-up", data={"csrf": token, "satisfaction": "4", "note": "基本满意"}
    )
    assert resp.status == 200 and "回访已记录" in await resp.text()

    final = store.get_ticket(code)
    assert final["status"] == "closed" and final["follow_up"]["satisfaction"] == 4
    kinds = [h["kind"] for h in final["history"]]
    assert kinds == ["created", "claim", "transfer", "status", "status", "note", "follow_up"]
    assert all(h["actor"] in ("intake-bot", "王志强", "赵敏") for h in final["history"])

    await logged_in("boss")
    after = await (await client.get("/console/stats")).text()
    assert 'id="kpi-satisfaction">4.00<' in after
    assert "按类别" in after and "按乡镇" in after and "按周" in after and "欠薪" in after


async def test_statistics_and_export_are_for_admins(client, store, logged_in):
    store.file_ticket(wage_record())
    await logged_in("wang")
    assert (await client.get("/console/stats")).status == 403
    assert (await client.get("/console/export.csv")).status == 403
    await logged_in("boss")
    resp = await client.get("/console/export.csv")
    body = await resp.read()
    assert resp.status == 200 and resp.headers["Content-Type"].startswith("text/csv")
    text = body.decode("utf-8-sig")
    assert text.startswith("受理编号") and "139****5678" in text and "13912345678" not in text
    resp = await client.get("/console/export.xlsx")
    assert resp.status == 200 and (await resp.read())[:2] == b"PK"


async def test_transcript_from_rasa_tracker_or_a_notice(client, store, logged_in):
    t = store.file_ticket(wage_record("tracker-user"))
    await logged_in("wang")
    html = await (await client.get(f"/console/tickets/{t['code']}")).text()
    assert "tracker-user" in html and "连不上" in html

    seen: dict[str, str] = {}

    async def tracker(request: web.Request) -> web.Response:
        seen["sender"], seen["token"] = request.match_info["sender"], request.query.get("token", "")
        return web.json_response(
            {
                "events": [
                    {"event": "user", "text": "老板欠我工资<b>不给</b>，电话13912345678", "timestamp": 1.0},
                    {"event": "action", "name": "action_listen"},
                    {"event": "bot", "text": "您好，请问一共欠了多少钱？", "timestamp": 2.0},
                ]
            }
        )

    rasa = web.Application()
    rasa.router.add_get("/conversations/{sender}/tracker", tracker)
    async with TestServer(rasa) as server:
        config = client.app[CONSOLE_CONFIG]
        object.__setattr__(config, "rasa_url", str(server.make_url("")))
        object.__setattr__(config, "rasa_token", "rasa-secret")
        html = await (await client.get(f"/console/tickets/{t['code']}")).text()
    assert seen == {"sender": "tracker-user", "token": "rasa-secret"}
    assert "请问一共欠了多少钱" in html and "&lt;b&gt;不给&lt;/b&gt;" in html
    assert "13912345678" not in html


async def test_unknown_ticket_is_404(client, logged_in):
    await logged_in("boss")
    resp = await client.get("/console/tickets/140105-20261123-9999")
    assert resp.status == 404 and "没有找到" in await resp.text()
