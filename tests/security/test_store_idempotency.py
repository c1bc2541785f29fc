"""7: filing is idempotent per (sender, idempotency key), also under concurrency on PostgreSQL and
after a crash and retry; a database that is down raises ``StorageUnavailable``."""

from __future__ import annotations

import os
import threading

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())

from bot.storage import filing, outbox  # noqa: E402
from bot.storage.models import Ticket  # noqa: E402
from bot.storage.store import IntakeRecord, StorageUnavailable, TicketStore  # noqa: E402
from bot.tickets.profiles import load_profile  # noqa: E402


@pytest.fixture(scope="module")
def profile():
    return load_profile()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path, profile):
    url = (
        f"sqlite:///{tmp_path / 'intake.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_schema_url")
    )
    s = TicketStore(url, profile)
    yield s
    s.dispose()


def _record(key, sender="rest-user-1"):
    return IntakeRecord(
        sender,
        "rest",
        "wage_arrears",
        "none",
        {"phone": "13912345678", "applicant_name": "张三"},
        "欠薪",
        idempotency_key=key,
    )


def _count(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Ticket)).scalar()


def test_same_key_same_ticket(store):
    key = "rest-user-1:1733350000.123456"
    first = store.file_ticket(_record(key))
    second = store.file_ticket(_record(key))
    assert first["code"] == second["code"] and _count(store) == 1
    assert store.file_ticket(_record("rest-user-1:1733350099.5"))["code"] != first["code"]
    assert _count(store) == 2


def test_a_long_key_is_kept_hashed(store):
    key = "x" * 120 + ":1733350000.123456"  # sender id up to 128 characters plus a timestamp
    assert store.file_ticket(_record(key))["code"] == store.file_ticket(_record(key))["code"]
    assert _count(store) == 1


def test_crash_after_insert_then_retry_files_once(store, monkeypatch):
    real = outbox.enqueue
    calls = {"n": 0}

    def flaky(session, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:  # the connection drops after the INSERT, before the commit
            raise OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))
        return real(session, *args, **kwargs)

    monkeypatch.setattr(outbox, "enqueue", flaky)
    key = "rest-user-1:1733350000.5"
    with pytest.raises(StorageUnavailable):
        store.file_ticket(_record(key))
    assert _count(store) == 0  # rolled back
    ticket = store.file_ticket(_record(key))
    assert store.file_ticket(_record(key))["code"] == ticket["code"]
    assert _count(store) == 1


@pytest.mark.postgres
def test_two_concurrent_calls_file_one_ticket(pg_schema_url, profile):
    stores = [TicketStore(pg_schema_url, profile) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def file(s):
        try:
            barrier.wait()
            results.append(s.file_ticket(_record("rest-user-1:1733350000.9"))["code"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    for _ in range(5):  # several rounds with fresh keys: the race must never give two tickets
        threads = [threading.Thread(target=file, args=(s,)) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert len(set(results)) == 1 and _count(stores[0]) == 1
    for s in stores:
        s.dispose()


def test_database_down_raises_storage_unavailable(profile):
    down = TicketStore("postgresql://postgres@127.0.0.1:1/test?connect_timeout=2", profile, migrate=False)
    with pytest.raises(StorageUnavailable):
        down.file_ticket(_record("k"))
    with pytest.raises(StorageUnavailable):
        down.update_intake("140105-20000101-0001", _record("k"))
    down.dispose()


def test_reads_from_a_database_that_is_down_raise_the_database_error(profile):
    """Only writes are turned into ``StorageUnavailable``; a read raises SQLAlchemy's own error."""
    down = TicketStore("postgresql://postgres@127.0.0.1:1/test?connect_timeout=2", profile, migrate=False)
    with pytest.raises(OperationalError):
        down.get_ticket("140105-20000101-0001")
    with pytest.raises(OperationalError):
        down.list_tickets()
    down.dispose()


def test_an_empty_idempotency_key_is_none():
    assert filing.idempotency_key("") is None
