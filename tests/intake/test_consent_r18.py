"""Round 18's gaps at the consent and at the first message, in sentences of our own: a yes in northern
and central speech ("能啊", "成么？", "管") is a yes; someone else's no ("对方不同意调解怎么办") is a
question or a story, only the citizen's own no is a refusal; a short question that tells a dispute
("给饭店送菜的钱一直不给 能管吗") starts the intake with it after the answer, instead of losing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.facts import extract_facts
from bot.intake import consent_reading, opening, questions
from bot.intake.consent_reading import says_yes_to_consent
from connectors.nlu.answer_detector import plain_yes, without_unsupported
from tests.intake.helpers import answer

DEBT = {"category": "debt", "description": "朋友借了两万块一直不还"}


def _reask_text() -> str:
    domain = yaml.safe_load(Path("domain/intake.yml").read_text(encoding="utf-8"))
    return str(domain["responses"]["utter_reask_consent"][0]["text"])


# ---- 1. a yes in the citizen's own speech -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("能", "out_of_scope"),
        ("能啊", "out_of_scope"),
        ("能呀，你们记吧", "nlu_fallback"),
        ("成", "greet"),
        ("成么", "greet"),
        ("成么？", "out_of_scope"),
        ("成嘛", "out_of_scope"),
        ("中嘞", "out_of_scope"),
        ("中哩", "nlu_fallback"),
        ("得嘞", "out_of_scope"),
        ("可以撒", "out_of_scope"),
        ("行撒", "inform"),
        ("行嘛？", "out_of_scope"),
        ("OK 可以", "out_of_scope"),
        ("管", "dispute_property"),
        ("要得嘛", "greet"),
    ],
)
def test_a_dialect_yes_at_the_consent_is_consent_not_asked_again(text: str, intent: str) -> None:
    turn = answer(DEBT, "consent", text, intent)
    assert turn.updates["consent"] is True
    assert turn.question is None
    assert ("utter_reask_consent", {}) not in turn.responses  # not told "同意就回“同意”…"
    assert "同意就回" in _reask_text()


@pytest.mark.parametrize(
    "text",
    [
        "能吗？",
        "能么？",
        "能不能不留",
        "成不成",
        "成不？",
        "管他呢",
        "中不中",
        "能，为什么要电话？",
        "可以吗？",
    ],
)
def test_a_question_that_starts_like_a_yes_is_no_yes(text: str) -> None:
    assert not says_yes_to_consent(text)
    assert answer(DEBT, "consent", text).updates.get("consent") is not True


def test_a_yes_the_classifier_took_for_a_question_is_a_yes_again() -> None:
    for text in ("能啊", "成么？", "管", "中哩，你们记"):
        chosen = plain_yes({"name": "consult", "confidence": 0.6}, text)
        assert chosen is not None and chosen["name"] == "affirm", text
    for text in ("能吗？", "成不？", "能不能不留电话"):
        assert plain_yes({"name": "consult", "confidence": 0.6}, text) is None, text
    # "成么？" ends like a question, yet it is a yes: the classifier's yes is kept
    ranking = [{"name": "affirm", "confidence": 0.6}, {"name": "out_of_scope", "confidence": 0.3}]
    assert without_unsupported(ranking[0], ranking, "成么？")["name"] == "affirm"


# ---- 2. someone else's no is no refusal ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("他家要是不同意离咋整", "deny"),
        ("他家要是不同意离咋整", "dispute_family"),
        ("对方不同意调解怎么办", "deny"),
        ("我老公不同意能离吗", "deny"),
        ("男方家里不同意退彩礼咋弄", "out_of_scope"),
        ("要是对方不愿意来调解，啷个办嘛", "deny"),
        ("房东不同意退押金的话怎么整", "deny"),
    ],
)
def test_a_question_about_someone_elses_no_is_answered_and_the_consent_asked_again(
    text: str, intent: str
) -> None:
    turn = answer(DEBT, "consent", text, intent)
    assert turn.question == text  # the action answers it
    assert turn.updates["consent"] is None  # and the form asks the consent again
    assert "consent" not in (turn.updates.get("reasked") or [])  # not the one unclear answer
    assert not consent_reading.refuses_consent(text, intent)


@pytest.mark.parametrize("text", ["我老公不同意", "对方不同意调解", "他们家里人都不愿意"])
def test_someone_elses_no_told_at_the_consent_is_no_refusal(text: str) -> None:
    assert answer(DEBT, "consent", text, "deny").updates["consent"] is not False


@pytest.mark.parametrize(
    "text",
    [
        "不同意",
        "我不同意留电话",
        "不想留",
        "不留了",
        "我还是匿名吧",
        "算了，我不同意",
        "我是不同意的",
        "我不想提供电话",
        "我不同意，留电话干嘛？",
        "不同意。你们要电话做什么",
    ],
)
def test_the_citizens_own_no_is_a_refusal_whatever_the_classifier_heard(text: str) -> None:
    turn = answer(DEBT, "consent", text, "out_of_scope")
    assert turn.updates["consent"] is False
    assert turn.question is None


def test_a_yes_that_goes_on_about_reaching_the_citizen_is_still_a_yes() -> None:
    assert answer(DEBT, "consent", "可以，不方便接电话的时候发短信").updates["consent"] is True
    assert answer(DEBT, "consent", "好的，就怕对方不同意").updates["consent"] is True
    assert answer(DEBT, "consent", "不用匿名，同意", "affirm").updates["consent"] is True


def test_anonymity_asked_for_is_no_yes_whatever_the_classifier_heard() -> None:
    assert answer(DEBT, "consent", "同意匿名登记", "affirm").updates["consent"] is False


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("他家要是不同意离咋整", True),
        ("这事怎么弄嘛", True),
        ("老板跑了啷个办", True),
        ("老板换了 这钱找新老板还是老老板要", True),
        ("是他的责任还是我的责任", True),
        ("我找了他好几次还是没给", False),
        ("问了还是不给", False),
        ("老板不给钱", False),
    ],
)
def test_asking_in_other_words(text: str, asks: bool) -> None:
    assert questions.asks(text) is asks


def test_a_no_the_classifier_heard_in_a_question_in_dialect_goes_to_the_next_intent() -> None:
    ranking = [{"name": "deny", "confidence": 0.5}, {"name": "dispute_family", "confidence": 0.4}]
    assert without_unsupported(ranking[0], ranking, "对方要是不同意咋整")["name"] == "dispute_family"
    assert without_unsupported(ranking[0], ranking, "不同意")["name"] == "deny"


# ---- 3. a short question that tells a dispute ---------------------------------------------------


def _facts(text: str) -> list[dict[str, Any]]:
    return [f.as_entity() for f in extract_facts(text)]


# the classifier's rankings for such questions: a take-over ("能管吗") puts the dispute it heard last
TAKEN_OVER_DEBT = [
    {"name": "consult", "confidence": 0.9},
    {"name": "dispute_wage_arrears", "confidence": 0.04},
    {"name": "dispute_debt", "confidence": 0.9},
]
UNSURE_WAGES = [
    {"name": "nlu_fallback", "confidence": 0.3},
    {"name": "dispute_wage_arrears", "confidence": 0.36},
    {"name": "consult", "confidence": 0.36},
    {"name": "dispute_property", "confidence": 0.14},
]
NEIGHBOUR_ASKED = [
    {"name": "consult", "confidence": 0.6},
    {"name": "dispute_neighbor", "confidence": 0.35},
    {"name": "dispute_property", "confidence": 0.02},
]


LEVEL_WITH_QUESTION = [
    {"name": "consult", "confidence": 0.18},
    {"name": "dispute_wage_arrears", "confidence": 0.16},
    {"name": "greet", "confidence": 0.07},
]


@pytest.mark.parametrize(
    ("text", "ranking", "category"),
    [
        ("给饭店送菜的钱一直不给 能管吗", TAKEN_OVER_DEBT, "debt"),
        ("饭店欠我送菜的钱能管吗", TAKEN_OVER_DEBT, "debt"),
        ("借出去的货款要不回来，这种你们管不管", TAKEN_OVER_DEBT, "debt"),
        ("帮人装修的钱结不到 你们管不", UNSURE_WAGES, "wage_arrears"),
        ("楼上天天半夜剁肉 你们管这个吗", NEIGHBOUR_ASKED, "neighbor"),
        ("隔壁家的狗天天叫 找你们有用不", NEIGHBOUR_ASKED, "neighbor"),
        # a dispute nearly level with an unsure question, asking what to do in Cantonese
        ("老细冇俾人工点算好", LEVEL_WITH_QUESTION, "wage_arrears"),
    ],
)
def test_a_short_question_that_tells_a_dispute_starts_the_intake_with_it(
    text: str, ranking: list[dict[str, Any]], category: str
) -> None:
    turn = opening.story_with_question(text, ranking, _facts(text), {})
    assert turn is not None
    assert turn.updates["category"] == category
    assert turn.updates["description"] == text  # the story is kept for the ticket
    # asked when the classifier did not get it (nlu_fallback, out_of_scope): the same intake
    assert opening.reads_as_dispute(text, ranking, _facts(text))


@pytest.mark.parametrize(
    ("text", "ranking"),
    [
        ("你们能管哪些事", [{"name": "consult", "confidence": 0.95}, {"name": "dispute_labor", "confidence": 0.3}]),
        ("离婚要带什么材料", [{"name": "consult", "confidence": 0.9}, {"name": "dispute_family", "confidence": 0.9}]),
        ("我想问一下 离婚要带什么材料", [{"name": "consult", "confidence": 0.6}, {"name": "dispute_family", "confidence": 0.37}]),
        ("我刚搬来县城 你们都管些啥", [{"name": "consult", "confidence": 0.6}, {"name": "dispute_property", "confidence": 0.3}]),
        ("我是从外地来的 离婚要带什么材料", [{"name": "consult", "confidence": 0.9}, {"name": "dispute_family", "confidence": 0.9}]),
        ("调解要钱不", [{"name": "consult", "confidence": 0.4}, {"name": "dispute_family", "confidence": 0.3}]),
        ("现在几点了 你们还上班吗", [{"name": "consult", "confidence": 0.9}, {"name": "dispute_labor", "confidence": 0.3}]),
        # how to come for a case named, not a story: answered and offered
        ("车被人刮了想过去调解，交警那个认定书要带上不？", [{"name": "consult", "confidence": 0.5}, {"name": "dispute_traffic", "confidence": 0.45}]),
        ("工伤的事想找你们，从申请到出结果要等多久，我怕拖到明年", [{"name": "consult", "confidence": 0.5}, {"name": "dispute_labor", "confidence": 0.45}]),
    ],
)  # fmt: skip
def test_a_pure_question_stays_a_consultation(text: str, ranking: list[dict[str, Any]]) -> None:
    assert opening.story_with_question(text, ranking, _facts(text), {}) is None
    assert not opening.tells_then_asks(text, ranking, _facts(text))


def test_a_story_told_with_a_weak_dispute_is_only_asked() -> None:
    """Below the classifier's doubt the question is answered alone: no intake from a guess."""
    weak = [{"name": "consult", "confidence": 0.8}, {"name": "dispute_debt", "confidence": 0.1}]
    assert opening.story_with_question("给饭店送菜的钱一直不给 能管吗", weak, [], {}) is None


def test_what_the_question_tells_is_read_without_the_question() -> None:
    assert opening.told_part("给饭店送菜的钱一直不给 能管吗") == "给饭店送菜的钱一直不给"
    assert opening.told_part("饭店欠我送菜的钱能管吗") == "饭店欠我送菜的钱"
    assert opening.told_part("我想问一下 离婚要带什么材料") == ""


def test_the_next_message_after_such_a_question_is_answered_inside_the_intake() -> None:
    """The first message started the intake as a debt; "老板换了 这钱找…还是…要" at the consent is a
    question about it, answered, not a new wage case."""
    first = opening.story_with_question("给饭店送菜的钱一直不给 能管吗", TAKEN_OVER_DEBT, [], {})
    assert first is not None
    slots = {k: v for k, v in first.updates.items() if v is not None}
    follow = "老板换了 这钱找新老板还是老老板要"
    turn = answer(slots, "consent", follow, "dispute_wage_arrears")
    assert turn.question == follow and turn.updates["consent"] is None
    assert "category" not in turn.updates


def _tracker(text: str, intent: str, ranking: list[dict[str, Any]]) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": ranking[0]["confidence"]},
        "intent_ranking": ranking,
        "entities": _facts(text),
    }
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": latest},
    ]
    return Tracker("r18-open", {}, latest, events, False, None, {}, "action_listen")


async def test_the_consult_action_answers_then_registers_the_story() -> None:
    from actions.conversation import ActionConsult

    text = "给饭店送菜的钱一直不给 能管吗"
    dispatcher = CollectingDispatcher()
    events = await ActionConsult().run(dispatcher, _tracker(text, "consult", TAKEN_OVER_DEBT), {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["category"] == "debt" and slots["description"] == text
    assert dispatcher.messages[0].get("text")  # the question answered first
    assert "如需登记" not in dispatcher.messages[0]["text"]  # no invitation: it is being registered
    assert dispatcher.messages[1]["response"] == "utter_category_identified"
    assert dispatcher.messages[1]["category_name"] == "债务借贷"
    assert {"event": "followup", "timestamp": None, "name": "intake_form"} in events


async def test_the_consult_action_answers_a_pure_question_alone() -> None:
    from actions.conversation import ActionConsult

    ranking = [{"name": "consult", "confidence": 0.98}, {"name": "dispute_family", "confidence": 0.01}]
    dispatcher = CollectingDispatcher()
    events = await ActionConsult().run(dispatcher, _tracker("离婚要带什么材料", "consult", ranking), {})
    assert not any(e.get("name") == "category" for e in events if e.get("event") == "slot")
    assert len(dispatcher.messages) == 1


async def test_a_question_the_classifier_missed_starts_the_intake_with_its_story() -> None:
    from actions.conversation import ActionNotUnderstood

    text = "帮人装修的钱结不到 你们管不"
    dispatcher = CollectingDispatcher()
    events = await ActionNotUnderstood().run(dispatcher, _tracker(text, "nlu_fallback", UNSURE_WAGES), {})
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["category"] == "wage_arrears" and slots["description"] == text
    assert dispatcher.messages[0]["response"] == "utter_category_identified"
