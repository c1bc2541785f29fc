"""Rasa's SQL tracker store, without rebuilding the whole conversation on every message.

Why: on every message Rasa's ``SQLTrackerStore`` loads all events of the conversation through the
ORM, turns each back into an object, replays them into a new tracker, then counts the stored events
again to find the new ones, the largest cost of the Rasa process under load (docs/performance.md).
This store keeps the tracker it last saved and hands the same object back
when the database proves nothing changed since: the newest event id of the conversation is the one
it wrote (another Rasa worker or instance that wrote in between changes it). New events are then
the ones after those it stored. Rows, tables and session handling are Rasa's, so PostgreSQL and
SQLite, several workers (with a Redis lock store) and Rasa's own tools work as before.

Personal data at rest: the ``data`` column (the event as JSON: the citizen's words, slots with names
and phones) is stored Fernet-encrypted with the ticket store's data key (``bot.privacy``); rows
written before encryption (plain JSON) are still read. A new SQLite file is created readable by its
owner only, and engines hide bound parameters from error messages. The retention purge of the ticket
store (``intake purge-expired``) deletes a purged ticket's conversation from the ``events`` table.

Use in endpoints.yml: ``tracker_store: {type: connectors.stores.tracker_store.CachedSQLTrackerStore, dialect: ...,
db: ..., cache_size: 500}`` (the other keys as for ``type: SQL``).
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from bot import privacy
from bot.storage import sqlite
from bot.storage.db import create_private_file

logger = logging.getLogger(__name__)

DEFAULT_CACHE_SIZE = 500  # conversations kept per Rasa worker (a tracker is tens of kB)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    sqlite.tune(cursor, busy_timeout_ms=5000)
    cursor.close()


def encode(data: dict[str, Any]) -> str:
    """An event's JSON, encrypted for the ``data`` column."""
    return privacy.encrypt(json.dumps(data)) or ""


def decode(stored: str) -> dict[str, Any]:
    """The event of a ``data`` value: encrypted (ours) or plain JSON (rows from before)."""
    if stored.lstrip().startswith("{"):
        return dict(json.loads(stored))
    clear = privacy.decrypt(stored)
    if clear is None:
        raise ValueError("cannot decrypt a stored conversation event: wrong INTAKE_DATA_KEY?")
    return dict(json.loads(clear))


def _create_private_sqlite(dialect: str, db: str | None) -> None:
    """A new SQLite file for conversations is created 0600 (SQLite gives -wal/-shm the same mode)."""
    if dialect == "sqlite" and db and db != ":memory:":
        create_private_file(db)


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    stored: int  # events of the tracker that are in the database
    last_id: int | None  # newest event id of the conversation in the database


class CachedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with a bounded per-process cache checked against the database."""

    engine: Any  # set by SQLTrackerStore; replaced by a pooled one for SQLite files

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        _create_private_sqlite(kwargs.get("dialect", "sqlite"), kwargs.get("db", "rasa.db"))
        super().__init__(*args, **kwargs)
        self.engine.hide_parameters = True  # no slot values (names, phones) in logged SQL errors
        self.cache_size = max(0, int(cache_size))
        self._kept: OrderedDict[str, _Kept] = OrderedDict()
        # built once: building a statement costs more than running this one
        events = self.SQLEvent.__table__
        self._insert = sa.insert(events)
        self._last_id_query = sa.select(sa.func.max(events.c.id)).where(
            events.c.sender_id == sa.bindparam("sender_id")
        )
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            self._pool_sqlite()

    def _pool_sqlite(self) -> None:
        """The embedded default: pooled connections in WAL mode.

        Why: SQLAlchemy 1.4 opens a new SQLite connection per session (NullPool), and Rasa's default
        rollback journal syncs the disk twice per commit while the worker's event loop
        waits; a writing worker also blocks the other workers' reads. WAL lets readers and the
        writer proceed together; ``synchronous=NORMAL`` syncs at checkpoints, not per commit: a
        crash of the process loses nothing, a power cut may lose the last moments of conversations
        (the ticket store runs SQLite the same way, bot/storage/db.py).
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url,
            poolclass=sa.pool.QueuePool,
            pool_size=2,
            hide_parameters=True,
            connect_args={"check_same_thread": False},
        )
        sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)

    # --- database -------------------------------------------------------------------------------

    def _last_id(self, connection: Any, sender_id: str) -> int | None:
        """Newest event id of the conversation (a connection or an ORM session)."""
        return connection.execute(self._last_id_query, {"sender_id": sender_id}).scalar()

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The columns Rasa's own ``save`` writes for an event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": encode(data),
        }

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve``, reading the encrypted ``data`` column."""
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [decode(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    # --- the cache ------------------------------------------------------------------------------

    def _keep(self, tracker: DialogueStateTracker, last_id: int | None) -> None:
        if self.cache_size == 0:
            return
        self._kept[tracker.sender_id] = _Kept(tracker, len(tracker.events), last_id)
        self._kept.move_to_end(tracker.sender_id)
        while len(self._kept) > self.cache_size:
            self._kept.popitem(last=False)

    def _unchanged(self, kept: _Kept) -> bool:
        """The kept tracker has no unsaved events and the database has no newer ones."""
        if len(kept.tracker.events) != kept.stored:
            return False  # changed in memory without being saved (e.g. an error mid-message)
        with self.engine.connect() as connection:
            return self._last_id(connection, kept.tracker.sender_id) == kept.last_id

    # --- TrackerStore ---------------------------------------------------------------------------

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest conversation session, from the cache when the database shows no change."""
        kept = self._kept.pop(sender_id, None)
        if kept is not None and self._unchanged(kept):
            self._kept[sender_id] = kept
            return kept.tracker
        with self.engine.connect() as connection:
            # Read before the events: a write in between only makes the kept copy look stale.
            last_id = self._last_id(connection, sender_id)
        if last_id is None:
            return None  # a new conversation: no need for Rasa's session query to find nothing
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._keep(tracker, last_id)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the events added since the last save, as Rasa's ``save`` does, in one statement."""
        await self.stream_events(tracker)
        kept = self._kept.pop(tracker.sender_id, None)
        if kept is not None and kept.tracker is tracker:  # ours: handed out and saved by us
            ours, new = True, list(itertools.islice(tracker.events, kept.stored, None))
        else:
            with self.session_scope() as session:
                if self._last_id(session, tracker.sender_id) is None:
                    ours, new = True, list(tracker.events)  # a new conversation: every event is new
                else:  # a tracker we did not hand out (e.g. Rasa's HTTP API): Rasa's way
                    ours, new = False, list(self._additional_events(session, tracker))
        # A plain connection, not an ORM session as Rasa's: much less work per save.
        with self.engine.begin() as connection:
            if new:
                rows = [self._row(tracker.sender_id, event) for event in new]
                connection.execute(self._insert, rows)
            last_id = self._last_id(connection, tracker.sender_id)
        if not ours:
            return  # of unknown extent: the next read comes from the database
        if any(isinstance(event, SessionStarted) for event in new):
            tracker = self._as_read_back(tracker)
        self._keep(tracker, last_id)

    def _as_read_back(self, tracker: DialogueStateTracker) -> DialogueStateTracker:
        """The tracker Rasa's ``retrieve`` rebuilds after a new session started, without reading it:
        the events stamped at or after the latest ``SessionStarted`` (Rasa's own criterion, which
        also keeps the ``action_session_start`` logged just after it), replayed in order."""
        events = list(tracker.events)
        start = max(event.timestamp for event in events if isinstance(event, SessionStarted))
        session = [event for event in events if event.timestamp >= start]
        return DialogueStateTracker.from_events(tracker.sender_id, session, self.domain.slots)
