"""The web widget's REST channel: Rasa's ``RestInput`` at the same path (``/webhooks/rest/webhook``),
but a conversation id is accepted only in the widget's random format (``w-`` + 32 hex digits,
:mod:`connectors.channels.senders`), the client can neither claim another input channel nor attach
metadata (the hotline passes the caller's phone there), and messages are rate-limited per
conversation and per client address (:mod:`connectors.channels.limits`)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from connectors.channels import senders
from connectors.channels.limits import RateLimiter
from connectors.channels.responses import json_error

log = logging.getLogger(__name__)

NOT_DELIVERED = "系统暂时繁忙，您的话还没有送达，请稍后再发一次。"
# Set when this request's turn failed (lock store or database unreachable, an instance shutting down):
# Rasa's RestInput logs the error and answers 200 with no reply, which the citizen would take for "not
# understood" while the message was lost. Same task as the handler, so the response middleware sees it.
_TURN_FAILED: ContextVar[bool] = ContextVar("rest_turn_failed", default=False)


class WidgetRestInput(RestInput):
    """``POST /webhooks/rest/webhook`` ``{"sender": "w-<32 hex>", "message": "..."}``."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self, limiter: RateLimiter | None = None) -> None:
        self.limiter = limiter or RateLimiter()

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()  # never the client's "input_channel": a REST message is not a hotline one

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None  # never the client's "metadata" (the hotline's phone travels there)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> Any:
            try:
                return await on_new_message(message)
            except Exception:
                _TURN_FAILED.set(True)
                raise

        blueprint = super().blueprint(handle)

        @blueprint.middleware("response")
        async def failed_turn(request: Request, response: HTTPResponse) -> HTTPResponse | None:
            """A turn that failed is a 503 the widget offers to retry, never an empty 200."""
            if not _TURN_FAILED.get():
                return None
            _TURN_FAILED.set(False)
            return json_error(503, "try_again", NOT_DELIVERED, headers={"Retry-After": "5"})

        @blueprint.middleware("request")
        async def guard(request: Request) -> HTTPResponse | None:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            _TURN_FAILED.set(False)
            refused = await self.limiter.check_ip(self.name(), request)
            if refused is not None:
                return refused
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - Sanic raises its own error on invalid JSON
                body = None
            sender = body.get("sender") if isinstance(body, dict) else None
            if not senders.is_widget_id(sender):
                log.warning("rest channel: refused a message with an invalid conversation id")
                return json_error(400, "invalid_sender", "会话编号无效，请刷新页面后重试")
            if not isinstance(body.get("message"), str):
                return json_error(400, "invalid_input", "须提供 message（文字）")
            return await self.limiter.check_sender(self.name(), str(sender))

        return blueprint
