"""Personal data protection: encryption at rest, masking, log scrubbing and retention.

- ID numbers, phones, transcripts and webhook payloads are stored Fernet-encrypted. The key comes from
  ``INTAKE_DATA_KEY``; when unset, a key file ``var/intake_data.key`` (mode 0600) is generated and a
  warning logged, so a development setup works but operators know to provide a managed key.
- The public status check must not need the clear phone: a keyed hash of its last 4 digits is stored.
- ``PiiLogFilter`` masks phone and ID numbers in every log record, so nothing logs them in clear:
  every number the fact extractor reads as a phone or an ID (Chinese digits, grouped digits) is masked.
- Retention: personal data of tickets closed longer than ``retention_days`` ago is erased by
  ``TicketStore.purge_expired`` (``intake purge-expired``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from bot import paths
from bot.facts.contact import PHONE_DIGIT_CHARS, extract_ids, extract_phones, without_country_code
from bot.facts.model import Fact
from bot.facts.textnorm import normalise

log = logging.getLogger(__name__)

KEY_ENV = "INTAKE_DATA_KEY"
KEY_FILE_ENV = "INTAKE_DATA_KEY_FILE"
RETENTION_ENV = "INTAKE_RETENTION_DAYS"
DEFAULT_KEY_FILE = paths.ROOT / "var" / "intake_data.key"

# Facts that identify the applicant; erased by the retention purge.
PERSONAL_FACTS = ("applicant_name", "phone", "id_number", "address", "contact", "wechat")

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_ID = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dA-Za-z])")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?(\d{3,4})(\d{4})(?!\d)")


def _key_file() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV) or DEFAULT_KEY_FILE)


@lru_cache(maxsize=4)
def _fernet_for(key: bytes) -> Fernet:
    return Fernet(key)


def data_key() -> bytes:
    """The Fernet key: ``INTAKE_DATA_KEY``, else a generated key file (0600) with a warning."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.strip().encode()
    return key_from_file(
        _key_file(),
        Fernet.generate_key,
        "INTAKE_DATA_KEY is not set: generated a data key in %s; back it up, or set "
        "INTAKE_DATA_KEY in production (without it the stored phones cannot be read)",
    )


def key_from_file(path: Path, generate: Callable[[], bytes], warning: str) -> bytes:
    """The secret in ``path``; created (mode 0600, ``generate()``) on first use, logging ``warning``
    (``%s`` = the path). Several processes starting at once all end up with the same key."""
    try:
        return _key_in_file(str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # written aside and linked into place: another process starting at the same moment sees either
    # no file or the whole key, and only one key wins
    draft = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(generate())
    try:
        os.link(draft, path)
        log.warning(warning, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _key_in_file(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _key_in_file(path: str, _mtime_ns: int) -> bytes:
    """The key file's content, read again only when the file changes (each filing encrypts 5 values)."""
    return Path(path).read_bytes().strip()


def fernet() -> Fernet:
    return _fernet_for(data_key())


def encrypt(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    return fernet().encrypt(str(value).encode("utf-8")).decode("ascii")


def decrypt(token: str | None) -> str | None:
    """Decrypt a stored value; None if missing or unreadable (e.g. the key was rotated away)."""
    if not token:
        return None
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        log.error("cannot decrypt a stored value: wrong INTAKE_DATA_KEY?")
        return None


def digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value or ""))


def normalise_phone(value: Any) -> str | None:
    """Digits only, without a +86 / 0086 country prefix; None when empty."""
    return without_country_code(digits(value)) or None


def last4_hash(phone_or_last4: Any) -> str | None:
    """Keyed hash of the phone's last 4 digits, stored for the public status check."""
    d = digits(phone_or_last4)
    if len(d) < 4:
        return None
    return hmac.new(data_key(), b"last4:" + d[-4:].encode(), hashlib.sha256).hexdigest()


def match_hash(kind: str, *parts: Any) -> str | None:
    """Keyed hash that finds a citizen's earlier tickets without storing what it matches on in clear:
    ``match_hash("phone", phone)`` (the normalised number), ``match_hash("party", name, counterparty)``
    (spaces, punctuation and letter case ignored). None when a part is empty."""
    cleaned = [re.sub(r"[\W_]+", "", normalise(str(p or ""))).lower() for p in parts]
    if kind == "phone":
        cleaned = [normalise_phone(p) or "" for p in parts]
    if not cleaned or not all(cleaned):
        return None
    message = f"{kind}:" + "\x1f".join(cleaned)
    return hmac.new(data_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def mask_phone(phone: Any) -> str:
    """``'13912345678'`` → ``'139****5678'``; short or odd values keep only the last 4 digits."""
    if phone in (None, ""):
        return ""
    d = normalise_phone(phone) or ""
    if len(d) == 11:
        return f"{d[:3]}****{d[-4:]}"
    if len(d) > 4:
        return "*" * (len(d) - 4) + d[-4:]
    return "****"


def mask_id_number(value: Any) -> str:
    """``'140105199001011234'`` → ``'140105********1234'``."""
    if value in (None, ""):
        return ""
    v = str(value).strip()
    if len(v) < 8:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def mask_text(text: str) -> str:
    """Mask mobile numbers, landlines and ID numbers inside free text: plain runs of digits here, then
    every span the fact extractor reads as a phone or an ID (一三八…, 138，2271，5566, 110101 19900307 663X)."""
    text = _ID.sub(lambda m: m.group(1) + "********" + m.group(3)[-4:], text)
    text = _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
    return _mask_extracted(text)


# Characters the extractor can read as a digit (after normalisation): fewer than 7 hold no phone or ID.
_DIGITISH = PHONE_DIGIT_CHARS | frozenset("○Ｏ")  # every digit a phone may be written in, and round zeros


def _mask_extracted(text: str) -> str:
    if sum(ch.isdigit() or ch in _DIGITISH for ch in text) < 7:
        return text
    s = normalise(text)
    spans: list[Fact] = []
    for fact in extract_ids(s, text) + extract_phones(s, text):  # an ID wins over a phone inside it
        if not fact.overlaps(spans):
            spans.append(fact)
    for fact in sorted(spans, key=lambda f: f.start, reverse=True):
        text = text[: fact.start] + _masked(fact) + text[fact.end :]
    return text


def _masked(fact: Fact) -> str:
    """A found phone or ID in the format of the masks above."""
    value = str(fact.value)
    if fact.entity == "id_number":
        return mask_id_number(value)
    area, dash, local = value.rpartition("-")
    if dash:  # a landline, area-number
        return f"{area}-****{local[-4:]}"
    return mask_phone(value)


class PiiLogFilter(logging.Filter):
    """Masks phone and ID numbers in the message and arguments of every record it sees, and in its
    traceback and stack: the exception is formatted here, masked into ``exc_text`` (which formatters
    print as it is) and ``exc_info`` dropped, so no handler formats the clear exception again."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = str(record.msg)
        masked = mask_text(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info != (None, None, None) and not record.exc_text:
            try:
                record.exc_text = self._formatter.formatException(record.exc_info)
            except Exception:  # an exception that cannot be formatted: keep its type only
                record.exc_text = f"{getattr(record.exc_info[0], '__name__', 'exception')} (unformattable)"
        if record.exc_info:
            record.exc_info = None
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


_installed = False


def install_log_filter() -> None:
    """Attach PiiLogFilter to every root handler and to all records created from now on."""
    global _installed
    pii = PiiLogFilter()
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, PiiLogFilter) for f in handler.filters):
            handler.addFilter(pii)
    if _installed:
        return
    _installed = True
    factory = logging.getLogRecordFactory()

    def masked_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        pii.filter(record)
        return record

    logging.setLogRecordFactory(masked_factory)


def retention_days(profile_days: int | None = None) -> int:
    """Retention in days: ``INTAKE_RETENTION_DAYS``, else the profile's ``retention_days``, else 3 years."""
    env = os.environ.get(RETENTION_ENV)
    if env and env.strip().isdigit():
        return int(env)
    return profile_days or 1095


def scrub_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """A copy of facts without the applicant's identifying fields."""
    return {k: (None if k in PERSONAL_FACTS else v) for k, v in facts.items()}
