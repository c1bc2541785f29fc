"""The ticket lifecycle as staff drive it: status changes, taking a ticket (签收), notes, the return
visit (回访) and transfers (转办) to another window or mediator.

Every change goes through ``_touch``: one history row and one outbox event in the same transaction as
the change, so the audit trail and the center's webhook never miss a step; a stage change the citizen
hears about also queues their progress message (``bot.storage.ratings``). Which steps are allowed is
decided by the domain rules in ``bot.tickets.lifecycle``; this module applies them to stored tickets.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.storage import outbox
from bot.storage.models import StatusHistory, Ticket, TicketWindow
from bot.storage.ratings import queue_progress
from bot.storage.reading import TicketReads
from bot.tickets import lifecycle
from bot.tickets.deadlines import utcnow
from bot.tickets.records import InvalidInput

log = logging.getLogger(__name__)


class TicketWorkflow(TicketReads):
    """Status changes, claim, notes, follow-up and transfer."""

    def _touch(
        self,
        session: Session,
        t: Ticket,
        now: datetime,
        actor: str,
        kind: str,
        note: str | None,
        to_status: str | None = None,
    ) -> dict[str, Any]:
        """Record a change of ``t``: new status (with its timestamp), history row, outbox event."""
        from_status = t.status
        if to_status and to_status != t.status:
            t.status = to_status
            stamp = lifecycle.stamp_for(to_status)
            if stamp and getattr(t, stamp) is None:
                setattr(t, stamp, now)
        t.updated_at = now
        t.history.append(
            StatusHistory(
                at=now, actor=actor, kind=kind, from_status=from_status, to_status=t.status, note=note
            )
        )
        session.flush()
        data = self._to_json(t, now=now)
        outbox.enqueue(session, f"ticket.{kind}" if kind != "status" else "ticket.status_changed", data, now)
        queue_progress(session, t, kind, from_status, data, self.profile, now)  # the citizen's message
        return data

    def change_status(
        self,
        code: str,
        to_status: str,
        actor: str,
        note: str | None = None,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Move a ticket along the lifecycle; raises InvalidTransition for a step that is not allowed."""
        lifecycle.check_status(to_status)
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            lifecycle.check_transition(t.status, to_status)
            return self._touch(session, t, now, actor, "status", note, to_status)

    def claim(
        self,
        code: str,
        actor: str,
        *,
        actor_id: str | None = None,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """A staff member takes the ticket (签收): assignee set, received/routed become accepted.
        ``actor_id`` (``user:<id>``, ``token:<id>``) is what visibility is matched on, not the name."""
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            to = lifecycle.status_after_claim(t.status)
            previous = t.assignee
            t.assignee = actor
            t.assignee_id = actor_id
            note = (
                f"{actor}签收" if not previous or previous == actor else f"{actor}接手（原承办人{previous}）"
            )
            return self._touch(session, t, now, actor, "claim", note, to)

    def add_note(
        self,
        code: str,
        actor: str,
        note: str,
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        if not note or not note.strip():
            raise InvalidInput("备注不能为空")
        with self._write() as session:
            return self._touch(
                session, self._get(session, code, scope), now or utcnow(), actor, "note", note.strip()
            )

    def follow_up(
        self,
        code: str,
        satisfaction: int,
        note: str | None = None,
        actor: str = "回访员",
        *,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Record the return visit (回访) of a resolved/referred/closed ticket with satisfaction 1-5."""
        lifecycle.check_satisfaction(satisfaction)
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            lifecycle.check_follow_up(t.status)
            t.satisfaction, t.follow_up_note, t.followed_up_at = satisfaction, note, now
            return self._touch(
                session,
                t,
                now,
                actor,
                "follow_up",
                f"回访满意度{satisfaction}分" + (f"：{note}" if note else ""),
            )

    def transfer(
        self,
        code: str,
        window: str,
        actor: str,
        reason: str,
        *,
        mediator_id: str | None = None,
        scope: Sequence[str] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Hand a ticket to another window (转办) and/or mediator, with a reason; the old primary window
        loses it (unless a rule made it a secondary window), and the new window signs for it again."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput("请填写转办原因")
        profile = self.profile
        if window not in profile.windows:
            raise InvalidInput(f"未知的窗口：{window}")
        mediator = None
        if mediator_id:
            mediator = next((m for m in profile.mediators if m.id == mediator_id), None)
            if mediator is None:
                raise InvalidInput(f"未知的调解员：{mediator_id}")
        now = now or utcnow()
        with self._write() as session:
            t = self._get(session, code, scope)
            lifecycle.check_transfer(t.status)
            if window == t.window and (mediator is None or mediator.id == t.mediator_id):
                raise InvalidInput("案件已在该窗口，请选择其他窗口或调解员")
            target = profile.window(window)
            route = dict(t.route)
            old_name = route.get("window_name") or t.window
            if window != t.window:
                secondary = [s for s in route.get("secondary_windows", []) if s.get("window") != window]
                route["secondary_windows"] = secondary
                t.windows = [tw for tw in t.windows if tw.role == "secondary" and tw.window != window]
                session.flush()
                t.windows.append(TicketWindow(window=window, role="primary"))
                t.window = window
                t.assignee = t.assignee_id = None
                route.update(window=window, window_name=target.name, room=target.room)
                if mediator is None and t.mediator_id:
                    keep = next((m for m in profile.mediators if m.id == t.mediator_id), None)
                    if keep is None or keep.window != window:
                        t.mediator_id = None
                        route.update(mediator=None, mediator_id=None)
            if mediator is not None:
                t.mediator_id = mediator.id
                route.update(mediator=mediator.name, mediator_id=mediator.id)
            to_whom = target.name + (f"（调解员{mediator.name}）" if mediator else "")
            note = f"由{old_name}转至{to_whom}：{reason}"
            route["reasons"] = [*route.get("reasons", []), f"{actor}转办：{note}"]
            t.route = route
            data = self._touch(session, t, now, actor, "transfer", note)
        log.info("ticket %s transferred to %s by %s", code, window, actor)
        return data
