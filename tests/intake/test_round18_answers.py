"""Answers a citizen gives in their own words: a share of an estate named in Cantonese, and a place
the classifier took for a question about the center's address."""

from __future__ import annotations

import pytest

from bot.facts import extract_facts
from bot.intake import consent_reading, dialogue
from tests.intake.helpers import answer


@pytest.mark.parametrize(
    ("said", "amount"),
    [
        ("十二萬蚊四份分，我要返屬於我嗰份，三萬蚊", 30000),
        ("阿爸留低二十萬，我哋五個分，我嗰份係四萬", 40000),
        ("存款一共十五万，我们三个分，我那份，五万", 50000),
    ],
)
def test_the_citizens_own_share_is_the_sum(said: str, amount: int) -> None:
    assert (
        answer({"category": "family", "consent": True}, "amount_yuan", said).updates["amount_yuan"] == amount
    )


def test_a_place_taken_for_a_question_about_the_center_is_the_answer() -> None:
    said = "开平市赤坎镇，老屋喺嗰度"
    entities = [f.as_entity() for f in extract_facts(said)]
    turn = dialogue.answer_turn(
        {"category": "family", "consent": True}, "location", said, "consult", entities
    )
    assert turn is not None and "开平" in str(turn.updates["location"])
    # a real question at that step is still left to the rules (answered, then asked again)
    asked = "你们中心在哪里？"
    assert dialogue.answer_turn({"category": "family"}, "location", asked, "consult", []) is None


@pytest.mark.parametrize(
    ("said", "amount"),
    [
        ("本金还剩四万多没还，银行说连利息是四万六千多", 46000),
        ("当初借了三万，他讲连本带利要还三万八", 38000),
    ],
)
def test_a_sum_with_the_interest_is_the_total(said: str, amount: int) -> None:
    assert answer({"category": "debt", "consent": True}, "amount_yuan", said).updates["amount_yuan"] == amount


def test_standing_surety_told_after_the_speaker_and_a_time_is_asked() -> None:
    story = "俺去年帮表弟在信用社贷款做担保，他贷了八万，现在人跑了，信用社天天找俺"
    ranking = [{"name": "dispute_debt", "confidence": 0.95}]
    entities = [f.as_entity() for f in extract_facts(story)]
    turn = dialogue.start_intake(story, ranking[0], ranking, entities, {})
    assert turn.updates.get("amount_yuan") is None and turn.updates["story_amount"]["value"] == 80000


@pytest.mark.parametrize(
    ("said", "amount"),
    [
        # a second thought that ends on a figure, after its reason
        ("我原本想要五万，后来想想算了，那就四万吧", 40000),
        ("还差两万……哦不对，我想起来上个月他还转过来三千，那就一万七", 17000),
        ("押金两千，还有多交的水费三百，一共两千三……等下，水费那个我认了，那就押金两千", 2000),
        # once parts, once more: 一次…一次 is two sums, less what came back
        ("我分两回转给他，一次五千，一次七千，后来他还了两千", 10000),
    ],
)
def test_the_figure_a_second_thought_ends_on_is_the_sum(said: str, amount: int) -> None:
    assert answer({"category": "debt", "consent": True}, "amount_yuan", said).updates["amount_yuan"] == amount


def test_a_room_number_given_with_the_address_is_no_sum() -> None:
    turn = answer({"category": "property", "consent": True}, "location", "锦华苑3号楼，阿拉是702，楼上802")
    assert turn.updates.get("amount_yuan") is None


def test_a_hesitation_that_comes_round_is_a_yes_to_the_consent() -> None:
    assert consent_reading.consents("说实话我有点犹豫……算了，还是登记吧", None)
    assert not consent_reading.consents("算了，还是匿名吧", None)


def test_the_name_typed_before_a_space_and_a_relative_named_after_is_the_citizens() -> None:
    turn = answer(
        {"category": "traffic", "consent": True}, "applicant_name", "马晓燕 我是她闺女 我妈叫刘翠兰"
    )
    assert turn.updates["applicant_name"] == "马晓燕"


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("福满楼饭店 原先的老板姓钱 后来盘给一个姓孙的了", "福满楼饭店 原先的老板姓钱 后来盘给一个姓孙的了"),
        ("包工头老王", "包工头老王"),
        ("是我们老板", "老板"),
    ],
)
def test_the_other_party_answered_at_length_is_kept_whole_not_as_a_bare_role(said: str, kept: str) -> None:
    assert answer({"category": "debt", "consent": True}, "counterparty", said).updates["counterparty"] == kept
