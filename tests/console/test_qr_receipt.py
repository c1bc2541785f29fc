"""QR codes of the intake service decoded back (zbar), the citizens' status page with its limits, the
printable receipt (受理告知单) in the console, and the status link in the closing message."""

from __future__ import annotations

import io
import re

import pytest
from console_helpers import wage_record

from bot.tickets.messages import closing_message, status_link

PUBLIC = "https://zongzhi.example.gov.cn"


def decode(image: bytes, kind: str) -> list[str]:
    pyzbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar with Debian's libzbar0 decodes the codes")
    from PIL import Image

    if kind == "svg":  # rasterise the segno path ourselves: no SVG renderer needed
        return _decode_svg(image.decode("utf-8"), pyzbar)
    return [r.data.decode("utf-8") for r in pyzbar.decode(Image.open(io.BytesIO(image)))]


def _decode_svg(svg: str, pyzbar: object) -> list[str]:
    """Draw the horizontal runs of segno's path ("M x y h n m dx dy h n …", scale 1) and decode."""
    from PIL import Image, ImageDraw

    path = re.search(r'<path transform="scale\((\d+)\)"[^>]* d="([^"]+)"', svg)
    assert path, svg[:200]
    scale = int(path.group(1))
    width, height = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())  # type: ignore[union-attr]
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for op, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path.group(2)):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            end = x + float(a) if op == "h" else float(a)
            draw.rectangle([x * scale, (y - 0.5) * scale, end * scale - 1, (y + 0.5) * scale - 1], fill=0)
            x = end
    return [r.data.decode("utf-8") for r in pyzbar.decode(image)]  # type: ignore[attr-defined]


async def test_center_code_opens_the_widget_page(client, profile, monkeypatch) -> None:
    monkeypatch.setenv("PUBLIC_URL", PUBLIC + "/")
    resp = await client.get("/qr/center.svg", headers={"Host": "evil.example.com"})
    assert resp.status == 200 and resp.content_type == "image/svg+xml"
    svg = await resp.read()
    assert profile.name in svg.decode("utf-8")  # the center's name under the code
    assert decode(svg, "svg") == [PUBLIC + "/"]  # never the Host header
    resp = await client.get("/qr/center.png")
    assert resp.status == 200 and resp.content_type == "image/png"
    assert decode(await resp.read(), "png") == [PUBLIC + "/"]


async def test_center_code_defaults_to_the_configured_host(client, monkeypatch) -> None:
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.setenv("INTAKE_HOST", "10.1.2.3")
    monkeypatch.setenv("INTAKE_PORT", "5080")
    resp = await client.get("/qr/center.svg", headers={"Host": "evil.example.com"})
    assert decode(await resp.read(), "svg") == ["http://10.1.2.3:5080/"]


async def test_closing_message_links_the_status_page(store, profile, monkeypatch) -> None:
    monkeypatch.setenv("PUBLIC_URL", PUBLIC)
    t = store.file_ticket(wage_record())
    text = closing_message(t, profile)
    assert t["code"] in text and f"{PUBLIC}/status/?code={t['code']}" in text


async def test_status_page_checks_code_and_last4_with_the_same_limits(client, store, monkeypatch) -> None:
    t = store.file_ticket(wage_record())
    page = await client.get(f"/status/?code={t['code']}")
    html = await page.text()
    assert page.status == 200 and f'value="{t["code"]}"' in html and "后四位" in html
    assert "<script" not in html.lower()
    ok = await client.post("/status/", data={"code": t["code"], "phone_last4": "5678"})
    assert ok.status == 200 and "目前状态" in await ok.text()
    for _ in range(5):  # wrong digits: the store counts failures per case code and locks it
        wrong = await client.post("/status/", data={"code": t["code"], "phone_last4": "0000"})
    text = await wrong.text()
    assert "目前状态" not in text
    locked = await client.post("/status/", data={"code": t["code"], "phone_last4": "5678"})
    assert "目前状态" not in await locked.text()  # locked even with the right digits
    xss = await client.get("/status/?code=<script>alert(1)</script>")
    assert "<script>alert" not in await xss.text()


async def test_receipt_page_a4_and_thermal_with_the_status_code(
    client, store, logged_in, monkeypatch
) -> None:
    monkeypatch.setenv("PUBLIC_URL", PUBLIC)
    t = store.file_ticket(wage_record())
    other = store.file_ticket(wage_record(sender="web-9"))
    resp = await client.get(f"/console/tickets/{t['code']}/receipt")
    assert resp.status in (302, 303) or "login" in str(resp.url)  # staff only
    await logged_in("wang")
    resp = await client.get(f"/console/tickets/{t['code']}/receipt")
    html = await resp.text()
    assert resp.status == 200 and "受理告知单" in html and t["code"] in html
    assert t["route"]["window_name"] in html
    assert all(m in html for m in t["materials"]) and "办理时限" in html
    assert "13912345678" not in html  # no phone on the receipt
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None
    assert decode(svg.group(0).encode(), "svg") == [status_link(t["code"])]
    assert status_link(t["code"]) == f"{PUBLIC}/status/?code={t['code']}"
    thermal = await client.get(f"/console/tickets/{t['code']}/receipt?layout=thermal")
    assert 'class="thermal"' in await thermal.text()
    assert other["code"] != t["code"]
    code_svg = await client.get(f"/qr/status/{t['code']}.svg")
    assert decode(await code_svg.read(), "svg") == [status_link(t["code"])]
    assert (await client.get("/qr/status/not-a-code.svg")).status == 404
