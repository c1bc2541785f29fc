"""Completing an early ticket (urgent, hand-off) with the facts collected afterwards."""

from __future__ import annotations

from bot.storage.store import IntakeRecord, TicketStore


def _record(**overrides) -> IntakeRecord:
    base = dict(
        sender_id="citizen-9",
        channel="rest",
        category="other",
        risk_level="urgent",
        facts={},
        summary="群众表述涉及人身安全",
        risk_reasons=("家庭暴力",),
    )
    base.update(overrides)
    return IntakeRecord(**base)


def test_urgent_ticket_is_completed_in_place(store: TicketStore) -> None:
    first = store.file_ticket(_record())
    assert first["route"]["window"] == "general_reception"
    updated = store.update_intake(
        first["code"],
        _record(
            category="family",
            risk_level="none",
            facts={
                "applicant_name": "李娜",
                "phone": "13912345678",
                "counterparty": "丈夫",
                "location": "小店区",
            },
            summary="婚姻家庭类纠纷",
            risk_reasons=(),
        ),
    )
    assert updated["code"] == first["code"]
    assert updated["category"] == "family"
    assert updated["route"]["window"] == "family_mediation"
    assert updated["risk_level"] == "urgent"  # never lowered
    assert "家庭暴力" in updated["risk_reasons"]
    assert updated["facts"]["counterparty"] == "丈夫"
    assert store.get_ticket(first["code"])["facts"]["phone"] == "13912345678"
    assert [h["kind"] for h in updated["history"]] == ["created", "updated"]
    assert store.public_status(first["code"], "5678")["category_name"] == "婚姻家庭"


def test_hand_off_status_waits_for_staff_and_can_be_accepted(store: TicketStore) -> None:
    ticket = store.file_ticket(_record(status="awaiting_staff", risk_level="none", risk_reasons=()))
    assert ticket["status"] == "awaiting_staff"
    assert ticket["status_name"] == "待人工处理"
    accepted = store.change_status(ticket["code"], "accepted", "窗口张三")
    assert accepted["status"] == "accepted"
