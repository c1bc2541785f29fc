"""Staff console (工作台) at ``/console/``: login, queue, ticket page with actions, statistics, export.

Server-rendered HTML (Jinja2, autoescaped, ``templates/``) on the intake service; no external assets
(``static/``). Staff log in with accounts created by ``intake user create`` (``auth``).

Who sees what:

- ``window_staff``: tickets routed (primary or secondary) to their windows; phones and ID numbers masked.
- ``mediator``: tickets assigned to them (the route's mediator or the assignee); masked likewise.
- ``grid_worker`` (网格员): only the tickets they filed for citizens (代填, ``proxy``); masked likewise.
- ``admin``: every ticket unmasked, statistics and CSV/XLSX export (``stats``).
- every role, within its windows or cases: rates per unit (``rates``), the 红黄绿 board (``board``)
  and the weekly/monthly 研判 with its XLSX (``analysis``).

The conversation transcript is fetched from Rasa's tracker API (``RASA_URL``, ``RASA_TOKEN``) when it
is reachable; otherwise the page shows the transcript reference and says so (``transcript``).
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from aiohttp import web

from bot.service.console import analysis, auth, board, evidence, outcomes, proxy, rates, stats, views
from bot.service.console.pages import CONSOLE_CONFIG, JINJA, PREFIX, ConsoleConfig, redirect
from bot.service.limits import rate_limiter
from bot.service.rasa_api import setup_rasa_api
from bot.tickets.outcome import format_yuan

HERE = Path(__file__).resolve().parent

__all__ = ["CONSOLE_CONFIG", "ConsoleConfig", "setup_console"]


async def _to_queue(request: web.Request) -> web.StreamResponse:
    return redirect(PREFIX + "/", 302)


def setup_console(
    app: web.Application,
    *,
    rasa_url: str | None = None,
    rasa_token: str | None = None,
    secure_cookie: bool | None = None,
) -> None:
    """Mount the console under ``/console/`` (the app must hold the ticket store under ``state.STORE``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yuan"] = format_yuan  # 9000.0 → 9000, 1234.5 → 1234.5
    app[JINJA] = env
    setup_rasa_api(app)  # one client for Rasa's HTTP API (hand-off relay, 代填, transcripts)
    app[CONSOLE_CONFIG] = ConsoleConfig(
        rasa_url=rasa_url or os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
        rasa_token=rasa_token if rasa_token is not None else os.environ.get("RASA_TOKEN", ""),
        secure_cookie=secure_cookie
        if secure_cookie is not None
        else os.environ.get("CONSOLE_SECURE_COOKIE", "").lower() in ("1", "true", "yes"),
        login_limiter=rate_limiter(10, 300.0, name="login"),
    )
    r = app.router
    r.add_get(PREFIX, _to_queue)
    r.add_get(PREFIX + "/", views.queue)
    r.add_get(PREFIX + "/queue/version", views.queue_version)
    r.add_get(PREFIX + "/login", auth.login_form)
    r.add_post(PREFIX + "/login", auth.login)
    r.add_post(PREFIX + "/logout", auth.logout)
    r.add_get(PREFIX + "/tickets/{code}", views.ticket_page)
    r.add_get(PREFIX + "/tickets/{code}/receipt", views.receipt_page)
    r.add_post(PREFIX + "/tickets/{code}/claim", views.action("claim", views.claim))
    r.add_post(PREFIX + "/tickets/{code}/transfer", views.action("transfer", views.transfer))
    r.add_post(PREFIX + "/tickets/{code}/note", views.action("note", views.note))
    r.add_post(PREFIX + "/tickets/{code}/status", views.action("status", views.status))
    r.add_post(PREFIX + "/tickets/{code}/follow-up", views.action("follow_up", views.follow_up))
    proxy.setup(app)  # 代填: grid workers and window staff file for a citizen
    evidence.setup(app)  # evidence files: upload on the ticket page, thumbnails and files for staff
    outcomes.setup(app)  # mediation: sessions, outcome, 司法确认, referral, payments, documents (PDF)
    r.add_get(PREFIX + "/stats", stats.stats_page)
    r.add_get(PREFIX + "/export.{fmt:csv|xlsx}", stats.export)
    r.add_get(
        PREFIX + "/rates", rates.rates_page
    )  # rates per unit, the 红黄绿 board, 研判: every role, scoped
    r.add_get(PREFIX + "/board", board.board_page)
    r.add_get(PREFIX + "/analysis", analysis.analysis_page)
    r.add_get(PREFIX + "/analysis.xlsx", analysis.analysis_xlsx)
    r.add_static(PREFIX + "/static/", HERE / "static", append_version=True)
