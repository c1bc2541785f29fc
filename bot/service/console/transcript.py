"""The conversation behind a ticket, fetched from Rasa's tracker API for the ticket page.

Rasa may be down or have dropped the conversation; the page then shows why instead of the messages.
Staff who are not administrators get phone and ID numbers masked in the text. What staff wrote in a
live hand-off shows with their name.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from bot import privacy
from bot.service.rasa_api import CALL_ERRORS, RasaApi

log = logging.getLogger(__name__)

TRANSCRIPT_TIMEOUT = 3.0


async def fetch_transcript(
    api: RasaApi, sender_id: str, *, mask: bool
) -> tuple[list[dict[str, str]] | None, str | None]:
    """The user/bot messages of the conversation from Rasa's tracker API, or (None, why not)."""
    if not sender_id:
        return None, "没有对话记录的会话编号"
    try:
        status, tracker = await api.call(
            "GET", f"conversations/{quote(sender_id, safe='')}/tracker", timeout=TRANSCRIPT_TIMEOUT
        )
    except CALL_ERRORS as exc:
        log.info("tracker unavailable: %s", exc.__class__.__name__)
        return None, "对话服务暂时连不上，无法显示对话记录"
    if status != 200 or not isinstance(tracker, dict):
        return None, f"对话服务返回错误（{status}），暂时无法显示对话记录"
    messages = messages_of(tracker.get("events") or [], mask=mask)
    if not messages:
        return None, "对话服务中没有这段对话（可能已过期或被清理）"
    return messages, None


def messages_of(events: list[dict[str, Any]], *, mask: bool) -> list[dict[str, str]]:
    """The user/bot messages of tracker events; what staff said in a live hand-off (a bot utterance
    whose metadata names them, ``bot.service.handoff``) is the staff member's, with their name."""
    messages = []
    for index, event in enumerate(events):
        if event.get("event") not in ("user", "bot") or not event.get("text"):
            continue
        text = str(event["text"])
        moment = event.get("timestamp")
        handoff = (event.get("metadata") or {}).get("handoff") or {}
        who = event["event"]
        if who == "bot" and handoff.get("kind") == "staff":
            who = "staff"
        speaker = {"user": "群众", "bot": "助手"}.get(who) or f"工作人员 {handoff.get('staff') or ''}".strip()
        messages.append(
            {
                "who": who,
                "speaker": speaker,
                "text": privacy.mask_text(text) if mask else text,
                "at": datetime.fromtimestamp(float(moment), timezone.utc).isoformat() if moment else "",
                "index": str(index),
            }
        )
    return messages
