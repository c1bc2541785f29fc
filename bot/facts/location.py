"""Where the dispute is: province/city/county from jionlp's admin dictionary, town/village/estate by suffix.

jionlp.recognize_location takes ~20 s to load, so spans are found here with a set lookup over the
admin names and a suffix regex, and only the found span is normalised with jionlp.parse_location.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any

from .model import Fact

log = logging.getLogger(__name__)
_CJK = r"\u4e00-\u9fff"
_TOWN_SUFFIX = r"(?:街道办事处|街道|镇|乡|苏木)"
_PLACE_SUFFIX = rf"(?:{_TOWN_SUFFIX}|村民委员会|村|社区|小区|花园|家园|新村|苑|庄园|大厦|公寓)"
_BUILDING = r"(?:\d+|[一二三四五六七八九十]+)(?:号楼|栋|幢|单元|号院|楼|室|层|号)"
_SEGMENT = re.compile(rf"([{_CJK}A-Za-z]{{2,7}}?){_PLACE_SUFFIX}")
_TAIL = re.compile(
    rf"(?:[{_CJK}A-Za-z]{{1,5}}?{_PLACE_SUFFIX}|{_BUILDING}|[{_CJK}]{{1,4}}(?:路|街|巷|道)(?:\d+号)?)"
)
_LEFT_STOP = set(
    "我你他她它们俺咱在住是到去了的从回于由和跟与往向给被把就都也还这那个同邻本该此原仨俩一二两三四五六七八九十年月日天借欠说"
)
# Words that end the text before a place name: 问村里|村里说, 我们村, 回到村上 (no proper name left).
_LEFT_STOP_WORDS = re.compile(
    r"村里|村上|村委会?|村子|村民|村干部|乡里|镇上|镇里|我们|他们|你们|咱们|俺们|大家|问|找|告诉|喊"
)
_TOWN_RE = re.compile(rf"[{_CJK}A-Za-z]{{1,6}}?{_TOWN_SUFFIX}")


@functools.lru_cache(maxsize=1)
def _admin_names() -> dict[str, str]:
    """Admin names -> level ('province'|'city'|'county'); aliases only for provinces and cities."""
    import jionlp

    names: dict[str, str] = {}
    tree = jionlp.china_location_loader()

    def add(name: Any, level: str) -> None:
        if isinstance(name, str) and len(name) >= 2:
            names.setdefault(name, level)

    for prov_name, prov in tree.items():
        add(prov_name, "province")
        aliases = prov.get("_alias")
        for a in aliases if isinstance(aliases, list) else [aliases]:
            add(a, "province")
        for city_name, city in prov.items():
            if city_name.startswith("_"):
                continue
            add(city_name, "city")
            aliases = city.get("_alias")
            for a in aliases if isinstance(aliases, list) else [aliases]:
                add(a, "city")
            for county_name in city:
                if not county_name.startswith("_"):
                    add(county_name, "county")
    return names


@functools.lru_cache(maxsize=512)
def _parse(span: str) -> dict[str, Any]:
    import jionlp

    try:
        parsed: dict[str, Any] = jionlp.parse_location(span)
        return parsed
    except Exception as exc:  # jionlp raises on odd strings; location stays partial
        log.debug("parse_location failed for %r: %s", span, exc)
        return {}


def _admin_at(s: str, i: int, names: dict[str, str]) -> int:
    for length in range(min(8, len(s) - i), 1, -1):
        if s[i : i + length] in names:
            return length
    return 0


def _bad_name(tail: str) -> bool:
    """村里村 / 我们村 / 在东关村: no proper name before the suffix (a pronoun, verb or 村里)."""
    if re.fullmatch(_BUILDING, tail):
        return False  # 三号楼 / 2单元
    return bool(_LEFT_STOP_WORDS.match(tail)) or tail[:1] in _LEFT_STOP


def _extend(s: str, end: int, names: dict[str, str]) -> int:
    while end < len(s):
        n = _admin_at(s, end, names)
        if n:
            end += n
            continue
        m = _TAIL.match(s, end)
        if not m or _bad_name(m.group()):
            break
        end = m.end()
    return end


def extract_locations(s: str, original: str) -> list[Fact]:
    """Location spans with a {"province","city","county","town","detail","text"} value."""
    names = _admin_names()
    spans: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(s):
        n = _admin_at(s, i, names)
        if n:
            end = _extend(s, i + n, names)
            spans.append((i, end, True))
            i = end
            continue
        i += 1
    for m in _SEGMENT.finditer(s):
        start, end = m.span()
        prefix = m.group(1)
        # The name starts after the last function character: 住在|阳光小区, 去年借给同|村 (no name left).
        k = max((i + 1 for i, ch in enumerate(prefix) if ch in _LEFT_STOP), default=0)
        k = max([k, *(w.end() for w in _LEFT_STOP_WORDS.finditer(prefix))])
        if len(prefix) - k < 2 and not (len(prefix) - k == 1 and m.group()[len(prefix) :] in ("镇", "乡")):
            continue
        start += k
        if any(a <= start < b for a, b, _ in spans):
            continue
        spans.append((start, _extend(s, end, names), False))
    facts: list[Fact] = []
    for start, end, has_admin in sorted(spans):
        text = s[start:end]
        parsed = _parse(text) if has_admin else {}
        county = parsed.get("county")
        detail = parsed.get("detail") if has_admin else text
        town = None
        tm = _TOWN_RE.match(detail or "")
        if tm:
            town = tm.group()
            detail = (detail or "")[tm.end() :]
        value = {
            "province": parsed.get("province"),
            "city": parsed.get("city"),
            "county": county,
            "town": town,
            "detail": detail or None,
            "text": text,
        }
        facts.append(Fact("location", value, start, end, original[start:end]))
    return facts
