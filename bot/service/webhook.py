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

import asyncio
import hashlib
import hmac
import logging
import os
import time
from dataclasses import dataclass

import aiohttp

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


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    dead: int = 0


class WebhookDeliverer:
    """Delivers due outbox rows; ``run()`` loops until cancelled (the intake service runs it)."""

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
        self.store = store
        self.url = url if url is not None else webhook_url(store)
        self.secret = secret if secret is not None else os.environ.get(SECRET_ENV, "")
        self._refusal_logged = False
        if self.problem:
            log.error("%s", self.problem)
            self._refusal_logged = True
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.timeout = timeout
        self.interval = interval

    @property
    def problem(self) -> str | None:
        """Why configured delivery cannot run, or None."""
        if self.url and not self.secret:
            return (
                f"{SECRET_ENV} is empty while a webhook URL is configured: refusing to send unsigned "
                "webhooks; events stay pending until the secret is set"
            )
        return None

    async def deliver_pending(self, session: aiohttp.ClientSession | None = None) -> DeliveryReport:
        """One pass over the due rows."""
        report = DeliveryReport()
        if not self.url:
            return report
        if self.problem:
            if not self._refusal_logged:
                log.error("%s", self.problem)
                self._refusal_logged = True
            return report
        messages = await asyncio.to_thread(self.store.due_outbox, 20)
        if not messages:
            return report
        own = session is None
        session = session or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        try:
            for msg in messages:
                headers = {
                    "Content-Type": "application/json; charset=utf-8",
                    "X-Intake-Signature": sign(msg.body, self.secret),
                    "X-Intake-Timestamp": str(int(time.time())),
                    "X-Intake-Event": msg.event,
                    "Idempotency-Key": msg.idempotency_key,
                }
                error = None
                try:
                    async with session.post(self.url, data=msg.body, headers=headers) as resp:
                        if 200 <= resp.status < 300:
                            await asyncio.to_thread(self.store.outbox_delivered, msg.id)
                            report.delivered += 1
                            continue
                        error = f"HTTP {resp.status}"
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    error = f"{exc.__class__.__name__}: {exc}"
                state = await asyncio.to_thread(
                    self.store.outbox_failed, msg.id, error, self.max_attempts, self.base_delay
                )
                report.failed += 1
                if state == "dead":
                    report.dead += 1
                    log.error(
                        "webhook for %s gave up after %d attempts: %s",
                        msg.ticket_code,
                        self.max_attempts,
                        error,
                    )
                else:
                    log.warning("webhook for %s failed (%s), will retry", msg.ticket_code, error)
        finally:
            if own:
                await session.close()
        return report

    async def run(self) -> None:
        """Deliver forever; errors are logged and retried, never fatal to the service."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session:
            while True:
                try:
                    await self.deliver_pending(session)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("outbox delivery pass failed")
                await asyncio.sleep(self.interval)


def configuration_problem(store: TicketStore) -> str | None:
    """What is wrong with the webhook settings of the environment (for ``/health``), or None."""
    if webhook_url(store) and not os.environ.get(SECRET_ENV, ""):
        return f"{SECRET_ENV} is empty: webhooks are not being delivered"
    return None
