"""WeChat's side of the official-account channel, for the tests: a fake API server on loopback that
issues access tokens and receives customer-service messages (and can refuse the first ones), and
requests signed and, in safe mode, encrypted the way WeChat does it — with ``cryptography`` directly,
independently of wechatpy, which the channel uses."""

from __future__ import annotations

import base64
import hashlib
import os
import struct
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

TOKEN = "zz-test-token"
APP_ID = "wx0123456789abcdef"
APP_SECRET = "test-app-secret"
AES_KEY = base64.b64encode(bytes(range(32))).decode("ascii").rstrip("=")  # 43 characters


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def aes_encrypt(
    plain: str, aes_key: str = AES_KEY, app_id: str = APP_ID, random16: bytes | None = None
) -> str:
    """WXBizMsgCrypt: AES-256-CBC (IV = first 16 key bytes) over random(16) + length(4, big endian) +
    message + AppID, padded PKCS#7 to 32-byte blocks; base64."""
    key = base64.b64decode(aes_key + "=")
    message = plain.encode("utf-8")
    data = (random16 or os.urandom(16)) + struct.pack(">I", len(message)) + message + app_id.encode("utf-8")
    pad = 32 - len(data) % 32
    data += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode("ascii")


def aes_decrypt(ciphertext: str, aes_key: str = AES_KEY) -> tuple[str, str]:
    """(message, AppID) of a WXBizMsgCrypt ciphertext."""
    key = base64.b64decode(aes_key + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    data = decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize()
    pad = data[-1]
    assert 1 <= pad <= 32 and data[-pad:] == bytes([pad]) * pad
    data = data[:-pad]
    (length,) = struct.unpack(">I", data[16:20])
    return data[20 : 20 + length].decode("utf-8"), data[20 + length :].decode("utf-8")


def text_xml(openid: str, content: str, msg_id: int, msg_type: str = "text", extra: str = "") -> str:
    body = f"<Content><![CDATA[{content}]]></Content>" if msg_type == "text" else ""
    return (
        f"<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{body}{extra}"
        f"<MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(openid: str, event: str, key: str = "", create_time: int | None = None) -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event><EventKey><![CDATA[{key}]]></EventKey></xml>"
    )


def signed(
    xml: str, *, encrypted: bool = False, token: str = TOKEN, timestamp: int | None = None
) -> tuple[dict[str, str], bytes]:
    """(query, body) of WeChat's POST carrying ``xml``, in plain or safe mode."""
    ts, nonce = str(timestamp or int(time.time())), "1320562132"
    query = {"timestamp": ts, "nonce": nonce, "signature": sha1_signature(token, ts, nonce), "openid": "x"}
    if not encrypted:
        return query, xml.encode("utf-8")
    ciphertext = aes_encrypt(xml)
    query.update(encrypt_type="aes", msg_signature=sha1_signature(token, ts, nonce, ciphertext))
    body = f"<xml><ToUserName><![CDATA[gh_account]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
    return query, body.encode("utf-8")


@dataclass
class FakeWeChat:
    """The API server: ``/cgi-bin/token``, ``/cgi-bin/message/custom/send``, ``/cgi-bin/menu/create``,
    ``/cgi-bin/media/get``."""

    fail_next: int = 0  # refuse this many customer-service messages (HTTP 500) before accepting
    expire_next: int = 0  # answer this many with errcode 42001 (token expired)
    tokens: list[str] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0
    menus: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)  # MediaId → the file citizens sent
    runner: web.AppRunner | None = None
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def token(self, request: web.Request) -> web.Response:
        q = request.query
        if (
            q.get("appid") != APP_ID
            or q.get("secret") != APP_SECRET
            or q.get("grant_type") != "client_credential"
        ):
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        self.tokens.append(f"token-{len(self.tokens) + 1}")
        return web.json_response({"access_token": self.tokens[-1], "expires_in": 7200})

    def _token_ok(self, request: web.Request) -> bool:
        return bool(self.tokens) and request.query.get("access_token") == self.tokens[-1]

    async def send(self, request: web.Request) -> web.Response:
        if not self._token_ok(request):
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        if self.expire_next > 0:
            self.expire_next -= 1
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        if self.fail_next > 0:
            self.fail_next -= 1
            self.refused += 1
            return web.json_response({"errcode": -1, "errmsg": "system busy"}, status=500)
        self.sent.append(await request.json())
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def media_get(self, request: web.Request) -> web.Response:
        if not self._token_ok(request):
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        data = self.media.get(request.query.get("media_id", ""))
        if data is None:
            return web.Response(
                text='{"errcode":40007,"errmsg":"invalid media_id"}', content_type="text/plain"
            )
        return web.Response(body=data, content_type="image/jpeg")

    async def menu(self, request: web.Request) -> web.Response:
        if not self._token_ok(request):
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        self.menus.append(await request.json())
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self.token)
        app.router.add_post("/cgi-bin/message/custom/send", self.send)
        app.router.add_post("/cgi-bin/menu/create", self.menu)
        app.router.add_get("/cgi-bin/media/get", self.media_get)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def texts(self, openid: str) -> list[str]:
        return [m["text"]["content"] for m in self.sent if m.get("touser") == openid]
