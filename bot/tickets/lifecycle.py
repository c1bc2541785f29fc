"""The rules of a ticket's lifecycle, independent of storage: which status changes are allowed, what
taking (签收), transferring (转办) and the return visit (回访) require, and which timestamp a status sets.

The store applies these rules inside its transactions; keeping them here lets them be read and tested
without a database, and keeps every caller (API, console, command line) on the same rules.
"""

from __future__ import annotations

from typing import Any

from bot.tickets.labels import STATUS_NAMES
from bot.tickets.records import STATUSES, TRANSITIONS, InvalidInput, InvalidTransition

# the timestamp column a status sets the first time a ticket reaches it
STAMPS = {
    "accepted": "accepted_at",
    "resolved": "resolved_at",
    "referred": "resolved_at",
    "closed": "closed_at",
}
FOLLOW_UP_STATUSES = ("resolved", "referred", "closed")


def check_status(status: str) -> None:
    if status not in STATUSES:
        raise InvalidInput(f"未知的状态：{status}")


def check_transition(old: str, new: str) -> None:
    """Raise InvalidTransition (naming the allowed next statuses) unless ``old`` → ``new`` is allowed."""
    check_status(new)
    if new not in TRANSITIONS.get(old, ()):
        allowed = "、".join(STATUS_NAMES[s] for s in TRANSITIONS.get(old, ())) or "无"
        raise InvalidTransition(
            f"不能从“{STATUS_NAMES.get(old, old)}”改为“{STATUS_NAMES[new]}”，可改为：{allowed}"
        )


def status_after_claim(status: str) -> str | None:
    """The status a ticket moves to when staff take it (None: it keeps its status)."""
    if status == "closed":
        raise InvalidTransition("已办结的案件不能再签收")
    return "accepted" if status in ("received", "routed") else None


def check_transfer(status: str) -> None:
    if status == "closed":
        raise InvalidTransition("已办结的案件不能转办")


def check_satisfaction(satisfaction: Any) -> None:
    if isinstance(satisfaction, bool) or not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise InvalidInput("满意度须为 1 到 5 的整数")


def check_follow_up(status: str) -> None:
    if status not in FOLLOW_UP_STATUSES:
        raise InvalidTransition("案件尚未化解或转办，暂不能回访")


def stamp_for(status: str) -> str | None:
    """The timestamp column ``status`` sets when first reached, if any."""
    return STAMPS.get(status)
