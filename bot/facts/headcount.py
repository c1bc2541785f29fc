"""Headcount: how many people (or families) the dispute affects.

Kinds of phrasing: a numeral before a people noun (十几个工友, 七八个人), a people noun before a numeral
(员工12名, 工人共三十多人), the citizen plus companions counted together (我和我爸两个, 我跟我妹俩人),
a household size (一家五口, 全家六口人) and fixed phrases from the lexicon (夫妻俩, 我们仨). Approximate
counts (十几, 三十来, 七八) keep the lower bound as the integer value, set ``approximate`` and put the
range in ``extra["min"]``/``extra["max"]``. Animals, trees, land and rooms never match: every pattern
needs a people noun, a person classifier or a companion phrase.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .lexicon import alternation, lexicon
from .model import Fact, span_overlaps
from .numbers import CN_DIGITS, number_range, parse_number
from .quantities import NOT_INSIDE, NUM_BODY

_RANGE = re.compile(r"([一二两三四五六七八九])([二两三四五六七八九])(十|百|千|万)?")
_RANGE_BODY = r"[一二两三四五六七八九][二两三四五六七八九][十百千]?"
_DURATION_AFTER = r"(?:月|小时|星期|礼拜|钟头|多月|半月|工作日|年|天|周)"
# 百十来户 / 上百人 / 百把人 / 百多号人: about a hundred (the lower bound, approximate)
_HUNDRED = r"(?<![几数好零一二两三四五六七八九十])(?:上百|百十|百(?=[多来余把]))"
_ROUGH_HUNDREDS = {"上百": 199, "百十": 110, "百": 199}
_NUM = rf"(?P<num>{NUM_BODY}|{_RANGE_BODY}|{_HUNDRED})"
_AP = r"(?P<ap>[多来余几]|(?<=百)把)?"
# "二十几个，有名单" / "十来个吧" / "七八个": the answer to "how many people" with no noun, a rough count
# opening the message and ending its clause (二十几个月 is a duration, 三个孩子 counts something else).
_BARE_COUNT = re.compile(
    rf"^\s*(?:大概|大约|差不多|估计|一共|总共|得有|有)?{NOT_INSIDE}{_NUM}{_AP}(?:个|号|名|位)人?"
    r"(?=\s*(?:$|[，,。.！!？?；;…~～]|吧|左右|上下|的样子|呢|啊))"
)
# 我和我爸两个 / 我跟我妹俩人 / 我和我老伴两个人: the citizen and companions, counted together. The
# companion is a short noun phrase: no digits, punctuation or verbs/particles that would make it a clause.
_COMPANION = re.compile(
    r"(?:我|俺|咱)(?:和|跟|同|与|带着)(?!另外|其他|其余|别的)(?:我|俺|咱)?(?P<who>[^\s\d，。,、；;！？!?：:们了说要借打给在是的把被找去来做干吵闹离问讲告签欠还拿]{1,4}?)"
    r"(?P<n>[两俩仨三四五])(?P<cl>个人|个|人|口子|口人|口)?"
)
# After a bare 两个/俩 (no 人) only words that continue a clause about the group: 两个都, 俩一起, 俩的.
_GROUP_FOLLOWER = re.compile(r"$|[都一的在是没也还就被去干共给住从到合加、，,。！？!?\s了才又每]")
# 我跟我二姐一分都没分到 / 我和我老公都没拿到: the citizen and one relative sharing the claim, when a word
# that groups them follows (都, 俩, 一起 …); 我跟我老公吵架 counts nobody.
_KIN = (
    r"(?:哥哥|姐姐|弟弟|妹妹|[大二三四五六七八九小老]?[哥姐弟妹]|老公|老婆|媳妇|爱人|丈夫|妻子|老伴|对象|儿子|女儿"
    r"|闺女|爸爸|妈妈|爸|妈|[老俺我]?爹|父亲|母亲|公公|婆婆|小舅子|小姨子|[大二三小]?[叔舅姨姑伯]|[表堂][哥姐弟妹]|姐夫|妹夫|嫂子|弟媳"
    r"|细佬|细妹|家姐|老豆|婆娘|老汉|幺[爸叔妹儿]|侄子|侄女|外甥)"  # Cantonese, Sichuanese
)
_WITH_KIN = re.compile(
    rf"(?:我|俺|咱)(?:和|跟|同|与)(?:我|俺|咱)?的?{_KIN}"
    rf"(?=(?:也|还|现在|至今|到现在|当时|一直|从来|根本)?(?:都|(?:俩|两个)(?!{_DURATION_AFTER})|一起|一块|一分(?!钟)|一毛|共同))"
)
# 我跟两个老乡 / 俺带着三个工友 / 我同另外两个同事: the citizen and N others, N + 1 together.
_WITH_OTHERS = re.compile(
    r"(?:我|俺|咱)(?:和|跟|同|与|带着|带了)(?:另外|其他|其余|别的)?(?P<n>[两三四五六七八九十\d]{1,3})(?:个|名|位)"
    r"(?:老乡|工友|同事|兄弟|伙计|朋友|亲戚|同乡|师傅|工人|姐妹|同学|邻居)"
)
_PAIR_PHRASE = re.compile(r"(?:我|俺|咱)(?:和|跟|同|与)")
# 我一家 / 我们一家子 / 就我家 / 就我们一户: one household (unit 户); not 每一户, 我们一家公司, 我一家五口.
_ONE_HOUSEHOLD = re.compile(
    r"(?<![每第这那同哪\d零一二两三四五六七八九十几])"
    r"(?:(?:就是|只有|就|只|仅)(?:我们|俺们|咱们|我|俺|咱)家|(?:就是|只有|就|只|仅)?(?:我们|俺们|咱们|我|俺|咱)?"
    r"(?:(?<=[我俺咱们])一家子?|一户(?:人家)?))"
    r"(?![\d零一二两三四五六七八九十几口户公店企厂单银医饭商超门铺])"
)
_ONE_HOUSEHOLD_ALONE = re.compile(r"\s*(?:就是|只有|就|只|仅)?一户(?:人家)?\s*[。.!！]?\s*")
# English answers: "just me", "only me", "me alone", "myself".
_JUST_ME = re.compile(
    r"(?i)(?<![a-z])(?<!not )(?:(?:just|only)\s+(?:me|myself)|me\s+alone|myself\s+only)(?![a-z])"
)
_MYSELF_ALONE = re.compile(r"(?i)\s*(?:me\s+)?myself\s*[.!]?\s*")
_HOUSEHOLD = re.compile(
    rf"(?:一家|全家|家里|家中|我家|俺家|咱家|我们家|俺们家|咱们家)(?:共|一共|总共)?(?:有|是)?{NOT_INSIDE}"
    rf"(?P<num>{NUM_BODY})口(?:人)?(?![井锅猪牛羊缸棺气水饭])"
)


# Firms, not families, after N家 (我们村三家超市, 我们三家公司).
_NOT_FAMILIES = r"公司|店|企业|银行|医院|饭店|单位|商|超市|厂|馆|铺|作坊|诊所|门面|门市|养殖场"
# Between 我们/俺们 and the place word: 这个/那边, or a short name (我们电子厂, 我们杨庄村, 我们三组); no
# verb or particle, so 我们找了三个焊工 (people hired) is not the speaker's group.
_PLACE_FILLER = (
    r"(?:这个?|那个?|这边|那边|这儿|那儿)?"
    r"(?:(?![了被把给找请雇招叫让和跟与是在的有说要去来欠拖扣没不都也还就个])[\u4e00-\u9fff]){0,4}?"
)
_AFTER_PLACE = r"(?:里面|里头|里|上|这边|那边)?的?(?:一共有|总共有|一共|总共|共有|共|就有|有|光)?"


# Kin and address words among the people nouns: after a sum in thousands with no measure word they are
# the one the sentence goes on about (那五万大哥不给), never thousands of people.
_KIN_NOUNS = frozenset(
    (
        "大哥",
        "大姐",
        "大嫂",
        "大爷",
        "大娘",
        "大妈",
        "阿姨",
        "婶子",
        "哥们",
        "伙计",
        "兄弟",
        "弟兄",
        "姐妹",
        "家人",
        "亲戚",
    )
)


@functools.lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    lex = lexicon()
    nouns = sorted(lex["people_nouns"], key=len, reverse=True)
    # Nouns that can come before the number (员工12名); 人/户/家人 there would be other constructions.
    leading = [n for n in nouns if n not in ("人", "户", "户人家", "口人", "家人")]
    phrases = [(p, int(v)) for v, ps in lex["headcount_phrases"].items() for p in ps]
    phrases += [(k + c, v) for k in lex["collective_kin"] for c, v in (("俩", 2), ("仨", 3))]
    phrases.sort(key=lambda x: len(x[0]), reverse=True)
    prefixes = sorted(lex["family_group_prefixes"], key=len, reverse=True)
    speakers = alternation(lex["group_speakers"])
    return {
        "workforce": re.compile(
            rf"(?:{speakers}){_PLACE_FILLER}(?:{alternation(lex['workplaces'])}){_AFTER_PLACE}{NOT_INSIDE}"
            rf"{_NUM}{_AP}[个名位]?"
            rf"(?P<noun>{alternation(lex['occupation_nouns'])})"
        ),
        "settled_families": re.compile(
            rf"(?:{speakers}){_PLACE_FILLER}(?:{alternation(lex['settlements'])}){_AFTER_PLACE}{NOT_INSIDE}"
            rf"{_NUM}{_AP}(?P<noun>户人家|户|家)(?!{_NOT_FAMILIES})"
        ),
        "people": re.compile(
            rf"{NOT_INSIDE}{_NUM}{_AP}(?P<cl>[个名位号])?"
            r"(?P<noun>" + "|".join(re.escape(n) for n in nouns) + ")"
        ),
        "leading": re.compile(
            r"(?P<noun>" + "|".join(re.escape(n) for n in leading) + ")"
            rf"(?:一共|总共|共计|合计|共)?(?:有|是)?{NOT_INSIDE}{_NUM}"
            rf"{_AP}(?:名|个|位|号人|人)(?!{_DURATION_AFTER})"
        ),
        "families": re.compile(
            "(?:"
            + "|".join(re.escape(p) for p in prefixes)
            + rf"){NOT_INSIDE}{_NUM}{_AP}(?P<noun>家|户)(?!{_NOT_FAMILIES})"
        ),
        # 额们三个 / 咱们五个人 / 俺们四口人: the speaker's group counted with no other noun
        "we_count": re.compile(
            rf"(?:{alternation([w for w in lex['group_speakers'] if len(w) > 1])})"
            rf"(?:一共|总共|就|只有|是)?{NOT_INSIDE}{_NUM}{_AP}(?P<cl>个人|个|口人|人|口)"
        ),
        "phrases": re.compile("|".join(re.escape(p) for p, _ in phrases)),
        "phrase_values": dict(phrases),
    }


def _magnitude(num_text: str) -> int:
    """Place value of the last significant unit, for 多/几 bounds: 十几 -> 1, 二十多 -> 10, 一百多 -> 100."""
    value = parse_number(num_text) or 0
    for unit in (100_000_000, 10_000, 1000, 100, 10):
        if value >= unit and value % unit == 0:
            return unit
    return 1


def _bounds(value: int, num_text: str) -> tuple[int, int]:
    mag = _magnitude(num_text)
    if value == 10 and num_text in ("十", "拾"):
        return 11, 19
    return value + 1, value + mag - 1 if mag > 1 else value + 9


def _count(num_text: str, approximate: bool) -> tuple[int, bool, dict[str, Any]] | None:
    """(lower-bound value, approximate, extra) of a count numeral such as 12, 十几, 七八, 三十来."""
    extra: dict[str, Any] = {}
    if num_text in _ROUGH_HUNDREDS:  # 百十来户, 上百人
        return 100, True, {"min": 100, "max": _ROUGH_HUNDREDS[num_text]}
    ranged = _RANGE.fullmatch(num_text) or parse_number(num_text) is None
    spread = number_range(num_text) if ranged else None
    if spread is not None:  # 七八个人, 二三十个, 十五六个
        low, high = spread
        extra.update({"min": int(low), "max": int(high)})
        return int(low), True, extra
    parsed = parse_number(num_text)
    if parsed is None or parsed != int(parsed):
        return None
    value = int(parsed)
    if approximate:
        lo, hi = _bounds(value, num_text)
        extra.update({"min": lo, "max": hi})
    return value, approximate, extra


def _companions(s: str, original: str) -> list[Fact]:
    facts: list[Fact] = []
    for m in _COMPANION.finditer(s):
        n, cl, end = m.group("n"), m.group("cl"), m.end()
        if not cl and n not in "俩仨":
            continue  # 我和我哥三亩地: a bare 三 counts something else
        if cl in (None, "个") and not _GROUP_FOLLOWER.match(s, end):
            continue  # 我和老公两个孩子, 我跟他两个月: the number counts what follows
        if re.match(_DURATION_AFTER, s[end : end + 2]):
            continue
        value = CN_DIGITS[n]
        facts.append(Fact("headcount", value, m.start(), end, original[m.start() : end]))
    return facts


def _alone(s: str, original: str) -> list[Fact]:
    """A headcount of 1: one household (我一家, 就我家, 一户) or the citizen alone in English (just me)."""
    facts: list[Fact] = []
    for m in _ONE_HOUSEHOLD.finditer(s):
        if "一户" in m.group() and not re.search(r"[就只仅有我俺咱]", m.group()):
            continue  # a bare 一户 in a story (一户一宅): only as the whole answer, below
        facts.append(
            Fact("headcount", 1, m.start(), m.end(), original[m.start() : m.end()], extra={"unit": "户"})
        )
    if not facts and _ONE_HOUSEHOLD_ALONE.fullmatch(s):
        span = s.strip()
        start = s.index(span)
        end = start + len(span)
        facts.append(Fact("headcount", 1, start, end, original[start:end], extra={"unit": "户"}))
    english = _JUST_ME.search(s) or _MYSELF_ALONE.fullmatch(s)
    if english:
        facts.append(
            Fact("headcount", 1, english.start(), english.end(), original[english.start() : english.end()])
        )
    return facts


def _we_counted(s: str, original: str, rx: re.Pattern[str]) -> list[Fact]:
    """额们三个 / 我们五个人都没拿到: the speaker's group of N (not 我们三个月, 我们三个孩子)."""
    facts: list[Fact] = []
    for m in rx.finditer(s):
        end = m.end()
        if re.match(_DURATION_AFTER, s[end : end + 2]) or not _GROUP_FOLLOWER.match(s, end):
            continue
        got = _count(m.group("num"), bool(m.group("ap")))
        if got is None or not 2 <= got[0] <= 100_000:
            continue
        value, approximate, extra = got
        start = m.start()
        facts.append(
            Fact("headcount", value, start, end, original[start:end], approximate=approximate, extra=extra)
        )
    return facts


def extract_headcounts(s: str, original: str) -> list[Fact]:
    """Number of people (or families) affected: 我们十五个人, 十几个工友, 我和我老婆, 我们三家."""
    t = _tables()
    facts = _companions(s, original)

    def free(start: int, end: int) -> bool:
        return not span_overlaps(start, end, facts)

    for m in _HOUSEHOLD.finditer(s):
        got = _count(m.group("num"), False)
        if got and got[0] >= 2 and free(m.start(), m.end()):
            facts.append(Fact("headcount", got[0], m.start(), m.end(), original[m.start() : m.end()]))
    for m in _WITH_OTHERS.finditer(s):
        others = parse_number(m.group("n"))
        if others and free(m.start(), m.end()):
            facts.append(
                Fact("headcount", int(others) + 1, m.start(), m.end(), original[m.start() : m.end()])
            )
    for m in _WITH_KIN.finditer(s):
        if free(m.start(), m.end()):
            facts.append(Fact("headcount", 2, m.start(), m.end(), original[m.start() : m.end()]))
    for m in t["phrases"].finditer(s):
        if re.match(r"(?:月|小时|星期|礼拜|钟头|多月|半月|工作日)", s[m.end() : m.end() + 3]):
            continue  # 我们三个月 is a duration, not three people
        if _PAIR_PHRASE.match(m.group()) and not _GROUP_FOLLOWER.match(s, m.end()):
            continue  # 我跟我老公吵架: the two are not counted together
        if free(m.start(), m.end()):
            value = t["phrase_values"][m.group()]
            facts.append(Fact("headcount", value, m.start(), m.end(), original[m.start() : m.end()]))
    facts.extend(f for f in _alone(s, original) if free(f.start, f.end))
    facts.extend(f for f in _we_counted(s, original, t["we_count"]) if free(f.start, f.end))
    patterns = [
        (t["workforce"], None),
        (t["settled_families"], "family"),
        (t["people"], None),
        (t["leading"], None),
        (t["families"], "family"),
    ]
    for rx, unit_kind in patterns:
        for m in rx.finditer(s):
            start = m.start("noun") if rx is t["leading"] else m.start("num")
            end = m.end()
            if m.start("num") > 0 and (s[m.start("num") - 1].isdigit() or s[m.start("num") - 1] in "每第"):
                continue
            if not free(start, end):
                continue
            noun = m.group("noun")
            got = _count(m.group("num"), bool(m.group("ap")))
            if got is None:
                continue
            value, approximate, extra = got
            if value < 2 or value > 100_000:
                continue  # 一个人 is 'each person'; absurd values are noise
            if noun in _KIN_NOUNS and not m.groupdict().get("cl") and re.search(r"[千仟万]", m.group("num")):
                continue  # 那五万大哥不给: a sum, then the brother who keeps it
            if unit_kind == "family" or noun in ("户", "户人家", "家"):
                extra["unit"] = "家" if noun == "家" else "户"
            facts.append(
                Fact(
                    "headcount", value, start, end, original[start:end], approximate=approximate, extra=extra
                )
            )
    bare = _BARE_COUNT.match(s)
    rough = bare and (
        bare.group("ap") or number_range(bare.group("num")) or bare.group("num") in _ROUGH_HUNDREDS
    )
    if not facts and bare and rough:
        got = _count(bare.group("num"), True)
        if got and 2 <= got[0] <= 100_000:
            start, end = bare.start("num"), bare.end()
            facts.append(
                Fact("headcount", got[0], start, end, original[start:end], approximate=True, extra=got[2])
            )
    return facts


# Shared with the headcount ledger (head_ledger.py), which reads the same numerals and kin words.
COUNT_NUM = _NUM
COUNT_APPROX = _AP
KIN = _KIN
DURATION_AFTER = _DURATION_AFTER
count_value = _count
