"""One ``redis.asyncio`` client (one connection pool) per Redis URL and event loop, shared by the
channels' rate limits, option memories and reply memories: nothing blocks the event loop, and a
worker opens one pool, not one per memory. Created on first use in the running loop (a pool's
connections belong to the loop they were opened in)."""

from __future__ import annotations

import asyncio
from typing import Any

from redis import asyncio as aioredis

TIMEOUT = 2.0  # seconds for connecting and for each command
_CLIENTS: dict[tuple[str, int], tuple[asyncio.AbstractEventLoop, Any]] = {}


def client(url: str) -> Any:
    """This event loop's client for ``url``."""
    loop = asyncio.get_running_loop()
    key = (url, id(loop))
    kept = _CLIENTS.get(key)
    if kept is None or kept[0] is not loop:
        for stale in [k for k, (old, _) in _CLIENTS.items() if old.is_closed()]:
            del _CLIENTS[stale]
        redis = aioredis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
        kept = _CLIENTS[key] = (loop, redis)
    return kept[1]
