"""The urgent path: show the fitting emergency numbers first, then file (or update) the ticket
as urgent with whatever is known, so the duty officer is notified even if the citizen leaves.

At most ``urgent_cap()`` new urgent tickets per conversation per hour (env ``URGENT_TICKETS_PER_HOUR``,
default 3): past that the emergency numbers are still shown, but no new ticket (and no new duty-officer
notification) is made, so one sender cannot flood the duty officer."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.intake import subtypes
from bot.intake.dialogue import dispute_candidates, start_intake
from bot.intake.opening import dispute_ranking
from bot.intake.schema import HELD_CONTACT_SLOT
from bot.intake.ticketing import TicketFiler, file_intake
from bot.risk import URGENT, emergency_message, screen
from bot.risk.engine import RiskAssessment
from bot.taxonomy import categories
from bot.tickets.records import ListFilters

log = logging.getLogger(__name__)
FALLBACK = (
    "您的安全最重要。如果您现在有危险，请马上拨打 110 报警，有人受伤请拨 120。"
    "我们已将您的情况标为紧急，工作人员会尽快联系您。"
)
CAPPED = (
    "您的安全最重要。如果您现在有危险，请马上拨打 110 报警，有人受伤请拨 120。"
    "您刚才反映的紧急情况已经登记，工作人员会尽快联系您。"
)
# danger told again in a conversation whose ticket is already urgent: no second full alarm
ADDED = "您补充的情况已记入紧急登记（受理编号：{code}），工作人员会尽快联系您。如有危险请马上拨打 110。"
URGENT_CAP_ENV = "URGENT_TICKETS_PER_HOUR"


def _emergency_text(assessment: RiskAssessment) -> str:
    """The emergency numbers fitting the message's danger; "" when the screen finds none urgent."""
    return emergency_message(assessment) if assessment.level == URGENT else ""


def urgent_cap() -> int:
    return int(os.environ.get(URGENT_CAP_ENV) or 3)


def urgent_capped(store: TicketFiler, sender_id: str, now: datetime | None = None) -> bool:
    """Whether this conversation already filed ``urgent_cap()`` urgent tickets in the last hour. A store
    that cannot count says no: the count must not keep the numbers from the citizen."""
    cap = urgent_cap()
    since = (now or datetime.now(timezone.utc)) - timedelta(hours=1)
    try:
        tickets = store.list_tickets(ListFilters(sender_id=sender_id, risk=URGENT, limit=cap + 1))
    except Exception:
        log.exception("could not count a conversation's urgent tickets")
        return False
    recent = sum(1 for t in tickets if datetime.fromisoformat(t["created_at"]) >= since)
    if recent >= cap:
        log.warning("urgent cap: %s urgent tickets in the last hour, no new one filed", recent)
    return recent >= cap


def capped_message(text: str) -> str:
    """What a capped danger message gets: its emergency numbers, and no new ticket."""
    return _emergency_text(screen(text or "")) or CAPPED


@dataclass
class UrgentResult:
    message: str
    updates: dict[str, Any] = field(default_factory=dict)
    ticket: dict[str, Any] | None = None  # the urgent ticket filed or updated (None if that failed)


def urgent_intake(
    store: TicketFiler,
    sender_id: str,
    channel: str,
    slots: dict[str, Any],
    text: str,
    ranking: list[dict[str, Any]],
    entities: list[dict[str, Any]] | None = None,
) -> UrgentResult:
    """Emergency numbers first, then the ticket. A danger told before any intake also starts it: the
    category (when clear), every fact of the message and the contact details held until consent
    are kept, as for any first message."""
    assessment: RiskAssessment = screen(text or "")
    message = _emergency_text(assessment)
    already = slots.get("risk_level") == URGENT and slots.get("ticket_code")
    reasons = [s.reason_zh for s in assessment.signals if s.level == URGENT] or ["群众表述涉及人身安全"]
    slots = dict(slots)
    updates: dict[str, Any] = {}
    fallback_category = None
    known = slots.get("category")
    if not known:
        disputes = dispute_ranking(ranking)
        # A story already told, its category being asked: this message does not start it again (its
        # facts would be lost to "钱要不回来我活着也没意思"); the story's own candidates stand.
        begun = bool(slots.get("description"))
        if disputes and not begun:
            started = start_intake(text, disputes[0], disputes, entities or [], slots)
            updates.update({k: v for k, v in started.updates.items() if k != "description"})
            slots.update(updates)
        candidates = (slots.get("category_candidates") if begun else None) or dispute_candidates(
            disputes, limit=1
        )  # dispute_ranking has no 其他
        fallback_category = candidates[0] if candidates else None
    # the danger may say what the dispute is (domestic violence is a family case); within a category
    # already known it only names the sub-type (violence in a family case is 家暴)
    implied = subtypes.from_risk(assessment.kinds, slots.get("category"))
    if implied and (not known or implied[0] == known):
        category_code, sub = implied
        updates |= {
            "category": category_code,
            subtypes.SUB_TYPE_SLOT: sub,
            "category_name": categories()[category_code].name,
        }
        slots.update(updates)
    description = "\n".join(d for d in (slots.get("description"), text) if d)
    updates |= {
        "risk_level": URGENT,
        "risk_reasons": list(dict.fromkeys([*(slots.get("risk_reasons") or []), *reasons])),
        "description": description,
    }
    slots.update(updates)
    slots["category"] = slots.get("category") or fallback_category or "other"
    held = slots.get(HELD_CONTACT_SLOT) or {}
    if not slots.get("consent") and held:
        # Danger: the duty officer must be able to call back. A number the citizen gave is filed
        # without waiting for the consent question (个人信息保护法第十三条第四项: 紧急情况下为保护
        # 自然人的生命健康和财产安全所必需); the conversation still asks for consent afterwards.
        slots = {**slots, **{k: v for k, v in held.items() if v}, "consent": True}
    ticket = None
    try:
        ticket = file_intake(store, sender_id, channel, slots)
        updates["ticket_code"] = ticket["code"]
        if already and ticket["code"] == slots.get("ticket_code"):
            message = ADDED.format(code=ticket["code"])
        else:
            message = (message or FALLBACK) + f"\n受理编号：{ticket['code']}"
    except Exception:  # the numbers must reach the citizen even if the database is down
        log.exception("urgent ticket could not be filed for a conversation")
        message = message or FALLBACK
    return UrgentResult(message=message, updates=updates, ticket=ticket)
