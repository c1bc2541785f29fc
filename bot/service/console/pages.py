"""How the console answers: its settings and Jinja environment on the app, HTML pages with the security
headers every console response carries, redirects and error pages.

Shared by the login (``auth``), the queue and ticket pages (``views``) and statistics (``stats``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import jinja2
from aiohttp import web

from bot.service.state import STORE
from bot.storage.store import TicketStore

PREFIX = "/console"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

JINJA = web.AppKey("console_jinja", jinja2.Environment)
CONSOLE_CONFIG: web.AppKey[ConsoleConfig] = web.AppKey("console_config")
# Request keys: the logged-in ConsoleUser, and the parsed form of a POST (both set by ``staff_page``).
USER = "console_user"
FORM = "console_form"
# Request key: warnings for administrators shown on every page (dead webhook letters, refused delivery).
ALERTS = "console_alerts"


@dataclass(frozen=True)
class ConsoleConfig:
    rasa_url: str
    rasa_token: str
    secure_cookie: bool
    login_limiter: Any


def store_of(request: web.Request) -> TicketStore:
    return request.app[STORE]


def config_of(request: web.Request) -> ConsoleConfig:
    return request.app[CONSOLE_CONFIG]


R = TypeVar("R", bound=web.StreamResponse)


def security_headers(response: R) -> R:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    env = request.app[JINJA]
    html = env.get_template(template).render(
        user=request.get(USER),
        alerts=request.get(ALERTS) or [],
        center=store_of(request).profile,
        prefix=PREFIX,
        **context,
    )
    response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
    return security_headers(response)


def redirect(location: str, status: int = 303) -> web.Response:
    return security_headers(web.Response(status=status, headers={"Location": location}))


def error_page(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", status=status, status_code=status, message=message)


def date_param(value: str | None) -> date | None:
    """An ISO date from a query parameter; None when missing or not a date (the page's default applies)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
