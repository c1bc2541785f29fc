"""Live hand-offs (转人工) in the ticket database: which conversations wait for a person, who took them.

Why a table and not only Rasa's tracker: the console must list every waiting conversation of the
center, and Rasa's HTTP API can read one conversation but not list them; scanning every tracker for
a ``ConversationPaused`` would cost a full read of the tracker store per poll. The messages themselves
are never copied here: they stay in Rasa's tracker (``bot.service.handoff``).

States: ``waiting`` → ``taken`` (one staff member) → ``released`` (back to the bot) or ``closed``
(staff ended it); ``waiting`` → ``expired`` when nobody took it in time (the ticket stays filed).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.privacy import decrypt, encrypt
from bot.storage.db import Database
from bot.storage.models import Handoff
from bot.tickets.deadlines import as_utc, utcnow
from bot.tickets.records import InvalidTransition, TicketNotFound

WAITING, TAKEN, RELEASED, EXPIRED, CLOSED = "waiting", "taken", "released", "expired", "closed"
ACTIVE = (WAITING, TAKEN)
REASONS = ("asked", "misunderstood", "urgent")


def _view(row: Handoff, *, reveal: bool = False) -> dict[str, Any]:
    view: dict[str, Any] = {
        "sender_id": row.sender_id,
        "channel": row.channel,
        "since": as_utc(row.since).isoformat(),
        "summary": decrypt(row.summary_enc) or "",
        "ticket_code": row.ticket_code,
        "state": row.state,
        "reason": row.reason,
        "paused": bool(row.paused),
        "taken_by": row.taken_by,
        "taken_by_id": row.taken_by_id,
        "taken_at": as_utc(row.taken_at).isoformat() if row.taken_at else None,
        "ended_at": as_utc(row.ended_at).isoformat() if row.ended_at else None,
    }
    if reveal:
        view["recipient"] = decrypt(row.recipient_enc)
    return view


class Handoffs(Database):
    """The 等待人工 list."""

    def open_handoff(
        self,
        sender_id: str,
        channel: str,
        ticket_code: str | None,
        summary: str,
        *,
        recipient: str | None = None,
        reason: str = "asked",
        paused: bool = True,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """List the conversation as waiting (an active one keeps its place and taker; a citizen who asks
        again while an urgent case is listed unpaused makes it paused)."""
        now = now or utcnow()
        with self._write() as session:
            row = session.get(Handoff, sender_id)
            if row is None:
                row = Handoff(sender_id=sender_id)
                session.add(row)
            if row.state not in ACTIVE:
                row.state, row.since, row.reason = WAITING, now, reason if reason in REASONS else "asked"
                row.taken_by = row.taken_by_id = row.taken_at = row.ended_at = None
                row.paused = paused
            else:
                row.paused = bool(row.paused) or paused
            row.channel = channel
            row.ticket_code = ticket_code or row.ticket_code
            row.summary_enc = encrypt(summary) or row.summary_enc
            row.recipient_enc = encrypt(recipient) if recipient else row.recipient_enc
            session.flush()
            return _view(row)

    def handoff(self, sender_id: str, *, reveal: bool = False) -> dict[str, Any] | None:
        with self._read() as session:
            row = session.get(Handoff, sender_id)
            return _view(row, reveal=reveal) if row is not None else None

    def handoff_of_ticket(self, code: str) -> dict[str, Any] | None:
        """The newest hand-off filed under this ticket (the console names hand-offs by case code)."""
        with self._read() as session:
            row = session.scalars(
                select(Handoff).where(Handoff.ticket_code == code).order_by(Handoff.since.desc())
            ).first()
            return _view(row) if row is not None else None

    def list_handoffs(self, states: tuple[str, ...] = ACTIVE) -> list[dict[str, Any]]:
        """Hand-offs in these states, longest waiting first."""
        with self._read() as session:
            rows = session.scalars(select(Handoff).where(Handoff.state.in_(states)).order_by(Handoff.since))
            return [_view(r) for r in rows]

    def take_handoff(
        self, sender_id: str, name: str, actor_id: str, now: datetime | None = None
    ) -> dict[str, Any]:
        """The staff member takes the conversation; taking it again is harmless, taking another's is not."""
        with self._write() as session:
            row = self._active(session, sender_id)
            if row.state == TAKEN and row.taken_by_id != actor_id:
                raise InvalidTransition(f"这段对话已由{row.taken_by}接入")
            if row.state == WAITING:
                row.state, row.taken_by, row.taken_by_id = TAKEN, name, actor_id
                row.taken_at, row.paused = now or utcnow(), True
            session.flush()
            return _view(row, reveal=True)

    def check_taker(self, sender_id: str, actor_id: str) -> dict[str, Any]:
        """The hand-off, if this staff member holds it (to write to the citizen or hand back)."""
        with self._read() as session:
            row = self._active(session, sender_id)
            if row.state != TAKEN or row.taken_by_id != actor_id:
                raise InvalidTransition(
                    "请先接入这段对话" if row.state == WAITING else f"这段对话已由{row.taken_by}接入"
                )
            return _view(row, reveal=True)

    def end_handoff(
        self, sender_id: str, state: str, *, actor_id: str | None = None, now: datetime | None = None
    ) -> dict[str, Any]:
        """``released`` or ``closed`` by the taker (``actor_id``), ``expired`` by the timer (waiting only)."""
        with self._write() as session:
            row = self._active(session, sender_id)
            if state == EXPIRED and row.state != WAITING:
                raise InvalidTransition("这段对话已有工作人员接入")
            if actor_id is not None and (row.state != TAKEN or row.taken_by_id != actor_id):
                raise InvalidTransition("只有接入这段对话的工作人员可以交回或结束")
            row.state, row.ended_at, row.paused = state, now or utcnow(), False
            session.flush()
            return _view(row, reveal=True)

    def reopen_expired(self, sender_id: str) -> None:
        """Undo an expiry the citizen could not be told of (Rasa down): the next pass tries again."""
        with self._write() as session:
            row = session.get(Handoff, sender_id)
            if row is not None and row.state == EXPIRED:
                row.state, row.ended_at, row.paused = WAITING, None, True

    def overdue_handoffs(self, wait: timedelta, now: datetime | None = None) -> list[dict[str, Any]]:
        """Waiting hand-offs nobody took within ``wait``."""
        limit = (now or utcnow()) - wait
        with self._read() as session:
            rows = session.scalars(select(Handoff).where(Handoff.state == WAITING, Handoff.since <= limit))
            return [_view(r, reveal=True) for r in rows]

    @staticmethod
    def _active(session: Any, sender_id: str) -> Handoff:
        row = session.get(Handoff, sender_id)
        if row is None or row.state not in ACTIVE:
            raise TicketNotFound("没有这段对话的转人工请求（可能已结束）")
        return row
