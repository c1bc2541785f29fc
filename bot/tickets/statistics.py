"""The center's statistics computed from plain ticket rows: counts by category, town, channel, status,
risk, window and ISO week, overdue tickets, average hours to accept and to close, satisfaction.

Storage selects the columns (and evaluates "overdue" in SQL); what counts as a town or a week and how
the figures are summarised is decided here, without a database.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import tzinfo
from typing import Any

from bot.tickets.deadlines import as_utc

_TOWN = re.compile(r"([\u4e00-\u9fa5]{1,10}?(?:街道|镇|乡))")
_PROVINCE = re.compile(r"^[\u4e00-\u9fa5]{1,8}?(?:省|自治区)")
_CITY = re.compile(r"^[\u4e00-\u9fa5]{1,8}?市(?=.*(?:街道|镇|乡))")


def town_of(location: str | None) -> str:
    """The 乡镇/街道 part of a location for statistics, else the location itself."""
    if not location:
        return "未填写"
    local = _CITY.sub("", _PROVINCE.sub("", location))  # "山西省太原市小店区坞城街道" → "小店区坞城街道"
    match = _TOWN.search(local)
    return match.group(1) if match else location[:20]


def _avg(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


SATISFIED_FROM = 4  # 满意率: the share of ratings of 4 (满意) or 5 (很满意)


def satisfaction_rate(scores: list[int]) -> dict[str, Any]:
    """满意率 of some ratings: how many, how many satisfied (4-5), the rate (None without ratings), the
    average."""
    satisfied = sum(1 for s in scores if s >= SATISFIED_FROM)
    return {
        "count": len(scores),
        "satisfied": satisfied,
        "rate": round(satisfied / len(scores), 4) if scores else None,
        "average": _avg([float(s) for s in scores]),
    }


def summarise(rows: Iterable[Any], tz: tzinfo) -> dict[str, Any]:
    """The statistics of ``rows``: objects with ``category, location, channel, status, risk_level,
    created_at, accepted_at, closed_at, satisfaction, window, overdue`` and optionally ``citizen_rating``
    (the citizen's own, counted apart from the staff 回访 ``satisfaction``); weeks in the center's ``tz``."""
    by: dict[str, Counter[str]] = {
        k: Counter() for k in ("category", "town", "channel", "status", "risk_level", "window", "week")
    }
    accept_hours, close_hours, scores, citizen = [], [], [], []
    overdue = total = 0
    for r in rows:
        total += 1
        by["category"][r.category] += 1
        by["town"][town_of(r.location)] += 1
        by["channel"][r.channel] += 1
        by["status"][r.status] += 1
        by["risk_level"][r.risk_level] += 1
        by["window"][r.window] += 1
        year, week, _ = as_utc(r.created_at).astimezone(tz).isocalendar()
        by["week"][f"{year}-W{week:02d}"] += 1
        overdue += bool(r.overdue)
        if r.accepted_at:
            accept_hours.append((as_utc(r.accepted_at) - as_utc(r.created_at)).total_seconds() / 3600)
        if r.closed_at:
            close_hours.append((as_utc(r.closed_at) - as_utc(r.created_at)).total_seconds() / 3600)
        if r.satisfaction:
            scores.append(r.satisfaction)
        if getattr(r, "citizen_rating", None):
            citizen.append(r.citizen_rating)
    return {
        "total": total,
        "by_category": dict(by["category"].most_common()),
        "by_town": dict(by["town"].most_common()),
        "by_channel": dict(by["channel"].most_common()),
        "by_status": dict(by["status"].most_common()),
        "by_risk": dict(by["risk_level"].most_common()),
        "by_window": dict(by["window"].most_common()),
        "overdue": overdue,
        "avg_hours_to_accept": _avg(accept_hours),
        "avg_hours_to_close": _avg(close_hours),
        "satisfaction": {"average": _avg(scores), "count": len(scores)},
        "by_satisfaction": {str(k): v for k, v in sorted(Counter(scores).items())},
        # 满意率 by who rated: the citizens themselves (after 办结) and staff at the 回访
        "satisfaction_rate": {"citizen": satisfaction_rate(citizen), "staff": satisfaction_rate(scores)},
        "by_citizen_rating": {str(k): v for k, v in sorted(Counter(citizen).items())},
        "by_week": dict(sorted(by["week"].items())),
    }
