"""Delivery of the channels' outgoing messages from the ticket database's outbox (the Rasa process
writes them, ``connectors.channels.channel_outbox``), so a restart of either process loses none:

- ``hotline``: the reply's SMS parts POSTed to ``HOTLINE_CALLBACK_URL`` as ``{"to", "in_reply_to",
  "parts"}``, signed like the gateway's own requests (:mod:`bot.signing`, ``HOTLINE_SECRET``; nothing is
  sent unsigned); ``HOTLINE_CALLBACK_RETRIES`` attempts (8) with back-off doubling from
  ``HOTLINE_CALLBACK_BACKOFF`` seconds (1), then a dead letter (``/health``, ``intake redeliver``);
- ``wechat``: one customer-service message per row (``{"openid", "content"}``) through
  :class:`bot.service.wechat_api.WeChatApi` (``WECHAT_APP_ID``, ``WECHAT_APP_SECRET``,
  ``WECHAT_API_BASE``; the access token cached in Redis when ``REDIS_URL`` is set, else in the
  process), ``WECHAT_SEND_ATTEMPTS`` (8) attempts with back-off from ``WECHAT_SEND_BACKOFF`` (1 s).
  A row ``{"openid", "media_id", "sender_id"}`` is a photo the citizen sent: fetched from WeChat,
  checked and kept as evidence of the conversation (``bot.evidence``), then acknowledged by a
  message queued behind it.

Rows of one recipient go out in order (their order key is a keyed hash of the phone or openid).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass

import aiohttp

from bot import signing
from bot.evidence import RejectedFile, prepare
from bot.evidence.content import RECEIVED, max_bytes
from bot.service.wechat_api import DEFAULT_API_BASE, WeChatApi, WeChatApiError
from bot.storage import outbox
from bot.storage.outbox import OutboxMessage
from bot.storage.store import TicketStore

log = logging.getLogger(__name__)


def _env_number(name: str | None, default: float) -> float:
    try:
        return float((os.environ.get(name) if name else None) or default)
    except ValueError:
        return default


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    dead: int = 0


class Refused(Exception):
    """The recipient answered but did not accept the row; the message is the row's ``last_error``
    as it is (``"HTTP 401"``)."""


class ChannelDeliverer:
    """Delivers one target's due outbox rows; ``run()`` loops until cancelled (the intake service).
    The center's webhook (:class:`bot.service.webhook.WebhookDeliverer`) is one too."""

    target = ""

    # Retry settings: given by the caller, else from these environment variables, else the defaults.
    attempts_env: str | None = None
    backoff_env: str | None = None
    default_attempts: int = 8
    default_backoff: float = 1.0

    def __init__(
        self,
        store: TicketStore,
        *,
        max_attempts: int | None = None,
        base_delay: float | None = None,
        timeout: float = 10.0,
        interval: float = 0.5,
    ) -> None:
        self.store = store
        if not max_attempts:
            max_attempts = int(_env_number(self.attempts_env, self.default_attempts))
        if base_delay is None:
            base_delay = _env_number(self.backoff_env, self.default_backoff)
        self.max_attempts, self.base_delay = max(1, max_attempts), base_delay
        self.timeout, self.interval = timeout, interval
        self._refusal_logged = False

    @property
    def configured(self) -> bool:
        return self.problem is None

    @property
    def problem(self) -> str | None:
        """Why this target cannot be delivered (rows then wait), or None."""
        return None

    @property
    def idle(self) -> bool:
        """Nothing is to be sent and nothing said about it (rows simply wait)."""
        return False

    def describe(self, message: OutboxMessage) -> str:
        """How the log names a row."""
        return f"{self.target} message {message.id}"

    async def send(self, session: aiohttp.ClientSession, message: OutboxMessage) -> None:
        """Deliver one row; raise on failure."""
        raise NotImplementedError

    async def close(self) -> None:
        """Release what ``send`` opened."""

    async def deliver_pending(self, session: aiohttp.ClientSession | None = None) -> DeliveryReport:
        """One pass over the due rows of this target."""
        report = DeliveryReport()
        if self.idle:
            return report
        if self.problem:
            if not self._refusal_logged:
                log.error("%s outbox: %s", self.target, self.problem)
                self._refusal_logged = True
            return report
        messages = await asyncio.to_thread(self.store.due_outbox, 20, self.target)
        if not messages:
            return report
        own = session is None
        session = session or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        try:
            for msg in messages:
                try:
                    await self.send(session, msg)
                except Refused as exc:
                    error = str(exc)
                except (
                    aiohttp.ClientError,
                    asyncio.TimeoutError,
                    WeChatApiError,
                    ValueError,
                    KeyError,
                ) as exc:
                    error = f"{exc.__class__.__name__}: {exc}"
                else:
                    await asyncio.to_thread(self.store.outbox_delivered, msg.id)
                    report.delivered += 1
                    continue
                state = await asyncio.to_thread(
                    self.store.outbox_failed, msg.id, error, self.max_attempts, self.base_delay
                )
                report.failed += 1
                if state == outbox.DEAD:
                    report.dead += 1
                    log.error("%s gave up after %d attempts: %s", self.describe(msg), msg.attempts + 1, error)
                else:
                    log.warning("%s failed (%s), will retry", self.describe(msg), error)
        finally:
            if own:
                await session.close()
        return report

    async def run(self) -> None:
        """Deliver forever; a pass that delivered something is followed at once by the next (the
        recipient's next row is due as soon as the previous one is delivered)."""
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session:
            try:
                while True:
                    report = DeliveryReport()
                    try:
                        report = await self.deliver_pending(session)
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        log.exception("%s outbox delivery pass failed", self.target)
                    if not report.delivered:
                        await asyncio.sleep(self.interval)
            finally:
                await self.close()


class HotlineCallbacks(ChannelDeliverer):
    """The hotline's replies to the SMS gateway's callback URL, signed."""

    target = outbox.HOTLINE
    attempts_env, backoff_env = "HOTLINE_CALLBACK_RETRIES", "HOTLINE_CALLBACK_BACKOFF"

    def __init__(
        self,
        store: TicketStore,
        url: str | None = None,
        secret: str | None = None,
        *,
        max_attempts: int | None = None,
        base_delay: float | None = None,
        timeout: float = 10.0,
        interval: float = 0.5,
    ) -> None:
        super().__init__(
            store, max_attempts=max_attempts, base_delay=base_delay, timeout=timeout, interval=interval
        )
        self.url = url if url is not None else os.environ.get("HOTLINE_CALLBACK_URL", "")
        self.secret = secret if secret is not None else os.environ.get("HOTLINE_SECRET", "")

    @property
    def problem(self) -> str | None:
        if not self.url:
            return "HOTLINE_CALLBACK_URL is not set"
        if not self.secret:
            return "HOTLINE_SECRET is empty: refusing to send unsigned callbacks; they stay pending"
        return None

    async def send(self, session: aiohttp.ClientSession, message: OutboxMessage) -> None:
        raw = json.dumps(json.loads(message.body), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", **signing.signed_headers(self.secret, raw)}
        async with session.post(self.url, data=raw, headers=headers) as answer:
            if not 200 <= answer.status < 300:
                raise ValueError(f"HTTP {answer.status}")


class WeChatMessages(ChannelDeliverer):
    """The WeChat channel's customer-service messages (answers that missed the passive reply)."""

    target = outbox.WECHAT
    attempts_env, backoff_env = "WECHAT_SEND_ATTEMPTS", "WECHAT_SEND_BACKOFF"

    def __init__(
        self,
        store: TicketStore,
        api: WeChatApi | None = None,
        *,
        max_attempts: int | None = None,
        base_delay: float | None = None,
        timeout: float = 10.0,
        interval: float = 0.5,
    ) -> None:
        super().__init__(
            store, max_attempts=max_attempts, base_delay=base_delay, timeout=timeout, interval=interval
        )
        env = os.environ
        app_id, app_secret = env.get("WECHAT_APP_ID", "").strip(), env.get("WECHAT_APP_SECRET", "").strip()
        if api is None and app_id and app_secret:
            base = (env.get("WECHAT_API_BASE") or DEFAULT_API_BASE).strip()
            api = WeChatApi(app_id, app_secret, base, redis_url=env.get("REDIS_URL") or None, timeout=timeout)
        self.api = api

    @property
    def problem(self) -> str | None:
        return None if self.api is not None else "WECHAT_APP_ID and WECHAT_APP_SECRET are not set"

    async def send(self, session: aiohttp.ClientSession, message: OutboxMessage) -> None:
        assert self.api is not None
        body = json.loads(message.body)
        if body.get("media_id"):
            await self.keep_image(body)
            return
        await self.api.send_text(str(body["openid"]), str(body["content"]))

    async def keep_image(self, body: dict[str, str]) -> None:
        """Fetch, check and store a citizen's photo; the answer (received, or why not) is queued as
        the citizen's next message. A failed download is retried as any row."""
        assert self.api is not None
        data = await self.api.media(str(body["media_id"]), max_bytes() + 1)
        try:
            prepared = await asyncio.to_thread(prepare, data)
            await asyncio.to_thread(
                self.store.add_evidence,
                prepared,
                source="wechat",
                uploaded_by="群众",
                sender_id=body["sender_id"],
            )
            answer = RECEIVED
        except RejectedFile as exc:
            answer = exc.message
        openid = str(body["openid"])
        await asyncio.to_thread(
            self.store.enqueue_channel_messages,
            outbox.WECHAT,
            openid,
            "wechat.message",
            [{"openid": openid, "content": answer}],
        )

    async def close(self) -> None:
        if self.api is not None:
            await self.api.close()


def channel_deliverers(store: TicketStore) -> list[ChannelDeliverer]:
    """The deliverers the environment configures (the hotline's callback URL, the WeChat account)."""
    found: list[ChannelDeliverer] = [HotlineCallbacks(store), WeChatMessages(store)]
    return [d for d in found if d.configured or (isinstance(d, HotlineCallbacks) and d.url)]
