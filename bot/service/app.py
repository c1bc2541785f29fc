"""The intake service (aiohttp): staff API, public status check, health page and outbox delivery.

Staff endpoints need ``Authorization: Bearer <token>``: the value of ``INTAKE_STAFF_TOKEN`` is an
administrator token; other tokens are created with ``intake token create`` and stored hashed. Window
staff and mediators see only tickets routed (primary or secondary) to their windows. Errors are JSON
``{"error": "<code>", "message": "<中文说明>"}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from aiohttp import web

from bot import privacy
from bot.service.console import setup_console
from bot.service.openapi import openapi_document
from bot.service.webhook import WebhookDeliverer
from bot.service.widget.routes import setup_widget
from bot.storage.store import (
    STATUSES,
    IntakeRecord,
    InvalidInput,
    InvalidTransition,
    ListFilters,
    StaffIdentity,
    TicketNotFound,
    TicketStore,
)

log = logging.getLogger(__name__)

STORE = web.AppKey("store", TicketStore)
STAFF_TOKEN = web.AppKey("staff_token", str)
LIMITER = web.AppKey("limiter", object)
DELIVERER = web.AppKey("deliverer", object)
DELIVERY_TASK = web.AppKey("delivery_task", object)
IDENTITY = "identity"
PUBLIC_PATHS = ("/", "/health", "/api/openapi.json")
DEFAULT_MAX_BODY = 64 * 1024

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error(status: int, code: str, message: str, **headers: str) -> web.Response:
    return web.json_response(
        {"error": code, "message": message}, status=status, headers=headers or None, dumps=_dumps
    )


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def ok(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


class RateLimiter:
    """Sliding-window request counter per client key (the public status check is rate-limited by IP)."""

    def __init__(self, max_requests: int, window_seconds: float):
        self.max_requests = max_requests
        self.window = window_seconds
        self.hits: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        if len(self.hits) > 10_000:  # forget idle clients so the table cannot grow without bound
            for idle in [k for k, v in self.hits.items() if not v or v[-1] <= now - self.window]:
                del self.hits[idle]
        hits = self.hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.max_requests:
            return False
        hits.append(now)
        return True


_STATUS_MESSAGES = {
    404: ("not_found", "没有这个接口"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("body_too_large", "请求内容过大"),
    400: ("bad_request", "请求有误"),
}


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error becomes JSON with a Chinese message; internal errors are logged, not leaked."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.content_type == "application/json":
            raise
        code, message = _STATUS_MESSAGES.get(exc.status, ("http_error", exc.reason))
        return error(exc.status, code, message)
    except TicketNotFound as exc:
        return error(404, "not_found", exc.message)
    except InvalidTransition as exc:
        return error(409, "invalid_transition", exc.message)
    except InvalidInput as exc:
        return error(400, "invalid_input", exc.message)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error(500, "internal_error", "服务内部错误，请稍后再试")


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    path = request.path
    if path in PUBLIC_PATHS or path.startswith("/api/public/") or not path.startswith("/api/"):
        return await handler(request)
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return error(
            401,
            "unauthorized",
            "缺少访问令牌，请在 Authorization 头中提供 Bearer 令牌",
            **{"WWW-Authenticate": "Bearer"},
        )
    admin_token = request.app[STAFF_TOKEN]
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        identity: StaffIdentity | None = StaffIdentity(name="管理员", role="admin")
    else:
        identity = await asyncio.to_thread(request.app[STORE].authenticate, token)
    if identity is None:
        return error(401, "unauthorized", "访问令牌无效或已吊销", **{"WWW-Authenticate": "Bearer"})
    request[IDENTITY] = identity
    return await handler(request)


async def read_json(request: web.Request) -> dict[str, Any]:
    body = await request.read()  # raises 413 beyond client_max_size
    try:
        data = json.loads(body.decode("utf-8") if body else "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise web.HTTPBadRequest(
            text=_dumps({"error": "bad_json", "message": "请求内容不是有效的 JSON"}),
            content_type="application/json",
        ) from None
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(
            text=_dumps({"error": "bad_json", "message": "请求内容须为 JSON 对象"}),
            content_type="application/json",
        )
    return data


def identity_of(request: web.Request) -> StaffIdentity:
    return request[IDENTITY]


def visible(ticket: dict[str, Any], identity: StaffIdentity) -> bool:
    if identity.is_admin:
        return True
    windows = {ticket["route"]["window"]} | {
        s["window"] for s in ticket["route"].get("secondary_windows", [])
    }
    return bool(windows & set(identity.windows))


async def _load_visible(request: web.Request) -> dict[str, Any]:
    """The ticket named in the path, 404 when unknown, 403 when outside the caller's windows."""
    code = request.match_info["code"]
    ticket = await asyncio.to_thread(request.app[STORE].get_ticket, code)
    if ticket is None:
        raise TicketNotFound(f"没有找到受理编号为 {code} 的记录")
    if not visible(ticket, identity_of(request)):
        raise web.HTTPForbidden(
            text=_dumps({"error": "forbidden", "message": "无权查看其他窗口的案件"}),
            content_type="application/json",
        )
    return ticket


# ---------------------------------------------------------------- handlers


async def health(request: web.Request) -> web.Response:
    store = request.app[STORE]
    db_ok = await asyncio.to_thread(store.ping)
    body: dict[str, Any] = {"status": "ok" if db_ok else "error", "db": db_ok, "service": "intake"}
    if db_ok:
        body["outbox"] = await asyncio.to_thread(store.outbox_counts)
    return ok(body, 200 if db_ok else 503)


async def openapi(request: web.Request) -> web.Response:
    return ok(openapi_document())


async def get_ticket(request: web.Request) -> web.Response:
    return ok(await _load_visible(request))


def _parse_bool(value: str | None, name: str) -> bool | None:
    if value in (None, ""):
        return None
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise InvalidInput(f"参数 {name} 须为 true 或 false")


def _parse_date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"参数 {name} 须为日期，如 2026-11-23") from None


async def list_tickets(request: web.Request) -> web.Response:
    q = request.query
    identity = identity_of(request)
    try:
        limit, offset = int(q.get("limit") or 50), int(q.get("offset") or 0)
    except ValueError:
        raise InvalidInput("参数 limit 和 offset 须为整数") from None
    status = q.get("status") or None
    if status and any(s not in STATUSES for s in status.split(",")):
        raise InvalidInput(f"未知的状态：{status}")
    window = q.get("window") or None
    scope = identity.scope()
    if window and scope is not None and window not in scope:
        return error(403, "forbidden", "无权查看其他窗口的案件")
    filters = ListFilters(
        sender_id=q.get("sender_id") or None,
        window=window,
        status=status,
        risk=q.get("risk") or None,
        category=q.get("category") or None,
        overdue=_parse_bool(q.get("overdue"), "overdue"),
        date_from=_parse_date(q.get("from"), "from"),
        date_to=_parse_date(q.get("to"), "to"),
        limit=limit,
        offset=offset,
        scope=scope,
    )
    tickets = await asyncio.to_thread(request.app[STORE].list_tickets, filters)
    return ok({"tickets": tickets})


async def file_ticket(request: web.Request) -> web.Response:
    identity = identity_of(request)
    if identity.role not in ("admin", "window_staff"):
        return error(403, "forbidden", "只有管理员和窗口人员可以登记案件")
    data = await read_json(request)
    missing = [k for k in ("sender_id", "channel", "category", "risk_level", "facts") if k not in data]
    if missing:
        raise InvalidInput("缺少字段：" + "、".join(missing))
    record = IntakeRecord(
        sender_id=str(data["sender_id"]),
        channel=str(data["channel"]),
        category=str(data["category"]),
        risk_level=str(data["risk_level"]),
        facts=data["facts"],
        summary=str(data.get("summary") or ""),
        status=str(data.get("status") or "received"),
        transcript=data.get("transcript"),
        risk_reasons=tuple(map(str, data.get("risk_reasons") or ())),
        idempotency_key=data.get("idempotency_key"),
    )
    ticket = await asyncio.to_thread(request.app[STORE].file_ticket, record)
    if not visible(ticket, identity):
        log.info("ticket %s filed by %s outside their windows", ticket["code"], identity.name)
    return ok(ticket, 201)


async def change_status(request: web.Request) -> web.Response:
    await _load_visible(request)
    data = await read_json(request)
    if not data.get("status"):
        raise InvalidInput("缺少字段：status")
    store = request.app[STORE]
    ticket = await asyncio.to_thread(
        store.change_status,
        request.match_info["code"],
        str(data["status"]),
        identity_of(request).name,
        data.get("note"),
    )
    return ok(ticket)


async def claim(request: web.Request) -> web.Response:
    await _load_visible(request)
    if request.can_read_body:
        await read_json(request)
    ticket = await asyncio.to_thread(
        request.app[STORE].claim, request.match_info["code"], identity_of(request).name
    )
    return ok(ticket)


async def add_note(request: web.Request) -> web.Response:
    await _load_visible(request)
    data = await read_json(request)
    ticket = await asyncio.to_thread(
        request.app[STORE].add_note,
        request.match_info["code"],
        identity_of(request).name,
        str(data.get("note") or ""),
    )
    return ok(ticket)


async def follow_up(request: web.Request) -> web.Response:
    await _load_visible(request)
    data = await read_json(request)
    ticket = await asyncio.to_thread(
        request.app[STORE].follow_up,
        request.match_info["code"],
        data.get("satisfaction"),
        data.get("note"),
        identity_of(request).name,
    )
    return ok(ticket)


async def stats(request: web.Request) -> web.Response:
    q = request.query
    result = await asyncio.to_thread(
        request.app[STORE].statistics,
        scope=identity_of(request).scope(),
        date_from=_parse_date(q.get("from"), "from"),
        date_to=_parse_date(q.get("to"), "to"),
    )
    return ok(result)


async def public_status(request: web.Request) -> web.Response:
    ip = request.remote or "unknown"
    if not request.app[LIMITER].allow(ip):
        return error(429, "rate_limited", "查询过于频繁，请稍后再试", **{"Retry-After": "60"})
    data = await read_json(request)
    code, last4 = str(data.get("code") or ""), str(data.get("phone_last4") or "")
    result = await asyncio.to_thread(request.app[STORE].public_status, code, last4)
    if result is None:
        return error(
            404,
            "not_found",
            request.app[STORE].profile.text("status_not_found")
            or "没有查到对应的记录，请核对受理编号和手机号后四位",
        )
    return ok(result)


# ---------------------------------------------------------------- app


async def _start_delivery(app: web.Application) -> None:
    deliverer = app.get(DELIVERER)
    if deliverer is not None and deliverer.url:
        app[DELIVERY_TASK] = asyncio.create_task(deliverer.run())


async def _stop_delivery(app: web.Application) -> None:
    task = app.get(DELIVERY_TASK)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def create_app(
    store: TicketStore | None = None,
    *,
    staff_token: str | None = None,
    deliver_outbox: bool = True,
    max_body: int | None = None,
    public_rate: tuple[int, float] = (10, 60.0),
    deliverer: WebhookDeliverer | None = None,
) -> web.Application:
    """Build the application. Defaults come from the environment (see module docstring)."""
    store = store or TicketStore()
    app = web.Application(
        client_max_size=max_body or int(os.environ.get("INTAKE_MAX_BODY", DEFAULT_MAX_BODY)),
        middlewares=[errors_middleware, auth_middleware],
    )
    app[STORE] = store
    app[STAFF_TOKEN] = staff_token if staff_token is not None else os.environ.get("INTAKE_STAFF_TOKEN", "")
    app[LIMITER] = RateLimiter(*public_rate)
    if deliver_outbox:
        app[DELIVERER] = deliverer or WebhookDeliverer(store)
        app.on_startup.append(_start_delivery)
        app.on_cleanup.append(_stop_delivery)
    setup_widget(app)  # "/" and /demo/: the demo page carrying the web widget; /widget/: its assets
    app.router.add_get("/health", health)
    app.router.add_get("/api/openapi.json", openapi)
    app.router.add_get("/api/tickets", list_tickets)
    app.router.add_post("/api/tickets", file_ticket)
    app.router.add_get("/api/tickets/{code}", get_ticket)
    app.router.add_post("/api/tickets/{code}/status", change_status)
    app.router.add_post("/api/tickets/{code}/claim", claim)
    app.router.add_post("/api/tickets/{code}/notes", add_note)
    app.router.add_post("/api/tickets/{code}/follow-up", follow_up)
    app.router.add_get("/api/stats", stats)
    app.router.add_post("/api/public/status", public_status)
    setup_console(app)
    return app


def main() -> None:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    privacy.install_log_filter()
    host = os.environ.get("INTAKE_HOST", "127.0.0.1")
    port = int(os.environ.get("INTAKE_PORT", "5080"))
    app = create_app()
    print(f"intake service: http://{host}:{port}/  (health: /health, API: /api/openapi.json)", flush=True)
    web.run_app(app, host=host, port=port, print=None)
