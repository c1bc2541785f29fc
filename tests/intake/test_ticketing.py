"""From the dialogue's slots to the record the store files, and where it is routed."""

from __future__ import annotations

from pathlib import Path

from bot.intake.ticketing import build_record
from bot.storage.store import TicketStore


def test_anonymous_record_has_no_personal_data_and_nulls_unknowns() -> None:
    slots = {
        "category": "debt",
        "consent": False,
        "applicant_name": "李娜",
        "phone": "13912345678",
        "counterparty": "表哥",
        "amount_yuan": "不清楚",
        "description": "表哥借钱不还",
    }
    record = build_record("web-1", "rest", slots)
    assert record.facts["applicant_name"] is None and record.facts["phone"] is None
    assert record.facts["amount_yuan"] is None
    assert record.category == "debt" and record.risk_level == "none"


def test_vague_amount_keeps_the_words() -> None:
    record = build_record("web-2", "rest", {"category": "debt", "consent": False, "amount_yuan": "十来万"})
    assert record.facts["amount_yuan"] is None and record.facts["amount_text"] == "十来万"


def test_migrant_wage_claim_and_violence_victim_get_legal_aid(tmp_path: Path) -> None:
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    wage = build_record(
        "web-3",
        "rest",
        {
            "category": "wage_arrears",
            "consent": False,
            "counterparty": "老板",
            "description": "在工地干了半年活，工钱一分没拿到",
        },
    )
    assert wage.facts["migrant_worker"] is True
    ticket = store.file_ticket(wage)
    assert ticket["route"]["window"] == "labor_inspection"
    assert "legal_aid" in [w["window"] for w in ticket["route"]["secondary_windows"]]
    family = build_record(
        "web-4", "rest", {"category": "family", "consent": False, "description": "老公又打我了，我想离婚"}
    )
    assert family.risk_level == "urgent" and family.facts["domestic_violence"] is True
    ticket = store.file_ticket(family)
    assert ticket["route"]["window"] == "family_mediation"
    assert "legal_aid" in [w["window"] for w in ticket["route"]["secondary_windows"]]
    store.dispose()
