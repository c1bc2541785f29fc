"""WeChat official-account channel (微信公众号): a Rasa input channel at ``/webhooks/wechat/webhook``.

- ``GET`` is WeChat's server-URL check: ``signature`` = SHA-1 of the sorted token, ``timestamp`` and
  ``nonce``; the answer is ``echostr``.
- ``POST`` carries a message as XML, in plain mode (``signature`` as above) or, with
  ``WECHAT_AES_KEY`` set, in safe mode (安全模式: ``encrypt_type=aes``, ``msg_signature`` over token,
  timestamp, nonce and the ciphertext; AES-256-CBC, PKCS#7 to 32-byte blocks, random 16 bytes +
  length + message + AppID). The signatures are computed and compared (in constant time) in
  :mod:`connectors.channels.wechat_protocol`; AES and the XML are wechatpy's.
- Text messages go to the dialogue; a voice message with WeChat's recognition text as that text,
  without it a polite "请打字"; menu clicks (``wechat_menu.json``) become messages the bot
  understands (:data:`MENU_MESSAGES`); following the account (subscribe) is a greeting; an image
  (its ``MediaId``) is queued in the outbox for the intake service, which fetches it, keeps it as
  evidence of the conversation (EXIF stripped, encrypted) and acknowledges it; other kinds get a
  short note that only text is understood.
- The conversation id is ``wx-`` + a keyed hash of the openid (:func:`senders.wechat_sender_id`),
  never the openid; tickets record ``channel: "wechat"``.
- WeChat waits about 5 seconds for the answer. When the dialogue answers within
  ``WECHAT_PASSIVE_TIMEOUT`` (4.5 s) the reply goes back in the response (passive reply); otherwise the
  response is ``success`` (nothing shown) and the answer's parts are written to the ticket database's
  outbox (:mod:`channel_outbox`), from which the intake service sends them as customer-service messages
  (``bot.service.channels``: in order per citizen, retried with back-off, across restarts). While such
  an answer is pending, later answers of the same citizen queue behind it.
- Buttons become numbered options and a digit answers them, as on the hotline (:mod:`sms`); a repeated
  ``MsgId`` (WeChat's retry) gets the same passive reply again, once the first was answered
  (:mod:`replies`); both memories in Redis when ``REDIS_URL`` is set.

Settings from the environment only: ``WECHAT_TOKEN``, ``WECHAT_APP_ID``, ``WECHAT_APP_SECRET``,
``WECHAT_AES_KEY`` (optional), ``WECHAT_API_BASE`` (default https://api.weixin.qq.com),
``WECHAT_PASSIVE_TIMEOUT``, ``WECHAT_SEND_ATTEMPTS`` and ``WECHAT_SEND_BACKOFF`` (read by the intake service),
``WECHAT_MAX_AGE`` (300 s a signed request stays valid; 0: unchecked). With none of the first three
set the channel is off: it answers 503 and says why in the log, so Rasa starts without WeChat. With
some but not all, or an AES key that is not 43 characters, Rasa refuses to start and names the problem.

``python -m connectors.channels.wechat publish-menu [FILE]`` publishes the menu.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message

from bot import privacy
from bot.service.wechat_api import WeChatApi
from bot.storage import outbox as outbox_rows
from connectors.channels import channel_outbox, replies, senders, turns
from connectors.channels.limits import MESSAGE as RATE_LIMITED_MESSAGE
from connectors.channels.limits import RateLimiter
from connectors.channels.wechat_protocol import (  # noqa: F401 - re-exported for callers and tests
    Protocol,
    WeChatConfigError,
    WeChatSettings,
    signature,
)

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
IMAGE_FAILED = "抱歉，这张图片暂时没能收下，请稍后再发一次。"
PART_BYTES = 1800  # a WeChat text message holds 2048 bytes of UTF-8


@dataclass(frozen=True)
class Incoming:
    """What a WeChat message means to the channel."""

    openid: str
    dedup_key: str
    text: str | None = None  # for the dialogue
    direct: str | None = None  # answered without the dialogue
    kind: str = ""
    media_id: str | None = None  # an image the citizen sent, kept as evidence


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
    if kind == "image" and getattr(message, "media_id", None):
        return Incoming(openid, dedup, kind=kind, media_id=str(message.media_id))
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
        outbox: channel_outbox.ChannelOutbox | None = None,
    ) -> None:
        self.settings = settings or WeChatSettings.load()
        problems = self.settings.problems()
        if problems:
            raise WeChatConfigError("wechat channel is incompletely configured: " + "; ".join(problems))
        self.limiter = limiter or RateLimiter()
        self.sender_key = sender_key or senders.sender_key()  # once, not per message
        memories = turns.ChannelMemories.load(self.name())
        self.options, self.answered = memories.options, memories.answered
        self.outbox = outbox or channel_outbox.shared()
        self.pending = channel_outbox.PendingAnswers(self.outbox)
        self.protocol: Protocol | None = None
        if self.settings.configured:
            self.protocol = Protocol(self.settings)
            mode = "safe (AES)" if self.settings.encrypted else "plain"
            log.info("wechat channel: configured, %s mode, API %s", mode, self.settings.api_base)
        else:
            log.warning(
                "wechat channel: WECHAT_TOKEN, WECHAT_APP_ID and WECHAT_APP_SECRET are not set, "
                "every request will be refused (503)"
            )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        wechat = Blueprint("wechat_webhook", __name__)

        @wechat.after_server_stop
        async def close(*_: Any) -> None:
            await self.pending.drain()  # answers still being worked on go to the outbox first

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
        if self.protocol is None:
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

        async def respond() -> tuple[tuple[int, str, str], list[Any] | None]:
            result = await self._respond(message, incoming, query, on_new_message)
            return result, (list(result) if result[0] < 500 else None)  # WeChat's retry may go through

        state, result = await turns.answer_once(self.answered, incoming.dedup_key, respond)
        if state == replies.DONE:
            log.info("wechat channel: repeated message, the same reply")
            status, text, content_type = result
            return int(status), str(text), str(content_type)
        if state == replies.BUSY:  # its answer follows as customer-service messages
            return 200, "success", "text/plain"
        return result

    async def _respond(
        self,
        message: Any,
        incoming: Incoming,
        query: dict[str, str],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> tuple[int, str, str]:
        """The reply to a message seen for the first time."""
        conversation = senders.wechat_sender_id(incoming.openid, self.sender_key)
        if incoming.direct is not None:
            return self._passive(message, incoming.direct, query)
        refused = await self.limiter.check_sender(self.name(), conversation)
        if refused is not None:
            return self._passive(message, RATE_LIMITED_MESSAGE, query)
        if incoming.media_id:
            return await self._image(message, incoming, conversation, query)

        # the openid, encrypted with the data key (never in clear in the tracker or its API), so that a
        # person answering a live hand-off can reach the citizen (actions/handoff.py, bot.service.handoff)
        metadata: dict[str, Any] = {
            "wechat": {"kind": incoming.kind, "openid_enc": privacy.encrypt(incoming.openid)}
        }
        answer = asyncio.ensure_future(
            self._answer(incoming.text or "", conversation, metadata, on_new_message)
        )
        if not await self._behind(conversation, incoming.openid):
            try:
                parts = await asyncio.wait_for(asyncio.shield(answer), self.settings.passive_timeout)
            except asyncio.TimeoutError:
                pass
            except Exception:
                log.exception("wechat channel: a message of %s failed", conversation)
                return 500, "internal error", "text/plain"
            else:
                if len(parts) <= 1:
                    return self._passive(message, parts[0] if parts else "", query)
        # Too slow, too long or behind a pending delivery: customer-service messages through the
        # outbox, in order (the intake service sends them).
        self.pending.enqueue(conversation, incoming.openid, answer)
        return 200, "success", "text/plain"

    async def _image(
        self, message: Any, incoming: Incoming, conversation: str, query: dict[str, str]
    ) -> tuple[int, str, str]:
        """A photo: the intake service fetches and keeps it (outbox row), then acknowledges it."""
        body = {"openid": incoming.openid, "media_id": str(incoming.media_id), "sender_id": conversation}
        try:
            await self.outbox.write(
                outbox_rows.WECHAT, incoming.openid, channel_outbox.WECHAT_MEDIA_EVENT, [body]
            )
        except Exception:
            log.exception("wechat channel: an image of %s could not be queued", conversation)
            return self._passive(message, IMAGE_FAILED, query)
        return 200, "success", "text/plain"

    async def _behind(self, conversation: str, openid: str) -> bool:
        """Whether an earlier answer to this citizen is still on its way (a passive reply would
        overtake it): still being worked on here, or waiting in the outbox."""
        if self.pending.busy(conversation):
            return True
        try:
            return await self.outbox.waiting(outbox_rows.WECHAT, openid)
        except Exception:  # the database is down: answer passively rather than not at all
            log.exception("wechat channel: could not read the outbox")
            return False

    async def _answer(
        self,
        text: str,
        conversation: str,
        metadata: dict[str, Any],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> list[str]:
        reply = await turns.run_turn(self.name(), text, conversation, metadata, self.options, on_new_message)
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
