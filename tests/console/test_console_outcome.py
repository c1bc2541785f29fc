"""The console's mediation forms: a clerk records a session and an agreement with a payment schedule,
marks a payment, downloads the PDF; a clerk of another window gets 403; a mediator works on their own
ticket; forms without the CSRF token are refused; the statistics page shows the mediation rates."""

from __future__ import annotations

from console_helpers import csrf_of, wage_record

from bot.storage.store import IntakeRecord


async def _post(client, path: str, data: dict) -> tuple[int, str]:
    page = await client.get(path.rsplit("/", 1)[0])
    resp = await client.post(path, data={**data, "csrf": csrf_of(await page.text())}, allow_redirects=True)
    return resp.status, await resp.text()


async def test_clerk_records_session_and_agreement_and_downloads_the_pdf(store, logged_in):
    code = store.file_ticket(wage_record("web-o1", id_number="14010519800101001X"))["code"]
    client = await logged_in("wang")
    base = f"/console/tickets/{code}"
    status, html = await _post(
        client,
        base + "/session",
        {
            "held_on": "2027-01-05",
            "method": "in_person",
            "place": "一楼调解室",
            "participants": "张三、老刘",
            "mediator": "王志强",
        },
    )
    assert status == 200 and "调解记录已保存" in html and "现场调解" in html
    status, html = await _post(
        client,
        base + "/outcome",
        {
            "result": "agreement",
            "terms_text": "老刘分两期付清工资",
            "amount_yuan": "18000",
            "payments": "2027-01-15 9000\n2027-2-15，9000元",
            "payer": "老刘",
            "counterparty_name": "刘德福",
            "counterparty_id_number": "140105197502023456",
        },
    )
    assert status == 200 and "调解结果已记录" in html and "人民调解协议书（PDF）" in html
    assert "140105197502023456" not in html  # the counterparty's ID number is printed on the agreement only
    t = store.get_ticket(code)
    assert [p["due"] for p in t["outcome"]["payments"]] == ["2027-01-15", "2027-02-15"]
    status, html = await _post(
        client, base + "/payment", {"payment": str(t["outcome"]["payments"][0]["id"]), "status": "paid"}
    )
    assert status == 200 and "付款情况已记录" in html
    status, html = await _post(
        client, base + "/outcome", {"result": "agreement", "terms_text": "", "payments": "明天 100"}
    )
    assert status == 400 and ("协议内容" in html or "付款计划" in html)
    resp = await client.get(base + "/documents/agreement.pdf")
    assert resp.status == 200 and resp.content_type == "application/pdf"
    assert (await resp.read()).startswith(b"%PDF")
    assert (await client.get(base + "/documents/referral.pdf")).status == 404
    # no CSRF token: refused
    resp = await client.post(base + "/session", data={"held_on": "2027-01-06", "method": "phone"})
    assert resp.status == 403

    other = await logged_in("zhao")  # labor_arbitration: not this ticket's window
    assert (await other.get(base + "/documents/agreement.pdf")).status == 403
    page = await other.get(f"/console/tickets/{code}")
    assert page.status == 403

    boss = await logged_in("boss")
    stats = await (await boss.get("/console/stats")).text()
    assert "调解成功率" in stats and "100.0%" in stats


async def test_mediator_records_the_outcome_of_their_ticket(store, logged_in):
    record = IntakeRecord(
        "web-o2",
        "web",
        "family",
        "none",
        {
            "applicant_name": "覃满秀",
            "phone": "15573208164",
            "counterparty": "彭光明",
            "amount_yuan": 168000,
            "location": "石门坎村",
        },
        "彩礼纠纷。",
    )
    t = store.file_ticket(record)
    assert t["route"]["mediator_id"] == "m_li"
    client = await logged_in("li")
    status, html = await _post(
        client,
        f"/console/tickets/{t['code']}/outcome",
        {"result": "failed", "referral_to": "litigation", "referral_note": "引导起诉"},
    )
    assert status == 200 and "转办函（PDF）" in html
    resp = await client.get(f"/console/tickets/{t['code']}/documents/referral.pdf")
    assert resp.status == 200
