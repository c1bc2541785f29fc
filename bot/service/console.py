"""Staff console (工作台) at ``/console/``: login, queue, ticket page with actions, statistics, export.

Server-rendered HTML (Jinja2, autoescaped) on the intake service; no external assets. Staff log in with
accounts created by ``intake user create``; a session is a random id in an HttpOnly, SameSite=Strict
cookie whose hash is stored with its CSRF token (``staff_sessions``). Every POST form carries that token.

Who sees what:

- ``window_staff``: tickets routed (primary or secondary) to their windows; phones and ID numbers masked.
- ``mediator``: tickets assigned to them (the route's mediator or the assignee); masked likewise.
- ``admin``: every ticket unmasked, statistics and CSV/XLSX export.

The conversation transcript is fetched from Rasa's tracker API (``RASA_URL``, ``RASA_TOKEN``) when it
is reachable; otherwise the page shows the transcript reference and says so.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import aiohttp
import jinja2
from aiohttp import web

from bot import privacy
from bot.storage.export import to_csv, to_xlsx
from bot.storage.store import (
    OPEN_STATUSES,
    STATUS_NAMES,
    STATUSES,
    TRANSITIONS,
    ListFilters,
    TicketError,
    TicketStore,
)
from bot.taxonomy import categories
from bot.tickets.centers import RISK_LEVELS, STAGES
from bot.tickets.deadlines import STAGE_NAMES, as_utc, parse_iso, stage_done, utcnow
from bot.tickets.routing import RISK_NAMES, TIER_NAMES

log = logging.getLogger(__name__)

HERE = Path(__file__).with_name("console")
SESSION_COOKIE = "zz_console"
LOGIN_COOKIE = "zz_console_login"
PREFIX = "/console"
QUEUE_LIMIT = 300
SESSION_TTL = timedelta(hours=10)
ROLE_NAMES = {"admin": "中心管理员", "window_staff": "窗口人员", "mediator": "调解员"}
KIND_NAMES = {
    "created": "登记",
    "updated": "补充信息",
    "status": "状态变更",
    "claim": "签收",
    "note": "备注",
    "follow_up": "回访",
    "transfer": "转办",
}
CHANNEL_NAMES = {
    "web": "网页",
    "hotline": "热线短信",
    "kiosk": "自助终端",
    "rest": "接口",
    "center": "窗口登记",
}
DONE_MESSAGES = {
    "claim": "已签收",
    "transfer": "已转办",
    "note": "备注已保存",
    "status": "状态已更新",
    "follow_up": "回访已记录",
}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

JINJA = web.AppKey("console_jinja", jinja2.Environment)
CONSOLE_CONFIG = web.AppKey("console_config", object)
USER = "console_user"
FORM = "console_form"

ConsoleHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ConsoleConfig:
    rasa_url: str
    rasa_token: str
    secure_cookie: bool
    login_limiter: Any


@dataclass(frozen=True)
class ConsoleUser:
    id: int
    username: str
    name: str
    role: str
    windows: tuple[str, ...]
    mediator_id: str | None
    csrf_token: str

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
        )

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)

    def people(self) -> tuple[str, ...]:
        """What a mediator's tickets carry as mediator id or assignee."""
        return tuple(p for p in (self.mediator_id, self.name) if p)

    def can_see(self, ticket: Mapping[str, Any]) -> bool:
        if self.is_admin:
            return True
        if self.role == "mediator":
            return bool({ticket["route"].get("mediator_id"), ticket.get("assignee")} & set(self.people()))
        windows = {ticket["route"]["window"]} | {
            s["window"] for s in ticket["route"].get("secondary_windows", [])
        }
        return bool(windows & set(self.windows))


# ---------------------------------------------------------------- helpers


def _store(request: web.Request) -> TicketStore:
    from bot.service.app import STORE

    return request.app[STORE]


def _tz(store: TicketStore) -> Any:
    try:
        return ZoneInfo(store.profile.timezone)
    except Exception:
        return timezone(timedelta(hours=8))


def _security_headers(response: web.StreamResponse) -> web.StreamResponse:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    store = _store(request)
    env = request.app[JINJA]
    html = env.get_template(template).render(
        user=request.get(USER),
        center=store.profile,
        prefix=PREFIX,
        **context,
    )
    response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
    return _security_headers(response)


def redirect(location: str, status: int = 303) -> web.Response:
    return _security_headers(web.Response(status=status, headers={"Location": location}))


def error_page(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", status=status, status_code=status, message=message)


def format_time(value: str | datetime | None, tz: Any, with_year: bool = False) -> str:
    moment = parse_iso(value) if isinstance(value, str) else value
    if moment is None:
        return ""
    return as_utc(moment).astimezone(tz).strftime("%Y-%m-%d %H:%M" if with_year else "%m-%d %H:%M")


def format_span(delta: timedelta) -> str:
    """``timedelta`` → ``2天3小时`` / ``5小时12分`` / ``8分``."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{mins}分" if mins else f"{hours}小时"
    return f"{mins}分"


def deadline_rows(ticket: Mapping[str, Any], now: datetime, tz: Any) -> list[dict[str, Any]]:
    """One row per stage: due time, done or time left / overdue."""
    rows = []
    late = set(ticket.get("overdue_stages") or ())
    for stage in STAGES:
        due = parse_iso(ticket["deadlines"].get(stage))
        if due is None:
            continue
        done = stage_done(stage, ticket["status"])
        delta = as_utc(due) - now
        if done:
            state, text = "done", "已完成"
        elif stage in late or delta.total_seconds() < 0:
            state, text = "late", "超时" + format_span(delta)
        elif delta <= timedelta(hours=24):
            state, text = "soon", "剩" + format_span(delta)
        else:
            state, text = "ok", "剩" + format_span(delta)
        rows.append(
            {
                "stage": stage,
                "name": STAGE_NAMES[stage],
                "due": format_time(due, tz),
                "due_at": as_utc(due),
                "state": state,
                "text": text,
            }
        )
    return rows


def next_deadline(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    pending = [r for r in rows if r["state"] != "done"]
    return pending[0] if pending else None


_RISK_RANK = {level: i for i, level in enumerate(("urgent", "elevated", "none"))}
_FAR = datetime.max.replace(tzinfo=timezone.utc)


def queue_order(item: Mapping[str, Any]) -> tuple[Any, ...]:
    """Most urgent first: risk, then overdue, then the nearest pending deadline, then oldest."""
    nxt = item["next"]
    return (
        _RISK_RANK.get(item["ticket"]["risk_level"], 3),
        0 if item["ticket"]["overdue"] else 1,
        nxt["due_at"] if nxt else _FAR,
        item["ticket"]["created_at"],
    )


def mask_for_staff(ticket: dict[str, Any]) -> dict[str, Any]:
    """Masks phone and ID numbers that citizens typed into free-text facts (contract fields are masked
    by the store already)."""
    facts = {}
    for key, value in ticket["facts"].items():
        facts[key] = privacy.mask_text(value) if isinstance(value, str) and key != "phone" else value
    return {**ticket, "facts": facts}


FACT_LABELS = {
    "applicant_name": "申请人",
    "phone": "联系电话",
    "id_number": "身份证号",
    "amount_yuan": "涉及金额（元）",
    "headcount": "涉及人数",
    "counterparty": "对方",
    "location": "地点",
    "period": "时间",
    "evidence": "证据",
    "demand": "诉求",
    "tried_before": "此前处理",
}


def fact_rows(facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in facts.items():
        if value in (None, "", [], {}):
            continue
        if isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, list | tuple):
            value = "、".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = "；".join(f"{k}：{v}" for k, v in value.items())
        rows.append((FACT_LABELS.get(key, key), str(value)))
    return rows


async def fetch_transcript(
    config: ConsoleConfig, sender_id: str, *, mask: bool
) -> tuple[list[dict[str, str]] | None, str | None]:
    """The user/bot messages of the conversation from Rasa's tracker API, or (None, why not)."""
    if not sender_id:
        return None, "没有对话记录的会话编号"
    url = f"{config.rasa_url.rstrip('/')}/conversations/{quote(sender_id, safe='')}/tracker"
    params = {"token": config.rasa_token} if config.rasa_token else {}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3)) as session,
            session.get(url, params=params) as resp,
        ):
            if resp.status != 200:
                return None, f"对话服务返回错误（{resp.status}），暂时无法显示对话记录"
            tracker = await resp.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
        log.info("tracker unavailable: %s", exc.__class__.__name__)
        return None, "对话服务暂时连不上，无法显示对话记录"
    messages = []
    for event in tracker.get("events") or []:
        if event.get("event") not in ("user", "bot") or not event.get("text"):
            continue
        text = str(event["text"])
        moment = event.get("timestamp")
        messages.append(
            {
                "who": event["event"],
                "text": privacy.mask_text(text) if mask else text,
                "at": datetime.fromtimestamp(float(moment), timezone.utc).isoformat() if moment else "",
            }
        )
    if not messages:
        return None, "对话服务中没有这段对话（可能已过期或被清理）"
    return messages, None


# ---------------------------------------------------------------- sessions and guards


async def current_user(request: web.Request) -> ConsoleUser | None:
    session_id = request.cookies.get(SESSION_COOKIE, "")
    if not session_id:
        return None
    data = await asyncio.to_thread(_store(request).session_user, session_id)
    return ConsoleUser.from_json(data) if data else None


def _set_cookie(request: web.Request, response: web.StreamResponse, name: str, value: str, **kw: Any) -> None:
    config: ConsoleConfig = request.app[CONSOLE_CONFIG]
    response.set_cookie(
        name,
        value,
        path=PREFIX + "/",
        httponly=True,
        samesite="Strict",
        secure=config.secure_cookie or request.secure,
        **kw,
    )


def staff_page(handler: ConsoleHandler | None = None, *, admin: bool = False) -> Any:
    """Requires a session (GET: redirect to login); POST requires the session's CSRF token."""

    def decorate(inner: ConsoleHandler) -> ConsoleHandler:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            user = await current_user(request)
            if user is None:
                if request.method == "GET":
                    target = request.path_qs if request.path.startswith(PREFIX) else PREFIX + "/"
                    return redirect(f"{PREFIX}/login?" + urlencode({"next": target}), 302)
                return error_page(request, 403, "登录已失效，请重新登录")
            request[USER] = user
            if request.method == "POST":
                form = await request.post()
                request[FORM] = form
                token = str(form.get("csrf") or "")
                if not token or not hmac.compare_digest(token.encode(), user.csrf_token.encode()):
                    return error_page(request, 403, "页面已过期或请求来源不明（CSRF 校验失败），请刷新后重试")
            if admin and not user.is_admin:
                return error_page(request, 403, "只有中心管理员可以查看此页面")
            return _security_headers(await inner(request))

        return wrapped

    return decorate(handler) if handler is not None else decorate


# ---------------------------------------------------------------- login / logout


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
    config: ConsoleConfig = request.app[CONSOLE_CONFIG]
    if not config.login_limiter.allow(f"{request.remote}|{username}"):
        return _login_page(request, "尝试次数过多，请 5 分钟后再试", 429, username)
    store = _store(request)
    account = await asyncio.to_thread(store.check_login, username, password)
    if account is None:
        log.info("console login failed for %r from %s", username[:64], request.remote)
        return _login_page(request, "用户名或密码错误", 401, username)
    session_id, _csrf = await asyncio.to_thread(store.open_session, account["id"], SESSION_TTL)
    log.info("console login: %s (%s)", account["username"], account["role"])
    response = redirect(_safe_next(str(form.get("next") or "")))
    _set_cookie(request, response, SESSION_COOKIE, session_id, max_age=int(SESSION_TTL.total_seconds()))
    response.del_cookie(LOGIN_COOKIE, path=PREFIX + "/")
    return response


@staff_page
async def logout(request: web.Request) -> web.StreamResponse:
    await asyncio.to_thread(_store(request).close_session, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect(f"{PREFIX}/login")
    response.del_cookie(SESSION_COOKIE, path=PREFIX + "/")
    return response


# ---------------------------------------------------------------- queue


def _queue_filters(request: web.Request, user: ConsoleUser) -> tuple[ListFilters, dict[str, str]]:
    q = request.query
    chosen = {
        "window": q.get("window", ""),
        "status": q.get("status", "open"),
        "risk": q.get("risk", ""),
        "category": q.get("category", ""),
        "overdue": q.get("overdue", ""),
    }
    status = chosen["status"]
    if status == "open":
        status_filter: str | None = ",".join(OPEN_STATUSES)
    elif status in STATUSES:
        status_filter = status
    else:
        chosen["status"], status_filter = "all", None
    if chosen["risk"] not in RISK_LEVELS:
        chosen["risk"] = ""
    if chosen["category"] not in categories():
        chosen["category"] = ""
    if chosen["window"] not in _store(request).profile.windows:
        chosen["window"] = ""
    filters = ListFilters(
        window=chosen["window"] or None,
        status=status_filter,
        risk=chosen["risk"] or None,
        category=chosen["category"] or None,
        overdue=True if chosen["overdue"] == "1" else None,
        limit=QUEUE_LIMIT,
        scope=user.windows if user.role == "window_staff" else None,
        assigned_to=user.people() if user.role == "mediator" else None,
    )
    return filters, chosen


async def _queue_items(
    request: web.Request, user: ConsoleUser
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    store = _store(request)
    filters, chosen = _queue_filters(request, user)
    if filters.window and user.role == "window_staff" and filters.window not in user.windows:
        raise PermissionError
    tickets = await asyncio.to_thread(store.list_tickets, filters, mask=not user.is_admin)
    now, tz = utcnow(), _tz(store)
    items = []
    for t in tickets:
        rows = deadline_rows(t, now, tz)
        items.append({"ticket": t, "deadlines": rows, "next": next_deadline(rows)})
    items.sort(key=queue_order)
    return items, chosen


def _queue_version(items: list[dict[str, Any]]) -> str:
    digest = hashlib.sha256()
    for item in sorted(items, key=lambda i: i["ticket"]["code"]):
        digest.update(f"{item['ticket']['code']}|{item['ticket']['updated_at']};".encode())
    return digest.hexdigest()[:16]


@staff_page
async def queue(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    try:
        items, chosen = await _queue_items(request, user)
    except PermissionError:
        return error_page(request, 403, "无权查看其他窗口的案件")
    store = _store(request)
    profile = store.profile
    windows = [(code, w.name) for code, w in profile.windows.items() if user.is_admin or code in user.windows]
    return render(
        request,
        "queue.html",
        items=items,
        chosen=chosen,
        moved=request.query.get("moved", ""),
        version=_queue_version(items),
        version_url=f"{PREFIX}/queue/version?" + urlencode(request.query),
        windows=windows,
        statuses=[(s, STATUS_NAMES[s]) for s in STATUSES],
        risks=[(r, RISK_NAMES.get(r, r)) for r in RISK_LEVELS],
        categories=[(c, cat.name) for c, cat in categories().items()],
        risk_names=RISK_NAMES,
        channel_names=CHANNEL_NAMES,
        tz=_tz(store),
        fmt=format_time,
        limit=QUEUE_LIMIT,
    )


@staff_page
async def queue_version(request: web.Request) -> web.StreamResponse:
    """Polled by the queue page: the page reloads when this changes (new or updated tickets)."""
    user: ConsoleUser = request[USER]
    try:
        items, _ = await _queue_items(request, user)
    except PermissionError:
        return web.json_response({"error": "forbidden"}, status=403)
    return web.json_response({"version": _queue_version(items), "count": len(items)})


# ---------------------------------------------------------------- ticket page and actions


async def _load(request: web.Request, user: ConsoleUser) -> dict[str, Any] | web.Response:
    code = request.match_info["code"]
    store = _store(request)
    ticket = await asyncio.to_thread(store.get_ticket, code, mask=not user.is_admin, reveal=user.is_admin)
    if ticket is None:
        return error_page(request, 404, "没有找到这个受理编号的案件")
    if not user.can_see(ticket):
        log.info("console: %s denied ticket %s", user.username, ticket["code"])
        return error_page(request, 403, "无权查看其他窗口的案件")
    return ticket if user.is_admin else mask_for_staff(ticket)


async def _ticket_page(
    request: web.Request,
    user: ConsoleUser,
    ticket: dict[str, Any],
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    store = _store(request)
    profile = store.profile
    tz = _tz(store)
    config: ConsoleConfig = request.app[CONSOLE_CONFIG]
    ref = ticket.get("transcript_ref") or {}
    transcript, transcript_error = await fetch_transcript(
        config, ref.get("sender_id") or "", mask=not user.is_admin
    )
    route = ticket["route"]
    return render(
        request,
        "ticket.html",
        status=status,
        t=ticket,
        route=route,
        facts=fact_rows(ticket["facts"]),
        deadlines=deadline_rows(ticket, utcnow(), tz),
        history=[
            {**h, "kind_name": KIND_NAMES.get(h["kind"], h["kind"]), "time": format_time(h["at"], tz)}
            for h in ticket["history"]
        ],
        transitions=[(s, STATUS_NAMES[s]) for s in TRANSITIONS.get(ticket["status"], ())],
        windows=[(c, w.name) for c, w in profile.windows.items()],
        mediators=[
            (m.id, m.name, profile.windows[m.window].name if m.window else "") for m in profile.mediators
        ],
        transcript=transcript,
        transcript_error=transcript_error,
        transcript_ref=ref,
        message=message,
        error=error,
        risk_names=RISK_NAMES,
        tier_names=TIER_NAMES,
        channel_names=CHANNEL_NAMES,
        status_names=STATUS_NAMES,
        can_follow_up=ticket["status"] in ("resolved", "referred", "closed"),
        tz=tz,
        fmt=format_time,
    )


@staff_page
async def ticket_page(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    ticket = await _load(request, user)
    if isinstance(ticket, web.Response):
        return ticket
    return await _ticket_page(request, user, ticket, message=DONE_MESSAGES.get(request.query.get("done", "")))


def _action(
    kind: str, run: Callable[[TicketStore, str, ConsoleUser, Mapping[str, Any]], dict[str, Any]]
) -> Any:
    @staff_page
    async def handler(request: web.Request) -> web.StreamResponse:
        user: ConsoleUser = request[USER]
        ticket = await _load(request, user)
        if isinstance(ticket, web.Response):
            return ticket
        form = request[FORM]
        try:
            updated = await asyncio.to_thread(run, _store(request), ticket["code"], user, form)
        except TicketError as exc:
            status = 409 if exc.code == "invalid_transition" else 400
            return await _ticket_page(request, user, ticket, error=exc.message, status=status)
        if not user.can_see(updated):  # e.g. transferred away from the clerk's window
            return redirect(f"{PREFIX}/?" + urlencode({"moved": updated["code"]}))
        return redirect(f"{PREFIX}/tickets/{quote(updated['code'])}?done={kind}")

    return handler


def _claim(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    return store.claim(code, user.name)


def _transfer(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    return store.transfer(
        code,
        str(form.get("window") or ""),
        user.name,
        str(form.get("reason") or ""),
        mediator_id=str(form.get("mediator") or "") or None,
    )


def _note(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    return store.add_note(code, user.name, str(form.get("note") or ""))


def _status(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    note = str(form.get("note") or "").strip() or None
    return store.change_status(code, str(form.get("status") or ""), user.name, note)


def _follow_up(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    from bot.storage.store import InvalidInput

    try:
        score = int(str(form.get("satisfaction") or ""))
    except ValueError:
        raise InvalidInput("请选择满意度（1–5 分）") from None
    note = str(form.get("note") or "").strip() or None
    return store.follow_up(code, score, note, user.name)


# ---------------------------------------------------------------- statistics and export


def _date_param(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def bars(counts: Mapping[str, int], names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    top = max(counts.values(), default=0) or 1
    return [
        {"label": (names or {}).get(k, k), "value": v, "pct": round(100 * v / top, 1)}
        for k, v in counts.items()
    ]


@staff_page(admin=True)
async def stats_page(request: web.Request) -> web.StreamResponse:
    store = _store(request)
    date_from, date_to = _date_param(request.query.get("from")), _date_param(request.query.get("to"))
    stats = await asyncio.to_thread(store.statistics, date_from=date_from, date_to=date_to)
    profile = store.profile
    window_names = {c: w.name for c, w in profile.windows.items()}
    charts = [
        ("按类别", bars(stats["by_category"], {c: cat.name for c, cat in categories().items()})),
        ("按乡镇（街道）", bars(stats["by_town"])),
        ("按渠道", bars(stats["by_channel"], CHANNEL_NAMES)),
        ("按周", bars(stats.get("by_week", {}))),
        ("按状态", bars(stats["by_status"], STATUS_NAMES)),
        ("按风险等级", bars(stats["by_risk"], RISK_NAMES)),
        ("按主办窗口", bars(stats["by_window"], window_names)),
        ("满意度分布", bars({f"{k}分": v for k, v in stats.get("by_satisfaction", {}).items()})),
    ]
    query = urlencode({k: v for k, v in (("from", date_from), ("to", date_to)) if v})
    return render(
        request,
        "stats.html",
        stats=stats,
        charts=charts,
        date_from=date_from.isoformat() if date_from else "",
        date_to=date_to.isoformat() if date_to else "",
        export_query=("?" + query) if query else "",
    )


@staff_page(admin=True)
async def export(request: web.Request) -> web.StreamResponse:
    fmt = request.match_info["fmt"]
    date_from, date_to = _date_param(request.query.get("from")), _date_param(request.query.get("to"))
    rows = await asyncio.to_thread(_store(request).export_rows, date_from, date_to)
    body = await asyncio.to_thread(to_csv if fmt == "csv" else to_xlsx, rows)
    name = f"案件导出-{utcnow().astimezone(_tz(_store(request))).strftime('%Y%m%d-%H%M')}.{fmt}"
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    log.info("console export (%s, %d rows) by %s", fmt, len(rows), request[USER].username)
    return web.Response(
        body=body,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f"attachment; filename=\"export.{fmt}\"; filename*=UTF-8''{quote(name)}",
        },
    )


# ---------------------------------------------------------------- setup


async def _to_queue(request: web.Request) -> web.StreamResponse:
    return redirect(PREFIX + "/", 302)


def setup_console(
    app: web.Application,
    *,
    rasa_url: str | None = None,
    rasa_token: str | None = None,
    secure_cookie: bool | None = None,
) -> None:
    """Mount the console under ``/console/`` (the app must hold the ticket store under ``STORE``)."""
    from bot.service.app import RateLimiter

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    app[JINJA] = env
    app[CONSOLE_CONFIG] = ConsoleConfig(
        rasa_url=rasa_url or os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
        rasa_token=rasa_token if rasa_token is not None else os.environ.get("RASA_TOKEN", ""),
        secure_cookie=secure_cookie
        if secure_cookie is not None
        else os.environ.get("CONSOLE_SECURE_COOKIE", "").lower() in ("1", "true", "yes"),
        login_limiter=RateLimiter(10, 300.0),
    )
    r = app.router
    r.add_get(PREFIX, _to_queue)
    r.add_get(PREFIX + "/", queue)
    r.add_get(PREFIX + "/queue/version", queue_version)
    r.add_get(PREFIX + "/login", login_form)
    r.add_post(PREFIX + "/login", login)
    r.add_post(PREFIX + "/logout", logout)
    r.add_get(PREFIX + "/tickets/{code}", ticket_page)
    r.add_post(PREFIX + "/tickets/{code}/claim", _action("claim", _claim))
    r.add_post(PREFIX + "/tickets/{code}/transfer", _action("transfer", _transfer))
    r.add_post(PREFIX + "/tickets/{code}/note", _action("note", _note))
    r.add_post(PREFIX + "/tickets/{code}/status", _action("status", _status))
    r.add_post(PREFIX + "/tickets/{code}/follow-up", _action("follow_up", _follow_up))
    r.add_get(PREFIX + "/stats", stats_page)
    r.add_get(PREFIX + "/export.{fmt:csv|xlsx}", export)
    r.add_static(PREFIX + "/static/", HERE / "static", append_version=True)
