"""Time limits ("13710": sign 1 day, contact 3, report 7, close 10) and overdue detection (超时预警).

Limits come from the profile (default, per-tier overrides, tighter limits for urgent risk) and are
counted from ``created_at`` in calendar time, or in working days when the profile says
``time_limits.count: working_days`` (the center's holiday calendar, ``workdays.py``). A stage is overdue when its deadline has passed and the
ticket has not reached the status that completes it; it is "due soon" within ``warn_before``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from bot.tickets.centers import STAGES, CenterProfile
from bot.tickets.labels import STAGE_NAMES
from bot.tickets.workdays import add_working_days

STATUS_ORDER = (
    "received",
    "awaiting_staff",
    "routed",
    "accepted",
    "in_mediation",
    "resolved",
    "referred",
    "closed",
)
# the first status that completes each stage
STAGE_DONE_AT = {"sign": "accepted", "contact": "in_mediation", "report": "resolved", "close": "closed"}
_RANK = {s: i for i, s in enumerate(STATUS_ORDER)}
_RANK["referred"] = _RANK["resolved"]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """Aware UTC datetime (SQLite hands back naive values that we always store in UTC)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def compute_deadlines(
    created_at: datetime, tier: str, risk_level: str, profile: CenterProfile
) -> dict[str, datetime]:
    limits = profile.time_limits.for_ticket(tier, risk_level)
    start = as_utc(created_at)
    if profile.time_limits.count == "working_days":
        tz = center_zone(profile.timezone)
        return {s: add_working_days(start, limits[s], tz, profile.calendar) for s in STAGES}
    return {stage: start + limits[stage] for stage in STAGES}


def center_zone(name: str) -> tzinfo:
    """The center's time zone (UTC+8 when the profile names an unknown one)."""
    try:
        return ZoneInfo(name)
    except Exception:
        return timezone(timedelta(hours=8))


def iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat(timespec="seconds") if value else None


def deadlines_json(deadlines: Mapping[str, datetime | None]) -> dict[str, str | None]:
    """``{"sign": "2026-11-24T09:00:00+00:00", ...}``: the ticket JSON form."""
    return {stage: iso(deadlines.get(stage)) for stage in STAGES}


def stage_done(stage: str, status: str) -> bool:
    return _RANK.get(status, 0) >= _RANK[STAGE_DONE_AT[stage]]


def overdue_stages(
    status: str, deadlines: Mapping[str, datetime | None], now: datetime | None = None
) -> list[str]:
    """Stages whose deadline has passed without the ticket reaching them."""
    now = as_utc(now or utcnow())
    return [
        s
        for s in STAGES
        if (due := deadlines.get(s)) is not None and not stage_done(s, status) and as_utc(due) < now
    ]


def due_soon_stages(
    status: str, deadlines: Mapping[str, datetime | None], warn_before: timedelta, now: datetime | None = None
) -> list[str]:
    now = as_utc(now or utcnow())
    return [
        s
        for s in STAGES
        if (due := deadlines.get(s)) is not None
        and not stage_done(s, status)
        and now <= as_utc(due) <= now + warn_before
    ]


def overdue_warning(
    status: str, deadlines: Mapping[str, datetime | None], warn_before: timedelta, now: datetime | None = None
) -> str | None:
    """A short Chinese warning for staff, or None when nothing is late or close to late."""
    late = overdue_stages(status, deadlines, now)
    if late:
        return "已超时：" + "、".join(STAGE_NAMES[s] for s in late)
    soon = due_soon_stages(status, deadlines, warn_before, now)
    if soon:
        return "即将超时：" + "、".join(STAGE_NAMES[s] for s in soon)
    return None


def parse_iso(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def format_span(delta: timedelta, *, with_minutes: bool = True) -> str:
    """A length of time for staff, of its absolute value: ``2天3小时`` / ``5小时12分`` / ``8分``
    (``with_minutes=False``: ``5小时`` once it is hours)."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分" if mins and with_minutes else f"{hours}小时"
    return f"{mins}分"
