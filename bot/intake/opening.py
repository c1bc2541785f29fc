"""Messages outside an intake that are not a plain dispute description: never lose a story, never
repeat the same reply forever.

- A story told together with a name or a phone number reads to the classifier as an answer
  (``inform``). If a dispute intent still has real probability, or the message states dispute facts
  (money, a group, the other party), the intake starts with everything in that message.
- "Not understood" replies (out of scope, fallback, an answer without a question) are counted; from
  the second in a row the assistant offers the categories as buttons and a person (转人工) instead
  of saying the same thing again.
"""

from __future__ import annotations

import re
from typing import Any

from bot.intake import questions, subtypes
from bot.intake.consultation import RETRIEVAL_INTENT, topic_by_words
from bot.intake.dialogue import MISUNDERSTOOD_SLOT, category_buttons, start_intake
from bot.intake.turn import HUMAN_BUTTON, Turn
from bot.questions import has_question, is_question, question_sentences
from bot.taxonomy import OTHER, OUT_OF_SCOPE_INTENT, categories, dispute_category
from bot.textnorm import content_chars, normalize_text

# A dispute intent with at least this probability, anywhere in the ranking, is a story to keep.
DISPUTE_PROBABILITY = 0.12
QUESTION_DISPUTE_PROBABILITY = 0.5
# A question the classifier gives this surely to the center's topics or to another office is no story.
ASKING_INTENTS = (OUT_OF_SCOPE_INTENT, RETRIEVAL_INTENT)
ASKED_ELSEWHERE = 0.6
# Facts that only a dispute has; with one of them a message this long is a story, whatever the intent.
DISPUTE_FACTS = ("amount", "headcount", "counterparty")
STORY_MIN_CHARS = 12
LONG_STORY_CHARS = 25
LONG_MATTER_CHARS = 50
# A question about the center this long, with a dispute's facts or contact details in it, also tells
# the story: it is answered, and the intake starts with it ("…我叫严峰，电话139…，你们管不管").
STORY_IN_QUESTION_CHARS = 60
CONTACT_FACTS = ("phone", "person_name")
# A name or a phone with at least this much else said (spaces and punctuation not counted) tells a
# matter of the citizen's own, whatever the classifier heard.
CONTACT_STORY_CHARS = 20
# A short question can tell its dispute before it asks ("给饭店送菜的钱一直不给 能管吗", "楼上天天半夜剁肉
# 你们管这个吗"): what it tells, at least this long, with a dispute the classifier gives at least this …
TOLD_MIN_CHARS = 6
TOLD_DISPUTE_PROBABILITY = 0.25
# A long question with a party or contact details in it tells a story only when the classifier sees a
# dispute in it at all ("…是不是得先去村委会开个证明才让进？" names a party and asks only).
STORY_DISPUTE_PROBABILITY = 0.05
# … or a dispute nearly level with an unsure question ("有人唔俾人工点算啊": consult 0.17, wages 0.15).
UNSURE_QUESTION = 0.3
NEARLY_LEVEL = 0.75
# … and something gone wrong in it (a no, a loss, a quarrel), or the other party or a sum stated:
# "我是从外地来的" or "我刚搬来县城" before "离婚要带什么材料" is no dispute told.
_GONE_WRONG = re.compile(r"不|没|未|冇|唔|被|欠|占|骂|吵|闹|骗|扣|拖|赖|坏|裂|漏|伤|偷|抢|砸|堵|吵|噪")
_CLAUSE_SPLIT = re.compile(r"[\s，,。.！!？?；;~]+")
# "…你们管不", "…这种能找你们吗", "…归你们管吗", "…找你们有用不": asking whether the center handles
# it, after the story in the same clause ("饭店欠我送菜的钱能管吗").
_SCOPE_ASK = re.compile(
    r"(?:这个|这种事?|这事|这类事?)?(?:能归|归)?(?:你们这里|你们这|你们|您们|咱们|这里|这边)?"
    r"(?:(?:能不能|可不可以)(?:管|受理|处理|找你们)(?:这个|这种事?|这事)?[吗么嘛呢啊]*"
    r"|(?:能|可以|会)?(?:管|受理|处理|找你们)(?:这个|这种事?|这事)?"
    r"(?:不管|(?:不了|得了)?(?:有用)?[吗么嘛不没呢]+))$"
)
# Questions about whether the center handles a matter (or none named): a story told with one is
# registered; a question about how to come (materials, hours, how long) is answered and offered.
_WHETHER_HANDLED = (None, "scope", "police")
# a question word in a clause: "离婚要带什么材料" asks ("他什么都不给" and "没啥用" tell)
_ASKING_WORD = re.compile(r"(?<![没不])(?:什么|啥|哪些|哪个|哪里|哪儿|多少|几点|几天|多久)(?![都也])")
# The reply for each kind of "not understood" the first time it happens.
FIRST_REPLY = {"out_of_scope": "utter_out_of_scope", "nlu_fallback": "utter_default", "greet": "utter_greet"}
PLEASE_DESCRIBE = "utter_please_describe"
# The assistant's last messages in which a consultation reply counts as already given.
RECENT_REPLIES = 4


def dispute_ranking(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The dispute intents of a ranking, their probabilities rescaled to sum to one."""
    disputes = [r for r in ranking or [] if dispute_category(r.get("name"))]
    # most likely first: a take-over (a story ending "这种能找你们吗") moves the dispute to the end
    disputes.sort(key=lambda r: -float(r.get("confidence") or 0.0))
    total = sum(r.get("confidence", 0.0) for r in disputes) or 1.0
    return [{**r, "confidence": r.get("confidence", 0.0) / total} for r in disputes]


def reads_as_dispute(text: str, ranking: list[dict[str, Any]], entities: list[dict[str, Any]]) -> bool:
    stated = {e.get("entity") for e in entities or []}
    # a bare question ("礼拜天有人没", "调解要钱不") is asked, not told: a dispute must be likelier
    bare_question = (
        is_question(text)
        and not stated & {*DISPUTE_FACTS, *CONTACT_FACTS}
        and len(content_chars(text)) < STORY_IN_QUESTION_CHARS  # a long one tells a story as well
        and not tells_then_asks(text, ranking, entities)  # "帮人装修的钱结不到 你们管不" tells one
    )
    least = QUESTION_DISPUTE_PROBABILITY if bare_question else DISPUTE_PROBABILITY
    if _sees_dispute(ranking, least):
        return True
    if bare_question or _asked_elsewhere(text, ranking, stated):
        return False
    if len(text.strip()) >= STORY_MIN_CHARS and bool(stated & set(DISPUTE_FACTS)):
        return True
    if stated & set(CONTACT_FACTS) and len(_without_contact(text, entities)) >= CONTACT_STORY_CHARS:
        return True  # "我 叫 杨 春 华 电话 135… 身份证 丢 了…": a name, a number and a matter of one's own
    # a long story about money with someone else (医院说多花的钱不管) is a dispute the categories may miss;
    # a long account of any matter (村里那条路一下雨就全是泥…) is registered, not "没太明白"
    if len(content_chars(text)) >= LONG_MATTER_CHARS:
        return True
    return len(text.strip()) >= LONG_STORY_CHARS and subtypes.money_in_story(text)


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_SPLIT.split(normalize_text(text or "")) if c]


def _asking(clause: str) -> bool:
    return bool(
        is_question(clause)
        or questions.asks_in_other_words(clause)
        or _ASKING_WORD.search(clause)
        or _SCOPE_ASK.search(clause)
    )


def told_part(text: str) -> str:
    """What a message tells besides what it asks: its clauses that ask nothing, and the start of a
    clause before "你们管吗" ("给饭店送菜的钱一直不给 能管吗" → "给饭店送菜的钱一直不给")."""
    told = []
    for clause in _clauses(text):
        rest = questions.without_what_to_do(_SCOPE_ASK.sub("", clause))
        if rest and not _asking(rest):
            told.append(rest)
    return "".join(told)


def tells_then_asks(
    text: str, ranking: list[dict[str, Any]], entities: list[dict[str, Any]] | None = None
) -> bool:
    """A short question that tells its dispute as well ("给饭店送菜的钱一直不给 能管吗", "楼上天天半夜剁肉
    你们管这个吗"): the classifier sees a dispute in it, and it tells something that went wrong (or
    names the other party or a sum) besides asking. "离婚要带什么材料", "我想问一下 离婚要带什么材料"
    and "我刚搬来县城 你们都管些啥" only ask."""
    if not (_sees_dispute(ranking, TOLD_DISPUTE_PROBABILITY) or _level_with_unsure_question(ranking)):
        return False
    if not (has_question(text) or any(_asking(c) for c in _clauses(text))):
        return False
    told = told_part(text)
    if len(content_chars(told)) < TOLD_MIN_CHARS:
        return False
    stated = {e.get("entity") for e in entities or []}
    asked = "".join(question_sentences(text)) or text
    if topic_by_words(asked) not in _WHETHER_HANDLED and not stated & {"amount", "headcount"}:
        return False  # "撞车了想去调解，认定书要带不？": how to come, answered and offered, not registered
    return (
        bool(stated & set(DISPUTE_FACTS))
        or _GONE_WRONG.search(told) is not None
        or subtypes.money_in_story(told)
    )


def _level_with_unsure_question(ranking: list[dict[str, Any]]) -> bool:
    """The classifier's question is unsure and a dispute follows it nearly level."""
    top = (ranking or [{}])[0]
    sure = float(top.get("confidence") or 0.0)
    return (
        top.get("name") == RETRIEVAL_INTENT
        and sure < UNSURE_QUESTION
        and _sees_dispute(ranking, sure * NEARLY_LEVEL)
    )


def _sees_dispute(ranking: list[dict[str, Any]], least: float) -> bool:
    """A dispute intent with at least this probability anywhere in the ranking."""
    return any(dispute_category(r.get("name")) and r.get("confidence", 0.0) >= least for r in ranking or [])


def _asked_elsewhere(text: str, ranking: list[dict[str, Any]], stated: set[Any]) -> bool:
    """A short message that asks, and that the classifier is sure is a question for the center or
    for someone else ("请问怎么办居住证？房东说要有居住证才给登记"): a landlord named in it tells no
    dispute. Contact details still make it a matter of the citizen's own."""
    top = (ranking or [{}])[0]
    return (
        top.get("name") in ASKING_INTENTS
        and float(top.get("confidence") or 0.0) >= ASKED_ELSEWHERE
        and not stated & set(CONTACT_FACTS)
        and len(content_chars(text)) < STORY_IN_QUESTION_CHARS
        and has_question(text)
    )


def _without_contact(text: str, entities: list[dict[str, Any]]) -> str:
    """The message without its name and phone and without spaces: what it says besides who is asking."""
    spans = sorted(
        (int(e["start"]), int(e["end"]))
        for e in entities or []
        if e.get("entity") in CONTACT_FACTS
        and isinstance(e.get("start"), int)
        and isinstance(e.get("end"), int)
    )
    kept, pos = [], 0
    for start, end in spans:
        kept.append(text[pos:start])
        pos = max(pos, end)
    kept.append(text[pos:])
    return content_chars("".join(kept))


def unsolicited_turn(
    text: str,
    ranking: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    slots: dict[str, Any],
) -> Turn | None:
    """The intake started from a message the classifier took for an answer; None when it is no
    dispute (the caller then says it did not understand)."""
    if not reads_as_dispute(text, ranking, entities):
        return None
    disputes = dispute_ranking(ranking)
    if not disputes:  # facts without any dispute intent: the category question decides
        disputes = [
            {"name": c.intent, "confidence": 0.0} for code, c in categories().items() if code != OTHER
        ]
    return start_intake(text, disputes[0], disputes, entities, slots)


def misunderstood_count(slots: dict[str, Any]) -> int:
    """How many messages in a row, this one included, the assistant could not use."""
    return int(slots.get(MISUNDERSTOOD_SLOT) or 0) + 1


def not_understood(
    intent: str | None, slots: dict[str, Any], text: str = ""
) -> tuple[str | None, str | None, list[dict[str, str]]]:
    """(response name or None, text or None, buttons) for a message the assistant cannot use.

    The first time, the usual reply for its kind (a question no topic fits, such as "能不能办居住证？",
    is told what the center handles rather than "没太明白"); from the second in a row, the categories
    and a person as buttons, in two wordings taken in turn, so no reply is sent three times in a row."""
    count = misunderstood_count(slots)
    if count == 1:
        if intent == "nlu_fallback" and is_question(text):
            return FIRST_REPLY["out_of_scope"], None, []
        return FIRST_REPLY.get(intent or "", PLEASE_DESCRIBE), None, []
    buttons = [*category_buttons(), HUMAN_BUTTON]
    if count % 2 == 0:
        text = "抱歉，我可能没理解您的意思。您的事情属于下面哪一类？点一下就行，也可以转人工。"
    else:
        text = "还是没对上，真抱歉。可以点选一类，或者点“转人工”由工作人员帮您。"
    return None, text, buttons


def story_with_question(
    text: str,
    ranking: list[dict[str, Any]],
    entities: list[dict[str, Any]],
    slots: dict[str, Any],
) -> Turn | None:
    """The intake started from a question about the center that also tells a dispute, after the
    question is answered: a whole one (long, with a dispute's facts or contact details: "…我叫严峰，
    电话139…，需要准备些什么") or a short one told before the question ("给饭店送菜的钱一直不给 能管吗":
    the story is kept, not lost when the next message goes on with it); None for a plain question
    ("离婚要带什么材料")."""
    if tells_then_asks(text, ranking, entities):
        return unsolicited_turn(text, ranking, entities, slots)
    stated = {e.get("entity") for e in entities or []}
    if not stated & {*DISPUTE_FACTS, *CONTACT_FACTS}:
        return None
    # a shorter question still tells a story when it states a dispute's facts ("我们七八个人…工钱一分
    # 没结，这种是不是能找你们")
    told = (
        bool(stated & {"amount", "headcount"})
        and len(content_chars(text)) >= LONG_STORY_CHARS
        and _sees_dispute(ranking, DISPUTE_PROBABILITY)
    )
    if len(text.strip()) < STORY_IN_QUESTION_CHARS and not told:
        return None
    if not told and not _sees_dispute(ranking, STORY_DISPUTE_PROBABILITY):
        return None  # a long question about the center naming 村委会 tells no dispute
    return unsolicited_turn(text, ranking, entities, slots)


def question_registered(text: str, reply: str, bot_texts: list[str], slots: dict[str, Any]) -> Turn | None:
    """The same reply due again outside an intake ("身份证丢了去哪补办？" asked twice): the answer did not
    help, so the matter is registered as 其他 for the general reception to answer, instead of giving
    the same reply forever. None the first time."""
    recent = {t.strip() for t in bot_texts[-RECENT_REPLIES:] if t}
    if slots.get("category") and not slots.get("ticket_code"):
        return None  # an intake is under way: its own questions go on
    if reply.strip() not in recent:
        return None
    # "楼上噪音问题可以找你们吗" asked again after "「邻里纠纷」问题属于我们受理的范围": a neighbour case
    named = subtypes.named_category(text)
    if named is not None and categories()[named].name not in reply:
        named = None  # 社保卡丢了在哪补办 names a labour word but was told no case type
    said = {"name": categories()[named].intent if named else OUT_OF_SCOPE_INTENT, "confidence": 1.0}
    turn = start_intake(text, said, [said], [], slots)
    turn.updates.update(questions.kept(slots, text))  # on the staff summary as a question to answer
    return turn


def question_in_story(text: str) -> str | None:
    """The question a dispute's first message asks about the center besides telling it ("…材料清单能发我
    一份吗？…大概多久能有结果"), to be answered as the intake starts; None when it asks nothing the
    profile answers, or only whether the center handles it (the intake starting says so)."""
    asked = "".join(question_sentences(text))
    if not asked or topic_by_words(asked) in _WHETHER_HANDLED:
        return None
    return asked
