"""Who is using the console: staff accounts' login and logout, the session cookie, CSRF tokens, and the
``staff_page`` decorator every console page but the login goes through.

A session is a random id in an HttpOnly, SameSite=Strict cookie scoped to ``/console/``; the store keeps
its hash with the session's CSRF token (``staff_sessions``), which every POST form must carry. The login
form, having no session yet, carries a token that must match a short-lived cookie (double submit).
Failed logins are rate-limited per IP and user name.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.service.console.pages import (
    ALERTS,
    FORM,
    PREFIX,
    USER,
    config_of,
    error_page,
    redirect,
    render,
    security_headers,
    store_of,
)
from bot.service.limits import client_address
from bot.tickets.labels import ROLE_NAMES

log = logging.getLogger(__name__)

SESSION_COOKIE = "zz_console"
LOGIN_COOKIE = "zz_console_login"
SESSION_TTL = timedelta(hours=10)

ConsoleHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ConsoleUser:
    id: int
    username: str
    name: str
    role: str
    windows: tuple[str, ...]
    mediator_id: str | None
    csrf_token: str
    area: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConsoleUser:
        return cls(
            id=data["id"],
            username=data["username"],
            name=data["name"],
            role=data["role"],
            windows=tuple(data.get("windows") or ()),
            mediator_id=data.get("mediator_id"),
            csrf_token=data["csrf_token"],
            area=data.get("area"),
        )

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)

    @property
    def actor_id(self) -> str:
        """How tickets this account claims record it (matched by id, never by display name)."""
        return f"user:{self.id}"

    @property
    def is_grid_worker(self) -> bool:
        return self.role == "grid_worker"

    def filed_by(self) -> tuple[str, ...] | None:
        """A grid worker sees only the tickets filed under its own id; None: not limited by filer."""
        return (self.actor_id,) if self.is_grid_worker else None

    def people(self) -> tuple[str, ...]:
        """The mediator id a mediator's tickets are routed to."""
        return (self.mediator_id,) if self.mediator_id else ()

    def can_see(self, ticket: Mapping[str, Any]) -> bool:
        if self.is_admin:
            return True
        if self.is_grid_worker:
            return (ticket.get("filed_by") or {}).get("id") == self.actor_id
        if self.role == "mediator":
            routed = bool(self.mediator_id) and ticket["route"].get("mediator_id") == self.mediator_id
            return routed or ticket.get("assignee_id") == self.actor_id
        windows = {ticket["route"]["window"]} | {
            s["window"] for s in ticket["route"].get("secondary_windows", [])
        }
        return bool(windows & set(self.windows))


async def current_user(request: web.Request) -> ConsoleUser | None:
    session_id = request.cookies.get(SESSION_COOKIE, "")
    if not session_id:
        return None
    data = await asyncio.to_thread(store_of(request).session_user, session_id)
    return ConsoleUser.from_json(data) if data else None


def _set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, **kw: Any) -> None:
    response.set_cookie(
        name,
        value,
        path=PREFIX + "/",
        httponly=True,
        samesite="Strict",
        secure=config_of(request).secure_cookie or request.secure,
        **kw,
    )


async def admin_alerts(request: web.Request) -> list[str]:
    """What administrators must know about on every page: outbox rows of any target (the center's
    webhook, hotline callbacks, WeChat messages) that gave up, or webhook delivery refused for want of
    its secret."""
    from bot.service.webhook import delivery_problem

    store = store_of(request)
    alerts = []
    dead = await asyncio.to_thread(store.dead_outbox_count)
    if dead:
        alerts.append(
            f"有 {dead} 条案件通知未能推送（中心系统、热线短信或微信，已放弃重试），请检查接收地址后运行 intake redeliver"
        )
    if delivery_problem(request.app):
        alerts.append("案件通知暂停推送：未设置 WEBHOOK_SECRET（签名密钥），通知在队列中等待")
    return alerts


async def ensure_alerts(request: web.Request) -> None:
    """The administrators' alerts for a page about to be rendered (computed once a request)."""
    if request[USER].is_admin and ALERTS not in request:
        request[ALERTS] = await admin_alerts(request)


def staff_page(handler: ConsoleHandler | None = None, *, admin: bool = False, page: bool = True) -> Any:
    """Requires a session (GET: redirect to login); POST requires the session's CSRF token. A ``page``
    answers GET with HTML: administrators' alerts are computed for it (not for JSON polls, files,
    POSTs)."""

    def decorate(inner: ConsoleHandler) -> ConsoleHandler:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            user = await current_user(request)
            if user is None:
                if request.method == "GET":
                    target = request.path_qs if request.path.startswith(PREFIX) else PREFIX + "/"
                    return redirect(f"{PREFIX}/login?" + urlencode({"next": target}), 302)
                return error_page(request, 403, "登录已失效，请重新登录")
            request[USER] = user
            if page and request.method == "GET":
                await ensure_alerts(request)
            if request.method == "POST":
                form = await request.post()
                request[FORM] = form
                token = str(form.get("csrf") or "")
                if not token or not hmac.compare_digest(token.encode(), user.csrf_token.encode()):
                    return error_page(request, 403, "页面已过期或请求来源不明（CSRF 校验失败），请刷新后重试")
            if admin and not user.is_admin:
                return error_page(request, 403, "只有中心管理员可以查看此页面")
            return security_headers(await inner(request))

        return wrapped

    return decorate(handler) if handler is not None else decorate


def _safe_next(value: str | None) -> str:
    if value and value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return PREFIX + "/"


async def login_form(request: web.Request) -> web.StreamResponse:
    if await current_user(request) is not None:
        return redirect(_safe_next(request.query.get("next")), 302)
    return _login_page(request, None, 200)


def _login_page(request: web.Request, message: str | None, status: int, username: str = "") -> web.Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        status=status,
        login_csrf=token,
        message=message,
        username=username,
        next=_safe_next(request.query.get("next")),
    )
    _set_cookie(request, response, LOGIN_COOKIE, token, max_age=3600)
    return response


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    token = str(form.get("csrf") or "")
    if not cookie or not token or not hmac.compare_digest(cookie.encode(), token.encode()):
        return error_page(request, 403, "登录页已过期（CSRF 校验失败），请刷新后重新登录")
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    if not await config_of(request).login_limiter.hit(f"{client_address(request)}|{username}"):
        return _login_page(request, "尝试次数过多，请 5 分钟后再试", 429, username)
    store = store_of(request)
    account = await asyncio.to_thread(store.check_login, username, password)
    if account is None:
        log.info("console login failed for %r from %s", username[:64], client_address(request))
        return _login_page(request, "用户名或密码错误", 401, username)
    session_id, _csrf = await asyncio.to_thread(store.open_session, account["id"], SESSION_TTL)
    log.info("console login: %s (%s)", account["username"], account["role"])
    response = redirect(_safe_next(str(form.get("next") or "")))
    _set_cookie(request, response, SESSION_COOKIE, session_id, max_age=int(SESSION_TTL.total_seconds()))
    response.del_cookie(LOGIN_COOKIE, path=PREFIX + "/")
    return response


@staff_page
async def logout(request: web.Request) -> web.StreamResponse:
    await asyncio.to_thread(store_of(request).close_session, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect(f"{PREFIX}/login")
    response.del_cookie(SESSION_COOKIE, path=PREFIX + "/")
    return response
