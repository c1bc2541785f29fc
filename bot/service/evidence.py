"""Evidence uploads from the web widget: ``POST /api/public/evidence`` (multipart: ``sender``, ``file``).

No token: the upload is tied to the widget's conversation id (``w-`` + 32 random hex digits, the
format ``connectors/channels/senders.py`` enforces on Rasa's REST channel), a secret only the
citizen's browser holds. Nothing is ever read back through this path: a file is seen only by staff
scoped to its ticket (``console/evidence.py``). A file sent before the ticket exists waits under the
conversation and joins the ticket when the bot files it. Rate-limited per client address and per
conversation; type and size are checked on the content (``bot.evidence.content``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.evidence import RejectedFile, prepare
from bot.evidence.content import RECEIVED, max_bytes, too_large_message
from bot.service.limits import RateLimiter, client_address, rate_limiter
from bot.service.responses import error, ok
from bot.service.state import STORE
from bot.tickets.records import is_widget_id

log = logging.getLogger(__name__)

UPLOAD_LIMITER = web.AppKey("evidence_limiter", RateLimiter)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def body_limit() -> int:
    """The request size an upload may have: the file limit plus room for the form's other fields.
    A larger body is cut off unread (413)."""
    return max_bytes() + 256 * 1024


def with_upload_size(handler: Handler, too_large: Callable[[web.Request], web.StreamResponse]) -> Handler:
    """``handler`` with the service's small body limit raised to an upload's (only on this route)."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request.clone(client_max_size=body_limit()))
        except web.HTTPRequestEntityTooLarge:
            response = too_large(request)
            response.force_close()  # the rest of the body is not read: this connection is done
            return response

    return wrapped


def _json_too_large(request: web.Request) -> web.StreamResponse:
    return error(413, "too_large", too_large_message())


async def widget_upload(request: web.Request) -> web.StreamResponse:
    limiter = request.app[UPLOAD_LIMITER]
    if not await limiter.hit(f"ip:{client_address(request)}"):
        return error(429, "rate_limited", "上传太频繁了，请稍等一会儿再试。", **{"Retry-After": "60"})
    try:
        form = await request.post()
    except ValueError:
        return error(400, "bad_request", "上传的内容无法读取，请重新选择文件。")
    sender = form.get("sender")
    if not is_widget_id(sender):
        return error(400, "invalid_sender", "会话编号无效，请刷新页面后重试。")
    if not await limiter.hit(f"sender:{sender}"):
        return error(429, "rate_limited", "上传太频繁了，请稍等一会儿再试。", **{"Retry-After": "60"})
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        return error(400, "no_file", "没有收到文件，请点“上传”重新选择。")
    data = upload.file.read(max_bytes() + 1)
    try:
        prepared = await asyncio.to_thread(prepare, data)
        saved = await asyncio.to_thread(
            request.app[STORE].add_evidence, prepared, source="widget", uploaded_by="群众", sender_id=sender
        )
    except RejectedFile as exc:
        status = 413 if exc.code == "too_large" else 400
        return error(status, exc.code, exc.message)
    body = {k: saved[k] for k in ("id", "media_type", "size", "attached")}
    return ok({**body, "message": RECEIVED}, 201)


def setup_evidence(app: web.Application) -> None:
    """The widget's upload route (public: under ``/api/public/``)."""
    app[UPLOAD_LIMITER] = rate_limiter(10, 600.0, name="evidence")  # in Redis with REDIS_URL
    app.router.add_post("/api/public/evidence", with_upload_size(widget_upload, _json_too_large))
