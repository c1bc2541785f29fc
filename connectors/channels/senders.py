"""Conversation ids per channel, so that nobody can open or continue another citizen's conversation.

- Web widget (REST channel): ``w-`` + 32 lower-case hex digits, drawn at random by the widget
  (``bot/service/widget/js/state.js``); the REST channel refuses every other id.
- Hotline: ``hl-`` + the first 24 hex digits of HMAC-SHA256 of the normalised phone number, keyed with
  ``SENDER_ID_KEY`` (else a key file ``$VAR_DIR/sender_id.key``, 0600, created on first use): the same
  caller always gets the same conversation, but the id cannot be derived from a known phone number.
- WeChat official account: ``wx-`` + the first 24 hex digits of the same keyed HMAC of the citizen's
  openid (never the openid itself).

Each channel produces or accepts only its own prefix, so no conversation crosses channels.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets

from bot import paths
from bot.privacy import key_from_file, normalise_phone
from bot.tickets.records import WIDGET_ID, is_widget_id  # noqa: F401 - the widget ids, checked by rest.py

KEY_ENV = "SENDER_ID_KEY"
KEY_FILE = "sender_id.key"
WIDGET_PREFIX = "w-"
HOTLINE_PREFIX = "hl-"
WECHAT_PREFIX = "wx-"
WECHAT_ID = re.compile(r"wx-[0-9a-f]{24}")


def sender_key() -> bytes:
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        return env.encode("utf-8")
    return key_from_file(
        paths.var_dir() / KEY_FILE,
        lambda: secrets.token_hex(32).encode("ascii"),
        "SENDER_ID_KEY is not set: generated the hotline's conversation-id key in %s; keep it (a new "
        "key starts new conversations) and set SENDER_ID_KEY when several hosts run Rasa",
    )


def hotline_sender_id(phone: str, key: bytes | None = None) -> str:
    """The hotline conversation id of a phone number (``+86 139…`` and ``139…`` give the same id)."""
    number = normalise_phone(phone) or ""
    digest = hmac.new(key or sender_key(), b"hotline:" + number.encode("ascii"), hashlib.sha256).hexdigest()
    return HOTLINE_PREFIX + digest[:24]


def wechat_sender_id(openid: str, key: bytes | None = None) -> str:
    """The WeChat conversation id of an openid: a keyed hash, so the openid never becomes the id."""
    digest = hmac.new(key or sender_key(), b"wechat:" + openid.strip().encode("utf-8"), hashlib.sha256)
    return WECHAT_PREFIX + digest.hexdigest()[:24]


def is_wechat_id(sender: object) -> bool:
    return isinstance(sender, str) and WECHAT_ID.fullmatch(sender) is not None


def new_widget_id() -> str:
    """An id as the widget draws it (for tests and tools that talk to the REST channel)."""
    return WIDGET_PREFIX + secrets.token_hex(16)
