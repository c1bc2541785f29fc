"""A simulated WeChat for tools.conversations: citizens talk to the official-account channel
(``connectors/channels/wechat.py``) the way WeChat's servers do.

- :class:`WeChatClient` signs and posts a text message to ``/webhooks/wechat/webhook`` (plain mode, or
  safe mode — AES, ``msg_signature`` — when an EncodingAESKey is given; wechatpy's crypto), reads the
  passive reply (decrypting it in safe mode) and then the customer-service messages the channel sent
  for that citizen: a turn's replies are the passive reply plus what arrives within a short wait (a
  longer wait when the passive reply was empty, i.e. the answer was too slow for it).
- :class:`FakeWeChatApi` is WeChat's server API on loopback: ``/cgi-bin/token`` and
  ``/cgi-bin/message/custom/send``, keeping each citizen's messages in order.
- :func:`wechat_environment` sets the ``WECHAT_*`` settings (and ``SENDER_ID_KEY``) for a stack about
  to start, pointing ``WECHAT_API_BASE`` at the fake.

Conversation ids: the channel files tickets under ``wx-`` + a keyed HMAC of the openid
(:func:`connectors.channels.senders.wechat_sender_id`); :meth:`WeChatClient.sender_id` computes it
with the same ``SENDER_ID_KEY``.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import secrets
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import xmltodict
from wechatpy.crypto import WeChatCrypto

from connectors.channels import senders
from connectors.channels.wechat import signature
from tools.persona import Reply
from tools.stack import patched_environ

WEBHOOK = "/webhooks/wechat/webhook"
PASSIVE_EXTRA_WAIT = 0.3  # after a passive reply: customer-service messages still on their way
SLOW_ANSWER_WAIT = 60.0  # no passive reply: the answer follows as customer-service messages
QUIET = 1.0  # the customer-service messages of one answer follow each other within this


@dataclass(frozen=True)
class WeChatAccount:
    """The official account's settings, as the channel reads them from the environment."""

    token: str
    app_id: str
    app_secret: str
    aes_key: str = ""  # 43 characters: safe mode
    sender_key: str = ""  # SENDER_ID_KEY of the stack

    @classmethod
    def generated(cls, encrypted: bool = True) -> WeChatAccount:
        aes = base64.b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=") if encrypted else ""
        return cls(
            token=secrets.token_hex(8),
            app_id="wx" + secrets.token_hex(8),
            app_secret=secrets.token_hex(16),
            aes_key=aes,
            sender_key=secrets.token_hex(16),
        )

    @classmethod
    def from_env(cls) -> WeChatAccount:
        env = os.environ
        return cls(
            env.get("WECHAT_TOKEN", "").strip(),
            env.get("WECHAT_APP_ID", "").strip(),
            env.get("WECHAT_APP_SECRET", "").strip(),
            env.get("WECHAT_AES_KEY", "").strip(),
            env.get(senders.KEY_ENV, "").strip(),
        )

    def environment(self, api_base: str) -> dict[str, str]:
        return {
            "WECHAT_TOKEN": self.token,
            "WECHAT_APP_ID": self.app_id,
            "WECHAT_APP_SECRET": self.app_secret,
            "WECHAT_AES_KEY": self.aes_key,
            "WECHAT_API_BASE": api_base,
            senders.KEY_ENV: self.sender_key,
        }


# --- WeChat's server API --------------------------------------------------------------------------
class FakeWeChatApi:
    """Token endpoint and customer-service messages on 127.0.0.1, in a thread."""

    def __init__(self, account: WeChatAccount, port: int = 0) -> None:
        self.account = account
        self.tokens: list[str] = []
        self._inbox: dict[str, list[str]] = {}
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeWeChatApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeWeChatApi:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def token(self, query: dict[str, str]) -> dict[str, Any]:
        wanted = (self.account.app_id, self.account.app_secret, "client_credential")
        if (query.get("appid"), query.get("secret"), query.get("grant_type")) != wanted:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        with self._cond:
            self.tokens.append(secrets.token_hex(12))
            return {"access_token": self.tokens[-1], "expires_in": 7200}

    def custom_send(self, query: dict[str, str], message: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            if query.get("access_token") not in self.tokens:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            if message.get("msgtype") == "text":
                content = str((message.get("text") or {}).get("content") or "")
                self._inbox.setdefault(str(message.get("touser")), []).append(content)
                self._cond.notify_all()
        return {"errcode": 0, "errmsg": "ok"}

    def collect(self, openid: str, first_wait: float, quiet: float = QUIET) -> list[str]:
        """The citizen's customer-service messages: waits up to ``first_wait`` for the first, then
        as long as another follows within ``quiet``."""
        taken: list[str] = []
        deadline = time.monotonic() + first_wait
        with self._cond:
            while True:
                waiting = self._inbox.pop(openid, [])
                if waiting:
                    taken += waiting
                    deadline = time.monotonic() + quiet
                left = deadline - time.monotonic()
                if left <= 0:
                    return taken
                self._cond.wait(left)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _query(self) -> tuple[str, dict[str, str]]:
                url = urllib.parse.urlsplit(self.path)
                return url.path, dict(urllib.parse.parse_qsl(url.query))

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path, query = self._query()
                if path == "/cgi-bin/token":
                    self._answer(api.token(query))
                else:
                    self._answer({"errcode": 404, "errmsg": "not found"})

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                path, query = self._query()
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if path == "/cgi-bin/message/custom/send":
                    self._answer(api.custom_send(query, json.loads(raw or b"{}")))
                else:
                    self._answer({"errcode": 404, "errmsg": "not found"})

            def log_message(self, *_args: Any) -> None:
                pass

        return Handler


# --- the official account's server URL, as WeChat calls it ----------------------------------------
def text_message(openid: str, text: str, msg_id: int, account_name: str = "gh_zz_intake") -> str:
    """WeChat's XML of a text message from ``openid``."""

    def cdata(value: str) -> str:
        return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"

    return (
        f"<xml><ToUserName>{cdata(account_name)}</ToUserName><FromUserName>{cdata(openid)}</FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(text)}</Content><MsgId>{msg_id}</MsgId></xml>"
    )


class WeChatClient:
    """Posts citizens' text messages to the channel and reads its answers."""

    _ids = itertools.count(int(time.time() * 1000) % 10**12)

    def __init__(
        self,
        rasa_url: str,
        account: WeChatAccount,
        api: FakeWeChatApi | None = None,
        timeout: float = 90.0,
    ) -> None:
        url = rasa_url.rstrip("/")
        self.url = url if url.endswith(WEBHOOK) else url + WEBHOOK
        self.account, self.api, self.timeout = account, api, timeout
        self.crypto = (
            WeChatCrypto(account.token, account.aes_key, account.app_id) if account.aes_key else None
        )
        self.counts = {"turns": 0, "passive": 0, "customer_service": 0, "unanswered": 0}
        self._lock = threading.Lock()

    def sender_id(self, openid: str) -> str:
        """The channel's conversation id (and the tickets' sender_id) of a citizen."""
        return senders.wechat_sender_id(openid, self.account.sender_key.encode("utf-8") or None)

    def fetcher(self, fetch: Callable[[str], Any]) -> Callable[[str], Any]:
        """``fetch`` (a ticket by sender id) of a citizen known by openid."""
        return lambda openid: fetch(self.sender_id(openid))

    def delivery(self) -> str:
        """How the turns were answered: in the passive reply, by customer-service messages, not at all."""
        c = self.counts
        return (
            f"WeChat turns: {c['turns']}, answered in the passive reply: {c['passive']}, "
            f"by customer-service messages: {c['customer_service']}, unanswered: {c['unanswered']}"
        )

    @staticmethod
    def new_openid() -> str:
        return "o" + secrets.token_hex(14)  # 28 characters, as WeChat's

    def sign(self, xml: str, timestamp: int | None = None, nonce: str = "") -> tuple[dict[str, str], bytes]:
        """(query, body) of WeChat's POST carrying ``xml``: signed, and encrypted in safe mode."""
        ts, nonce = str(timestamp or int(time.time())), nonce or str(secrets.randbelow(10**9))
        query = {"timestamp": ts, "nonce": nonce, "signature": signature(self.account.token, ts, nonce)}
        if self.crypto is None:
            return query, xml.encode("utf-8")
        envelope = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, ts))["xml"]
        query.update(encrypt_type="aes", msg_signature=str(envelope["MsgSignature"]))
        body = f"<xml><ToUserName><![CDATA[gh_zz_intake]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
        return query, body.encode("utf-8")

    def open_reply(self, body: str) -> str:
        """The text of a passive reply ("" for ``success`` or an empty body)."""
        body = body.strip()
        if not body or body == "success":
            return ""
        if self.crypto is not None:
            envelope = xmltodict.parse(body)["xml"]
            body = str(
                self.crypto.decrypt_message(
                    envelope,
                    str(envelope["MsgSignature"]),
                    str(envelope["TimeStamp"]),
                    str(envelope["Nonce"]),
                )
            )
        message = xmltodict.parse(body)["xml"]
        return str(message.get("Content") or "") if message.get("MsgType") == "text" else ""

    def post(self, openid: str, text: str) -> str:
        """Send one text message; the passive reply's text."""
        query, body = self.sign(text_message(openid, text, next(self._ids)))
        request = urllib.request.Request(
            f"{self.url}?{urllib.parse.urlencode(query)}", data=body, headers={"Content-Type": "text/xml"}
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return self.open_reply(response.read().decode("utf-8"))

    def send(self, openid: str, text: str) -> list[Reply]:
        """One turn: the passive reply plus the customer-service messages that follow it."""
        passive = self.post(openid, text)
        texts = [passive] if passive else []
        later = (
            self.api.collect(openid, PASSIVE_EXTRA_WAIT if passive else SLOW_ANSWER_WAIT) if self.api else []
        )
        texts += later
        with self._lock:
            self.counts["turns"] += 1
            self.counts["passive"] += bool(passive)
            self.counts["customer_service"] += bool(later)
            self.counts["unanswered"] += not texts
        return [Reply.from_text(t) for t in texts if t.strip()]


@contextlib.contextmanager
def wechat_environment(encrypted: bool = True) -> Iterator[tuple[WeChatAccount, FakeWeChatApi]]:
    """A generated account and a running fake API, with the stack's ``WECHAT_*`` and ``SENDER_ID_KEY``
    set in the environment (restored afterwards): enter it before the stack starts."""
    account = WeChatAccount.generated(encrypted)
    with FakeWeChatApi(account) as api, patched_environ(account.environment(api.base)):
        yield account, api


def client_for(rasa_url: str, wechat: tuple[WeChatAccount, FakeWeChatApi] | None = None) -> WeChatClient:
    """The client of a stack started in :func:`wechat_environment`, or of a running one configured by
    the environment (``WECHAT_*``, ``SENDER_ID_KEY``; customer-service messages are collected when
    ``WECHAT_FAKE_API_PORT`` names the port of the stack's ``WECHAT_API_BASE``)."""
    if wechat is not None:
        return WeChatClient(rasa_url, *wechat)
    account = WeChatAccount.from_env()
    if not (account.token and account.app_id and account.app_secret):
        raise SystemExit(
            "the WeChat channel needs WECHAT_TOKEN, WECHAT_APP_ID, WECHAT_APP_SECRET (or --start-stack)"
        )
    port = os.environ.get("WECHAT_FAKE_API_PORT")
    return WeChatClient(rasa_url, account, FakeWeChatApi(account, int(port)).start() if port else None)
