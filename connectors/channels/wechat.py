"""WeChat official-account channel (微信公众号): a Rasa input channel at ``/webhooks/wechat/webhook``.

- ``GET`` is WeChat's server-URL check: ``signature`` = SHA-1 of the sorted token, ``timestamp`` and
  ``nonce``; the answer is ``echostr``.
- ``POST`` carries a message as XML, in plain mode (``signature`` as above) or, with
  ``WECHAT_AES_KEY`` set, in safe mode (安全模式: ``encrypt_type=aes``, ``msg_signature`` over token,
  timestamp, nonce and the ciphertext; AES-256-CBC, PKCS#7 to 32-byte blocks, random 16 bytes +
  length + message + AppID). Signatures, AES and XML are wechatpy's; the signatures are compared in
  constant time here.
- Text messages go to the dialogue; a voice message with WeChat's recognition text as that text,
  without it a polite "请打字"; menu clicks (``wechat_menu.json``) become messages the bot
  understands (:data:`MENU_MESSAGES`); following the account (subscribe) is a greeting; other kinds
  get a short note that only text is understood.
- The conversation id is ``wx-`` + a keyed hash of the openid (:func:`senders.wechat_sender_id`),
  never the openid; tickets record ``channel: "wechat"``.
- WeChat waits about 5 seconds for the answer. When the dialogue answers within
  ``WECHAT_PASSIVE_TIMEOUT`` (4.5 s) the reply goes back in the response (passive reply); otherwise the
  response is ``success`` (nothing shown) and the answer follows as customer-service messages
  (:class:`wechat_api.Outbox`: in order per citizen, retried with back-off). While such a delivery is
  pending, later answers of the same citizen queue behind it.
- Buttons become numbered options and a digit answers them, as on the hotline (:mod:`sms`); repeated
  ``MsgId`` (WeChat retries) are ignored; both memories in Redis when ``REDIS_URL`` is set.

Settings from the environment only: ``WECHAT_TOKEN``, ``WECHAT_APP_ID``, ``WECHAT_APP_SECRET``,
``WECHAT_AES_KEY`` (optional), ``WECHAT_API_BASE`` (default https://api.weixin.qq.com),
``WECHAT_PASSIVE_TIMEOUT``, ``WECHAT_SEND_ATTEMPTS`` (4), ``WECHAT_SEND_BACKOFF`` (1 s),
``WECHAT_MAX_AGE`` (300 s a signed request stays valid; 0: unchecked). With none of the first three
set the channel is off: it answers 503 and says why in the log, so Rasa starts without WeChat. With
some but not all, or an AES key that is not 43 characters, Rasa refuses to start and names the problem.

``python -m connectors.channels.wechat publish-menu [FILE]`` publishes the menu.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException
from wechatpy.replies import TextReply

from connectors import rasa_speedups
from connectors.channels import senders, sms
from connectors.channels.limits import MESSAGE as RATE_LIMITED_MESSAGE
from connectors.channels.limits import RateLimiter
from connectors.channels.wechat_api import DEFAULT_API_BASE, Outbox, WeChatApi

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
MENU_FILE = Path(__file__).with_name("wechat_menu.json")
# Menu click keys (wechat_menu.json) → what the citizen would have typed.
MENU_MESSAGES = {
    "ZZ_REPORT": "你好",  # 我要反映: the greeting, which invites the citizen to tell their story
    "ZZ_PROGRESS": "查询进度",
    "ZZ_GUIDE": "你们能办哪些事",  # 办事指南: the consult answer about what the center handles
}
WELCOME_MESSAGE = "你好"  # following the account
PLEASE_TYPE = "抱歉，这条语音没能识别出文字。请打字告诉我们您遇到的事情。如有危险请立即拨打110。"
TEXT_ONLY = "目前只能处理文字消息，请打字告诉我们您遇到的事情。如有危险请立即拨打110。"
PART_BYTES = 1800  # a WeChat text message holds 2048 bytes of UTF-8


class WeChatConfigError(ValueError):
    """The channel is partly configured: Rasa must not start with it."""


@dataclass(frozen=True)
class WeChatSettings:
    token: str = ""
    app_id: str = ""
    app_secret: str = ""
    aes_key: str = ""
    api_base: str = DEFAULT_API_BASE
    passive_timeout: float = 4.5
    send_attempts: int = 4
    send_backoff: float = 1.0
    max_age: float = 300.0

    @classmethod
    def load(cls) -> WeChatSettings:
        env = os.environ
        return cls(
            token=env.get("WECHAT_TOKEN", "").strip(),
            app_id=env.get("WECHAT_APP_ID", "").strip(),
            app_secret=env.get("WECHAT_APP_SECRET", "").strip(),
            aes_key=env.get("WECHAT_AES_KEY", "").strip(),
            api_base=(env.get("WECHAT_API_BASE") or DEFAULT_API_BASE).strip(),
            passive_timeout=float(env.get("WECHAT_PASSIVE_TIMEOUT") or 4.5),
            send_attempts=max(3, int(env.get("WECHAT_SEND_ATTEMPTS") or 4)),
            send_backoff=float(env.get("WECHAT_SEND_BACKOFF") or 1.0),
            max_age=float(env.get("WECHAT_MAX_AGE") or 300.0),
        )

    @property
    def configured(self) -> bool:
        return bool(self.token and self.app_id and self.app_secret)

    @property
    def encrypted(self) -> bool:
        return bool(self.aes_key)

    def problems(self) -> list[str]:
        """What is wrong with a partial configuration ([] when complete or wholly absent)."""
        required = {
            "WECHAT_TOKEN": self.token,
            "WECHAT_APP_ID": self.app_id,
            "WECHAT_APP_SECRET": self.app_secret,
        }
        missing = [name for name, value in required.items() if not value]
        problems = []
        if missing and len(missing) < len(required) or (missing and self.aes_key):
            problems.append("missing " + ", ".join(missing))
        if self.aes_key:
            try:
                if len(self.aes_key) != 43 or len(base64.b64decode(self.aes_key + "=")) != 32:
                    raise ValueError
            except (ValueError, binascii.Error):
                problems.append("WECHAT_AES_KEY must be the 43-character EncodingAESKey")
        return problems


# ---------------------------------------------------------------- protocol (no Rasa)


def signature(*parts: str) -> str:
    """WeChat's SHA-1 of the sorted, concatenated parts (token, timestamp, nonce[, ciphertext])."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signature_ok(expected: str, given: str | None) -> bool:
    return hmac.compare_digest(
        expected.encode("ascii"), (given or "").strip().lower().encode("ascii", "replace")
    )


class Protocol:
    """Checks and opens WeChat's requests and seals the passive replies of one account."""

    def __init__(self, settings: WeChatSettings) -> None:
        self.settings = settings
        self.crypto = (
            WeChatCrypto(settings.token, settings.aes_key, settings.app_id) if settings.encrypted else None
        )

    def fresh(self, timestamp: str | None, now: float | None = None) -> bool:
        if self.settings.max_age <= 0:
            return True
        try:
            sent = int(str(timestamp or "").strip())
        except ValueError:
            return False
        return abs((time.time() if now is None else now) - sent) <= self.settings.max_age

    def verify_url(self, query: dict[str, str]) -> str | None:
        """The ``echostr`` to answer the server-URL check with, or None."""
        expected = signature(self.settings.token, query.get("timestamp", ""), query.get("nonce", ""))
        if not signature_ok(expected, query.get("signature")):
            return None
        return query.get("echostr", "")

    def open(self, query: dict[str, str], body: bytes) -> str | None:
        """The message's XML after checking its signature (and decrypting it in safe mode), else None."""
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        if not self.fresh(timestamp):
            return None
        if self.crypto is None:
            if not signature_ok(signature(self.settings.token, timestamp, nonce), query.get("signature")):
                return None
            return body.decode("utf-8")
        if query.get("encrypt_type", "").lower() != "aes":
            return None  # safe mode configured: plain messages are not accepted
        import xmltodict

        try:
            envelope = xmltodict.parse(body.decode("utf-8"))["xml"]
            ciphertext = str(envelope["Encrypt"])
        except Exception:  # noqa: BLE001 - malformed XML of any kind
            return None
        expected = signature(self.settings.token, timestamp, nonce, ciphertext)
        if not signature_ok(expected, query.get("msg_signature")):
            return None
        try:
            return str(self.crypto.decrypt_message({"Encrypt": ciphertext}, expected, timestamp, nonce))
        except (InvalidAppIdException, ValueError, UnicodeDecodeError):
            return None

    def seal(self, message: Any, text: str, query: dict[str, str]) -> tuple[str, str]:
        """The passive reply to ``message``: (body, content type)."""
        xml = TextReply(content=text, message=message, time=int(time.time())).render()
        if self.crypto is None:
            return xml, "application/xml"
        nonce = query.get("nonce") or secrets.token_hex(8)
        return self.crypto.encrypt_message(xml, nonce, str(int(time.time()))), "application/xml"


@dataclass(frozen=True)
class Incoming:
    """What a WeChat message means to the channel."""

    openid: str
    dedup_key: str
    text: str | None = None  # for the dialogue
    direct: str | None = None  # answered without the dialogue
    kind: str = ""


def interpret(message: Any) -> Incoming | None:
    """A parsed wechatpy message as text for the dialogue or a direct answer; None: nothing to do."""
    openid = str(getattr(message, "source", "") or "")
    msg_id = getattr(message, "id", None)
    # WeChat says to recognise retries by MsgId, and events by FromUserName + CreateTime (here with the
    # event and its key too, so two different menu clicks within one second both count).
    created = getattr(message, "create_time", "")
    event = f"{getattr(message, 'event', '')}:{getattr(message, 'key', '')}"
    dedup = f"id:{msg_id}" if msg_id else f"ev:{openid}:{created}:{event}"
    dedup = "wx:" + hashlib.sha256(dedup.encode("utf-8")).hexdigest()
    kind = str(getattr(message, "type", ""))
    if kind == "text":
        text = str(message.content or "").strip()
        return Incoming(openid, dedup, text=text or None, direct=None if text else TEXT_ONLY, kind=kind)
    if kind == "voice":
        recognised = str(getattr(message, "recognition", "") or "").strip().rstrip("。")
        return Incoming(
            openid, dedup, text=recognised or None, direct=None if recognised else PLEASE_TYPE, kind=kind
        )
    if kind == "event":
        event = str(getattr(message, "event", "")).lower()
        if event in ("subscribe", "subscribe_scan"):
            return Incoming(openid, dedup, text=WELCOME_MESSAGE, kind=event)
        if event == "click":
            mapped = MENU_MESSAGES.get(str(getattr(message, "key", "") or ""))
            return Incoming(openid, dedup, text=mapped, kind=event) if mapped else None
        return None  # unsubscribe, view, location reports …: nothing to answer
    return Incoming(openid, dedup, direct=TEXT_ONLY, kind=kind)


def split_parts(text: str, limit: int = PART_BYTES) -> list[str]:
    """Messages of at most ``limit`` UTF-8 bytes, cut between lines (inside a line only if it must)."""
    parts: list[str] = []
    current = ""
    for line in text.strip().splitlines():
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode("utf-8")) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(line.encode("utf-8")) > limit:
            cut = len(line.encode("utf-8")[:limit].decode("utf-8", "ignore"))
            parts.append(line[:cut])
            line = line[cut:]
        current = line
    if current.strip():
        parts.append(current)
    return parts


# ---------------------------------------------------------------- the Rasa channel


class WeChatInput(InputChannel):
    """The official account's server URL; see the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(WeChatSettings.load())

    def __init__(
        self,
        settings: WeChatSettings | None = None,
        limiter: RateLimiter | None = None,
        sender_key: bytes | None = None,
    ) -> None:
        self.settings = settings or WeChatSettings.load()
        problems = self.settings.problems()
        if problems:
            raise WeChatConfigError("wechat channel is incompletely configured: " + "; ".join(problems))
        self.limiter = limiter or RateLimiter()
        self.sender_key = sender_key
        self.seen, self.options = sms.memories(os.environ.get("REDIS_URL"), namespace="wechat")
        self.protocol: Protocol | None = None
        self.outbox: Outbox | None = None
        if self.settings.configured:
            self.protocol = Protocol(self.settings)
            api = WeChatApi(
                self.settings.app_id,
                self.settings.app_secret,
                self.settings.api_base,
                redis_url=os.environ.get("REDIS_URL") or None,
            )
            self.outbox = Outbox(api, self.settings.send_attempts, self.settings.send_backoff)
            mode = "safe (AES)" if self.settings.encrypted else "plain"
            log.info("wechat channel: configured, %s mode, API %s", mode, self.settings.api_base)
        else:
            log.warning(
                "wechat channel: WECHAT_TOKEN, WECHAT_APP_ID and WECHAT_APP_SECRET are not set, "
                "every request will be refused (503)"
            )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        wechat = Blueprint("wechat_webhook", __name__)
        wechat.after_server_stop(rasa_speedups.close_kept_sessions)

        @wechat.after_server_stop
        async def close(*_: Any) -> None:
            if self.outbox is not None:
                await self.outbox.drain()
                await self.outbox.api.close()

        @wechat.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": self.settings.configured})

        @wechat.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            status, body, content_type = self.verify(_query(request))
            return response.text(body, status=status, content_type=content_type)

        @wechat.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            status, body, content_type = await self.handle(
                _query(request), request.body or b"", on_new_message
            )
            return response.text(body, status=status, content_type=content_type)

        return wechat

    def verify(self, query: dict[str, str]) -> tuple[int, str, str]:
        if self.protocol is None:
            log.warning("wechat channel: URL check refused, the channel is not configured")
            return 503, "wechat channel not configured", "text/plain"
        echo = self.protocol.verify_url(query)
        if echo is None:
            log.warning("wechat channel: URL check with a wrong signature refused")
            return 401, "invalid signature", "text/plain"
        return 200, echo, "text/plain"

    async def handle(
        self,
        query: dict[str, str],
        body: bytes,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> tuple[int, str, str]:
        """One POST from WeChat: (status, body, content type). Independent of Sanic for the tests."""
        if self.protocol is None or self.outbox is None:
            log.warning("wechat channel: message refused, the channel is not configured (WECHAT_* unset)")
            return 503, "wechat channel not configured", "text/plain"
        if len(body) > MAX_BODY:
            return 413, "body too large", "text/plain"
        xml = self.protocol.open(query, body)
        if xml is None:
            log.warning("wechat channel: refused a message with a wrong or stale signature")
            return 401, "invalid signature", "text/plain"
        try:
            message = parse_message(xml)
        except Exception:  # noqa: BLE001 - malformed XML of any kind
            return 400, "bad xml", "text/plain"
        incoming = interpret(message) if message is not None else None
        if incoming is None or not incoming.openid:
            return 200, "success", "text/plain"
        if not self.seen.first_time(incoming.dedup_key):
            log.info("wechat channel: repeated message ignored")
            return 200, "success", "text/plain"
        conversation = senders.wechat_sender_id(incoming.openid, self.sender_key)
        if incoming.direct is not None:
            return self._passive(message, incoming.direct, query)
        refused = await self.limiter.check_sender(self.name(), conversation)
        if refused is not None:
            return self._passive(message, RATE_LIMITED_MESSAGE, query)

        text = incoming.text or ""
        metadata: dict[str, Any] = {"wechat": {"kind": incoming.kind}}
        chosen = sms.pick_option(text, self.options.options(conversation))
        if chosen is not None:
            metadata["wechat"]["option"] = chosen.title
            text = chosen.payload
        answer = asyncio.ensure_future(self._answer(text, conversation, metadata, on_new_message))
        if not self.outbox.busy(conversation):
            try:
                parts = await asyncio.wait_for(asyncio.shield(answer), self.settings.passive_timeout)
            except asyncio.TimeoutError:
                pass
            except Exception:
                self.seen.forget(incoming.dedup_key)  # WeChat's retry may go through
                log.exception("wechat channel: a message of %s failed", conversation)
                return 500, "internal error", "text/plain"
            else:
                if len(parts) <= 1:
                    return self._passive(message, parts[0] if parts else "", query)
        # Too slow, too long or behind a pending delivery: customer-service messages, in order.
        self.outbox.enqueue(conversation, incoming.openid, answer)
        return 200, "success", "text/plain"

    async def _answer(
        self,
        text: str,
        conversation: str,
        metadata: dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> list[str]:
        collector = CollectingOutputChannel()
        await on_new_message(
            UserMessage(text, collector, conversation, input_channel=self.name(), metadata=metadata)
        )
        reply, options = sms.render_reply(collector.messages)
        self.options.remember(conversation, options)
        return split_parts(reply)

    def _passive(self, message: Any, text: str, query: dict[str, str]) -> tuple[int, str, str]:
        if not text or self.protocol is None:
            return 200, "success", "text/plain"
        body, content_type = self.protocol.seal(message, text, query)
        return 200, body, content_type


def _query(request: Request) -> dict[str, str]:
    return {key: str(values[0]) for key, values in request.args.items() if values}


# ---------------------------------------------------------------- command line


async def publish_menu(path: Path = MENU_FILE, settings: WeChatSettings | None = None) -> dict[str, Any]:
    settings = settings or WeChatSettings.load()
    if not settings.configured:
        raise WeChatConfigError("set WECHAT_APP_ID and WECHAT_APP_SECRET (and WECHAT_TOKEN) first")
    menu = json.loads(path.read_text(encoding="utf-8"))
    unknown = [
        b.get("key") for b in _buttons(menu) if b.get("type") == "click" and b.get("key") not in MENU_MESSAGES
    ]
    if unknown:
        raise WeChatConfigError(f"menu keys the channel does not know: {unknown}")
    api = WeChatApi(settings.app_id, settings.app_secret, settings.api_base)
    try:
        return await api.create_menu(menu)
    finally:
        await api.close()


def _buttons(menu: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for button in menu.get("button", []):
        found.append(button)
        found.extend(button.get("sub_button", []))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m connectors.channels.wechat")
    commands = parser.add_subparsers(dest="command", required=True)
    publish = commands.add_parser("publish-menu", help="publish the official account's menu")
    publish.add_argument("file", nargs="?", type=Path, default=MENU_FILE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        result = asyncio.run(publish_menu(args.file))
    except Exception as exc:  # noqa: BLE001 - a command line says what went wrong
        print(f"publish-menu failed: {exc}", file=sys.stderr)
        return 1
    print(f"menu published: {json.dumps(result, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
