"""Signed webhook delivery of outbox rows to the center's own system.

Each request is a POST of the stored JSON body with the headers

- ``X-Intake-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with WEBHOOK_SECRET>``
- ``X-Intake-Timestamp: <unix seconds>`` and ``Idempotency-Key: <outbox row key>`` (same on retries).

A 2xx answer marks the row delivered; anything else backs off exponentially and after
``max_attempts`` the row is ``dead`` until ``intake redeliver`` re-queues it (an urgent ticket's events
never go dead; a ticket's events are delivered in order). The URL is ``CENTER_WEBHOOK_URL`` or the
profile's ``center.webhook_url``; without one nothing is sent and rows simply wait. With a URL but an
empty ``WEBHOOK_SECRET`` nothing is sent either (unsigned bodies would be forgeable): rows wait, the
log says why, and ``/health`` reports it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import time

import aiohttp
from aiohttp import web

from bot.service.channels import ChannelDeliverer, Refused
from bot.service.state import DELIVERER, STORE
from bot.storage import outbox
from bot.storage.outbox import OutboxMessage
from bot.storage.store import TicketStore

log = logging.getLogger(__name__)

URL_ENV = "CENTER_WEBHOOK_URL"
SECRET_ENV = "WEBHOOK_SECRET"


def sign(body: bytes, secret: str) -> str:
    """The ``X-Intake-Signature`` header value for a body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str | None) -> bool:
    """Receiver-side check (also used by the tests)."""
    return bool(header) and hmac.compare_digest(sign(body, secret), header)


def webhook_url(store: TicketStore) -> str:
    return os.environ.get(URL_ENV) or store.profile.webhook_url or ""


def _problem(url: str, secret: str) -> str | None:
    """With a URL but no secret nothing is sent (unsigned bodies would be forgeable)."""
    if url and not secret:
        return (
            f"{SECRET_ENV} is empty while a webhook URL is configured: refusing to send unsigned "
            "webhooks; events stay pending until the secret is set"
        )
    return None


class WebhookDeliverer(ChannelDeliverer):
    """The center's outbox rows (``target`` ``center``), signed, to the webhook URL."""

    target = outbox.CENTER

    def __init__(
        self,
        store: TicketStore,
        url: str | None = None,
        secret: str | None = None,
        *,
        max_attempts: int = 8,
        base_delay: float = 5.0,
        timeout: float = 10.0,
        interval: float = 2.0,
    ):
        super().__init__(
            store, max_attempts=max_attempts, base_delay=base_delay, timeout=timeout, interval=interval
        )
        self.url = url if url is not None else webhook_url(store)
        self.secret = secret if secret is not None else os.environ.get(SECRET_ENV, "")

    @property
    def idle(self) -> bool:
        return not self.url  # no URL: rows wait, nothing to report

    @property
    def problem(self) -> str | None:
        """Why configured delivery cannot run, or None."""
        return _problem(self.url, self.secret)

    def describe(self, message: OutboxMessage) -> str:
        return f"webhook for {message.ticket_code}"

    async def send(self, session: aiohttp.ClientSession, message: OutboxMessage) -> None:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Intake-Signature": sign(message.body, self.secret),
            "X-Intake-Timestamp": str(int(time.time())),
            "X-Intake-Event": message.event,
            "Idempotency-Key": message.idempotency_key,
        }
        async with session.post(self.url, data=message.body, headers=headers) as resp:
            if not 200 <= resp.status < 300:
                raise Refused(f"HTTP {resp.status}")


def delivery_problem(app: web.Application) -> str | None:
    """Why the service's webhook delivery is refused (``/health``, the console's alert), or None: its
    deliverer's problem, or the environment's when the service delivers nothing itself."""
    deliverer = app.get(DELIVERER)
    if deliverer is not None:
        return deliverer.problem  # type: ignore[no-any-return]
    return _problem(webhook_url(app[STORE]), os.environ.get(SECRET_ENV, ""))
