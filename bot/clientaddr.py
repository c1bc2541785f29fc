"""The citizen's address behind the balancer: ``X-Forwarded-For`` is believed only from a trusted proxy.

Rate limits count per client address. Behind a balancer every request comes from the balancer, so its
``X-Forwarded-For`` names the client; from anyone else that header is whatever the sender wrote and is
ignored. ``TRUSTED_PROXIES`` lists the balancer's own addresses (comma- or space-separated;
``make cluster`` sets it to the source address HAProxy connects from). Plain logic, shared by the intake
service (aiohttp) and Rasa's channels (Sanic).
"""

from __future__ import annotations

import os

TRUSTED_ENV = "TRUSTED_PROXIES"


def trusted_proxies(raw: str | None = None) -> frozenset[str]:
    value = os.environ.get(TRUSTED_ENV, "") if raw is None else raw
    return frozenset(a for a in value.replace(",", " ").split() if a)


def client_address(peer: str, forwarded_for: str | None, trusted: frozenset[str] | None = None) -> str:
    """``peer`` itself, or, when ``peer`` is a trusted proxy, the last address it put in
    ``X-Forwarded-For`` (the one it saw; earlier entries are the client's own claims)."""
    trusted = trusted_proxies() if trusted is None else trusted
    if peer in trusted and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return peer
