"""The staff API of live hand-offs (``/api/handoffs…``, bearer tokens, scoped by window through the
hand-off's ticket) and the widget's poll (``POST /widget/handoff``, public).

The widget's poll is safe from other citizens the way the REST channel is: a conversation is named
only by the widget's random id (``w-`` + 32 hex digits, drawn in the citizen's browser and never
shown to another citizen), which already lets its holder write into that conversation; other ids
(hotline, WeChat, staff filings) are refused, so a hotline conversation id seen by staff opens
nothing here. The id travels in the body, never in a URL (logs), and polls are rate-limited.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from typing import Any

from aiohttp import web

from bot import privacy
from bot.service.api import identity_of, visible
from bot.service.console.pages import CONSOLE_CONFIG
from bot.service.handoff.rasa import RasaConversations, RasaUnavailable
from bot.service.handoff.relay import Relay
from bot.service.limits import RateLimiter, client_address
from bot.service.rasa_api import rasa_api
from bot.service.responses import error, field, json_error, ok, read_json
from bot.service.state import STORE
from bot.storage import handoffs as states
from bot.storage.store import StaffIdentity, TicketNotFound
from bot.tickets.records import is_widget_id

POLL_LIMITER = web.AppKey("handoff_poll_limiter", RateLimiter)  # per conversation
POLL_IP_LIMITER = web.AppKey("handoff_poll_ip_limiter", RateLimiter)  # per address (a hall's NAT: many)
MAX_TEXT = 1000


def relay_of(app: web.Application) -> Relay:
    """Rasa's address and token are the console's (``RASA_URL``, ``RASA_TOKEN``)."""
    config = app[CONSOLE_CONFIG]
    return Relay(app[STORE], RasaConversations(rasa_api(app, config.rasa_url, config.rasa_token)))


async def visible_handoff(
    app: web.Application, sender_id: str, can_see: Any
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The active or last hand-off of the conversation and its ticket; 404 unknown, 403 another window's."""
    store = app[STORE]
    handoff = await asyncio.to_thread(store.handoff, sender_id)
    if handoff is None:
        raise TicketNotFound("没有这段对话的转人工请求")
    ticket = None
    if handoff["ticket_code"]:
        ticket = await asyncio.to_thread(store.get_ticket, handoff["ticket_code"], mask=True)
    if ticket is None or not can_see(ticket):
        raise json_error(web.HTTPForbidden, "forbidden", "无权处理其他窗口的对话")
    return handoff, ticket


async def visible_list(app: web.Application, can_see: Any) -> list[dict[str, Any]]:
    store = app[STORE]
    found = []
    for handoff in await asyncio.to_thread(store.list_handoffs):
        code = handoff["ticket_code"]
        ticket = await asyncio.to_thread(store.get_ticket, code, mask=True) if code else None
        if ticket is not None and can_see(ticket):
            found.append(handoff)
    return found


def for_staff(handoff: dict[str, Any], identity_is_admin: bool) -> dict[str, Any]:
    """Without the channel's address (phone, openid) and the taker's id; summary masked but for admins."""
    shown = {k: v for k, v in handoff.items() if k not in ("recipient", "taken_by_id")}
    if not identity_is_admin:
        shown["summary"] = privacy.mask_text(shown.get("summary") or "")
    return shown


def _can_see(identity: StaffIdentity) -> Any:
    return lambda ticket: visible(ticket, identity)


async def list_handoffs(request: web.Request) -> web.Response:
    identity = identity_of(request)
    found = await visible_list(request.app, _can_see(identity))
    return ok({"handoffs": [for_staff(h, identity.is_admin) for h in found]})


async def _step(request: web.Request, step: str) -> web.Response:
    identity = identity_of(request)
    sender_id = request.match_info["sender_id"]
    await visible_handoff(request.app, sender_id, _can_see(identity))
    relay = relay_of(request.app)
    try:
        if step == "take":
            handoff = await relay.take(sender_id, identity.name, identity.actor_id)
        elif step == "release":
            handoff = await relay.release(sender_id, identity.actor_id, identity.name)
        elif step == "close":
            handoff = await relay.close(sender_id, identity.actor_id, identity.name)
        else:
            data = await read_json(request)
            text = (field(data, "text", str, required=True) or "").strip()
            if not text or len(text) > MAX_TEXT:
                return error(400, "invalid_input", f"text 须为 1–{MAX_TEXT} 字的文字")
            handoff = await relay.say(sender_id, identity.actor_id, identity.name, text)
    except RasaUnavailable as exc:
        return error(503, "rasa_unavailable", exc.message, **{"Retry-After": "10"})
    return ok(for_staff(handoff, identity.is_admin))


async def take(request: web.Request) -> web.Response:
    return await _step(request, "take")


async def send(request: web.Request) -> web.Response:
    return await _step(request, "messages")


async def release(request: web.Request) -> web.Response:
    return await _step(request, "release")


async def close(request: web.Request) -> web.Response:
    return await _step(request, "close")


def pushed(events: list[dict[str, Any]], after: float) -> list[dict[str, Any]]:
    """Bot messages the widget did not get as a reply to its own message: the hand-off's (staff
    members' and notices, marked in their metadata) and those the bot sent when a person handed the
    conversation back (after a ``resume`` event, before the citizen's next message)."""
    found, resumed = [], False
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "resume":
            resumed = True
        elif kind == "user":
            resumed = False
        elif kind == "bot" and event.get("text"):
            handoff = (event.get("metadata") or {}).get("handoff")
            moment = float(event.get("timestamp") or 0)
            if (handoff or resumed) and moment > after:
                staff = handoff.get("staff") if handoff and handoff.get("kind") == "staff" else None
                found.append({"text": str(event["text"]), "staff": staff, "at": moment, "index": index})
    return found


async def widget_poll(request: web.Request) -> web.Response:
    """``POST /widget/handoff`` ``{"sender": "w-…", "after": <seconds>}`` (sent as text/plain, a simple
    cross-origin request) → ``{"state", "staff", "messages": [{"text", "staff", "at"}], "cursor"}``."""
    headers = {"Cache-Control": "no-store"}
    try:
        body = json.loads(await request.text() or "{}")
    except ValueError:
        body = None
    sender = body.get("sender") if isinstance(body, dict) else None
    if not is_widget_id(sender):
        return error(400, "invalid_sender", "会话编号无效，请刷新页面后重试", **headers)
    if not await request.app[POLL_LIMITER].hit(str(sender)) or not await request.app[POLL_IP_LIMITER].hit(
        client_address(request)
    ):
        return error(429, "rate_limited", "请求过于频繁，请稍后再试", **headers)
    assert isinstance(body, dict)
    after = body.get("after")
    after = float(after) if isinstance(after, int | float) and not isinstance(after, bool) else None
    handoff = await asyncio.to_thread(request.app[STORE].handoff, str(sender))
    if handoff is None or (handoff["reason"] == "urgent" and not handoff["paused"]):
        return web.json_response({"state": "none", "messages": [], "cursor": after}, headers=headers)
    if after is None and handoff["state"] not in states.ACTIVE:  # a new page: nothing pending
        return web.json_response({"state": "ended", "messages": [], "cursor": time.time()}, headers=headers)
    since = after if after is not None else _epoch(handoff["since"])
    messages: list[dict[str, Any]] = []
    try:
        tracker = await relay_of(request.app).rasa.tracker(str(sender))
        messages = pushed(tracker.get("events") or [], since)
    except RasaUnavailable:
        pass  # the next poll tries again
    cursor = max([since, *(m["at"] for m in messages)])
    state = handoff["state"] if handoff["state"] in states.ACTIVE else "ended"
    return web.json_response(
        {
            "state": state,
            "staff": handoff["taken_by"] if state == states.TAKEN else None,
            "messages": [{k: m[k] for k in ("text", "staff", "at")} for m in messages],
            "cursor": cursor,
        },
        headers=headers,
    )


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()
