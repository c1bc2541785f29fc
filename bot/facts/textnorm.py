"""Length-preserving normalisation so every match offset is also an offset in the original text.

Citizens type traditional characters, full-width digits, emoji and stray control characters; the
extractors only ever see a simplified, half-width copy of exactly the same length.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from bot.textnorm import money_emoji_as_unit

_FULLWIDTH_OFFSET = 0xFEE0
# Characters mapped 1:1 before OpenCC (dashes, colons and similar punctuation variants).
_EXTRA = str.maketrans(
    {
        "\u3000": " ",
        "－": "-",
        "—": "-",
        "–": "-",
        "―": "-",
        "‐": "-",
        "～": "~",
        "〇": "零",
        "○": "零",
        "Ｏ": "零",
        "╱": "/",
        "／": "/",
        "·": " ",
        "．": ".",
    }
)


@functools.lru_cache(maxsize=1)
def _converter() -> Any:  # opencc has no type hints
    import opencc

    return opencc.OpenCC("t2s")


_FOLD_SYMBOLS = set("＃％＆＊＋－．／＝＠＿～")


def _half_width(ch: str) -> str:
    """Full-width digits, letters and number-ish symbols -> ASCII; CJK punctuation (，。：) is kept."""
    code = ord(ch)
    if (
        0xFF10 <= code <= 0xFF19
        or 0xFF21 <= code <= 0xFF3A
        or 0xFF41 <= code <= 0xFF5A
        or ch in _FOLD_SYMBOLS
    ):
        return chr(code - _FULLWIDTH_OFFSET)
    return ch


def _clean_char(ch: str) -> str:
    ch = _half_width(ch)
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
        return "\n" if ch in "\r\n\u2028\u2029" else " "
    return ch


def _t2s(text: str) -> str:
    """OpenCC t2s, falling back to per-character conversion whenever the lengths would change."""
    cc = _converter()
    try:
        converted = cc.convert(text)
    except Exception:  # pragma: no cover - defensive: never let conversion crash extraction
        converted = ""
    if len(converted) == len(text):
        return str(converted)
    out = []
    for ch in text:
        try:
            c = cc.convert(ch)
        except Exception:  # pragma: no cover
            c = ch
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


@functools.lru_cache(maxsize=256)
def normalise(text: str) -> str:
    """Simplified, half-width, control-free copy of ``text`` with identical length."""
    cleaned = money_emoji_as_unit("".join(_clean_char(ch) for ch in text).translate(_EXTRA))
    result = _t2s(cleaned)
    assert len(result) == len(text)
    return result
