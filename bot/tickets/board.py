"""The 红黄绿 board: each open ticket's colour from its risk level and the time left to its next 13710
deadline, by the center profile's ``board:`` colours (tested in order, the last takes the rest), and the
counts per colour overall and per 主办窗口.

Every colour carries a mark (▲ ◆ ●) and a name besides its hue, and each ticket the reason for its
colour in words, so the board reads the same without colour vision.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.tickets.centers import STAGES, ColourRule
from bot.tickets.deadlines import as_utc, format_span, stage_done
from bot.tickets.labels import RISK_NAMES, STAGE_NAMES


@dataclass(frozen=True)
class Placed:
    """A ticket's colour, the rule that gave it and why; ``stage`` and ``time_left`` of its next deadline."""

    colour: ColourRule
    reason: str
    stage: str | None
    time_left: timedelta | None


def next_deadline(
    status: str, due: Mapping[str, datetime | None]
) -> tuple[str, datetime] | tuple[None, None]:
    """The first 13710 stage not completed at ``status`` that has a deadline, with that deadline."""
    for stage in STAGES:
        at = due.get(stage)
        if at is not None and not stage_done(stage, status):
            return stage, as_utc(at)
    return None, None


def span(delta: timedelta) -> str:
    """``2天3小时`` / ``5小时`` / ``40分`` (of the absolute value; the board rounds to the hour)."""
    return format_span(delta, with_minutes=False)


def place(
    risk_level: str,
    status: str,
    due: Mapping[str, datetime | None],
    now: datetime,
    colours: Sequence[ColourRule],
) -> Placed:
    """The first colour whose risk levels include ``risk_level`` or whose ``time_left_below`` the
    time left to the next deadline is under; the last colour otherwise."""
    stage, at = next_deadline(status, due)
    left = at - as_utc(now) if at is not None else None
    when = ""
    if stage is not None and left is not None:
        verb = f"已超时{span(left)}" if left < timedelta(0) else f"剩{span(left)}"
        when = f"{STAGE_NAMES[stage]}{verb}"
    for colour in colours[:-1]:
        if risk_level in colour.risk:
            reason = f"风险等级：{RISK_NAMES.get(risk_level, risk_level)}"
            return Placed(colour, reason + (f"；{when}" if when else ""), stage, left)
        if colour.time_left_below is not None and left is not None and left < colour.time_left_below:
            return Placed(colour, when, stage, left)
    return Placed(colours[-1], when or "无待办时限", stage, left)


@dataclass(frozen=True)
class BoardTicket:
    code: str
    window: str
    risk_level: str
    status: str
    due: Mapping[str, datetime | None]
    category: str = ""
    mediator_id: str | None = None


def summarise_board(
    tickets: Iterable[BoardTicket], now: datetime, colours: Sequence[ColourRule]
) -> dict[str, Any]:
    """Counts per colour (``counts``) and per window (``by_window``: window → colour → count), and the
    tickets with their colour, most pressing first (colour order, then least time left)."""
    order = {c.code: i for i, c in enumerate(colours)}
    counts: Counter[str] = Counter()
    by_window: defaultdict[str, Counter[str]] = defaultdict(Counter)
    placed = []
    for t in tickets:
        p = place(t.risk_level, t.status, t.due, now, colours)
        counts[p.colour.code] += 1
        by_window[t.window][p.colour.code] += 1
        placed.append((t, p))
    far = timedelta.max
    placed.sort(
        key=lambda tp: (order[tp[1].colour.code], tp[1].time_left if tp[1].time_left is not None else far)
    )
    return {
        "colours": [
            {"code": c.code, "name": c.name, "mark": c.mark, "handler": c.handler, "count": counts[c.code]}
            for c in colours
        ],
        "total": sum(counts.values()),
        "by_window": {
            w: {c.code: n[c.code] for c in colours}
            for w, n in sorted(by_window.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        },
        "tickets": [
            {
                "code": t.code,
                "window": t.window,
                "category": t.category,
                "mediator_id": t.mediator_id,
                "risk_level": t.risk_level,
                "status": t.status,
                "colour": p.colour.code,
                "reason": p.reason,
                "next_stage": p.stage,
                "hours_left": round(p.time_left.total_seconds() / 3600, 1)
                if p.time_left is not None
                else None,
            }
            for t, p in placed
        ],
    }
