"""The database under the ticket store: engine creation, transactions, schema migrations and health.

``Database`` wraps one SQLAlchemy engine (``DATABASE_URL``; default SQLite ``var/intake.db``). SQLite
runs in WAL mode with a busy timeout and a connection pool, and write transactions take the write lock
up front (``BEGIN IMMEDIATE``) so two processes never deadlock upgrading a read lock. A new SQLite file
is created readable by its owner only, since it holds personal data. Engines hide bound parameters
from their error messages (and PostgreSQL's DETAIL, which repeats a failing row's values), so phone
numbers and names never reach the logs through a failed statement.

The concern classes of the store (reading, workflow, filing, outcomes, statistics, accounts,
maintenance) build on ``Database`` and use only ``_read``/``_write`` sessions, ``profile`` and the
center's ``tz()``/``today()``.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

from bot import paths
from bot.storage import sqlite
from bot.tickets.centers import CenterProfile
from bot.tickets.deadlines import as_utc, center_zone, utcnow
from bot.tickets.profiles import current_profile

log = logging.getLogger(__name__)

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")
FILE_MODE = 0o600  # a SQLite file (and its lock file) holds personal data: owner only


def default_database_url() -> str:
    return f"sqlite:///{paths.var_dir() / 'intake.db'}"


def _create_private(path: str) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (an empty file is a valid SQLite database;
    SQLite gives its -wal and -shm files the database file's permissions)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, FILE_MODE)
    os.close(fd)


def create_private_file(path: str | Path) -> None:
    """Create ``path`` (a SQLite database) and its folder, the file empty with mode 0600, unless it
    exists; for other stores of personal data, e.g. Rasa's conversations."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    _create_private(str(path))


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite tuned for several processes, PostgreSQL with pre-ping."""
    if url.startswith("sqlite"):
        path = make_url(url).database or ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            _create_private(path)
        # a real pool: opening a SQLite connection (and checkpointing when the last one closes) is slow
        pool = {"poolclass": QueuePool, "pool_size": 5} if path and path != ":memory:" else {}
        engine = create_engine(
            url,
            future=True,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": 30, "check_same_thread": False},
            **pool,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
            cur = dbapi_conn.cursor()
            sqlite.tune(cur, busy_timeout_ms=30000)
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            # write transactions take the write lock up front: no upgrade deadlocks between processes
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    engine = create_engine(url, future=True, echo=echo, hide_parameters=True, pool_pre_ping=True)
    event.listen(engine, "handle_error", _hide_server_detail)
    return engine


def _hide_server_detail(context: Any) -> None:
    """PostgreSQL repeats the values of a failing row or key in its error's DETAIL ("Failing row
    contains (…)", "Key (…)=(…) already exists"); keep only the primary message, so an error logged
    anywhere carries no personal data. The exception keeps its class and ``pgcode``."""
    original = context.original_exception
    diag = getattr(original, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if primary and getattr(diag, "message_detail", None):
        original.args = (f"{primary}\nDETAIL:  (hidden: it may contain personal data)",)
        wrapped = context.sqlalchemy_exception  # its message was built from the original already
        if wrapped is not None and wrapped.args:
            kind = type(original)
            wrapped.args = (f"({kind.__module__}.{kind.__name__}) {original}", *wrapped.args[1:])


class Database:
    """One engine plus the center profile. ``Database()`` uses ``DATABASE_URL`` and ``CENTER_PROFILE``."""

    def __init__(
        self,
        database_url: str | None = None,
        profile: CenterProfile | None = None,
        *,
        migrate: bool = True,
        echo: bool = False,
    ):
        self.url = database_url or os.environ.get("DATABASE_URL") or default_database_url()
        self._profile = profile
        self.engine = make_engine(self.url, echo)
        if migrate:
            self.migrate()

    @property
    def profile(self) -> CenterProfile:
        return self._profile or current_profile()

    def tz(self) -> tzinfo:
        """The center's time zone (UTC+8 when the profile names an unknown one)."""
        return center_zone(self.profile.timezone)

    def today(self, now: datetime | None = None) -> date:
        """The date in the center's zone at ``now`` (default: the present)."""
        return as_utc(now or utcnow()).astimezone(self.tz()).date()

    # ------------------------------------------------------------ transactions

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, future=True, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with Session(self.engine, future=True, expire_on_commit=False) as session:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    # ------------------------------------------------------------ schema

    def migrate(self) -> None:
        """Run the Alembic migrations to head (serialised between processes by a lock)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config(str(ALEMBIC_INI))
        cfg.attributes["configure_logging"] = False
        alembic_log = logging.getLogger("alembic")
        if alembic_log.level == logging.NOTSET:  # its INFO chatter on every start is noise
            alembic_log.setLevel(logging.WARNING)
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with (
            self._setup_lock(),
            self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn,
            conn.begin(),
        ):
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(5080140105)"))
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            log.info("ticket database upgraded to schema revision %s", head)

    @contextmanager
    def _setup_lock(self) -> Iterator[None]:
        """For a SQLite file, an OS file lock around the first connection and the migrations: processes
        starting together on a fresh file would otherwise fight over switching it to WAL."""
        path = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if not path or path == ":memory:":
            yield
            return
        fd = os.open(f"{path}.lock", os.O_CREAT | os.O_RDWR | os.O_APPEND, FILE_MODE)
        with os.fdopen(fd, "a+b") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # ------------------------------------------------------------ health

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:  # reported by /health
            log.error("database unreachable: %s", exc.__class__.__name__)
            return False

    def dispose(self) -> None:
        self.engine.dispose()
