"""Evidence files in the ticket database: the row per file (type, size, wrapped key, blob keys) and
its link to a ticket, or to the conversation until the ticket is filed.

The bytes are sealed (``bot.evidence.sealed``) and kept in the blob store (``bot.evidence.blobs``);
the row is written after the blobs, and the blobs are removed again when the row cannot be. The
retention purge removes the rows and blobs of purged tickets and uploads never filed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.evidence import Prepared, RejectedFile
from bot.evidence.blobs import Blobs, default_blobs
from bot.evidence.sealed import seal, seal_more, unseal
from bot.storage.db import Database
from bot.storage.models import EvidenceFile, Ticket
from bot.tickets.codes import normalise_case_code
from bot.tickets.deadlines import iso, utcnow
from bot.tickets.records import TicketNotFound

log = logging.getLogger(__name__)

MAX_PER_CASE = 20  # files per conversation or ticket: enough evidence, not a file host
PENDING_DAYS = 30  # uploads of a conversation never filed are deleted after this


def attach_pending(session: Session, ticket_id: int, sender_id: str) -> int:
    """Link the conversation's uploads made before its ticket existed (in the filing transaction)."""
    result = session.execute(
        update(EvidenceFile)
        .where(EvidenceFile.sender_id == sender_id, EvidenceFile.ticket_id.is_(None))
        .values(ticket_id=ticket_id)
    )
    return int(result.rowcount or 0)


def _json(row: EvidenceFile) -> dict[str, Any]:
    return {
        "id": row.public_id,
        "media_type": row.media_type,
        "size": row.size,
        "thumbnail": row.thumb_key is not None,
        "source": row.source,
        "uploaded_by": row.uploaded_by,
        "created_at": iso(row.created_at),
    }


def purge_rows(session: Session, condition: Any) -> list[str]:
    """Delete the evidence rows matching ``condition``; returns their blob keys (to delete after
    the commit)."""
    rows = session.execute(select(EvidenceFile).where(condition)).scalars().all()
    keys = [k for r in rows for k in (r.storage_key, r.thumb_key) if k]
    for row in rows:
        session.delete(row)
    return keys


class EvidenceFiles(Database):
    """Adding, listing, reading and purging evidence files."""

    _blobs: Blobs | None = None

    @property
    def blobs(self) -> Blobs:
        if self._blobs is None:
            self._blobs = default_blobs()
        return self._blobs

    def add_evidence(
        self,
        prepared: Prepared,
        *,
        source: str,
        uploaded_by: str,
        sender_id: str | None = None,
        ticket_code: str | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Keep one accepted file for a ticket (``ticket_code``) or a conversation (``sender_id``:
        joins the conversation's newest ticket, or the ticket filed later). Raises
        ``RejectedFile`` past ``MAX_PER_CASE`` files, ``TicketNotFound`` for an unknown code."""
        now = now or utcnow()
        key = f"{secrets.token_hex(1)}/{secrets.token_urlsafe(24)}"
        body, wrapped = seal(prepared.body)
        self.blobs.put(key, body)
        thumb_key = None
        if prepared.thumbnail is not None:
            thumb_key = key + ".thumb"
            self.blobs.put(thumb_key, seal_more(prepared.thumbnail, wrapped))
        try:
            with self._write() as session:
                ticket_id = self._ticket_for(session, ticket_code, sender_id)
                owner = (
                    EvidenceFile.ticket_id == ticket_id if ticket_id else EvidenceFile.sender_id == sender_id
                )
                count = session.execute(select(func.count()).select_from(EvidenceFile).where(owner)).scalar()
                if (count or 0) >= MAX_PER_CASE:
                    raise RejectedFile(f"每件事最多上传 {MAX_PER_CASE} 个文件，已经够多了。", "too_many")
                row = EvidenceFile(
                    public_id=secrets.token_urlsafe(18),
                    ticket_id=ticket_id,
                    sender_id=sender_id,
                    media_type=prepared.media_type,
                    size=len(prepared.body),
                    storage_key=key,
                    thumb_key=thumb_key,
                    wrapped_key=wrapped,
                    source=source,
                    uploaded_by=uploaded_by[:100],
                    created_at=now,
                )
                session.add(row)
                session.flush()
                data = _json(row)
                data["attached"] = ticket_id is not None
        except BaseException:
            for k in (key, thumb_key):
                if k:
                    self.blobs.delete(k)
            raise
        log.info(
            "evidence %s stored (%s, %d bytes, %s)", data["id"], prepared.media_type, data["size"], source
        )
        return data

    def _ticket_for(self, session: Session, code: str | None, sender_id: str | None) -> int | None:
        if code:
            canonical = normalise_case_code(code) or code
            found = session.execute(select(Ticket.id).where(Ticket.code == canonical)).scalar()
            if found is None:
                raise TicketNotFound(f"没有找到受理编号为 {code} 的记录")
            return int(found)
        if not sender_id:
            raise ValueError("evidence needs a ticket or a conversation")
        newest = session.execute(
            select(Ticket.id)
            .where(Ticket.transcript_sender_id == sender_id, Ticket.purged_at.is_(None))
            .order_by(Ticket.created_at.desc(), Ticket.id.desc())
            .limit(1)
        ).scalar()
        return int(newest) if newest is not None else None

    def evidence_of(self, code: str) -> list[dict[str, Any]]:
        """The files of a ticket, oldest first (the caller has checked the viewer may see it)."""
        canonical = normalise_case_code(code) or code
        with self._read() as session:
            rows = session.execute(
                select(EvidenceFile)
                .join(Ticket, Ticket.id == EvidenceFile.ticket_id)
                .where(Ticket.code == canonical)
                .order_by(EvidenceFile.id)
            ).scalars()
            return [_json(r) for r in rows]

    def evidence_owner(self, public_id: str) -> str | None:
        """The case code a file belongs to (None: unknown, or not filed yet)."""
        with self._read() as session:
            return session.execute(
                select(Ticket.code)
                .join(EvidenceFile, EvidenceFile.ticket_id == Ticket.id)
                .where(EvidenceFile.public_id == public_id)
            ).scalar()

    def evidence_content(self, public_id: str, *, thumbnail: bool = False) -> tuple[str, bytes] | None:
        """(media type, clear bytes) of a file or its thumbnail; None when there is none."""
        with self._read() as session:
            row = session.execute(select(EvidenceFile).where(EvidenceFile.public_id == public_id)).scalar()
            if row is None or (thumbnail and not row.thumb_key):
                return None
            key, wrapped = (row.thumb_key if thumbnail else row.storage_key), row.wrapped_key
            media_type = "image/jpeg" if thumbnail else row.media_type
        return media_type, unseal(self.blobs.get(key), wrapped)

    def delete_blobs(self, keys: Sequence[str]) -> None:
        for key in keys:
            try:
                self.blobs.delete(key)
            except OSError as exc:
                log.error("could not delete an evidence blob: %s", exc.__class__.__name__)
