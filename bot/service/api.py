"""The staff API under ``/api/`` (everything but ``/api/public/`` and the OpenAPI document).

Callers are authenticated by the app's middleware, which leaves a ``StaffIdentity`` on the request: an
administrator sees every ticket; window staff and mediators only tickets routed (primary or secondary)
to their windows. Store errors (unknown ticket, invalid transition or input) become JSON errors in the
app's error middleware. The shapes are those of ``bot/service/openapi.py``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any

from aiohttp import web

from bot.service.responses import error, field, json_error, ok, read_json
from bot.service.state import IDENTITY, STORE
from bot.storage.reading import masked
from bot.storage.store import STATUSES, IntakeRecord, InvalidInput, ListFilters, StaffIdentity, TicketNotFound
from bot.tickets.labels import CONSENT_NAMES
from bot.tickets.records import FILING_CHANNELS, Filer

log = logging.getLogger(__name__)


def identity_of(request: web.Request) -> StaffIdentity:
    return request[IDENTITY]


def visible(ticket: dict[str, Any], identity: StaffIdentity) -> bool:
    if identity.is_admin:
        return True
    if identity.is_grid_worker:
        return (ticket.get("filed_by") or {}).get("id") == identity.actor_id
    windows = {ticket["route"]["window"]} | {
        s["window"] for s in ticket["route"].get("secondary_windows", [])
    }
    return bool(windows & set(identity.windows))


def for_role(ticket: dict[str, Any], identity: StaffIdentity) -> dict[str, Any]:
    """Administrators see full values; everyone else phone and ID numbers masked."""
    return ticket if identity.is_admin else masked(ticket)


async def _load_visible(request: web.Request, *, act: bool = False) -> dict[str, Any]:
    """The ticket named in the path (masked by role), 404 when unknown (for a grid worker: not filed
    by them), 403 outside the caller's windows; ``act``: handling it, which grid workers do not."""
    code = request.match_info["code"]
    identity = identity_of(request)
    if act and identity.is_grid_worker:
        raise json_error(web.HTTPForbidden, "forbidden", "网格员只能查看和补充自己代填的案件")
    ticket = await asyncio.to_thread(
        request.app[STORE].get_ticket,
        code,
        mask=not identity.is_admin,
        reveal=identity.is_admin,
        filed_by=identity.filed_by(),
    )
    if ticket is None:
        raise TicketNotFound(f"没有找到受理编号为 {code} 的记录")
    if not visible(ticket, identity):
        raise json_error(web.HTTPForbidden, "forbidden", "无权查看其他窗口的案件")
    return ticket


def _parse_bool(value: str | None, name: str) -> bool | None:
    if value in (None, ""):
        return None
    if value.lower() in ("1", "true", "yes"):
        return True
    if value.lower() in ("0", "false", "no"):
        return False
    raise InvalidInput(f"参数 {name} 须为 true 或 false")


def parse_date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"参数 {name} 须为日期，如 2026-11-23") from None


async def get_ticket(request: web.Request) -> web.Response:
    return ok(await _load_visible(request))


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
    scope = None if identity.is_grid_worker else identity.scope()  # theirs by filer instead
    if window and scope is not None and window not in scope:
        return error(403, "forbidden", "无权查看其他窗口的案件")
    filters = ListFilters(
        sender_id=q.get("sender_id") or None,
        window=window,
        status=status,
        risk=q.get("risk") or None,
        category=q.get("category") or None,
        overdue=_parse_bool(q.get("overdue"), "overdue"),
        supervised=_parse_bool(q.get("supervised"), "supervised"),
        date_from=parse_date(q.get("from"), "from"),
        date_to=parse_date(q.get("to"), "to"),
        limit=limit,
        offset=offset,
        scope=scope,
        filed_by=identity.filed_by(),
    )
    tickets = await asyncio.to_thread(request.app[STORE].list_tickets, filters, mask=not identity.is_admin)
    return ok({"tickets": tickets})


def api_sender_id(identity: StaffIdentity, sender_id: str) -> str:
    """The sender id an API filing is stored under. Staff who are not administrators get their own
    namespace (``api-<token id>-…``): they cannot file under a conversation of the bot (and read its
    transcript) nor reach another token's idempotency keys."""
    if identity.is_admin:
        return sender_id
    return f"api-{identity.token_id}-{sender_id}"[:128]


async def file_ticket(request: web.Request) -> web.Response:
    identity = identity_of(request)
    if identity.role not in FILING_CHANNELS:
        return error(403, "forbidden", "只有管理员、窗口人员和网格员可以登记案件")
    data = await read_json(request)
    missing = [k for k in ("sender_id", "channel", "category", "risk_level", "facts") if k not in data]
    if missing:
        raise InvalidInput("缺少字段：" + "、".join(missing))
    consent_method = field(data, "consent_method", str)
    if identity.is_grid_worker and consent_method not in CONSENT_NAMES:
        raise InvalidInput("网格员代填须注明当事人同意的方式 consent_method：" + "、".join(CONSENT_NAMES))
    channel = field(data, "channel", str, required=True)
    record = IntakeRecord(
        sender_id=api_sender_id(identity, field(data, "sender_id", str, required=True)),
        # a grid worker's filing is always a grid filing (the queue and statistics count it so)
        channel=FILING_CHANNELS["grid_worker"] if identity.is_grid_worker else channel,
        category=field(data, "category", str, required=True),
        risk_level=field(data, "risk_level", str, required=True),
        facts=field(data, "facts", dict, required=True),
        summary=field(data, "summary", str) or "",
        status=field(data, "status", str) or "received",
        transcript=data.get("transcript"),
        risk_reasons=tuple(field(data, "risk_reasons", list) or ()),
        idempotency_key=field(data, "idempotency_key", str) or None,
    )
    store = request.app[STORE]
    if record.idempotency_key:
        earlier = await asyncio.to_thread(store.find_by_idempotency, record.sender_id, record.idempotency_key)
        if earlier is not None:
            if not visible(earlier, identity):
                return error(403, "forbidden", "该幂等键对应的案件不在您的窗口，无权查看")
            return ok(for_role(earlier, identity))
    filer = Filer(identity.actor_id, identity.name, identity.role, identity.area, consent_method)
    ticket = await asyncio.to_thread(store.file_ticket, record, filed_by=identity.name, filer=filer)
    if not visible(ticket, identity):
        log.info("ticket %s filed by %s outside their windows", ticket["code"], identity.name)
    return ok(for_role(ticket, identity), 201)


async def change_status(request: web.Request) -> web.Response:
    await _load_visible(request, act=True)
    data = await read_json(request)
    identity = identity_of(request)
    ticket = await asyncio.to_thread(
        request.app[STORE].change_status,
        request.match_info["code"],
        field(data, "status", str, required=True),
        identity.name,
        field(data, "note", str),
    )
    return ok(for_role(ticket, identity))


async def claim(request: web.Request) -> web.Response:
    await _load_visible(request, act=True)
    if request.can_read_body:
        await read_json(request)
    identity = identity_of(request)
    ticket = await asyncio.to_thread(
        request.app[STORE].claim, request.match_info["code"], identity.name, actor_id=identity.actor_id
    )
    return ok(for_role(ticket, identity))


async def add_note(request: web.Request) -> web.Response:
    await _load_visible(request)
    data = await read_json(request)
    identity = identity_of(request)
    ticket = await asyncio.to_thread(
        request.app[STORE].add_note,
        request.match_info["code"],
        identity.name,
        field(data, "note", str, required=True),
    )
    return ok(for_role(ticket, identity))


async def follow_up(request: web.Request) -> web.Response:
    await _load_visible(request, act=True)
    data = await read_json(request)
    identity = identity_of(request)
    ticket = await asyncio.to_thread(
        request.app[STORE].follow_up,
        request.match_info["code"],
        field(data, "satisfaction", int, required=True),
        field(data, "note", str),
        identity.name,
    )
    return ok(for_role(ticket, identity))


async def stats(request: web.Request) -> web.Response:
    if identity_of(request).is_grid_worker:
        return error(403, "forbidden", "网格员没有统计权限")
    q = request.query
    result = await asyncio.to_thread(
        request.app[STORE].statistics,
        scope=identity_of(request).scope(),
        date_from=parse_date(q.get("from"), "from"),
        date_to=parse_date(q.get("to"), "to"),
    )
    return ok(result)


def setup_api(app: web.Application) -> None:
    r = app.router
    r.add_get("/api/tickets", list_tickets)
    r.add_post("/api/tickets", file_ticket)
    r.add_get("/api/tickets/{code}", get_ticket)
    r.add_post("/api/tickets/{code}/status", change_status)
    r.add_post("/api/tickets/{code}/claim", claim)
    r.add_post("/api/tickets/{code}/notes", add_note)
    r.add_post("/api/tickets/{code}/follow-up", follow_up)
    r.add_get("/api/stats", stats)
