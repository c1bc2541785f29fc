"""The ``outcome`` and ``mediation_sessions`` parts of a ticket's JSON (null / empty until recorded),
built from the stored rows with the 履约 state evaluated for the center's today."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.storage.models import AgreementPayment, Ticket
from bot.tickets import outcome as domain
from bot.tickets.centers import MediationSettings
from bot.tickets.deadlines import iso


def scheduled(p: AgreementPayment) -> domain.ScheduledPayment:
    return domain.ScheduledPayment(
        seq=p.seq,
        due=p.due,
        amount_yuan=p.amount_yuan,
        status=p.status,
        reminded=p.reminded_at is not None,
        raised=p.raised_at is not None,
    )


def sessions_json(t: Ticket) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "held_on": s.held_on.isoformat(),
            "place": s.place,
            "method": s.method,
            "method_name": domain.METHOD_NAMES.get(s.method, s.method),
            "participants": s.participants,
            "mediator": s.mediator,
            "note": s.note,
            "recorded_by": s.recorded_by,
        }
        for s in t.sessions
    ]


def outcome_json(t: Ticket, today: date, settings: MediationSettings) -> dict[str, Any] | None:
    o = t.outcome
    if o is None:
        return None
    plan = [scheduled(p) for p in t.payments]
    c = t.confirmation
    return {
        "result": o.result,
        "result_name": domain.RESULT_NAMES.get(o.result, o.result),
        "terms": o.terms,
        "referral": {
            "to": o.referral_to,
            "to_name": settings.destination_name(o.referral_to),
            "note": o.referral_note or "",
            "at": iso(o.referred_at),
        }
        if o.referral_to
        else None,
        "counterparty_name": o.counterparty_name or None,
        "recorded_by": o.recorded_by,
        "recorded_at": iso(o.recorded_at),
        "judicial_confirmation": {
            "court": c.court,
            "applied_on": c.applied_on.isoformat(),
            "result": c.result,
            "result_name": domain.CONFIRMATION_NAMES.get(c.result, c.result),
            "ruling_no": c.ruling_no or None,
            "decided_on": c.decided_on.isoformat() if c.decided_on else None,
        }
        if c is not None
        else None,
        "payments": [
            {
                "id": p.id,
                "seq": p.seq,
                "due": p.due.isoformat(),
                "amount_yuan": p.amount_yuan,
                "status": p.status,
                "state": domain.payment_state(s, today),
                "marked_by": p.marked_by,
                "marked_at": iso(p.marked_at),
            }
            for p, s in zip(t.payments, plan, strict=True)
        ],
        "performance": domain.performance(plan, today),
        "performance_warning": domain.performance_warning(plan, today),
        "documents": list(domain.documents_for(o.result, bool(o.referral_to))),
    }
