"""Normalise what citizens type before anything reads it.

Phones set to 繁體, full-width keyboards, emoji and "！！！！" are everyday input; the classifier and
the fact extractor should see one plain form of it. The original text is never replaced where it is
stored (the tracker keeps what the citizen wrote).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

MAX_CHARS = 1500

# Emoji, pictographs, dingbats, variation selectors, zero-width joiners, flags.
_EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"
    "\U00002600-\U000027bf"
    "\U0001f1e6-\U0001f1ff"
    "\U00002b00-\U00002bff"
    "\ufe00-\ufe0f"
    "\u200b-\u200f"
    "\u2060-\u206f"
    "]+"
)
# A money emoji right after a figure is its unit ("鞋899💸" is 899 yuan), before emoji are dropped.
_MONEY_EMOJI = re.compile(
    "(?<=[0-9０-９一二两三四五六七八九十百千万])[\U0001f4b0\U0001f4b4\U0001f4b5\U0001f4b8]"
)
_NOT_CONTENT = re.compile(r"[\W_]")
_REPEATED_PUNCT = re.compile(r"([!?！？。，,.~～、…;；:：\-—])\1+")
_SPACES = re.compile(r"\s+")
# "我 今 年 七 十 八 了": an older citizen types every character apart.
SPACE_BETWEEN_CJK = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
TYPED_APART_SHARE = 0.4


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (１２３ＡＢＣ) to half-width; Chinese punctuation is kept as typed."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def strip_controls(text: str) -> str:
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\u200d" else ch
        for ch in text
    )


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def money_emoji_as_unit(text: str) -> str:
    """ "鞋899💸" → "鞋899元" (same length): the emoji after a figure is its unit."""
    return _MONEY_EMOJI.sub("元", text)


def normalize_text(text: str | None, max_chars: int = MAX_CHARS) -> str:
    """The one plain form of a citizen's message that NLU components read."""
    if not text:
        return ""
    text = text[: max_chars * 2]
    text = strip_controls(text)
    text = money_emoji_as_unit(text)
    text = _EMOJI.sub(" ", text)
    text = to_halfwidth(text)
    text = to_simplified(text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    text = join_typed_apart(_SPACES.sub(" ", text).strip())
    return text[:max_chars]


def typed_apart(text: str) -> bool:
    """Most characters typed apart ("贾 家 庄 村"), not two words with a space between them."""
    spaces = len(SPACE_BETWEEN_CJK.findall(text or ""))
    return spaces >= 1 and spaces >= TYPED_APART_SHARE * len(_CJK_CHAR.findall(text))


def join_typed_apart(text: str) -> str:
    """Text typed one character at a time, read as one: its words, questions and names are whole
    again ("你 们 能 来 吗" asks; "贾 长 顺" is a name). Digits stay as typed: the phone reader knows them."""
    return SPACE_BETWEEN_CJK.sub("", text) if typed_apart(text) else text


def content_chars(text: str) -> str:
    """What a message says without spaces and punctuation: its length tells "嗯？" from a question,
    a one-character answer from a cry for help."""
    return _NOT_CONTENT.sub("", text or "")
