"""The database settings that protect personal data: SQLite files readable by their owner only, and
bound values (phones, names) kept out of error messages and so out of the logs."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.storage.store import TicketStore


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path, profile):
    old = os.umask(0o022)  # the usual umask would give 0644
    try:
        s = TicketStore(f"sqlite:///{tmp_path / 'sub' / 'intake.db'}", profile)
        s.list_tickets()
        files = [p for p in (tmp_path / "sub").iterdir()]
        assert {p.name for p in files} >= {"intake.db", "intake.db.lock"}
        assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
        s.dispose()
    finally:
        os.umask(old)


def test_bound_values_never_appear_in_database_errors(store):
    with pytest.raises(DBAPIError) as caught, store._write() as session:
        session.execute(
            text("INSERT INTO staff_users (username, name) VALUES (:u, :n)"),
            {"u": "13800138000", "n": "张三丰"},
        )
    message = str(caught.value)
    assert "INSERT INTO staff_users" in message
    assert "13800138000" not in message and "张三丰" not in message
