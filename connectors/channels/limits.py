"""Rate limits of the Rasa webhooks: messages per minute per conversation and per client address.

In Redis when ``REDIS_URL`` is set (every worker and instance counts together), else in the process.
Limits from the environment: ``RATE_LIMIT_SENDER`` (default 30 a minute), ``RATE_LIMIT_IP`` (120 a
minute), ``RATE_LIMIT_EXEMPT`` (comma-separated client addresses never limited by address, e.g. the
hotline's SMS gateway; ``0`` as a limit switches that limit off). The client address is Sanic's
``remote_addr`` (from ``X-Forwarded-For`` only when ``SANIC_PROXIES_COUNT`` or ``SANIC_REAL_IP_HEADER``
says a proxy is trusted, or when the peer is listed in ``TRUSTED_PROXIES``: the balancer), else the peer.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import deque

from sanic.request import Request
from sanic.response import HTTPResponse

from bot import clientaddr
from connectors.channels import redis_clients
from connectors.channels.responses import json_error

log = logging.getLogger(__name__)

WINDOW = 60.0
MESSAGE = "您发送得太频繁了，请稍等一分钟再试。如有危险请立即拨打110。"
PREFIX = "intake:rate:"


def client_address(request: Request) -> str:
    """Sanic's ``remote_addr`` when it trusts a proxy by count (``SANIC_PROXIES_COUNT``), else the peer,
    or, when the peer is the balancer (``TRUSTED_PROXIES``), the address it forwards."""
    remote = str(getattr(request, "remote_addr", "") or "")
    if remote:
        return remote
    return clientaddr.client_address(str(request.ip or ""), request.headers.get("X-Forwarded-For"))


class RateLimiter:
    """Fixed one-minute windows per key; ``hit`` counts a message and says whether it may pass."""

    def __init__(
        self,
        per_sender: int | None = None,
        per_ip: int | None = None,
        exempt: set[str] | None = None,
        redis_url: str | None = None,
    ) -> None:
        env = os.environ
        self.per_sender = per_sender if per_sender is not None else int(env.get("RATE_LIMIT_SENDER") or 30)
        self.per_ip = per_ip if per_ip is not None else int(env.get("RATE_LIMIT_IP") or 120)
        self.exempt = (
            exempt
            if exempt is not None
            else {a.strip() for a in env.get("RATE_LIMIT_EXEMPT", "").split(",") if a.strip()}
        )
        self.redis_url = redis_url if redis_url is not None else env.get("REDIS_URL") or ""
        self._local: dict[str, deque[float]] = {}

    async def _count(self, key: str) -> int:
        """Messages of ``key`` in the current window, this one included."""
        if self.redis_url:
            window = int(time.time() // WINDOW)
            name = f"{PREFIX}{key}:{window}"
            try:
                pipe = redis_clients.client(self.redis_url).pipeline()
                pipe.incr(name)
                pipe.expire(name, int(WINDOW) + 1)
                count, _ = await pipe.execute()
                return int(count)
            except Exception:  # Redis down: count in the process rather than let everything through
                log.warning("rate limit: Redis unreachable, counting in this process")
        now = time.monotonic()
        hits = self._local.setdefault(key, deque())
        while hits and hits[0] <= now - WINDOW:
            hits.popleft()
        hits.append(now)
        if len(self._local) > 100_000:  # forget idle keys
            for stale in [k for k, v in self._local.items() if not v or v[-1] <= now - WINDOW]:
                del self._local[stale]
        return len(hits)

    async def check_ip(self, channel: str, request: Request) -> HTTPResponse | None:
        """A 429 answer when the client address sent too many messages, else None."""
        address = client_address(request)
        if self.per_ip <= 0 or address in self.exempt:
            return None
        if await self._count(f"{channel}:ip:{_digest(address)}") > self.per_ip:
            log.warning("rate limit: %s messages from one address over %s a minute", channel, self.per_ip)
            return too_many()
        return None

    async def check_sender(self, channel: str, sender_id: str) -> HTTPResponse | None:
        """A 429 answer when the conversation sent too many messages, else None."""
        if self.per_sender <= 0:
            return None
        if await self._count(f"{channel}:sender:{_digest(sender_id)}") > self.per_sender:
            log.warning("rate limit: %s conversation over %s messages a minute", channel, self.per_sender)
            return too_many()
        return None


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def too_many() -> HTTPResponse:
    return json_error(429, "too_many_requests", MESSAGE, headers={"Retry-After": str(int(WINDOW))})
