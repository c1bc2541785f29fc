"""Leader change between two processes against a real PostgreSQL (skipped when unreachable): leader A
holds the advisory lock and B does nothing; A steps down or dies and B takes over; no 督办 is issued
twice across the change."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, func, select, text

from bot.storage.leader import Leadership
from bot.storage.models import Supervision
from bot.storage.store import IntakeRecord, TicketStore

pytestmark = pytest.mark.postgres

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)

# Process A: leads, runs one pass at the clock it is given, reports, then waits to be killed.
LEADER_A = """
import sys, time
from datetime import datetime
from bot.storage.leader import Leadership
from bot.storage.store import TicketStore
from bot.tickets.profiles import load_profile
store = TicketStore(sys.argv[1], load_profile(), migrate=False)
leader = Leadership(store.engine)
done = store.supervise_as(leader, datetime.fromisoformat(sys.argv[2]))
print("led" if done is not None else "follower", len(done["notices"]) if done else 0, flush=True)
time.sleep(120)
"""


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _start_a(url: str, when: datetime) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", LEADER_A, url, when.isoformat()], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def _within(seconds: float, attempt):
    """``attempt()`` until it gives something (the server ends a killed backend within moments)."""
    deadline = time.monotonic() + seconds
    while True:
        result = attempt()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def _counts(store: TicketStore) -> list[tuple[str, str, int]]:
    with store._read() as session:
        rows = session.execute(
            select(Supervision.stage, Supervision.kind, func.count()).group_by(
                Supervision.stage, Supervision.kind
            )
        ).all()
    return sorted(tuple(r) for r in rows)


def test_leader_dies_and_the_other_process_takes_over(pg_schema_url, profile):
    store_b = TicketStore(pg_schema_url, profile)
    leader_b = Leadership(store_b.engine)
    proc = None
    try:
        store_b.file_ticket(
            IntakeRecord("web-1", "web", "debt", "none", {"amount_yuan": 500}, "借款不还"), now=T0
        )
        proc, said = _start_a(pg_schema_url, at(20))
        assert said == "led 1"  # A leads and issued the "near" notice
        assert store_b.supervise_as(leader_b, at(20)) is None  # B: not the leader, does nothing
        assert store_b.supervise_as(leader_b, at(26)) is None
        proc.kill()  # A dies without stepping down: its connection, and so its lock, go with it
        proc.wait(10)
        result = _within(10, lambda: store_b.supervise_as(leader_b, at(26)))
        assert result is not None, "B did not take over after A died"
        assert [(n["stage"], n["kind"]) for n in result["notices"]] == [("sign", "overdue")]
        assert store_b.supervise_as(leader_b, at(26)) == {"notices": [], "duty_alerts": []}
        assert _counts(store_b) == [("sign", "near", 1), ("sign", "overdue", 1)]
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(10)
        leader_b.release()
        store_b.dispose()


def test_leader_steps_down_and_a_lost_connection_is_noticed(pg_schema_url, profile):
    store_a, store_b = TicketStore(pg_schema_url, profile), TicketStore(pg_schema_url, profile, migrate=False)
    a, b = Leadership(store_a.engine), Leadership(store_b.engine)
    admin = create_engine(pg_schema_url, future=True)
    try:
        assert a.acquire()
        assert not b.acquire()
        a.release()  # orderly stop: B leads on its next attempt
        assert b.acquire()
        assert not a.acquire()
        # B's connection is cut (network, server restart): B notices on its next attempt, A takes over
        assert b._conn is not None
        pid = b._conn.execute(text("SELECT pg_backend_pid()")).scalar()
        with admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        assert _within(5, a.acquire), "A did not take over after B's connection was cut"
        assert not b.acquire()  # its lock is gone and A holds the new one
    finally:
        a.release()
        b.release()
        admin.dispose()
        store_a.dispose()
        store_b.dispose()


def test_two_schemas_each_have_their_own_leader(pg_url, pg_schema_url):
    """Two centers (schemas) on one server: each elects its own leader (the key includes the schema)."""
    e1, e2 = create_engine(pg_url, future=True), create_engine(pg_schema_url, future=True)
    l1, l2 = Leadership(e1), Leadership(e2)
    try:
        assert l1.acquire() and l2.acquire()
        assert not Leadership(e2).acquire()
    finally:
        l1.release()
        l2.release()
        e1.dispose()
        e2.dispose()
