"""The 督办 scheduler's database side: one pass issues the notices that are due (``bot.tickets.supervision``
decides which) and re-alerts the duty officer about unsigned urgent tickets.

Each notice is one ``supervisions`` row, inserted with ON CONFLICT DO NOTHING against the unique
(ticket, stage, kind) key: a second pass, a second instance or a leader change cannot issue it twice.
Only the pass that inserted the row writes the ticket's history entry and the outbox event
(``ticket.supervision``, to the center's system, naming the window's lead and the administrator), in
the same transaction. The 督办 changes nothing of the case itself (status, ``updated_at``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.storage import outbox
from bot.storage.leader import Leadership
from bot.storage.models import StatusHistory, Supervision, Ticket
from bot.storage.workflow import TicketWorkflow
from bot.tickets import supervision as rules
from bot.tickets.centers import STAGES
from bot.tickets.deadlines import STATUS_ORDER, as_utc, iso, stage_done, utcnow

log = logging.getLogger(__name__)

DUTY_KIND = "duty_alert"  # history kind of an urgent ticket's re-alert


def _not_done(stage: str) -> list[str]:
    return [s for s in STATUS_ORDER if not stage_done(stage, s)]


class TicketSupervision(TicketWorkflow):
    """``supervise``: one scheduler pass; ``supervise_as``: the same, only while leading."""

    def supervise_as(self, leadership: Leadership, now: datetime | None = None) -> dict[str, Any] | None:
        """A pass when ``leadership`` is (or becomes) this process's, else None (another leads)."""
        if not leadership.acquire():
            return None
        return self.supervise(now)

    def supervise(self, now: datetime | None = None) -> dict[str, Any]:
        """Issue the due 督办 notices and urgent re-alerts at ``now``; returns what was issued:
        ``{"notices": [{"code", "stage", "kind", "deadline"}], "duty_alerts": [code, …]}``."""
        now = as_utc(now or utcnow())
        settings = self.profile.supervision
        issued: list[dict[str, Any]] = []
        for row in self._candidates():
            have = {(s, k) for s, k in row["issued"]}
            due = rules.notices_due(
                row["status"], row["created_at"], row["deadlines"], now, settings.near_at, have
            )
            for notice in due:
                if self._issue(row["id"], notice, now):
                    issued.append(
                        {
                            "code": row["code"],
                            "stage": notice.stage,
                            "kind": notice.kind,
                            "deadline": iso(notice.deadline),
                        }
                    )
        alerts = self._duty_alerts(now)
        if issued or alerts:
            log.info("督办: %d notices, %d urgent re-alerts", len(issued), len(alerts))
        return {"notices": issued, "duty_alerts": alerts}

    def _candidates(self) -> list[dict[str, Any]]:
        """Tickets with a stage not done that has no ``overdue`` notice yet (nothing else can be due)."""
        open_stage = or_(
            *[
                and_(
                    Ticket.status.in_(_not_done(stage)),
                    getattr(Ticket, f"{stage}_due").isnot(None),
                    ~exists().where(
                        Supervision.ticket_id == Ticket.id,
                        Supervision.stage == stage,
                        Supervision.kind == rules.OVERDUE,
                    ),
                )
                for stage in STAGES
            ]
        )
        dues = [getattr(Ticket, f"{s}_due") for s in STAGES]
        stmt = select(Ticket.id, Ticket.code, Ticket.status, Ticket.created_at, *dues).where(
            open_stage, Ticket.purged_at.is_(None)
        )
        with self._read() as session:
            rows = session.execute(stmt.order_by(Ticket.id)).all()
            ids = [r[0] for r in rows]
            issued: dict[int, list[tuple[str, str]]] = {}
            for chunk in range(0, len(ids), 500):
                part = ids[chunk : chunk + 500]
                found = session.execute(
                    select(Supervision.ticket_id, Supervision.stage, Supervision.kind).where(
                        Supervision.ticket_id.in_(part)
                    )
                )
                for tid, stage, kind in found:
                    issued.setdefault(tid, []).append((stage, kind))
        return [
            {
                "id": r[0],
                "code": r[1],
                "status": r[2],
                "created_at": r[3],
                "deadlines": dict(zip(STAGES, r[4:], strict=True)),
                "issued": issued.get(r[0], []),
            }
            for r in rows
        ]

    def _issue(self, ticket_id: int, notice: rules.Notice, now: datetime) -> bool:
        """Insert the notice; when this call inserted it, add the history entry and the outbox event."""
        with self._write() as session:
            insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            result = session.execute(
                insert(Supervision)
                .values(
                    ticket_id=ticket_id,
                    stage=notice.stage,
                    kind=notice.kind,
                    deadline=notice.deadline,
                    at=now,
                )
                .on_conflict_do_nothing(index_elements=["ticket_id", "stage", "kind"])
            )
            if result.rowcount != 1:
                return False  # issued already (another pass or instance)
            t = session.get(Ticket, ticket_id)
            if t is None:
                return False
            note = rules.note_for(notice, self.tz())
            extra = {
                "supervision": {
                    "stage": notice.stage,
                    "kind": notice.kind,
                    "deadline": iso(notice.deadline),
                    "at": iso(now),
                    "note": note,
                    "recipients": rules.recipients(
                        self.profile.supervision,
                        t.window,
                        str(t.route.get("window_name") or t.window),
                        self.profile.duty_officer,
                    ),
                }
            }
            self._record(session, t, now, "supervision", note, "ticket.supervision", extra)
        log.info("督办 %s %s %s", t.code, notice.stage, notice.kind)
        return True

    def _duty_alerts(self, now: datetime) -> list[str]:
        """Re-alert the duty officer about urgent tickets nobody has signed for."""
        settings, officer = self.profile.supervision, self.profile.duty_officer
        last = (
            select(func.max(StatusHistory.at))
            .where(StatusHistory.ticket_id == Ticket.id, StatusHistory.kind == DUTY_KIND)
            .scalar_subquery()
        )
        stmt = select(Ticket.id, Ticket.status, Ticket.created_at, last).where(
            Ticket.risk_level == "urgent",
            Ticket.status.in_(_not_done("sign")),
            Ticket.created_at <= now - settings.urgent_unsigned_after,
            Ticket.purged_at.is_(None),
        )
        with self._read() as session:
            rows = session.execute(stmt).all()
        done = []
        for tid, status, created_at, last_at in rows:
            if not rules.duty_realert_due("urgent", status, created_at, last_at, now, settings):
                continue
            with self._write() as session:
                t = session.get(Ticket, tid)
                if t is None or stage_done("sign", t.status):
                    continue
                note = rules.duty_note(created_at, now, officer)
                extra = {"duty_alert": {"note": note, "duty_officer": dict(officer), "at": iso(now)}}
                self._record(session, t, now, DUTY_KIND, note, "ticket.duty_alert", extra)
                done.append(t.code)
        return done

    def _record(
        self,
        session: Session,
        t: Ticket,
        now: datetime,
        kind: str,
        note: str,
        event: str,
        extra: dict[str, Any],
    ) -> None:
        """History entry and outbox event of a notice, without touching the case (status, updated_at)."""
        t.history.append(
            StatusHistory(
                at=now, actor=rules.ACTOR, kind=kind, from_status=t.status, to_status=t.status, note=note
            )
        )
        session.flush()
        session.expire(t, ["supervisions"])
        outbox.enqueue(session, event, self._to_json(t, now=now), now, extra=extra)
