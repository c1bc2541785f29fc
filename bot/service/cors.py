"""The one CORS policy of the intake service, for what the web widget calls from the center's site
(``WIDGET_PATHS``), applied by one middleware.

Browsers may read those answers only from the origins in ``WIDGET_ORIGINS`` (space- or
comma-separated), the same list Rasa's REST channel is given (``tools/stack``); the matching origin is
echoed, never ``*``. Without ``WIDGET_ORIGINS`` the widget is served by this service itself (same
origin) and needs no header. No cookies are involved in any of them.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def widget_origins(env: Mapping[str, str] | None = None) -> list[str]:
    """``WIDGET_ORIGINS`` as a list (space- or comma-separated, no trailing slash); also what
    ``tools/stack`` gives Rasa's REST channel as its CORS origins."""
    raw = (os.environ if env is None else env).get("WIDGET_ORIGINS", "")
    return [o.rstrip("/") for o in raw.replace(",", " ").split() if o]


def headers(request: web.Request) -> dict[str, str]:
    """``Access-Control-Allow-Origin`` for a widget origin, else nothing."""
    origin = request.headers.get("Origin", "").rstrip("/")
    if origin and origin in widget_origins():
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {}


# What the widget calls from the center's site: the public status, updates, ratings, evidence uploads
# (all under /api/public/) and the hand-off poll.
WIDGET_PATHS = ("/api/public/", "/widget/handoff")


@web.middleware
async def cors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The policy's headers on every answer of a widget path, refusals included (the outermost
    middleware: it sees the answer the error middleware made of an exception)."""
    if not request.path.startswith(WIDGET_PATHS):
        return await handler(request)
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers.update(headers(request))
        raise
    response.headers.update(headers(request))
    return response
