"""代填 (filing for a citizen) in the console: grid workers (网格员) and window staff type or paste the
citizen's account, check what the assistant understood (``bot.intake.proxy``), correct it, record the
citizen's consent and file — through the store's filing path, as the chat does.

Understanding: Rasa's ``/model/parse`` (``RASA_URL``, ``RASA_TOKEN``) when it answers within
``PARSE_TIMEOUT`` seconds, else the core's keyword cues and fact rules (the page says which). The
filing's channel is ``grid`` for grid workers and ``walk_in`` for window staff; the ticket keeps the
filer (``filed_by``) and grid workers see only their own filings.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.intake import subtypes
from bot.intake.proxy import Proposal, form_fields, propose, slots_from_form
from bot.intake.schema import fact_specs
from bot.intake.ticketing import build_record
from bot.service.console.auth import ConsoleUser, staff_page
from bot.service.console.pages import FORM, PREFIX, USER, config_of, error_page, redirect, render, store_of
from bot.service.rasa_api import CALL_ERRORS, rasa_api
from bot.storage.store import TicketError
from bot.taxonomy import categories
from bot.tickets.labels import CHANNEL_NAMES, CONSENT_NAMES, RISK_NAMES
from bot.tickets.records import FILING_CHANNELS, Filer

log = logging.getLogger(__name__)

PARSE_TIMEOUT = 3.0
SOURCE_NAMES = {
    "model": "对话模型识别",
    "keywords": "关键词规则识别（对话模型未连接）",
    "none": "未能识别，请选择",
}


async def rasa_parse(request: web.Request, text: str) -> dict[str, Any] | None:
    """Rasa's understanding of ``text``, or None when Rasa is not reachable (the caller falls back)."""
    config = config_of(request)
    api = rasa_api(request.app, config.rasa_url, config.rasa_token)
    try:
        status, data = await api.call("POST", "model/parse", timeout=PARSE_TIMEOUT, body={"text": text})
    except CALL_ERRORS as exc:
        log.info("代填: Rasa parse unavailable (%s), using the keyword cues", exc.__class__.__name__)
        return None
    if status != 200:
        log.info("代填: Rasa parse answered %s, using the keyword cues", status)
        return None
    return data if isinstance(data, dict) else None


def _may_file(user: ConsoleUser) -> bool:
    return user.role in FILING_CHANNELS


def _page(request: web.Request, *, status: int = 200, **context: Any) -> web.Response:
    user: ConsoleUser = request[USER]
    defaults: dict[str, Any] = {
        "proposal": None,
        "error": None,
        "text": "",
        "channel_name": CHANNEL_NAMES[FILING_CHANNELS[user.role]],
        "consent_names": list(CONSENT_NAMES.items()),
        "categories": [(c, cat.name) for c, cat in categories().items()],
        "subtypes": [
            (c, [(s.code, s.name) for s in subs.values()]) for c, subs in subtypes.subtypes().items()
        ],
        "labels": {name: spec.label for name, spec in fact_specs().items()},
        "risk_names": RISK_NAMES,
        "source_names": SOURCE_NAMES,
    }
    return render(request, "proxy.html", status=status, **{**defaults, **context})


def _form_context(proposal: Proposal, facts: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """What step 2 shows: the proposal (or the worker's corrections) and the risk warning."""
    fields = form_fields(proposal.category, proposal.sub_type, proposal.text, facts)
    return {
        "proposal": proposal,
        "text": proposal.text,
        "fields": fields,
        "facts": {n: "" if facts.get(n) is None else str(facts[n]) for n in fields},
        # for the worker: the numbers that fit (the citizen's own emergency text speaks to the citizen)
        "warning": [str(n) for n in proposal.risk.emergency_numbers] or ["报警 110"]
        if proposal.risk.urgent
        else None,
        "form": form,
        "key": form.get("key") or secrets.token_urlsafe(16),
    }


@staff_page
async def form(request: web.Request) -> web.StreamResponse:
    if not _may_file(request[USER]):
        return error_page(request, 403, "只有网格员、窗口人员和管理员可以代填登记")
    return _page(request)


@staff_page
async def understand(request: web.Request) -> web.StreamResponse:
    """Step 2: what the assistant understood, for the worker to correct."""
    if not _may_file(request[USER]):
        return error_page(request, 403, "只有网格员、窗口人员和管理员可以代填登记")
    text = str(request[FORM].get("text") or "").strip()
    if not text:
        return _page(request, status=400, error="请先写下当事人反映的情况")
    parsed = await rasa_parse(request, text)
    proposal = await asyncio.to_thread(propose, text, parsed)
    return _page(request, **_form_context(proposal, proposal.facts, {}))


@staff_page
async def file(request: web.Request) -> web.StreamResponse:
    """Step 3: file the corrected form (idempotent per the form's key: a double tap files once)."""
    user: ConsoleUser = request[USER]
    if not _may_file(user):
        return error_page(request, 403, "只有网格员、窗口人员和管理员可以代填登记")
    posted = request[FORM]
    values = {k: str(v) for k, v in posted.items() if isinstance(v, str)}
    text = values.get("text", "").strip()
    category = values.get("category", "")
    sub_type = values.get("sub_type") or None
    facts = {name: values.get(f"fact_{name}", "") for name in fact_specs()}
    consent = values.get("consent") == "yes"
    method = values.get("consent_method", "")
    proposal = await asyncio.to_thread(propose, text)
    proposal = dataclasses.replace(
        proposal,
        category=category if category in categories() else proposal.category,
        sub_type=sub_type if subtypes.get(category, sub_type) else None,
    )
    problem = None
    if not text:
        problem = "请写下当事人反映的情况"
    elif not consent or method not in CONSENT_NAMES:
        problem = "请先征得当事人同意，勾选“当事人已同意”并选择同意方式"
    if problem:
        return _page(request, status=400, error=problem, **_form_context(proposal, facts, values))
    channel = FILING_CHANNELS[user.role]
    key = values.get("key") or secrets.token_urlsafe(16)
    slots = slots_from_form(text, proposal.category, proposal.sub_type, facts, consent)
    record = build_record(f"{channel}-u{user.id}-{key}"[:128], channel, slots, idempotency_key=key)
    record = dataclasses.replace(record, transcript=None)  # no conversation behind a 代填
    filer = Filer(user.actor_id, user.name, user.role, user.area, method)
    try:
        ticket = await asyncio.to_thread(
            store_of(request).file_ticket, record, filed_by=user.name, filer=filer
        )
    except TicketError as exc:
        return _page(request, status=400, error=exc.message, **_form_context(proposal, facts, values))
    log.info("代填: %s filed %s (%s)", user.username, ticket["code"], channel)
    return redirect(f"{PREFIX}/tickets/{quote(ticket['code'])}?done=filed")


def setup(app: web.Application) -> None:
    r = app.router
    r.add_get(PREFIX + "/file", form)
    r.add_post(PREFIX + "/file/understand", understand)
    r.add_post(PREFIX + "/file", file)
