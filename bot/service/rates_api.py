"""``GET /api/stats/rates`` (rates per 主办窗口, mediator or town over a date range, default this month)
and ``GET /api/stats/board`` (the 红黄绿 board) for the center's own systems; bearer token like the
rest of ``/api/``. Administrators see every unit; other tokens the tickets of their windows."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.service.api import identity_of, parse_date
from bot.service.responses import json_error, ok
from bot.service.state import STORE
from bot.storage.store import InvalidInput, StaffIdentity
from bot.tickets.rates import GROUPINGS, UnitScope


def scope_of(identity: StaffIdentity) -> UnitScope:
    if identity.is_grid_worker:  # a grid worker follows the tickets they filed, not a unit's figures
        raise json_error(web.HTTPForbidden, "forbidden", "网格员不查看考核指标")
    windows = identity.scope()
    return UnitScope() if windows is None else UnitScope(windows=tuple(windows))


async def rates(request: web.Request) -> web.Response:
    q = request.query
    by = q.get("by") or "window"
    if by not in GROUPINGS:
        raise InvalidInput("参数 by 须为 window（窗口）、mediator（调解员）或 town（乡镇）")
    store = request.app[STORE]
    today = store.today()
    date_from = parse_date(q.get("from"), "from") or today.replace(day=1)
    date_to = parse_date(q.get("to"), "to") or today
    if date_from > date_to:
        raise InvalidInput("参数 from 不能晚于 to")
    result = await asyncio.to_thread(store.rates, by, scope_of(identity_of(request)), date_from, date_to)
    return ok(result)


async def board(request: web.Request) -> web.Response:
    return ok(await asyncio.to_thread(request.app[STORE].board, scope_of(identity_of(request))))


def setup_rates_api(app: web.Application) -> None:
    app.router.add_get("/api/stats/rates", rates)
    app.router.add_get("/api/stats/board", board)
