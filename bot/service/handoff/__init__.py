"""Live 转人工 (issue 20): staff answer a citizen in the chat through Rasa's own mechanisms.

- ``rasa``: Rasa's HTTP API (tracker, events, actions) with ``RASA_URL`` / ``RASA_TOKEN``;
- ``relay``: take, write, hand back, end, and the timer that gives up on untaken hand-offs;
- ``views``: the staff API ``/api/handoffs…`` and the widget's poll ``POST /widget/handoff``;
- ``console``: the console's 等待人工 pages.

The list itself is the ``handoffs`` table (``bot.storage.handoffs``); the action server adds to it
(``actions/handoff.py``).
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.service.handoff import console, views
from bot.service.limits import rate_limiter
from bot.service.tasks import run_with_app

EXPIRY_TASK: web.AppKey[asyncio.Task[None]] = web.AppKey("handoff_expiry_task")
EXPIRY_INTERVAL = 15.0  # seconds between looks for hand-offs nobody took in time


def setup_handoffs(
    app: web.Application, *, expiry_interval: float | None = None, default_on: bool = True
) -> None:
    """Routes of the API, the widget's poll and the console pages; the expiry timer when
    ``expiry_interval`` is given (or by default when ``default_on``: the service delivers its outbox)."""
    # the widget polls every 2.5 s while handed off; in Redis with REDIS_URL (every instance counts)
    app[views.POLL_LIMITER] = rate_limiter(60, 60.0, name="handoff-poll")
    app[views.POLL_IP_LIMITER] = rate_limiter(1200, 60.0, name="handoff-poll-ip")
    r = app.router
    r.add_get("/api/handoffs", views.list_handoffs)
    r.add_post("/api/handoffs/{sender_id}/take", views.take)
    r.add_post("/api/handoffs/{sender_id}/messages", views.send)
    r.add_post("/api/handoffs/{sender_id}/release", views.release)
    r.add_post("/api/handoffs/{sender_id}/close", views.close)
    r.add_post("/widget/handoff", views.widget_poll)
    console.setup(app)
    interval = expiry_interval if expiry_interval is not None else (EXPIRY_INTERVAL if default_on else None)
    if interval is None:
        return
    run_with_app(app, EXPIRY_TASK, lambda app: views.relay_of(app).run_expiry(interval))
