"""The console's 等待人工 pages: the list of conversations waiting for a person (with the summary so
far), and one conversation's chat pane (polled for the citizen's new messages) with take, send, hand
back to the bot and end. Hand-offs are named by their case code in URLs (the widget's conversation id
is the citizen's secret for the widget's poll, so it stays out of addresses and logs). Same operations
as the staff API (``relay``), same scoping as the ticket page (``ConsoleUser.can_see``)."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.service.console.auth import ConsoleUser, staff_page
from bot.service.console.formatting import format_time
from bot.service.console.pages import FORM, PREFIX, USER, error_page, redirect, render, store_of
from bot.service.console.transcript import messages_of
from bot.service.handoff.rasa import RasaUnavailable
from bot.service.handoff.views import MAX_TEXT, for_staff, relay_of, visible_handoff, visible_list
from bot.storage.store import TicketError
from bot.tickets.labels import CHANNEL_NAMES

STATE_NAMES = {
    "waiting": "等待接入",
    "taken": "已接入",
    "released": "已交回助手",
    "expired": "超时未接",
    "closed": "已结束",
}
# a hand-off's "rest" conversation is always the web widget's (the REST channel takes widget ids only)
CHANNELS = {**CHANNEL_NAMES, "rest": "网页聊天"}
REASON_NAMES = {"asked": "群众要求", "misunderstood": "多次未理解", "urgent": "紧急情况"}


@staff_page
async def list_page(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    found = await visible_list(request.app, user.can_see)
    tz = store_of(request).tz()
    return render(
        request,
        "handoffs.html",
        handoffs=[for_staff(h, user.is_admin) for h in found],
        state_names=STATE_NAMES,
        reason_names=REASON_NAMES,
        channel_names=CHANNELS,
        fmt=format_time,
        tz=tz,
    )


async def _load(request: web.Request, user: ConsoleUser) -> dict[str, Any] | web.Response:
    code = request.match_info["code"]
    handoff = await asyncio.to_thread(store_of(request).handoff_of_ticket, code)
    if handoff is None:
        return error_page(request, 404, "这个案件没有转人工的对话")
    try:
        handoff, _ = await visible_handoff(request.app, handoff["sender_id"], user.can_see)
    except web.HTTPForbidden:
        return error_page(request, 403, "无权处理其他窗口的对话")
    return handoff


async def _messages(
    request: web.Request, user: ConsoleUser, handoff: dict[str, Any]
) -> tuple[list[Any], str]:
    try:
        tracker = await relay_of(request.app).rasa.tracker(handoff["sender_id"])
    except RasaUnavailable as exc:
        return [], exc.message
    return messages_of(tracker.get("events") or [], mask=not user.is_admin), ""


@staff_page
async def chat_page(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    handoff = await _load(request, user)
    if isinstance(handoff, web.Response):
        return handoff
    messages, problem = await _messages(request, user, handoff)
    return render(
        request,
        "handoff.html",
        h=for_staff(handoff, user.is_admin),
        mine=handoff["state"] == "taken" and handoff["taken_by_id"] == user.actor_id,
        messages=messages,
        problem=problem or request.query.get("error", ""),
        state_names=STATE_NAMES,
        reason_names=REASON_NAMES,
        max_text=MAX_TEXT,
        poll_url=f"{PREFIX}/handoffs/{quote(handoff['ticket_code'] or '')}/messages",
    )


@staff_page(page=False)
async def messages_json(request: web.Request) -> web.StreamResponse:
    """Polled by the chat pane: the conversation so far and the hand-off's state."""
    user: ConsoleUser = request[USER]
    handoff = await _load(request, user)
    if isinstance(handoff, web.Response):
        return web.json_response({"error": "not_found"}, status=handoff.status)
    messages, problem = await _messages(request, user, handoff)
    return web.json_response(
        {"state": handoff["state"], "taken_by": handoff["taken_by"], "messages": messages, "problem": problem}
    )


def step(kind: str) -> Any:
    @staff_page
    async def handler(request: web.Request) -> web.StreamResponse:
        user: ConsoleUser = request[USER]
        handoff = await _load(request, user)
        if isinstance(handoff, web.Response):
            return handoff
        relay, sender = relay_of(request.app), handoff["sender_id"]
        page = f"{PREFIX}/handoffs/{quote(handoff['ticket_code'] or '')}"
        try:
            if kind == "take":
                await relay.take(sender, user.name, user.actor_id)
            elif kind == "send":
                text = str(request[FORM].get("text") or "").strip()
                if not text or len(text) > MAX_TEXT:
                    return redirect(page + "?error=" + quote(f"请输入1–{MAX_TEXT}字的回复"))
                await relay.say(sender, user.actor_id, user.name, text)
            elif kind == "release":
                await relay.release(sender, user.actor_id, user.name)
            else:
                await relay.close(sender, user.actor_id, user.name)
        except (TicketError, RasaUnavailable) as exc:
            return redirect(page + "?error=" + quote(exc.message))
        if kind == "close":
            return redirect(f"{PREFIX}/tickets/{quote(handoff['ticket_code'] or '')}")
        return redirect(page)

    return handler


def setup(app: web.Application) -> None:
    r = app.router
    r.add_get(PREFIX + "/handoffs", list_page)
    r.add_get(PREFIX + "/handoffs/{code}", chat_page)
    r.add_get(PREFIX + "/handoffs/{code}/messages", messages_json)
    for kind in ("take", "send", "release", "close"):
        r.add_post(PREFIX + f"/handoffs/{{code}}/{kind}", step(kind))
