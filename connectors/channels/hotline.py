"""Hotline text channel: a Rasa input channel for the hotline's SMS/text gateway.

``POST /webhooks/hotline/webhook`` with a JSON body ``{"message_id": "...", "from": "13912345678",
"text": "..."}``, signed as described in :mod:`connectors.channels.sms` (``X-Hotline-Timestamp`` and
``X-Hotline-Signature``). The conversation id is ``hl-`` + a keyed hash of the phone number
(:func:`connectors.channels.senders.hotline_sender_id`: not derivable from the number), and the number
itself travels in the message's metadata (``{"phone": ...}``) for the intake's "use this number?"
step. Messages are rate-limited per caller and per client address (:mod:`connectors.channels.limits`;
exempt the gateway's address with ``RATE_LIMIT_EXEMPT``). The reply comes back in the
response as SMS-sized parts and, when ``HOTLINE_CALLBACK_URL`` is set, is also written to the ticket
database's outbox (:mod:`connectors.channels.channel_outbox`), from which the intake service posts it,
signed the same way, to the gateway's callback URL with retries that survive restarts. A reply that
is only a digit 1-5 after the caller's case was closed (办结) is their rating of it
(:mod:`connectors.channels.hotline_ratings`), unless it answers a question of an ongoing intake.

A message id is remembered with its reply once handled (:mod:`connectors.channels.replies`): the
gateway's retry of it gets ``{"duplicate": true, "replies": [the same parts]}``; a retry while the
first attempt is still being handled waits for it (``409`` after ``BUSY_WAIT`` seconds); a message whose
handling failed is not remembered, so its retry is handled.

Settings come from the environment (``credentials.yml`` may give non-secret defaults):
``HOTLINE_SECRET`` (required; without it every request is refused), ``HOTLINE_CALLBACK_URL``,
``HOTLINE_MAX_AGE`` (seconds a signature stays valid, default 300); ``HOTLINE_CALLBACK_RETRIES`` and
``HOTLINE_CALLBACK_BACKOFF`` are read by the intake service, which delivers (``bot.service.channels``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.channels import channel_outbox, replies, senders, sms, turns
from connectors.channels.hotline_ratings import HotlineRatings, agent_of
from connectors.channels.limits import RateLimiter
from connectors.channels.responses import dumps, json_error

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024
BUSY_WAIT = 10.0  # seconds a retry waits for the first attempt of its message to be answered


@dataclass(frozen=True)
class HotlineSettings:
    secret: str = ""
    callback_url: str = ""
    max_age: float = sms.DEFAULT_MAX_AGE

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
        )


class HotlineInput(InputChannel):
    """SMS/text gateway of the hotline; see the module docstring for the contract."""

    @classmethod
    def name(cls) -> str:
        return "hotline"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(HotlineSettings.load(credentials))

    def __init__(
        self,
        settings: HotlineSettings | None = None,
        limiter: RateLimiter | None = None,
        outbox: channel_outbox.ChannelOutbox | None = None,
        sender_key: bytes | None = None,
    ) -> None:
        self.settings = settings or HotlineSettings.load()
        self.limiter = limiter or RateLimiter()
        self.sender_key = sender_key or senders.sender_key()  # once, not per message
        memories = turns.ChannelMemories.load(self.name())
        self.options, self.answered = memories.options, memories.answered
        self.outbox = outbox or channel_outbox.shared()
        self.ratings = HotlineRatings(self.outbox)
        if not self.settings.secret:
            log.warning("hotline channel: HOTLINE_SECRET is not set, every request will be refused")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hotline = Blueprint("hotline_webhook", __name__)

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
            return json_error(503, "not_configured", "短信通道未配置签名密钥")
        refused = await self.limiter.check_ip(self.name(), request)
        if refused is not None:
            return refused
        body: bytes = request.body or b""
        if len(body) > MAX_BODY:
            return json_error(413, "body_too_large", "请求内容过大")
        verdict = sms.verify(
            self.settings.secret,
            body,
            request.headers.get(sms.TIMESTAMP_HEADER),
            request.headers.get(sms.SIGNATURE_HEADER),
            max_age=self.settings.max_age,
        )
        if not verdict.ok:
            log.warning("hotline: refused request (%s) from %s", verdict.reason, request.ip)
            return json_error(401, "unauthorized", "签名无效或已过期", reason=verdict.reason)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return json_error(400, "bad_json", "请求内容不是有效的 JSON")
        if not isinstance(data, dict):
            return json_error(400, "bad_json", "请求内容须为 JSON 对象")
        message_id = str(data.get("message_id") or "").strip()
        sender = sms.normalise_sender(data.get("from"))
        text = str(data.get("text") or "").strip()
        if not message_id or sender is None or not text:
            return json_error(400, "invalid_input", "须提供 message_id、from（手机号）和 text")
        state, answer = await turns.answer_once(
            self.answered,
            message_id,
            lambda: self._answer(message_id, sender, text, on_new_message, agent_of(request)),
            wait=BUSY_WAIT,
        )
        if state == replies.DONE:
            log.info("hotline: repeated message %s from %s, same reply", message_id, sms.mask(sender))
            return response.json(
                {"message_id": message_id, "duplicate": True, "replies": answer}, dumps=dumps
            )
        if state == replies.BUSY:
            return json_error(409, "in_progress", "该消息正在处理，请稍后重试")
        return answer

    async def _answer(
        self,
        message_id: str,
        sender: str,
        text: str,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        agent: Any = None,
    ) -> tuple[HTTPResponse, list[str] | None]:
        """The response, and the parts to give a retry of the message (None: handle the retry)."""
        conversation = senders.hotline_sender_id(sender, self.sender_key)
        refused = await self.limiter.check_sender(self.name(), conversation)
        if refused is not None:
            return refused, None  # a later retry of the gateway is a new attempt
        metadata: dict[str, Any] = {"phone": sender, "hotline": {"message_id": message_id}}
        try:
            reply = await self.ratings.answer(sender, conversation, text, self.options, agent)
            if reply is None:  # not a rating after 办结 (bot.tickets.notices): the dialogue answers
                reply = await turns.run_turn(
                    self.name(), text, conversation, metadata, self.options, on_new_message
                )
        except Exception:
            log.exception("hotline: message %s from %s failed", message_id, sms.mask(sender))
            return json_error(500, "internal_error", "服务暂时不可用，请稍后重试"), None  # retry handled
        parts = sms.split_sms(reply)
        queued = bool(self.settings.callback_url and parts)
        if queued:
            try:
                await self.outbox.hotline_reply(sender, message_id, parts)
            except Exception:  # the reply is in this response anyway
                queued = False
                log.exception("hotline: the callback for %s could not be queued", message_id)
        answer = {"message_id": message_id, "to": sender, "replies": parts, "callback": queued}
        return response.json(answer, dumps=dumps), parts
