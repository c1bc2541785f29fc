"""The ``handoff:`` section of a center profile (live 转人工), validated like the rest: every error names
the file and line. A profile without it gets the defaults (周一至周五 9:00-12:00 13:30-17:30, 5 minutes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any

from bot.tickets.staffing import DEFAULT_TEXTS, HandoffSettings, Period

Err = Callable[[tuple[str | int, ...], str], None]
KNOWN_KEYS = ("weekdays", "periods", "closed_dates", "wait_minutes", "after_misunderstood", "texts")
_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _period(raw: Any) -> Period | None:
    match = _PERIOD.match(str(raw).strip())
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2, m2) <= (h1, m1):
        return None
    end = time(23, 59, 59) if h2 == 24 else time(h2, m2)
    return Period(time(h1, m1), end)


def build_handoff(raw: Any, err: Err) -> HandoffSettings:
    base: tuple[str | int, ...] = ("handoff",)
    defaults = HandoffSettings()
    if raw is None:
        return defaults
    if not isinstance(raw, dict):
        err(base, "section 'handoff' must be a mapping")
        return defaults
    for key in raw:
        if key not in KNOWN_KEYS:
            err(base + (key,), f"handoff: unknown key '{key}' (use {', '.join(KNOWN_KEYS)})")
    weekdays = raw.get("weekdays", list(defaults.weekdays))
    if not isinstance(weekdays, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in weekdays
    ):
        err(base + ("weekdays",), "handoff: weekdays must be a list of 1 (Monday) … 7 (Sunday)")
        weekdays = list(defaults.weekdays)
    periods: list[Period] = []
    for i, value in enumerate(raw.get("periods") or []):
        found = _period(value)
        if found is None:
            err(base + ("periods", i), f"handoff: period '{value}' must look like 09:00-12:00")
        else:
            periods.append(found)
    closed: set[date] = set()
    for i, value in enumerate(raw.get("closed_dates") or []):
        try:
            closed.add(value if isinstance(value, date) else date.fromisoformat(str(value)))
        except ValueError:
            err(base + ("closed_dates", i), f"handoff: '{value}' is not a date like 2026-10-01")
    wait = raw.get("wait_minutes", defaults.wait_minutes)
    if isinstance(wait, bool) or not isinstance(wait, int) or not 1 <= wait <= 240:
        err(base + ("wait_minutes",), "handoff: wait_minutes must be a whole number of minutes, 1–240")
        wait = defaults.wait_minutes
    after = raw.get("after_misunderstood", defaults.after_misunderstood)
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= 20:
        err(base + ("after_misunderstood",), "handoff: after_misunderstood must be 0 (never) … 20")
        after = defaults.after_misunderstood
    texts = raw.get("texts") or {}
    if not isinstance(texts, dict):
        err(base + ("texts",), "handoff: texts must map a key to a text")
        texts = {}
    for key in texts:
        if key not in DEFAULT_TEXTS:
            err(base + ("texts", key), f"handoff: unknown text '{key}' (use {', '.join(DEFAULT_TEXTS)})")
    return HandoffSettings(
        weekdays=tuple(weekdays),
        periods=tuple(periods) if "periods" in raw else defaults.periods,
        closed_dates=frozenset(closed),
        wait_minutes=wait,
        after_misunderstood=after,
        texts={**DEFAULT_TEXTS, **{str(k): str(v) for k, v in texts.items()}},
    )
