"""Round 20's gaps at the consent and the confirmation, in sentences of our own.

- Telling the assistant to write it down is a yes to the consent ("你记吧", "恁记吧", "你們記低啦",
  "搞快点记", "整吧"), also after a hesitation ("算了算了 记吧 不然钱也要不回来"); a no to writing ("别记",
  "先别记我名字") is none, and a worry alone ("不太想留😶") is asked again, never anonymous at once.
- Agreeing with the summary in one's own words ("是这么回事", "就是这么个事", "係啊就係咁樣", "没错儿")
  with thanks or praise after it confirms; naming a fact with a change word ("电话不对") is a change.
- A question at the consent that the classifier heard as a goodbye ("…回头再找他要不？") is answered and
  the consent asked again, not "好的。登记还没完成…" (the intake paused).

The intents are those the classifier gave such messages (a bot question for "你记吧", a no for
"得，你記低啦", a goodbye for "…回头再…"), so the dialogue's own reading is what is tested.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.intake import ValidateIntakeForm
from bot.facts import extract_facts
from bot.intake import dialogue, questions
from bot.intake.confirmation import names_a_change
from bot.intake.consent_reading import only_worried, says_yes_to_consent
from bot.intake.yes import tells_to_record
from connectors.nlu.answer_detector import plain_yes
from tests.intake.helpers import answer

DEBT = {"category": "debt", "sub_type": "loan", "description": "朋友借了两万块一直不还"}
SUMMED = {
    **DEBT,
    "consent": True,
    "applicant_name": "王秀英",
    "phone": "13912345678",
    "amount_yuan": 20000,
    "counterparty": "朋友",
}


def _turn(slots: dict[str, Any], step: str, text: str, intent: str) -> Any:
    entities = [f.as_entity() for f in extract_facts(text)]
    return dialogue.answer_turn(slots, step, text, intent, entities)


def _pause_text() -> str:
    domain = yaml.safe_load(Path("domain/core.yml").read_text(encoding="utf-8"))
    return str(domain["responses"]["utter_goodbye_pending"][0]["text"])


# ---- 1. the consent: "write it down" is a yes ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("整吧", "nlu_fallback"),
        ("整呗", "out_of_scope"),
        ("那就整吧", "out_of_scope"),
        ("搞快点记", "out_of_scope"),
        ("记吧", "out_of_scope"),
        ("你记吧", "bot_challenge"),
        ("恁记吧", "out_of_scope"),
        ("你們記低啦", "out_of_scope"),
        ("得，你記低啦", "deny"),
        ("得嘞，您记", "out_of_scope"),
        ("好吧，那登记吧", "out_of_scope"),
        ("算了算了 记吧 不然钱也要不回来", "deny"),
        ("……好吧，那登记吧", "out_of_scope"),
        ("你把我电话记上吧", "out_of_scope"),
        ("赶紧给我登记上", "nlu_fallback"),
        ("那你就写上吧", "out_of_scope"),
        ("唉，犹豫半天了，你们记吧", "deny"),
        ("你们帮我登记一下吧", "consult"),
        ("记我名字吧，电话也记上", "out_of_scope"),
    ],
)
def test_telling_the_assistant_to_write_it_down_is_consent(text: str, intent: str) -> None:
    turn = _turn(DEBT, "consent", text, intent)
    assert turn is not None, "a yes taken for an interruption"
    assert turn.updates["consent"] is True
    assert turn.question is None
    assert ("utter_reask_consent", {}) not in turn.responses


def test_a_yes_after_a_question_answered_at_the_consent_is_consent() -> None:
    asked = {**DEBT, "reasked": [questions.step_marker("consent")]}
    for said in ("……好吧，那登记吧", "嗯……那你记吧", "行吧行吧，记上"):
        turn = answer(asked, "consent", said, "nlu_fallback")
        assert turn.updates["consent"] is True, said


@pytest.mark.parametrize(
    "text", ["你們記低啦", "搞快点记", "整吧", "得嘞，您记", "算了算了 记吧 不然钱也要不回来"]
)
def test_the_classifier_s_question_about_the_center_becomes_a_yes(text: str) -> None:
    chosen = plain_yes({"name": "consult", "confidence": 0.72}, text)
    assert chosen is not None and chosen["name"] == "affirm"


@pytest.mark.parametrize(
    "text",
    [
        "别记",
        "不要登记",
        "不想留",
        "先别记我名字",
        "你先别给我登记",
        "不要把我名字写上",
        "你记吧，别记我电话",
        "你记得我上次来过吧",
        "我名字好记",
        "登记",
        "记吗？",
        "要登记吗",
        "我记吧，好像是三月份借的",
    ],
)
def test_a_no_to_writing_or_words_about_remembering_are_no_consent(text: str) -> None:
    assert not tells_to_record(text)
    assert not says_yes_to_consent(text)
    for intent in ("out_of_scope", "nlu_fallback"):
        assert answer(DEBT, "consent", text, intent).updates.get("consent") is not True


@pytest.mark.parametrize("intent", ["deny", "nlu_fallback", "out_of_scope"])
@pytest.mark.parametrize("text", ["不太想留😶", "有点不放心", "嗯……不大愿意给电话", "其实有点犹豫"])
def test_a_worry_alone_is_asked_again_not_taken_for_a_no(text: str, intent: str) -> None:
    assert only_worried(text)
    turn = answer(DEBT, "consent", text, intent)
    assert turn.updates["consent"] is None  # not anonymous at once
    assert ("utter_reask_consent", {}) in turn.responses


@pytest.mark.parametrize(
    ("text", "intent"), [("不想留", "deny"), ("不同意", "deny"), ("匿名吧", "out_of_scope")]
)
def test_a_plain_no_is_still_a_refusal(text: str, intent: str) -> None:
    assert not only_worried(text)
    assert answer(DEBT, "consent", text, intent).updates["consent"] is False


def test_money_that_cannot_be_got_back_is_no_question() -> None:
    said = "算了算了 记吧 不然钱也要不回来"
    assert not questions.asks(said) and not questions.asks("钱也要不回来")
    turn = answer(DEBT, "consent", said, "consult")
    assert turn.question is None and turn.updates["consent"] is True


# ---- 2. the confirmation: agreeing in one's own words, then chit-chat ------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("是这么回事，闺女你记得真清楚", "out_of_scope"),
        ("就是这么个事，你们费心了", "consult"),
        ("没毛病，小伙子辛苦了", "thank"),
        ("对头，谢谢你哈", "thank"),
        ("是嘞，多谢", "thank"),
        ("係啊就係咁樣，唔該晒", "out_of_scope"),
        ("冇錯，好叻", "deny"),
        ("没错儿，您受累", "out_of_scope"),
        ("对咧，麻烦你了", "thank"),
        ("啱，你好犀利", "greet"),
        ("就是这么回事儿，你们真负责", "out_of_scope"),
        ("可不是嘛，一点没错", "nlu_fallback"),
        ("一点儿没错，谢谢同志", "out_of_scope"),
    ],
)
def test_agreement_with_thanks_or_praise_confirms_at_once(text: str, intent: str) -> None:
    turn = _turn(SUMMED, "confirmed", text, intent)
    assert turn is not None, "an agreement taken for an interruption"
    assert turn.updates["confirmed"] is True
    assert "unconfirmed_answer" not in turn.updates  # confirmed, not filed for staff to check
    assert not turn.responses


@pytest.mark.parametrize(
    "text",
    [
        "是这么回事，就是电话不对",
        "对，电话不对",
        "没错，就是名字写错了",
        "是这么个事，不过金额不是两万",
        "对头，号码应该是13987654321",
        "没毛病，我再补充一句",
        "对，就是对方不是朋友，是他表哥",
    ],
)
def test_a_yes_that_names_a_change_is_a_change(text: str) -> None:
    for intent in ("affirm", "out_of_scope"):
        turn = _turn(SUMMED, "confirmed", text, intent)
        assert turn is not None and turn.updates["confirmed"] is not True, (text, intent)


def test_the_amount_said_after_a_yes_changes_the_amount() -> None:
    turn = _turn(SUMMED, "confirmed", "没错，金额是三万", "out_of_scope")
    assert turn is not None and turn.updates["confirmed"] is None
    assert turn.updates["amount_yuan"] == 30000


@pytest.mark.parametrize(
    ("text", "changes"),
    [
        ("是这么回事，闺女你记得真清楚", False),
        ("没错，你们服务真不错", False),
        ("可不是，电话号码都记得清清楚楚", False),
        ("对的，不用改", False),
        ("电话不对", True),
        ("名字写错了", True),
        ("没毛病，还有个事忘了说", True),
    ],
)
def test_a_change_is_a_fact_named_with_a_change_word(text: str, changes: bool) -> None:
    assert names_a_change(text) is changes


# ---- 3. a question at the consent heard as a goodbye -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "我能先自己修了回头再找他要不？",
        "回头再找他赔行不行？",
        "我回头再去要一次，要不回来再来找你们可以吗？",
        "下个月再找他要来得及吗？",
        "回头再打13881234567找他行不行？",
    ],
)
def test_a_question_heard_as_a_goodbye_at_the_consent_is_answered_then_asked_again(text: str) -> None:
    turn = _turn(DEBT, "consent", text, "goodbye")
    assert turn is not None, "the intake was paused"
    assert turn.question == text
    assert turn.updates["consent"] is None
    assert "consent" not in turn.updates["reasked"]  # not the unclear answer before anonymity


@pytest.mark.parametrize(
    "text", ["我先走了，明天再来行吗？", "那回头再说好吧？", "再见", "拜拜啦", "好的88，明天再问行吗？"]
)
def test_taking_leave_is_still_a_goodbye(text: str) -> None:
    assert _turn(DEBT, "consent", text, "goodbye") is None  # the rule says the intake is kept


def test_a_question_heard_as_a_goodbye_at_the_confirmation_is_answered() -> None:
    said = "我回头再找他要利息行不？"
    turn = _turn(SUMMED, "confirmed", said, "goodbye")
    assert turn is not None and turn.question == said and turn.updates["confirmed"] is None


async def test_the_citizen_hears_the_question_noted_not_the_pause() -> None:
    said = "我能先自己修了回头再找他要不？"
    slots = {**DEBT, "requested_slot": "consent"}
    latest = {
        "text": said,
        "intent": {"name": "goodbye", "confidence": 0.8},
        "intent_ranking": [{"name": "goodbye", "confidence": 0.8}],
        "entities": [],
    }
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": said, "parse_data": latest},
        {"event": "action", "name": "intake_form"},
    ]
    tracker = Tracker(
        "citizen-20", slots, latest, events, False, None, {"name": "intake_form"}, "action_listen"
    )
    dispatcher = CollectingDispatcher()
    domain = {"forms": {"intake_form": {"required_slots": ["category", "consent", "confirmed"]}}}
    result = await ValidateIntakeForm().run(dispatcher, tracker, domain)
    replies = " ".join(str(m.get("text") or "") for m in dispatcher.messages)
    assert "记下了" in replies and _pause_text() not in replies
    kept = {e["name"]: e["value"] for e in result if e.get("event") == "slot"}
    assert said in kept["citizen_questions"]  # for staff
    assert kept.get("consent") is None and kept.get("requested_slot") == "consent"  # asked again
