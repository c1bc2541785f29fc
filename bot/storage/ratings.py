"""The citizen's side of the closed loop: progress messages queued with each stage change, the
citizen's own rating after 办结 (hotline digit, widget buttons, status page), and what the widget shows
a returning citizen.

Progress messages go to the outbox in the transaction of the change (``queue_progress``, called by
``TicketWorkflow._touch``): only for a ticket that kept a phone (the citizen consented), as SMS parts
through the hotline gateway's callback contract (target ``hotline``, ordered per phone), whatever the
channel the citizen came by, when the gateway is configured (``HOTLINE_CALLBACK_URL``; without it
nothing is queued, so no phone waits in the outbox for a delivery that never comes).

A rating is stored next to the staff 回访 (``satisfaction``); 1-2 opens a return visit by a supervisor
(差评待回访), recorded in the history, in the queue until staff record a 回访 after it.
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import privacy
from bot.smsparts import split_sms
from bot.storage import outbox
from bot.storage.models import StatusHistory, Ticket
from bot.storage.reading import TicketReads
from bot.tickets import notices
from bot.tickets.centers import CenterProfile
from bot.tickets.codes import normalise_case_code
from bot.tickets.deadlines import as_utc, iso, utcnow
from bot.tickets.labels import STATUS_NAMES
from bot.tickets.records import InvalidInput, TicketNotFound, is_widget_id

log = logging.getLogger(__name__)

NOTICE_EVENT = "ticket.notice"
MAX_FOLLOWED = 6  # widget conversations one updates request may name (the widget follows 5 + the current)
RATERS = {"hotline": "群众（短信）", "widget": "群众（网页）", "status_page": "群众（查询页）"}


def queue_progress(
    session: Session,
    t: Ticket,
    kind: str,
    from_status: str | None,
    ticket: dict[str, Any],
    profile: CenterProfile,
    now: datetime,
) -> None:
    """Queue the citizen's message for this change of ``t`` (if it reaches a stage they hear about and
    they consented to contact) in the caller's transaction."""
    if not os.environ.get("HOTLINE_CALLBACK_URL"):  # no SMS gateway: nothing would ever deliver it
        return
    stage = notices.progress_stage(kind, from_status, t.status)
    if stage is None or t.purged_at is not None:
        return
    phone = privacy.decrypt(t.phone_enc)
    if not phone:  # no consent to contact: a ticket keeps a phone only with it
        return
    text = notices.progress_message(profile, stage, ticket)
    body = {"to": phone, "in_reply_to": None, "parts": split_sms(text), "code": t.code, "notice": stage}
    outbox.enqueue_message(session, outbox.HOTLINE, phone, NOTICE_EVENT, body, now)


class TicketRatings(TicketReads):
    """Ratings by the citizen, and the widget's view of a conversation's tickets."""

    def _rate(
        self, session: Session, t: Ticket, rating: int, comment: str | None, via: str, now: datetime
    ) -> dict[str, Any]:
        """Store the rating on ``t``; ``outcome`` says thanks / already / not_ready; ``reply`` is the
        citizen's answer."""
        profile: CenterProfile = self.profile
        # one rating per case, also when the hotline and the page answer at once (PostgreSQL: row
        # lock; SQLite: the write transaction holds the database)
        session.execute(select(Ticket.id).where(Ticket.id == t.id).with_for_update())
        session.refresh(t)
        refused = "not_ready" if t.status not in notices.RATABLE_STATUSES else None
        refused = refused or ("already" if t.citizen_rating is not None else None)
        if refused:
            return {
                "outcome": refused,
                "code": t.code,
                "reply": notices.rating_reply(profile, refused, t.code),
            }
        t.citizen_rating, t.citizen_rated_at = rating, now
        t.citizen_rating_comment_enc = privacy.encrypt(comment)
        t.updated_at = now
        actor = RATERS.get(via, "群众")
        note = f"群众评价{rating}分" + ("（附意见）" if comment else "")
        t.history.append(
            StatusHistory(
                at=now, actor=actor, kind="rating", from_status=t.status, to_status=t.status, note=note
            )
        )
        low = rating <= notices.LOW_RATING
        if low:
            t.history.append(
                StatusHistory(
                    at=now,
                    actor=actor,
                    kind="revisit_task",
                    from_status=t.status,
                    to_status=t.status,
                    note=f"差评待回访：群众评价{rating}分，请主管回访",
                )
            )
        session.flush()
        outbox.enqueue(session, "ticket.citizen_rating", self._to_json(t, now=now), now)
        log.info("ticket %s rated %d by the citizen (%s)", t.code, rating, via)
        return {
            "outcome": "thanks",
            "code": t.code,
            "rating": rating,
            "revisit": low,
            "reply": notices.rating_reply(profile, "thanks", t.code, rating),
        }

    def rate_by_phone(self, phone: str, rating: int, *, now: datetime | None = None) -> dict[str, Any] | None:
        """A hotline reply: rate the newest case of this phone closed within ``RATING_WINDOW`` and not
        yet rated; None when there is none (the digit is then an ordinary message)."""
        number = privacy.normalise_phone(phone)
        wanted = privacy.last4_hash(number)
        if not number or not wanted:
            return None
        now = now or utcnow()
        since = now - notices.RATING_WINDOW
        with self._write() as session:
            candidates = session.execute(
                self._loaded()
                .where(
                    Ticket.phone_last4_hash == wanted,
                    Ticket.status.in_(notices.RATABLE_STATUSES),
                    Ticket.citizen_rating.is_(None),
                    Ticket.closed_at >= since,
                    Ticket.purged_at.is_(None),
                )
                .order_by(Ticket.closed_at.desc(), Ticket.id.desc())
            ).scalars()
            for t in candidates:
                stored = privacy.normalise_phone(privacy.decrypt(t.phone_enc))
                if stored and hmac.compare_digest(stored, number):
                    return self._rate(session, t, rating, None, "hotline", now)
        return None

    def rate_by_sender(
        self, sender_id: str, code: str, rating: Any, comment: Any = None, *, now: datetime | None = None
    ) -> dict[str, Any]:
        """The widget's rating buttons: only a case filed from this widget conversation."""
        value = self._checked_rating(rating)
        canonical = normalise_case_code(code or "")
        if not is_widget_id(sender_id) or not canonical:
            raise TicketNotFound("没有找到这件案件")
        with self._write() as session:
            t = session.execute(
                self._loaded().where(Ticket.code == canonical, Ticket.sender_id == sender_id)
            ).scalar()
            if t is None:
                raise TicketNotFound("没有找到这件案件")
            return self._rate(session, t, value, notices.clean_comment(comment), "widget", now or utcnow())

    def rate_checked(
        self, code: str, phone_last4: str, rating: Any, comment: Any = None, *, now: datetime | None = None
    ) -> dict[str, Any] | None:
        """The status page's rating: the same check as ``public_status`` (code + last 4 digits, its
        failure count and lock); None when the check fails, the lock answer when locked."""
        value = self._checked_rating(rating)
        checked = self.public_status(code, phone_last4, now=now)
        if checked is None or checked.get("locked"):
            return checked
        with self._write() as session:
            t = self._get(session, checked["code"])
            return self._rate(
                session, t, value, notices.clean_comment(comment), "status_page", now or utcnow()
            )

    @staticmethod
    def _checked_rating(rating: Any) -> int:
        try:
            return notices.check_rating(rating)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None

    def conversation_updates(self, sender_ids: Sequence[str]) -> list[dict[str, Any]]:
        """The cases widget conversations filed, as the widget shows them (no personal data): code,
        status, whether the citizen may still rate it. Only widget ids (``w-`` + 32 hex) are answered,
        at most ``MAX_FOLLOWED`` of them."""
        wanted = [s for s in dict.fromkeys(sender_ids) if is_widget_id(s)][:MAX_FOLLOWED]
        if not wanted:
            return []
        with self._read() as session:
            rows = session.execute(
                select(Ticket.sender_id, Ticket.code, Ticket.status, Ticket.updated_at, Ticket.citizen_rating)
                .where(Ticket.sender_id.in_(wanted), Ticket.purged_at.is_(None))
                .order_by(Ticket.created_at.desc())
                .limit(3 * MAX_FOLLOWED)
            ).all()
        return [
            {
                "sender_id": sender,
                "code": code,
                "status": status,
                "status_name": STATUS_NAMES.get(status, status),
                "updated_at": iso(as_utc(updated)),
                "can_rate": status in notices.RATABLE_STATUSES and rating is None,
                "citizen_rating": rating,
            }
            for sender, code, status, updated, rating in rows
        ]
