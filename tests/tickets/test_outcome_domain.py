"""The outcome rules without a database: validation (Chinese errors), documents, 履约."""

from __future__ import annotations

from datetime import date

import pytest

from bot.tickets import outcome as o
from bot.tickets.profiles import load_profile_text
from bot.tickets.records import InvalidInput

DEST = ("labor_arbitration", "litigation", "petition")


def test_agreement_needs_terms_and_consistent_payments():
    with pytest.raises(InvalidInput, match="协议内容"):
        o.parse_outcome({"result": "agreement"}, DEST)
    with pytest.raises(InvalidInput, match="超过协议金额"):
        o.parse_outcome(
            {
                "result": "agreement",
                "terms": {
                    "text": "还钱",
                    "amount_yuan": 100,
                    "payments": [{"due": "2027-01-01", "amount_yuan": 200}],
                },
            },
            DEST,
        )
    with pytest.raises(InvalidInput, match="日期"):
        o.parse_outcome(
            {"result": "agreement", "terms": {"text": "x", "payments": [{"due": "1月", "amount_yuan": 1}]}},
            DEST,
        )
    with pytest.raises(InvalidInput, match="result"):
        o.parse_outcome({"result": "won"}, DEST)
    with pytest.raises(InvalidInput, match="转办去向"):
        o.parse_outcome({"result": "failed", "referral": {"to": "mars"}}, DEST)
    with pytest.raises(InvalidInput, match="只有调解不成"):
        o.parse_outcome({"result": "agreement", "terms": {"text": "x"}, "referral": {"to": "petition"}}, DEST)
    parsed = o.parse_outcome(
        {
            "result": "agreement",
            "terms": {
                "text": "分期",
                "payments": [
                    {"due": "2027-02-01", "amount_yuan": "300"},
                    {"due": "2027-01-01", "amount_yuan": 200.5},
                ],
            },
        },
        DEST,
    )
    assert parsed.terms is not None and parsed.terms.amount_yuan == 500.5  # the sum when no amount is given
    assert [p.due for p in parsed.terms.payments] == [date(2027, 1, 1), date(2027, 2, 1)]


def test_documents_an_outcome_calls_for():
    assert o.documents_for("agreement", False) == ("agreement", "judicial_confirmation")
    assert o.documents_for("partial", True) == ("agreement", "judicial_confirmation", "referral")
    assert o.documents_for("failed", True) == ("referral",)
    assert o.documents_for("failed", False) == ()
    assert o.documents_for("withdrawn", False) == ()


def test_payment_schedule_states_reminders_and_performance():
    plan = [
        o.ScheduledPayment(1, date(2027, 1, 15), 100),
        o.ScheduledPayment(2, date(2027, 2, 15), 100),
    ]
    assert o.performance(plan, date(2027, 1, 1)) == "on_track"
    assert [p.seq for p in o.reminders_due(plan, date(2027, 1, 11), 3)] == []
    assert [p.seq for p in o.reminders_due(plan, date(2027, 1, 12), 3)] == [1]
    assert o.payment_state(plan[0], date(2027, 1, 15)) == "due"
    assert o.payment_state(plan[0], date(2027, 1, 16)) == "overdue"
    assert o.performance(plan, date(2027, 1, 16)) == "overdue"
    assert "第1期" in (o.performance_warning(plan, date(2027, 1, 16)) or "")
    paid = [
        o.ScheduledPayment(1, date(2027, 1, 15), 100, "paid"),
        o.ScheduledPayment(2, date(2027, 2, 15), 100, "paid"),
    ]
    assert o.performance(paid, date(2027, 3, 1)) == "fulfilled"
    assert o.performance([], date(2027, 3, 1)) is None


def test_session_and_confirmation_validation():
    with pytest.raises(InvalidInput, match="调解方式"):
        o.parse_session({"method": "letter"})
    with pytest.raises(InvalidInput, match="地点"):
        o.parse_session({"method": "home", "held_on": "2027-01-01", "participants": "a", "mediator": "b"})
    assert (
        o.parse_session(
            {"method": "phone", "held_on": "2027-01-01", "participants": "a", "mediator": "b"}
        ).place
        == ""
    )
    with pytest.raises(InvalidInput, match="裁定书文号"):
        o.parse_confirmation({"applied_on": "2027-01-01", "result": "confirmed"}, "某法院")
    assert o.parse_confirmation({"applied_on": "2027-01-01"}, "某法院").court == "某法院"


def test_profile_mediation_errors_name_file_and_line():
    from bot import paths

    text = (paths.CENTERS / "default.yml").read_text(encoding="utf-8")
    bad = text.replace("reminder_days: 3 ", "reminder_days: many ").replace(
        "agreement: agreement.html", "agreement: ../x.html"
    )
    with pytest.raises(ValueError) as info:
        load_profile_text(bad, "centers/x.yml")
    message = str(info.value)
    assert (
        "centers/x.yml:" in message and "reminder_days" in message and "template for 'agreement'" in message
    )
