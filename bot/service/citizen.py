"""What a citizen reaches without a login about their own case, besides the status check (``public``):

- ``GET /api/public/updates?sender_id=w-…&sender_id=…``: the cases web widget conversations filed (the
  browser's current one and those it follows), with their status and whether they may be rated (the
  widget's "您的案件有新进展"); only widget ids, whose 128 random bits only that browser knows, are
  answered, and nothing personal is returned;
- ``POST /api/public/rating``: the citizen's rating 1-5 (optional ``comment``) of a case after 办结,
  either from the widget (``sender_id`` + ``code``) or with ``code`` + ``phone_last4`` and the status
  check's limits (per address, and failures per case code lock it).

A check with ``phone_last4`` counts against the status check's limit per address; the widget's
requests (its id cannot be guessed) have their own, wider one (``WIDGET_RATE_LIMIT`` per minute and
address, default 60), so citizens behind one address do not use up each other's status checks. Browsers
may call them from the widget's
origins (``WIDGET_ORIGINS``, ``bot.service.cors``): the widget sends plain requests (no preflight).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from aiohttp import web

from bot.service.limits import RateLimiter, client_address, rate_limiter
from bot.service.responses import error, field, ok, read_json
from bot.service.state import LIMITER, STORE
from bot.tickets import notices

WIDGET_LIMITER = web.AppKey("widget_limiter", RateLimiter)


async def _limited(request: web.Request, limiter: RateLimiter) -> web.Response | None:
    if await limiter.hit(client_address(request)):
        return None
    return error(429, "rate_limited", "操作过于频繁，请稍后再试", **{"Retry-After": "60"})


async def updates(request: web.Request) -> web.Response:
    refused = await _limited(request, request.app[WIDGET_LIMITER])
    if refused is not None:
        return refused
    store = request.app[STORE]
    senders = [s.strip() for s in request.query.getall("sender_id", [])]
    found = await asyncio.to_thread(store.conversation_updates, senders)
    return ok({"updates": found, "texts": notices.widget_texts(store.profile)})


def rating_answer(result: dict[str, Any]) -> web.Response:
    """The API answer to a stored (200) or refused (409: already rated, not closed yet) rating."""
    if result["outcome"] != "thanks":
        return error(409, result["outcome"], str(result["reply"]))
    return ok(
        {
            "code": result["code"],
            "citizen_rating": result["rating"],
            "revisit": result["revisit"],
            "message": result["reply"],
        }
    )


async def rate(request: web.Request) -> web.Response:
    data = await read_json(request)
    store = request.app[STORE]
    code = field(data, "code", str, required=True)
    rating, comment = data.get("rating"), field(data, "comment", str)
    sender, last4 = field(data, "sender_id", str), field(data, "phone_last4", str)
    refused = await _limited(request, request.app[WIDGET_LIMITER] if sender else request.app[LIMITER])
    if refused is not None:
        return refused
    if sender:
        result = await asyncio.to_thread(store.rate_by_sender, sender, code, rating, comment)
    else:
        checked = await asyncio.to_thread(store.rate_checked, code, last4 or "", rating, comment)
        if checked is None:
            not_found = (
                store.profile.text("status_not_found") or "没有查到对应的记录，请核对受理编号和手机号后四位"
            )
            return error(404, "not_found", not_found)
        if checked.get("locked"):
            retry = str(60 * int(checked.get("retry_after_minutes") or 30))
            return error(429, "locked", str(checked["message"]), **{"Retry-After": retry})
        result = checked
    return rating_answer(result)


def setup_citizen(app: web.Application) -> None:
    per_minute = int(os.environ.get("WIDGET_RATE_LIMIT") or 60)
    app[WIDGET_LIMITER] = rate_limiter(per_minute, 60.0, name="widget_updates")  # Redis with REDIS_URL
    app.router.add_get("/api/public/updates", updates)
    app.router.add_post("/api/public/rating", rate)
