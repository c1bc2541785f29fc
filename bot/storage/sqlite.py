"""SQLite settings shared by the ticket store and the tracker store (the embedded default)."""

from __future__ import annotations

import sqlite3
import time
from typing import Any


def use_wal(cursor: Any, patience: float = 30.0) -> None:
    """Switch a SQLite file to WAL (readers and one writer at once; a commit need not sync the disk).

    On a fresh file several processes (Rasa workers, the action server) may try at once; SQLite
    answers "database is locked" at once (no busy wait, it would deadlock) to all but one, so retry
    briefly.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def tune(cursor: Any, busy_timeout_ms: int) -> None:
    """The settings both stores use on every new connection: wait for a busy writer up to
    ``busy_timeout_ms``, WAL, and sync the disk at checkpoints rather than per commit (a crashed
    process loses nothing; a power cut may lose the last commits)."""
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    use_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
