"""Reading tickets: the ticket JSON every caller sees, lookup by case code, filtered listings, the
citizen's status check, and the SQL pieces the other concerns share (window scope, date range, overdue).

A ticket's JSON is built here only, so the API, the console, the webhook (outbox) and the export all
show the same fields; phones are decrypted here and masked when asked.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from bot import privacy
from bot.storage.db import Database
from bot.storage.models import Ticket, TicketWindow
from bot.taxonomy import categories
from bot.tickets.centers import STAGES
from bot.tickets.codes import normalise_case_code
from bot.tickets.deadlines import (
    STATUS_ORDER,
    as_utc,
    deadlines_json,
    overdue_stages,
    overdue_warning,
    stage_done,
    utcnow,
)
from bot.tickets.labels import STATUS_NAMES
from bot.tickets.records import CONTRACT_FACTS, ListFilters, TicketNotFound


class TicketReads(Database):
    """Ticket JSON, lookup, listing and the public status check."""

    def _to_json(
        self, t: Ticket, *, mask: bool = False, reveal: bool = False, now: datetime | None = None
    ) -> dict[str, Any]:
        facts = {k: t.facts.get(k) for k in CONTRACT_FACTS}
        facts.update(t.facts)
        sub_type = facts.pop("sub_type", None)  # kept with the facts (routing rules read it there)
        phone = privacy.decrypt(t.phone_enc)
        facts["phone"] = privacy.mask_phone(phone) if (mask and phone) else phone
        id_number = privacy.decrypt(t.id_number_enc)
        if id_number:
            facts["id_number"] = id_number if reveal else privacy.mask_id_number(id_number)
        deadlines = {s: getattr(t, f"{s}_due") for s in STAGES}
        late = overdue_stages(t.status, deadlines, now)
        route = dict(t.route)
        profile = self.profile
        return {
            "code": t.code,
            "sender_id": t.sender_id,
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
            "created_at": as_utc(t.created_at).isoformat(timespec="seconds"),
            "updated_at": as_utc(t.updated_at).isoformat(timespec="seconds"),
            "deadlines": deadlines_json(deadlines),
            "overdue": bool(late),
            "overdue_stages": late,
            "overdue_warning": overdue_warning(t.status, deadlines, profile.time_limits.warn_before, now),
            "assignee": t.assignee,
            "follow_up": {
                "satisfaction": t.satisfaction,
                "note": t.follow_up_note,
                "at": as_utc(t.followed_up_at).isoformat(timespec="seconds") if t.followed_up_at else None,
            },
            "transcript_ref": {"sender_id": t.transcript_sender_id, "channel": t.transcript_channel},
            "center": profile.public_info(),
            "history": [
                {
                    "at": as_utc(h.at).isoformat(timespec="seconds"),
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
    def _loaded() -> Any:
        return select(Ticket).options(selectinload(Ticket.history))

    def _get(self, session: Session, code: str, scope: Sequence[str] | None = None) -> Ticket:
        canonical = normalise_case_code(code) or code
        stmt = self._loaded().where(Ticket.code == canonical)
        if scope is not None:
            stmt = stmt.where(self._in_scope(scope))
        ticket = session.execute(stmt).scalar()
        if ticket is None:
            raise TicketNotFound(f"没有找到受理编号为 {code} 的记录")
        return ticket

    @staticmethod
    def _in_scope(scope: Sequence[str]) -> Any:
        return exists().where(TicketWindow.ticket_id == Ticket.id, TicketWindow.window.in_(list(scope)))

    def get_ticket(
        self, code: str, *, mask: bool = False, reveal: bool = False, scope: Sequence[str] | None = None
    ) -> dict[str, Any] | None:
        """The ticket JSON by code (typed forms accepted), or None. ``scope`` limits to windows."""
        with self._read() as session:
            try:
                return self._to_json(self._get(session, code, scope), mask=mask, reveal=reveal)
            except TicketNotFound:
                return None

    def list_tickets(
        self, filters: ListFilters | None = None, *, mask: bool = True, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """Tickets newest first; phones masked unless ``mask=False``."""
        f = filters or ListFilters(**kwargs)
        stmt = self._loaded()
        if f.sender_id:
            stmt = stmt.where(Ticket.sender_id == f.sender_id)
        if f.window:
            stmt = stmt.where(self._in_scope([f.window]))
        if f.scope is not None:
            stmt = stmt.where(self._in_scope(f.scope))
        if f.assigned_to is not None:
            people = [p for p in f.assigned_to if p]
            stmt = stmt.where(or_(Ticket.mediator_id.in_(people), Ticket.assignee.in_(people)))
        if f.status:
            stmt = stmt.where(Ticket.status.in_(f.status.split(",")))
        if f.risk:
            stmt = stmt.where(Ticket.risk_level.in_(f.risk.split(",")))
        if f.category:
            stmt = stmt.where(Ticket.category.in_(f.category.split(",")))
        if f.overdue is not None:
            clause = self._overdue_clause(utcnow())
            stmt = stmt.where(clause if f.overdue else ~clause)
        stmt = self._date_range(stmt, f.date_from, f.date_to)
        stmt = stmt.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(max(1, min(f.limit, 1000)))
        stmt = stmt.offset(max(0, f.offset))
        with self._read() as session:
            return [self._to_json(t, mask=mask) for t in session.execute(stmt).scalars()]

    def _date_range(self, stmt: Any, date_from: date | None, date_to: date | None) -> Any:
        """``stmt`` limited to tickets created on ``date_from``..``date_to`` (days in the center's zone)."""
        tz = self._tz()
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

    def public_status(self, code: str, phone_last4: str) -> dict[str, Any] | None:
        """Citizen status check: the public view when code and phone's last 4 digits match, else None."""
        canonical = normalise_case_code(code or "")
        wanted = privacy.last4_hash(phone_last4)
        if not canonical or not wanted or len(privacy.digits(phone_last4)) != 4:
            return None
        with self._read() as session:
            t = session.execute(self._loaded().where(Ticket.code == canonical)).scalar()
            if t is None or not t.phone_last4_hash or not hmac.compare_digest(t.phone_last4_hash, wanted):
                return None
            return {
                "code": t.code,
                "category_name": categories()[t.category].name,
                "status": t.status,
                "status_name": STATUS_NAMES.get(t.status, t.status),
                "window": t.window,
                "window_name": t.route.get("window_name"),
                "room": t.route.get("room"),
                "created_at": as_utc(t.created_at).isoformat(timespec="seconds"),
                "updated_at": as_utc(t.updated_at).isoformat(timespec="seconds"),
                "materials": list(t.materials or []),
                "center": self.profile.public_info(),
            }
