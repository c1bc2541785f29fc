"""The SMS gateway's side of the hotline channel, for the channel tests: signed requests, callbacks."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from connectors.channels import sms
from tools.stack import StackSettings

HOTLINE_SECRET = "hotline-test-secret"
STAFF_TOKEN = "staff-test-token"
SENDER_ID_KEY = "sender-id-test-key"  # the stack's SENDER_ID_KEY (tests/conftest.py)


def hotline_conversation(phone: str) -> str:
    """The stack's conversation id of a hotline caller."""
    from connectors.channels.senders import hotline_sender_id

    return hotline_sender_id(phone, SENDER_ID_KEY.encode())


@dataclass
class Callback:
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class FakeGateway:
    """Receives the channel's callbacks; ids starting with ``flaky-`` are refused (500) the first time."""

    port: int
    received: list[Callback] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms/callback"

    def for_message(self, message_id: str, count: int = 1, timeout: float = 15.0) -> list[Callback]:
        """The callbacks for one message, waiting until ``count`` arrived."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                found = [c for c in self.received if c.json.get("in_reply_to") == message_id]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


@dataclass
class HotlineReply:
    status: int
    body: dict[str, Any]

    @property
    def parts(self) -> list[str]:
        return list(self.body.get("replies") or [])

    @property
    def text(self) -> str:
        """The whole reply as the citizen reads it, numbering prefixes removed."""
        return "".join(_unnumbered(p) for p in self.parts)


def _unnumbered(part: str) -> str:
    head, _, rest = part.partition(" ")
    if "/" in head and head.replace("/", "").isdigit():
        return rest
    return part


class Hotline:
    """The SMS gateway's side of the channel: signed JSON requests to /webhooks/hotline/webhook."""

    def __init__(self, settings: StackSettings) -> None:
        self.url = f"http://{settings.host}:{settings.rasa_port}/webhooks/hotline/webhook"

    def post(
        self,
        phone: str,
        text: str,
        *,
        message_id: str | None = None,
        secret: str | None = HOTLINE_SECRET,
        timestamp: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> HotlineReply:
        payload = {"message_id": message_id or uuid.uuid4().hex, "from": phone, "text": text}
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        signed = sms.signed_headers(secret, body, now=timestamp) if secret else {}
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={"Content-Type": "application/json", **signed, **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return HotlineReply(response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            raw = error.read()
            return HotlineReply(error.code, json.loads(raw) if raw else {})


def get_ticket(settings: StackSettings, code: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"http://{settings.host}:{settings.intake_port}/api/tickets/{code}",
        headers={"Authorization": f"Bearer {STAFF_TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def new_phone() -> str:
    return "139" + str(uuid.uuid4().int % 10**8).zfill(8)
