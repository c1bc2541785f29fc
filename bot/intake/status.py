"""查询进度: find the case code in what the citizen typed, check the phone's last four digits."""

from __future__ import annotations

import re

from bot.textnorm import to_halfwidth
from bot.tickets.codes import normalise_case_code

_CODE = re.compile(r"\d{6}\s*[-—–_ ]?\s*\d{8}\s*[-—–_ ]?\s*\d{1,4}")
_LAST4 = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def find_case_code(text: str) -> str | None:
    for match in _CODE.finditer(to_halfwidth(text or "")):
        code = normalise_case_code(match.group())
        if code:
            return code
    return None


def find_last4(text: str) -> str | None:
    cleaned = _CODE.sub(" ", to_halfwidth(text or ""))
    match = _LAST4.search(cleaned)
    return match.group(1) if match else None
