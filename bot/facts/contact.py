"""Phone numbers and resident ID numbers.

Citizens write numbers with spaces or dashes, full-width digits (already folded by textnorm) or Chinese
digits (幺三九…); we keep the digits, validate, and never silently accept a malformed number.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from .lexicon import alternation, lexicon
from .model import Fact, span_overlaps

# Every way a digit of a phone number is said or written: plain (〇零一二…), spoken (幺 for 1, 两 for 2,
# 洞 for 0: the radio and army way) and the financial forms of cheques and contracts (壹贰叁…, 繁體 貳參陸
# too: the text is simplified first, the map holds both). 十, 百 and 拾 are none: 五十八 is a number.
_CN_PHONE_DIGITS = {
    **dict.fromkeys("〇零洞", "0"),
    **dict.fromkeys("一幺壹", "1"),
    **dict.fromkeys("二两贰貳", "2"),
    **dict.fromkeys("三叁参參", "3"),
    **dict.fromkeys("四肆", "4"),
    **dict.fromkeys("五伍", "5"),
    **dict.fromkeys("六陆陸", "6"),
    **dict.fromkeys("七柒", "7"),
    **dict.fromkeys("八捌", "8"),
    **dict.fromkeys("九玖", "9"),
}
_CN = "".join(_CN_PHONE_DIGITS)
# Every character read as a digit of a phone (for a quick "could this hold a number?" test elsewhere).
PHONE_DIGIT_CHARS = frozenset(_CN_PHONE_DIGITS)
_MOBILE = re.compile(r"1[3-9]\d{9}")
_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{16}[\dXx])(?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{14})(?![0-9A-Za-z])")
_RUN_RE = re.compile(r"(?<![0-9A-Za-z])\d(?:[ \-]?\d)*(?![0-9A-Za-z])")
# 1 8 8 - 0 2 7 1 - 6 6 3 5 / 139 - 1234 - 5678: digits typed apart and groups split by a spaced dash.
# Read only where the plain runs found no number, and only as a whole, valid phone number.
_WIDE_SEP = r"(?: {0,2}-{1,2} {0,2}| {1,3})"
_WIDE_RUN_RE = re.compile(rf"(?<![0-9A-Za-z])\d(?:{_WIDE_SEP}?\d)*(?![0-9A-Za-z])")
_CN_RUN_RE = re.compile(rf"[{_CN}]{{7,}}")
# A spoken or grouped number: Arabic and/or Chinese digits in groups split by one space, dash, dot, comma
# or 、 (一三八，二二七一，五五六六 / 一三八 2271 5566 / 壹叁陆.伍伍捌柒.贰零玖肆). Not inside a numeral, a sum
# or a date.
_D = f"0-9{_CN}"
_GROUPED_RE = re.compile(
    rf"(?<![{_D}十百千万亿.¥￥$第])[{_D}](?:\s?[ \-,，、.。]?\s?[{_D}]){{6,13}}"
    rf"(?![{_D}十拾百佰千仟万亿%年月日号点时分元块]|\.\d)"
)
# A sum or a date after digits typed apart: 一 三 … 元, … 号.
_SPACED_UNIT_AFTER = re.compile(r"\s*(?:[十百千万亿%年月日号点时分元块]|\.\d)")
_MONEY_AROUND = re.compile(r"\s?(?:元|块|万|千|百|rmb|RMB|yuan)")
_GROUP_SEP = re.compile(r"\s*[ \-,，、.。]\s*")
# Groups split by a comma or 、 may be a list (一，二，三): Chinese digits grouped so need two a group.
_LISTED = re.compile(r"[,，、]")
# 186.2047.5513 / 139。0776。4521 (a Chinese keyboard's dot): groups of three or four digits split by dots.
# Never a sum (1.5万: groups too short) nor a date (2026.12.05) or an address (192.168.1.10): only a
# run that is exactly a mobile number is read.
_DOTTED_RE = re.compile(r"(?<![0-9A-Za-z.。])\d{3,4}(?:\s?[.。]\s?\d{3,4}){2,3}(?![0-9A-Za-z]|[.。]\d)")
# 110101 19900307 663X / 110101-19900307-663X: an 18-character ID written in groups.
_ID_GROUPED_RE = re.compile(r"(?<![0-9A-Za-z])\d(?:[ \-]?\d){16}[ \-]?[\dXx](?![0-9A-Za-z])")
# "139…2561，不对不对，最后是二五一六" / "138 1234 5678，错了，是138 1234 5687" / "手机159…，最后四位是…":
# a correction cue or a tail marker, then the digits meant (a tail or a whole new number).
# The cues besides self_correction_cues (lexicon.yml): 不是 and 应该是 say the digits meant come next.
_CUES_HERE = ("不是", "应该是")
# 后头是 / 尾数是 / 最后几位是 / 后四位系 / 末尾两个是: where the digits meant go (a tail of the number).
_TAIL_MARK = re.compile(
    r"(?:最后|最末|最尾|末尾|后面|后边|后头|后尾|尾号|尾数|尾巴|后|尾)(?:(?P<n>[一二三四五六七八九两\d])|几)?(?:位|个)?"
)
_CORRECTION_DIGITS = re.compile(
    rf"[{_D}](?:{_WIDE_SEP}?[{_D}]){{0,12}}(?![{_D}十百千万亿.%年月日号点时分元块])"
)
_CORRECTION_LEAD = 24
# All a correction may say besides its cue and tail mark: 啊不对，我说错了，手机号最后四位应该是… (系/嘅:
# Cantonese 是/的)
_CORRECTION_WORDS = set(
    " ，,。.…!！、~：:是为应该最后末尾后面尾号数字位一二三四五六七八九两哦噢喔啊呃嗯呀了我的刚才说号码手机电话"
    "哎唉诶欸咧嘞啦哈呐系嘅咗哒咯喽嘛"
)
_PHONE_CONTEXT = ("电话", "手机", "号码", "联系", "打", "致电", "tel", "Tel", "TEL", "座机", "热线", "号是")
_ID_CONTEXT = ("身份证", "证件号", "身份号")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_checksum_ok(value: str) -> bool:
    """ISO 7064 MOD 11-2 check of an 18-character PRC resident ID."""
    if not re.fullmatch(r"\d{17}[\dXx]", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == value[17].upper()


def _birth_date_ok(digits: str) -> bool:
    try:
        born = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return dt.date(1890, 1, 1) <= born <= dt.date.today()


def _has_context(s: str, start: int, words: tuple[str, ...], width: int = 12) -> bool:
    window = s[max(0, start - width) : start]
    return any(w in window for w in words)


def _id18(value: str, start: int, end: int, original: str) -> Fact:
    """An 18-character ID fact, valid when its checksum and birth date are; else the reason why not."""
    ok = id_checksum_ok(value) and _birth_date_ok(value[6:14])
    extra = {} if ok else {"reason": "checksum" if not id_checksum_ok(value) else "birth_date"}
    return Fact("id_number", value, start, end, original[start:end], valid=ok, extra=extra)


def extract_ids(s: str, original: str) -> list[Fact]:
    """18-character IDs (checksum and birth date checked); 15-digit old IDs only after 身份证."""
    facts: list[Fact] = []
    for m in _ID_RE.finditer(s):
        value = m.group(1).upper()
        facts.append(_id18(value, m.start(), m.end(), original))
    for m in _ID_GROUPED_RE.finditer(s):
        raw = m.group()
        if not re.search(r"[ \-]", raw):
            continue  # written without separators: handled above
        value = re.sub(r"[ \-]", "", raw).upper()
        grouped_like_id = re.fullmatch(r"\d{6}[ \-]\d{8}[ \-]\d{3}[\dXx]", raw) is not None
        if not (grouped_like_id or id_checksum_ok(value) or _has_context(s, m.start(), _ID_CONTEXT)):
            continue  # two other numbers side by side
        facts.append(_id18(value, m.start(), m.end(), original))
    for m in _ID15_RE.finditer(s):
        if not _has_context(s, m.start(), _ID_CONTEXT):
            continue
        value = m.group(1)
        ok = _birth_date_ok("19" + value[6:12])
        facts.append(
            Fact(
                "id_number",
                value,
                m.start(),
                m.end(),
                original[m.start() : m.end()],
                valid=ok,
                extra={"format": "15"},
            )
        )
    return facts


def without_country_code(digits: str) -> str:
    """+86 139 5521 0847, 0086 13955210847: China's country code before an 11-digit number is dropped
    (here and wherever a phone is stored or matched: ``bot.privacy.normalise_phone``)."""
    for code in ("0086", "86"):
        if digits.startswith(code) and len(digits) == len(code) + 11:
            return digits[len(code) :]
    return digits


def _as_digits(chars: str) -> str:
    """一三八 / 幺三八 / 1三8 → 138: Chinese digits as Arabic ones, others kept."""
    return "".join(_CN_PHONE_DIGITS.get(ch, ch) for ch in chars)


def _classify(digits: str, raw: str, s: str, start: int) -> tuple[str, bool, dict[str, Any]] | None:
    """(value, valid, extra) for a digit run that looks like a phone number, else None."""
    context = _has_context(s, start, _PHONE_CONTEXT)
    if len(digits) == 11 and _MOBILE.fullmatch(digits):
        return digits, True, {"kind": "mobile"}
    if digits.startswith("0") and not digits.startswith("00") and 10 <= len(digits) <= 12:
        parts = re.split(r"[ \-]", raw, maxsplit=1)
        if len(parts) == 2 and 3 <= len(re.sub(r"\D", "", parts[0])) <= 4:
            area = re.sub(r"\D", "", parts[0])
        else:
            area = digits[:3] if digits[1] in "12" else digits[:4]
        local = digits[len(area) :]
        if 7 <= len(local) <= 8:
            return f"{area}-{local}", True, {"kind": "landline"}
        return None
    if len(digits) in (10, 12) and digits.startswith("1") and context:
        return digits, False, {"kind": "mobile", "reason": "length"}
    local_only = 7 <= len(digits) <= 8 and not digits.startswith("0") and re.search(r"[ \-]", raw) is None
    if local_only and "座机" in s[max(0, start - 12) : start]:
        return digits, True, {"kind": "landline", "area_code": None}
    return None


def _typed_apart(m: re.Match[str], s: str, original: str) -> list[Fact]:
    """一 三 七 零 三 六 四 八 二 九 一: every digit typed apart (as some elderly citizens type every
    character). Punctuation, not the spaces, splits the groups: the whole run is a mobile number when
    every group has three digits or more, else any one group that is a whole mobile number is
    (一 三 七 … 一 ， 三 个 人). Only a whole, well-formed mobile number is ever read."""
    pieces = [(p.start(), p.end()) for p in re.finditer(rf"[{_D}](?:\s+[{_D}])*", m.group())]
    spans = [(m.start() + a, m.start() + b) for a, b in pieces]
    if all(b - a >= 5 for a, b in pieces):  # groups of three digits or more (with their spaces)
        spans.insert(0, (m.start(), m.end()))
    for start, end in spans:
        digits = _as_digits(re.sub(rf"[^{_D}]", "", s[start:end]))
        if not _MOBILE.fullmatch(digits) or _SPACED_UNIT_AFTER.match(s, end):
            continue
        extra = {"kind": "mobile", "written": "apart"}
        return [Fact("phone", digits, start, end, original[start:end], extra=extra)]
    return []


def _grouped_phones(s: str, original: str) -> list[Fact]:
    """Phones spoken in Chinese digits (一三五 三零八 五四 七二幺, 壹叁陆 伍伍捌柒 贰零玖肆), mixed with
    Arabic ones, or grouped with commas (3-4-4)."""
    facts: list[Fact] = []
    for m in _GROUPED_RE.finditer(s):
        raw = m.group()
        chinese = re.search(rf"[{_CN}]", raw) is not None
        if chinese and not re.search(rf"[{_D}][{_D}]", raw):
            facts.extend(_typed_apart(m, s, original))
            continue
        if not chinese and not _LISTED.search(raw):
            continue  # plain Arabic runs (138 2271 5566) are read by the run scanner
        taken = _grouped_number(raw, chinese, s, m.end())
        if taken is None:
            continue
        digits = _as_digits(re.sub(rf"[^{_D}]", "", taken))
        extra = {"kind": "mobile"}
        if chinese:
            extra["written"] = "chinese"
        end = m.start() + len(taken)
        facts.append(Fact("phone", digits, m.start(), end, original[m.start() : end], extra=extra))
    return facts


def _grouped_number(raw: str, chinese: bool, s: str, end: int) -> str | None:
    """The part of a grouped run that is one whole mobile number, else None. Arabic groups split by
    commas hold three digits or more (13,822 is a sum); Chinese ones any number (一三五 三零八 五四 七二幺)
    but two when split by commas (一，二，三 is a list). A last group of one or two digits that starts
    the next word is left out: 一三五 三零八 五四 七二幺 三个人 (a 12-digit run is no number at all)."""
    groups = _GROUP_SEP.split(raw)
    shortest = 2 if chinese else 3
    if len(groups) > 1 and (not chinese or _LISTED.search(raw)) and min(map(len, groups)) < shortest:
        return None
    if _MOBILE.fullmatch(_as_digits("".join(groups))):
        return raw
    last = groups[-1]
    next_word = end < len(s) and re.match(r"[\u4e00-\u9fff]", s[end]) is not None
    if not chinese or len(groups) < 3 or len(last) > 2 or not next_word:
        return None  # only a whole mobile number is safe to read out of spoken digits
    kept = raw[: len(raw) - len(last)].rstrip(" -,，、.。")
    return kept if _MOBILE.fullmatch(_as_digits("".join(groups[:-1]))) else None


@functools.lru_cache(maxsize=1)
def correction_cue() -> re.Pattern[str]:
    """Words taking back what was just said (打错, 搞错哒, 唔啱, 开玩笑 …; lexicon.yml)."""
    return re.compile(alternation([*lexicon().get("self_correction_cues", []), *_CUES_HERE]))


@functools.lru_cache(maxsize=1)
def _correction_fillers() -> re.Pattern[str]:
    """Words a correction may carry besides its cue (嫑急, 等一下): they say nothing else."""
    return re.compile(alternation(lexicon().get("phone_correction_fillers", [])) or r"(?!)")


def _fits_stated(stated: str, digits: str, lead: str, old: str) -> bool:
    """最后四位是8765: the count said must fit. 最后一位打错了，是6623: a cue after the count says which
    digits were wrong, and the longer tail given must keep the digits before them."""
    n = int({"两": "2"}.get(stated, _CN_PHONE_DIGITS.get(stated, stated)))
    if len(digits) == n:
        return True
    cue = correction_cue().search(lead, _TAIL_MARK.search(lead).end())  # type: ignore[union-attr]
    keep = len(digits) - n
    return (
        cue is not None
        and keep > 0
        and len(digits) < len(old)
        and old[-len(digits) :][:keep] == digits[:keep]
    )


def _correction_after(fact: Fact, s: str) -> tuple[re.Match[str], str] | None:
    """The digits of a correction said right after ``fact`` and their normalised digits, or None."""
    window = fact.end + _CORRECTION_LEAD + 14
    fillers = [f.span() for f in _correction_fillers().finditer(s, fact.end, window)]
    for m in _CORRECTION_DIGITS.finditer(s, fact.end, window):
        if any(a <= m.start() < b for a, b in fillers):
            continue  # the 一 of 等一下
        lead = s[fact.end : m.start()]
        said = _correction_fillers().sub("", _TAIL_MARK.sub("", correction_cue().sub("", lead)))
        if len(lead) > _CORRECTION_LEAD or set(said) - _CORRECTION_WORDS:
            return None  # "不是我的，欠我5000": more than a correction is said before the digits
        tail = _TAIL_MARK.search(lead)
        if not (correction_cue().search(lead) or tail):
            continue
        digits = _as_digits(re.sub(r"[ \-]", "", m.group()))
        stated = tail.group("n") if tail else None
        if stated:
            if _fits_stated(stated, digits, lead, str(fact.value)):
                return m, digits
        elif len(digits) >= 3:  # not the 一 of 看一下
            return m, digits
    return None


def _corrections(facts: list[Fact], s: str, original: str) -> None:
    """Apply a correction said right after a mobile number: a new tail replaces the old one (the fact
    then spans the correction too); a whole new number marks the old fact ``superseded``."""
    for fact in sorted(facts, key=lambda f: f.start):
        if fact.extra.get("kind") != "mobile" or not fact.valid:
            continue
        found = _correction_after(fact, s)
        if found is None:
            continue
        m, digits = found
        if len(digits) == 11:
            if digits != fact.value and _MOBILE.fullmatch(digits):
                fact.extra["superseded"] = True  # the new number is a phone fact of its own
            continue
        corrected = str(fact.value)[: -len(digits)] + digits
        if len(digits) < 11 and _MOBILE.fullmatch(corrected):
            fact.value, fact.end = corrected, m.end()
            fact.text = original[fact.start : fact.end]
            fact.extra["corrected"] = True


def _dotted_phones(s: str, original: str) -> list[Fact]:
    """Mobile numbers written in groups split by dots (186.2047.5513), not after a currency sign nor
    before a unit of money."""
    facts: list[Fact] = []
    for m in _DOTTED_RE.finditer(s):
        digits = re.sub(r"\D", "", m.group())
        if not _MOBILE.fullmatch(digits) or _MONEY_AROUND.match(s, m.end()):
            continue
        if re.search(r"[¥￥$]\s?$", s[max(0, m.start() - 2) : m.start()]):
            continue
        facts.append(_phone_fact(m, original, digits, True, {"kind": "mobile", "written": "dotted"}))
    return facts


def extract_phones(s: str, original: str) -> list[Fact]:
    """Mobile and landline numbers; value is digits only (landline as area-number); a correction said
    right after a mobile number is applied (see ``_corrections``)."""
    facts = _dotted_phones(s, original)
    facts += [f for f in _grouped_phones(s, original) if not f.overlaps(facts)]
    for m in _RUN_RE.finditer(s):
        if span_overlaps(m.start(), m.end(), facts):
            continue
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        if _money_around(s, m.start(), m.end()):
            continue
        digits = without_country_code(digits)
        if len(digits) in (15, 18):
            continue  # ID numbers are handled by extract_ids
        got = _classify(digits, raw, s, m.start())
        if got:
            facts.append(_phone_fact(m, original, *got))
    _spaced_phones(s, original, facts)
    for m in _CN_RUN_RE.finditer(s):
        if span_overlaps(m.start(), m.end(), facts):
            continue
        digits = "".join(_CN_PHONE_DIGITS[ch] for ch in m.group())
        got = _classify(digits, digits, s, m.start())
        if got:
            value, valid, extra = got
            facts.append(_phone_fact(m, original, value, valid, dict(extra, written="chinese")))
    _corrections(facts, s, original)
    return facts


def _money_around(s: str, start: int, end: int) -> bool:
    """13822715566元 / ¥138…: a sum, whatever its digits look like."""
    return bool(_MONEY_AROUND.match(s, end) or re.search(r"[¥￥$]\s?$", s[max(0, start - 2) : start]))


def _spaced_phones(s: str, original: str, facts: list[Fact]) -> None:
    """Add the numbers typed with spaced dashes or every digit apart (1 8 8 - 0 2 7 1 - 6 6 3 5) that the
    plain runs read none of, or only a malformed part of: only a whole, valid number is read."""
    for m in _WIDE_RUN_RE.finditer(s):
        covered = [f for f in facts if span_overlaps(m.start(), m.end(), [f])]
        if (
            _RUN_RE.fullmatch(m.group())
            or any(f.valid for f in covered)
            or _money_around(s, m.start(), m.end())
        ):
            continue
        digits = without_country_code(re.sub(r"\D", "", m.group()))
        got = _classify(digits, m.group(), s, m.start())
        if got and got[1]:
            facts[:] = [f for f in facts if f not in covered]
            facts.append(_phone_fact(m, original, *got))
    facts.sort(key=lambda f: f.start)


def _phone_fact(m: re.Match[str], original: str, value: str, valid: bool, extra: dict[str, Any]) -> Fact:
    return Fact("phone", value, m.start(), m.end(), original[m.start() : m.end()], valid=valid, extra=extra)


# How a character of a name is spelled out: "兰花的兰", "晓是知晓的晓" (a word holding the character, then
# 的 and the character), "三点水的江" (a radical), "木子李" (the character in parts). An explanation,
# never the name: "郭秀兰，兰花的兰" is 郭秀兰, "邓晓军晓是知晓的晓" is 邓晓军.
_SPELLED_OF = re.compile(r"的(?:那个|那|个)?(?P<x>[\u4e00-\u9fff])字?")
_SPELLED_LEAD = re.compile(r"(?P<x>[\u4e00-\u9fff]字?)?(?:就|呢|嘛)?是$")
_SPELLED_WORD = (2, 3)  # 兰花的兰, 兰花草的兰
_SPELLED_LOOKBACK = 6  # how far back the explained character must have been said


@functools.lru_cache(maxsize=1)
def _spelling_tables() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = lexicon()
    parts, radicals = alternation(lex["name_spellings"]), alternation(lex["name_radicals"])
    return (
        re.compile(rf"(?:{parts})(?:的(?P<again>[\u4e00-\u9fff]))?"),
        re.compile(rf"(?:{radicals}|[\u4e00-\u9fff]字[旁头底边框])$"),
    )


def _explained_from(s: str, of: re.Match[str]) -> int | None:
    """Where the explanation ending in ``of`` (的X) starts: the word holding X or a radical; None if
    the text before 的 is neither."""
    x, at = of.group("x"), of.start()
    for n in _SPELLED_WORD:
        word = s[at - n : at] if at >= n else ""
        if word and re.fullmatch(r"[\u4e00-\u9fff]+", word) and x in word:
            return at - n
    radical = _spelling_tables()[1].search(s, max(0, at - 5), at)
    return radical.start() if radical else None


def spelling_spans(s: str) -> list[tuple[int, int]]:
    """Spans of ``s`` that spell out a character of a name (see above), merged and sorted. A lead
    "X是" (晓是知晓的晓) belongs to the explanation when X was said just before; the 是 always does."""
    parts, _ = _spelling_tables()
    spans: list[tuple[int, int]] = []
    for m in parts.finditer(s):
        again = m.group("again")
        word = m.group()[: len(m.group()) - 2] if again else m.group()
        spans.append((m.start(), m.end() if again in (None, word[-1]) else m.start() + len(word)))
    for m in _SPELLED_OF.finditer(s):
        start = _explained_from(s, m)
        if start is None:
            continue
        lead = _SPELLED_LEAD.search(s, max(0, start - 5), start)
        if lead:  # 郭秀兰是兰花的兰: the 兰 before 是 is the name's own, only 是 goes
            said = lead.group("x") or ""
            before = s[max(0, lead.start() - _SPELLED_LOOKBACK) : lead.start()]
            explains = said[:1] == m.group("x") and said[:1] in before
            start = lead.start() + (0 if explains else len(said))
        spans.append((start, m.end()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def without_spellings(s: str) -> str:
    """``s`` with each spelled-out character blanked to commas (offsets kept): the name is read from it."""
    for start, end in spelling_spans(s):
        s = s[:start] + "，" * (end - start) + s[end:]
    return s
