"""TicketStore on SQLite and PostgreSQL: filing, JSON contract, lifecycle, lists, stats, tokens."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.storage import outbox as outbox_module
from bot.storage.models import Outbox, StatusHistory, Ticket
from bot.storage.store import IntakeRecord, InvalidInput, InvalidTransition, ListFilters

CODE = re.compile(r"^140105-\d{8}-\d{4}$")
CONTRACT_FACTS = {
    "applicant_name",
    "phone",
    "amount_yuan",
    "headcount",
    "counterparty",
    "location",
    "period",
    "evidence",
    "demand",
    "tried_before",
}


def wage(sender="wx-1", **facts):
    base = {
        "applicant_name": "张三",
        "phone": "13912345678",
        "amount_yuan": "36000",
        "headcount": "12",
        "counterparty": "包工头李某",
        "location": "小店区北营街道某工地",
        "period": "2026年3月至8月",
        "evidence": "考勤表、工友微信群记录",
        "demand": "要回工钱",
        "tried_before": "找过包工头",
        "id_number": "140105199001011234",
        "site": "北营工地",
    }
    base.update(facts)
    return IntakeRecord(
        sender_id=sender,
        channel="web",
        category="wage_arrears",
        risk_level="elevated",
        facts=base,
        summary="张三等12名农民工被拖欠工资36000元",
        risk_reasons=("12人群体欠薪",),
    )


def family(sender="wx-2", risk="none"):
    return IntakeRecord(
        sender_id=sender,
        channel="hotline",
        category="family",
        risk_level=risk,
        facts={"applicant_name": "李四", "phone": "13800001111", "location": "刘家堡乡"},
        summary="离婚纠纷",
    )


def test_file_ticket_follows_the_contract(store):
    t = store.file_ticket(wage())
    assert CODE.match(t["code"])
    assert {
        "code",
        "sender_id",
        "channel",
        "category",
        "status",
        "risk_level",
        "route",
        "facts",
        "summary",
        "created_at",
        "deadlines",
    } <= set(t)
    assert (t["sender_id"], t["channel"], t["category"], t["status"], t["risk_level"]) == (
        "wx-1",
        "web",
        "wage_arrears",
        "received",
        "elevated",
    )
    assert {"window", "window_name", "mediator", "tier"} <= set(t["route"])
    assert t["route"]["window"] == "labor_inspection" and t["route"]["tier"] == "complex"
    assert [s["window"] for s in t["route"]["secondary_windows"]] == ["legal_aid"]
    assert set(t["facts"]) >= CONTRACT_FACTS
    assert t["facts"]["amount_yuan"] == 36000 and isinstance(t["facts"]["amount_yuan"], int)
    assert t["facts"]["headcount"] == 12
    assert t["facts"]["phone"] == "13912345678"
    assert t["facts"]["id_number"] == "140105********1234"
    assert t["facts"]["site"] == "北营工地"  # category extras survive
    assert set(t["deadlines"]) == {"sign", "contact", "report", "close"}
    created = datetime.fromisoformat(t["created_at"])
    assert datetime.fromisoformat(t["deadlines"]["sign"]) - created == timedelta(days=1)
    assert t["materials"] and t["risk_reasons"] == ["12人群体欠薪"]
    assert t["history"][0]["to_status"] == "received" and t["overdue"] is False
    assert store.get_ticket(t["code"]) == t
    assert store.outbox_rows(t["code"])[0]["state"] == "pending"


def test_missing_facts_are_null(store):
    t = store.file_ticket(IntakeRecord("s", "web", "other", "urgent", {}, "紧急求助"))
    assert all(t["facts"][k] is None for k in CONTRACT_FACTS)
    assert t["route"]["duty_officer"]["phone"]


def test_codes_count_up_and_typed_codes_are_found(store):
    a, b = store.file_ticket(wage()), store.file_ticket(family())
    assert int(b["code"][-4:]) == int(a["code"][-4:]) + 1
    assert store.get_ticket(" " + a["code"].replace("-", " "))["code"] == a["code"]
    assert store.get_ticket("140105-20000101-0001") is None


def test_idempotent_filing(store):
    first = store.file_ticket(IntakeRecord(**{**wage().__dict__, "idempotency_key": "attempt-1"}))
    again = store.file_ticket(IntakeRecord(**{**wage().__dict__, "idempotency_key": "attempt-1"}))
    other = store.file_ticket(IntakeRecord(**{**wage().__dict__, "idempotency_key": "attempt-2"}))
    assert first["code"] == again["code"] != other["code"]
    assert len(store.list_tickets(sender_id="wx-1")) == 2


def test_filing_is_one_transaction(store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(outbox_module, "enqueue", broken)
    with pytest.raises(RuntimeError):
        store.file_ticket(wage())
    monkeypatch.undo()
    assert store.list_tickets() == []
    with store._read() as session:
        assert session.execute(select(func.count()).select_from(StatusHistory)).scalar() == 0
        assert session.execute(select(func.count()).select_from(Outbox)).scalar() == 0
    assert store.file_ticket(wage())["code"].endswith("-0001")  # the number was given back


def test_invalid_input_is_refused(store):
    with pytest.raises(InvalidInput):
        store.file_ticket(IntakeRecord("s", "web", "weather", "none", {}, ""))
    with pytest.raises(InvalidInput):
        store.file_ticket(IntakeRecord("s", "web", "debt", "severe", {}, ""))


def test_lists_are_newest_first_and_masked(store):
    t0 = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    codes = [store.file_ticket(wage(), now=t0 + timedelta(hours=i))["code"] for i in range(3)]
    store.file_ticket(family())
    listed = store.list_tickets(sender_id="wx-1")
    assert [t["code"] for t in listed] == codes[::-1]
    assert listed[0]["facts"]["phone"] == "139****5678"
    assert "13912345678" not in str(listed)
    assert [t["code"] for t in store.list_tickets(sender_id="wx-1", limit=1)] == codes[-1:]


def test_list_filters(store):
    w = store.file_ticket(wage())
    f = store.file_ticket(family(risk="urgent"))
    assert [t["code"] for t in store.list_tickets(window="legal_aid")] == [w["code"]]  # secondary window
    assert [t["code"] for t in store.list_tickets(risk="urgent")] == [f["code"]]
    assert [t["code"] for t in store.list_tickets(category="wage_arrears")] == [w["code"]]
    assert [t["code"] for t in store.list_tickets(ListFilters(scope=["family_mediation"]))] == [f["code"]]
    store.claim(w["code"], "王志强")
    assert [t["code"] for t in store.list_tickets(status="accepted")] == [w["code"]]


def test_overdue_filter_and_flag(store):
    old = store.file_ticket(family(), now=datetime.now(timezone.utc) - timedelta(days=2))
    fresh = store.file_ticket(family())
    late = store.list_tickets(overdue=True)
    assert [t["code"] for t in late] == [old["code"]]
    assert late[0]["overdue"] is True and late[0]["overdue_stages"] == ["sign"]
    assert [t["code"] for t in store.list_tickets(overdue=False)] == [fresh["code"]]
    store.claim(old["code"], "李秀英")
    assert store.list_tickets(overdue=True) == []
    assert store.statistics()["overdue"] == 0


def test_lifecycle(store):
    code = store.file_ticket(family())["code"]
    store.change_status(code, "routed", "系统")
    t = store.claim(code, "李秀英")
    assert (t["status"], t["assignee"]) == ("accepted", "李秀英")
    store.change_status(code, "in_mediation", "李秀英", "已约双方周三到调解室")
    with pytest.raises(InvalidTransition):
        store.change_status(code, "received", "李秀英")
    with pytest.raises(InvalidTransition):
        store.follow_up(code, 5)
    store.change_status(code, "resolved", "李秀英", "达成调解协议")
    t = store.follow_up(code, 4, "基本满意")
    assert t["follow_up"]["satisfaction"] == 4
    with pytest.raises(InvalidInput):
        store.follow_up(code, 6)
    t = store.change_status(code, "closed", "李秀英")
    with pytest.raises(InvalidTransition):
        store.claim(code, "李秀英")
    t = store.add_note(code, "管理员", "归档")
    steps = [(h["kind"], h["from_status"], h["to_status"], h["actor"]) for h in t["history"]]
    assert steps == [
        ("created", None, "received", "intake-bot"),
        ("status", "received", "routed", "系统"),
        ("claim", "routed", "accepted", "李秀英"),
        ("status", "accepted", "in_mediation", "李秀英"),
        ("status", "in_mediation", "resolved", "李秀英"),
        ("follow_up", "resolved", "resolved", "回访员"),
        ("status", "resolved", "closed", "李秀英"),
        ("note", "closed", "closed", "管理员"),
    ]
    assert t["history"][3]["note"] == "已约双方周三到调解室"
    assert len(store.outbox_rows(code)) == len(steps)  # every change notifies
    with pytest.raises(InvalidTransition):
        store.change_status(code, "in_mediation", "x")


def test_statistics(store):
    store.file_ticket(wage())
    store.file_ticket(family())
    code = store.file_ticket(family(sender="wx-3"))["code"]
    store.claim(code, "李秀英")
    store.change_status(code, "resolved", "李秀英")
    store.follow_up(code, 5)
    stats = store.statistics()
    assert stats["total"] == 3
    assert stats["by_category"] == {"family": 2, "wage_arrears": 1}
    assert stats["by_town"] == {"刘家堡乡": 2, "小店区北营街道": 1}
    assert stats["by_channel"] == {"hotline": 2, "web": 1}
    assert stats["satisfaction"] == {"average": 5.0, "count": 1}
    assert stats["avg_hours_to_accept"] is not None and stats["avg_hours_to_close"] is None
    assert store.statistics(scope=["labor_inspection"])["total"] == 1


def test_mediator_load_spreads_tickets(store):
    def neighbor(i):
        return IntakeRecord(f"n{i}", "web", "neighbor", "none", {}, "噪音")

    assigned = [store.file_ticket(neighbor(i))["route"]["mediator_id"] for i in range(4)]
    assert assigned == ["m_zhang", "m_li", "m_liu", "m_zhang"]


def test_public_status_needs_code_and_last4(store):
    t = store.file_ticket(wage())
    got = store.public_status(t["code"].replace("-", ""), "5678")
    assert got["status_name"] == "已受理" and got["window_name"] == "劳动保障监察窗口（人社）"
    assert "facts" not in got and "13912345678" not in str(got)
    assert store.public_status(t["code"], "1234") is None
    assert store.public_status("140105-20000101-0009", "5678") is None
    assert store.public_status(t["code"], "") is None


def test_phone_and_id_are_encrypted_at_rest(store):
    t = store.file_ticket(wage())
    with store._read() as session:
        row = session.execute(select(Ticket).where(Ticket.code == t["code"])).scalar_one()
        raw = " ".join(str(getattr(row, c.name)) for c in Ticket.__table__.columns)
        payloads = " ".join(o.payload_enc for o in session.execute(select(Outbox)).scalars())
    for secret in ("13912345678", "5678", "140105199001011234"):
        assert secret not in raw.replace(t["code"], "")
        assert secret not in payloads
    assert "phone" not in row.facts and "id_number" not in row.facts
    assert store.get_ticket(t["code"], reveal=True)["facts"]["id_number"] == "140105199001011234"


def test_tokens(store):
    token, info = store.create_token("王志强", "window_staff", ["labor_inspection"])
    assert token.startswith("izk_") and info["windows"] == ["labor_inspection"]
    identity = store.authenticate(token)
    assert (identity.name, identity.role, identity.windows) == (
        "王志强",
        "window_staff",
        ("labor_inspection",),
    )
    assert store.authenticate(token + "x") is None
    assert token not in str(store.list_tokens())
    assert store.revoke_token(info["id"]) is True
    assert store.authenticate(token) is None
    assert store.list_tokens()[0]["revoked"] is True
    with pytest.raises(InvalidInput):
        store.create_token("x", "window_staff", [])
    with pytest.raises(InvalidInput):
        store.create_token("x", "window_staff", ["nowhere"])


def test_purge_expired(store):
    old = store.file_ticket(wage(), now=datetime(2020, 1, 1, tzinfo=timezone.utc))["code"]
    recent = store.file_ticket(family())["code"]
    store.open_handoff("hl-old", "hotline", old, "张三：欠薪", recipient="13912345678")
    store.open_handoff("hl-recent", "hotline", recent, "家事", recipient="13800001111")
    for code in (old, recent):
        store.claim(code, "x")
        store.change_status(code, "resolved", "x")
        store.change_status(code, "closed", "x", "电话13912345678已回访")
    with store._write() as session:  # the old ticket was closed in 2020
        session.execute(
            Ticket.__table__.update()
            .where(Ticket.code == old)
            .values(closed_at=datetime(2020, 2, 1, tzinfo=timezone.utc))
        )
    assert store.purge_expired() == 1
    purged = store.get_ticket(old, reveal=True)
    assert purged["facts"]["phone"] is None and purged["facts"]["applicant_name"] is None
    assert "id_number" not in purged["facts"] and "张三" not in purged["summary"]
    assert "13912345678" not in str(purged)
    assert purged["facts"]["amount_yuan"] == 36000  # non-personal facts stay for statistics
    assert store.public_status(old, "5678") is None
    assert store.get_ticket(recent)["facts"]["phone"] == "13800001111"
    assert store.handoff("hl-old") is None and store.handoff("hl-recent") is not None  # 转人工 record too
    assert store.purge_expired() == 0


def test_extra_facts_of_any_type_are_kept_as_json(store):
    from datetime import date
    from decimal import Decimal

    t = store.file_ticket(
        IntakeRecord(
            "s",
            "web",
            "traffic",
            "none",
            {"accident_date": date(2026, 11, 1), "amount_yuan": Decimal("1200.5"), "injured": True},
            "追尾",
        )
    )
    again = store.get_ticket(t["code"])
    assert again["facts"]["accident_date"] == "2026-11-01"
    assert again["facts"]["amount_yuan"] == 1200.5 and again["facts"]["injured"] is True
