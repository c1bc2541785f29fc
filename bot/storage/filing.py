"""Filing a ticket from what the dialogue collected, and completing a ticket filed early.

Filing assigns the case code, routes, computes deadlines and writes the ticket, its parties, its first
history row and an outbox event in ONE transaction, so either all of it exists or none. A retry with
the same (sender_id, idempotency_key) returns the ticket already filed instead of a second one.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import privacy
from bot.storage import outbox
from bot.storage.models import Party, StatusHistory, Ticket, TicketWindow
from bot.storage.sequences import next_case_code
from bot.storage.workflow import TicketWorkflow
from bot.taxonomy import categories
from bot.tickets.centers import RISK_LEVELS, STAGES
from bot.tickets.deadlines import compute_deadlines, utcnow
from bot.tickets.records import (
    OPEN_STATUSES,
    STATUSES,
    IntakeRecord,
    InvalidInput,
    normalise_facts,
    storable_facts,
)
from bot.tickets.routing import materials_for, route_ticket

log = logging.getLogger(__name__)


class TicketFiling(TicketWorkflow):
    """``file_ticket`` and ``update_intake``."""

    def file_ticket(self, intake: IntakeRecord, *, now: datetime | None = None) -> dict[str, Any]:
        """File a ticket and return its JSON. Idempotent per (sender_id, idempotency_key)."""
        self._validate(intake)
        if intake.idempotency_key:
            existing = self._by_idempotency(intake.sender_id, intake.idempotency_key)
            if existing is not None:
                return existing
        try:
            return self._file(intake, now or utcnow())
        except IntegrityError:
            if intake.idempotency_key:  # a concurrent attempt with the same key won the race
                existing = self._by_idempotency(intake.sender_id, intake.idempotency_key)
                if existing is not None:
                    return existing
            raise

    def _validate(self, intake: IntakeRecord) -> None:
        if intake.category not in categories():
            raise InvalidInput(f"未知的纠纷类别：{intake.category}")
        if intake.risk_level not in RISK_LEVELS:
            raise InvalidInput(f"未知的风险等级：{intake.risk_level}")
        if intake.status not in STATUSES:
            raise InvalidInput(f"未知的状态：{intake.status}")
        if not intake.sender_id or not intake.channel:
            raise InvalidInput("缺少 sender_id 或 channel")
        if not isinstance(intake.facts, dict):
            raise InvalidInput("facts 必须是对象")

    def _by_idempotency(self, sender_id: str, key: str) -> dict[str, Any] | None:
        with self._read() as session:
            ticket = session.execute(
                self._loaded().where(Ticket.sender_id == sender_id, Ticket.idempotency_key == key)
            ).scalar()
            return self._to_json(ticket) if ticket else None

    def _apply_intake(self, session: Session, ticket: Ticket, intake: IntakeRecord, now: datetime) -> Any:
        """Set everything a ticket derives from an intake: facts, secrets, route, materials, deadlines."""
        profile = self.profile
        facts = normalise_facts(intake.facts)
        phone = privacy.normalise_phone(facts.get("phone"))
        id_number = str(facts["id_number"]).strip() if facts.get("id_number") else None
        load = dict(
            session.execute(
                select(Ticket.mediator_id, func.count())
                .where(
                    # the profile's mediators by name: the (mediator, status) index then finds their
                    # open tickets without reading every open ticket
                    Ticket.mediator_id.in_([m.id for m in profile.mediators]),
                    Ticket.status.in_(OPEN_STATUSES),
                    Ticket.id != ticket.id,
                )
                .group_by(Ticket.mediator_id)
            ).all()
        )
        route = route_ticket(
            intake.category,
            facts,
            intake.risk_level,
            profile,
            mediator_load=load,
            risk_reasons=intake.risk_reasons,
        )
        deadlines = compute_deadlines(ticket.created_at or now, route.tier, intake.risk_level, profile)
        ticket.category = intake.category
        ticket.risk_level = intake.risk_level
        ticket.risk_reasons = list(intake.risk_reasons)
        ticket.tier = route.tier
        ticket.window = route.window
        ticket.mediator_id = route.mediator_id
        ticket.route = route.to_dict()
        ticket.materials = materials_for(route, intake.category, profile, intake.facts.get("sub_type"))
        ticket.facts = storable_facts(facts)
        ticket.amount_yuan = facts["amount_yuan"]
        ticket.headcount = facts["headcount"]
        ticket.location = str(facts["location"])[:200] if facts.get("location") else None
        ticket.phone_enc = privacy.encrypt(phone)
        ticket.phone_last4_hash = privacy.last4_hash(phone)
        ticket.id_number_enc = privacy.encrypt(id_number)
        ticket.summary = intake.summary or ""
        if intake.transcript is not None:
            ticket.transcript_enc = privacy.encrypt(json.dumps(intake.transcript, ensure_ascii=False))
        for stage in STAGES:
            setattr(ticket, f"{stage}_due", deadlines[stage])
        ticket.windows = [
            TicketWindow(window=w, role="primary" if i == 0 else "secondary")
            for i, w in enumerate(route.windows)
        ]
        ticket.parties = [
            Party(role="applicant", name=facts.get("applicant_name"), phone_enc=privacy.encrypt(phone))
        ]
        if facts.get("counterparty"):
            ticket.parties.append(Party(role="counterparty", name=str(facts["counterparty"])[:200]))
        return route

    def _file(self, intake: IntakeRecord, now: datetime) -> dict[str, Any]:
        profile = self.profile
        with self._write() as session:
            # One INSERT with the code in it. On PostgreSQL the day's counter row stays locked from
            # here to the commit (a few ms); on SQLite the whole write transaction holds the lock anyway.
            code = str(
                next_case_code(session.connection(), profile.region_code, now.astimezone(self._tz()).date())
            )
            ticket = Ticket(
                code=code,
                sender_id=intake.sender_id,
                channel=intake.channel,
                idempotency_key=intake.idempotency_key,
                status=intake.status,
                transcript_sender_id=intake.sender_id,
                transcript_channel=intake.channel,
                created_at=now,
                updated_at=now,
            )
            route = self._apply_intake(session, ticket, intake, now)
            ticket.history = [
                StatusHistory(
                    at=now,
                    actor="intake-bot",
                    kind="created",
                    from_status=None,
                    to_status=intake.status,
                    note="；".join(route.reasons),
                )
            ]
            session.add(ticket)
            session.flush()
            data = self._to_json(ticket, now=now)
            outbox.enqueue(session, "ticket.created", data, now)
        log.info(
            "filed ticket %s category=%s risk=%s window=%s",
            code,
            intake.category,
            intake.risk_level,
            route.window,
        )
        return data

    def update_intake(
        self, code: str, intake: IntakeRecord, *, now: datetime | None = None
    ) -> dict[str, Any]:
        """Complete a ticket filed early (urgent or hand-off) with the facts collected since.

        The risk level never goes down; the status stays as staff left it, except that a ticket still
        waiting for the bot takes the intake's status.
        """
        self._validate(intake)
        now = now or utcnow()
        with self._write() as session:
            ticket = self._get(session, code)
            levels = {level: i for i, level in enumerate(RISK_LEVELS)}
            if levels.get(ticket.risk_level, 0) > levels.get(intake.risk_level, 0):
                intake = dataclasses.replace(intake, risk_level=ticket.risk_level)
            intake = dataclasses.replace(
                intake,
                risk_reasons=tuple(dict.fromkeys([*(ticket.risk_reasons or []), *intake.risk_reasons])),
            )
            route = self._apply_intake(session, ticket, intake, now)
            data = self._touch(session, ticket, now, "intake-bot", "updated", "；".join(route.reasons))
        log.info("updated ticket %s category=%s risk=%s", code, intake.category, intake.risk_level)
        return data
