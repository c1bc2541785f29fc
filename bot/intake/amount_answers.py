"""Which sum in an answer is the one in dispute: not money already paid, offered or left out, nor a rate."""

from __future__ import annotations

import re
from typing import Any

from bot.facts.claims import BELITTLED, CLAIMED, GIVEN, NOT_OWN, STATED_TOTAL, STILL_OWED_WORDS
from bot.facts.self_corrections import SUPERSEDED, correction_ends
from bot.facts.textnorm import normalise
from bot.intake.answer_basics import CORRECTION, entity_values

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


def is_rate(entity: dict[str, Any]) -> bool:
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
        if not is_rate(e)
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
    for cue in reversed(sorted({m.end() for m in CORRECTION.finditer(text)} | set(correction_ends(text)))):
        after = [e for e in placed if e["start"] >= cue]
        if after and len(after) < len(valued):  # "…我记岔了" after the new sum: the cue before it counts
            stated = [e for e in after if _SAID_IS.search(text[max(0, e["start"] - 3) : e["start"]])]
            return (stated or after)[0]
    return valued[0]


def story_sum(entities: list[dict[str, Any]], text: str) -> dict[str, Any] | None:
    """The sum a story names that was not taken as settled only because it is not the citizen's own
    claim (老爷子留了二十万存款，我们兄妹四个 / 他贷了十五万，我是担保人), so the dialogue can keep it when the
    citizen cannot give a figure; None when a sum is settled or the story names no such sum."""
    found = [e for e in entity_values(entities, "amount") if not is_rate(e)]
    kept = [e for e in found if _marked(e, NOT_OWN) and isinstance(e.get("value"), int | float)]
    return kept[0] if kept and meant_amount(found, text) is None else None
