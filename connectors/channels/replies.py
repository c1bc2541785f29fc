"""Message ids already answered, with the answer: a gateway's or WeChat's retry of the same message
gets the same answer back instead of being handled again or answered with nothing.

An id counts as seen only once it was handled (:meth:`ReplyMemory.finish` stores the answer); while it
is being handled it is *busy* for at most ``busy_ttl`` seconds (a retry arriving then waits or is told
so, and a worker that died mid-message frees it); a message whose handling failed is forgotten, so
the retry is handled. Per process, or in Redis (``REDIS_URL``) shared by every worker and instance,
under hashed keys and with the answers encrypted (``bot.privacy``: they may quote the citizen).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from typing import Any

from bot import privacy
from connectors.channels import redis_clients
from connectors.channels.sms import Clock, ExpiringStore

NEW, BUSY, DONE = "new", "busy", "done"
_BUSY_MARK = b"\x00busy"


class ReplyMemory:
    """In this process: ``begin(id)`` → (NEW, None) claimed, (BUSY, None), or (DONE, answer)."""

    def __init__(
        self,
        ttl: float = 24 * 3600,
        busy_ttl: float = 120.0,
        max_entries: int = 100_000,
        clock: Clock = time.monotonic,
    ) -> None:
        self.ttl, self.busy_ttl = ttl, busy_ttl
        self._done = ExpiringStore(ttl, max_entries, clock)
        self._busy = ExpiringStore(busy_ttl, max_entries, clock)
        self._lock = threading.Lock()

    async def begin(self, message_id: str) -> tuple[str, Any]:
        with self._lock:
            answer = self._done.get(message_id)
            if answer is not None:
                return DONE, answer
            if self._busy.get(message_id) is not None:
                return BUSY, None
            self._busy.put(message_id, True)
            return NEW, None

    async def finish(self, message_id: str, answer: Any) -> None:
        with self._lock:
            self._done.put(message_id, answer)
            self._busy.pop(message_id)

    async def forget(self, message_id: str) -> None:
        with self._lock:
            self._busy.pop(message_id)
            self._done.pop(message_id)


class RedisReplyMemory(ReplyMemory):
    """The same in Redis (``redis.asyncio``): the retry may reach another worker or instance than the
    first attempt."""

    def __init__(self, redis_url: str, prefix: str, ttl: float = 24 * 3600, busy_ttl: float = 120.0) -> None:
        self.ttl, self.busy_ttl = ttl, busy_ttl  # no in-process stores: everything is in Redis
        self._url, self._prefix = redis_url, prefix

    def _key(self, message_id: str) -> str:
        return self._prefix + hashlib.sha256(message_id.encode("utf-8")).hexdigest()

    async def begin(self, message_id: str) -> tuple[str, Any]:
        key, redis = self._key(message_id), redis_clients.client(self._url)
        for _ in range(3):  # the answer may expire between SET NX and GET
            if await redis.set(key, _BUSY_MARK, nx=True, ex=max(1, int(self.busy_ttl))):
                return NEW, None
            raw = await redis.get(key)
            if raw is None:
                continue
            if raw == _BUSY_MARK:
                return BUSY, None
            return DONE, json.loads(privacy.decrypt(raw.decode("ascii")) or "null")
        return BUSY, None

    async def finish(self, message_id: str, answer: Any) -> None:
        sealed = privacy.encrypt(json.dumps(answer, ensure_ascii=False)) or ""
        await redis_clients.client(self._url).set(
            self._key(message_id), sealed.encode("ascii"), ex=max(1, int(self.ttl))
        )

    async def forget(self, message_id: str) -> None:
        await redis_clients.client(self._url).delete(self._key(message_id))


def reply_memory(redis_url: str | None, namespace: str) -> ReplyMemory:
    """Per process, or with ``redis_url`` shared (keys ``<namespace>:answered:<sha256>``)."""
    return RedisReplyMemory(redis_url, prefix=f"{namespace}:answered:") if redis_url else ReplyMemory()
