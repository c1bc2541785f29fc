"""Case codes (一案一码).

Format: ``RRRRRR-YYYYMMDD-NNNN``

- ``RRRRRR``: the center's 6-digit administrative region code (``center.region_code`` of the profile),
- ``YYYYMMDD``: the filing date in the center's time zone,
- ``NNNN``: the day's sequence number at that center, starting at 1, zero-padded to 4 digits
  (it simply grows to 5+ digits after 9999 cases in one day).

Example: ``140105-20261123-0007`` is the 7th case filed on 23 Nov 2026 at 小店区 (140105).

Codes are unique even when several processes file at once: ``bot.storage.sequences`` reserves
the number inside the filing transaction.

Citizens type codes badly, so ``parse_case_code`` tolerates spaces, full-width digits, other dash
characters and missing dashes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_DASHES = "-‐‑‒–—―－ー_~～·.。/ "
_CODE = re.compile(r"^(\d{6})-(\d{8})-(\d{1,9})$")


@dataclass(frozen=True, order=True)
class CaseCode:
    region: str
    day: date
    seq: int

    def __str__(self) -> str:
        return f"{self.region}-{self.day:%Y%m%d}-{self.seq:04d}"


def _normalise(raw: str) -> str:
    text_ = unicodedata.normalize("NFKC", raw or "").strip()
    text_ = re.sub(r"^(受理)?(编号|案号|编码)?[:：\s]*", "", text_)
    for dash in _DASHES:
        text_ = text_.replace(dash, "-")
    text_ = re.sub(r"\s+", "", text_)
    return re.sub(r"-+", "-", text_).strip("-")


def parse_case_code(raw: str) -> CaseCode | None:
    """Parse a code a citizen typed; None when it is not a valid code.

    ``" １４０１０５ ２０２６１１２３ ０００７"``, ``"140105—20261123—7"`` and ``"140105202611230007"``
    all give ``140105-20261123-0007``.
    """
    text_ = _normalise(raw)
    match = _CODE.match(text_)
    if not match:
        if text_.count("-") == 2:  # three groups, but not 6-8-n: the citizen typed something else
            return None
        digits = text_.replace("-", "")
        if not digits.isdigit() or not 15 <= len(digits) <= 20:
            return None
        match = _CODE.match(f"{digits[:6]}-{digits[6:14]}-{digits[14:]}")
        if not match:
            return None
    region, day, seq = match.groups()
    try:
        parsed_day = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return None
    if int(seq) < 1:
        return None
    return CaseCode(region=region, day=parsed_day, seq=int(seq))


def normalise_case_code(raw: str) -> str | None:
    """The canonical string form of a typed code, or None."""
    code = parse_case_code(raw)
    return str(code) if code else None
