"""The web chat widget's assets (``/widget/…``) and the demo page carrying it (``/`` and ``/demo/``).

The widget (``bot/service/widget/``) is embedded with one tag::

    <script src="https://<intake host>/widget/widget.js" data-rasa-url="https://<rasa host>" defer></script>

``widget.js`` is one script served from parts of one job each (``js/``, in the order of ``WIDGET_PARTS``),
joined without a build step and kept in memory from the first request: the first part opens the closure,
each further part adds its job to a shared context, the last one runs them and closes the closure.

The demo page (``templates/demo.html``, Jinja, autoescaped) is a county 综治中心 website front page with
the widget on it, filled from the center profile. Rasa's public URL comes from ``RASA_PUBLIC_URL``;
without it the page gives only Rasa's port (``RASA_PORT``, default 5005) and the widget puts it on the
host the browser loaded the page from. No URL is built from the request's Host header, which the client
chooses.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.service.state import STORE

WIDGET_DIR = Path(__file__).resolve().parent
ASSETS = {
    "widget.js": "application/javascript",
    "widget.css": "text/css",
}
DEMO_JINJA = web.AppKey("demo_jinja", jinja2.Environment)
WIDGET_PARTS_DIR = WIDGET_DIR / "js"
# widget.js, in serving order: begin.js opens the closure, start.js runs the parts between and closes it
WIDGET_PARTS = (
    "begin.js",  # the embed tag's documentation, the closure, the list of parts
    "state.js",  # the tag's settings, the conversation in localStorage
    "dom.js",  # element building, the panel's markup
    "render.js",  # the transcript drawn, add()
    "chat.js",  # talking to Rasa, retry, the input box
    "handoff.js",  # live 转人工: polling for a person's messages
    "evidence.js",  # photo and PDF uploads
    "cases.js",  # progress of filed cases, the rating after 办结
    "session.js",  # open/close, the header's tools, restart, end & clear, idle expiry
    "start.js",  # runs the parts, mounts, window.ZZIntakeWidget, closes the closure
)


def rasa_public_url() -> str:
    """The configured ``RASA_PUBLIC_URL`` without a trailing slash, or "" when none is set."""
    return os.environ.get("RASA_PUBLIC_URL", "").strip().rstrip("/")


@functools.cache
def widget_script() -> tuple[bytes, str]:
    """widget.js (the parts joined in ``WIDGET_PARTS`` order) and its ETag; read once per process."""
    text = "\n".join(
        (WIDGET_PARTS_DIR / name).read_text("utf-8").rstrip("\n") + "\n" for name in WIDGET_PARTS
    )
    body = text.encode("utf-8")
    return body, hashlib.sha256(body).hexdigest()[:32]


def serve_widget_script(request: web.Request) -> web.Response:
    """The joined script, revalidated by ETag as the file it replaces was (Cache-Control: no-cache)."""
    body, etag = widget_script()
    headers = {"Cache-Control": "no-cache"}
    if any(tag.value in (etag, "*") for tag in request.if_none_match or ()):
        response = web.Response(status=304, headers=headers)
    else:
        response = web.Response(body=body, headers=headers)
        response.content_type = ASSETS["widget.js"]
        response.charset = "utf-8"
    response.etag = etag
    return response


async def asset(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in ASSETS:
        raise web.HTTPNotFound()
    if name == "widget.js":
        return serve_widget_script(request)
    path = WIDGET_DIR / name
    response = web.FileResponse(path, headers={"Cache-Control": "no-cache"})
    response.content_type = ASSETS[name]
    response.charset = "utf-8"
    return response


async def demo(request: web.Request) -> web.Response:
    p: Any = getattr(request.app.get(STORE), "profile", None)
    windows = getattr(p, "windows", None) or {}
    page = (
        request.app[DEMO_JINJA]
        .get_template("demo.html")
        .render(
            name=getattr(p, "name", "社会治安综合治理中心"),
            short_name=getattr(p, "short_name", "") or "综治中心",
            region=getattr(p, "region_name", ""),
            address=getattr(p, "address", ""),
            hours=getattr(p, "hours", ""),
            phone=getattr(p, "phone", ""),
            windows=list(windows.values()),
            rasa_url=rasa_public_url(),
            rasa_port=os.environ.get("RASA_PORT", "5005"),
        )
    )
    return web.Response(text=page, content_type="text/html", charset="utf-8")


def setup_widget(app: web.Application) -> None:
    """Add ``/widget/widget.js``, ``/widget/widget.css``, the demo page at ``/demo/`` and ``/``."""
    app[DEMO_JINJA] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(WIDGET_DIR / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    app.router.add_get("/", demo)
    app.router.add_get("/demo/", demo)
    app.router.add_get("/demo", demo)
    app.router.add_get("/widget/{name}", asset)
