"""Background work on the ticket database: the outbox the webhook deliverer drains, and the retention
purge that erases personal data of tickets closed longer ago than the retention period.

The outbox rows themselves (leasing, backoff, dead letters) are handled in ``bot.storage.outbox``;
this module gives the deliverer and the command line transactional entry points to them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot import privacy
from bot.storage import outbox
from bot.storage.db import Database
from bot.storage.models import Outbox, Ticket
from bot.tickets.deadlines import utcnow

log = logging.getLogger(__name__)


class Maintenance(Database):
    """Outbox operations and the retention purge."""

    # ------------------------------------------------------------ outbox

    def due_outbox(self, limit: int = 20) -> list[outbox.OutboxMessage]:
        """Lease due outbox rows; a cheap read first, so an idle poll never takes the write lock."""
        with self._read() as session:
            if not outbox.any_due(session):
                return []
        with self._write() as session:
            return outbox.claim_due(session, limit)

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

    def outbox_rows(self, code: str) -> list[dict[str, Any]]:
        with self._read() as session:
            return outbox.rows_for(session, code)

    # ------------------------------------------------------------ retention

    def purge_expired(self, now: datetime | None = None) -> int:
        """Erase personal data of tickets closed more than the retention period ago."""
        now = now or utcnow()
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
                summary = privacy.mask_text(t.summary or "")
                t.summary = summary.replace(str(name), "某某") if name else summary
                for party in t.parties:
                    party.phone_enc = None
                    if party.role == "applicant":
                        party.name = None
                for h in t.history:
                    h.note = privacy.mask_text(h.note or "") or None
                t.purged_at = now
                count += 1
            if tickets:
                # delivered or dead events carry the personal data too; pending ones are still owed
                session.execute(
                    Outbox.__table__.delete().where(
                        Outbox.ticket_code.in_([t.code for t in tickets]), Outbox.state != outbox.PENDING
                    )
                )
        log.info("purged personal data of %d closed tickets (closed before %s)", count, cutoff.date())
        return count
