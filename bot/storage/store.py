"""The ticket store: one object for everything the product persists about tickets and staff.

``TicketStore`` composes one class per concern over a shared ``Database`` (engine, sessions,
migrations; ``bot.storage.db``): reading tickets (``reading``), filing (``filing``), the staff
workflow (``workflow``), mediation outcomes, documents' data and 履约 reminders (``outcomes``),
the 督办 scheduler's passes (``supervision``, one leader: ``leader``), statistics and export rows
(``stats``), the citizen's rating and the widget's view (``ratings``; progress messages are queued
there too), rates per unit, the 红黄绿 board and 研判 (``rates``), tokens, accounts and sessions
(``accounts``, passwords in ``passwords``), the outbox and retention purge (``maintenance``), and
the live hand-offs' list (``handoffs``).
This module keeps the public names callers import from ``bot.storage.store``.

All methods are synchronous; the aiohttp service and the actions call them in a worker thread.
"""

from __future__ import annotations

from bot.storage.accounts import Accounts
from bot.storage.db import ALEMBIC_INI, default_database_url
from bot.storage.filing import TicketFiling
from bot.storage.handoffs import Handoffs
from bot.storage.maintenance import Maintenance
from bot.storage.outcomes import TicketOutcomes
from bot.storage.passwords import hash_password, verify_password
from bot.storage.rates import TicketRates
from bot.storage.ratings import TicketRatings
from bot.storage.stats import TicketStatistics
from bot.storage.supervision import TicketSupervision
from bot.storage.workflow import TicketWorkflow
from bot.tickets.records import (
    CONTRACT_FACTS,
    OPEN_STATUSES,
    ROLES,
    SECRET_FACTS,
    STATUS_NAMES,
    STATUSES,
    TRANSITIONS,
    IntakeRecord,
    InvalidInput,
    InvalidTransition,
    ListFilters,
    StaffIdentity,
    StorageUnavailable,
    TicketError,
    TicketNotFound,
)
from bot.tickets.statistics import town_of

__all__ = [
    "ALEMBIC_INI",
    "CONTRACT_FACTS",
    "OPEN_STATUSES",
    "ROLES",
    "SECRET_FACTS",
    "STATUSES",
    "STATUS_NAMES",
    "TRANSITIONS",
    "IntakeRecord",
    "InvalidInput",
    "InvalidTransition",
    "ListFilters",
    "StaffIdentity",
    "StorageUnavailable",
    "TicketError",
    "TicketNotFound",
    "TicketStore",
    "default_database_url",
    "hash_password",
    "town_of",
    "verify_password",
]


class TicketStore(
    TicketOutcomes,
    TicketFiling,
    TicketSupervision,
    TicketWorkflow,
    TicketRatings,
    TicketStatistics,
    TicketRates,
    Accounts,
    Maintenance,
    Handoffs,
):
    """Ticket persistence. ``TicketStore()`` uses ``DATABASE_URL`` and the ``CENTER_PROFILE`` profile."""
