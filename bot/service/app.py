"""The intake service (aiohttp): the app factory, its middlewares, outbox delivery and ``main``.

What it serves lives beside it: the staff API (``api``; outcomes and their PDF documents in
``outcomes``), the health page, OpenAPI document and public status check (``public``), QR codes and
the status page (``qr``), the staff console (``console/``) and the web widget with its demo page
(``widget/``); the outbox deliverers are ``webhook`` (the center's system) and ``channels`` (hotline,
WeChat); ``supervisor`` runs the 督办 scheduler. They share the ticket store through the keys in ``state``.

Staff endpoints need ``Authorization: Bearer <token>``: the value of ``INTAKE_STAFF_TOKEN`` is an
administrator token; other tokens are created with ``intake token create`` and stored hashed. Window
staff and mediators see only tickets routed (primary or secondary) to their windows. Errors are JSON
``{"error": "<code>", "message": "<中文说明>"}``.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot import privacy
from bot.service import public
from bot.service.api import setup_api
from bot.service.channels import ChannelDeliverer, channel_deliverers
from bot.service.citizen import setup_citizen
from bot.service.console import setup_console
from bot.service.cors import cors_middleware
from bot.service.evidence import setup_evidence
from bot.service.handoff import setup_handoffs
from bot.service.limits import rate_limiter
from bot.service.outcomes import setup_outcomes
from bot.service.qr import setup_qr
from bot.service.rates_api import setup_rates_api
from bot.service.responses import error
from bot.service.state import (
    CHANNEL_DELIVERERS,
    CHANNEL_TASKS,
    DELIVERER,
    DELIVERY_TASK,
    IDENTITY,
    LIMITER,
    STAFF_TOKEN,
    STORE,
)
from bot.service.supervisor import setup_supervision
from bot.service.tasks import cancel
from bot.service.webhook import WebhookDeliverer
from bot.service.widget.routes import setup_widget
from bot.storage.store import (
    InvalidInput,
    InvalidTransition,
    StaffIdentity,
    StorageUnavailable,
    TicketNotFound,
    TicketStore,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 64 * 1024

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

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
    except StorageUnavailable as exc:
        return error(503, "storage_unavailable", exc.message, **{"Retry-After": "30"})
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error(500, "internal_error", "服务内部错误，请稍后再试")


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if public.is_public(request.path):
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


async def _start_delivery(app: web.Application) -> None:
    deliverer = app.get(DELIVERER)
    if deliverer is not None and deliverer.url:
        app[DELIVERY_TASK] = asyncio.create_task(deliverer.run())
    # the channels' outgoing messages: hotline callbacks, WeChat customer-service messages
    app[CHANNEL_TASKS] = [asyncio.create_task(d.run()) for d in app.get(CHANNEL_DELIVERERS, [])]


async def _stop_delivery(app: web.Application) -> None:
    for task in [app.get(DELIVERY_TASK), *app.get(CHANNEL_TASKS, [])]:
        await cancel(task)


def create_app(
    store: TicketStore | None = None,
    *,
    staff_token: str | None = None,
    deliver_outbox: bool = True,
    max_body: int | None = None,
    public_rate: tuple[int, float] = (10, 60.0),
    deliverer: WebhookDeliverer | None = None,
    reminder_interval: float | None = None,
    channels: list[ChannelDeliverer] | None = None,
    supervision_interval: float | None = None,
    handoff_expiry_interval: float | None = None,
) -> web.Application:
    """Build the application. Defaults come from the environment (see module docstring)."""
    store = store or TicketStore()
    app = web.Application(
        client_max_size=max_body or int(os.environ.get("INTAKE_MAX_BODY", DEFAULT_MAX_BODY)),
        middlewares=[cors_middleware, errors_middleware, auth_middleware],
    )
    app[STORE] = store
    app[STAFF_TOKEN] = staff_token if staff_token is not None else os.environ.get("INTAKE_STAFF_TOKEN", "")
    app[LIMITER] = rate_limiter(*public_rate, name="status")  # in Redis with REDIS_URL: every instance
    if deliver_outbox:
        app[DELIVERER] = deliverer or WebhookDeliverer(store)
        app[CHANNEL_DELIVERERS] = channels if channels is not None else channel_deliverers(store)
        app.on_startup.append(_start_delivery)
        app.on_cleanup.append(_stop_delivery)
    setup_widget(app)  # "/" and /demo/: the demo page carrying the web widget; /widget/: its assets
    app.router.add_get("/health", public.health)
    app.router.add_get("/api/openapi.json", public.openapi)
    setup_api(app)  # /api/tickets…, /api/stats: staff, with a bearer token
    setup_rates_api(app)  # /api/stats/rates, /api/stats/board: rates per unit and the 红黄绿 board
    # …/outcome, …/documents/{kind}.pdf; the 履约 reminder task (on when the outbox is delivered)
    setup_outcomes(app, reminder_interval=reminder_interval, default_on=deliver_outbox)
    # the 督办 scheduler (one leader across instances), on when the outbox is delivered
    setup_supervision(app, interval=supervision_interval, default_on=deliver_outbox)
    app.router.add_post("/api/public/status", public.public_status)
    setup_evidence(app)  # /api/public/evidence: the widget's photo and PDF uploads
    setup_citizen(app)  # /api/public/updates (the widget's 新进展), /api/public/rating (the citizen's rating)
    setup_qr(app)  # /qr/center.svg|png, /qr/status/{code}.svg, /status/: QR codes and the status page
    setup_console(app)  # /console/: the staff console, with a login session
    # /api/handoffs…, /widget/handoff, /console/handoffs: live 转人工; the timer for untaken hand-offs
    setup_handoffs(app, expiry_interval=handoff_expiry_interval, default_on=deliver_outbox)
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
