"""A sliding-window request counter per client key: in the process, or in Redis for every instance.

The public status check limits by IP (a code plus four phone digits must not be guessable by brute
force) and the console's login by IP and user name. With ``REDIS_URL`` the windows live in Redis, so
several instances behind a balancer count together (a guesser gains nothing from round-robin); without
it, or while Redis is unreachable, each process counts alone (never "let everything through").
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import secrets
import time
from collections import defaultdict, deque
from typing import Any

from aiohttp import web

from bot import clientaddr

log = logging.getLogger(__name__)

PREFIX = "intake:limit:"

# One sliding window in a sorted set: drop old hits, refuse when full, else record this one. Atomic, and
# timed by the server's clock so instances with skewed clocks agree.
_HIT = """
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 1
"""


def client_address(request: web.Request) -> str:
    """The client's address: the peer, or what a trusted balancer says in ``X-Forwarded-For``."""
    peer = request.remote or "unknown"
    return clientaddr.client_address(peer, request.headers.get("X-Forwarded-For"))


class RateLimiter:
    """At most ``max_requests`` per key within any ``window_seconds``, counted in this process."""

    def __init__(self, max_requests: int, window_seconds: float):
        self.max_requests = max_requests
        self.window = window_seconds
        self.hits: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        if len(self.hits) > 10_000:  # forget idle clients so the table cannot grow without bound
            for idle in [k for k, v in self.hits.items() if not v or v[-1] <= now - self.window]:
                del self.hits[idle]
        hits = self.hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.max_requests:
            return False
        hits.append(now)
        return True

    async def hit(self, key: str) -> bool:
        """Count one request of ``key``; whether it may pass."""
        return self.allow(key)


class RedisRateLimiter(RateLimiter):
    """The same window in Redis under ``intake:limit:<name>:<hash of key>``, shared by every
    instance; counts in the process while Redis is unreachable (and says so in the log)."""

    def __init__(self, max_requests: int, window_seconds: float, url: str, name: str) -> None:
        super().__init__(max_requests, window_seconds)
        self.url, self.name = url, name
        self._client: tuple[asyncio.AbstractEventLoop, Any] | None = None

    def _redis(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client[0] is not loop:
            from redis import asyncio as aioredis

            client = aioredis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
            self._client = (loop, client)
        return self._client[1]

    def key(self, key: str) -> str:
        return f"{PREFIX}{self.name}:{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}"

    async def hit(self, key: str) -> bool:
        window_ms = int(self.window * 1000)
        try:
            allowed = await self._redis().eval(
                _HIT, 1, self.key(key), window_ms, self.max_requests, secrets.token_hex(6)
            )
            return bool(allowed)
        except Exception as exc:  # noqa: BLE001 - any Redis failure: count here rather than fail open
            log.warning(
                "rate limit %s: Redis unreachable (%s), counting in this process",
                self.name,
                type(exc).__name__,
            )
            return self.allow(key)


def rate_limiter(
    max_requests: int, window_seconds: float, name: str, redis_url: str | None = None
) -> RateLimiter:
    """In Redis when ``redis_url`` (default ``REDIS_URL``) is set, else in this process."""
    url = os.environ.get("REDIS_URL", "") if redis_url is None else redis_url
    if url:
        return RedisRateLimiter(max_requests, window_seconds, url, name)
    return RateLimiter(max_requests, window_seconds)
