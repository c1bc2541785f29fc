"""Repeat complaints (重复反映): at filing, a ticket is linked to the earlier tickets of the same citizen,
found by a keyed hash of the phone or of the applicant's name with the counterparty (never the values
in clear), and ``repeat_count`` is set to how many there are. The count feeds routing (tiers and the
petition rule read the ``repeat_count`` fact), the ticket JSON lists the linked codes, and the console
shows "此前反映N次" with links, scoped like every other ticket link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import privacy
from bot.storage.models import Ticket, TicketRepeat

MAX_LINKS = 50  # a citizen with more earlier tickets gets the 50 most recent linked


def link_repeats(session: Session, ticket: Ticket, facts: Mapping[str, Any], phone: str | None) -> int:
    """Set the ticket's match hashes, link its earlier tickets (keeping links already made) and set
    ``repeat_count``; returns the count."""
    ticket.phone_hash = privacy.match_hash("phone", phone) if phone else None
    ticket.party_hash = privacy.match_hash("party", facts.get("applicant_name"), facts.get("counterparty"))
    found: dict[int, tuple[str, str]] = {}
    clauses = [
        column == value
        for column, value in ((Ticket.phone_hash, ticket.phone_hash), (Ticket.party_hash, ticket.party_hash))
        if value
    ]
    if clauses:
        stmt = select(Ticket.id, Ticket.code, Ticket.phone_hash).where(or_(*clauses))
        if ticket.id is not None:
            stmt = stmt.where(Ticket.id < ticket.id)
        for tid, code, phone_hash in session.execute(stmt.order_by(Ticket.id.desc()).limit(MAX_LINKS)):
            basis = "phone" if ticket.phone_hash and phone_hash == ticket.phone_hash else "party"
            found[tid] = (code, basis)
    kept = [r for r in ticket.repeats if r.earlier_id in found]
    have = {r.earlier_id for r in kept}
    kept += [
        TicketRepeat(earlier_id=tid, earlier_code=code, basis=basis)
        for tid, (code, basis) in sorted(found.items())
        if tid not in have
    ]
    ticket.repeats = kept
    ticket.repeat_count = len(kept)
    return len(kept)


def repeats_json(ticket: Ticket) -> list[dict[str, str]]:
    """``[{"code", "basis"}]``, oldest first (the ticket JSON's ``repeat_of``)."""
    return [{"code": r.earlier_code, "basis": r.basis} for r in ticket.repeats]


def link_targets(session: Session, codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Just enough of the tickets ``codes`` to decide who may open them (``route``, ``assignee_id``,
    as in the ticket JSON), read without their details."""
    if not codes:
        return {}
    rows = session.execute(
        select(Ticket.code, Ticket.route, Ticket.assignee_id).where(Ticket.code.in_(list(codes)))
    )
    return {code: {"code": code, "route": dict(route), "assignee_id": who} for code, route, who in rows}
