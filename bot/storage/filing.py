"""Filing a ticket from what the dialogue collected, and completing a ticket filed early.

Filing assigns the case code, routes, computes deadlines and writes the ticket, its parties, its first
history row and an outbox event in ONE transaction, so either all of it exists or none. A retry with
the same (sender_id, idempotency_key) returns the ticket already filed instead of a second one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from bot import privacy
from bot.storage import outbox
from bot.storage.evidence import attach_pending
from bot.storage.models import Party, StatusHistory, Ticket, TicketWindow
from bot.storage.repeats import link_repeats
from bot.storage.sequences import next_case_code
from bot.storage.workflow import TicketWorkflow
from bot.taxonomy import categories
from bot.tickets.centers import RISK_LEVELS, STAGES
from bot.tickets.deadlines import compute_deadlines, utcnow
from bot.tickets.records import (
    BOT_ACTOR,
    BOT_CHANNELS,
    OPEN_STATUSES,
    STATUSES,
    Filer,
    IntakeRecord,
    InvalidInput,
    StorageUnavailable,
    normalise_facts,
    storable_facts,
)
from bot.tickets.routing import materials_for, repeat_count, route_ticket

log = logging.getLogger(__name__)

# statuses a ticket has while only the bot has handled it
BOT_STATUSES = ("received", "awaiting_staff")


class TicketFiling(TicketWorkflow):
    """``file_ticket`` and ``update_intake``."""

    def file_ticket(
        self,
        intake: IntakeRecord,
        *,
        now: datetime | None = None,
        filed_by: str | None = None,
        filer: Filer | None = None,
    ) -> dict[str, Any]:
        """File a ticket and return its JSON. Idempotent per (sender_id, idempotency_key): the same
        key gives the same ticket, also for two concurrent calls. ``filed_by`` names staff filing
        through the API or the console's 代填 form (the ticket then points at no conversation
        transcript); ``filer`` records who, by id, and how the citizen consented (ticket ``filed_by``).

        Raises ``StorageUnavailable`` when the database cannot be reached; nothing is stored then,
        and a retry with the same key files the ticket once."""
        self._validate(intake)
        key = idempotency_key(intake.idempotency_key)
        if key != intake.idempotency_key:
            intake = dataclasses.replace(intake, idempotency_key=key)
        with unavailable_as_error("file_ticket"):
            if key:
                existing = self._by_idempotency(intake.sender_id, key)
                if existing is not None:
                    return existing
            try:
                return self._file(intake, now or utcnow(), filed_by, filer)
            except IntegrityError:
                if key:  # a concurrent attempt with the same key won the race
                    existing = self._by_idempotency(intake.sender_id, key)
                    if existing is not None:
                        return existing
                raise

    def public_status(self, code: str, phone_last4: str, **kwargs: Any) -> dict[str, Any] | None:
        """The citizen's status check; a database out of reach is ``StorageUnavailable`` (a 503 that
        says to retry), not an internal error."""
        with unavailable_as_error("public_status"):
            return super().public_status(code, phone_last4, **kwargs)

    def find_by_idempotency(self, sender_id: str, key: str) -> dict[str, Any] | None:
        """The ticket filed earlier under (sender_id, key), or None."""
        with unavailable_as_error("find_by_idempotency"):
            return self._by_idempotency(sender_id, idempotency_key(key) or "")

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
        facts = self._apply_facts(ticket, intake)
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
        # earlier tickets of the same citizen: their count is a fact the tier and petition rules read
        repeats = link_repeats(session, ticket, facts, privacy.normalise_phone(facts.get("phone")))
        if repeats:
            facts = {**facts, "repeat_count": max(repeats, repeat_count(facts))}
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
        for stage in STAGES:
            setattr(ticket, f"{stage}_due", deadlines[stage])
        ticket.windows = [
            TicketWindow(window=w, role="primary" if i == 0 else "secondary")
            for i, w in enumerate(route.windows)
        ]
        return route

    @staticmethod
    def _apply_facts(ticket: Ticket, intake: IntakeRecord) -> dict[str, Any]:
        """Set what a ticket keeps of the citizen's facts (not the route): facts, secrets, parties,
        summary, transcript copy. Returns the normalised facts."""
        facts = normalise_facts(intake.facts)
        phone = privacy.normalise_phone(facts.get("phone"))
        id_number = str(facts["id_number"]).strip() if facts.get("id_number") else None
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
        ticket.parties = [
            Party(role="applicant", name=facts.get("applicant_name"), phone_enc=privacy.encrypt(phone))
        ]
        if facts.get("counterparty"):
            ticket.parties.append(Party(role="counterparty", name=str(facts["counterparty"])[:200]))
        return facts

    def _file(
        self, intake: IntakeRecord, now: datetime, filed_by: str | None = None, filer: Filer | None = None
    ) -> dict[str, Any]:
        profile = self.profile
        # only the bot's own filings point at a conversation: an API caller must not be able to name
        # somebody else's conversation and read it on the console
        own_conversation = filed_by is None and intake.channel in BOT_CHANNELS
        with self._write() as session:
            # One INSERT with the code in it. On PostgreSQL the day's counter row stays locked from
            # here to the commit (a few ms); on SQLite the whole write transaction holds the lock anyway.
            code = str(next_case_code(session.connection(), profile.region_code, self.today(now)))
            ticket = Ticket(
                code=code,
                sender_id=intake.sender_id,
                channel=intake.channel,
                idempotency_key=intake.idempotency_key,
                status=intake.status,
                transcript_sender_id=intake.sender_id if own_conversation else None,
                transcript_channel=intake.channel if own_conversation else None,
                created_at=now,
                updated_at=now,
            )
            if filer is not None:
                ticket.filed_by_id = filer.id
                ticket.filed_by = filer.to_json()
            route = self._apply_intake(session, ticket, intake, now)
            ticket.history = [
                StatusHistory(
                    at=now,
                    actor=filed_by or BOT_ACTOR,
                    kind="created",
                    from_status=None,
                    to_status=intake.status,
                    note="；".join(route.reasons),
                )
            ]
            session.add(ticket)
            session.flush()
            if own_conversation:  # photos the citizen sent before the ticket existed join it
                attach_pending(session, ticket.id, intake.sender_id)
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
        waiting for the bot takes the intake's status. Once staff have acted on the ticket (claimed,
        transferred, changed its status, …) it is never routed again: only its facts and summary are
        updated.
        """
        self._validate(intake)
        now = now or utcnow()
        with unavailable_as_error("update_intake"), self._write() as session:
            ticket = self._get(session, code)
            if staff_acted(ticket):
                self._apply_facts(ticket, intake)
                data = self._touch(session, ticket, now, BOT_ACTOR, "updated", "补充登记信息（不改变分派）")
                log.info("updated facts of ticket %s (staff already acting, route kept)", code)
                return data
            levels = {level: i for i, level in enumerate(RISK_LEVELS)}
            if levels.get(ticket.risk_level, 0) > levels.get(intake.risk_level, 0):
                intake = dataclasses.replace(intake, risk_level=ticket.risk_level)
            intake = dataclasses.replace(
                intake,
                risk_reasons=tuple(dict.fromkeys([*(ticket.risk_reasons or []), *intake.risk_reasons])),
            )
            route = self._apply_intake(session, ticket, intake, now)
            data = self._touch(session, ticket, now, BOT_ACTOR, "updated", "；".join(route.reasons))
        log.info("updated ticket %s category=%s risk=%s", code, intake.category, intake.risk_level)
        return data


def staff_acted(ticket: Ticket) -> bool:
    """Staff have touched the ticket: claimed or assigned, moved past the bot's statuses, or any
    history entry not written by the bot."""
    if ticket.assignee or ticket.assignee_id or ticket.status not in BOT_STATUSES:
        return True
    return any(h.actor != BOT_ACTOR or h.kind not in ("created", "updated") for h in ticket.history)


def idempotency_key(key: str | None) -> str | None:
    """The stored form of a caller's idempotency key: as given up to the column's 128 characters,
    else its SHA-256 (a sender id plus a timestamp can be longer)."""
    if key is None or key == "":
        return None
    key = str(key)
    if len(key) <= 128:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


@contextmanager
def unavailable_as_error(what: str) -> Iterator[None]:
    """Connection-level database errors become ``StorageUnavailable`` (after the transaction was
    rolled back); constraint and programming errors stay what they are."""
    try:
        yield
    except (OperationalError, InterfaceError, DisconnectionError, PoolTimeout) as exc:
        log.error("%s: ticket database unavailable (%s)", what, exc.__class__.__name__)
        raise StorageUnavailable(StorageUnavailable.message) from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            log.error("%s: ticket database connection lost", what)
            raise StorageUnavailable(StorageUnavailable.message) from exc
        raise
