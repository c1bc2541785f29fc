"""Headcount numerals: the value of "12", "十五", "二十多", "三四十", "一百零五", "几十", "seven", "a dozen"."""

from __future__ import annotations

import re

# Numerals of a headcount.
_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# 几 / 数 ("a few") count as 2: "十几" ≥ 12, "几十" = 20, "几个" = 2 (not a group).
_DIGITS.update({"几": 2, "数": 2})
_UNITS = {"十": 10, "百": 100, "千": 1000}
_SPECIAL = {"成百上千": 100, "上百": 100, "上千": 1000, "好几十": 20}
# English numerals of a headcount ("seven of us", "a dozen workers", "twenty-five tenants").
_EN_NUMBERS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_EN_NUMBERS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70})
_EN_NUMBERS.update({"eighty": 80, "ninety": 90, "hundred": 100, "hundreds": 100, "dozen": 12, "dozens": 24})
_EN_WORDS = re.compile(r"[a-z]+")


def parse_count(numeral: str) -> int | None:
    """Lower-bound value of a headcount numeral: "12", "十五", "二十多", "三四十", "一百零五", "几十".

    Approximations resolve to their lower end ("三四十" → 30) because thresholds should be crossed by
    what the citizen said, not by our rounding.
    """
    numeral = numeral.strip()
    if not numeral:
        return None
    if numeral.isdigit():
        return int(numeral)
    if numeral.isascii():
        words = [w for w in _EN_WORDS.findall(numeral) if w != "a"]
        if not words or any(w not in _EN_NUMBERS for w in words):
            return None
        return sum(_EN_NUMBERS[w] for w in words)
    if numeral in _SPECIAL:
        return _SPECIAL[numeral]
    total = current = 0
    previous_digit = False
    for ch in numeral:
        if ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
            previous_digit = False
        elif ch in _DIGITS:
            if previous_digit:  # "三四十", "五六个": keep the first, lower digit
                continue
            current = _DIGITS[ch]
            previous_digit = ch not in "零〇"
        else:
            return None
    return total + current
