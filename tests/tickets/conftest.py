"""Fixtures for the ticket tests: the default profile and stores on SQLite and PostgreSQL.

PostgreSQL comes from the ``pg_url`` fixture (tests/conftest.py): a fresh schema per test session;
when PostgreSQL is not reachable the PostgreSQL variants are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

# a fixed test key, inherited by worker processes; no key file is written under var/
os.environ["INTAKE_DATA_KEY"] = Fernet.generate_key().decode()
os.environ.pop("CENTER_WEBHOOK_URL", None)

from bot.storage.store import TicketStore  # noqa: E402
from bot.tickets.centers import CenterProfile  # noqa: E402
from bot.tickets.profiles import load_profile

TABLES = (
    "tickets, ticket_windows, parties, status_history, outbox, staff_tokens, case_sequences, "
    "staff_users, staff_sessions, status_attempts"  # a locked case code must not outlive its test
)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Tests that install the PII log filter must not change logging for the rest of the suite."""
    import logging

    from bot import privacy

    factory = logging.getLogRecordFactory()
    root_filters = {h: list(h.filters) for h in logging.getLogger().handlers}
    installed = privacy._installed
    yield
    logging.setLogRecordFactory(factory)
    for handler, filters in root_filters.items():
        handler.filters = filters
    privacy._installed = installed


@pytest.fixture(scope="session")
def profile() -> CenterProfile:
    return load_profile()


def _clean_pg(store: TicketStore) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path, profile) -> Iterator[TicketStore]:
    """A migrated, empty store on each database."""
    if request.param == "sqlite":
        s = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", profile)
    else:
        s = TicketStore(request.getfixturevalue("pg_url"), profile)
        _clean_pg(s)
    yield s
    s.dispose()


@pytest.fixture
def sqlite_store(tmp_path, profile) -> Iterator[TicketStore]:
    s = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", profile)
    yield s
    s.dispose()


@pytest.fixture
def empty_pg_url(pg_url, profile) -> str:
    """The session's PostgreSQL schema, migrated and emptied."""
    s = TicketStore(pg_url, profile)
    _clean_pg(s)
    s.dispose()
    return pg_url
