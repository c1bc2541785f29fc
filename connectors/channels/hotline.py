"""Hotline text channel: a Rasa input channel for the hotline's SMS/text gateway.

``POST /webhooks/hotline/webhook`` with a JSON body ``{"message_id": "...", "from": "13912345678",
"text": "..."}``, signed as described in :mod:`connectors.channels.sms` (``X-Hotline-Timestamp`` and
``X-Hotline-Signature``). The conversation id is ``hl-`` + a keyed hash of the phone number
(:func:`connectors.channels.senders.hotline_sender_id`: not derivable from the number), and the number
itself travels in the message's metadata (``{"phone": ...}``) for the intake's "use this number?"
step. Messages are rate-limited per caller and per client address (:mod:`connectors.channels.limits`;
exempt the gateway's address with ``RATE_LIMIT_EXEMPT``). The reply comes back in the
response as SMS-sized parts and, when ``HOTLINE_CALLBACK_URL`` is set, is also posted (signed the same
way) to the gateway's callback URL, with retries.

Settings come from the environment (``credentials.yml`` may give non-secret defaults):
``HOTLINE_SECRET`` (required; without it every request is refused), ``HOTLINE_CALLBACK_URL``,
``HOTLINE_MAX_AGE`` (seconds a signature stays valid, default 300), ``HOTLINE_CALLBACK_RETRIES``
(attempts, default 4) and ``HOTLINE_CALLBACK_BACKOFF`` (first retry delay in seconds, doubled each time).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors import rasa_speedups
from connectors.channels import senders, sms
from connectors.channels.limits import RateLimiter

# This module is loaded into the Rasa process (credentials.yml): the right place for Rasa fixes.

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024


@dataclass(frozen=True)
class HotlineSettings:
    secret: str = ""
    callback_url: str = ""
    max_age: float = sms.DEFAULT_MAX_AGE
    callback_retries: int = 4
    callback_backoff: float = 1.0
    callback_timeout: float = 10.0

    @classmethod
    def load(cls, credentials: dict[str, Any] | None = None) -> HotlineSettings:
        """Environment first, then ``credentials.yml``; the secret only from the environment."""
        c = credentials or {}
        env = os.environ

        def pick(env_name: str, key: str, default: Any) -> Any:
            value = env.get(env_name)
            if value not in (None, ""):
                return value
            value = c.get(key)
            return default if value in (None, "") else value

        return cls(
            secret=env.get("HOTLINE_SECRET", ""),
            callback_url=str(pick("HOTLINE_CALLBACK_URL", "callback_url", "")),
            max_age=float(pick("HOTLINE_MAX_AGE", "max_age_seconds", sms.DEFAULT_MAX_AGE)),
            callback_retries=max(1, int(pick("HOTLINE_CALLBACK_RETRIES", "callback_retries", 4))),
            callback_backoff=float(pick("HOTLINE_CALLBACK_BACKOFF", "callback_backoff_seconds", 1.0)),
        )


class HotlineInput(InputChannel):
    """SMS/text gateway of the hotline; see the module docstring for the contract."""

    @classmethod
    def name(cls) -> str:
        return "hotline"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(HotlineSettings.load(credentials))

    def __init__(self, settings: HotlineSettings | None = None, limiter: RateLimiter | None = None) -> None:
        self.settings = settings or HotlineSettings.load()
        self.limiter = limiter or RateLimiter()
        # Shared through Redis when several Rasa workers or instances answer (REDIS_URL).
        self.seen, self.options = sms.memories(os.environ.get("REDIS_URL"))
        self._deliveries: set[asyncio.Task[bool]] = set()
        if not self.settings.secret:
            log.warning("hotline channel: HOTLINE_SECRET is not set, every request will be refused")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hotline = Blueprint("hotline_webhook", __name__)
        hotline.after_server_stop(rasa_speedups.close_kept_sessions)

        @hotline.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": bool(self.settings.secret)})

        @hotline.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return hotline

    async def handle(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        if not self.settings.secret:
            return _error(503, "not_configured", "短信通道未配置签名密钥")
        refused = await self.limiter.check_ip(self.name(), request)
        if refused is not None:
            return refused
        body: bytes = request.body or b""
        if len(body) > MAX_BODY:
            return _error(413, "body_too_large", "请求内容过大")
        verdict = sms.verify(
            self.settings.secret,
            body,
            request.headers.get(sms.TIMESTAMP_HEADER),
            request.headers.get(sms.SIGNATURE_HEADER),
            max_age=self.settings.max_age,
        )
        if not verdict.ok:
            log.warning("hotline: refused request (%s) from %s", verdict.reason, request.ip)
            return _error(401, "unauthorized", "签名无效或已过期", reason=verdict.reason)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return _error(400, "bad_json", "请求内容不是有效的 JSON")
        if not isinstance(data, dict):
            return _error(400, "bad_json", "请求内容须为 JSON 对象")
        message_id = str(data.get("message_id") or "").strip()
        sender = sms.normalise_sender(data.get("from"))
        text = str(data.get("text") or "").strip()
        if not message_id or sender is None or not text:
            return _error(400, "invalid_input", "须提供 message_id、from（手机号）和 text")
        if not self.seen.first_time(message_id):
            log.info("hotline: duplicate message %s from %s ignored", message_id, sms.mask(sender))
            return response.json({"message_id": message_id, "duplicate": True, "replies": []})
        conversation = senders.hotline_sender_id(sender)
        refused = await self.limiter.check_sender(self.name(), conversation)
        if refused is not None:
            self.seen.forget(message_id)  # a later retry of the gateway is a new attempt
            return refused

        chosen = sms.pick_option(text, self.options.options(conversation))
        metadata: dict[str, Any] = {"phone": sender, "hotline": {"message_id": message_id}}
        if chosen is not None:
            metadata["hotline"]["option"] = chosen.title
            text = chosen.payload
        collector = CollectingOutputChannel()
        try:
            await on_new_message(
                UserMessage(text, collector, conversation, input_channel=self.name(), metadata=metadata)
            )
        except Exception:
            self.seen.forget(message_id)  # let the gateway's retry through
            log.exception("hotline: message %s from %s failed", message_id, sms.mask(sender))
            return _error(500, "internal_error", "服务暂时不可用，请稍后重试")

        reply, options = sms.render_reply(collector.messages)
        self.options.remember(conversation, options)
        parts = sms.split_sms(reply)
        delivered = bool(self.settings.callback_url and parts)
        if delivered:
            self._schedule_delivery(sender, message_id, parts)
        return response.json(
            {"message_id": message_id, "to": sender, "replies": parts, "callback": delivered},
            dumps=_dumps,
        )

    # ------------------------------------------------------------ callback delivery

    def _schedule_delivery(self, sender: str, message_id: str, parts: list[str]) -> None:
        task = asyncio.ensure_future(self.deliver(sender, message_id, parts))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def deliver(self, sender: str, message_id: str, parts: list[str]) -> bool:
        """POST the reply to the callback URL, retrying with exponential back-off; True when accepted."""
        s = self.settings
        body = _dumps({"to": sender, "in_reply_to": message_id, "parts": parts}).encode("utf-8")
        delay = s.callback_backoff
        timeout = aiohttp.ClientTimeout(total=s.callback_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for attempt in range(1, s.callback_retries + 1):
                headers = {"Content-Type": "application/json", **sms.signed_headers(s.secret, body)}
                try:
                    async with session.post(s.callback_url, data=body, headers=headers) as answer:
                        if 200 <= answer.status < 300:
                            return True
                        problem = f"HTTP {answer.status}"
                except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                    problem = type(exc).__name__
                log.warning(
                    "hotline: callback for %s to %s failed (%s), attempt %d/%d",
                    message_id,
                    sms.mask(sender),
                    problem,
                    attempt,
                    s.callback_retries,
                )
                if attempt < s.callback_retries:
                    await asyncio.sleep(delay)
                    delay *= 2
        log.error("hotline: reply to message %s was not delivered to the callback URL", message_id)
        return False


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _error(status: int, code: str, message: str, **extra: str) -> HTTPResponse:
    return response.json({"error": code, "message": message, **extra}, status=status, dumps=_dumps)
