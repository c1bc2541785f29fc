"""The ``supervision:`` (督办) and ``calendar:`` (holidays) sections of a center profile, validated like
the rest: every error names the file and line. Both sections are optional; without them a center gets
督办 at 80 % of a limit, a look every 5 minutes, urgent re-alerts after 30 minutes, and the State
Council's holidays from ``chinese-calendar``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from bot.tickets.centers import SupervisionSettings
from bot.tickets.workdays import WorkCalendar

Err = Callable[[tuple[str | int, ...], str], None]
Duration = Callable[[Any], timedelta]
SUPERVISION_KEYS = ("near_at", "interval", "urgent_unsigned_after", "urgent_realert_every", "notify", "leads")
CALENDAR_KEYS = ("use_package", "holidays", "workdays")
NOTIFY_ROLES = ("window_lead", "admin", "duty_officer")


def build_supervision(
    raw: Any, windows: Mapping[str, Any], err: Err, duration: Duration
) -> SupervisionSettings:
    """``SupervisionSettings`` from the section's raw data (``duration`` parses "30m" / "4h" / days)."""
    base = ("supervision",)
    defaults = SupervisionSettings()
    if raw is None:
        return defaults
    if not isinstance(raw, dict):
        err(base, "section 'supervision' must be a mapping")
        return defaults
    for key in raw:
        if key not in SUPERVISION_KEYS:
            err(base + (key,), f"supervision: unknown key '{key}' (use {', '.join(SUPERVISION_KEYS)})")
    near = raw.get("near_at", defaults.near_at)
    if isinstance(near, str) and near.strip().endswith("%"):
        with contextlib.suppress(ValueError):
            near = float(near.strip()[:-1]) / 100
    if isinstance(near, bool) or not isinstance(near, (int, float)) or not 0 < near < 1:
        err(
            base + ("near_at",),
            "supervision: near_at must be a share of the limit between 0 and 1, e.g. 0.8 or '80%'",
        )
        near = defaults.near_at
    times: dict[str, timedelta] = {}
    for key in ("interval", "urgent_unsigned_after", "urgent_realert_every"):
        if key not in raw:
            continue
        try:
            value = duration(raw[key])
        except ValueError as exc:
            err(base + (key,), f"supervision: {exc}")
            continue
        if value <= timedelta(0):
            err(base + (key,), f"supervision: {key} must be longer than zero")
            continue
        times[key] = value
    notify = raw.get("notify", list(defaults.notify))
    if not isinstance(notify, list) or any(r not in NOTIFY_ROLES for r in notify):
        err(base + ("notify",), f"supervision: notify must list some of {', '.join(NOTIFY_ROLES)}")
        notify = list(defaults.notify)
    leads_raw = raw.get("leads") or {}
    leads: dict[str, str] = {}
    if not isinstance(leads_raw, dict):
        err(base + ("leads",), "supervision: leads must map a window code to the lead's name")
        leads_raw = {}
    for window, name in leads_raw.items():
        if window not in windows:
            err(base + ("leads", window), f"supervision: leads names unknown window '{window}'")
        elif not isinstance(name, str) or not name.strip():
            err(base + ("leads", window), f"supervision: the lead of '{window}' needs a name")
        else:
            leads[str(window)] = name.strip()
    return SupervisionSettings(
        near_at=float(near),
        interval=times.get("interval", defaults.interval),
        urgent_unsigned_after=times.get("urgent_unsigned_after", defaults.urgent_unsigned_after),
        urgent_realert_every=times.get("urgent_realert_every", defaults.urgent_realert_every),
        notify=tuple(str(r) for r in notify),
        leads=leads,
    )


def build_calendar(raw: Any, err: Err) -> WorkCalendar:
    """``WorkCalendar`` from the section: ``holidays`` and ``workdays`` lists of dates (2027-02-08)
    override the package; ``use_package: false`` uses only them and the weekends."""
    base = ("calendar",)
    if raw is None:
        return WorkCalendar()
    if not isinstance(raw, dict):
        err(base, "section 'calendar' must be a mapping with holidays and workdays")
        return WorkCalendar()
    for key in raw:
        if key not in CALENDAR_KEYS:
            err(base + (key,), f"calendar: unknown key '{key}' (use {', '.join(CALENDAR_KEYS)})")
    use_package = raw.get("use_package", True)
    if not isinstance(use_package, bool):
        err(base + ("use_package",), "calendar: use_package must be true or false")
        use_package = True
    days: dict[str, frozenset[date]] = {}
    for key in ("holidays", "workdays"):
        items = raw.get(key) or []
        if not isinstance(items, list):
            err(base + (key,), f"calendar: {key} must be a list of dates like 2027-02-08")
            items = []
        found = set()
        for i, item in enumerate(items):
            if isinstance(item, date):
                found.add(item)
                continue
            try:
                found.add(date.fromisoformat(str(item)))
            except ValueError:
                err(base + (key, i), f"calendar: '{item}' in {key} is not a date like 2027-02-08")
        days[key] = frozenset(found)
    both = days["holidays"] & days["workdays"]
    if both:
        err(base, "calendar: listed both as holiday and as workday: " + ", ".join(map(str, sorted(both))))
    return WorkCalendar(holidays=days["holidays"], workdays=days["workdays"], use_package=use_package)
