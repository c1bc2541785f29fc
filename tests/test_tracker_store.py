"""The cached tracker store reads and writes exactly what Rasa's SQL store does, and never serves a
conversation that changed in the database or in memory since it was kept."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.utils.endpoints import EndpointConfig

from connectors.stores.tracker_store import CachedSQLTrackerStore, decode

# a fixed key for the encrypted event data; no key file is written under var/
os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, inform]
slots:
  category:
    type: text
    mappings: [{type: custom}]
"""
)


def run(coroutine):
    return asyncio.run(coroutine)


def cached(db: Path, **kwargs) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), **kwargs)


class KeyedSQLTrackerStore(SQLTrackerStore):
    """Rasa's own SQL store, reading the event data through the data key (the rows are encrypted at
    rest): everything else is Rasa's."""

    async def _retrieve(self, sender_id, fetch_events_from_all_sessions):
        from rasa.shared.core.trackers import DialogueStateTracker

        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions).all()
            events = [decode(row.data) for row in rows]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots) if events else None


def plain(db: Path) -> SQLTrackerStore:
    return KeyedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))


def message(tracker, text: str, category: str) -> None:
    """What one citizen message adds: the parse, a slot, the reply, listening again."""
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9}))
    tracker.update(SlotSet("category", category))
    tracker.update(ActionExecuted("utter_ok"))
    tracker.update(ActionExecuted("action_listen"))


def new_session(tracker, text: str, category: str) -> None:
    """What Rasa adds when a session starts (first message, or after the session expired)."""
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    message(tracker, text, category)


def rows(db: Path) -> list[tuple]:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        result = connection.execute(
            sa.text("SELECT sender_id, type_name, intent_name, action_name, data FROM events ORDER BY id")
        )
        return [(*r[:4], decode(r[4])) for r in result]


def conversation(store: TrackerStore, sender: str = "c1", turns: int = 3) -> None:
    for turn in range(turns):
        tracker = run(store.get_or_create_tracker(sender))
        message(tracker, f"第{turn}句", f"cat{turn}")
        run(store.save(tracker))


def test_writes_the_same_rows_as_rasas_store(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.db", tmp_path / "theirs.db"
    conversation(cached(ours))
    conversation(plain(theirs))
    ours_rows, their_rows = rows(ours), rows(theirs)
    assert len(ours_rows) == len(their_rows) > 10
    strip = lambda r: (r[0], r[1], r[2], r[3])  # noqa: E731 - data holds timestamps
    assert [strip(r) for r in ours_rows] == [strip(r) for r in their_rows]


def test_reads_back_what_rasas_store_reads(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = cached(db)
    conversation(store)
    mine = run(store.retrieve("c1"))
    fresh = run(plain(db).retrieve("c1"))
    assert mine.current_state() == fresh.current_state()
    assert mine.get_slot("category") == "cat2"
    assert len(mine.events) == len(fresh.events)


def test_an_unchanged_conversation_comes_from_the_cache(tmp_path: Path) -> None:
    store = cached(tmp_path / "t.db")
    conversation(store)
    first = run(store.retrieve("c1"))
    assert run(store.retrieve("c1")) is first


def test_another_worker_writing_is_seen(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    one, two = cached(db), cached(db)
    conversation(one)
    assert run(one.retrieve("c1")).get_slot("category") == "cat2"
    other = run(two.retrieve("c1"))
    message(other, "另一个进程", "labor")
    run(two.save(other))
    seen = run(one.retrieve("c1"))
    assert seen.get_slot("category") == "labor"
    assert seen.latest_message.text == "另一个进程"


def test_a_change_in_memory_that_was_not_saved_is_dropped(tmp_path: Path) -> None:
    store = cached(tmp_path / "t.db")
    conversation(store)
    tracker = run(store.retrieve("c1"))
    message(tracker, "处理到一半出错", "wrong")  # never saved
    again = run(store.retrieve("c1"))
    assert again is not tracker
    assert again.get_slot("category") == "cat2"


def test_a_new_session_is_read_as_rasa_reads_it(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    store = cached(db)
    conversation(store)
    tracker = run(store.retrieve("c1"))
    new_session(tracker, "新的一次", "family")
    run(store.save(tracker))
    mine = run(store.retrieve("c1"))
    assert store._kept["c1"].tracker is mine  # kept, not read back
    assert_same_tracker(mine, run(plain(db).retrieve("c1")))
    assert mine.get_slot("category") == "family"


def assert_same_tracker(mine, rasas) -> None:
    assert [e.as_dict() for e in mine.events] == [e.as_dict() for e in rasas.events]
    assert mine.current_state() == rasas.current_state()


def test_a_new_conversation_is_written_and_kept_as_rasa_reads_it(tmp_path: Path) -> None:
    """What Rasa does for a first message: create (and save) the tracker, start a session, answer."""
    db = tmp_path / "t.db"
    store = cached(db)
    assert run(store.retrieve("new")) is None
    tracker = run(store.get_or_create_tracker("new"))
    new_session(tracker, "第一次来", "debt")
    run(store.save(tracker))
    assert rows(db) == rows_written_by_rasa(tmp_path, tracker)
    mine = run(store.retrieve("new"))
    assert store._kept["new"].tracker is mine
    assert_same_tracker(mine, run(plain(db).retrieve("new")))
    message(mine, "第二句", "labor")  # the next message continues from the kept tracker
    run(store.save(mine))
    assert_same_tracker(run(cached(db).retrieve("new")), run(plain(db).retrieve("new")))


def rows_written_by_rasa(tmp_path: Path, tracker) -> list[tuple]:
    db = tmp_path / "rasa.db"
    run(plain(db).save(tracker))
    return rows(db)


def test_the_cache_is_bounded(tmp_path: Path) -> None:
    store = cached(tmp_path / "t.db", cache_size=2)
    for sender in ("a", "b", "c"):
        conversation(store, sender, turns=2)
    assert list(store._kept) == ["b", "c"]
    assert run(store.retrieve("a")).get_slot("category") == "cat1"  # still there, from the database


def test_rasa_loads_it_from_the_endpoints_file(tmp_path: Path) -> None:
    config = EndpointConfig(
        type="connectors.stores.tracker_store.CachedSQLTrackerStore",
        dialect="sqlite",
        db=str(tmp_path / "t.db"),
        cache_size=7,
    )
    store = TrackerStore.create(config, DOMAIN)
    inner = getattr(store, "_tracker_store", store)
    inner = getattr(inner, "_tracker_store", inner)
    assert isinstance(inner, CachedSQLTrackerStore), type(inner)
    assert inner.cache_size == 7


def test_cache_can_be_switched_off(tmp_path: Path) -> None:
    store = cached(tmp_path / "t.db", cache_size=0)
    conversation(store)
    assert run(store.retrieve("c1")) is not run(store.retrieve("c1"))


def test_sqlite_saves_while_another_worker_is_reading(tmp_path: Path) -> None:
    """WAL mode: a worker's read in progress does not stall another worker's save (with Rasa's
    rollback journal the save waits for the reader, then fails with "database is locked")."""
    db = tmp_path / "t.db"
    store = cached(db)
    conversation(store, "c1", turns=1)
    reader = sqlite3.connect(db, timeout=0.5, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] > 0  # read lock held
        conversation(store, "c1", turns=1)  # the save commits while the read is open
        reader.execute("COMMIT")
    finally:
        reader.close()
    assert [r[1] for r in rows(db)].count("user") == 2  # both messages stored


@pytest.fixture
def pg_schema(pg_schema_url: str) -> dict:
    """A fresh PostgreSQL schema (tests/conftest.py) as tracker-store settings."""
    url = sa.engine.make_url(pg_schema_url)
    return {
        "dialect": "postgresql",
        "host": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
        "query": dict(url.query),
    }


@pytest.mark.postgres
def test_two_workers_on_postgresql(pg_schema: dict) -> None:
    one = CachedSQLTrackerStore(domain=DOMAIN, **pg_schema)
    two = CachedSQLTrackerStore(domain=DOMAIN, **pg_schema)
    conversation(one, turns=2)
    assert run(one.retrieve("c1")) is run(one.retrieve("c1"))
    other = run(two.retrieve("c1"))
    message(other, "另一个进程", "labor")
    run(two.save(other))
    seen = run(one.retrieve("c1"))
    assert seen.get_slot("category") == "labor"
    theirs = KeyedSQLTrackerStore(domain=DOMAIN, **pg_schema)
    assert len(run(theirs.retrieve("c1")).events) == len(seen.events)
