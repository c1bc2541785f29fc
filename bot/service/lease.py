"""A leader lease: one process at a time runs a named periodic job (督办 reminders, supervision scans).

Several instances run the same schedulers; each calls ``await lease.acquire()`` before a round and
does the round only when it returns True. The holder renews by acquiring again before ``ttl`` runs out;
a holder that dies simply stops renewing and another process takes over after ``ttl``. With
``REDIS_URL`` the lease is a Redis key (``SET NX PX`` to take it, a compare-and-renew script to keep
it, compare-and-delete to give it back); without it every process leads its own (one process serves).
A Redis error is "not the leader" for that round: a round skipped is safer than two at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
from typing import Any

log = logging.getLogger(__name__)

PREFIX = "intake:lease:"

_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    return 1
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Lease:
    """Leadership of ``name`` for ``ttl`` seconds at a time, in this process only."""

    _held: dict[str, tuple[str, float]] = {}  # name -> (holder, expires at): shared by the process

    def __init__(self, name: str, ttl: float, holder: str | None = None) -> None:
        self.name, self.ttl = name, ttl
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"

    async def acquire(self) -> bool:
        """Take or renew the lease; whether this holder leads now."""
        now = time.monotonic()
        current = self._held.get(self.name)
        if current is None or current[0] == self.holder or current[1] <= now:
            self._held[self.name] = (self.holder, now + self.ttl)
            return True
        return False

    async def release(self) -> None:
        """Give the lease back (on shutdown) so another holder need not wait for ``ttl``."""
        current = self._held.get(self.name)
        if current is not None and current[0] == self.holder:
            del self._held[self.name]


class RedisLease(Lease):
    """The lease as the Redis key ``intake:lease:<name>`` holding the holder's id."""

    def __init__(self, name: str, ttl: float, url: str, holder: str | None = None) -> None:
        super().__init__(name, ttl, holder)
        self.url = url
        self._client: tuple[asyncio.AbstractEventLoop, Any] | None = None

    @property
    def key(self) -> str:
        return PREFIX + self.name

    def _redis(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client[0] is not loop:
            from redis import asyncio as aioredis

            client = aioredis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
            self._client = (loop, client)
        return self._client[1]

    async def acquire(self) -> bool:
        ttl_ms = max(1, int(self.ttl * 1000))
        try:
            redis = self._redis()
            if await redis.set(self.key, self.holder, nx=True, px=ttl_ms):
                return True
            return bool(await redis.eval(_RENEW, 1, self.key, self.holder, ttl_ms))
        except Exception as exc:  # noqa: BLE001 - Redis down: nobody leads this round
            log.warning(
                "lease %s: Redis unreachable (%s), not leading this round", self.name, type(exc).__name__
            )
            return False

    async def release(self) -> None:
        try:
            await self._redis().eval(_RELEASE, 1, self.key, self.holder)
        except Exception as exc:  # noqa: BLE001 - it expires by itself after ttl
            log.warning(
                "lease %s: could not release (%s); it expires by itself", self.name, type(exc).__name__
            )


def lease(name: str, ttl: float, redis_url: str | None = None, holder: str | None = None) -> Lease:
    """Shared through Redis when ``redis_url`` (default ``REDIS_URL``) is set, else in this process."""
    url = os.environ.get("REDIS_URL", "") if redis_url is None else redis_url
    return RedisLease(name, ttl, url, holder) if url else Lease(name, ttl, holder)
