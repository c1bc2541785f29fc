"""The rates page (``/console/rates``): 响应率, 按时联系率, 办结率, 按时办结率, 化解率, 满意率, 督办 and
repeat complaints per 主办窗口, mediator or town over a date range (default: this month), with the
numerator and denominator of every rate (``bot/tickets/rates.yml``) shown under the table.

Scoped like the queue: administrators see every unit; window staff their own windows; mediators
their own cases.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from aiohttp import web

from bot.service.console.auth import ConsoleUser, staff_page
from bot.service.console.pages import USER, date_param, render, store_of
from bot.tickets.rates import GROUPING_NAMES, GROUPINGS, UnitScope, definitions


def scope_of(user: ConsoleUser) -> UnitScope:
    """Administrators: every unit; window staff: tickets of their windows (主办); mediators: their own."""
    if user.is_admin:
        return UnitScope()
    if user.role == "mediator":
        return UnitScope(mediators=user.people())
    if user.role == "grid_worker":  # a grid worker follows the tickets they filed, not a unit's figures
        raise web.HTTPForbidden(text="网格员不查看考核指标")
    return UnitScope(windows=tuple(user.windows))


def date_range(query: Any, today: date) -> tuple[date, date]:
    """``from``/``to`` of the query (ISO dates), this month so far when missing or invalid."""
    start = date_param(query.get("from")) or today.replace(day=1)
    end = date_param(query.get("to")) or today
    return (start, end) if start <= end else (end, start)


def percent(figure: dict[str, Any]) -> str:
    """``66.7%（2/3）``, or ``—（0/0）`` when nothing counts."""
    value = figure["value"]
    shown = f"{value * 100:.1f}%" if value is not None else "—"
    return f"{shown}（{figure['numerator']}/{figure['denominator']}）"


@staff_page
async def rates_page(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    store = store_of(request)
    by = request.query.get("by", "window")
    by = by if by in GROUPINGS else "window"
    date_from, date_to = date_range(request.query, store.today())
    result = await asyncio.to_thread(store.rates, by, scope_of(user), date_from, date_to)
    defs = definitions()
    return render(
        request,
        "rates.html",
        result=result,
        by=by,
        groupings=[(g, GROUPING_NAMES[g]) for g in GROUPINGS],
        date_from=date_from.isoformat(),
        date_to=date_to.isoformat(),
        definitions=defs.rates,
        counts=defs.counts,
        percent=percent,
    )
