"""Bring a citizen's message into the one form the risk patterns are written for.

The screener runs on every message, including the ones typed on a 繁體 phone, with a full-width
keyboard, with emoji instead of words, with pinyin-input typos or with invisible characters pasted from
a chat app. Patterns are written once, for simplified, half-width, lower-case text; this module makes
every input look like that. Unlike ``bot.textnorm`` it keeps emoji long enough to map them to words (🔪 →
刀) and never truncates to the NLU length: danger can sit in the middle of a long story.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

# Longest input the screener reads; far above any chat message, it only bounds the work per message.
MAX_CHARS = 20_000

_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
# Invisible or combining-only characters that split words without being seen: zero-width spaces and
# joiners, bidi marks, soft hyphen, BOM, variation selectors, emoji skin tones, tag characters and lone
# surrogates (which would make any later encoding step fail).
_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufe00-\ufe0f"
    "\U0001f3fb-\U0001f3ff\U000e0000-\U000e007f\ud800-\udfff]"
)
# Full-width ASCII (！，１２３ＡＢＣ) and the ideographic space, as NFKC would map them. Translating these
# first is cheap and leaves most messages already NFKC-normal, so the slower normalize() call is skipped.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SPACES = re.compile(r"[ \t\u3000]+")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# "想 不 开": three or more single characters separated by spaces are one word typed apart.
_SPACED_OUT = re.compile(rf"(?<![{_CJK}])[{_CJK}](?:\s[{_CJK}]){{2,}}(?![{_CJK}])")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s() -> tuple[frozenset[str], Callable[[str], str]]:
    """OpenCC's t2s conversion, run from OpenCC's own dictionaries with a regex and ``str.translate``.

    ``opencc.OpenCC("t2s").convert`` is pure Python and takes about a millisecond per 200 characters,
    more than the whole screening budget. The same dictionaries (TSPhrases longest first, then
    TSCharacters' first candidate for the rest) applied with one phrase regex and ``str.translate``
    give the same text in a few microseconds; tests/risk/test_risk_normalize.py checks it against
    OpenCC. Conversion runs only when a character t2s would change is present (a set test).
    """
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return frozenset(), lambda text: text
    dictionary = Path(opencc.__file__).with_name("dictionary")
    table: dict[str, str] = {}
    for line in _lines(dictionary / "TSCharacters.txt"):
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if source and target and source != target:
            table[source] = target
    traditional = set(table)
    phrases: dict[str, str] = {}
    for line in _lines(dictionary / "TSPhrases.txt"):
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) > 1 and target:
            phrases[source] = target
            # Characters converted only inside a phrase (瞭解 → 了解) trigger conversion too.
            if len(source) == len(target):
                traditional.update(a for a, b in zip(source, target, strict=True) if a != b)
    if not table and not phrases:
        return frozenset(), lambda text: text
    characters = str.maketrans(table)
    by_length = sorted(phrases, key=len, reverse=True)
    starts = "".join(sorted({re.escape(p[0]) for p in by_length}))
    phrase = re.compile(f"(?=[{starts}])(?:{'|'.join(map(re.escape, by_length))})") if by_length else None

    def convert(text: str) -> str:
        # Phrases first (longest first, as OpenCC's segmentation does), characters elsewhere.
        if phrase is None:
            return text.translate(characters)
        out, pos = [], 0
        for m in phrase.finditer(text):
            out.append(text[pos : m.start()].translate(characters))
            out.append(phrases[m.group()])
            pos = m.end()
        out.append(text[pos:].translate(characters))
        return "".join(out)

    return frozenset(traditional), convert


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def to_simplified(text: str) -> str:
    """Traditional → simplified with OpenCC t2s, skipped when there is nothing to convert."""
    traditional, convert = _t2s()
    if not text or traditional.isdisjoint(text):
        return text
    return convert(text)


class Normalizer:
    """Applies the fixed clean-up steps and the YAML ``replace`` table (typos, homophones, emoji)."""

    def __init__(self, replace: Mapping[str, str]) -> None:
        table: dict[str, str] = {}
        for key, value in replace.items():
            # Keys go through the same clean-up as messages, so a table written with 繁體 or a
            # variation selector still matches.
            clean = _basic(str(key))
            if clean:
                table[clean] = str(value).lower()
        self._table = table
        keys = sorted(table, key=len, reverse=True)
        self._replace = re.compile("|".join(map(re.escape, keys))) if keys else None

    def __call__(self, text: object) -> str:
        if text is None:
            return ""
        if not isinstance(text, str):
            text = str(text)
        text = _basic(text[:MAX_CHARS])
        if self._replace is not None:
            text = self._replace.sub(lambda m: self._table[m.group()], text)
        if " " in text or "\n" in text:
            text = _SPACED_OUT.sub(lambda m: _WHITESPACE.sub("", m.group()), text)
        return text.strip()


def _basic(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROLS.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = text.translate(_FULLWIDTH)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    text = text.lower()
    return _SPACES.sub(" ", text)
