"""The pure logic of the hotline text channel, testable without Rasa.

- request signatures: ``HMAC-SHA256(secret, "<timestamp>.<raw body>")`` in hex, sent as
  ``X-Hotline-Signature: sha256=<hex>`` with ``X-Hotline-Timestamp: <unix seconds>`` (in
  :mod:`bot.signing`, which the intake service's callback delivery shares; re-exported here);
- SMS-sized parts: at most 70 UCS-2 characters each (one Chinese SMS), numbered ``1/3 `` … when a reply
  needs more than one;
- buttons as numbered options (``回复1：同意``) and a digit answer mapped back to the button's payload;
- the numbered options last sent to each sender (in the process or in Redis).

A gateway's retry of a message gets the same answer again: :mod:`connectors.channels.replies`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.signing import (  # noqa: F401 - the channel's signing API, kept here for callers
    DEFAULT_MAX_AGE,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Verdict,
    sign,
    signed_headers,
    verify,
)
from bot.smsparts import (  # noqa: F401 - the channel's SMS parts, kept here for callers
    SMS_LIMIT,
    sms_length,
    split_sms,
)
from connectors.channels import redis_clients

Clock = Callable[[], float]


# ---------------------------------------------------------------- numbered options


@dataclass(frozen=True)
class Option:
    title: str
    payload: str


def options_from_buttons(buttons: Iterable[Mapping[str, Any]]) -> list[Option]:
    options = []
    for button in buttons:
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or title).strip()
        if title or payload:
            options.append(Option(title or payload, payload))
    return options


def render_options(options: Sequence[Option], start: int = 1) -> str:
    """``回复1：同意`` one per line."""
    return "\n".join(f"回复{i}：{o.title}" for i, o in enumerate(options, start=start))


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_DIGIT_ANSWER = re.compile(r"^\s*(?:回复|选|选择|第)?\s*(\d{1,2})\s*(?:号|个|项)?\s*[。.!！、,，]?\s*$")


def pick_option(text: str, options: Sequence[Option]) -> Option | None:
    """The option a reply such as ``1``, ``１``, ``回复2`` or ``选1。`` chooses, else None."""
    if not options:
        return None
    match = _DIGIT_ANSWER.match(text.translate(_FULLWIDTH_DIGITS))
    if not match:
        return None
    index = int(match.group(1))
    if 1 <= index <= len(options):
        return options[index - 1]
    return None


def render_reply(messages: Iterable[Mapping[str, Any]]) -> tuple[str, list[Option]]:
    """One turn of bot messages as one text, buttons numbered across the turn; and those options."""
    blocks: list[str] = []
    options: list[Option] = []
    for message in messages:
        lines = []
        text = str(message.get("text") or "").strip()
        if text:
            lines.append(text)
        image = message.get("image")
        if image:
            lines.append(str(image))
        new = options_from_buttons(message.get("buttons") or [])
        if new:
            lines.append(render_options(new, start=len(options) + 1))
            options.extend(new)
        if lines:
            blocks.append("\n".join(lines))
    return "\n".join(blocks), options


# ---------------------------------------------------------------- small stores


class ExpiringStore:
    """A bounded mapping whose entries expire after ``ttl`` seconds (thread-safe, in memory)."""

    def __init__(self, ttl: float, max_entries: int = 100_000, clock: Clock = time.monotonic) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._items:
            key, (stamp, _) = next(iter(self._items.items()))
            if now - stamp <= self.ttl and len(self._items) <= self.max_entries:
                break
            del self._items[key]

    def get(self, key: str) -> Any:
        with self._lock:
            self._expire(self.clock())
            entry = self._items.get(key)
            return None if entry is None else entry[1]

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            now = self.clock()
            self._items.pop(key, None)
            self._items[key] = (now, value)
            self._expire(now)

    def pop(self, key: str) -> Any:
        with self._lock:
            entry = self._items.pop(key, None)
            return None if entry is None else entry[1]

    def __len__(self) -> int:
        with self._lock:
            self._expire(self.clock())
            return len(self._items)


class OptionMemory:
    """The numbered options last sent to each sender; replaced by every reply, so stale ones never apply."""

    def __init__(self, ttl: float = 24 * 3600, max_entries: int = 100_000, clock: Clock = time.monotonic):
        self._options = ExpiringStore(ttl, max_entries, clock)

    async def remember(self, sender: str, options: Sequence[Option]) -> None:
        if options:
            self._options.put(sender, list(options))
        else:
            self._options.pop(sender)

    async def options(self, sender: str) -> list[Option]:
        return self._options.get(sender) or []


class RedisOptionMemory(OptionMemory):
    """``OptionMemory`` in Redis (``redis.asyncio``): the numbered options follow the phone number to
    any worker. Keys are hashes, so phone numbers are not stored in clear."""

    def __init__(self, redis_url: str, prefix: str = "hotline:options:", ttl: float = 24 * 3600) -> None:
        self._url, self._prefix, self._ttl = redis_url, prefix, max(1, int(ttl))

    def _key(self, sender: str) -> str:
        return self._prefix + hashlib.sha256(sender.encode("utf-8")).hexdigest()

    async def remember(self, sender: str, options: Sequence[Option]) -> None:
        redis = redis_clients.client(self._url)
        if options:
            value = json.dumps([[o.title, o.payload] for o in options], ensure_ascii=False)
            await redis.set(self._key(sender), value, ex=self._ttl)
        else:
            await redis.delete(self._key(sender))

    async def options(self, sender: str) -> list[Option]:
        raw = await redis_clients.client(self._url).get(self._key(sender))
        if not raw:
            return []
        return [Option(title, payload) for title, payload in json.loads(raw)]


def option_memory(redis_url: str | None, namespace: str = "hotline") -> OptionMemory:
    """Per process, or with ``redis_url`` shared by every worker and instance.

    ``namespace`` keeps each channel's Redis keys apart (the WeChat channel shares this mechanism)."""
    return RedisOptionMemory(redis_url, prefix=f"{namespace}:options:") if redis_url else OptionMemory()


# ---------------------------------------------------------------- phone numbers


def normalise_sender(value: Any) -> str | None:
    """A phone number as the sender id: digits only, without +86 / 0086; None when not a number."""
    raw = re.sub(r"[\s\-()（）]", "", str(value or ""))
    if not re.fullmatch(r"\+?\d{5,20}", raw):
        return None
    digits = raw.lstrip("+")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    return digits


def mask(phone: str) -> str:
    """For logs: ``139****5678``."""
    if len(phone) == 11:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * max(len(phone) - 4, 0) + phone[-4:]
