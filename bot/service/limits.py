"""A sliding-window request counter per client key.

The public status check limits by IP (a code plus four phone digits must not be guessable by brute
force) and the console's login by IP and user name. Kept in memory: one process serves the service.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque


class RateLimiter:
    """At most ``max_requests`` per key within any ``window_seconds``."""

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
