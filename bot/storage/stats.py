"""Statistics and export rows for the center's administrators.

``statistics`` selects only the columns the figures need (and evaluates "overdue" in SQL) and leaves
the counting to ``bot.tickets.statistics``; ``export_rows`` flattens the ticket JSON, phones masked,
for the CSV/XLSX renderings in ``bot.storage.export``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from bot.storage.models import AgreementPayment, JudicialConfirmation, MediationOutcome, Ticket
from bot.storage.reading import TicketReads
from bot.tickets.centers import STAGES
from bot.tickets.deadlines import utcnow
from bot.tickets.labels import STAGE_NAMES
from bot.tickets.outcome_stats import summarise_outcomes
from bot.tickets.statistics import summarise


class TicketStatistics(TicketReads):
    """``statistics`` and ``export_rows``."""

    def statistics(
        self,
        *,
        scope: Sequence[str] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        now = now or utcnow()
        stmt = select(
            Ticket.category,
            Ticket.location,
            Ticket.channel,
            Ticket.status,
            Ticket.risk_level,
            Ticket.created_at,
            Ticket.accepted_at,
            Ticket.closed_at,
            Ticket.satisfaction,
            Ticket.citizen_rating,
            Ticket.window,
            self._overdue_clause(now).label("overdue"),
        )
        if scope is not None:
            stmt = stmt.where(self._in_scope(scope))
        stmt = self._date_range(stmt, date_from, date_to)
        with self._read() as session:
            rows = session.execute(stmt).all()
            mediation = self._mediation_statistics(session, scope, date_from, date_to, now)
        return {**summarise(rows, self.tz()), "mediation": mediation}

    def _mediation_statistics(
        self,
        session: Any,
        scope: Sequence[str] | None,
        date_from: date | None,
        date_to: date | None,
        now: datetime,
    ) -> dict[str, Any]:
        """调解成功率, 司法确认, 履约率, referrals: of the tickets created in the range (and scope)."""
        mediator = func.coalesce(MediationOutcome.mediator_id, Ticket.mediator_id).label("mediator_id")
        outcomes = (
            select(
                Ticket.window,
                mediator,
                Ticket.location,
                MediationOutcome.result,
                MediationOutcome.referral_to,
                JudicialConfirmation.result.label("confirmation"),
            )
            .join(MediationOutcome, MediationOutcome.ticket_id == Ticket.id)
            .outerjoin(JudicialConfirmation, JudicialConfirmation.ticket_id == Ticket.id)
        )
        payments = (
            select(Ticket.window, mediator, Ticket.location, AgreementPayment.status, AgreementPayment.due)
            .join(AgreementPayment, AgreementPayment.ticket_id == Ticket.id)
            .join(MediationOutcome, MediationOutcome.ticket_id == Ticket.id)
        )
        if scope is not None:
            outcomes, payments = outcomes.where(self._in_scope(scope)), payments.where(self._in_scope(scope))
        outcomes = self._date_range(outcomes, date_from, date_to)
        payments = self._date_range(payments, date_from, date_to)
        names = {m.id: m.name for m in self.profile.mediators}
        today = self.today(now)
        return summarise_outcomes(
            session.execute(outcomes).all(), session.execute(payments).all(), today, names
        )

    def export_rows(self, date_from: date | None = None, date_to: date | None = None) -> list[dict[str, Any]]:
        """Flat rows for CSV/XLSX export (phones masked)."""
        with self._read() as session:
            stmt = self._date_range(self._loaded(), date_from, date_to).order_by(Ticket.created_at, Ticket.id)
            profile, today = self.profile, self.today()
            tickets = [
                self._to_json(t, mask=True, profile=profile, today=today)
                for t in session.execute(stmt).scalars()
            ]
        return [_export_row(t) for t in tickets]


def _export_row(t: dict[str, Any]) -> dict[str, Any]:
    f = t["facts"]
    return {
        "受理编号": t["code"],
        "受理时间": t["created_at"],
        "渠道": t["channel"],
        "类别": t["category_name"],
        "状态": t["status_name"],
        "风险等级": t["risk_level"],
        "主办窗口": t["route"]["window_name"],
        "协办窗口": "、".join(s["window_name"] for s in t["route"].get("secondary_windows", [])),
        "繁简": t["route"]["tier"],
        "调解员": t["route"].get("mediator") or "",
        "申请人": f.get("applicant_name") or "",
        "电话": f.get("phone") or "",
        "金额（元）": f.get("amount_yuan"),
        "人数": f.get("headcount"),
        "对方": f.get("counterparty") or "",
        "地点": f.get("location") or "",
        "诉求": f.get("demand") or "",
        "摘要": t["summary"],
        "是否超时": "是" if t["overdue"] else "否",
        "满意度": t["follow_up"]["satisfaction"],
        **{f"{STAGE_NAMES[s]}时限": t["deadlines"][s] for s in STAGES},
    }
