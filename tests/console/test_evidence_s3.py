"""The S3-compatible evidence store against a fake object store on loopback that checks every
request's AWS Signature V4 with botocore's own signer (an independent implementation), keeps the
objects and refuses wrong credentials: sealed files go in, the same files come out, none in clear."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from aiohttp import web
from PIL import Image

from bot.evidence import prepare
from bot.evidence.s3 import BlobStoreError, S3Blobs

botocore_auth = pytest.importorskip("botocore.auth", reason="botocore is not installed")
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

ACCESS, SECRET, REGION, BUCKET = (
    "AKIDEXAMPLE",
    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "cn-north-1",
    "evidence",
)


class FakeS3:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.refused = 0
        self.port = 0

    def _signed_correctly(self, request: web.Request, body: bytes) -> bool:
        """botocore signs the same request at the same instant; the signatures must agree."""
        url = f"http://{request.host}{request.path}"
        headers = {
            k: v for k, v in request.headers.items() if k.lower() in ("x-amz-date", "x-amz-content-sha256")
        }
        copy = AWSRequest(method=request.method, url=url, data=body, headers=headers)
        copy.context["timestamp"] = request.headers.get("x-amz-date", "")
        auth = botocore_auth.S3SigV4Auth(Credentials(ACCESS, SECRET), "s3", REGION)
        copy.headers["host"] = request.host
        canonical = auth.canonical_request(copy)
        expected = auth.signature(auth.string_to_sign(copy, canonical), copy)
        got = request.headers.get("Authorization", "")
        return got.endswith("Signature=" + expected) and f"Credential={ACCESS}/" in got

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if not self._signed_correctly(request, body):
            self.refused += 1
            return web.Response(status=403, text="SignatureDoesNotMatch")
        key = request.path
        if request.method == "PUT":
            self.objects[key] = body
            return web.Response(status=200)
        if request.method == "GET":
            return web.Response(body=self.objects[key]) if key in self.objects else web.Response(status=404)
        self.objects.pop(key, None)
        return web.Response(status=204)


@pytest.fixture
async def s3() -> AsyncIterator[tuple[FakeS3, S3Blobs]]:
    fake = FakeS3()
    app = web.Application(client_max_size=32 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    fake.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    env = {
        "EVIDENCE_S3_BUCKET": BUCKET,
        "EVIDENCE_S3_ENDPOINT": f"http://127.0.0.1:{fake.port}",
        "EVIDENCE_S3_REGION": REGION,
        "EVIDENCE_S3_ACCESS_KEY": ACCESS,
        "EVIDENCE_S3_SECRET_KEY": SECRET,
    }
    blobs = S3Blobs.from_env(env)
    assert blobs is not None
    yield fake, blobs
    await runner.cleanup()


async def test_objects_go_in_signed_and_come_back(s3) -> None:
    fake, blobs = s3
    await asyncio.to_thread(blobs.put, "ab/some-object-key-0001", b"sealed bytes")
    assert fake.objects == {f"/{BUCKET}/evidence/ab/some-object-key-0001": b"sealed bytes"}
    assert await asyncio.to_thread(blobs.get, "ab/some-object-key-0001") == b"sealed bytes"
    await asyncio.to_thread(blobs.delete, "ab/some-object-key-0001")
    await asyncio.to_thread(blobs.delete, "ab/some-object-key-0001")  # already gone: fine
    assert fake.objects == {} and fake.refused == 0
    wrong = replace(blobs, secret_key="not-the-secret")
    with pytest.raises(BlobStoreError):
        await asyncio.to_thread(wrong.put, "ab/another-object-key-01", b"x")
    assert fake.refused == 1
    assert S3Blobs.from_env({}) is None  # no bucket: the local folder is used


async def test_the_store_keeps_evidence_in_s3_sealed(s3, store) -> None:
    fake, blobs = s3
    store._blobs = blobs
    image = io.BytesIO()
    Image.new("RGB", (200, 100), (1, 2, 3)).save(image, "PNG")
    saved = await asyncio.to_thread(
        store.add_evidence,
        prepare(image.getvalue()),
        source="console",
        uploaded_by="王志强",
        sender_id="w-" + "0" * 32,
    )
    assert len(fake.objects) == 2  # the photo and its thumbnail
    assert not any(b.startswith((b"\xff\xd8", b"\x89PNG")) for b in fake.objects.values())
    media_type, body = await asyncio.to_thread(store.evidence_content, saved["id"])
    assert Image.open(io.BytesIO(body)).size == (200, 100)
