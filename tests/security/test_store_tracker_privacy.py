"""6: conversations at rest: the tracker store's event data is encrypted (and still read back), its
SQLite file is 0600 and its engine hides parameters; the retention purge deletes a purged ticket's
conversation and leaves no phone-shaped sender id on the ticket."""

from __future__ import annotations

import asyncio
import os
import stat
from datetime import timedelta

import sqlalchemy as sa
from cryptography.fernet import Fernet

os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())

from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered  # noqa: E402

from bot.storage.store import IntakeRecord, TicketStore  # noqa: E402
from bot.tickets.deadlines import utcnow  # noqa: E402
from bot.tickets.profiles import load_profile  # noqa: E402
from connectors.stores.tracker_store import CachedSQLTrackerStore  # noqa: E402

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [inform]
slots:
  phone:
    type: text
    mappings: [{type: custom}]
  applicant_name:
    type: text
    mappings: [{type: custom}]
"""
)
PHONE, NAME = "13912345678", "王建国"


def _talk(store, sender):
    tracker = asyncio.run(store.get_or_create_tracker(sender))
    tracker.update(UserUttered(f"我叫{NAME}，电话{PHONE}", {"name": "inform", "confidence": 0.9}))
    tracker.update(SlotSet("phone", PHONE))
    tracker.update(SlotSet("applicant_name", NAME))
    tracker.update(ActionExecuted("action_listen"))
    asyncio.run(store.save(tracker))


def _data(db):
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT sender_id, data FROM events")).all()
    engine.dispose()
    return rows


def test_event_data_is_encrypted_and_still_loads(tmp_path):
    db = tmp_path / "tracker.db"
    store = CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    _talk(store, "c1")
    rows = _data(db)
    assert rows and all(PHONE not in r.data and NAME not in r.data for r in rows)
    assert all(PHONE not in r.data.encode().decode("unicode_escape", "ignore") for r in rows)
    fresh = CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), cache_size=0)
    tracker = asyncio.run(fresh.retrieve("c1"))
    assert tracker.get_slot("phone") == PHONE and tracker.get_slot("applicant_name") == NAME
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert store.engine.hide_parameters and fresh.engine.hide_parameters


def test_purge_deletes_the_conversation_and_the_phone_shaped_sender(tmp_path):
    db = tmp_path / "tracker.db"
    tracker_store = CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    sender = "13800001111"  # the hotline's sender id is the caller's number
    _talk(tracker_store, sender)
    _talk(tracker_store, "other")
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", load_profile())
    code = store.file_ticket(
        IntakeRecord(
            sender, "hotline", "wage_arrears", "none", {"phone": PHONE, "applicant_name": NAME}, "欠薪"
        )
    )["code"]
    for status in ("accepted", "resolved", "closed"):
        store.change_status(code, status, "t")
    assert store.purge_expired(now=utcnow() + timedelta(days=4000), tracker_url=f"sqlite:///{db}") == 1
    assert {r.sender_id for r in _data(db)} == {"other"}
    assert asyncio.run(tracker_store.retrieve(sender)) is None  # the worker's cache sees it gone
    purged = store.get_ticket(code)
    assert sender not in str(purged) and purged["sender_id"].startswith("purged-")
    assert purged["transcript_ref"] is None
    store.dispose()
