"""The rows behind the rates per unit, the 红黄绿 board and the 研判 analysis.

Each method selects only the columns its figures need, within the caller's ``UnitScope`` (主办窗口 and
mediator), and leaves the counting to ``bot.tickets.rates``, ``bot.tickets.board`` and
``bot.tickets.analysis``. A ticket's responsible unit is its 主办 (primary) window: a secondary window
helps, it is not judged on the case.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from bot.storage.models import MediationOutcome, StatusHistory, Supervision, Ticket
from bot.storage.reading import TicketReads
from bot.taxonomy import categories
from bot.tickets.analysis import AnalysisRow, Period, analyse, previous
from bot.tickets.board import BoardTicket, summarise_board
from bot.tickets.centers import STAGES
from bot.tickets.deadlines import as_utc, utcnow
from bot.tickets.rates import GROUPINGS, RateRow, UnitScope, stage_times, summarise_rates
from bot.tickets.records import OPEN_STATUSES
from bot.tickets.statistics import town_of

UNASSIGNED = "未指派"


class TicketRates(TicketReads):
    """``rates``, ``board`` and ``analysis``."""

    @staticmethod
    def _unit_scope(stmt: Any, scope: UnitScope) -> Any:
        if scope.windows is not None:
            stmt = stmt.where(Ticket.window.in_(list(scope.windows)))
        if scope.mediators is not None:
            stmt = stmt.where(Ticket.mediator_id.in_([m for m in scope.mediators if m]))
        return stmt

    def rates(
        self,
        by: str,
        scope: UnitScope,
        date_from: date | None = None,
        date_to: date | None = None,
        *,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The rates of the tickets filed ``date_from``..``date_to`` within ``scope``, grouped ``by``
        window, mediator or town (see ``bot/tickets/rates.yml`` for every numerator and denominator)."""
        if by not in GROUPINGS:
            raise ValueError(by)
        now = now or utcnow()
        rows = self.rate_rows(scope, date_from, date_to)
        profile = self.profile
        if by == "window":
            names = {c: w.name for c, w in profile.windows.items()}
            result = summarise_rates(rows, now, lambda r: r.window, names)
        elif by == "mediator":
            names = {m.id: m.name for m in profile.mediators} | {"": UNASSIGNED}
            result = summarise_rates(rows, now, lambda r: r.mediator_id or "", names)
        else:
            result = summarise_rates(rows, now, lambda r: town_of(r.location))
        return {
            "by": by,
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            **result,
        }

    def rate_rows(self, scope: UnitScope, date_from: date | None, date_to: date | None) -> list[RateRow]:
        tickets = select(
            Ticket.id,
            Ticket.window,
            Ticket.mediator_id,
            Ticket.location,
            Ticket.status,
            Ticket.accepted_at,
            Ticket.closed_at,
            Ticket.citizen_rating,
            Ticket.satisfaction,
            Ticket.repeat_count,
            MediationOutcome.result.label("outcome"),
            *(getattr(Ticket, f"{s}_due") for s in STAGES),
        ).outerjoin(MediationOutcome, MediationOutcome.ticket_id == Ticket.id)
        tickets = self._date_range(self._unit_scope(tickets, scope), date_from, date_to)
        ids = self._date_range(self._unit_scope(select(Ticket.id), scope), date_from, date_to).subquery()
        reached = (
            select(StatusHistory.ticket_id, StatusHistory.to_status, func.min(StatusHistory.at))
            .where(StatusHistory.ticket_id.in_(select(ids.c.id)), StatusHistory.to_status.isnot(None))
            .group_by(StatusHistory.ticket_id, StatusHistory.to_status)
        )
        notices = (
            select(Supervision.ticket_id, Supervision.kind, func.count())
            .where(Supervision.ticket_id.in_(select(ids.c.id)))
            .group_by(Supervision.ticket_id, Supervision.kind)
        )
        with self._read() as session:
            found = session.execute(tickets).all()
            firsts: defaultdict[int, dict[str, datetime | None]] = defaultdict(dict)
            for ticket_id, status, at in session.execute(reached):
                firsts[ticket_id][status] = at
            counts: defaultdict[int, dict[str, int]] = defaultdict(dict)
            for ticket_id, kind, n in session.execute(notices):
                counts[ticket_id][kind] = n
        rows = []
        for t in found:
            # the stamped columns count too (a ticket imported without history still has them)
            times = {**firsts[t.id]}
            for status, stamp in (("accepted", t.accepted_at), ("closed", t.closed_at)):
                seen = times.get(status)
                if stamp is not None and (seen is None or as_utc(stamp) < as_utc(seen)):
                    times[status] = stamp
            rows.append(
                RateRow(
                    window=t.window,
                    mediator_id=t.mediator_id,
                    location=t.location,
                    status=t.status,
                    reached=stage_times(times),
                    due={s: getattr(t, f"{s}_due") for s in STAGES},
                    outcome=t.outcome,
                    citizen_rating=t.citizen_rating,
                    satisfaction=t.satisfaction,
                    repeat_count=t.repeat_count or 0,
                    supervisions_near=counts[t.id].get("near", 0),
                    supervisions_overdue=counts[t.id].get("overdue", 0),
                )
            )
        return rows

    def board(self, scope: UnitScope, *, now: datetime | None = None) -> dict[str, Any]:
        """Every open ticket within ``scope`` with its colour, and the counts per colour and window."""
        stmt = select(
            Ticket.code,
            Ticket.window,
            Ticket.category,
            Ticket.mediator_id,
            Ticket.risk_level,
            Ticket.status,
            *(getattr(Ticket, f"{s}_due") for s in STAGES),
        ).where(Ticket.status.in_(OPEN_STATUSES), Ticket.purged_at.is_(None))
        with self._read() as session:
            found = session.execute(self._unit_scope(stmt, scope)).all()
        tickets = [
            BoardTicket(
                code=t.code,
                window=t.window,
                category=t.category,
                mediator_id=t.mediator_id,
                risk_level=t.risk_level,
                status=t.status,
                due={s: getattr(t, f"{s}_due") for s in STAGES},
            )
            for t in found
        ]
        return summarise_board(tickets, now or utcnow(), self.profile.board)

    def analysis(self, period: Period, scope: UnitScope) -> dict[str, Any]:
        """研判 of ``period`` against the one before it (tickets within ``scope``)."""
        before = previous(period)
        stmt = self._date_range(
            self._unit_scope(select(Ticket.category, Ticket.location, Ticket.created_at), scope),
            before.start,
            period.end,
        )
        tz = self.tz()
        with self._read() as session:
            rows = [
                AnalysisRow(c, loc, as_utc(at).astimezone(tz).date()) for c, loc, at in session.execute(stmt)
            ]
        names = {code: cat.name for code, cat in categories().items()}
        return analyse(rows, period, self.profile.analysis, names)
