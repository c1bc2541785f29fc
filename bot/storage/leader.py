"""One leader across instances for the scheduled jobs (the 督办 scheduler).

- PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) held on a connection of its own for as
  long as the process leads. The lock dies with the connection, so a crashed or cut-off leader frees it
  and another instance takes over on its next attempt; the leader checks its connection on every
  attempt and steps down when it is gone. The key is derived from the database and schema, so
  several centers (schemas) on one server each have their own leader.
- SQLite (one machine by nature): an exclusive non-blocking file lock next to the database file, held
  by the leading process; an in-memory database has a single process anyway.

Even two leaders at once could not issue a 督办 twice (the ``supervisions`` unique key); leadership
saves the duplicate work and keeps the urgent re-alerts at one per interval.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
from typing import IO, Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

FILE_MODE = 0o600


class Leadership:
    """``acquire()`` tries to lead (or confirms leading); ``release()`` steps down."""

    def __init__(self, engine: Engine, name: str = "supervision") -> None:
        self.engine, self.name = engine, name
        self._conn: Connection | None = None
        self._file: IO[bytes] | None = None
        self._key: int | None = None

    @property
    def _memory(self) -> bool:
        return self.engine.dialect.name == "sqlite" and (self.engine.url.database or ":memory:") == ":memory:"

    def acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            return self._acquire_pg()
        if self._memory:
            return True
        return self._acquire_file()

    def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
            except Exception as exc:  # the connection is gone: so is the lock
                log.warning("leader %s: unlock failed (%s)", self.name, exc.__class__.__name__)
            finally:
                self._close(conn)
            log.info("leader %s: stepped down", self.name)
        if self._file is not None:
            fh, self._file = self._file, None
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()

    def _acquire_pg(self) -> bool:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except Exception as exc:
                log.warning("leader %s: lost the lock's connection (%s)", self.name, exc.__class__.__name__)
                self._close(self._conn)
                self._conn = None
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except Exception as exc:
            log.error("leader %s: database unreachable (%s)", self.name, exc.__class__.__name__)
            return False
        try:
            where = conn.execute(text("SELECT current_database() || '/' || current_schema()")).scalar()
            digest = hashlib.sha256(f"intake:{self.name}:{where}".encode()).digest()
            self._key = int.from_bytes(digest[:8], "big", signed=True)
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}).scalar())
        except Exception as exc:
            log.error("leader %s: lock attempt failed (%s)", self.name, exc.__class__.__name__)
            self._close(conn)
            return False
        if not got:
            self._close(conn)
            return False
        self._conn = conn
        log.info("leader %s: this process leads", self.name)
        return True

    def _acquire_file(self) -> bool:
        if self._file is not None:
            return True
        path = f"{self.engine.url.database}.{self.name}.lock"
        fd = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
        fh = os.fdopen(fd, "r+b")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._file = fh
        return True

    @staticmethod
    def _close(conn: Any) -> None:
        with contextlib.suppress(Exception):  # already broken: nothing to give back
            conn.close()
