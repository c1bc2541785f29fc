"""督办 decisions (bot/tickets/supervision.py): which notices are due, their text, the urgent re-alert."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.tickets.centers import SupervisionSettings
from bot.tickets.supervision import Notice, duty_note, duty_realert_due, note_for, notices_due, recipients

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing
DUE = {
    "sign": T0 + timedelta(days=1),
    "contact": T0 + timedelta(days=3),
    "report": T0 + timedelta(days=7),
    "close": T0 + timedelta(days=10),
}


def kinds(status: str, hours: float, issued=()) -> list[tuple[str, str]]:
    found = notices_due(status, T0, DUE, T0 + timedelta(hours=hours), 0.8, issued)
    return [(n.stage, n.kind) for n in found]


def test_near_at_80_percent_then_overdue_after_the_deadline():
    assert kinds("routed", 19) == []
    assert kinds("routed", 19.2) == [("sign", "near")]  # 80 % of 24 h
    assert kinds("routed", 24.5) == [("sign", "overdue")]  # first seen late: only "overdue"
    assert kinds("routed", 24.5, {("sign", "overdue")}) == []
    assert kinds("routed", 58, {("sign", "near"), ("sign", "overdue")}) == [("contact", "near")]


def test_a_stage_done_in_time_gets_nothing():
    assert kinds("accepted", 30) == []  # signed: no sign notices however late it is now
    assert kinds("in_mediation", 80) == []  # contacted: contact done too
    assert kinds("resolved", 300) == [("close", "overdue")]  # reported, not yet closed
    assert kinds("closed", 1000) == []


def test_notice_text_is_in_the_centers_time_zone():
    tz = ZoneInfo("Asia/Shanghai")
    near = note_for(Notice("sign", "near", DUE["sign"]), tz)
    assert near == "督办：签收期限将至（12月2日09:00前），请抓紧办理"
    late = note_for(Notice("close", "overdue", DUE["close"]), tz)
    assert late == "督办：办结已超过期限（12月11日09:00），请立即办理并说明原因"


def test_recipients_are_the_window_lead_and_the_admin():
    settings = SupervisionSettings(leads={"labor_inspection": "王科长"})
    assert recipients(settings, "labor_inspection", "劳动保障监察窗口", {"name": "值班长"}) == [
        {
            "role": "window_lead",
            "window": "labor_inspection",
            "window_name": "劳动保障监察窗口",
            "name": "王科长",
        },
        {"role": "admin"},
    ]
    with_duty = SupervisionSettings(notify=("duty_officer",))
    assert recipients(with_duty, "petition", "信访", {"name": "值班长", "phone": "110"}) == [
        {"role": "duty_officer", "name": "值班长", "phone": "110"}
    ]


def test_urgent_unsigned_ticket_realerts_once_per_interval():
    s = SupervisionSettings(
        urgent_unsigned_after=timedelta(minutes=30), urgent_realert_every=timedelta(minutes=30)
    )
    at = lambda m: T0 + timedelta(minutes=m)  # noqa: E731
    assert not duty_realert_due("urgent", "routed", T0, None, at(29), s)
    assert duty_realert_due("urgent", "routed", T0, None, at(30), s)
    assert not duty_realert_due("urgent", "routed", T0, at(30), at(59), s)
    assert duty_realert_due("urgent", "routed", T0, at(30), at(60), s)
    assert not duty_realert_due("urgent", "accepted", T0, None, at(90), s)  # signed
    assert not duty_realert_due("elevated", "routed", T0, None, at(90), s)
    assert (
        duty_note(T0, at(75), {"title": "总值班室", "name": "值班长"})
        == "紧急案件已1小时15分钟无人签收，再次提醒总值班室值班长"
    )
