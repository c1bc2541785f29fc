"""The 红黄绿 board (``/console/board``): every open ticket coloured by its risk level and the time left
to its next 13710 deadline (the profile's ``board:`` colours), the counts per colour and per 主办窗口,
and who handles each colour. Each colour shows its mark and name as text, not only its hue.

Scoped like the rates page (``rates.scope_of``).
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.service.console.auth import ConsoleUser, staff_page
from bot.service.console.pages import USER, render, store_of
from bot.service.console.rates import scope_of
from bot.taxonomy import categories
from bot.tickets.labels import RISK_NAMES, STATUS_NAMES


@staff_page
async def board_page(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    store = store_of(request)
    board = await asyncio.to_thread(store.board, scope_of(user))
    profile = store.profile
    return render(
        request,
        "board.html",
        board=board,
        colours={c["code"]: c for c in board["colours"]},
        window_names={c: w.name for c, w in profile.windows.items()},
        mediator_names={m.id: m.name for m in profile.mediators},
        category_names={c: cat.name for c, cat in categories().items()},
        risk_names=RISK_NAMES,
        status_names=STATUS_NAMES,
    )
