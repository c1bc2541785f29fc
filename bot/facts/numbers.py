"""Chinese/Arabic numeral parsing tuned for how citizens write sums.

jionlp.parse_money reads 三万五 as 30005 and 6万8 as 120016, and cn2an rejects many mixed forms, so the
colloquial abbreviations (三万五 = 35000, 两千五 = 2500, 6万8 = 68000, 2块5 = 2.5) are handled here.
cn2an is used as a cross-check for plain numerals in the tests.
"""

from __future__ import annotations

import math
import re

CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "仨": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
    "幺": 1,
}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "k": 1000, "K": 1000}
BIG_UNITS = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}

# A numeral: Arabic (with thousands separators/decimals) or Chinese digits mixed with units.
CN_NUM_CHARS = "零一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿"
_TOKEN = re.compile(
    r"\d+(?:,\d{3})*(?:\.\d+)?|[零一二两俩三仨四五六七八九壹贰叁肆伍陆柒捌玖幺]|[十拾百佰千仟kK]|[万wW亿]"
)


def parse_number(text: str) -> float | None:
    """Value of a numeral such as 三万五, 1.2万, 6万8, 一百二十, 3w, 二零二五; None when unparseable."""
    text = text.strip()
    if not text:
        return None
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != text.replace(" ", ""):
        return None
    # Pure digit sequence without units: 二零二五 -> 2025 (but a lone 一 is 1).
    if all(t in CN_DIGITS for t in tokens) and len(tokens) > 1:
        return float("".join(str(CN_DIGITS[t]) for t in tokens)) if len(tokens) <= 15 else None
    total = 0.0  # completed 亿 blocks
    block = 0.0  # completed 万 block under the current 亿
    section = 0.0  # value below 万
    current: float | None = None
    last_unit = 0  # unit of the previous unit token, for abbreviations like 三万五
    prev_was_unit = False
    saw_zero = False
    for tok in tokens:
        if tok[0].isdigit():
            if current is not None and not prev_was_unit:
                return None  # two numbers in a row: "3 5"
            current = float(tok.replace(",", ""))
            prev_was_unit = False
        elif tok in CN_DIGITS:
            digit = CN_DIGITS[tok]
            if digit == 0:
                saw_zero = True
                continue
            if current is not None and not prev_was_unit:
                return None
            current = float(digit)
            prev_was_unit = False
        elif tok in SMALL_UNITS:
            unit = SMALL_UNITS[tok]
            section += (1.0 if current is None else current) * unit
            current = None
            last_unit = unit
            prev_was_unit = True
            saw_zero = False
        else:
            unit = BIG_UNITS[tok]
            section += current or 0.0
            current = None
            if unit == 100_000_000:
                total = (total + block + section) * unit
                block = 0.0
            else:
                block = (block + (section or (0.0 if block or total else 1.0))) * unit
            section = 0.0
            last_unit = unit
            prev_was_unit = True
            saw_zero = False
    if current is not None:
        # 三万五 / 两千五 / 一百五 / 6万8: a trailing single digit right after a unit is one unit lower.
        if (
            prev_was_unit is False
            and last_unit >= 100
            and not saw_zero
            and current < 10
            and current == int(current)
        ):
            section += current * (last_unit // 10)
        else:
            section += current
    result = total + block + section
    return result if math.isfinite(result) and result < 1e15 else None


def to_number(value: float) -> int | float:
    """int when whole (35000), else a rounded float (2.5)."""
    if value == int(value):
        return int(value)
    return round(value, 2)


# 五六万 / 七八千 / 十五六万 / 三四十万 / 七八(个月): two adjacent digits, before a unit or alone, are a
# range, not 56万. Consecutive digits form one, and so does 三五 (the idiom "three to five").
_RANGE_IN_NUMERAL = re.compile(
    r"(?P<pre>.*?)(?P<a>[一二两三四五六七八九])(?P<b>[二两三四五六七八九])(?P<post>(?:[十拾百佰千仟万亿].*)?)"
)


def number_range(text: str) -> tuple[float, float] | None:
    """(low, high) of a numeral with a digit range (五六万 -> 50000, 60000; 七八 -> 7, 8), else None."""
    m = _RANGE_IN_NUMERAL.fullmatch(text.strip())
    if not m or m.group("pre")[-1:] in CN_DIGITS:  # 一二三: digits read one by one, no range
        return None
    a, b = CN_DIGITS[m.group("a")], CN_DIGITS[m.group("b")]
    if b != a + 1 and (a, b) != (3, 5):
        return None
    low = parse_number(m.group("pre") + m.group("a") + m.group("post"))
    high = parse_number(m.group("pre") + m.group("b") + m.group("post"))
    if low is None or high is None or high <= low:
        return None
    return low, high
