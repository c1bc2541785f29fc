"""Rasa's HTTP API as the live hand-off uses it (``RASA_URL``, token ``RASA_TOKEN``): read a
conversation's tracker, append events (pause, resume, a staff member's words as a bot utterance) and
run an action (the intake form, to resume where it was). Rasa's tracker is the only chat store."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

from bot.service.rasa_api import CALL_ERRORS, RasaApi

log = logging.getLogger(__name__)

TIMEOUT = 10.0


class RasaUnavailable(Exception):
    """Rasa did not answer or refused; ``message`` is for staff."""

    def __init__(self, message: str = "对话服务暂时连不上，请稍后再试") -> None:
        super().__init__(message)
        self.message = message


def bot_event(text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {}, "metadata": metadata, "timestamp": time.time()}


def event(name: str) -> dict[str, Any]:
    return {"event": name, "timestamp": time.time()}


class RasaConversations:
    def __init__(self, api: RasaApi) -> None:
        self.api = api

    async def _call(self, method: str, path: str, body: Any = None, **params: str) -> Any:
        try:
            status, answer = await self.api.call(
                method, f"conversations/{path}", timeout=TIMEOUT, body=body, **params
            )
        except CALL_ERRORS as exc:
            log.warning("rasa unavailable: %s", exc.__class__.__name__)
            raise RasaUnavailable() from None
        if status != 200:
            log.warning("rasa %s %s answered %s", method, path.split("/")[-1], status)
            raise RasaUnavailable(f"对话服务返回错误（{status}）")
        return answer

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        return dict(await self._call("GET", f"{quote(sender_id, safe='')}/tracker") or {})

    async def append(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        await self._call("POST", f"{quote(sender_id, safe='')}/tracker/events", events, include_events="NONE")

    async def execute(self, sender_id: str, action: str) -> list[dict[str, Any]]:
        """Run ``action`` in the conversation; the bot messages it sent."""
        answer = await self._call(
            "POST", f"{quote(sender_id, safe='')}/execute", {"name": action}, include_events="NONE"
        )
        return list((answer or {}).get("messages") or [])
