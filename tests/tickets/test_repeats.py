"""Repeat complaints: at filing, earlier tickets of the same citizen are linked (same phone, or same
applicant name with the same counterparty, by keyed hash); the count reaches the ticket JSON and the
routing (tier, petition window); the purge unlinks a citizen's erased tickets (SQLite, PostgreSQL)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot import privacy
from bot.storage.models import Ticket
from bot.storage.store import IntakeRecord

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)


def debt(sender: str, **facts: object) -> IntakeRecord:
    return IntakeRecord(sender, "web", "debt", "none", {"amount_yuan": 2000, **facts}, "借款两千元一直不还")


def test_same_phone_links_earlier_tickets_whatever_the_format(store):
    first = store.file_ticket(debt("a", phone="13912345678", applicant_name="张三"), now=T0)
    assert first["repeat_count"] == 0 and first["repeat_of"] == []
    second = store.file_ticket(debt("b", phone="+86 139-1234-5678"), now=T0 + timedelta(days=3))
    assert second["repeat_count"] == 1
    assert second["repeat_of"] == [{"code": first["code"], "basis": "phone"}]
    assert "定为一般案件：此前已反映1次" in second["route"]["reasons"]  # general tier: repeats ≥ 1
    other = store.file_ticket(debt("c", phone="13912345679"), now=T0 + timedelta(days=4))
    assert other["repeat_count"] == 0  # another citizen
    with store._read() as session:  # the phone is matched by keyed hash, never stored in clear
        hashes = session.execute(select(Ticket.phone_hash)).scalars().all()
    assert set(hashes) == {
        privacy.match_hash("phone", "13912345678"),
        privacy.match_hash("phone", "13912345679"),
    }
    assert hashlib.sha256(b"13912345678").hexdigest() not in hashes  # keyed: no plain hash a list could undo


def test_same_name_and_counterparty_links_even_without_a_phone(store):
    first = store.file_ticket(debt("a", applicant_name="李 四", counterparty="張偉"), now=T0)
    # traditional characters and spacing do not hide the match
    again = store.file_ticket(
        debt("b", applicant_name="李四", counterparty="张 伟"), now=T0 + timedelta(days=1)
    )
    assert again["repeat_of"] == [{"code": first["code"], "basis": "party"}]
    other = store.file_ticket(
        debt("c", applicant_name="李四", counterparty="赵六"), now=T0 + timedelta(days=2)
    )
    assert other["repeat_count"] == 0  # same name, another dispute
    trad = store.file_ticket(
        debt("d", applicant_name="李四", counterparty="张伟"), now=T0 + timedelta(days=3)
    )
    assert [r["code"] for r in trad["repeat_of"]] == [first["code"], again["code"]]


def test_repeats_feed_the_petition_rule_and_complex_tier(store):
    codes = []
    for i in range(4):
        t = store.file_ticket(debt(f"s{i}", phone="13800001111"), now=T0 + timedelta(days=i))
        codes.append(t["code"])
    assert t["repeat_count"] == 3
    assert t["route"]["tier"] == "complex"  # repeats ≥ 3
    assert "此前已反映3次" in "；".join(t["route"]["reasons"])
    assert "petition" in [w["window"] for w in t["route"]["secondary_windows"]]  # repeat_count ≥ 2
    second = store.get_ticket(codes[1])
    assert "petition" not in [w["window"] for w in second["route"]["secondary_windows"]]
    assert [r["code"] for r in t["repeat_of"]] == codes[:3]


def test_update_of_an_early_filing_links_when_the_phone_arrives(store):
    first = store.file_ticket(debt("a", phone="13500002222"), now=T0)
    early = store.file_ticket(debt("b"), now=T0 + timedelta(days=1))  # urgent hand-off: no phone yet
    assert early["repeat_count"] == 0
    updated = store.update_intake(early["code"], debt("b", phone="13500002222"), now=T0 + timedelta(days=1))
    assert updated["repeat_of"] == [{"code": first["code"], "basis": "phone"}]
    again = store.update_intake(early["code"], debt("b", phone="13500002222"), now=T0 + timedelta(days=1))
    assert again["repeat_count"] == 1  # linked once


def test_purged_tickets_are_no_longer_found(store):
    old = store.file_ticket(debt("a", phone="13600003333"), now=T0)
    store.claim(old["code"], "王志强", now=T0)
    store.change_status(old["code"], "resolved", "王志强", now=T0)
    store.change_status(old["code"], "closed", "王志强", now=T0)
    store.purge_expired(now=T0 + timedelta(days=store.profile.retention_days + 1))
    new = store.file_ticket(debt("b", phone="13600003333"), now=T0 + timedelta(days=1200))
    assert new["repeat_count"] == 0
