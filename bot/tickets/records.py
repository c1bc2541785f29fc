"""What a ticket is, independent of where it is stored: statuses and their transitions, the facts of
the contract, the record the dialogue hands over, who is asking, and the errors staff see."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeGuard

from bot.tickets.deadlines import STATUS_ORDER
from bot.tickets.labels import STATUS_NAMES  # noqa: F401 - re-exported with the statuses

STATUSES = STATUS_ORDER
# allowed lifecycle transitions: received → routed → accepted (签收) → in_mediation → resolved|referred → closed
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("routed", "accepted", "referred"),
    "awaiting_staff": ("routed", "accepted", "referred"),  # the citizen asked for a person (转人工)
    "routed": ("accepted", "referred"),
    "accepted": ("in_mediation", "resolved", "referred"),
    "in_mediation": ("resolved", "referred"),
    "resolved": ("closed",),
    "referred": ("closed",),
    "closed": (),
}
OPEN_STATUSES = ("received", "awaiting_staff", "routed", "accepted", "in_mediation")
ROLES = ("admin", "window_staff", "mediator", "grid_worker")
# Roles that file for a citizen in person (代填), and the channel their filings carry.
FILING_CHANNELS = {"grid_worker": "grid", "window_staff": "walk_in", "admin": "walk_in"}
CONTRACT_FACTS = (
    "applicant_name",
    "phone",
    "amount_yuan",
    "headcount",
    "counterparty",
    "location",
    "period",
    "evidence",
    "demand",
    "tried_before",
)
SECRET_FACTS = ("phone", "id_number")


def number_of(value: Any, kind: type) -> Any:
    """A typed or spoken-then-normalised number ("35,000", "3.5") as ``kind`` (int or float; a whole
    float becomes an int); None for an empty value, a bool or text that is not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", "").replace("，", ""))
    except ValueError:
        return None
    if kind is int:
        return int(number)
    return int(number) if number.is_integer() else number


def normalise_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The contract facts first (missing ones as None), then any extras; amount and headcount as numbers."""
    normalised = {k: facts.get(k) for k in CONTRACT_FACTS}
    normalised.update({k: v for k, v in facts.items() if k not in normalised})
    normalised["amount_yuan"] = number_of(normalised.get("amount_yuan"), float)
    normalised["headcount"] = number_of(normalised.get("headcount"), int)
    return normalised


def storable_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts kept in clear: without the secret ones (stored encrypted), as plain JSON values
    (extractors may hand over dates or decimals)."""
    clear = {k: v for k, v in facts.items() if k not in SECRET_FACTS}
    stored: dict[str, Any] = json.loads(json.dumps(clear, ensure_ascii=False, default=str))
    return stored


class TicketError(Exception):
    """Base class; ``message`` is a short Chinese explanation for staff."""

    code = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TicketNotFound(TicketError, LookupError):
    code = "not_found"


class InvalidTransition(TicketError, ValueError):
    code = "invalid_transition"


class InvalidInput(TicketError, ValueError):
    code = "invalid_input"


class StorageUnavailable(RuntimeError):
    """The ticket database cannot be reached (down, restarting, network): nothing was stored; the
    caller may tell the citizen and retry later with the same idempotency key."""

    code = "storage_unavailable"
    message = "登记系统暂时无法连接，请稍后再试"


# Channels the bot itself files from; only their tickets point at a conversation in the tracker.
# The web widget's conversation ids: the only key to a citizen's own chat, checked wherever a citizen
# names one (REST channel, updates, ratings, uploads, the hand-off poll).
WIDGET_ID = re.compile(r"w-[0-9a-f]{32}")


def is_widget_id(sender: object) -> TypeGuard[str]:
    return isinstance(sender, str) and WIDGET_ID.fullmatch(sender) is not None


BOT_CHANNELS = ("rest", "hotline", "wechat", "socketio", "web", "kiosk")
BOT_ACTOR = "intake-bot"
# The public status check: failed attempts per case code before it is locked, and for how long.
STATUS_MAX_FAILURES = 5
STATUS_LOCK_MINUTES = 30


@dataclass
class IntakeRecord:
    """What the dialogue collected; ``facts`` holds the contract facts plus any category extras."""

    sender_id: str
    channel: str
    category: str
    risk_level: str
    facts: dict[str, Any]
    summary: str
    status: str = "received"
    transcript: Any = None
    risk_reasons: Sequence[str] = ()
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Filer:
    """Staff filing for a citizen (代填 or the API): ``id`` is ``user:<id>`` / ``token:<id>`` (a grid
    worker sees the tickets filed under it), ``consent_method`` how the citizen agreed (口头 …)."""

    id: str
    name: str
    role: str
    area: str | None = None
    consent_method: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "area": self.area,
            "consent_method": self.consent_method,
        }


@dataclass(frozen=True)
class StaffIdentity:
    name: str
    role: str
    windows: tuple[str, ...] = ()
    token_id: int | None = None
    area: str | None = None  # a grid worker's town or grid

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_grid_worker(self) -> bool:
        """Grid workers see only the tickets they filed themselves (``filed_by``), no window's."""
        return self.role == "grid_worker"

    def filed_by(self) -> tuple[str, ...] | None:
        """The filers whose tickets this identity is limited to (a grid worker: itself); None: not
        limited by filer."""
        return (self.actor_id,) if self.is_grid_worker else None

    @property
    def actor_id(self) -> str:
        """Who acts, by id (not display name): ``token:<id>``, or ``admin`` for the service token."""
        return f"token:{self.token_id}" if self.token_id is not None else "admin"

    def scope(self) -> tuple[str, ...] | None:
        """Windows this identity may see; None means all (a grid worker: none, only ``filed_by``)."""
        return None if self.is_admin else self.windows


@dataclass
class ListFilters:
    sender_id: str | None = None
    window: str | None = None
    status: str | None = None
    risk: str | None = None
    category: str | None = None
    overdue: bool | None = None
    supervised: bool | None = None  # a 督办 was issued
    date_from: date | None = None
    date_to: date | None = None
    limit: int = 50
    offset: int = 0
    scope: Sequence[str] | None = field(default=None)  # restrict to these windows (staff permissions)
    # a mediator's tickets: routed to one of these mediator ids, or claimed by one of ``assignee_ids``
    # (``user:<id>``): matched by id, never by display name
    assigned_to: Sequence[str] | None = None
    assignee_ids: Sequence[str] = ()
    # a grid worker's tickets: filed by one of these (``user:<id>`` / ``token:<id>``)
    filed_by: Sequence[str] | None = None
    revisit: bool = False  # only tickets whose citizen rated 1-2 and await a return visit (差评待回访)
