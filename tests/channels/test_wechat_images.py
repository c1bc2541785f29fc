"""A photo sent on WeChat (an image message's ``MediaId``): the channel queues it in the outbox, the
intake service's ``WeChatMessages`` fetches it from WeChat (``/cgi-bin/media/get``), keeps it as
evidence of the conversation — without its EXIF/GPS, encrypted — and tells the citizen; a file that is
not an image is refused with the reason. The photo joins the ticket the conversation files."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.evidence.blobs import LocalBlobs
from bot.evidence.content import RECEIVED
from bot.storage.models import EvidenceFile
from bot.storage.store import IntakeRecord, TicketStore
from connectors.channels import senders
from tests.channels.test_wechat import KEY, OPENID, Dialogue, deliver_all, make_channel, post
from tests.channels.wechat_fakes import FakeWeChat, text_xml

GPS_IFD = 0x8825


@pytest.fixture()
async def fake() -> AsyncIterator[FakeWeChat]:
    server = FakeWeChat()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[TicketStore]:
    s = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    yield s
    s.dispose()


def _photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (36.0, 3.0, 0.0), 3: "E", 4: (103.0, 49.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (90, 90, 90)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def image_xml(media_id: str, msg_id: int) -> str:
    extra = f"<PicUrl><![CDATA[http://x/y.jpg]]></PicUrl><MediaId><![CDATA[{media_id}]]></MediaId>"
    return text_xml(OPENID, "", msg_id, "image", extra)


def _rows(store: TicketStore) -> list[Any]:
    with store._read() as session:
        return session.query(EvidenceFile).all()


async def test_a_wechat_photo_is_kept_without_gps_and_acknowledged(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore, tmp_path: Path
) -> None:
    store._blobs = LocalBlobs(tmp_path / "evidence")
    fake.media["MEDIA-1"] = _photo_with_gps()
    fake.media["MEDIA-2"] = b"MZ" + b"\x00" * 300  # not an image, whatever WeChat calls it
    channel = make_channel(fake, monkeypatch, store)
    dialogue = Dialogue()
    assert await post(channel, image_xml("MEDIA-1", 81), dialogue) == (200, "success", "text/plain")
    assert await post(channel, image_xml("MEDIA-2", 82), dialogue) == (200, "success", "text/plain")
    assert dialogue.received == []  # photos do not go to the dialogue
    await deliver_all(channel, store, fake)

    assert fake.texts(OPENID) == [
        RECEIVED,
        "只能上传照片（JPG、PNG、WebP）或 PDF 文件，这个文件的格式不支持。",
    ]
    [row] = _rows(store)
    conversation = senders.wechat_sender_id(OPENID, KEY)
    assert row.sender_id == conversation and row.source == "wechat" and row.ticket_id is None

    ticket = store.file_ticket(
        IntakeRecord(conversation, "wechat", "debt", "none", {"counterparty": "邻居"}, "借钱不还")
    )
    [kept] = store.evidence_of(ticket["code"])
    media_type, body = store.evidence_content(kept["id"])
    assert media_type == "image/jpeg"
    assert not Image.open(io.BytesIO(body)).getexif().get_ifd(GPS_IFD)


async def test_an_image_without_media_id_still_gets_the_text_only_note(
    fake: FakeWeChat, monkeypatch: pytest.MonkeyPatch, store: TicketStore
) -> None:
    channel = make_channel(fake, monkeypatch, store)
    status, body, _ = await post(channel, text_xml(OPENID, "", 91, "image", "<PicUrl>x</PicUrl>"), Dialogue())
    assert status == 200 and "文字" in body
    assert _rows(store) == []
