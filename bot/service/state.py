"""What the intake service keeps on its ``web.Application``: the keys every part of it reads.

Its own module so the app factory, the API views, the public pages, the console and the widget can all
reach the ticket store and the deliverers without importing the app factory (``app`` imports them).
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.service.limits import RateLimiter
from bot.storage.store import TicketStore

STORE = web.AppKey("store", TicketStore)
STAFF_TOKEN = web.AppKey("staff_token", str)
LIMITER = web.AppKey("limiter", RateLimiter)
DELIVERER = web.AppKey("deliverer", Any)
DELIVERY_TASK: web.AppKey[asyncio.Task[None]] = web.AppKey("delivery_task")
CHANNEL_DELIVERERS = web.AppKey("channel_deliverers", list)  # bot.service.channels.ChannelDeliverer
CHANNEL_TASKS = web.AppKey("channel_tasks", list)
# Request key: the StaffIdentity the bearer token of an /api/ request belongs to (set by the auth middleware).
IDENTITY = "identity"
