"""Mediation outcomes in the staff API, the documents as PDF, and the 履约 reminder task.

- ``POST /api/tickets/{code}/outcome``: record the outcome (``{"result", "terms", "referral"}``).
- ``GET /api/tickets/{code}/documents/{kind}.pdf``: ``agreement``, ``judicial_confirmation`` or
  ``referral`` as ``application/pdf``; 404 when the outcome does not call for it.

Window scoping as for the rest of the API (``api._load_visible``: 403 outside the caller's windows).
The documents carry ID numbers in clear: they are made in memory, sent, and never logged or stored.

``setup_outcomes`` starts a task running ``store.payment_reminders`` every ``PAYMENT_REMINDER_INTERVAL`` seconds
(default 3600 when the service delivers its outbox; 0 turns it off), which queues the reminders and
missed-payment warnings as outbox events; with several instances only the leader of
``payment-reminders`` (``bot.storage.leader``, as the 督办 scheduler) runs a round.
"""

from __future__ import annotations

import asyncio
import logging
import os
from urllib.parse import quote

from aiohttp import web

from bot.service import documents
from bot.service.api import _load_visible, for_role, identity_of
from bot.service.responses import json_error, ok, read_json
from bot.service.state import STORE
from bot.service.tasks import run_with_app
from bot.storage.leader import Leadership
from bot.storage.store import TicketStore
from bot.tickets.centers import DOCUMENT_KINDS

log = logging.getLogger(__name__)

REMINDER_TASK: web.AppKey[asyncio.Task[None]] = web.AppKey("reminder_task")
REMINDER_INTERVAL: web.AppKey[float] = web.AppKey("reminder_interval")


def make_pdf(store: TicketStore, code: str, kind: str) -> bytes:
    """The document of ``kind`` for ticket ``code`` (TicketNotFound when not called for); callers check
    the ticket is visible first."""
    return documents.render_pdf(store.document_data(code, kind), store.profile)


def pdf_response(pdf: bytes, kind: str, code: str) -> web.Response:
    name = documents.filename(kind, code)
    return web.Response(
        body=pdf,
        content_type=documents.CONTENT_TYPE,
        headers={
            "Content-Disposition": f"attachment; filename=\"{kind}-{code}.pdf\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def record_outcome(request: web.Request) -> web.Response:
    ticket = await _load_visible(request, act=True)
    data = await read_json(request)
    identity = identity_of(request)
    updated = await asyncio.to_thread(request.app[STORE].record_outcome, ticket["code"], data, identity.name)
    return ok(for_role(updated, identity))


async def document(request: web.Request) -> web.Response:
    kind = request.match_info["kind"]
    if kind not in DOCUMENT_KINDS:
        raise json_error(web.HTTPNotFound, "not_found", "没有这种文书：" + "、".join(DOCUMENT_KINDS))
    ticket = await _load_visible(request)
    pdf = await asyncio.to_thread(make_pdf, request.app[STORE], ticket["code"], kind)
    log.info("document %s of %s generated for %s", kind, ticket["code"], identity_of(request).name)
    return pdf_response(pdf, kind, ticket["code"])


async def _remind_forever(app: web.Application) -> None:
    store, interval = app[STORE], app[REMINDER_INTERVAL]
    # one instance reminds at a time (two would both see a payment unreminded and both queue it): the
    # same leadership as the 督办 scheduler, under its own name (bot/storage/leader.py)
    leader = Leadership(store.engine, "payment-reminders")
    try:
        while True:
            await asyncio.sleep(interval)
            if not await asyncio.to_thread(leader.acquire):
                continue
            try:
                done = await asyncio.to_thread(store.payment_reminders)
                if done:
                    log.info("履约: %d reminders / missed payments queued", len(done))
            except Exception as exc:  # the next round tries again
                log.error("payment reminders failed: %s", exc.__class__.__name__)
    finally:
        await asyncio.to_thread(leader.release)  # another instance takes over at once


def setup_outcomes(
    app: web.Application, *, reminder_interval: float | None = None, default_on: bool = True
) -> None:
    """Routes, and the reminder task when its interval (argument, else ``PAYMENT_REMINDER_INTERVAL``,
    else 3600 s when ``default_on``) is above 0."""
    app.router.add_post("/api/tickets/{code}/outcome", record_outcome)
    app.router.add_get("/api/tickets/{code}/documents/{kind}.pdf", document)
    if reminder_interval is None:
        env = os.environ.get("PAYMENT_REMINDER_INTERVAL")
        reminder_interval = float(env) if env else (3600.0 if default_on else 0.0)
    if reminder_interval > 0:
        app[REMINDER_INTERVAL] = reminder_interval
        run_with_app(app, REMINDER_TASK, _remind_forever)
