"""WeChat's side of the official-account channel without Rasa: the settings (environment only) and
the protocol of one account: the server-URL check, signatures (SHA-1 over the sorted token, timestamp,
nonce[, ciphertext], compared in constant time), safe mode's AES (wechatpy's ``WeChatCrypto``) and the
sealed passive reply. :mod:`connectors.channels.wechat` re-exports these names."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any

from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException
from wechatpy.replies import TextReply

from bot import signing
from bot.service.wechat_api import DEFAULT_API_BASE


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
        return self.settings.max_age <= 0 or signing.fresh(timestamp, self.settings.max_age, now)

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
