"""Background work on the ticket database: the outbox the deliverers drain (the
center's webhook, the hotline's callbacks, WeChat messages), and the retention
purge that erases personal data of tickets closed longer ago than the retention period.

The outbox rows themselves (leasing, backoff, dead letters) are handled in ``bot.storage.outbox``;
this module gives the deliverer and the command line transactional entry points to them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import selectinload

from bot import paths, privacy
from bot.storage import outbox
from bot.storage.db import make_engine
from bot.storage.evidence import PENDING_DAYS, EvidenceFiles, purge_rows
from bot.storage.models import EvidenceFile, Handoff, Outbox, Ticket
from bot.tickets.deadlines import utcnow

log = logging.getLogger(__name__)


class Maintenance(EvidenceFiles):
    """Outbox operations and the retention purge (evidence files included)."""

    # ------------------------------------------------------------ outbox

    def due_outbox(self, limit: int = 20, target: str = outbox.CENTER) -> list[outbox.OutboxMessage]:
        """Lease due outbox rows; a cheap read first, so an idle poll never takes the write lock."""
        with self._read() as session:
            if not outbox.any_due(session, target=target):
                return []
        with self._write() as session:
            return outbox.claim_due(session, limit, target=target)

    def enqueue_channel_messages(
        self, target: str, recipient: str, event: str, bodies: list[dict[str, Any]]
    ) -> None:
        """A channel's outgoing messages to one recipient, in this order, in one transaction."""
        with self._write() as session:
            for body in bodies:
                outbox.enqueue_message(session, target, recipient, event, body)

    def channel_undelivered(self, target: str, recipient: str) -> bool:
        with self._read() as session:
            return outbox.undelivered_for(session, target, recipient)

    def outbox_delivered(self, message_id: int) -> None:
        with self._write() as session:
            outbox.mark_delivered(session, message_id)

    def outbox_failed(self, message_id: int, error: str, max_attempts: int, base_delay: float) -> str:
        with self._write() as session:
            return outbox.mark_failed(session, message_id, error, max_attempts, base_delay)

    def requeue_dead(self) -> int:
        with self._write() as session:
            return outbox.requeue_dead(session)

    def outbox_counts(self) -> dict[str, int]:
        with self._read() as session:
            return outbox.counts(session)

    def dead_outbox_count(self) -> int:
        with self._read() as session:
            return outbox.dead_count(session)

    def outbox_rows(self, code: str) -> list[dict[str, Any]]:
        with self._read() as session:
            return outbox.rows_for(session, code)

    # ------------------------------------------------------------ retention

    def purge_expired(self, now: datetime | None = None, *, tracker_url: str | None = None) -> int:
        """Erase personal data of tickets closed more than the retention period ago: facts, secrets,
        names, free text, the sender id (replaced by a keyed hash: a hotline sender id is a phone
        number), the evidence files (and uploads never filed within ``PENDING_DAYS``) and the
        conversation in the Rasa tracker store (``tracker_url``, default ``TRACKER_DB_URL`` or
        ``var/tracker.db``)."""
        now = now or utcnow()
        conversations: set[str] = set()
        cutoff = now - timedelta(days=privacy.retention_days(self.profile.retention_days))
        count = 0
        with self._write() as session:
            tickets = (
                session.execute(
                    select(Ticket)
                    .options(selectinload(Ticket.parties), selectinload(Ticket.history))
                    .where(Ticket.status == "closed", Ticket.closed_at < cutoff, Ticket.purged_at.is_(None))
                )
                .scalars()
                .all()
            )
            for t in tickets:
                name = t.facts.get("applicant_name")
                t.facts = privacy.scrub_facts(dict(t.facts))
                t.phone_enc = t.phone_last4_hash = t.id_number_enc = t.transcript_enc = None
                t.phone_hash = t.party_hash = None  # no longer found as an earlier ticket
                t.citizen_rating_comment_enc = None  # the citizen's own words with their rating
                summary = privacy.mask_text(t.summary or "")
                t.summary = summary.replace(str(name), "某某") if name else summary
                if t.outcome is not None:  # the agreement's counterparty ID number goes too
                    t.outcome.counterparty_id_enc = None
                for party in t.parties:
                    party.phone_enc = None
                    if party.role == "applicant":
                        party.name = None
                for h in t.history:
                    h.note = privacy.mask_text(h.note or "") or None
                conversations.update(s for s in (t.transcript_sender_id, t.sender_id) if s)
                t.sender_id = purged_sender_id(t.sender_id)
                t.transcript_sender_id = t.transcript_channel = None
                t.purged_at = now
                count += 1
            blob_keys = purge_rows(
                session,
                EvidenceFile.ticket_id.in_([t.id for t in tickets])
                | (
                    EvidenceFile.ticket_id.is_(None)
                    & (EvidenceFile.created_at < now - timedelta(days=PENDING_DAYS))
                ),
            )
            if tickets:
                # delivered or dead events carry the personal data too; pending ones are still owed
                session.execute(
                    Outbox.__table__.delete().where(
                        Outbox.ticket_code.in_([t.code for t in tickets]), Outbox.state != outbox.PENDING
                    )
                )
                # a hand-off of the conversation keeps its summary and the caller's number: gone too
                session.execute(
                    Handoff.__table__.delete().where(Handoff.ticket_code.in_([t.code for t in tickets]))
                )
            if conversations:  # a conversation another (not yet purged) ticket points at stays
                still = session.execute(
                    select(Ticket.transcript_sender_id).where(
                        Ticket.transcript_sender_id.in_(conversations), Ticket.purged_at.is_(None)
                    )
                ).scalars()
                conversations -= set(still)
        self.delete_blobs(blob_keys)  # after the commit: a failed purge keeps the files it still lists
        if conversations:
            purge_conversations(sorted(conversations), tracker_url)
        log.info("purged personal data of %d closed tickets (closed before %s)", count, cutoff.date())
        return count


def purged_sender_id(sender_id: str) -> str:
    """What a purged ticket keeps of its sender id: a keyed hash (phone numbers are too few for a
    plain hash), the same for the same sender so tickets of one conversation still group."""
    digest = hmac.new(privacy.data_key(), b"sender:" + sender_id.encode("utf-8"), hashlib.sha256)
    return "purged-" + digest.hexdigest()[:32]


def tracker_database_url() -> str | None:
    """The Rasa tracker store's database: ``TRACKER_DB_URL``, else the embedded ``var/tracker.db``."""
    url = os.environ.get("TRACKER_DB_URL")
    if url:
        return url
    path = paths.var_dir() / "tracker.db"
    return f"sqlite:///{path}" if path.exists() else None


def purge_conversations(sender_ids: list[str], tracker_url: str | None = None) -> int:
    """Delete the conversations' events from the tracker store's ``events`` table (Rasa's schema;
    a running Rasa worker's cache sees the change and reads the conversation as gone)."""
    url = tracker_url or tracker_database_url()
    if not url:
        return 0
    engine = make_engine(url) if url.startswith(("sqlite", "postgres")) else None
    if engine is None:
        log.error("tracker store %s not supported by the purge", make_url(url).get_backend_name())
        return 0
    try:
        if not inspect(engine).has_table("events"):
            return 0
        deleted = 0
        with engine.begin() as conn:
            for sender in sender_ids:
                deleted += (
                    conn.execute(
                        text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender}
                    ).rowcount
                    or 0
                )
        log.info("purged %d conversation events of %d conversations", deleted, len(sender_ids))
        return deleted
    finally:
        engine.dispose()
