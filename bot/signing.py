"""The hotline gateway's request signature, in both directions: the gateway's requests to the Rasa
channel are checked with it, and our callbacks to the gateway (posted by the intake service from the
outbox) carry it. Plain Python (no Rasa, Sanic or aiohttp), so both processes import it.

``X-Hotline-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`` with
``X-Hotline-Timestamp: <unix seconds>``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

SIGNATURE_HEADER = "X-Hotline-Signature"
TIMESTAMP_HEADER = "X-Hotline-Timestamp"
DEFAULT_MAX_AGE = 300.0  # seconds a signed request stays valid (clock skew either way)


def sign(secret: str, timestamp: str | int, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp``: ``sha256=<hex digest>``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, now: float | None = None) -> dict[str, str]:
    """Headers that make ``body`` a valid request (callbacks to the gateway, and the tests)."""
    timestamp = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body)}


def fresh(timestamp: str | None, max_age: float, now: float | None = None) -> bool:
    """Whether a request stamped ``timestamp`` (unix seconds) was sent within ``max_age`` seconds of
    ``now`` (clock skew either way); False when the stamp is not a whole number."""
    try:
        sent = int(str(timestamp or "").strip())
    except ValueError:
        return False
    return abs((time.time() if now is None else now) - sent) <= max_age


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""  # for the log and the 401 body: missing, malformed, stale, bad_signature


def verify(
    secret: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    *,
    max_age: float = DEFAULT_MAX_AGE,
    now: float | None = None,
) -> Verdict:
    """Check a request's signature and freshness in constant time."""
    if not secret:
        return Verdict(False, "not_configured")
    if not timestamp or not signature:
        return Verdict(False, "missing")
    try:
        int(timestamp.strip())
    except ValueError:
        return Verdict(False, "malformed")
    if not fresh(timestamp, max_age, now):
        return Verdict(False, "stale")
    expected = sign(secret, timestamp.strip(), body)
    given = signature.strip()
    if not given.startswith("sha256="):
        given = "sha256=" + given
    if not hmac.compare_digest(expected.encode("ascii"), given.lower().encode("ascii", "replace")):
        return Verdict(False, "bad_signature")
    return Verdict(True)
