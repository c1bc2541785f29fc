"""The console's work pages: the queue (most urgent first, polled for changes) and the ticket page with
its actions (claim, transfer, note, status change, follow-up).

Window staff see tickets routed to their windows, mediators those assigned to them, administrators all;
staff get phone and ID numbers masked. An action that moves a ticket out of the clerk's sight returns
to the queue saying so.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from aiohttp import web
from markupsafe import Markup

from bot.service.console.auth import ConsoleUser, ensure_alerts, staff_page
from bot.service.console.formatting import (
    deadline_rows,
    fact_rows,
    format_time,
    next_deadline,
    queue_order,
)
from bot.service.console.pages import (
    FORM,
    PREFIX,
    USER,
    config_of,
    error_page,
    redirect,
    render,
    store_of,
)
from bot.service.console.supervision import repeat_links, supervision_rows
from bot.service.console.transcript import fetch_transcript
from bot.service.qr import qr_inline
from bot.service.rasa_api import rasa_api
from bot.storage.store import (
    OPEN_STATUSES,
    STATUSES,
    TRANSITIONS,
    InvalidInput,
    ListFilters,
    TicketError,
    TicketStore,
)
from bot.taxonomy import categories
from bot.tickets.centers import RISK_LEVELS
from bot.tickets.deadlines import utcnow
from bot.tickets.labels import CHANNEL_NAMES, CONSENT_NAMES, KIND_NAMES, RISK_NAMES, STATUS_NAMES, TIER_NAMES
from bot.tickets.messages import status_link, visit_info

log = logging.getLogger(__name__)

QUEUE_LIMIT = 300
DONE_MESSAGES = {
    "claim": "已签收",
    "transfer": "已转办",
    "note": "备注已保存",
    "status": "状态已更新",
    "follow_up": "回访已记录",
    "filed": "已代填登记。请把受理编号告诉当事人，或打印受理告知单交给当事人",
    "evidence": "证据材料已上传",
}
# What a grid worker may do on a ticket they filed: follow it and add to it, not handle it.
GRID_ACTIONS = ("note",)
EVIDENCE_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"

# ---------------------------------------------------------------- queue


def _queue_filters(request: web.Request, user: ConsoleUser) -> tuple[ListFilters, dict[str, str]]:
    q = request.query
    chosen = {
        "window": q.get("window", ""),
        "status": q.get("status", "open"),
        "risk": q.get("risk", ""),
        "category": q.get("category", ""),
        "overdue": q.get("overdue", ""),
        "supervised": q.get("supervised", ""),
        "revisit": "1" if q.get("revisit") == "1" else "",
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
    if chosen["window"] not in store_of(request).profile.windows:
        chosen["window"] = ""
    filters = ListFilters(
        window=chosen["window"] or None,
        status=status_filter,
        risk=chosen["risk"] or None,
        category=chosen["category"] or None,
        overdue=True if chosen["overdue"] == "1" else None,
        supervised=True if chosen["supervised"] == "1" else None,
        revisit=bool(chosen["revisit"]),
        limit=QUEUE_LIMIT,
        scope=user.windows if user.role == "window_staff" else None,
        assigned_to=user.people() if user.role == "mediator" else None,
        assignee_ids=(user.actor_id,) if user.role == "mediator" else (),
        filed_by=user.filed_by(),  # a grid worker: only the tickets they filed
    )
    return filters, chosen


async def _queue_items(
    request: web.Request, user: ConsoleUser
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    store = store_of(request)
    filters, chosen = _queue_filters(request, user)
    if filters.window and user.role == "window_staff" and filters.window not in user.windows:
        raise PermissionError
    tickets = await asyncio.to_thread(store.list_tickets, filters, mask=not user.is_admin)
    now, tz = utcnow(), store.tz()
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
    store = store_of(request)
    profile = store.profile
    windows = [(code, w.name) for code, w in profile.windows.items() if user.is_admin or code in user.windows]
    filters, _ = _queue_filters(request, user)  # the 督办 count of the queue as filtered otherwise
    supervised = await asyncio.to_thread(store.count_tickets, dataclasses.replace(filters, supervised=True))
    revisit = await asyncio.to_thread(  # 差评待回访, whatever the status filter (they are closed)
        store.count_tickets, dataclasses.replace(filters, status=None, revisit=True)
    )
    return render(
        request,
        "queue.html",
        supervised_count=supervised,
        revisit_count=revisit,
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
        tz=store.tz(),
        fmt=format_time,
        limit=QUEUE_LIMIT,
    )


@staff_page(page=False)
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
    return await load_ticket(request, user, request.match_info["code"])


async def load_ticket(request: web.Request, user: ConsoleUser, code: str) -> dict[str, Any] | web.Response:
    """The ticket as ``user`` may see it, or the error page (404 unknown — or, for a grid worker, not
    filed by them: the store does not return it —, 403 outside the user's windows)."""
    store = store_of(request)
    ticket = await asyncio.to_thread(
        store.get_ticket, code, mask=not user.is_admin, reveal=user.is_admin, filed_by=user.filed_by()
    )
    if ticket is None:
        return error_page(request, 404, "没有找到这个受理编号的案件")
    if not user.can_see(ticket):
        log.info("console: %s denied ticket %s", user.username, ticket["code"])
        return error_page(request, 403, "无权查看其他窗口的案件")
    return ticket  # masked by the store for everyone but administrators


async def _ticket_page(
    request: web.Request,
    user: ConsoleUser,
    ticket: dict[str, Any],
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> web.Response:
    await ensure_alerts(request)  # a POST re-rendering the page shows them too
    store = store_of(request)
    profile = store.profile
    tz = store.tz()
    config = config_of(request)
    ref = ticket.get("transcript_ref") or {}  # masked for staff: shown, not used to fetch
    # administrators' tickets carry the clear reference; staff's is read again, unmasked
    raw = ref if user.is_admin else await asyncio.to_thread(store.transcript_ref, ticket["code"])
    if raw:
        transcript, transcript_error = await fetch_transcript(
            rasa_api(request.app, config.rasa_url, config.rasa_token),
            raw["sender_id"],
            mask=not user.is_admin,
        )
    else:
        transcript, transcript_error = None, "该案件不是由受理助手登记的，没有对话记录"
    route = ticket["route"]
    evidence = await asyncio.to_thread(store.evidence_of, ticket["code"])
    return render(
        request,
        "ticket.html",
        evidence=evidence,
        evidence_accept=EVIDENCE_ACCEPT,
        consent_names=CONSENT_NAMES,
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
        supervision=supervision_rows(ticket, tz),
        repeats=await repeat_links(request, user, ticket),
        transcript_ref=ref,
        message=message,
        error=error,
        risk_names=RISK_NAMES,
        tier_names=TIER_NAMES,
        channel_names=CHANNEL_NAMES,
        status_names=STATUS_NAMES,
        can_follow_up=ticket["status"] in ("resolved", "referred", "closed"),
        m=mediation_context(store),
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


@staff_page
async def receipt_page(request: web.Request) -> web.StreamResponse:
    """受理告知单: printable (A4, or ``?layout=thermal`` for a 58 mm receipt printer) with the QR code of
    the case's status page, the window, materials and time limits."""
    user: ConsoleUser = request[USER]
    ticket = await _load(request, user)
    if isinstance(ticket, web.Response):
        return ticket
    profile = store_of(request).profile
    tz = store_of(request).tz()
    link = status_link(ticket["code"])
    return render(
        request,
        "receipt.html",
        t=ticket,
        info=visit_info(ticket, profile),
        deadlines=deadline_rows(ticket, utcnow(), tz),
        qr=Markup(qr_inline(link)),
        status_link=link,
        thermal=request.query.get("layout") == "thermal",
        created=format_time(ticket.get("created_at"), tz, with_year=True),
    )


Action = Callable[[TicketStore, str, ConsoleUser, Mapping[str, Any]], dict[str, Any]]


def action(kind: str, run: Action) -> Any:
    """A POST handler that runs ``run`` on the ticket and goes back to its page (or the queue)."""

    @staff_page
    async def handler(request: web.Request) -> web.StreamResponse:
        user: ConsoleUser = request[USER]
        if user.is_grid_worker and kind not in GRID_ACTIONS:
            return error_page(request, 403, "网格员只能查看和补充自己代填的案件，办理由窗口工作人员负责")
        ticket = await _load(request, user)
        if isinstance(ticket, web.Response):
            return ticket
        form = request[FORM]
        try:
            updated = await asyncio.to_thread(run, store_of(request), ticket["code"], user, form)
        except TicketError as exc:
            status = 409 if exc.code == "invalid_transition" else 400
            return await _ticket_page(request, user, ticket, error=exc.message, status=status)
        if not user.can_see(updated):  # e.g. transferred away from the clerk's window
            return redirect(f"{PREFIX}/?" + urlencode({"moved": updated["code"]}))
        return redirect(f"{PREFIX}/tickets/{quote(updated['code'])}?done={kind}")

    return handler


def claim(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    return store.claim(code, user.name, actor_id=user.actor_id)


def transfer(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    return store.transfer(
        code,
        str(form.get("window") or ""),
        user.name,
        str(form.get("reason") or ""),
        mediator_id=str(form.get("mediator") or "") or None,
    )


def note(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    return store.add_note(code, user.name, str(form.get("note") or ""))


def status(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    note = str(form.get("note") or "").strip() or None
    return store.change_status(code, str(form.get("status") or ""), user.name, note)


def follow_up(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    try:
        score = int(str(form.get("satisfaction") or ""))
    except ValueError:
        raise InvalidInput("请选择满意度（1–5 分）") from None
    note = str(form.get("note") or "").strip() or None
    return store.follow_up(code, score, note, user.name)


def mediation_context(store: TicketStore) -> dict[str, Any]:
    """The choices of the ticket page's mediation section (its forms post to ``console.outcomes``)."""
    from bot.tickets import outcome as domain

    mediation = store.profile.mediation
    return {
        "results": list(domain.RESULT_NAMES.items()),
        "methods": list(domain.METHOD_NAMES.items()),
        "confirmation_results": list(domain.CONFIRMATION_NAMES.items()),
        "destinations": [(d.code, d.name) for d in mediation.referral_destinations.values()],
        "court": mediation.court,
        "document_names": domain.DOCUMENT_NAMES,
        "payment_names": domain.PAYMENT_NAMES,
        "performance_names": domain.PERFORMANCE_NAMES,
    }
