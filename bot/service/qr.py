"""QR codes (segno, pure Python) and the citizens' status page of the intake service.

- ``GET /qr/center.svg`` and ``/qr/center.png``: the center's code for printing, opening the page with
  the web widget (``PUBLIC_URL``/, see :func:`bot.tickets.messages.public_url`), the center's name
  under it.
- ``GET /qr/status/{code}.svg``: one case's code, opening its status page with the case code filled in
  (the code only: the page still asks for the phone's last four digits).
- ``GET /status/`` a small mobile page with a form (case code + last 4 digits), ``POST /status/`` the
  same check as ``POST /api/public/status`` with the same limits (per address, failures per case code);
  a closed case not yet rated gets a rating form (1-5, optional comment), ``POST /status/rating``,
  which repeats that check with the same limits.
"""

from __future__ import annotations

import asyncio
import html
import io
import re
from pathlib import Path
from typing import Any

import segno
from aiohttp import web

from bot.service.limits import client_address
from bot.service.state import LIMITER, STORE
from bot.tickets.messages import public_url, status_link
from bot.tickets.records import InvalidInput

CODE = re.compile(r"\d{6}-\d{8}-\d{4}")
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # Debian's fonts-wqy-zenhei, when present


def qr_svg(url: str, caption: str = "", scale: int = 8) -> str:
    """A standalone SVG: the QR code of ``url`` with ``caption`` centred under it."""
    qr = segno.make(url, error="m", micro=False)
    width, height = qr.symbol_size(scale=scale, border=4)
    inner = qr.svg_inline(scale=scale, border=4)
    extra = 40 if caption else 0
    text = (
        f'<text x="{width / 2:g}" y="{height + 22}" text-anchor="middle" font-size="20" '
        f'font-family="WenQuanYi Zen Hei, Noto Sans CJK SC, sans-serif">{html.escape(caption)}</text>'
        if caption
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + extra}" '
        f'viewBox="0 0 {width} {height + extra}"><rect width="100%" height="100%" fill="#fff"/>'
        f"{inner}{text}</svg>"
    )


def qr_inline(url: str, scale: int = 4) -> str:
    """The QR code as an inline ``<svg>`` element for an HTML page."""
    return str(segno.make(url, error="m", micro=False).svg_inline(scale=scale, border=2))


def qr_png(url: str, caption: str = "", scale: int = 8) -> bytes:
    """PNG of the QR code; the caption is drawn under it when a Chinese font is installed."""
    qr = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=4)
    if not caption or not FONT.exists():
        return buffer.getvalue()
    from PIL import Image, ImageDraw, ImageFont

    code = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    font = ImageFont.truetype(str(FONT), 22)
    canvas = Image.new("RGB", (code.width, code.height + 40), "white")
    canvas.paste(code, (0, 0))
    draw = ImageDraw.Draw(canvas)
    box = draw.textbbox((0, 0), caption, font=font)
    draw.text(((code.width - (box[2] - box[0])) / 2, code.height + 6), caption, fill="black", font=font)
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


def center_url() -> str:
    return public_url() + "/"


def _center_name(request: web.Request) -> str:
    return str(request.app[STORE].profile.name)


async def center_svg(request: web.Request) -> web.Response:
    body = qr_svg(center_url(), _center_name(request))
    return web.Response(text=body, content_type="image/svg+xml", headers={"Cache-Control": "max-age=300"})


async def center_png(request: web.Request) -> web.Response:
    body = await asyncio.to_thread(qr_png, center_url(), _center_name(request))
    return web.Response(body=body, content_type="image/png", headers={"Cache-Control": "max-age=300"})


async def status_svg(request: web.Request) -> web.Response:
    code = request.match_info["code"]
    if not CODE.fullmatch(code):
        raise web.HTTPNotFound()
    return web.Response(text=qr_svg(status_link(code), code), content_type="image/svg+xml")


# ---------------------------------------------------------------- the status page

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>查询办理进度 · {center}</title>
<style>
body{{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f8;color:#1d2733}}
main{{max-width:28rem;margin:0 auto;padding:1.2rem}}
h1{{font-size:1.35rem;margin:.4rem 0 1rem}}
label{{display:block;margin:.9rem 0 .3rem;font-weight:600}}
input{{width:100%;box-sizing:border-box;font-size:1.1rem;padding:.7rem;border:1px solid #8a97a6;border-radius:.4rem}}
button{{margin-top:1.2rem;width:100%;font-size:1.1rem;padding:.8rem;border:0;border-radius:.4rem;background:#b71c1c;color:#fff}}
.result,.error{{margin-top:1.2rem;padding:1rem;border-radius:.4rem;background:#fff;border-left:.3rem solid #2e7d32}}
.error{{border-color:#b71c1c}} .hint{{color:#52606d;font-size:.95rem}}
fieldset{{border:0;padding:0;margin:1rem 0 0}} legend{{font-weight:600}}
.stars label{{display:inline-block;margin:.5rem .6rem 0 0;font-weight:400}} .stars input{{width:auto}}
textarea{{width:100%;box-sizing:border-box;font-size:1rem;padding:.6rem;border:1px solid #8a97a6;border-radius:.4rem}}
</style></head><body><main>
<h1>{center} · 查询办理进度</h1>
<form method="post" action="/status/">
<label for="code">受理编号</label>
<input id="code" name="code" required inputmode="numeric" autocomplete="off" value="{code}"
 placeholder="例如 140105-20261127-0001" pattern="\\d{{6}}-\\d{{8}}-\\d{{4}}">
<label for="last4">登记手机号后四位</label>
<input id="last4" name="phone_last4" required inputmode="numeric" maxlength="4" pattern="\\d{{4}}"
 autocomplete="off">
<button type="submit">查询</button>
</form>
{result}
<p class="hint">为保护您的信息，需要核对登记时留的手机号后四位；多次输错会暂时锁定。也可拨打{phone}咨询。</p>
</main></body></html>"""


def _page(request: web.Request, code: str = "", result: str = "", status: int = 200) -> web.Response:
    profile = request.app[STORE].profile
    body = PAGE.format(
        center=html.escape(str(profile.name)),
        code=html.escape(code),
        result=result,
        phone=html.escape(str(profile.phone)),
    )
    return web.Response(
        text=body,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
            "Referrer-Policy": "no-referrer",
        },
    )


async def status_page(request: web.Request) -> web.Response:
    code = request.query.get("code", "").strip()
    return _page(request, code if CODE.fullmatch(code) else "")


RATING_FORM = """<form method="post" action="/status/rating" class="rating">
<input type="hidden" name="code" value="{code}"><input type="hidden" name="phone_last4" value="{last4}">
<fieldset class="stars"><legend>{prompt}</legend>{choices}</fieldset>
<label for="comment">意见或建议（可不填）</label>
<textarea id="comment" name="comment" rows="3" maxlength="500"></textarea>
<button type="submit">提交评价</button>
</form>"""


def _rating_form(code: str, last4: str, prompt: str) -> str:
    """The citizen's rating 1-5 after 办结; it repeats the check (code + last 4 digits) when posted."""
    choices = "".join(
        f'<label><input type="radio" name="rating" value="{n}" required> {n}分</label>' for n in range(1, 6)
    )
    return RATING_FORM.format(
        code=html.escape(code), last4=html.escape(last4), prompt=html.escape(prompt), choices=choices
    )


async def status_check(request: web.Request) -> web.Response:
    from bot.tickets.messages import status_message
    from bot.tickets.notices import widget_texts

    form = await request.post()
    code, last4 = str(form.get("code") or "").strip(), str(form.get("phone_last4") or "").strip()
    shown = code if CODE.fullmatch(code) else ""
    if not await request.app[LIMITER].hit(client_address(request)):
        return _page(request, shown, '<div class="error" role="alert">查询过于频繁，请稍后再试。</div>', 429)
    store = request.app[STORE]
    result: dict[str, Any] | None = await asyncio.to_thread(store.public_status, code, last4)
    text = status_message(result, store.profile)
    ok = result is not None and not result.get("locked")
    css = "result" if ok else "error"
    body = f'<div class="{css}" role="status">{html.escape(text)}</div>'
    if ok and result is not None and result["status"] == "closed" and result.get("citizen_rating") is None:
        body += _rating_form(result["code"], last4, widget_texts(store.profile)["widget_rate"])
    return _page(request, shown, body)


async def status_rating(request: web.Request) -> web.Response:
    """The rating form: the same check and limits as the status check, then the citizen's rating."""
    from bot.tickets.messages import status_message

    form = await request.post()
    code, last4 = str(form.get("code") or "").strip(), str(form.get("phone_last4") or "").strip()
    shown = code if CODE.fullmatch(code) else ""
    if not await request.app[LIMITER].hit(client_address(request)):
        return _page(request, shown, '<div class="error" role="alert">操作过于频繁，请稍后再试。</div>', 429)
    store = request.app[STORE]
    rating, comment = str(form.get("rating") or ""), str(form.get("comment") or "")
    try:
        result = await asyncio.to_thread(store.rate_checked, code, last4, rating, comment)
    except InvalidInput as exc:
        return _page(request, shown, f'<div class="error" role="alert">{html.escape(exc.message)}</div>', 400)
    if result is None or result.get("locked"):
        text = status_message(result, store.profile)
        return _page(request, shown, f'<div class="error" role="alert">{html.escape(text)}</div>')
    css = "result" if result["outcome"] == "thanks" else "error"
    return _page(
        request, shown, f'<div class="{css}" role="status">{html.escape(str(result["reply"]))}</div>'
    )


def setup_qr(app: web.Application) -> None:
    app.router.add_get("/qr/center.svg", center_svg)
    app.router.add_get("/qr/center.png", center_png)
    app.router.add_get("/qr/status/{code}.svg", status_svg)
    app.router.add_get("/status/", status_page)
    app.router.add_get("/status", status_page)
    app.router.add_post("/status/", status_check)
    app.router.add_post("/status/rating", status_rating)
