"""Transactional outbox for webhook notifications.

Every new or changed ticket adds an outbox row in the same transaction as the change, so a crash
between filing and delivery loses nothing: the row stays ``pending`` until ``webhook.py`` delivers it.
Rows move ``pending`` → ``delivered``, or → ``dead`` after ``max_attempts`` failures (re-queued with
``intake redeliver``). A short lease stops two delivery workers from sending the same row at once;
the receiver can also de-duplicate on the ``Idempotency-Key`` header.

Events of one ticket arrive in order: a row is due only when every earlier row of its ticket was
delivered (a pending or dead one holds the later ones back). Events of urgent tickets never go dead:
they are retried with a back-off capped at ``URGENT_MAX_DELAY``. The intake service's ``/health``
reports the dead letters.

The channels' outgoing messages use the same rows with another ``target`` (``hotline``: a callback to
the SMS gateway, ``wechat``: one customer-service message): their order key (``ticket_code``) is a
keyed hash of the recipient (:func:`recipient_key`), their body is encrypted like every payload, and
it is emptied once delivered. A dead channel message does not hold the recipient's later ones back
(a citizen must not fall silent for ever); the dead letter is reported like the others.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.privacy import data_key, decrypt, encrypt
from bot.storage.models import Outbox
from bot.tickets.deadlines import as_utc, utcnow

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
CENTER, HOTLINE, WECHAT = "center", "hotline", "wechat"  # where a row goes (the ``target`` column)
_KEY_PREFIX = {HOTLINE: "hl:", WECHAT: "wx:"}
URGENT_MAX_DELAY = 300.0  # seconds between attempts for an urgent ticket's events, at most


def _in_turn() -> Any:
    """SQL: no earlier row of the same ticket (or recipient) is still undelivered (per-key order); a
    dead channel message does not block (see the module docstring)."""
    earlier = aliased(Outbox)
    blocking = or_(earlier.state == PENDING, and_(earlier.state == DEAD, earlier.target == CENTER))
    return ~exists().where(and_(earlier.ticket_code == Outbox.ticket_code, earlier.id < Outbox.id, blocking))


def recipient_key(target: str, recipient: str) -> str:
    """The order key of a channel's recipient: a keyed hash (a phone number or an openid never in clear;
    phone numbers are too few for a plain hash), the same in every process sharing the data key."""
    digest = hmac.new(data_key(), f"outbox:{target}:{recipient}".encode(), hashlib.sha256).hexdigest()
    return _KEY_PREFIX.get(target, target[:2] + ":") + digest[:28]


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    ticket_code: str
    event: str
    idempotency_key: str
    body: bytes
    attempts: int


def enqueue(
    session: Session,
    event: str,
    ticket: dict[str, Any],
    now: datetime | None = None,
    extra: dict[str, Any] | None = None,
) -> Outbox:
    """Add a notification for ``ticket`` (its JSON) to the caller's transaction; ``extra`` adds
    event-specific fields to the body (a reminder's payment, the citizen's agreement summary)."""
    now = now or utcnow()
    key = str(uuid.uuid4())
    body = {
        "event": event,
        "delivery_id": key,
        "occurred_at": now.isoformat(timespec="seconds"),
        "urgent": ticket.get("risk_level") == "urgent",
        "ticket": ticket,
        **(extra or {}),
    }
    row = Outbox(
        ticket_code=ticket["code"],
        event=event,
        idempotency_key=key,
        payload_enc=encrypt(json.dumps(body, ensure_ascii=False, sort_keys=True)),
        state=PENDING,
        urgent=bool(body["urgent"]),
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    return row


def enqueue_message(
    session: Session,
    target: str,
    recipient: str,
    event: str,
    body: dict[str, Any],
    now: datetime | None = None,
) -> Outbox:
    """Add a channel's outgoing message for ``recipient`` (a phone number, an openid) to the caller's
    transaction: encrypted, ordered behind the recipient's earlier messages."""
    now = now or utcnow()
    row = Outbox(
        target=target,
        ticket_code=recipient_key(target, recipient),
        event=event,
        idempotency_key=str(uuid.uuid4()),
        payload_enc=encrypt(json.dumps(body, ensure_ascii=False)),
        state=PENDING,
        urgent=False,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    return row


def undelivered_for(session: Session, target: str, recipient: str) -> bool:
    """Whether a message to ``recipient`` is still waiting (a later answer must queue behind it)."""
    key = recipient_key(target, recipient)
    found = session.execute(
        select(Outbox.id)
        .where(Outbox.target == target, Outbox.ticket_code == key, Outbox.state == PENDING)
        .limit(1)
    ).first()
    return found is not None


def claim_due(
    session: Session,
    limit: int = 20,
    lease: timedelta = timedelta(seconds=60),
    now: datetime | None = None,
    target: str = CENTER,
) -> list[OutboxMessage]:
    """Pending rows of ``target`` whose next attempt is due, leased to the caller for ``lease``."""
    now = now or utcnow()
    rows = (
        session.execute(
            select(Outbox)
            .where(
                Outbox.target == target,
                Outbox.state == PENDING,
                Outbox.next_attempt_at <= now,
                or_(Outbox.lease_until.is_(None), Outbox.lease_until < now),
                _in_turn(),
            )
            .order_by(Outbox.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    claimed = []
    for row in rows:
        got = session.execute(
            update(Outbox)
            .where(
                Outbox.id == row.id,
                Outbox.state == PENDING,
                or_(Outbox.lease_until.is_(None), Outbox.lease_until < now),
            )
            .values(lease_until=now + lease)
            .execution_options(synchronize_session=False)
        ).rowcount
        if got:
            claimed.append(
                OutboxMessage(
                    id=row.id,
                    ticket_code=row.ticket_code,
                    event=row.event,
                    idempotency_key=row.idempotency_key,
                    body=(decrypt(row.payload_enc) or "{}").encode("utf-8"),
                    attempts=row.attempts,
                )
            )
    return claimed


def any_due(session: Session, now: datetime | None = None, target: str = CENTER) -> bool:
    now = now or utcnow()
    return (
        session.execute(
            select(Outbox.id)
            .where(
                Outbox.target == target, Outbox.state == PENDING, Outbox.next_attempt_at <= now, _in_turn()
            )
            .limit(1)
        ).first()
        is not None
    )


def mark_delivered(session: Session, message_id: int, now: datetime | None = None) -> None:
    row = session.get(Outbox, message_id)
    if row is not None:
        row.state, row.attempts = DELIVERED, row.attempts + 1
        row.delivered_at, row.lease_until, row.last_error = now or utcnow(), None, None
        if row.target != CENTER:  # a channel message's phone or openid is kept no longer than needed
            row.payload_enc = encrypt("{}")


def mark_failed(
    session: Session,
    message_id: int,
    error: str,
    max_attempts: int,
    base_delay: float,
    max_delay: float = 3600.0,
    now: datetime | None = None,
) -> str:
    """Record a failed attempt; back off exponentially; ``dead`` after ``max_attempts``, except for an
    urgent ticket's events (this one or a later one of the ticket is urgent), which keep being
    retried at most ``URGENT_MAX_DELAY`` apart. Returns the state."""
    now = now or utcnow()
    row = session.get(Outbox, message_id)
    if row is None:
        return DEAD
    row.attempts += 1
    row.last_error = error[:500]
    row.lease_until = None
    urgent = row.urgent or (
        session.execute(
            select(Outbox.id)
            .where(Outbox.ticket_code == row.ticket_code, Outbox.urgent.is_(True), Outbox.state != DELIVERED)
            .limit(1)
        ).first()
        is not None
    )
    if row.attempts >= max_attempts and not urgent:
        row.state = DEAD
    else:
        cap = min(max_delay, URGENT_MAX_DELAY) if urgent else max_delay
        delay = min(cap, base_delay * (2 ** min(row.attempts - 1, 30)))
        row.next_attempt_at = now + timedelta(seconds=delay)
    return row.state


def requeue_dead(session: Session, now: datetime | None = None) -> int:
    """Put dead letters back in the queue with a fresh attempt budget."""
    result = session.execute(
        update(Outbox)
        .where(Outbox.state == DEAD)
        .values(state=PENDING, attempts=0, next_attempt_at=now or utcnow(), lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Outbox.state, func.count()).group_by(Outbox.state)).all()
    out = {PENDING: 0, DELIVERED: 0, DEAD: 0}
    out.update({state: n for state, n in rows})
    return out


def dead_count(session: Session) -> int:
    """Rows of every target that gave up (the console's alert), without grouping the whole table."""
    return int(session.scalar(select(func.count()).select_from(Outbox).where(Outbox.state == DEAD)) or 0)


def rows_for(session: Session, ticket_code: str) -> list[dict[str, Any]]:
    """Outbox rows of a ticket (for tests and the CLI)."""
    rows = session.execute(select(Outbox).where(Outbox.ticket_code == ticket_code).order_by(Outbox.id))
    return [
        {
            "id": r.id,
            "event": r.event,
            "state": r.state,
            "attempts": r.attempts,
            "last_error": r.last_error,
            "idempotency_key": r.idempotency_key,
            "next_attempt_at": as_utc(r.next_attempt_at).isoformat(),
        }
        for r in rows.scalars()
    ]
