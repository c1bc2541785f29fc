"""Bare facts are answers: a short message that is mostly a stated fact becomes ``inform`` when the
classifier took it for chit-chat, and nothing else changes."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.facts import extract_facts
from connectors.nlu.answer_detector import AnswerDetector, is_fact_answer, without_unsupported

NOW = dt.datetime(2026, 5, 10, 12, 0)


def entities(text: str) -> list[dict]:
    return [f.as_entity("FactExtractor") for f in extract_facts(text, NOW)]


@pytest.mark.parametrize(
    "text", ["我们15个人", "13912345678", "139 1234 5678", "三万五", "去年三月", "3个人", "欠条和聊天记录"]
)
def test_bare_facts_taken_for_chitchat_are_answers(text: str) -> None:
    assert is_fact_answer(text, "goodbye", entities(text))


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("我们15个人", "inform"),  # already an answer
        ("我们15个人", "dispute_wage_arrears"),  # a dispute stays a dispute
        ("我们15个人", "affirm"),  # consent answers keep their meaning
        ("他拿刀砍人，15个人", "danger"),
        ("再见", "goodbye"),  # no fact at all
        ("谢谢你们帮忙，我们这十五个人的事就拜托你们了，真是太感谢了", "thank"),  # mostly thanks
        (
            "包工头老王带着我们十五个人干了三个月的活，到现在一分钱工资都没有结给我们",
            "out_of_scope",
        ),  # too long
    ],
)
def test_everything_else_keeps_its_intent(text: str, intent: str) -> None:
    assert not is_fact_answer(text, intent, entities(text))


def test_the_component_moves_inform_to_the_top_of_the_ranking() -> None:
    text = "我们15个人"
    message = Message(data={"text": text})
    message.set("intent", {"name": "goodbye", "confidence": 0.6})
    message.set(
        "intent_ranking",
        [{"name": "goodbye", "confidence": 0.6}, {"name": "inform", "confidence": 0.25}],
    )
    message.set("entities", entities(text))
    AnswerDetector().process([message])
    assert message.get("intent")["name"] == "inform"
    ranking = message.get("intent_ranking")
    assert [r["name"] for r in ranking] == ["inform", "goodbye"]


def _classified(text: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking])
    message.set("entities", entities(text))
    AnswerDetector().process([message])
    return message


def test_an_unsure_restart_does_not_throw_the_intake_away() -> None:
    # "since last month", answering a question; a word classifier hears 重新开始 in 开始
    message = _classified("从上个月开始的", [("restart", 0.57), ("inform", 0.35), ("dispute_neighbor", 0.05)])
    assert message.get("intent")["name"] == "inform"
    assert [r["name"] for r in message.get("intent_ranking")][-1] == "restart"


def test_an_unsure_restart_falls_to_the_next_intent_even_without_facts() -> None:
    message = _classified("开始吧", [("restart", 0.5), ("affirm", 0.4)])
    assert message.get("intent")["name"] == "affirm"


def test_a_sure_restart_is_kept() -> None:
    message = _classified("重新开始", [("restart", 0.99), ("out_of_scope", 0.01)])
    assert message.get("intent") == {"name": "restart", "confidence": 0.99}


def test_last_month_is_a_time_fact() -> None:
    facts = [f for f in extract_facts("上个月开始", NOW) if f.entity == "time"]
    assert [(f.text, f.value) for f in facts] == [("上个月", {"start": "2026-04-01", "end": "2026-04-30"})]


def test_a_sure_restart_without_restart_words_is_an_answer() -> None:
    """按市场价重新评估 (re-assess at market price) answers the demand question; it is no 重新开始."""
    message = _classified("按市场价重新评估", [("restart", 0.93), ("inform", 0.05)])
    assert message.get("intent")["name"] == "inform"


def test_a_goodbye_needs_farewell_words() -> None:
    assert _classified("您再说一遍", [("goodbye", 0.9), ("inform", 0.05)]).get("intent")["name"] == "inform"
    assert _classified("翡翠城12栋", [("goodbye", 0.7), ("inform", 0.2)]).get("intent")["name"] != "goodbye"
    assert _classified("好的再见", [("goodbye", 0.95), ("affirm", 0.05)]).get("intent")["name"] == "goodbye"


def test_a_bare_what_is_no_question_about_the_center() -> None:
    assert _classified("什么", [("consult", 0.6), ("nlu_fallback", 0.3)]).get("intent")["name"] != "consult"
    kept = _classified("要带什么材料", [("consult", 0.97), ("inform", 0.01)])
    assert kept.get("intent")["name"] == "consult"


def test_a_question_is_no_yes_or_no() -> None:
    """这个收费不？ at the consent question asks about cost; it does not refuse consent."""
    asked = _classified("这个收费不？", [("deny", 0.42), ("consult", 0.23), ("out_of_scope", 0.18)])
    assert asked.get("intent")["name"] == "consult"
    assert _classified("不同意？", [("deny", 0.9), ("consult", 0.05)]).get("intent")["name"] == "deny"
    assert _classified("不", [("deny", 0.9), ("consult", 0.05)]).get("intent")["name"] == "deny"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("离婚的话要带什么材料过去", "dispute_family"),
        ("被单位辞退了，申请仲裁得准备哪些材料", "dispute_labor"),
        ("五一放假你们有人值班吗", "dispute_labor"),
        ("调解收不收费", "out_of_scope"),
    ],
)
def test_a_question_about_the_center_is_a_consultation_whatever_case_it_names(text: str, intent: str) -> None:
    from connectors.nlu.answer_detector import without_unsupported

    ranked = {"name": intent, "confidence": 0.8}
    assert without_unsupported(ranked, [ranked], text)["name"] == "consult"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "老板欠了我们三个月工资不给",
            "dispute_wage_arrears",
        ),  # a dispute without a question about the center
        ("带什么材料", "query_status"),  # only disputes and unclear messages are taken over
    ],
)
def test_other_messages_keep_their_intent(text: str, intent: str) -> None:
    from connectors.nlu.answer_detector import without_unsupported

    ranked = {"name": intent, "confidence": 0.8}
    assert without_unsupported(ranked, [ranked], text)["name"] != "consult"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("讨工钱过去要带些啥？我就一个记工的本子", "dispute_wage_arrears"),
        ("撞车了要调解，得拿哪些资料过去", "dispute_traffic"),
        ("地址发我一下，导航找不到你们", "nlu_fallback"),
        ("我在外地回不去，打电话能不能办", "dispute_labor"),
        ("调解要钱不", "dispute_debt"),
        ("农民工讨工钱，可以申请法律援助吗", "dispute_wage_arrears"),
    ],
)
def test_a_question_about_the_center_wins_over_the_case_type_it_names(text: str, intent: str) -> None:
    chosen = without_unsupported({"name": intent, "confidence": 0.6}, [], text)
    assert chosen["name"] == "consult"


def test_a_whole_story_that_names_a_consultation_word_stays_a_dispute() -> None:
    story = (
        "我在一家做小程序外包的网络公司写代码，试用期第二个月老板在微信上说明天不用来了，"
        "没有任何理由，也没有书面通知，合同上写的试用期工资八千，我要求赔一个月工资"
    )
    chosen = without_unsupported({"name": "dispute_labor", "confidence": 0.6}, [], story)
    assert chosen["name"] == "dispute_labor"


def test_a_digit_cue_never_hides_inside_a_phone_number() -> None:
    said = "188 1297 6650，打错了，是188 1297 6605"
    ranking = [{"name": "goodbye", "confidence": 0.47}, {"name": "inform", "confidence": 0.29}]
    assert without_unsupported(ranking[0], ranking, said)["name"] == "inform"
    assert without_unsupported({"name": "goodbye", "confidence": 0.9}, [], "好的 88")["name"] == "goodbye"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("我们十几个人都得去窗口吗？", "nlu_fallback"), ("係咪一定要親自去你哋中心？", "out_of_scope")],
)
def test_whether_everyone_must_come_in_person_is_a_question_about_the_center(text: str, intent: str) -> None:
    from bot.textnorm import normalize_text

    chosen = without_unsupported({"name": intent, "confidence": 0.4}, [], normalize_text(text))
    assert chosen["name"] == "consult"


def test_an_answer_with_question_words_stays_an_answer_unless_it_is_a_question() -> None:
    inform = {"name": "inform", "confidence": 0.4}
    assert without_unsupported(inform, [], "我们十二个人都得去窗口吗？")["name"] == "consult"
    assert without_unsupported(inform, [], "网上能查到的我都查过了")["name"] == "inform"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("收唔收钱㗎？我想搵人帮手调解下", "dispute_debt"),
        ("出了车祸想过来调解，事故认定书要不要带原件", "dispute_traffic"),
        ("借钱的事调解，借条带原件还是复印件就行", "dispute_debt"),
        (
            "我在工地干了两年，准备申请劳动仲裁，同事说从立案到裁决要好几个月，真的吗？"
            "大概得多久啊，我请不了那么多天假",
            "dispute_labor",
        ),
    ],
)
def test_a_question_about_the_service_said_with_a_case_is_a_consultation(text: str, intent: str) -> None:
    """Cantonese A唔A, 要不要带/原件还是, and a long message whose last sentence opens with the
    question ("大概得多久啊，…") are about the center."""
    chosen = without_unsupported({"name": intent, "confidence": 0.6}, [], text)
    assert chosen["name"] == "consult"


def test_a_long_story_whose_question_comes_before_a_statement_stays_a_dispute() -> None:
    story = (
        "老板拖了我们三个月工资，一共两万四，我们去找了好几次都说没钱，要多久才能拿到？"
        "现在工地已经停了，老板人也找不到了，我们几个人天天在工棚里等着"
    )
    chosen = without_unsupported({"name": "dispute_wage_arrears", "confidence": 0.6}, [], story)
    assert chosen["name"] == "dispute_wage_arrears"


@pytest.mark.parametrize(
    ("text", "intent", "yes"),
    [
        ("要得嘛，你们记", "consult", True),
        ("中，你们看着办", "out_of_scope", True),
        ("好的，要带什么材料？", "consult", False),  # a yes that asks: the question is answered
        ("要多久", "consult", False),
        ("好的", "affirm", False),  # already a yes: nothing to change
    ],
)
def test_a_yes_that_asks_nothing_is_a_yes(text: str, intent: str, yes: bool) -> None:
    from connectors.nlu.answer_detector import plain_yes

    found = plain_yes({"name": intent, "confidence": 0.6}, text)
    assert (found is not None and found["name"] == "affirm") is yes


@pytest.mark.parametrize("text", ["我能先自己修了回头再找他要不？", "回头再去要一次行不行"])
def test_claiming_later_is_no_goodbye(text: str) -> None:
    ranking = [{"name": "goodbye", "confidence": 0.7}, {"name": "consult", "confidence": 0.2}]
    assert without_unsupported(ranking[0], ranking, text)["name"] != "goodbye"


def test_see_you_later_is_a_goodbye() -> None:
    ranking = [{"name": "goodbye", "confidence": 0.7}]
    assert without_unsupported(ranking[0], ranking, "好的，回头再说")["name"] == "goodbye"


def test_a_long_message_heard_as_a_greeting_goes_to_the_next_intent() -> None:
    text = "你好 我想问下个体户营业执照变更法人在你们这办吗"
    ranking = [{"name": "greet", "confidence": 0.7}, {"name": "out_of_scope", "confidence": 0.2}]
    assert without_unsupported(ranking[0], ranking, text)["name"] == "out_of_scope"
    short = [{"name": "greet", "confidence": 0.9}]
    assert without_unsupported(short[0], short, "您好，我有个事情想咨询一下")["name"] == "greet"
