"""Turning a ticket into what the console shows: times in the center's zone, 13710 deadline rows with
time left or overdue, the queue's urgency order, fact rows with their Chinese labels, bar charts, and
the masking staff (not administrators) get for phone and ID numbers typed into free-text facts.

Plain functions of ticket dicts (the store's JSON), so they are tested without a server.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.tickets.centers import STAGES
from bot.tickets.deadlines import as_utc, format_span, parse_iso, stage_done
from bot.tickets.labels import FACT_LABELS, STAGE_NAMES


def format_time(value: str | datetime | None, tz: Any, with_year: bool = False) -> str:
    moment = parse_iso(value) if isinstance(value, str) else value
    if moment is None:
        return ""
    return as_utc(moment).astimezone(tz).strftime("%Y-%m-%d %H:%M" if with_year else "%m-%d %H:%M")


def deadline_rows(ticket: Mapping[str, Any], now: datetime, tz: Any) -> list[dict[str, Any]]:
    """One row per stage: due time, done or time left / overdue."""
    rows = []
    late = set(ticket.get("overdue_stages") or ())
    for stage in STAGES:
        due = parse_iso(ticket["deadlines"].get(stage))
        if due is None:
            continue
        done = stage_done(stage, ticket["status"])
        delta = as_utc(due) - now
        if done:
            state, text = "done", "已完成"
        elif stage in late or delta.total_seconds() < 0:
            state, text = "late", "超时" + format_span(delta)
        elif delta <= timedelta(hours=24):
            state, text = "soon", "剩" + format_span(delta)
        else:
            state, text = "ok", "剩" + format_span(delta)
        rows.append(
            {
                "stage": stage,
                "name": STAGE_NAMES[stage],
                "due": format_time(due, tz),
                "due_at": as_utc(due),
                "state": state,
                "text": text,
            }
        )
    return rows


def next_deadline(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    pending = [r for r in rows if r["state"] != "done"]
    return pending[0] if pending else None


_RISK_RANK = {level: i for i, level in enumerate(("urgent", "elevated", "none"))}
_FAR = datetime.max.replace(tzinfo=timezone.utc)


def queue_order(item: Mapping[str, Any]) -> tuple[Any, ...]:
    """Most urgent first: risk, then overdue, then the nearest pending deadline, then oldest."""
    nxt = item["next"]
    return (
        _RISK_RANK.get(item["ticket"]["risk_level"], 3),
        0 if item["ticket"]["overdue"] else 1,
        nxt["due_at"] if nxt else _FAR,
        item["ticket"]["created_at"],
    )


def fact_rows(facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in facts.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, list | tuple):
            value = "、".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = "；".join(f"{k}：{v}" for k, v in value.items())
        rows.append((FACT_LABELS.get(key, key), str(value)))
    return rows


def bars(counts: Mapping[str, int], names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Rows of a horizontal bar chart, each ``pct`` of the largest count."""
    top = max(counts.values(), default=0) or 1
    return [
        {"label": (names or {}).get(k, k), "value": v, "pct": round(100 * v / top, 1)}
        for k, v in counts.items()
    ]
