"""The console's mediation forms on the ticket page: a session, the outcome (terms and payment
schedule), the 司法确认 application and result, the referral, payments marked paid / not paid, and the
documents (PDF) to download. Same rules as the other actions: a session, CSRF on every POST, only
tickets the user may see (window staff their windows, mediators their tickets)."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.service.console import views
from bot.service.console.auth import ConsoleUser, staff_page
from bot.service.console.pages import PREFIX, USER, error_page, store_of
from bot.service.outcomes import make_pdf, pdf_response
from bot.storage.store import InvalidInput, TicketNotFound, TicketStore
from bot.tickets import outcome as domain
from bot.tickets.centers import DOCUMENT_KINDS

log = logging.getLogger(__name__)

views.DONE_MESSAGES.update(
    {
        "session": "调解记录已保存",
        "outcome": "调解结果已记录",
        "confirmation": "司法确认已记录",
        "referral": "已转办",
        "payment": "付款情况已记录",
    }
)
_PLAN_LINE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})[\s,，、:：]+([\d.,]+)\s*元?\s*$")


def _s(form: Mapping[str, Any], name: str) -> str:
    return str(form.get(name) or "").strip()


def parse_plan(text: str) -> list[dict[str, str]]:
    """The payment schedule typed one payment a line: ``2027-01-15 5000``."""
    plan = []
    for i, line in enumerate(row for row in text.splitlines() if row.strip()):
        m = _PLAN_LINE.match(line)
        if not m:
            raise InvalidInput(f"付款计划第{i + 1}行请写成“日期 金额”，如：2027-01-15 5000")
        y, mo, d = m.group(1).split("-")
        plan.append({"due": f"{int(y):04d}-{int(mo):02d}-{int(d):02d}", "amount_yuan": m.group(2)})
    return plan


def session(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("held_on", "method", "place", "participants", "mediator", "note")
    return store.record_session(code, {k: _s(form, k) for k in keys}, user.name)


def outcome(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    result = _s(form, "result")
    data: dict[str, Any] = {"result": result}
    if result in domain.AGREED:
        data["terms"] = {
            "text": _s(form, "terms_text"),
            "amount_yuan": _s(form, "amount_yuan") or None,
            "payments": parse_plan(_s(form, "payments")),
            "obligations": _s(form, "obligations"),
            "payer": _s(form, "payer"),
            "payee": _s(form, "payee"),
            "payer_reminders": form.get("payer_reminders") == "1",
        }
    if _s(form, "referral_to") and result in ("failed", "partial"):
        data["referral"] = {"to": _s(form, "referral_to"), "note": _s(form, "referral_note")}
    if _s(form, "counterparty_name") or _s(form, "counterparty_id_number"):
        data["counterparty"] = {
            "name": _s(form, "counterparty_name"),
            "id_number": _s(form, "counterparty_id_number"),
        }
    return store.record_outcome(code, data, user.name)


def confirmation(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("court", "applied_on", "result", "ruling_no", "decided_on")
    return store.record_confirmation(code, {k: _s(form, k) for k in keys}, user.name)


def referral(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    return store.record_referral(code, {"to": _s(form, "to"), "note": _s(form, "note")}, user.name)


def payment(store: TicketStore, code: str, user: ConsoleUser, form: Mapping[str, Any]) -> dict[str, Any]:
    try:
        payment_id = int(_s(form, "payment"))
    except ValueError:
        raise InvalidInput("请选择一期付款") from None
    return store.mark_payment(code, payment_id, _s(form, "status"), user.name)


@staff_page(page=False)
async def document(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    kind = request.match_info["kind"]
    if kind not in DOCUMENT_KINDS:
        return error_page(request, 404, "没有这种文书")
    store = store_of(request)
    ticket = await views._load(request, user)  # 404 unknown, 403 outside the user's windows
    if isinstance(ticket, web.Response):
        return ticket
    try:
        pdf = await asyncio.to_thread(make_pdf, store, ticket["code"], kind)
    except TicketNotFound as exc:
        return error_page(request, 404, exc.message)
    log.info("console: document %s of %s by %s", kind, ticket["code"], user.username)
    return pdf_response(pdf, kind, ticket["code"])


def setup(app: web.Application) -> None:
    r = app.router
    base = PREFIX + "/tickets/{code}"
    r.add_post(base + "/session", views.action("session", session))
    r.add_post(base + "/outcome", views.action("outcome", outcome))
    r.add_post(base + "/confirmation", views.action("confirmation", confirmation))
    r.add_post(base + "/referral", views.action("referral", referral))
    r.add_post(base + "/payment", views.action("payment", payment))
    r.add_get(base + "/documents/{kind}.pdf", document)
