"""Reading tickets: the ticket JSON every caller sees, lookup by case code, filtered listings, the
citizen's status check, and the SQL pieces the other concerns share (window scope, date range, overdue).

A ticket's JSON is built here only, so the API, the console, the webhook (outbox) and the export all
show the same fields; phones are decrypted here and masked when asked.
"""

from __future__ import annotations

import hmac
import logging
import math
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from bot import privacy
from bot.storage.db import Database
from bot.storage.models import (
    AgreementPayment,
    StatusAttempt,
    StatusHistory,
    Supervision,
    Ticket,
    TicketWindow,
)
from bot.storage.outcome_view import outcome_json, sessions_json
from bot.storage.repeats import link_targets, repeats_json
from bot.taxonomy import categories
from bot.tickets.centers import STAGES, CenterProfile
from bot.tickets.codes import normalise_case_code
from bot.tickets.deadlines import (
    STATUS_ORDER,
    as_utc,
    deadlines_json,
    iso,
    overdue_stages,
    overdue_warning,
    stage_done,
    utcnow,
)
from bot.tickets.labels import STATUS_NAMES
from bot.tickets.notices import LOW_RATING
from bot.tickets.records import (
    BOT_ACTOR,
    BOT_CHANNELS,
    CONTRACT_FACTS,
    OPEN_STATUSES,
    STATUS_LOCK_MINUTES,
    STATUS_MAX_FAILURES,
    ListFilters,
    TicketNotFound,
)

log = logging.getLogger(__name__)


def masked(ticket: dict[str, Any]) -> dict[str, Any]:
    """A ticket's JSON as staff who are not administrators see it: phone and ID numbers masked in the
    facts, summary, history notes, sender id and transcript reference (as ``_to_json(mask=True)``)."""

    def text(value: Any) -> Any:
        return privacy.mask_text(value) if isinstance(value, str) else value

    facts = {k: text(v) for k, v in ticket.get("facts", {}).items()}
    phone = ticket.get("facts", {}).get("phone")
    if phone and "*" not in str(phone):  # from the clear value, as _to_json does (139****5678)
        facts["phone"] = privacy.mask_phone(phone)
    if facts.get("id_number") and "*" not in str(facts["id_number"]):
        facts["id_number"] = privacy.mask_id_number(facts["id_number"])
    ref = ticket.get("transcript_ref")
    return {
        **ticket,
        "sender_id": text(ticket.get("sender_id")),
        "facts": facts,
        "summary": text(ticket.get("summary")),
        "history": [{**h, "note": text(h.get("note"))} for h in ticket.get("history", [])],
        "transcript_ref": {**ref, "sender_id": text(ref.get("sender_id"))} if ref else ref,
    }


def _transcript(
    sender: str | None,
    transcript_channel: str | None,
    channel: str,
    first_actor: str | None,
    *,
    mask: bool = False,
) -> dict[str, Any] | None:
    """The conversation behind a ticket, only for tickets the bot filed from its own channels
    (an API filing names no conversation: its sender id is the caller's to choose)."""
    if not sender or channel not in BOT_CHANNELS:
        return None
    if first_actor is not None and first_actor != BOT_ACTOR:
        return None
    return {"sender_id": privacy.mask_text(sender) if mask else sender, "channel": transcript_channel}


def _citizen_feedback(t: Ticket, mask: bool) -> dict[str, Any]:
    """The citizen's own rating after 办结 (apart from the staff 回访), its comment and whether a return
    visit by a supervisor is due (a rating of 1-2 without a 回访 recorded after it: 差评待回访)."""
    comment = privacy.decrypt(t.citizen_rating_comment_enc)
    rated, visited = t.citizen_rated_at, t.followed_up_at
    due = bool(
        t.citizen_rating is not None
        and t.citizen_rating <= LOW_RATING
        and (visited is None or (rated is not None and as_utc(visited) < as_utc(rated)))
    )
    return {
        "rating": t.citizen_rating,
        "comment": privacy.mask_text(comment) if (mask and comment) else comment,
        "at": iso(rated),
        "revisit_due": due,
    }


class TicketReads(Database):
    """Ticket JSON, lookup, listing and the public status check."""

    def _to_json(
        self,
        t: Ticket,
        *,
        mask: bool = False,
        reveal: bool = False,
        now: datetime | None = None,
        profile: CenterProfile | None = None,
        today: date | None = None,
    ) -> dict[str, Any]:
        """``profile`` and ``today`` (the center's date at ``now``) are read once by callers that
        convert many tickets."""
        facts = {k: t.facts.get(k) for k in CONTRACT_FACTS}
        facts.update(t.facts)
        sub_type = facts.pop("sub_type", None)  # kept with the facts (routing rules read it there)
        if mask:  # phone and ID numbers citizens typed into free-text facts
            facts = {k: privacy.mask_text(v) if isinstance(v, str) else v for k, v in facts.items()}
        phone = privacy.decrypt(t.phone_enc)
        facts["phone"] = privacy.mask_phone(phone) if (mask and phone) else phone
        id_number = privacy.decrypt(t.id_number_enc)
        if id_number:
            facts["id_number"] = id_number if reveal else privacy.mask_id_number(id_number)
        deadlines = {s: getattr(t, f"{s}_due") for s in STAGES}
        late = overdue_stages(t.status, deadlines, now)
        route = dict(t.route)
        profile = profile or self.profile
        return {
            "code": t.code,
            # a hotline sender id is the caller's number
            "sender_id": privacy.mask_text(t.sender_id) if mask else t.sender_id,
            "channel": t.channel,
            "category": t.category,
            "category_name": categories()[t.category].name if t.category in categories() else t.category,
            "sub_type": sub_type,
            "status": t.status,
            "status_name": STATUS_NAMES.get(t.status, t.status),
            "risk_level": t.risk_level,
            "risk_reasons": list(t.risk_reasons or []),
            "route": route,
            "facts": facts,
            "summary": privacy.mask_text(t.summary) if mask else t.summary,
            "materials": list(t.materials or []),
            "created_at": iso(t.created_at),
            "updated_at": iso(t.updated_at),
            "deadlines": deadlines_json(deadlines),
            "overdue": bool(late),
            "overdue_stages": late,
            "overdue_warning": overdue_warning(t.status, deadlines, profile.time_limits.warn_before, now),
            "assignee": t.assignee,
            "assignee_id": t.assignee_id,
            "follow_up": {
                "satisfaction": t.satisfaction,
                "note": t.follow_up_note,
                "at": iso(t.followed_up_at),
            },
            "citizen_rating": t.citizen_rating,
            "citizen_feedback": _citizen_feedback(t, mask),
            "transcript_ref": self._transcript_ref(t, mask=mask),
            "filed_by": {**t.filed_by, "id": t.filed_by_id} if t.filed_by else None,
            "center": profile.public_info(),
            "supervision": [
                {"stage": s.stage, "kind": s.kind, "deadline": iso(s.deadline), "at": iso(s.at)}
                for s in t.supervisions
            ],
            "repeat_count": t.repeat_count or 0,
            "repeat_of": repeats_json(t),
            "mediation_sessions": sessions_json(t),
            "outcome": outcome_json(t, today or self.today(now), profile.mediation),
            "history": [
                {
                    "at": iso(h.at),
                    "actor": h.actor,
                    "kind": h.kind,
                    "from_status": h.from_status,
                    "to_status": h.to_status,
                    "note": privacy.mask_text(h.note or "") if mask else h.note,
                }
                for h in t.history
            ],
        }

    @staticmethod
    def _transcript_ref(t: Ticket, *, mask: bool = False) -> dict[str, Any] | None:
        first_actor = t.history[0].actor if t.history else None
        return _transcript(t.transcript_sender_id, t.transcript_channel, t.channel, first_actor, mask=mask)

    def transcript_ref(self, code: str) -> dict[str, Any] | None:
        """The unmasked transcript reference of a ticket (for fetching the conversation), or None."""
        first_actor = (
            select(StatusHistory.actor)
            .where(StatusHistory.ticket_id == Ticket.id)
            .order_by(StatusHistory.id)
            .limit(1)
            .scalar_subquery()
        )
        stmt = select(Ticket.transcript_sender_id, Ticket.transcript_channel, Ticket.channel, first_actor)
        with self._read() as session:
            row = session.execute(stmt.where(Ticket.code == (normalise_case_code(code) or code))).first()
        return _transcript(*row) if row else None

    @staticmethod
    def _loaded() -> Any:
        return select(Ticket).options(selectinload(Ticket.history))

    def _get(
        self,
        session: Session,
        code: str,
        scope: Sequence[str] | None = None,
        filed_by: Sequence[str] | None = None,
    ) -> Ticket:
        canonical = normalise_case_code(code) or code
        stmt = self._loaded().where(Ticket.code == canonical)
        if scope is not None:
            stmt = stmt.where(self._in_scope(scope))
        if filed_by is not None:
            stmt = stmt.where(Ticket.filed_by_id.in_(list(filed_by)))
        ticket = session.execute(stmt).scalar()
        if ticket is None:
            raise TicketNotFound(f"没有找到受理编号为 {code} 的记录")
        return ticket

    @staticmethod
    def _performance_alert() -> Any:
        """SQL: a payment of the ticket's agreement was missed and raised back to the queue (履约预警)."""
        return exists().where(
            AgreementPayment.ticket_id == Ticket.id,
            AgreementPayment.raised_at.isnot(None),
            AgreementPayment.status != "paid",
        )

    @staticmethod
    def _revisit_due() -> Any:
        """SQL: a citizen's rating of 1-2 waits for a return visit (no 回访 recorded after it)."""
        return and_(
            Ticket.citizen_rating.isnot(None),
            Ticket.citizen_rating <= LOW_RATING,
            or_(Ticket.followed_up_at.is_(None), Ticket.followed_up_at < Ticket.citizen_rated_at),
        )

    @staticmethod
    def _in_scope(scope: Sequence[str]) -> Any:
        return exists().where(TicketWindow.ticket_id == Ticket.id, TicketWindow.window.in_(list(scope)))

    def get_ticket(
        self,
        code: str,
        *,
        mask: bool = False,
        reveal: bool = False,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
        filed_by: Sequence[str] | None = None,
    ) -> dict[str, Any] | None:
        """The ticket JSON by code (typed forms accepted), or None. ``scope`` limits to windows,
        ``filed_by`` to tickets these filers filed (a grid worker's own); ``now`` is the clock
        deadlines and 履约 are evaluated at."""
        with self._read() as session:
            try:
                ticket = self._get(session, code, scope, filed_by)
                return self._to_json(ticket, mask=mask, reveal=reveal, now=now)
            except TicketNotFound:
                return None

    def list_tickets(
        self, filters: ListFilters | None = None, *, mask: bool = True, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """Tickets newest first; phones masked unless ``mask=False``."""
        f = filters or ListFilters(**kwargs)
        stmt = self._filtered(self._loaded(), f)
        stmt = stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(max(1, min(f.limit, 1000)))
        stmt = stmt.offset(max(0, f.offset))
        profile, today = self.profile, self.today()
        with self._read() as session:
            return [
                self._to_json(t, mask=mask, profile=profile, today=today)
                for t in session.execute(stmt).scalars()
            ]

    def count_tickets(self, filters: ListFilters) -> int:
        """How many tickets ``filters`` select (without its limit): the console's filter counts."""
        stmt = self._filtered(select(func.count()).select_from(Ticket), filters)
        with self._read() as session:
            return int(session.scalar(stmt) or 0)

    def link_targets(self, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Who may open each of ``codes`` (route and claimant only; see ``repeats.link_targets``)."""
        with self._read() as session:
            return link_targets(session, codes)

    def _filtered(self, stmt: Any, f: ListFilters) -> Any:
        """``stmt`` limited by everything in ``f`` but its limit and offset."""
        if f.sender_id:
            stmt = stmt.where(Ticket.sender_id == f.sender_id)
        if f.window:
            stmt = stmt.where(self._in_scope([f.window]))
        if f.scope is not None:
            stmt = stmt.where(self._in_scope(f.scope))
        if f.filed_by is not None:
            stmt = stmt.where(Ticket.filed_by_id.in_(list(f.filed_by)))
        if f.assigned_to is not None:
            mediators = [p for p in f.assigned_to if p]
            claimed_by = [p for p in f.assignee_ids if p]
            stmt = stmt.where(or_(Ticket.mediator_id.in_(mediators), Ticket.assignee_id.in_(claimed_by)))
        if f.status:
            wanted = f.status.split(",")
            clause = Ticket.status.in_(wanted)
            if set(OPEN_STATUSES) <= set(wanted):  # the work queue: missed payments and low ratings
                clause = or_(clause, self._performance_alert(), self._revisit_due())  # come back to it
            stmt = stmt.where(clause)
        if f.revisit:
            stmt = stmt.where(self._revisit_due())
        if f.risk:
            stmt = stmt.where(Ticket.risk_level.in_(f.risk.split(",")))
        if f.category:
            stmt = stmt.where(Ticket.category.in_(f.category.split(",")))
        if f.overdue is not None:
            clause = self._overdue_clause(utcnow())
            stmt = stmt.where(clause if f.overdue else ~clause)
        if f.supervised is not None:  # 督办 issued (any stage, near or overdue)
            clause = exists().where(Supervision.ticket_id == Ticket.id)
            stmt = stmt.where(clause if f.supervised else ~clause)
        return self._date_range(stmt, f.date_from, f.date_to)

    def _date_range(self, stmt: Any, date_from: date | None, date_to: date | None) -> Any:
        """``stmt`` limited to tickets created on ``date_from``..``date_to`` (days in the center's zone)."""
        tz = self.tz()
        if date_from:
            start = datetime.combine(date_from, datetime.min.time(), tz).astimezone(timezone.utc)
            stmt = stmt.where(Ticket.created_at >= start)
        if date_to:
            end = datetime.combine(date_to + timedelta(days=1), datetime.min.time(), tz).astimezone(
                timezone.utc
            )
            stmt = stmt.where(Ticket.created_at < end)
        return stmt

    @staticmethod
    def _overdue_clause(now: datetime) -> Any:
        """SQL form of deadlines.overdue_stages: a stage's deadline passed before its status was reached."""
        parts = [
            and_(
                Ticket.status.in_([s for s in STATUS_ORDER if not stage_done(stage, s)]),
                getattr(Ticket, f"{stage}_due") < now,
            )
            for stage in STAGES
        ]
        return or_(*parts)

    def public_status(
        self, code: str, phone_last4: str, *, now: datetime | None = None
    ) -> dict[str, Any] | None:
        """Citizen status check: the public view when code and phone's last 4 digits match, else None.

        Failed attempts are counted per case code in the database (shared by the chat and the API,
        across processes); after ``STATUS_MAX_FAILURES`` the code is locked for
        ``STATUS_LOCK_MINUTES`` and every check of it, even with the right digits, gets
        ``{"locked": True, "code": …, "retry_after_minutes": …, "message": …}``. A success resets
        the count."""
        canonical = normalise_case_code(code or "")
        wanted = privacy.last4_hash(phone_last4)
        if not canonical or not wanted or len(privacy.digits(phone_last4)) != 4:
            return None
        now = now or utcnow()
        with self._write() as session:
            attempt = self._status_attempt(session, canonical, now)
            if attempt.locked_until is not None and as_utc(attempt.locked_until) > now:
                return self._locked(canonical, attempt.locked_until, now)
            if attempt.locked_until is not None:  # the lock has run out: a fresh budget
                attempt.failures, attempt.locked_until = 0, None
            t = session.execute(self._loaded().where(Ticket.code == canonical)).scalar()
            if t is None or not t.phone_last4_hash or not hmac.compare_digest(t.phone_last4_hash, wanted):
                attempt.failures += 1
                attempt.updated_at = now
                if attempt.failures >= STATUS_MAX_FAILURES:
                    attempt.locked_until = now + timedelta(minutes=STATUS_LOCK_MINUTES)
                    log.warning("status check of %s locked after %d failures", canonical, attempt.failures)
                    return self._locked(canonical, attempt.locked_until, now)
                return None
            session.delete(attempt)
            return {
                "code": t.code,
                "category_name": categories()[t.category].name,
                "status": t.status,
                "status_name": STATUS_NAMES.get(t.status, t.status),
                "window": t.window,
                "window_name": t.route.get("window_name"),
                "room": t.route.get("room"),
                "created_at": iso(t.created_at),
                "updated_at": iso(t.updated_at),
                "materials": list(t.materials or []),
                "center": self.profile.public_info(),
                "citizen_rating": t.citizen_rating,  # the status page offers the rating when closed and null
            }

    @staticmethod
    def _status_attempt(session: Session, code: str, now: datetime) -> StatusAttempt:
        """The code's attempt row, created if missing and locked for this transaction (PostgreSQL:
        row lock; SQLite: the write transaction holds the database lock)."""
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.execute(
            insert(StatusAttempt)
            .values(code=code, failures=0, locked_until=None, updated_at=now)
            .on_conflict_do_nothing(index_elements=["code"])
        )
        return session.execute(
            select(StatusAttempt).where(StatusAttempt.code == code).with_for_update()
        ).scalar_one()

    def _locked(self, code: str, until: datetime, now: datetime) -> dict[str, Any]:
        minutes = max(1, math.ceil((as_utc(until) - now).total_seconds() / 60))
        profile = self.profile
        message = profile.texts.get("status_locked") or (
            f"尝试次数过多，请{STATUS_LOCK_MINUTES}分钟后再试，或拨打{profile.phone}"
        )
        return {"locked": True, "code": code, "retry_after_minutes": minutes, "message": message}
