"""Money amounts (a ticket's amount_yuan), found with regexes over the normalised text.

The lexicon decides which measure words make a number *not* money (三个月, 3号楼, 52岁); headcounts
live in headcount.py, which shares the numeral pattern defined here.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .lexicon import alternation, lexicon, surname_sets
from .model import Fact
from .numbers import BIG_UNITS, SMALL_UNITS, number_range, parse_number, to_number

_CN_DIGIT = "一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
# Quantifiers are bounded and matches may not start inside a numeral run, so a 5,000-character run of
# digits or 十十十… costs linear time instead of re-scanning the run from every position.
_ARABIC = r"\d{1,16}(?:,\d{3}){0,5}(?:\.\d{1,6})?"
_CN_SEQ = rf"[零{_CN_DIGIT}]{{1,12}}"
_UNIT = r"(?:[十拾百佰千仟万亿]|(?<=\d)[wWkK](?![a-zA-Z]))"
NOT_INSIDE = rf"(?<![\d.,零{_CN_DIGIT}十拾百佰千仟万亿wWkK])"
# A numeral: digits then optional unit(+digits) groups, so 6万8 and 三万五 match but 4500一个月 stops at 4500.
NUM_BODY = (
    rf"(?:{_ARABIC}|[{_CN_DIGIT}][零{_CN_DIGIT}]{{0,12}}|[十拾](?:{_CN_SEQ})?)"
    rf"(?:{_UNIT}(?:{_ARABIC}|{_CN_SEQ})?){{0,8}}"
)
_APPROX_MARK = "多来余几"
_UNIT_CHARS = "十拾百佰千仟万亿"
SENTENCE_BREAK = re.compile(r"[。！？!?;；\n]")
_CURRENCY_SUFFIX = re.compile(r"\s?(?:块钱|元钱|元整|元|圆|块|蚊|rmb|RMB|yuan|Yuan|人民币|¥)(?:整)?")
_CURRENCY_PREFIX = re.compile(r"(?:[￥¥$]|人民币|rmb|RMB)\s?$")
# 块 as a measure word (一块地, 两块砖) is not money.
_KUAI_NOT_MONEY = re.compile(r"块(?:地|田|砖|石|木|板|玻璃|牌|肉|布|表|蛋糕|空地|区域)")
# 瓷砖都掉了两块: a bare X块 under ten after a thing named, with no money word, counts pieces
_BARE_KUAI = re.compile(r"\s?块(?!钱)")
_SMALL_KUAI = 10
_BROKEN_BEFORE = re.compile(
    r"(?:掉|碎|裂|坏|摔|磕|崩|脱落|烂|塌|翘|鼓|松)(?:了|咗|下来|下来了|掉了?)?(?:有)?$"
)
# 第一次2000 第二次3500 / 第一期交了3000: a bare figure after an ordinal of times or instalments is a sum
_ORDINAL_LEAD = re.compile(
    r"第[一二两三四五六七八九十\d]{1,3}[次回笔批期趟](?:[\u4e00-\u9fff]{1,2}[了过咗])?\s?$"
)
_PER_AFTER = {
    "month": re.compile(r"^(?:\s?/\s?月|一个月|每月|每个月|/月)"),
    "day": re.compile(r"^(?:\s?/\s?天|一天|每天)"),
    "year": re.compile(r"^(?:\s?/\s?年|一年|每年)"),
}
# Hedges around a sum that keep its value but mark it approximate (三万出头, 两万左右, 大概五十万).
_HEDGE_AFTER = re.compile(r"(?:左右|上下|出头|挂零|多点儿?|不到)")
_HEDGE_BEFORE = re.compile(
    r"(?:大概|大约|大致|约莫|约摸|约|差不多|将近|接近|估计|估摸|少说|起码|至少|快)(?:有|是|要)?$"
)
# 2021年 / 2021到2023(三年) / 2021、2022两年 / 2021那年: a year, never a sum (借了2000两年 stays one) (2021块 / 2021元 stay sums).
_YEAR_NUM = re.compile(r"(?:19[5-9]\d|20\d\d)")
_YEAR_RANGE_AFTER = re.compile(r"\s?(?:到|至|-|~|、|和|及)\s?(?:19[5-9]\d|20\d\d)(?!\d)")
_YEAR_RANGE_BEFORE = re.compile(r"(?:19[5-9]\d|20\d\d)\s?(?:到|至|-|~|、|和|及)\s?$")
_YEAR_WORD_AFTER = re.compile(
    r"\s?(?:到|至|-|~|、|和|及)\s?(?:19[5-9]\d|20\d\d)\s?[一二两三四五六七八九十\d]{0,2}个?年|\s?(?:那|这)一?年"
)
# 加一块 / 一块儿去 / 凑一块 / 一块商量: 一块 means "together", not one yuan.
_TOGETHER_BEFORE = re.compile(r"[加在到放凑住干算合拼搁堆挤混]$")
_TOGETHER_AFTER = re.compile(r"块(?:儿|去|来|干|住|吃|做|走|商量|玩|过|搞|凑|弄|打|找|说)")
# Unit prices: 一只按七十算, 每斤五块, 七十块一只, 70元/只 (marked per "unit", never the total).
_UNIT_MEASURE = r"(?:只|斤|公斤|头|件|箱|袋|吨|棵|株|瓶|盒|车|方|套|台|亩|桶|筐|包)"
_UNIT_BEFORE = re.compile(rf"(?:[一每]{_UNIT_MEASURE}|单价)(?:按|是|要|卖|收|算|给|得|就)?\s?$")
_UNIT_AFTER = re.compile(rf"\s?(?:/\s?|一|每){_UNIT_MEASURE}")
_BY_PRICE = re.compile(r"按\s?$")
# 一只鸡一百块，六只六百 / 一袋化肥一百二，八袋: one piece of a named thing, then its price, is a unit
# price when a count of the same measure follows in the sentence.
_ONE_OF_BEFORE = re.compile(
    rf"[一每](?P<m>{_UNIT_MEASURE})[\u4e00-\u9fff]{{1,3}}(?:按|是|要|卖|收|算|得|就)?\s?$"
)
# 张老三八万 / 小五两千 / 第三八万: the digit after 老/小/第 names a person or an order (小两万 is "almost").
_NICKNAME_DIGIT = re.compile(rf"[{_CN_DIGIT}](?=[{_CN_DIGIT}])")
# 三八万: a run of digits before a unit is not read digit by digit; only its last digit counts.
_DIGIT_RUN = re.compile(rf"[{_CN_DIGIT}]{{2,}}(?=[十拾百佰千仟万亿])")
# 我住801，他们901 / 住在1102 / 房东要我搬出901: a bare number after these is a room, not a sum.
_ADDRESS_BEFORE = re.compile(
    r"(?:住|家住|家在|搬出|搬进|搬到|搬去|门牌号?|房号|房间号?|宿舍|寝室)(?:在|是|的是)?\s?$"
    r"|(?:^|[，,。；;\s])(?:(?:他们|她们|我们|俺们|咱们|阿拉|伊拉|我哋|佢哋)家?|[他她我俺咱阮]家|阿拉|伊拉)(?:是|住|系)?\s?$"
)
# 陆 is the formal six, but also 陆续 (one after another), 大陆, 着陆 and a surname
_NOT_SIX = re.compile(r"陆(?:陆?续)|(?<=[大登着内水海])陆")
# 万五 / 万八蚊左右: 一万五, 一万八 with the 一 left out, as said aloud
_WAN_SHORT = re.compile(
    rf"(?<![\d零{_CN_DIGIT}十拾百佰千仟万亿])万(?P<d>[一二三四五六七八九])"
    r"(?=\s?(?:块|元|蚊|左右|上下|多|出头|的样子))"
)
# 一蚊加班费都冇俾 / 一块钱也没给 / 连一元都不赔: "not a single yuan" says nothing was paid; it is no sum.
_NOT_A_CENT_AFTER = re.compile(r"[^，,。！？!?;；\n\d]{0,6}?[都也](?:还|再|就)?(?:冇|没|不|未|无|唔|莫|分文)")
# base 9500，total 38000 / 38000 in total: English pay and total words make a bare number money.
_EN_MONEY_BEFORE = re.compile(
    r"(?i)\b(?:in total|altogether|total|sum|base|salary|wages?|pay|rent|deposit)(?: is| of)?\s?[:：]?\s?$"
)
# …and after it ("38000 in total"); also the citizen's own total (``extract``)
EN_TOTAL_AFTER = re.compile(r"(?i)\s?(?:in total|altogether)\b")
_VAGUE = re.compile(r"(?<![\d零一二两三四五六七八九十百千万])(好)?几(十|百|千)?(万|千|百)(多)?(块钱|块|元)?")


@functools.lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    lex = lexicon()
    units = sorted(lex["non_money_units"], key=len, reverse=True)
    rates = {per: sorted(words, key=len, reverse=True) for per, words in lex["rate_words"].items()}
    return {
        "amount": re.compile(rf"{NOT_INSIDE}(?P<num>{NUM_BODY})"),
        # 挪二十公分 / 三百度电, never 三万里面有两万 (lexicon non_money_unit_lookalikes)
        "non_money": re.compile(
            rf"^(?!{alternation(lex.get('non_money_unit_lookalikes', [])) or '(?!)'})"
            "(?:" + "|".join(re.escape(u) for u in units) + ")"
        ),
        "money_context": [w for w in lex["money_context"]],
        "rates": rates,
    }


def _clause_before(s: str, pos: int, width: int) -> str:
    window = s[max(0, pos - width) : pos]
    parts = SENTENCE_BREAK.split(window)
    return parts[-1]


# 一个月前借的 / 一年后: a time ago or ahead, not a rate word.
_TIME_AGO = re.compile(r"(?:以|之)?[前后]|以内|之内|内|以来")
# 拖了一年多才还了一万五 / 等了一个月 / 一年半: 一年 here is how long something took, not a rate word.
_DURATION_AFTER = re.compile(r"[多来半]")
_DURATION_BEFORE = re.compile(r"[了过]$")
# 最后一个月工资四千五 / 头一个月的 / 有一天的: one period named, its pay a sum, not a rate.
ONE_PERIOD_BEFORE = re.compile(
    r"(?:最后|最近|其中|头|第[一二三四五六七八九十\d]?|有|剩下|那|这|上)(?:一个|一|个)?$"
)
_PERIODIC_EACH = re.compile(r"每个?(?P<unit>月|天|日|年)")
_PAY_VERB_BEFORE = re.compile(
    r"(?:扣|交|缴|付|发|给|收|挣|赚|拿|开|罚|还|贴|补)(?:了|掉|走|去|我|他)?[^\d，,那这]{0,3}$"
)


def _rate(s: str, start: int, end: int) -> str | None:
    """'month' for 一个月4500 / 3500元/月 etc.; None when the sum is not a rate."""
    after = s[end : end + 5]
    for per, rx in _PER_AFTER.items():
        if rx.search(after):
            return per
    before = _clause_before(s, start, 8).split("，")[-1].split(",")[-1]
    for per, words in _tables()["rates"].items():
        for w in words:
            idx = before.rfind(w)
            at = start - len(before) + idx  # where the word starts in s
            if (
                idx >= 0
                and len(before) - idx - len(w) <= 4
                and not _TIME_AGO.match(before, idx + len(w))
                and not (
                    w.startswith("一")
                    and (_DURATION_AFTER.match(before, idx + len(w)) or _DURATION_BEFORE.search(s, 0, at))
                )
                and not ONE_PERIOD_BEFORE.search(before, 0, idx)
                and not (w.startswith("月") and before[idx - 1 : idx] == "个")  # 三个月薪水两万: the total
            ):
                return str(per)
    # 每个月工资里都扣社保四百八: a distributive 每 period opening the clause, and a verb of paying or
    # taking right before the sum (not 每天都去要那五千: a definite sum asked for)
    clause = _clause_before(s, start, 16).split("，")[-1].split(",")[-1]
    periodic = _PERIODIC_EACH.search(clause)
    if periodic and _PAY_VERB_BEFORE.search(clause, periodic.end()):
        return {"月": "month", "天": "day", "日": "day", "年": "year"}[periodic.group("unit")]
    # 押二付一，房租2300: a rent said with rental terms is paid by the month
    if _rent_before().search(clause) and any(rx.search(s) for rx in rental_terms()):
        return "month"
    return None


_TERM_MONTHS = r"[一二两三四五六\d]"


@functools.lru_cache(maxsize=1)
def _rent_before() -> re.Pattern[str]:
    nouns = alternation(lexicon()["rental_terms"]["rent_nouns"])
    return re.compile(rf"(?:{nouns})(?:是|要|都是|就是)?\s?$")


@functools.lru_cache(maxsize=1)
def rental_terms() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Rental terms (lexicon ``rental_terms``), each with the deposit's months as group ``num``: 押二付一
    (the deposit word first), 两按一上 (the months first)."""
    words = lexicon()["rental_terms"]
    first, pay_first = alternation(words["deposit_first"]), alternation(words["pay_first"])
    after, pay_after = alternation(words["deposit_after"]), alternation(words["pay_after"])
    return (
        re.compile(rf"(?:{first})(?P<num>{_TERM_MONTHS})(?=(?:{pay_first}){_TERM_MONTHS})"),
        re.compile(
            rf"(?<![\d一二两三四五六七八九十])(?P<num>{_TERM_MONTHS})(?=(?:{after}){_TERM_MONTHS}(?:{pay_after}))"
        ),
    )


def _is_year(s: str, start: int, num_text: str) -> bool:
    """2021到2023 / 2021、2022两年 / 2019至2022: a bare four-digit year, never a sum."""
    if not _YEAR_NUM.fullmatch(num_text):
        return False
    end = start + len(num_text)
    after = _YEAR_RANGE_AFTER.match(s, end)
    if after and not _CURRENCY_SUFFIX.match(s, after.end()):
        return True
    return bool(_YEAR_RANGE_BEFORE.search(s[max(0, start - 6) : start]) or _YEAR_WORD_AFTER.match(s, end))


def _is_together_or_one(s: str, start: int, num_text: str, value: float, rest: str, prefixed: bool) -> bool:
    """加一块 / 一块儿 mean together; a bare 一块 (no 钱/元) is too rarely one yuan to keep."""
    if num_text not in ("一", "1") or not rest.startswith("块") or prefixed:
        return False
    if rest.startswith(("块钱", "块人民币")):
        return False
    together = _TOGETHER_BEFORE.search(s[max(0, start - 1) : start]) or _TOGETHER_AFTER.match(rest)
    return bool(together) or value == 1


def _unit_price(s: str, start: int, pos: int, currency: bool) -> str | None:
    """'unit' for 一只按七十算 / 每斤五块 / 七十块一只 / 按七十算: a price per piece, not a total."""
    before = _clause_before(s, start, 8).split("，")[-1].split(",")[-1]
    if _UNIT_BEFORE.search(before) or (currency and _UNIT_AFTER.match(s, pos)):
        return "unit"
    if _BY_PRICE.search(s[max(0, start - 2) : start]) and s[pos : pos + 1] == "算":
        return "unit"
    one = _ONE_OF_BEFORE.search(before)
    if one:
        sentence = SENTENCE_BREAK.split(s[pos : pos + 40])[0]
        if re.search(rf"[\d两二三四五六七八九十百千几]{re.escape(one.group('m'))}", sentence):
            return "unit"
    return None


def _after_unit_price(s: str, start: int, facts: list[Fact]) -> bool:
    """一只按七十算，七百七: a bare number in the sentence of a unit price is the total it leads to."""
    for f in reversed(facts):
        if f.extra.get("per") == "unit" and not SENTENCE_BREAK.search(s[f.end : start]):
            return True
    return False


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# What may follow a numeral's last digit: more numeral, its units, money and hedge words.
# Words that follow a whole sum, never a word starting with 一 (一直, 一共): 两万一不给 is 21000.
_AFTER_A_SUM = set("不没都也还就了的给呢啊吧嘛呀哦到")
_NUMBER_FOLLOWERS = set("零一二两三四五六七八九十拾百佰千仟万亿块元钱多来余左右整")


def _names_its_first_digit(s: str, start: int, num_text: str) -> bool:
    """张老三八万 / 小五两千 / 第三八万: the first digit belongs to a nickname or an ordinal; before a
    range (养老二三十万) only when a surname shows the nickname (张老三四万)."""
    if start == 0 or s[start - 1] not in "老小第" or not _NICKNAME_DIGIT.match(num_text):
        return False
    if s[start - 1] == "第" or number_range(num_text) is None:
        return True
    return start > 1 and s[start - 2] in surname_sets()[0]


def _numeral_value(text: str) -> float | None:
    """parse_number, or the lower bound of a digit range such as 五六万 / 七八千."""
    value = parse_number(text)
    if value is None:
        spread = number_range(text)
        return spread[0] if spread else None
    return value


def extract_amounts(s: str, original: str) -> list[Fact]:
    """Money sums in yuan; ``s`` is the normalised text, ``original`` supplies the fact text."""
    t = _tables()
    facts: list[Fact] = []
    last_end = 0
    for m in t["amount"].finditer(s):
        start, end = m.span()
        num_text = m.group("num")
        if start < last_end or (num_text[:1] == "陆" and _NOT_SIX.match(s, start)):
            continue
        if s[max(0, start - 3) : start] == "百分之" or s[end : end + 1] in ("%", "％"):
            continue  # 百分之十几的电, 30%: a share, not a sum
        if _names_its_first_digit(s, start, num_text):
            start, num_text = start + 1, num_text[1:]
        run = _DIGIT_RUN.match(num_text)
        if run and number_range(num_text) is None:
            start, num_text = start + run.end() - 1, num_text[run.end() - 1 :]
        # 一万六一直拖着: the numeral ran into 一直; back off to the longest prefix that parses.
        while len(num_text) > 1 and _numeral_value(num_text) is None:
            num_text = num_text[:-1]
            end -= 1
        # 1.5w一直拖着, 三万一共: a 一 right after the unit that starts a word (一直, 一共, 一起) is
        # no abbreviated digit (三万一 = 31000 only when the numeral ends there)
        if (
            len(num_text) > 1
            and num_text.endswith("一")
            and num_text[-2] in "千仟万亿wWkK"
            and end < len(s)
            and _CJK_CHAR.match(s[end])
            and s[end] not in _NUMBER_FOLLOWERS
            and s[end] not in _AFTER_A_SUM  # 两万一不给报, 三万一都没还: the numeral ended there
        ):
            num_text, end = num_text[:-1], end - 1
        if start > 0 and (
            s[start - 1].isdigit()
            or s[start - 1] in "第.#几"
            or (s[start - 1] == "好" and num_text[:1] in "几多")  # 好几万, but 说好2.5w is a sum
            or s[start - 1].isascii()
            and s[start - 1].isalpha()
        ):
            continue
        pos = end
        approximate = False
        unit_mult = 1.0
        rest = s[pos : pos + 12]
        # 八百一个月: the trailing 一 starts the period (800 a month), it does not abbreviate 810.
        if (
            num_text.endswith("一")
            and len(num_text) > 1
            and num_text[-2] in _UNIT_CHARS
            and t["non_money"].match(rest)
            and any(rx.match(s[end - 1 : end + 4]) for rx in _PER_AFTER.values())
        ):
            num_text, end = num_text[:-1], end - 1
            pos, rest = end, s[end : end + 12]
        # 二十多万 / 十来万 / 十几万: marker between the numeral and a big unit.
        mm = re.match(r"([多来余几])([十百千万亿])", rest)
        if mm:
            approximate = True  # 十来万 is about 100000: the lower bound, like 二十多万
            unit_mult = float(SMALL_UNITS.get(mm.group(2)) or BIG_UNITS[mm.group(2)])
            pos += 2
            rest = s[pos : pos + 12]
            if rest[:1] and rest[:1] in _APPROX_MARK:
                pos += 1
                rest = s[pos : pos + 12]
        elif rest[:1] and rest[:1] in _APPROX_MARK:
            approximate = True
            pos += 1
            rest = s[pos : pos + 12]
        if (
            (t["non_money"].match(rest) and not rest.startswith(("回来", "回去")))  # 给了三万回来
            or rest[:1] in ("分", "毛", "角")
            or (rest[:1].isascii() and rest[:1].isalpha() and not re.match(r"(?i)\s?(?:yuan|rmb)", rest))
        ):
            continue
        value = _numeral_value(num_text)
        if value is None:
            continue
        spread = number_range(num_text) if parse_number(num_text) is None else None
        if spread:  # 五六万: the lower bound, approximate, with the range kept
            approximate = True
        value *= unit_mult
        # 2块5 / 一块五: yuan and jiao.
        km = re.match(r"块([一二三四五六七八九\d])(?![\d十百千万元块钱多])", rest)
        if km and (t["non_money"].match(rest[2:]) or _UNIT_AFTER.match(rest[1:]) or value >= 100):
            km = None  # 七十块一只: the 一 starts the unit; 三千块一分不退: no jiao after hundreds
        currency = False
        if km:
            value += (parse_number(km.group(1)) or 0) / 10
            pos += 2
            currency = True
        else:
            cm = _CURRENCY_SUFFIX.match(rest)
            if cm and not _KUAI_NOT_MONEY.match(rest.lstrip()):
                currency = True
                pos += cm.end()
        prefixed = _CURRENCY_PREFIX.search(s[max(0, start - 4) : start]) is not None
        currency = currency or prefixed
        if currency and value == 1 and num_text in ("一", "1", "壹") and _NOT_A_CENT_AFTER.match(s, pos):
            continue
        if not km and _is_together_or_one(s, start, num_text, value, rest, prefixed):
            continue
        if not currency and _is_year(s, start, num_text):
            continue
        hedge = _HEDGE_AFTER.match(s, pos)
        if hedge or _HEDGE_BEFORE.search(_clause_before(s, start, 4)):
            approximate = True
            if hedge:
                pos = hedge.end()
        digits = re.sub(r"\D", "", num_text)
        has_cn_unit = any(ch in num_text for ch in "万亿千仟wWkK") or unit_mult > 1
        per = _rate(s, start, pos) or _unit_price(s, start, pos, currency)
        if currency and not (km or prefixed or per) and value < _SMALL_KUAI and _BARE_KUAI.match(rest):
            context = re.split(r"[，,]", _clause_before(s, start, 10))[-1]
            money = any(w in context for w in t["money_context"])
            if _BROKEN_BEFORE.search(context) or (_CJK_CHAR.search(context) and not money):
                continue  # 瓷砖都掉了两块 / 天花板掉了三块: pieces, not yuan
        if not currency:
            if start > 0 and s[start - 1] in "楼室栋幢层号元":
                continue  # 2单元301, 5号楼 302: addresses
            if not has_cn_unit and _ADDRESS_BEFORE.search(s, max(0, start - 6), start):
                continue
            if len(digits) >= 7:
                continue  # order numbers, QQ numbers, phone fragments
            if len(num_text) == 1 and num_text in _CN_DIGIT:
                continue  # a lone 一/两 is rarely a sum
            context = _clause_before(s, start, 10)
            # With 千/万 and no measure word after it (checked above) a number is a sum in these
            # conversations (五千多, 两万); smaller bare numbers need money words nearby.
            if (
                not has_cn_unit
                and not per
                and not any(w in context for w in t["money_context"])
                and not _EN_MONEY_BEFORE.search(context)
                and not EN_TOTAL_AFTER.match(s, pos)
                and not _after_unit_price(s, start, facts)
                and not _ORDINAL_LEAD.search(context)
            ):
                continue
            if per == "person" and not any(w in context for w in t["money_context"]) and not has_cn_unit:
                continue
        fact_value = to_number(value)
        extra: dict[str, Any] = {}
        if spread:
            extra.update({"min": to_number(spread[0] * unit_mult), "max": to_number(spread[1] * unit_mult)})
        if per:
            extra["per"] = per
        facts.append(
            Fact("amount", fact_value, start, pos, original[start:pos], approximate=approximate, extra=extra)
        )
        last_end = pos
    for m in _WAN_SHORT.finditer(s):
        if not any(f.start <= m.start() < f.end for f in facts):
            hedged = _HEDGE_AFTER.match(s, m.end() + (1 if s[m.end() : m.end() + 1] in "块元蚊" else 0))
            end = hedged.end() if hedged else m.end()
            value = to_number(10000 + 1000 * (parse_number(m.group("d")) or 0))
            facts.append(
                Fact("amount", value, m.start(), end, original[m.start() : end], approximate=bool(hedged))
            )
    for m in _VAGUE.finditer(s):
        start, end = m.span()
        if any(f.start <= start < f.end for f in facts):
            continue
        facts.append(Fact("amount", None, start, end, original[start:end], approximate=True))
    return facts


@functools.lru_cache(maxsize=1)
def other_side() -> re.Pattern[str]:
    """Words naming the other side (对方, 保险, 公司, 老板 …): who advanced money that counts as paid."""
    kinds = lexicon()["counterparty"].values()
    words = {w for kind in kinds for key in ("terms", "needs_verb") for w in kind.get(key, [])}
    return re.compile(alternation(words | {"他", "她", "对方", "人家", "保险", "厂", "司机", "车主"}))
