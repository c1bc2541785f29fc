"""Rasa's conversation lock on Redis, for several Rasa workers or instances: one atomic, non-blocking
round trip to take a conversation's turn and one to give it back.

Rasa's ``RedisLockStore`` uses the synchronous Redis client, seven calls per message (GET and SET to
issue a ticket, GET to check it, GET, SET, GET and DEL to clean up), and the worker's event loop waits
on every one of them (figures in docs/performance.md). It also issues tickets
by GET then SET, so two workers taking a ticket for the same conversation at the same moment can both
read the same lock and one ticket is lost: the two messages are then handled at once.

Here the same ticket lock (first come, first served; a ticket expires after ``lock_lifetime``; a
waiter whose ticket expired gets ``LockError`` as in Rasa) lives in two keys per conversation, changed
only by Lua scripts, which Redis runs atomically:

- ``<prefix><hash>:q``, a sorted set of the waiting tickets (score = ticket number, member =
  ``ticket:expiry-ms:token``), the lowest unexpired ticket being served;
- ``<prefix><hash>:n``, the ticket counter.

Each holder checks and gives back only the member carrying its own random token: a holder that overran
its lifetime (both keys expired, the counter started again at 1, the next message got the same ticket
number) cannot release the next holder's lock.

Both expire with the newest ticket, so a crashed worker leaves nothing behind. Keys carry a hash of
the conversation id, not the id itself: on the hotline the id is the caller's phone number. Expiry is
read from the Redis server's clock, so instances with skewed clocks agree.

Endpoints (``tools/stack.py`` writes this when ``REDIS_URL`` is set)::

    lock_store:
      type: connectors.stores.lock_store.RedisTicketLockStore
      url: redis://127.0.0.1:6379/0
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "intake:lock:"

# Drops expired tickets (as Rasa's TicketLock.remove_expired_tickets); `serving` = the lowest left.
_SERVING = """
local now_t = redis.call('TIME')
local now = tonumber(now_t[1]) * 1000 + math.floor(tonumber(now_t[2]) / 1000)
local serving = false
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local sep = string.find(member, ':', 1, true)
  local sep2 = string.find(member, ':', sep + 1, true) or (#member + 1)
  if tonumber(string.sub(member, sep + 1, sep2 - 1)) <= now then
    redis.call('ZREM', KEYS[1], member)
  elseif not serving then
    serving = tonumber(string.sub(member, 1, sep - 1))
  end
end
"""

# KEYS: queue, counter; ARGV: lifetime in ms, holder token. Returns {ticket, ticket being served}.
_TAKE = (
    "if redis.replicate_commands then redis.replicate_commands() end\n"
    + _SERVING
    + """
local ticket = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], ticket, ticket .. ':' .. (now + tonumber(ARGV[1])) .. ':' .. ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
if not serving then serving = ticket end
return {ticket, serving}
"""
)

# This holder's member among those of ARGV[1]'s ticket number (ARGV[2] = its token), or false.
_MINE = """
local mine = false
local suffix = ':' .. ARGV[2]
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])) do
  if string.sub(member, -#suffix) == suffix then mine = member end
end
"""

# KEYS: queue; ARGV: ticket, token. Returns the ticket being served, or -1 when this holder's ticket
# has expired.
_CHECK = (
    "if redis.replicate_commands then redis.replicate_commands() end\n"
    + _SERVING
    + _MINE
    + """
if not mine then return -1 end
return serving
"""
)

# KEYS: queue, counter; ARGV: ticket, token. Gives this holder's turn back (and nobody else's);
# the last one out removes both keys.
_RELEASE = (
    _MINE
    + """
if not mine then return 0 end
redis.call('ZREM', KEYS[1], mine)
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
return 1
"""
)


class RedisTicketLockStore(LockStore):
    """Rasa ``LockStore`` whose ``lock()`` (the only method Rasa's agent, processor and HTTP API
    call) takes one awaited Redis round trip when nobody else holds the conversation."""

    def __init__(
        self,
        endpoint_config: EndpointConfig | None = None,
        *,
        url: str | None = None,
        key_prefix: str = DEFAULT_PREFIX,
        poll_seconds: float = 0.02,
        socket_timeout: float = 10.0,
    ) -> None:
        from redis import asyncio as aioredis

        options: dict[str, Any] = dict(endpoint_config.kwargs) if endpoint_config else {}
        url = url or (endpoint_config.url if endpoint_config else None) or "redis://127.0.0.1:6379/0"
        self.key_prefix = str(options.get("key_prefix", key_prefix))
        self.poll_seconds = float(options.get("poll_seconds", poll_seconds))
        timeout = float(options.get("socket_timeout", socket_timeout))
        # connections are opened lazily, in the event loop of the Sanic worker that uses them
        self.redis = aioredis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        self._take = self.redis.register_script(_TAKE)
        self._check = self.redis.register_script(_CHECK)
        self._release = self.redis.register_script(_RELEASE)
        super().__init__()

    def keys(self, conversation_id: str) -> list[str]:
        digest = hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:32]
        return [f"{self.key_prefix}{digest}:q", f"{self.key_prefix}{digest}:n"]

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncIterator[TicketLock]:
        """Wait for this conversation's turn; the earlier messages of the conversation go first."""
        keys = self.keys(conversation_id)
        lifetime_ms = max(1, int(lock_lifetime * 1000))
        token = secrets.token_hex(8)  # this holder's, so that it releases only its own ticket
        try:
            ticket, serving = (int(v) for v in await self._take(keys=keys, args=[lifetime_ms, token]))
        except Exception as exc:
            raise LockError(f"Error while acquiring lock. Error:\n{exc}") from exc
        try:
            # a citizen's second message waits for the first (a double tap): poll often, not each second
            wait = min(self.poll_seconds, wait_time_in_seconds)
            while serving != ticket:
                if serving < 0:
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
                log.debug("conversation busy: ticket %s waits for %s", ticket, serving)
                await asyncio.sleep(wait)
                serving = int(await self._check(keys=keys[:1], args=[ticket, token]))
            yield TicketLock(conversation_id, deque([Ticket(ticket, time.time() + lock_lifetime)]))
        finally:
            try:
                await self._release(keys=keys, args=[ticket, token])
            except Exception:  # the ticket expires on its own
                log.exception("could not release a conversation lock; it expires in %s s", lock_lifetime)

    async def close(self) -> None:
        await self.redis.close()
