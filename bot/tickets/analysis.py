"""Weekly and monthly analysis (研判): tickets by category and by town in a period against the period
before it, with the rising ones flagged by the profile's rule (``analysis: rising``), and the daily
counts of both periods for the trend chart.

Periods are calendar weeks (Monday to Sunday) or months in the center's time zone; storage hands
over the tickets' category, location and local filing date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.tickets.centers import AnalysisSettings
from bot.tickets.statistics import town_of

PERIODS = {"week": "周", "month": "月"}


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"


def period_of(kind: str, day: date) -> Period:
    """The week (Monday–Sunday) or month holding ``day``."""
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return Period("week", start, start + timedelta(days=6))
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period("month", start, following - timedelta(days=1))


def previous(period: Period) -> Period:
    return period_of(period.kind, period.start - timedelta(days=1))


@dataclass(frozen=True)
class AnalysisRow:
    category: str
    location: str | None
    day: date  # the filing date in the center's time zone


def rising(current: int, before: int, rule: AnalysisSettings) -> bool:
    """At least ``min_count`` now and up by ``min_increase`` on before (any rise from zero)."""
    if current < rule.min_count or current <= before:
        return False
    return before == 0 or (current - before) / before >= rule.min_increase


def _compare(
    now: Counter[str], before: Counter[str], rule: AnalysisSettings, names: Mapping[str, str]
) -> list[dict[str, Any]]:
    keys = sorted(set(now) | set(before), key=lambda k: (-now[k], -before[k], k))
    return [
        {
            "key": k,
            "name": names.get(k, k),
            "current": now[k],
            "previous": before[k],
            "change": now[k] - before[k],
            "change_pct": round((now[k] - before[k]) / before[k], 4) if before[k] else None,
            "rising": rising(now[k], before[k], rule),
        }
        for k in keys
    ]


def analyse(
    rows: Iterable[AnalysisRow],
    period: Period,
    rule: AnalysisSettings,
    category_names: Mapping[str, str],
    town: Callable[[str | None], str] = town_of,
) -> dict[str, Any]:
    """Counts of ``period`` and of the one before by category and town, with the rising flags, and
    the daily counts of both (day 1…n of each period, for the trend chart)."""
    before_period = previous(period)
    counts = {p: (Counter[str](), Counter[str]()) for p in ("current", "previous")}
    daily = {"current": [0] * period.days, "previous": [0] * before_period.days}
    for r in rows:
        which = (
            "current"
            if period.start <= r.day <= period.end
            else "previous"
            if before_period.start <= r.day <= before_period.end
            else None
        )
        if which is None:
            continue
        start = period.start if which == "current" else before_period.start
        counts[which][0][r.category] += 1
        counts[which][1][town(r.location)] += 1
        daily[which][(r.day - start).days] += 1
    categories = _compare(counts["current"][0], counts["previous"][0], rule, category_names)
    towns = _compare(counts["current"][1], counts["previous"][1], rule, {})
    total_now, total_before = sum(daily["current"]), sum(daily["previous"])
    return {
        "period": {
            "kind": period.kind,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "label": period.label,
        },
        "previous": {
            "from": before_period.start.isoformat(),
            "to": before_period.end.isoformat(),
            "label": before_period.label,
        },
        "total": {"current": total_now, "previous": total_before, "change": total_now - total_before},
        "by_category": categories,
        "by_town": towns,
        "rising_categories": [c["name"] for c in categories if c["rising"]],
        "rising_towns": [t["name"] for t in towns if t["rising"]],
        "daily": daily,
        "rule": {"min_count": rule.min_count, "min_increase": rule.min_increase},
    }
