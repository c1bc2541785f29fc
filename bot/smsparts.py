"""SMS-sized parts of a text: at most 70 UCS-2 characters each (one Chinese SMS), numbered ``1/3 `` …
when a text needs more than one. Plain Python: the hotline channel (in Rasa) cuts the bot's replies
with it, the intake service the staff's messages of a live hand-off."""

from __future__ import annotations

import re

SMS_LIMIT = 70  # characters of one SMS in UCS-2 (any message containing Chinese)


def sms_length(text: str) -> int:
    """Length as an SMS counts it: UTF-16 code units (an emoji outside the BMP takes two)."""
    return len(text.encode("utf-16-le")) // 2


_SENTENCE_END = "。！？；!?;"
_CLAUSE_END = "，、：,:）)」』》"
# A run that must not be cut: case codes, phone numbers, links, amounts.
_UNBREAKABLE = re.compile(r"[A-Za-z0-9_\-./:?=&%#@+]+")


def _cut(text: str, width: int) -> int:
    """Where to end the next part of ``text`` (at most ``width`` units), preferring natural breaks."""
    if sms_length(text) <= width:
        return len(text)
    limit = 0
    while limit < len(text) and sms_length(text[: limit + 1]) <= width:
        limit += 1
    limit = max(limit, 1)
    runs = [(m.start(), m.end()) for m in _UNBREAKABLE.finditer(text[: limit + 200])]

    def splits_a_run(pos: int) -> bool:
        return any(start < pos < end for start, end in runs)

    floor = limit // 3  # a natural break may leave a shorter part, but not a tiny one
    candidates = (
        [i + 1 for i in range(limit) if text[i] == "\n"],
        [i + 1 for i in range(limit) if text[i] in _SENTENCE_END],
        [i + 1 for i in range(limit) if text[i] in _CLAUSE_END],
        [i + 1 for i in range(limit) if text[i] == " "],
    )
    for positions in candidates:
        good = [p for p in positions if p > floor and not splits_a_run(p)]
        if good:
            return good[-1]
    for start, end in runs:
        if start < limit < end and start > 0:
            return start  # move the whole code, number or link to the next part
    return limit


def split_sms(text: str, limit: int = SMS_LIMIT) -> list[str]:
    """Split ``text`` into SMS parts of at most ``limit`` characters, numbered ``1/3 `` … when several.

    Breaks go after line ends, then sentence ends, then commas, never inside a case code, phone number
    or link unless it is longer than a whole part. The numbering prefix counts toward the limit.
    """
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text:
        return []
    if sms_length(text) <= limit:
        return [text]
    count = 9
    while True:
        prefix_width = len(f"{count}/{count} ")
        parts = _split_plain(text, limit - prefix_width)
        if len(str(len(parts))) <= len(str(count)):
            break
        count = 10 ** len(str(len(parts))) - 1  # more parts than assumed: wider prefixes
    total = len(parts)
    return [f"{i}/{total} {part}" for i, part in enumerate(parts, start=1)]


def _split_plain(text: str, width: int) -> list[str]:
    parts: list[str] = []
    rest = text
    while rest:
        end = _cut(rest, width)
        part = rest[:end].strip()
        if part:
            parts.append(part)
        rest = rest[end:].lstrip()
    return parts
