"""Read a citizen's answer to one question into a fact value, or say kindly what was wrong.

Entities from the NLU pipeline (bot/facts) carry normalised values; this module decides
which of them answers the question and what a skip or a bad answer means.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from bot.facts.claims import CLAIMED, GIVEN, NOT_OWN, STILL_OWED_WORDS
from bot.facts.contact import spelling_spans, without_spellings
from bot.facts.extract import BELITTLED, MAIN_GROUP, STATED_TOTAL
from bot.facts.lexicon import alternation, lexicon, surname_sets
from bot.facts.rules import corrected_name
from bot.facts.self_corrections import SUPERSEDED, correction_ends, figure_meant, leading_figure
from bot.facts.textnorm import normalise
from bot.intake.schema import FactSpec, skip_words, unknown_marker

AFFIRM_WORDS = ("是", "有", "签了", "签过", "对", "嗯", "好的", "同意", "可以", "行", "中", "要得", "ok", "yes")  # fmt: skip
DENY_WORDS = ("没", "无", "否", "不是", "不同意", "不要", "算了", "no")
NONE_WORDS = ("没有", "都没有", "没得", "木有", "啥也没有", "什么都没有", "无")
_DIGITS = re.compile(r"\d+")
_COUNT_HEDGE = re.compile(r"^(?:大概|大约|差不多|一共|总共|得有|有)|(?:吧|左右|上下|啊|呢)$")
_CLAUSE = re.compile(r"[，,。.；;、！!？?\s]+")
# "就我", "只有俺", "我一人": the citizen alone
_ALONE = re.compile(
    r"(?:就|只有|只|就是|光)?(?:我|俺|咱|额|偶|本人)(?:自己|自个儿?|自各儿|一人|一个)?(?:人)?(?:啊|呀|吧|了|呗|嘛)?[。.!！~～]*"
)
# "我自己一个", "就我自个儿", "就俺自己": the citizen on their own, said anywhere in the answer
_BY_ONESELF = re.compile(r"(?:就|只有)?(?:我|俺|咱|额|偶)?(?:一个人|自己|自个儿?|自各儿|我一个|本人)")
# A citizen correcting themselves: "方志钢，打错了，是方志刚"; "四万，喔不对，是四万二", "五万块钱，不对，
# 是六万，我记岔了", "彭建华……搞错哒，系彭建桦" (also lexicon.yml's self_correction_cues): the value after
# the last such cue is meant
_SAID_AGAIN = re.compile(r"^(?:应该是|應該是|应该叫|是|系|叫)")
_CORRECTION = re.compile(
    r"打错|写错|说错|算错|说岔|记错|记岔|不对|不對|错了|錯了|应该是|應該是|更正|准确地?说|确切地?说|口误|纠正一下"
    r"|(?:说|记|写|搞|弄|打)(?:反|倒)了"
    r"|(?:哦|噢|喔|啊|呃|嗯)?(?:不是|唔系|唔係)[，,。…\s]|(?:哦|噢|喔|呃|哎|唉)不不?(?=[，,。…\s！!])"
    rf"|{alternation(lexicon().get('self_correction_cues', []))}"
)
# "老板垫了五千块就不管了", "已经还了一万", "老板只给了两千块": money already paid is not the sum in
# dispute; nor is a level of pay or price ("工资从六千五降到三千")
_AMOUNT_PAID = re.compile(
    r"(?:垫|垫了|垫付了?|先垫了?|已经?还了?|还了|退了|(?:只|才|就|先)(?:给|付|发|赔|打)了?|(?:只|才|就|先)?(?:俾|畀)咗"
    r"|(?:头一回|头回|第一回|第一次|之前|起先|当时)(?:给|付|赔|打)了"
    r"|(?:老板|对方|公司|厂里|单位|包工头|他|她|他们)(?:已经|先)?(?:给|付|发|赔)了"
    r"|预支过?了?|预领过?了?|借支过?了?"
    r"|从|(?:降|减|调|涨|变|砍|提)(?:到|成|为))\S{0,2}$"
)
# "只愿意出两千…修好得八千多", "拿了一万块…得有四万来块": what the other side paid or offered is not the
# sum when another is said to be needed, owed or claimed
_AMOUNT_OFFERED = re.compile(
    r"(?:拿了|给了|赔了|出了|付了|撂下|留下|扔下|丢下|只认|(?:只|就|才)?(?:愿意|肯|答应)(?:出|给|赔|付|拿)?)\S{0,2}$"
)
_AMOUNT_CLAIMED = re.compile(r"(?:得|要|需要|该赔|应该|应当|算下来|一共|总共|至少|少说)\S{0,3}$")
# "……是一万零四百": after a self-correction the sum introduced by 是 is the one meant
_SAID_IS = re.compile(r"(?:是|为|应该是)\s?$")
# "我们自己垫了两万三", "我先垫付了八千": the citizen's own money paid out is the sum, not an advance
# the other side made
_CITIZEN_PAID = re.compile(
    r"(?<![他她它])(?:我|俺|咱|额|自己|自个儿?)们?(?:自己|屋里|家里)?(?:先|都|已经)?(?:垫|垫付|垫上)了?\S{0,2}$"
    r"|(?:替|帮|代)(?:他|她|他们)(?:还|垫|付|交|偿还)了?\S{0,2}$"  # 我替他还了三万: paid on his behalf
)
# "厂里那五千不算在里面", "不包括那五千": a sum the citizen leaves out of the one in dispute
# (not 五千不算多: "is not much"); before the sum, a named one (不算押金那两千, 不包括他给的五千)
_EXCLUDED_AFTER = re.compile(
    r"^(?:块钱|块|元)?[^\s，,。；;！!？?]{0,2}?"
    r"(?:不算(?![多少大小高低贵什啥])|不包括|不包含|不含|不计|另算|另外算|单算|除外|不在里面|不在内)"
)
_EXCLUDED_BEFORE = re.compile(
    r"(?:不算|不包括|不包含|不含|不计|除开|刨去|刨除|去掉)[^，,。；;]{0,6}(?:那|这|的)(?:个|笔|些)?$"
)
# "现在找我要剩下的十二万", "还欠两万": the sum still owed is the one in dispute, even after a total
# (the extractor's words for a sum still owed, and the shortfalls an answer names: 少了, 扣了 …)
_AMOUNT_OWED = re.compile(
    rf"(?:{'|'.join(STILL_OWED_WORDS)}|少了|少算了?|差了|扣了|扣掉了?|克扣了?)"
    r"\S{0,2}$|(?<!还)差(?!不多)(?:的|了)?(?:这|那)?(?:个|笔)?$"
)
# "存款三十六万…我应该分十二万", "我那份十二万": the citizen's share claimed is the sum, like one still owed
_SHARE_CLAIMED = re.compile(
    r"(?:应该分|该分|应分|分我|分给我|我那份|我的那份|我应得|应得的?)\S{0,3}$|(?:要|分|拿|占)(?:一半|半)[，,、]?\s?$"
)


@dataclass(frozen=True)
class Answer:
    """``value`` is None when the answer could not be used; ``hint`` names the re-ask text."""

    value: Any
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


def is_skip(text: str) -> bool:
    cleaned = re.sub(r"[\s，。,.!！?？~～了啊呀吧呢哦]", "", text.lower())
    return bool(cleaned) and any(word in cleaned for word in skip_words()) and len(cleaned) <= 12


def entity_values(entities: list[dict[str, Any]], entity: str | None) -> list[dict[str, Any]]:
    if not entity:
        return []
    return [e for e in entities or [] if e.get("entity") == entity]


def format_time(value: Any, text: str) -> str:
    """A period for people: the citizen's words plus the dates they mean."""
    if isinstance(value, dict):
        if value.get("start") and value.get("end"):
            span = value["start"] if value["start"] == value["end"] else f"{value['start']}至{value['end']}"
            return f"{text}（{span}）" if text and text not in span else span
        if value.get("duration_days"):
            return f"{text}（约{value['duration_days']}天）" if text else f"约{value['duration_days']}天"
    return text or str(value)


def format_location(value: Any, text: str) -> str:
    """The place with its province and city added when the dictionary knows them, but never at the
    cost of the citizen's words: "桃园村" is not turned into 台湾省桃园市."""
    if isinstance(value, dict):
        said = str(value.get("text") or text)
        parts = [value.get(k) for k in ("province", "city", "county", "town", "detail")]
        joined = "".join(p for p in parts if p)
        return joined if joined and said in joined else said
    return str(value or text)


def read_answer(spec: FactSpec, text: str, intent: str | None, entities: list[dict[str, Any]]) -> Answer:
    """Interpret ``text`` as the answer to the question about ``spec``."""
    text = (text or "").strip()
    found = entity_values(entities, spec.entity)
    reader = _READERS.get(spec.kind, _read_text)
    if is_skip(text) and not found:
        return Answer(unknown_marker(), hint="skip")
    return reader(spec, text, intent, found)


BARE_ROLE_CHARS = 3


def _read_text(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    span = str(found[0].get("value")) if found else ""
    # the recognised span ("包工头老王") is better than the sentence around it, unless it is a bare role
    # in a longer answer ("聚福楼 原来老板姓宋 七月转给一个姓郝的了": 老板 alone loses both names)
    bare_role = len(span) <= BARE_ROLE_CHARS and len(text.strip()) > len(span) + BARE_ROLE_CHARS
    if found and not bare_role:
        return Answer(span)
    if not text or text.startswith("/") or len(text) > 300:
        return Answer(None, hint="text")
    return Answer(text)


@functools.lru_cache(maxsize=1)
def _name_said() -> re.Pattern[str]:
    """A whole answer that is a name, after 我叫/名字是… or Minnan 阮叫/阮是 (阮 = 我; 阮文杰 stays a name).
    A name never holds 我/你/他 (我老公叫李强, 叫我王姐就行 are no name)."""
    me = alternation(lexicon().get("clause_self_words", [])) or r"(?!)"
    return re.compile(
        rf"^(?:我叫|我是|本人|叫|名字(?:是|叫)?|姓名(?:是|叫)?|(?:{me})(?:叫|是))?\s*"
        rf"(?!(?:{me})姓)((?:(?![我俺咱你您他她])[\u4e00-\u9fa5·]){{2,6}})$"
    )


# a number or a Latin alias said with a name ends it as a comma would (汤佳琪 Jessica)
_ENDS_A_NAME = re.compile(r"[\d+\-]{5,}|[A-Za-z]{2,}")
_CLAUSE_TEXT = re.compile(r"[^，,。.；;、！!？?\s…]+")


_WORD_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]{2}) +(?=[\u4e00-\u9fff]{2})")


def _clause_names(text: str) -> list[tuple[int, str]]:
    """(offset, name) of each clause that is a name: "闫博文，电话158…", "电话先给你130…，名字佟立伟";
    a number or a Latin alias said with it ends the name as a comma would ("汤佳琪 Jessica"); "是杨再星"
    after a correction is the name."""
    text = _WORD_SPACE.sub(lambda m: "，" * len(m.group()), text)  # "曹丽娟 我是她女儿": two clauses
    kept = [i for i, ch in enumerate(text) if ch != " "]  # "王 建国": typed apart, one name
    joined = _ENDS_A_NAME.sub(lambda m: "，" * len(m.group()), "".join(text[i] for i in kept))
    names: list[tuple[int, str]] = []
    for clause in _CLAUSE_TEXT.finditer(joined):
        m = _name_said().match(_SAID_AGAIN.sub("", clause.group()))
        if m and _looks_like_name(m.group(1)):
            names.append((kept[clause.start()], m.group(1)))
    return names


def _entity_names(found: list[dict[str, Any]], spelled: list[tuple[int, int]]) -> list[tuple[int, str, bool]]:
    """(offset, name, surname only) of the name entities, each cut where a spelled-out character starts
    (我叫罗兰兰花的兰: 罗兰)."""
    names: list[tuple[int, str, bool]] = []
    for entity in found:
        value, start = str(entity.get("value") or ""), entity.get("start")
        if not isinstance(start, int):
            start = -1
        for a, _ in spelled:
            if start < a < start + len(value):
                value = value[: a - start]
        if value:
            names.append((start, value, bool((entity.get("extra") or {}).get("surname_only"))))
    return names


_LATIN_GLOSS = re.compile(r"[（(]\s*[A-Za-z][A-Za-z .'-]*[)）]")


def _read_name(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    """The name meant: never a spelled-out character (兰花的兰, 木子李); after a correction the last name
    said (郭秀莲，不对，是郭秀兰), else the first; a full name over a bare surname (我姓郑…郑卫东)."""
    spelled = spelling_spans(text)
    plain = without_spellings(text)
    cues = [m.end() for m in _CORRECTION.finditer(plain)]
    # "陈 浩（Chen Hao）": the name with its spelling in Latin letters after it
    bare = _LATIN_GLOSS.sub("", plain).replace(" ", "").strip("，,。.！!~～ ")
    whole = _name_said().match(bare)
    if whole and not found:
        return Answer(whole.group(1))
    said = _entity_names(found, spelled)
    full = [(start, name) for start, name, surname_only in said if not surname_only]
    clauses = _clause_names(plain)
    surnames = [name for _, name, surname_only in said if surname_only]
    if not full and surnames:  # 我姓郑，关耳郑，郑卫东: a full name with the surname said
        clauses = [(start, name) for start, name in clauses if name.startswith(surnames[0])]
    if cues and (full or clauses):  # the first name after the last cue, else the last name said
        after = [c for c in full if c[0] >= cues[-1]] or [c for c in clauses if c[0] >= cues[-1]]
        return Answer(_taken_back(plain, *(after[0] if after else max([*full, *clauses]))))
    if full or clauses:
        return Answer(_taken_back(plain, *(full or clauses)[0]))
    if surnames:
        return Answer(surnames[0])
    return Answer(None, hint="name")


def _taken_back(plain: str, offset: int, name: str) -> str:
    """王建国，不是王是汪: the name meant when the one said is taken back right after it (bot.facts.rules)."""
    at = plain.find(name, max(offset, 0))
    return corrected_name(plain, name, at) if at >= 0 else name


def _looks_like_name(word: str) -> bool:
    """Starts with a surname (bot/facts' lexicon) and is not a yes/no or skip word."""
    surnames, compound = surname_sets()
    return (word[:1] in surnames or word[:2] in compound) and 2 <= len(word) <= 4


def _read_phone(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    valid = [e for e in found if e.get("valid", True) and not (e.get("extra") or {}).get("superseded")]
    if valid:  # "137…63，不对，打错了，是137…36": the last number said is the one meant
        return Answer(str(valid[-1]["value"]))
    return Answer(None, hint="phone")


def _is_rate(entity: dict[str, Any]) -> bool:
    """每月八百, 一天三百: a rate, not the sum in dispute, unless the citizen reckons it as their total
    (一个月六百，一年就是七千二)."""
    extra = entity.get("extra") or {}
    return bool(extra.get("per")) and not extra.get(STATED_TOTAL)


def _stated_total(entity: dict[str, Any]) -> bool:
    """一共二十万, 算下来两万一, total 38000: marked by the fact extractor (bot.facts.extract)."""
    return bool((entity.get("extra") or {}).get(STATED_TOTAL))


def _denied(entity: dict[str, Any], text: str) -> bool:
    """ "是三千，不是五千": a sum the citizen says is not the one."""
    start = entity.get("start")
    return isinstance(start, int) and text[max(0, start - 3) : start].endswith(("不是", "并非", "而不是"))


def _before(entity: dict[str, Any], text: str, words: re.Pattern[str]) -> bool:
    """Whether ``words`` end right before the entity (within a few characters)."""
    start = entity.get("start")
    return isinstance(start, int) and bool(words.search(text[max(0, start - 8) : start]))


def _excluded(entity: dict[str, Any], text: str) -> bool:
    """ "厂里那五千不算在里面", "不包括那五千": a sum the citizen leaves out."""
    end = entity.get("end")
    after = isinstance(end, int) and bool(_EXCLUDED_AFTER.match(text[end : end + 12]))
    return after or _before(entity, text, _EXCLUDED_BEFORE)


def _paid_to_citizen(entity: dict[str, Any], text: str) -> bool:
    """Money the other side already paid, advanced or handed over (老板垫了五千, 厂长来过一回，拿了五千块),
    not what the citizen paid out."""
    if _marked(entity, GIVEN):
        return True
    return _before(entity, text, _AMOUNT_PAID) and not _before(entity, text, _CITIZEN_PAID)


def _marked(entity: dict[str, Any], mark: str) -> bool:
    """A mark of the fact extractor: a sum taken back, claimed, given, or not the citizen's own."""
    return bool((entity.get("extra") or {}).get(mark))


def meant_amount(found: list[dict[str, Any]], text: str) -> dict[str, Any] | None:
    """Which of several sums a message means: money already paid or advanced to the citizen never, nor
    one left out (那五千不算); one still owed (还差七千, 剩下的十二万) over all else, then the difference
    after a part paid back or a rate times the periods owed (每月八百，拖了三个月), else one named as
    the total, else the first after the citizen's last self-correction ("五万，不对，是六万"), else the
    first said. A sum taken back (5280……等下我看错了，是5820) never counts, nor one that is not the
    citizen's own claim (a dead parent's whole estate, a loan they stood surety for): then the question
    is asked (``story_sum`` keeps it)."""
    text = normalise(text) if text else ""
    valued = [
        e
        for e in found
        if isinstance(e.get("value"), int | float)
        and e["value"] > 0  # 加班费那栏一直是0: no sum stated, the question is asked
        and not _marked(e, SUPERSEDED)
        and not _marked(e, NOT_OWN)
        and not _denied(e, text)
        and not _paid_to_citizen(e, text)
        and not _excluded(e, text)
    ]
    if any(not _marked(e, BELITTLED) for e in found if isinstance(e.get("value"), int | float)):
        valued = [e for e in valued if not _marked(e, BELITTLED)]  # 可是丧事总共才花三万多: argued, no claim
    if not valued:
        return None
    placed = [e for e in valued if isinstance(e.get("start"), int)]
    owed = [
        e
        for e in placed
        if not _is_rate(e)
        and (_before(e, text, _AMOUNT_OWED) or _before(e, text, _SHARE_CLAIMED) or _marked(e, CLAIMED))
    ]
    later_total = owed and any(_stated_total(e) and e["start"] > owed[-1]["start"] for e in placed)
    if owed and not later_total:  # "八千五…他还过一千五，还差七千": what the citizen says is still owed
        return owed[-1]  # unless a total follows it ("每月差两千六…一共七千八")
    # "十八万八的彩礼，只肯退五万": the difference; "每月八百，拖了三个月": the product (bot/facts settles both)
    for kind in ("remaining", "rate_times_count"):
        settled = [e for e in valued if (e.get("extra") or {}).get("kind") == kind]
        if settled:
            return settled[-1]
    offered = [e for e in placed if _before(e, text, _AMOUNT_OFFERED)]
    claimed = [  # claimed, or the citizen's own money paid out ("撂下两千块…医药费额屋里先垫了三万多")
        e
        for e in placed
        if e not in offered and (_before(e, text, _AMOUNT_CLAIMED) or _before(e, text, _CITIZEN_PAID))
    ]
    if offered and claimed:  # "只愿意出两千…修好得八千多": the sum claimed, not the one offered
        valued = [e for e in valued if e not in offered]
        placed = [e for e in placed if e not in offered]
    totals = [e for e in placed if _stated_total(e)]
    if totals:
        return totals[-1]
    if offered and claimed:
        return claimed[-1]
    for cue in reversed(sorted({m.end() for m in _CORRECTION.finditer(text)} | set(correction_ends(text)))):
        after = [e for e in placed if e["start"] >= cue]
        if after and len(after) < len(valued):  # "…我记岔了" after the new sum: the cue before it counts
            stated = [e for e in after if _SAID_IS.search(text[max(0, e["start"] - 3) : e["start"]])]
            return (stated or after)[0]
    return valued[0]


def story_sum(entities: list[dict[str, Any]], text: str) -> dict[str, Any] | None:
    """The sum a story names that was not taken as settled only because it is not the citizen's own
    claim (老爷子留了二十万存款，我们兄妹四个 / 他贷了十五万，我是担保人), so the dialogue can keep it when the
    citizen cannot give a figure; None when a sum is settled or the story names no such sum."""
    found = [e for e in entity_values(entities, "amount") if not _is_rate(e)]
    kept = [e for e in found if _marked(e, NOT_OWN) and isinstance(e.get("value"), int | float)]
    return kept[0] if kept and meant_amount(found, text) is None else None


def _read_amount(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    sums = [e for e in found if not _is_rate(e)]
    figure = leading_figure(text)  # "5600，两个月的", "3000左右"
    if found and not sums and figure is not None and not any(e.get("start") == 0 for e in found):
        return Answer(figure)  # "6800，两个月，每月3400": the sum, not the rate
    # a rate given as the answer counts; so does an advance when nothing else is said
    chosen = meant_amount(sums, text) or meant_amount(found, text)
    chosen = chosen or next((e for e in found if isinstance(e.get("value"), int | float)), None)
    if chosen is not None:
        return Answer(chosen["value"])
    if found:  # 十来万: no number, keep the words
        return Answer(found[0].get("text") or text)
    figure = figure_meant(normalise(text)) or figure  # "是5820，哦不，看岔了，是5280"
    return Answer(figure) if figure is not None else Answer(None, hint="amount")


def _read_headcount(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    # the group the dispute is about, as the fact extractor marks it (剩下俺们八个, else the largest)
    main = [e for e in found if (e.get("extra") or {}).get(MAIN_GROUP) and isinstance(e.get("value"), int)]
    if main:
        return Answer(main[0]["value"])
    if found and isinstance(found[0].get("value"), int):
        return Answer(found[0]["value"])
    if _BY_ONESELF.search(text) or _ALONE.fullmatch(text.strip()):
        return Answer(1)
    # "十五个，有名单" / "大概12个吧": the count opening the answer
    said = _COUNT_HEDGE.sub("", _CLAUSE.split(text.strip())[0]).rstrip("个人位名号")
    digits = _DIGITS.fullmatch(said)
    if digits and 0 < int(digits.group()) < 100000:
        return Answer(int(digits.group()))
    from cn2an import cn2an  # 十五 → 15

    try:
        number = int(cn2an(said, "smart"))
        if 0 < number < 100000:
            return Answer(number)
    except (ValueError, KeyError, TypeError):
        pass
    return Answer(None, hint="headcount")


def _read_time(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    if found:
        return Answer(format_time(found[0].get("value"), found[0].get("text") or text))
    return _read_text(spec, text, intent, found)


# An answer this short is the place itself: kept as said when the dictionary's reading drops part of it.
SHORT_PLACE_ANSWER = 20


def _read_location(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    if found:
        place = format_location(found[0].get("value"), found[0].get("text") or text)
        said = text.strip("。.！! ")
        if len(said) <= SHORT_PLACE_ANSWER and said not in place and place not in said:
            return Answer(said)  # "桃园村" stays 桃园村, not 台湾省桃园市
        return Answer(place)
    return _read_text(spec, text, intent, found)


def _read_evidence(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    if found:
        names: list[str] = []
        for entity in found:
            values = entity["value"] if isinstance(entity.get("value"), list) else [entity.get("value")]
            names.extend(str(v) for v in values if v and str(v) not in names)
        return Answer("、".join(names))
    if intent == "deny" or text.strip("。.！!") in NONE_WORDS:
        return Answer("无")
    return _read_text(spec, text, intent, found)


def _read_yesno(spec: FactSpec, text: str, intent: str | None, found: list[dict[str, Any]]) -> Answer:
    lowered = text.lower()
    if intent == "deny" or any(lowered.startswith(w) for w in DENY_WORDS) or "没" in lowered:
        return Answer("否")
    if intent == "affirm" or any(lowered.startswith(w) for w in AFFIRM_WORDS):
        return Answer("是")
    return Answer(None, hint="yesno")


_READERS = {
    "name": _read_name,
    "phone": _read_phone,
    "amount": _read_amount,
    "headcount": _read_headcount,
    "time": _read_time,
    "location": _read_location,
    "evidence": _read_evidence,
    "yesno": _read_yesno,
    "text": _read_text,
}


def facts_from_entities(
    entities: list[dict[str, Any]], specs: dict[str, FactSpec], wanted: list[str], text: str = ""
) -> dict[str, Any]:
    """Facts stated in a message, for the facts this intake still needs (never personal ones
    unless they are wanted, i.e. the citizen has consented)."""
    filled: dict[str, Any] = {}
    used: set[str] = set()
    for name in wanted:
        spec = specs[name]
        found = entity_values(entities, spec.entity)
        if spec.kind == "amount":  # a rate stated in passing is not the sum: the question is asked
            found = [e for e in found if not _is_rate(e)]
            meant = meant_amount(found, text)
            found = [meant] if meant else []  # only money already paid: the question is asked
        if not found or (spec.entity and spec.entity in used):
            continue  # one entity fills one fact: the first wanted (asked facts come first)
        answer = _READERS.get(spec.kind, _read_text)(spec, text, None, found)
        if answer.ok:
            filled[name] = answer.value
            if spec.entity:
                used.add(spec.entity)
    return filled


APPROXIMATE_FACTS = ("amount_yuan", "headcount")


def is_approximate(entities: list[dict[str, Any]], spec: FactSpec) -> bool:
    """Whether the message states this fact as a rough figure (三万出头, 七千多, 十几个人), so the
    ticket keeps it as approximate."""
    return any(bool(e.get("approximate")) for e in entity_values(entities, spec.entity))
