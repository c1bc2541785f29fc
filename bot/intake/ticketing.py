"""Turn a finished (or interrupted) intake into a ticket, and tell the citizen where to go."""

from __future__ import annotations

from typing import Any, Protocol

from bot.intake import story_sums, subtypes
from bot.intake.schema import (
    APPROXIMATE_SLOT,
    derived_flag_words,
    fact_specs,
    facts_of,
    kept_besides,
    unknown_marker,
)
from bot.intake.summary import staff_summary
from bot.risk import RiskAssessment, screen
from bot.taxonomy import OTHER, categories
from bot.tickets.centers import CenterProfile
from bot.tickets.records import IntakeRecord, ListFilters

_LEVEL_ORDER = {"none": 0, "elevated": 1, "urgent": 2}
# The citizen's last messages kept as the description of a 转人工 case filed with nobody on duty.
OFFLINE_MESSAGES_KEPT = 3


class TicketFiler(Protocol):
    """What filing needs from the ticket store (``bot.storage.store.TicketStore`` in the action server)."""

    @property
    def profile(self) -> CenterProfile: ...

    def file_ticket(self, intake: IntakeRecord) -> dict[str, Any]: ...

    def update_intake(self, code: str, intake: IntakeRecord) -> dict[str, Any]: ...

    def list_tickets(self, filters: ListFilters | None = None) -> list[dict[str, Any]]: ...


def higher_risk(a: str | None, b: str | None) -> str:
    a, b = a or "none", b or "none"
    return a if _LEVEL_ORDER.get(a, 0) >= _LEVEL_ORDER.get(b, 0) else b


def ticket_facts(slots: dict[str, Any]) -> dict[str, Any]:
    """The ticket's facts: every fact of this category (unknown ones as null or text) and every other
    fact the citizen stated."""
    unknown = unknown_marker()
    facts: dict[str, Any] = {}
    category_code = slots.get("category") or "other"
    sub_type = slots.get(subtypes.SUB_TYPE_SLOT)
    asked = facts_of({**slots, "category": category_code})
    for name in kept_besides(asked, slots.get("consent")):
        value = slots.get(name)
        if name not in asked and value in (None, ""):
            continue
        if value == unknown:
            value = None
        if name == "amount_yuan" and value is not None and not isinstance(value, int | float):
            facts["amount_text"] = str(value)
            value = None
        if name == "headcount" and isinstance(value, float):
            value = int(value)
        facts[name] = value
    facts["sub_type"] = sub_type if subtypes.get(category_code, sub_type) else None
    rough = set(slots.get(APPROXIMATE_SLOT) or [])
    held = None if "amount_text" in facts else story_sums.kept(slots, facts.get("amount_yuan"))
    if held is not None:  # never asked, or asked and not known: the story's figure
        facts["amount_yuan"] = held[0]
        rough |= {"amount_yuan"} if held[1] else set()
    for name in rough:
        if facts.get(name) is not None:
            facts[f"{name.removesuffix('_yuan')}_approx"] = True  # amount_approx, headcount_approx
    if not slots.get("consent"):
        facts["applicant_name"] = None
        facts["phone"] = None
    return facts


def derived_flags(slots: dict[str, Any], assessment: RiskAssessment) -> dict[str, bool]:
    """True/False facts the center's routing rules read (legal aid for migrant workers and victims of
    domestic violence, counselling after self-harm talk), from the citizen's words and the risk screen."""
    said = " ".join(
        str(v) for v in (slots.get("description"), slots.get("counterparty"), slots.get("location")) if v
    )
    flags = {flag: any(w in said for w in words) for flag, words in derived_flag_words().items()}
    kinds = set(assessment.kinds)
    flags["domestic_violence"] = "domestic_violence" in kinds
    flags["self_harm"] = "self_harm" in kinds
    return flags


def assess(slots: dict[str, Any]) -> RiskAssessment:
    """Screen everything the citizen said plus the collected facts (group size, vulnerable party)."""
    facts = {k: v for k, v in slots.items() if k in fact_specs()}
    return screen(slots.get("description") or "", facts=facts)


def build_record(
    sender_id: str,
    channel: str,
    slots: dict[str, Any],
    *,
    status: str = "received",
    idempotency_key: str | None = None,
) -> IntakeRecord:
    assessment = assess(slots)
    level = higher_risk(assessment.level, slots.get("risk_level"))
    facts = ticket_facts(slots)
    facts.update(derived_flags(slots, assessment))
    reasons = [s.reason_zh for s in assessment.signals] + list(slots.get("risk_reasons") or [])
    reasons = list(dict.fromkeys(reasons))
    return IntakeRecord(
        sender_id=sender_id,
        channel=channel or "rest",
        category=slots.get("category") or "other",
        risk_level=level,
        facts=facts,
        summary=staff_summary(slots, reasons),
        status=status,
        transcript={"sender_id": sender_id, "channel": channel},
        risk_reasons=tuple(reasons),
        idempotency_key=idempotency_key,
    )


def confirmation_key(sender_id: str, confirmed_at: str) -> str:
    """The idempotency key of a filing: one confirmation (the time of the citizen's message that
    confirmed), one ticket, however often the filing is retried."""
    return f"{sender_id}:{confirmed_at}"


def file_intake(
    store: TicketFiler, sender_id: str, channel: str, slots: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """File (or, for an intake already filed as urgent, update) the ticket; returns its JSON."""
    record = build_record(sender_id, channel, slots, **kwargs)
    existing = slots.get("ticket_code")
    if existing:
        return store.update_intake(existing, record)
    return store.file_ticket(record)


def handoff(
    store: TicketFiler,
    sender_id: str,
    channel: str,
    slots: dict[str, Any],
    *,
    live: bool = False,
    waiting_text: str = "waiting",
) -> tuple[dict[str, Any], str]:
    """File the conversation for staff (status awaiting_staff) and say what happens next: ``live``, a
    person will answer in the chat (the conversation waits in the console's 等待人工 list); otherwise
    nobody is on duty now, and the citizen is told so with how the case goes on."""
    slots = {**slots, "category": slots.get("category") or "other"}
    ticket = file_intake(store, sender_id, channel, slots, status="awaiting_staff")
    profile = store.profile
    code = ticket["code"]
    if live:
        return ticket, profile.handoff.text(waiting_text, code=code)
    return ticket, not_live_message(profile, code, slots, "offline")


def offline_intake(slots: dict[str, Any], said: list[str]) -> dict[str, Any]:
    """转人工 with nobody on duty and no intake under way: the citizen's messages become the
    description of a 其他 case, so the intake goes on to ask for consent, a name and a number and staff
    can call back (an elderly caller who only asked for a person is not left with a bare case code)."""
    if slots.get("description"):
        return {}
    told = [t.strip() for t in said if t and t.strip() and not t.strip().startswith("/")]
    return {
        "category": slots.get("category") or OTHER,
        "category_name": categories()[slots.get("category") or OTHER].name,
        "description": "\n".join(_first_and_last(told)) or "群众要求转人工（非办公时间）",
    }


def _first_and_last(told: list[str]) -> list[str]:
    """The first message (what the citizen came for) and the latest ones, each once."""
    kept = [*told[:1], *told[1:][-(OFFLINE_MESSAGES_KEPT - 1) :]]
    return list(dict.fromkeys(kept))


def not_live_message(profile: CenterProfile, code: str, slots: dict[str, Any], why: str) -> str:
    """Nobody answers in the chat (``why``: ``offline`` outside the hours, ``expired`` nobody took it):
    the case is filed; staff call back when there is a number, else the citizen comes in or calls."""
    texts = profile.handoff
    message = texts.text(why, code=code, hours=profile.hours)
    if slots.get("consent") and slots.get("phone"):
        return message + texts.text("callback", hours=profile.hours)
    return message + texts.text("visit", hours=profile.hours, phone=profile.phone or "")
