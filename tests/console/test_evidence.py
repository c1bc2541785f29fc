"""Evidence uploads: checked on content (not the name), photos stripped of EXIF/GPS, stored encrypted,
attached to the ticket (also when sent before filing), readable only by staff who may see the ticket,
and purged with the ticket's personal data."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from aiohttp import FormData
from console_helpers import csrf_of, wage_record
from PIL import Image

from bot.evidence import RejectedFile, prepare
from bot.evidence.blobs import LocalBlobs
from bot.storage.models import Ticket
from bot.storage.store import IntakeRecord

SENDER = "w-" + "ab" * 16
GPS_IFD = 0x8825
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 2000


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 54.0, 27.0), "E", (116.0, 23.0, 17.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the test photo does carry GPS
    return data


@pytest.fixture
def blobs(store, tmp_path) -> Path:
    root = tmp_path / "evidence"
    store._blobs = LocalBlobs(root)
    return root


def _form(data: bytes, name: str, sender: str = SENDER, content_type: str = "image/jpeg") -> FormData:
    form = FormData()
    form.add_field("sender", sender)
    form.add_field("file", data, filename=name, content_type=content_type)
    return form


def test_type_and_size_are_checked_on_the_content():
    with pytest.raises(RejectedFile) as wrong:
        prepare(EXE)  # whatever its name or declared type
    assert "只能上传照片" in wrong.value.message
    with pytest.raises(RejectedFile) as big:
        prepare(b"\xff\xd8\xff" + b"\x00" * 2000, limit=1000)
    assert big.value.code == "too_large" and "文件太大" in big.value.message
    assert prepare(PDF).media_type == "application/pdf"
    kept = prepare(photo_with_gps())
    assert kept.media_type == "image/jpeg"
    assert not Image.open(io.BytesIO(kept.body)).getexif()  # no EXIF at all, GPS included
    assert kept.thumbnail and max(Image.open(io.BytesIO(kept.thumbnail)).size) <= 320


async def test_widget_upload_refuses_a_renamed_exe_and_an_oversize_file(client, store, blobs, monkeypatch):
    exe = await client.post("/api/public/evidence", data=_form(EXE, "欠条.jpg"))
    assert exe.status == 400
    assert "只能上传照片（JPG、PNG、WebP）或 PDF" in (await exe.json())["message"]
    monkeypatch.setenv("EVIDENCE_MAX_BYTES", str(100_000))
    big = await client.post("/api/public/evidence", data=_form(b"\xff\xd8\xff" + b"\x01" * 150_000, "大.jpg"))
    assert big.status == 413
    assert "文件太大了" in (await big.json())["message"]
    huge = await client.post("/api/public/evidence", data=_form(b"\xff\xd8\xff" + b"\x01" * 600_000, "x.jpg"))
    assert huge.status == 413  # past the body limit: cut off unread, same message
    assert "文件太大了" in (await huge.json())["message"]
    bad_sender = await client.post("/api/public/evidence", data=_form(PDF, "a.pdf", sender="w-123"))
    assert bad_sender.status == 400
    assert not list(blobs.rglob("*.*")) and not [p for p in blobs.rglob("*") if p.is_file()]


async def test_upload_before_filing_joins_the_ticket_readable_only_by_its_staff(
    client, store, blobs, logged_in
):
    sent = await client.post("/api/public/evidence", data=_form(photo_with_gps(), "IMG_0001.jpg"))
    assert sent.status == 201, await sent.text()
    receipt = await sent.json()
    assert receipt["attached"] is False and "已收到" in receipt["message"]
    pdf = await client.post(
        "/api/public/evidence", data=_form(PDF, "合同.pdf", content_type="application/pdf")
    )
    assert pdf.status == 201

    # at rest: ciphertext only
    stored = [p.read_bytes() for p in blobs.rglob("*") if p.is_file()]
    assert len(stored) == 3  # photo, its thumbnail, the PDF
    assert not any(b.startswith((b"\xff\xd8", b"%PDF")) or b"PhoneMaker" in b or b"%PDF" in b for b in stored)

    ticket = store.file_ticket(IntakeRecord(**{**wage_record(SENDER).__dict__, "channel": "rest"}))
    files = store.evidence_of(ticket["code"])
    assert [f["media_type"] for f in files] == ["image/jpeg", "application/pdf"]
    photo, document = files
    later = await client.post(
        "/api/public/evidence", data=_form(PDF, "补充.pdf", content_type="application/pdf")
    )
    assert (await later.json())["attached"] is True  # after filing: straight to the conversation's ticket
    assert len(store.evidence_of(ticket["code"])) == 3

    # no session: to the login page
    anonymous = await client.get(f"/console/evidence/{photo['id']}", allow_redirects=False)
    assert anonymous.status == 302 and "/console/login" in anonymous.headers["Location"]

    await logged_in("zhao")  # labor_arbitration: not this ticket's window
    assert (await client.get(f"/console/evidence/{photo['id']}")).status == 403
    assert (await client.get(f"/console/evidence/{photo['id']}/thumb")).status == 403
    await logged_in("li")  # a mediator it is not assigned to
    assert (await client.get(f"/console/evidence/{document['id']}")).status == 403

    await logged_in("wang")  # labor_inspection: the ticket's window
    page = await (await client.get(f"/console/tickets/{ticket['code']}")).text()
    assert f"/console/evidence/{photo['id']}/thumb" in page and "证据材料（3）" in page
    image = await client.get(f"/console/evidence/{photo['id']}")
    assert image.status == 200 and image.headers["Content-Type"] == "image/jpeg"
    assert image.headers["Cache-Control"] == "no-store"
    shown = Image.open(io.BytesIO(await image.read()))
    assert shown.size == (640, 480)
    assert not shown.getexif().get_ifd(GPS_IFD) and not shown.getexif()
    thumb = await client.get(f"/console/evidence/{photo['id']}/thumb")
    assert thumb.status == 200 and Image.open(io.BytesIO(await thumb.read())).width <= 320
    download = await client.get(f"/console/evidence/{document['id']}")
    assert await download.read() == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert (await client.get("/console/evidence/not-a-real-id-0000000000")).status == 404


async def test_staff_upload_on_the_ticket_page_and_purge_deletes_the_files(client, store, blobs, logged_in):
    ticket = store.file_ticket(wage_record(), now=datetime(2020, 1, 1, tzinfo=timezone.utc))
    await logged_in("wang")
    page = await client.get(f"/console/tickets/{ticket['code']}")
    form = FormData()
    form.add_field("csrf", csrf_of(await page.text()))
    form.add_field("file", EXE, filename="照片.jpg", content_type="image/jpeg")
    refused = await client.post(f"/console/tickets/{ticket['code']}/evidence", data=form)
    assert refused.status == 400 and "只能上传照片" in await refused.text()
    form = FormData()
    form.add_field("csrf", csrf_of(await page.text()))
    form.add_field("file", photo_with_gps(), filename="现场.jpg", content_type="application/octet-stream")
    done = await client.post(f"/console/tickets/{ticket['code']}/evidence", data=form)
    assert done.status == 200 and "证据材料已上传" in await done.text()
    assert [f["uploaded_by"] for f in store.evidence_of(ticket["code"])] == ["王志强"]

    await logged_in("zhao")  # another window cannot add to it either
    other = await client.get("/console/")
    form = FormData()
    form.add_field("csrf", csrf_of(await other.text()))
    form.add_field("file", PDF, filename="a.pdf", content_type="application/pdf")
    assert (await client.post(f"/console/tickets/{ticket['code']}/evidence", data=form)).status == 403

    store.claim(ticket["code"], "x")
    store.change_status(ticket["code"], "resolved", "x")
    store.change_status(ticket["code"], "closed", "x")
    with store._write() as session:
        session.execute(
            Ticket.__table__.update()
            .where(Ticket.code == ticket["code"])
            .values(closed_at=datetime(2020, 2, 1, tzinfo=timezone.utc))
        )
    assert [p for p in blobs.rglob("*") if p.is_file()]
    assert store.purge_expired() == 1
    assert store.evidence_of(ticket["code"]) == []
    assert not [p for p in blobs.rglob("*") if p.is_file()]


async def test_widget_uploads_are_rate_limited(client, store, blobs):
    statuses = [
        (
            await client.post(
                "/api/public/evidence", data=_form(PDF, "a.pdf", content_type="application/pdf")
            )
        ).status
        for _ in range(11)
    ]
    assert statuses[:10] == [201] * 10 and statuses[10] == 429
