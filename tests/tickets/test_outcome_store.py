"""Mediation outcomes in the store (SQLite and PostgreSQL): every change in the history and the outbox,
the 履约 reminders driven by a controlled clock, missed payments back in the queue, statistics, and the
migration 0005 up and down."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.config import Config
from outcome_fixtures import SESSION, agreement_payload, failed_payload, file_case
from sqlalchemy import create_engine, inspect

from bot.privacy import decrypt
from bot.storage import outbox
from bot.storage.models import Outbox
from bot.storage.store import ALEMBIC_INI, OPEN_STATUSES, InvalidInput, ListFilters, TicketStore

T0 = datetime(2027, 1, 5, 2, 0, tzinfo=timezone.utc)  # 10:00 in Taiyuan


def _events(store: TicketStore, code: str) -> list[dict]:
    with store._read() as session:
        rows = session.query(Outbox).filter(Outbox.ticket_code == code).order_by(Outbox.id).all()
        return [json.loads(decrypt(r.payload_enc) or "{}") for r in rows]


def test_session_agreement_confirmation_payments_are_recorded(store):
    code = file_case(store, "debt", "o-1")["code"]
    store.claim(code, "张建国")
    t = store.record_session(code, SESSION, "张建国", now=T0)
    assert t["status"] == "in_mediation" and t["mediation_sessions"][0]["method_name"] == "现场调解"
    assert t["outcome"] is None
    t = store.record_outcome(code, agreement_payload("debt"), "张建国", now=T0)
    assert t["status"] == "resolved"
    out = t["outcome"]
    assert out["result"] == "agreement" and out["documents"] == ["agreement", "judicial_confirmation"]
    assert [p["due"] for p in out["payments"]] == ["2027-01-15", "2027-02-15"]
    assert out["performance"] == "on_track"
    assert "140105197012120019" not in json.dumps(t, ensure_ascii=False)  # the ID number is for the PDF only
    with pytest.raises(InvalidInput):
        store.record_referral(code, {"to": "petition"}, "张建国")
    t = store.record_confirmation(code, {"applied_on": "2027-01-08"}, "张建国", now=T0)
    assert t["outcome"]["judicial_confirmation"]["court"] == "太原市小店区人民法院"
    t = store.record_confirmation(
        code,
        {"applied_on": "2027-01-08", "result": "confirmed", "ruling_no": "（2027）晋0105民特12号"},
        "张建国",
        now=T0,
    )
    assert t["outcome"]["judicial_confirmation"]["ruling_no"] == "（2027）晋0105民特12号"
    first = t["outcome"]["payments"][0]["id"]
    t = store.mark_payment(code, first, "paid", "张建国", now=T0)
    assert t["outcome"]["payments"][0]["status"] == "paid"
    kinds = [h["kind"] for h in t["history"]]
    assert kinds[-5:] == ["session", "outcome", "confirmation", "confirmation", "payment"]
    events = [e["event"] for e in _events(store, code)]
    assert "ticket.outcome" in events and "ticket.confirmation" in events and "ticket.payment" in events
    summary = next(e for e in _events(store, code) if e["event"] == "agreement_summary")
    assert summary["citizen"]["channel"] == "web"
    assert "2027-01-15前25000元" in summary["citizen"]["message"]


def test_failed_mediation_is_referred(store):
    code = file_case(store, "labor", "o-2")["code"]
    store.claim(code, "赵丽")
    t = store.record_outcome(code, failed_payload("labor_arbitration"), "赵丽", now=T0)
    assert t["status"] == "referred"
    assert t["outcome"]["referral"]["to_name"] == "太原市小店区劳动人事争议仲裁委员会"
    assert t["outcome"]["documents"] == ["referral"]
    with pytest.raises(InvalidInput, match="尚未达成调解协议"):
        store.record_confirmation(code, {"applied_on": "2027-01-08"}, "赵丽")
    assert "agreement_summary" not in [e["event"] for e in _events(store, code)]


def test_reminders_with_a_controlled_clock_and_missed_payments_back_in_the_queue(store):
    code = file_case(store, "traffic", "o-3")["code"]
    store.claim(code, "陈卫东")
    store.record_outcome(code, agreement_payload("traffic"), "陈卫东", now=T0)
    at = lambda day: datetime(2027, 1, day, 1, tzinfo=timezone.utc)  # noqa: E731
    assert store.payment_reminders(at(11)) == []  # 4 days before the first due date: not yet
    due = store.payment_reminders(at(12))  # 3 days before (reminder_days: 3)
    assert [(r["kind"], r["seq"], r["days_left"]) for r in due] == [("reminder", 1, 3)]
    assert due[0]["recipients"] == ["citizen", "payer"]  # the payer consented
    assert "13000元应于2027-01-15前支付" in due[0]["message"]
    assert store.payment_reminders(at(13)) == []  # once per payment
    queue = ListFilters(status=",".join(OPEN_STATUSES), limit=100)
    assert code not in [t["code"] for t in store.list_tickets(queue)]  # resolved: out of the queue
    missed = store.payment_reminders(at(16))
    assert [(r["kind"], r["seq"]) for r in missed] == [("missed", 1)]
    assert store.payment_reminders(at(17)) == []
    t = store.get_ticket(code, now=at(16))
    assert t["outcome"]["performance"] == "overdue" and "第1期" in t["outcome"]["performance_warning"]
    assert t["history"][-1]["kind"] == "performance"
    assert code in [t["code"] for t in store.list_tickets(queue)]  # back in the work queue
    events = [e["event"] for e in _events(store, code)]
    assert events.count("payment_reminder") == 1 and events.count("payment_missed") == 1
    payment = t["outcome"]["payments"][0]["id"]
    store.mark_payment(code, payment, "paid", "陈卫东", now=at(17))
    assert code not in [t["code"] for t in store.list_tickets(queue)]
    assert store.get_ticket(code, now=at(17))["outcome"]["performance"] == "on_track"


def test_statistics_rates_per_window_mediator_and_town(store):
    a = file_case(store, "debt", "s-1")["code"]
    b = file_case(store, "neighbor", "s-2")["code"]
    c = file_case(store, "wage_arrears", "s-3")["code"]
    store.record_outcome(a, agreement_payload("debt"), "张建国", now=T0)
    store.record_confirmation(a, {"applied_on": "2027-01-08"}, "张建国", now=T0)
    store.record_outcome(b, failed_payload("petition"), "张建国", now=T0)
    store.record_outcome(c, agreement_payload("wage_arrears"), "王志强", now=T0)
    pay = store.get_ticket(c)["outcome"]["payments"][0]["id"]
    store.mark_payment(c, pay, "paid", "王志强", now=T0)
    m = store.statistics(now=datetime(2027, 1, 20, tzinfo=timezone.utc))["mediation"]
    assert m["outcomes"] == 3 and m["success_rate"] == round(2 / 3, 4)
    assert m["judicial_confirmations"] == 1 and m["confirmation_rate"] == 0.5
    assert m["payments_due"] == 2 and m["performance_rate"] == 0.5  # one paid, one overdue
    assert m["referrals_by_destination"] == {"petition": 1}
    assert m["by_window"]["people_mediation"]["outcomes"] == 2
    assert m["by_window"]["labor_inspection"]["performance_rate"] == 1.0
    assert set(m["by_town"]) >= {"小店区坞城街道", "小店区亲贤街"}
    scoped = store.statistics(scope=("labor_inspection",), now=datetime(2027, 1, 20, tzinfo=timezone.utc))
    assert scoped["mediation"]["outcomes"] == 1


def test_outbox_payloads_stay_encrypted(store):
    code = file_case(store, "family", "o-4")["code"]
    store.record_outcome(code, agreement_payload("family"), "李秀英", now=T0)
    with store._read() as session:
        rows = outbox.rows_for(session, code)
    assert {r["event"] for r in rows} >= {"ticket.outcome", "agreement_summary"}


@pytest.mark.postgres
def test_migration_0005_up_and_down_on_postgresql(pg_schema_url, profile):
    _up_and_down(pg_schema_url, profile)


def test_migration_0005_up_and_down_on_sqlite(tmp_path, profile):
    _up_and_down(f"sqlite:///{tmp_path / 'm.db'}", profile)


def _up_and_down(url: str, profile) -> None:
    store = TicketStore(url, profile)
    code = file_case(store, "debt", "m-1")["code"]
    store.record_outcome(code, agreement_payload("debt"), "张建国", now=T0)
    store.dispose()
    cfg = Config(str(ALEMBIC_INI))
    cfg.attributes["configure_logging"] = False
    tables = {"mediation_sessions", "mediation_outcomes", "judicial_confirmations", "agreement_payments"}
    engine = create_engine(url, future=True)
    for target, present in (("0004", False), ("head", True)):
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if target == "0004" else command.upgrade)(cfg, target)
        assert (tables <= set(inspect(engine).get_table_names())) is present
        assert bool(tables & set(inspect(engine).get_table_names())) is present
    engine.dispose()
    again = TicketStore(url, profile)
    assert again.get_ticket(code)["outcome"] is None  # the old outcome went with the downgrade
    again.dispose()
