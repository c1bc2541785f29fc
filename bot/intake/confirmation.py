"""The confirmation step (the summary; a yes, a change or an unclear answer) and a yes to reuse a phone."""

from __future__ import annotations

import re
from typing import Any

from bot.intake import subtypes
from bot.intake.corrections import apply_correction
from bot.intake.schema import CATEGORY_SLOT, CONFIRMED_SLOT, UNCONFIRMED_SLOT, fact_specs
from bot.intake.summary import confirmation_text
from bot.intake.turn import AFFIRM, DENY, HUMAN_BUTTON, Turn
from bot.intake.yes import says_yes
from bot.textnorm import normalize_text

# Said to "就用这个号码吗？": a yes (``says_yes``) or one of these.
REUSE_WORDS = ("就用", "用这个", "就这个")
# Unclear answers at the confirmation after which the intake is filed for staff to check by phone.
UNCLEAR_BEFORE_FILING = 3
# Said at the confirmation, these are never filed as a yes, however often: the citizen may be giving up.
_DECLINE_WORDS = ("算了", "不办", "不要", "取消", "不登记", "不用登记", "不对", "错", "不是", "别")
CHANGE_CATEGORY = ("类别不对", "类型不对", "不是这类", "分类不对", "类别错", "类型错")
# Said with a fact's name after a yes, these make it a change ("对，电话不对", "是这么回事，就是名字写错了"):
# 错 but not 没错/不错/冇错/没得错, 改 but not 不用改/别改, 不是 but not 可不是.
_CHANGE_WORDS = re.compile(
    r"(?<!可)不是|不对|唔啱|唔系|有误|不准|(?<![不没冇无莫得])错|(?<![不别没用免])改|应该|其实是"
    r"|写成|记成|打成|弄成|搞成|少了|多了|漏|换"
)
# More to tell after a yes: "没毛病，我再补充一句" is no confirmation yet.
_MORE_TO_SAY = re.compile(r"补充|还有个|还有一|另外还|忘了说|没说|漏说|再加")


def _declines(text: str) -> bool:
    return any(word in text for word in _DECLINE_WORDS)


def names_a_change(text: str) -> bool:
    """The answer, whatever yes it opens with, names a fact with a change word ("是这么回事，就是电话
    不对", "对，名字写错了") or has more to tell ("没毛病，我再补充一句"). Chit-chat and thanks after a
    yes ("是这么回事，闺女你记得真清楚", "没毛病，小伙子辛苦了", "冇錯，好叻") name none."""
    said = normalize_text(text)
    if _MORE_TO_SAY.search(said):
        return True
    if not _CHANGE_WORDS.search(said):
        return False
    names = {name for spec in fact_specs().values() for name in (spec.label, *spec.aliases)}
    return any(name in said for name in names)


def confirmation_answer(
    turn: Turn, slots: dict[str, Any], text: str, intent: str | None, entities: list[dict[str, Any]]
) -> None:
    agrees = intent == AFFIRM or (says_yes(text, at_confirmation=True) and not entities)
    if agrees and not names_a_change(text):  # "是这么回事，闺女你记得真清楚" (not "对，电话不对")
        turn.updates[CONFIRMED_SLOT] = True
        return
    turn.updates[CONFIRMED_SLOT] = None
    if any(w in text for w in CHANGE_CATEGORY):
        turn.updates[CATEGORY_SLOT] = None
        turn.updates[subtypes.SUB_TYPE_SLOT] = None
        turn.updates["category_candidates"] = []
        return
    updates = apply_correction(text, intent, entities, slots) if intent != DENY else {}
    if updates:
        turn.updates.update(updates)
        return
    reasked = list(slots.get("reasked") or [])
    if reasked.count(CONFIRMED_SLOT) >= UNCLEAR_BEFORE_FILING and intent != DENY and not _declines(text):
        # Everything was collected; filed for a person to check with the citizen rather than lost.
        turn.updates[CONFIRMED_SLOT] = True
        turn.updates[UNCONFIRMED_SLOT] = text[:100]
        turn.say("utter_filed_unconfirmed")
        return
    turn.updates["reasked"] = [*reasked, CONFIRMED_SLOT]
    if CONFIRMED_SLOT not in reasked:  # from the second time the question itself changes (summary.py)
        turn.say("utter_ask_what_to_change")


CONFIRM_BUTTONS = [{"title": "确认提交", "payload": "/affirm"}, {"title": "要修改", "payload": "/deny"}]
# After the second answer at the confirmation that is neither a yes nor a change, two short wordings
# in turn, with a person to call, instead of the whole summary again.
CONFIRM_AGAIN = (
    "信息没问题请点“确认提交”；要改哪一项直接告诉我，比如“电话是13912345678”。也可以点“转人工”。",
    "抱歉没听明白。登记信息都保存着：点“确认提交”就能提交，或点“转人工”请工作人员帮您。",
)


def confirmation_prompt(slots: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    """The confirmation question: the summary, or after two unclear answers a short prompt."""
    unclear = list(slots.get("reasked") or []).count(CONFIRMED_SLOT)
    if unclear < 2:
        return confirmation_text(slots), CONFIRM_BUTTONS
    return CONFIRM_AGAIN[unclear % 2], [*CONFIRM_BUTTONS, HUMAN_BUTTON]


def confirms(text: str, intent: str | None, entities: list[dict[str, Any]]) -> bool:
    """A yes to "就用这个号码吗？" (and no other number in the message)."""
    if any(e.get("entity") == "phone" for e in entities or []):
        return False
    said = text.strip().strip("。！!，,.~ ")
    return intent == AFFIRM or says_yes(said) or said.startswith(REUSE_WORDS)
