"""Evidence on the console's ticket page: staff upload photos or PDFs the citizen shows them, and see
every file of the ticket — thumbnails, the file itself — decrypted only for staff who may see the
ticket (its windows, a mediator's own, a grid worker's own filing, administrators all). Files are
sent with ``no-store`` and, for PDFs, as downloads in a sandbox, never rendered as the service's pages.
"""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import quote

from aiohttp import web

from bot.evidence import RejectedFile, prepare
from bot.evidence.content import too_large_message
from bot.evidence.sealed import UnreadableFile
from bot.service.console.auth import ConsoleUser, staff_page
from bot.service.console.pages import FORM, PREFIX, USER, error_page, redirect, security_headers, store_of
from bot.service.console.views import load_ticket
from bot.service.evidence import with_upload_size

log = logging.getLogger(__name__)

PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{20,40}")
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


@staff_page
async def upload(request: web.Request) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    ticket = await load_ticket(request, user, request.match_info["code"])
    if isinstance(ticket, web.Response):
        return ticket
    field = request[FORM].get("file")
    if not isinstance(field, web.FileField):
        return error_page(request, 400, "请选择要上传的照片或 PDF 文件")
    data = field.file.read()
    try:
        prepared = await asyncio.to_thread(prepare, data)
        await asyncio.to_thread(
            store_of(request).add_evidence,
            prepared,
            source="console",
            uploaded_by=user.name,
            ticket_code=ticket["code"],
        )
    except RejectedFile as exc:
        return error_page(request, 413 if exc.code == "too_large" else 400, exc.message)
    log.info("console: evidence added to %s by %s", ticket["code"], user.username)
    return redirect(f"{PREFIX}/tickets/{quote(ticket['code'])}?done=evidence")


def _too_large(request: web.Request) -> web.StreamResponse:
    return error_page(request, 413, too_large_message())


async def _content(request: web.Request, *, thumbnail: bool) -> web.StreamResponse:
    user: ConsoleUser = request[USER]
    public_id = request.match_info["id"]
    store = store_of(request)
    code = (
        await asyncio.to_thread(store.evidence_owner, public_id) if PUBLIC_ID.fullmatch(public_id) else None
    )
    if code is None:
        return error_page(request, 404, "没有找到这个文件")
    ticket = await load_ticket(request, user, code)  # 404/403 as for the ticket itself
    if isinstance(ticket, web.Response):
        return ticket
    try:
        found = await asyncio.to_thread(store.evidence_content, public_id, thumbnail=thumbnail)
    except UnreadableFile:
        log.error("evidence %s of %s cannot be decrypted", public_id, code)
        return error_page(request, 410, "这个文件已无法读取（密钥已更换或文件已损坏）")
    except OSError as exc:  # the blob store: a missing file, an object store down
        log.error("evidence %s of %s unavailable: %s", public_id, code, exc.__class__.__name__)
        return error_page(request, 503, "这个文件暂时无法读取，请稍后再试")
    if found is None:
        return error_page(request, 404, "没有找到这个文件")
    media_type, body = found
    name = f"{ticket['code']}-{public_id[:8]}.{EXTENSIONS.get(media_type, 'bin')}"
    disposition = "inline" if media_type.startswith("image/") else "attachment"
    response = web.Response(
        body=body,
        content_type=media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
        },
    )
    return security_headers(response)


@staff_page(page=False)
async def content(request: web.Request) -> web.StreamResponse:
    return await _content(request, thumbnail=False)


@staff_page(page=False)
async def thumbnail(request: web.Request) -> web.StreamResponse:
    return await _content(request, thumbnail=True)


def setup(app: web.Application) -> None:
    r = app.router
    r.add_post(PREFIX + "/tickets/{code}/evidence", with_upload_size(upload, _too_large))
    r.add_get(PREFIX + "/evidence/{id}", content)
    r.add_get(PREFIX + "/evidence/{id}/thumb", thumbnail)
