"""What the intake service answers without a token: the health page, the OpenAPI document and the
citizens' status check (受理编号 + 手机号后四位), which is rate-limited per IP so codes cannot be probed."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.service.limits import client_address
from bot.service.openapi import openapi_document
from bot.service.responses import error, field, ok, read_json
from bot.service.state import LIMITER, STORE
from bot.service.webhook import delivery_problem

PUBLIC_PATHS = ("/", "/health", "/api/openapi.json")


def is_public(path: str) -> bool:
    """Paths served without a bearer token: these, ``/api/public/…`` and everything outside ``/api/``."""
    return path in PUBLIC_PATHS or path.startswith("/api/public/") or not path.startswith("/api/")


async def health(request: web.Request) -> web.Response:
    """200 while the database answers; ``status`` is "degraded" (still 200: balancers route on the
    code, monitoring reads the body) while webhook events are dead letters or delivery is refused."""
    store = request.app[STORE]
    db_ok = await asyncio.to_thread(store.ping)
    body: dict[str, Any] = {"status": "ok" if db_ok else "error", "db": db_ok, "service": "intake"}
    if db_ok:
        counts = await asyncio.to_thread(store.outbox_counts)
        body["outbox"] = counts
        body["dead_letters"] = counts.get("dead", 0)
        problem = delivery_problem(request.app)
        body["webhook"] = {"ok": problem is None, "problem": problem}
        if body["dead_letters"] or problem:
            body["status"] = "degraded"
    return ok(body, 200 if db_ok else 503)


async def openapi(request: web.Request) -> web.Response:
    return ok(openapi_document())


async def public_status(request: web.Request) -> web.Response:
    if not await request.app[LIMITER].hit(client_address(request)):
        return error(429, "rate_limited", "查询过于频繁，请稍后再试", **{"Retry-After": "60"})
    data = await read_json(request)
    code, last4 = field(data, "code", str) or "", field(data, "phone_last4", str) or ""
    result = await asyncio.to_thread(request.app[STORE].public_status, code, last4)
    if result is not None and result.get("locked"):
        retry = str(60 * int(result.get("retry_after_minutes") or 30))
        return error(429, "locked", str(result["message"]), **{"Retry-After": retry})
    if result is None:
        return error(
            404,
            "not_found",
            request.app[STORE].profile.text("status_not_found")
            or "没有查到对应的记录，请核对受理编号和手机号后四位",
        )
    return ok(result)
