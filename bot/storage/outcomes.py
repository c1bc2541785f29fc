"""How mediation ends, stored: sessions, the outcome (result, agreed terms, payment schedule), 司法确认,
referral (诉调对接), payments marked paid / not paid, the 履约 reminders the intake service's scheduler
asks for, and the data the documents (PDF) are made from.

Every change goes through ``_touch`` (history row + ``ticket.<kind>`` outbox event in the same
transaction); an agreement also queues ``agreement_summary`` (the citizen's message, for their channel),
a reminder ``payment_reminder`` and a missed payment ``payment_missed``. What is valid is decided by
``bot.tickets.outcome``; this module applies it to stored tickets.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import privacy
from bot.storage import outbox
from bot.storage.models import (
    AgreementPayment,
    JudicialConfirmation,
    MediationOutcome,
    MediationSession,
    StatusHistory,
    Ticket,
)
from bot.storage.outcome_view import scheduled
from bot.storage.workflow import TicketWorkflow
from bot.tickets import outcome as domain
from bot.tickets.deadlines import utcnow
from bot.tickets.records import TRANSITIONS, InvalidInput, TicketNotFound

log = logging.getLogger(__name__)


def _status_to(current: str, wanted: str) -> str | None:
    """``wanted`` when the lifecycle allows it from ``current`` (else the status stays)."""
    return wanted if wanted in TRANSITIONS.get(current, ()) else None


class TicketOutcomes(TicketWorkflow):
    """Mediation sessions, outcome, 司法确认, referral, payments, reminders and document data."""

    def _destinations(self) -> tuple[str, ...]:
        return tuple(self.profile.mediation.referral_destinations)

    def record_session(
        self,
        code: str,
        data: Mapping[str, Any],
        actor: str,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """A mediation session (date, place, method, participants, mediator); an accepted ticket
        moves to 调解中."""
        s = domain.parse_session(data)
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            t.sessions.append(
                MediationSession(
                    held_on=s.held_on,
                    place=s.place,
                    method=s.method,
                    participants=s.participants,
                    mediator=s.mediator,
                    note=s.note or None,
                    recorded_by=actor,
                    created_at=now,
                )
            )
            where = f"，地点：{s.place}" if s.place else ""
            note = (
                f"{s.held_on.isoformat()} {domain.METHOD_NAMES[s.method]}{where}；参加人员：{s.participants}；"
                f"调解员：{s.mediator}" + (f"；{s.note}" if s.note else "")
            )
            return self._touch(session, t, now, actor, "session", note, _status_to(t.status, "in_mediation"))

    def record_outcome(
        self,
        code: str,
        data: Mapping[str, Any],
        actor: str,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The outcome (recording again replaces it, payment marks included). An agreement resolves the
        ticket where the lifecycle allows and queues the citizen's summary; a referral refers it."""
        o = domain.parse_outcome(data, self._destinations())
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            replaced = t.outcome is not None
            row = t.outcome or MediationOutcome(recorded_at=now)
            row.result = o.result
            row.terms = o.terms.as_json() if o.terms else None
            row.referral_to = o.referral.to if o.referral else None
            row.referral_note = o.referral.note if o.referral else None
            row.referred_at = now if o.referral else None
            row.counterparty_name = o.counterparty_name or None
            row.counterparty_id_enc = (
                privacy.encrypt(o.counterparty_id_number) if o.counterparty_id_number else None
            )
            row.mediator_id = t.mediator_id
            row.recorded_by, row.updated_at = actor, now
            t.outcome = row
            if t.payments:  # replace the schedule (flush the old rows first: (ticket, seq) is unique)
                t.payments = []
                session.flush()
            if o.terms:
                t.payments = [
                    AgreementPayment(seq=i, due=p.due, amount_yuan=p.amount_yuan, status="pending")
                    for i, p in enumerate(o.terms.payments, 1)
                ]
            if o.result not in domain.AGREED and t.confirmation is not None:
                t.confirmation = None
            to_status = None
            if o.result in domain.AGREED and not o.referral:
                to_status = _status_to(t.status, "resolved")
            elif o.referral:
                to_status = _status_to(t.status, "referred")
            data_json = self._touch(
                session, t, now, actor, "outcome", _outcome_note(o, replaced, self), to_status
            )
            if o.terms is not None:
                mediation = self.profile.mediation
                message = domain.agreement_summary(
                    t.code,
                    data_json["outcome"]["terms"],
                    mediation.texts.get("agreement_summary", ""),
                    self.profile.phone,
                )
                outbox.enqueue(
                    session,
                    "agreement_summary",
                    data_json,
                    now,
                    extra={"citizen": {"channel": t.channel, "message": message}},
                )
        log.info("ticket %s: mediation outcome %s recorded by %s", t.code, o.result, actor)
        return data_json

    def record_confirmation(
        self,
        code: str,
        data: Mapping[str, Any],
        actor: str,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The 司法确认 application (court, date) and later the court's result and ruling number."""
        c = domain.parse_confirmation(data, self.profile.mediation.court)
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            if t.outcome is None or t.outcome.result not in domain.AGREED:
                raise InvalidInput("尚未达成调解协议，不能申请司法确认")
            row = t.confirmation or JudicialConfirmation()
            row.court, row.applied_on, row.result = c.court, c.applied_on, c.result
            row.ruling_no, row.decided_on = c.ruling_no or None, c.decided_on
            row.recorded_by, row.updated_at = actor, now
            t.confirmation = row
            note = (
                f"司法确认：{c.applied_on.isoformat()}向{c.court}申请，{domain.CONFIRMATION_NAMES[c.result]}"
            )
            if c.ruling_no:
                note += f"，裁定书{c.ruling_no}" + (f"（{c.decided_on.isoformat()}）" if c.decided_on else "")
            return self._touch(session, t, now, actor, "confirmation", note)

    def record_referral(
        self,
        code: str,
        data: Mapping[str, Any],
        actor: str,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Refer a failed (or partly failed) mediation to arbitration, the court or 信访."""
        referral = domain.parse_referral(data, self._destinations())
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            if t.outcome is None or t.outcome.result not in ("failed", "partial"):
                raise InvalidInput("请先记录调解结果（调解不成或部分达成）再转办")
            t.outcome.referral_to, t.outcome.referral_note, t.outcome.referred_at = (
                referral.to,
                referral.note,
                now,
            )
            t.outcome.updated_at = now
            name = self.profile.mediation.destination_name(referral.to)
            note = f"转办至{name}" + (f"：{referral.note}" if referral.note else "")
            return self._touch(session, t, now, actor, "referral", note, _status_to(t.status, "referred"))

    def mark_payment(
        self,
        code: str,
        payment_id: int,
        status: str,
        actor: str,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Staff mark a payment paid / not paid (or back to pending); not paid raises the ticket back to
        the queue with a 履约 warning."""
        if status not in domain.PAYMENT_STATUSES:
            raise InvalidInput("付款状态须为已支付（paid）、未支付（not_paid）或待履行（pending）")
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            p = next((p for p in t.payments if p.id == payment_id), None)
            if p is None:
                raise TicketNotFound("没有找到这一期付款")
            p.status, p.marked_by, p.marked_at = status, actor, now
            note = f"第{p.seq}期（{p.due.isoformat()}，{domain.format_yuan(p.amount_yuan)}元）：{domain.PAYMENT_NAMES[status]}"
            if status == "not_paid" and p.raised_at is None:
                p.raised_at = now
                note += "，案件回到待办队列（履约预警）"
            return self._touch(session, t, now, actor, "payment", note)

    def payment_reminders(self, now: datetime | None = None) -> list[dict[str, Any]]:
        """What the scheduler calls: reminders of payments due within the profile's ``reminder_days``
        (once per payment; to the citizen, and to the paying party when they consented) and missed
        payments raised back to the queue (once each), each recorded in the history and the outbox.
        Returns what was done, one entry per reminder or missed payment."""
        now = now or utcnow()
        today = self.today(now)
        days = self.profile.mediation.reminder_days
        template = self.profile.mediation.texts.get("payment_reminder", "")
        done: list[dict[str, Any]] = []
        with self._write() as session:
            ids = session.execute(
                select(AgreementPayment.ticket_id)
                .where(AgreementPayment.status != "paid")
                .where((AgreementPayment.reminded_at.is_(None)) | (AgreementPayment.raised_at.is_(None)))
                .distinct()
            ).scalars()
            for ticket_id in list(ids):
                t = session.execute(self._loaded().where(Ticket.id == ticket_id)).scalar_one()
                if t.outcome is None or t.outcome.result not in domain.AGREED or t.purged_at is not None:
                    continue
                done += self._remind(session, t, now, today, days, template)
        return done

    def _remind(
        self, session: Session, t: Ticket, now: datetime, today: date, days: int, template: str
    ) -> list[dict[str, Any]]:
        rows = {p.seq: p for p in t.payments}
        plan = [scheduled(p) for p in t.payments]
        terms = t.outcome.terms or {}
        recipients = ["citizen"] + (["payer"] if terms.get("payer_reminders") else [])
        out = []
        for p in domain.reminders_due(plan, today, days):
            rows[p.seq].reminded_at = now
            message = (template or "提醒：第{seq}期{amount}元应于{due}前支付。").format(
                code=t.code,
                seq=p.seq,
                amount=domain.format_yuan(p.amount_yuan),
                due=p.due.isoformat(),
                phone=self.profile.phone,
            )
            entry = {
                "code": t.code,
                "kind": "reminder",
                "seq": p.seq,
                "due": p.due.isoformat(),
                "amount_yuan": p.amount_yuan,
                "days_left": (p.due - today).days,
                "recipients": recipients,
                "message": message,
            }
            note = f"履约提醒：第{p.seq}期{domain.format_yuan(p.amount_yuan)}元，{p.due.isoformat()}到期（已提醒{'、'.join('申请人' if r == 'citizen' else '付款方' for r in recipients)}）"
            self._history(t, now, note, "reminder")
            session.flush()
            outbox.enqueue(
                session, "payment_reminder", self._to_json(t, now=now), now, extra={"reminder": entry}
            )
            out.append(entry)
        missed = domain.newly_missed(plan, today)
        for p in missed:
            rows[p.seq].raised_at = now
        if missed:
            warning = domain.performance_warning(plan, today) or "履约预警"
            self._history(t, now, f"{warning}，案件回到待办队列", "performance")
            t.updated_at = now
            session.flush()
            ticket = self._to_json(t, now=now)
            entries = [
                {
                    "code": t.code,
                    "kind": "missed",
                    "seq": p.seq,
                    "due": p.due.isoformat(),
                    "amount_yuan": p.amount_yuan,
                }
                for p in missed
            ]
            outbox.enqueue(session, "payment_missed", ticket, now, extra={"missed": entries})
            out += entries
        return out

    @staticmethod
    def _history(t: Ticket, now: datetime, note: str, kind: str) -> None:
        t.history.append(
            StatusHistory(
                at=now, actor="履约提醒", kind=kind, from_status=t.status, to_status=t.status, note=note
            )
        )

    def document_data(
        self, code: str, kind: str, *, scope: Sequence[str] | None = None, now: datetime | None = None
    ) -> dict[str, Any]:
        """Everything a document is made from, ID numbers in clear: for rendering the PDF only (never
        log it, never send it). Raises TicketNotFound when the outcome does not call for ``kind``."""
        now = now or utcnow()
        with self._read() as session:
            t = self._get(session, code, scope)
            o = t.outcome
            if o is None or kind not in domain.documents_for(o.result, bool(o.referral_to)):
                name = domain.DOCUMENT_NAMES.get(kind, kind)
                raise TicketNotFound(f"案件 {t.code} 的调解结果不需要{name}")
            ticket = self._to_json(t, reveal=True, now=now)
            return {
                "kind": kind,
                "ticket": ticket,
                "outcome": ticket["outcome"],
                "sessions": ticket["mediation_sessions"],
                "applicant": {
                    "name": ticket["facts"].get("applicant_name") or "",
                    "id_number": privacy.decrypt(t.id_number_enc) or "",
                    "phone": privacy.decrypt(t.phone_enc) or "",
                },
                "counterparty": {
                    "name": o.counterparty_name or ticket["facts"].get("counterparty") or "",
                    "id_number": privacy.decrypt(o.counterparty_id_enc) if o.counterparty_id_enc else "",
                },
                "today": self.today(now),
            }


def _outcome_note(o: domain.OutcomeInput, replaced: bool, store: TicketOutcomes) -> str:
    parts = [("更正" if replaced else "") + f"调解结果：{domain.RESULT_NAMES[o.result]}"]
    if o.terms:
        if o.terms.amount_yuan is not None:
            parts.append(f"协议金额{domain.format_yuan(o.terms.amount_yuan)}元")
        if o.terms.payments:
            parts.append(f"分{len(o.terms.payments)}期支付，首期{o.terms.payments[0].due.isoformat()}")
    if o.referral:
        parts.append(f"转办至{store.profile.mediation.destination_name(o.referral.to)}")
    return "；".join(parts)
