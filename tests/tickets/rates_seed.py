"""A small hand-made month of tickets (November 2026, the default profile, times in UTC; the center is
UTC+8) for the rates, the 红黄绿 board and the 研判 analysis, filed and moved through the store's own
workflow at given times. The other helpers' data (citizen rating, repeat count, 督办 notices) and the
mediator are written directly, as the tests of this issue agree.

Every ticket is 简易 (amount under 10,000 yuan, no risk) unless said, so its 13710 deadlines are:
sign +1 day, contact +3 days, report +7 days, close +7 days (``time_limits.tiers.simple``).

=== ======= ================= ========= ===================================================================
key window  mediator          town      life
=== ======= ================= ========= ===================================================================
A   labor_i m_wang  王志强    坞城街道  11-02 02:00 filed; signed 11-02 10:00; 调解 11-04; 达成协议 11-06; 办结 11-07;
                                        citizen 5, staff 4
B   labor_i m_wang            北营街道  11-03 02:00 filed; signed 11-04 08:00 (late); 调解 11-07 (late); 调解不成,
                                        转办 11-09; 办结 11-12 (late); citizen 2, staff 5; repeat 1;
                                        督办: sign overdue, contact overdue, close near, close overdue
C   labor_i m_zhao  赵丽      坞城街道  11-20 02:00 filed; signed 11-20 05:00; still 已签收; repeat 2; 督办 contact overdue
D   labor_i (none)            未填写    11-29 20:00 filed (11-30 04:00 local); not signed, sign due 11-30 20:00
E   people  m_zhang 张建国    刘家堡乡  11-10 02:00 filed; signed 11-10 03:00; 调解 11-11; 达成协议 11-12; 办结 11-13;
                                        citizen 4
F   people  m_zhang           刘家堡乡  11-15 02:00 filed; never signed
G*  October: one wage claim and three neighbour disputes (刘家堡乡), outside the period
=== ======= ================= ========= ===================================================================

NOW = 11-30 04:00 UTC (12:00 local).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import update

from bot.storage.models import Supervision, Ticket
from bot.storage.store import IntakeRecord, TicketStore

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)
CATEGORY_OF = {
    "labor_inspection": "wage_arrears",
    "people_mediation": "neighbor",
    "family_mediation": "family",
}


def at(month: int, day: int, hour: int = 0) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=timezone.utc)


def file(
    store: TicketStore, key: str, category: str, when: datetime, location: str | None, risk: str = "none"
) -> str:
    # a phone of its own: filing links tickets of one phone as repeat complaints; repeats are set below
    phone = f"139{ord(key[0]):08d}"
    facts: dict[str, Any] = {"applicant_name": f"申请人{key}", "phone": phone, "amount_yuan": 5000}
    if location:
        facts["location"] = location
    ticket = store.file_ticket(
        IntakeRecord(f"seed-{key}", "web", category, risk, facts, f"种子案件{key}"), now=when
    )
    return str(ticket["code"])


def set_columns(store: TicketStore, code: str, **values: Any) -> None:
    with store._write() as session:
        session.execute(update(Ticket).where(Ticket.code == code).values(**values))


def supervise(store: TicketStore, code: str, *notices: tuple[str, str, datetime]) -> None:
    with store._write() as session:
        ticket_id = session.query(Ticket.id).filter(Ticket.code == code).scalar()
        for stage, kind, when in notices:
            session.add(Supervision(ticket_id=ticket_id, stage=stage, kind=kind, deadline=when, at=when))


AGREEMENT = {"result": "agreement", "terms": {"text": "对方当场结清欠款"}}
FAILED = {"result": "failed", "referral": {"to": "labor_arbitration", "note": "调解不成，转仲裁"}}


def walk(store: TicketStore, code: str, *steps: tuple[str, datetime]) -> None:
    """Move a ticket through ``(status or "agreement"/"failed", when)`` steps with the store's workflow."""
    for step, when in steps:
        if step == "accepted":
            store.claim(code, "窗口人员", actor_id="user:1", now=when)
        elif step == "agreement":
            store.record_outcome(code, AGREEMENT, "调解员", now=when)
        elif step == "failed":
            store.record_outcome(code, FAILED, "调解员", now=when)
        else:
            store.change_status(code, step, "窗口人员", now=when)


def seed(store: TicketStore) -> dict[str, str]:
    """File the month above; returns the case codes by key."""
    codes = {
        "A": file(store, "A", "wage_arrears", at(11, 2, 2), "小店区坞城街道许坦东街"),
        "B": file(store, "B", "wage_arrears", at(11, 3, 2), "北营街道工地"),
        "C": file(store, "C", "wage_arrears", at(11, 20, 2), "小店区坞城街道某小区"),
        "D": file(store, "D", "wage_arrears", at(11, 29, 20), None),
        "E": file(store, "E", "neighbor", at(11, 10, 2), "刘家堡乡东村"),
        "F": file(store, "F", "neighbor", at(11, 15, 2), "刘家堡乡西村"),
    }
    for i, (category, day) in enumerate(
        (("wage_arrears", 20), ("neighbor", 21), ("neighbor", 22), ("neighbor", 23))
    ):
        codes[f"G{i + 1}"] = file(store, f"G{i + 1}", category, at(10, day, 2), "刘家堡乡南村")
    walk(
        store,
        codes["A"],
        ("accepted", at(11, 2, 10)),
        ("in_mediation", at(11, 4)),
        ("agreement", at(11, 6)),
        ("closed", at(11, 7)),
    )
    walk(
        store,
        codes["B"],
        ("accepted", at(11, 4, 8)),
        ("in_mediation", at(11, 7)),
        ("failed", at(11, 9)),
        ("closed", at(11, 12)),
    )
    walk(store, codes["C"], ("accepted", at(11, 20, 5)))
    walk(
        store,
        codes["E"],
        ("accepted", at(11, 10, 3)),
        ("in_mediation", at(11, 11)),
        ("agreement", at(11, 12)),
        ("closed", at(11, 13)),
    )
    set_columns(store, codes["A"], mediator_id="m_wang", citizen_rating=5, satisfaction=4)
    set_columns(store, codes["B"], mediator_id="m_wang", citizen_rating=2, satisfaction=5, repeat_count=1)
    set_columns(store, codes["C"], mediator_id="m_zhao", repeat_count=2)
    set_columns(store, codes["D"], mediator_id=None)
    set_columns(store, codes["E"], mediator_id="m_zhang", citizen_rating=4)
    set_columns(store, codes["F"], mediator_id="m_zhang")
    supervise(
        store,
        codes["B"],
        ("sign", "overdue", at(11, 4, 2)),
        ("contact", "overdue", at(11, 6, 2)),
        ("close", "near", at(11, 9)),
        ("close", "overdue", at(11, 10, 2)),
    )
    supervise(store, codes["C"], ("contact", "overdue", at(11, 23, 2)))
    return codes
