"""The sum the intake keeps, reckoned from one message: the answer to "一共涉及多少钱？" and the story of
a first message agree with the fact extractor (bot.facts.ledger): a total less the parts paid toward it,
parts listed one by one added up, a rate times its periods, pieces counted with 块 no money. Sentences of
our own, in Mandarin, Cantonese and northern dialect."""

from __future__ import annotations

from typing import Any

import pytest

from bot.facts import extract_facts, facts_dict
from bot.intake import dialogue
from bot.intake.answers import facts_from_entities, is_approximate, read_answer
from bot.intake.schema import fact_specs
from tests.intake.helpers import told_sum


def entities(text: str) -> list[dict[str, Any]]:
    return [f.as_entity() for f in extract_facts(text)]


def answered(text: str) -> Any:
    """The sum read from the answer to the money question."""
    return read_answer(fact_specs()["amount_yuan"], text, None, entities(text)).value


def from_story(text: str) -> Any:
    """The sum the intake keeps from a message it did not ask about."""
    return facts_from_entities(entities(text), fact_specs(), ["amount_yuan"], text).get("amount_yuan")


def first_message(text: str, category: str = "labor") -> Any:
    intent = {"name": f"dispute_{category}", "confidence": 0.95}
    return told_sum(dialogue.start_intake(text, intent, [intent], entities(text), {}).updates)


RECKONED = [
    ("住院费护理费加起来三万六，对方给了一万二", 24000),
    ("合同上写的一共五十四万，给了四十万", 140000),
    ("修车厂报价一万二，保险赔了八千已经到账", 4000),
    ("工钱一共一万八，老板先打了五千过来", 13000),
    ("三個月人工，每個月五千二，老細上個月過咗兩千俾我", 13600),
    ("成個工程十二萬，佢淨係俾咗八萬", 40000),
    ("一天二百二，干了二十五天，中间借支过八百", 4700),
    ("俺这活儿拢共两万四，他转了八千给我就再不露面", 16000),
    ("两张欠条，一张三万五，一张一万八，后来他还过一笔五千", 48000),
    ("第一回3000 第二回2500 第三回4000 一直没还", 9500),
    ("泥水班欠二十一万，水电班十三万五，油漆那边六万出头，全加起来", 405000),
    ("我自己六千二，两个老乡一人五千五，另外那仨加起来一万七", 34200),
    ("每个月少发1800，已经四个月了", 7200),
    ("每個月少俾三百，已經五個月", 1500),
    ("一亩一年八百，四十多亩，三年没给", 96000),
]


@pytest.mark.parametrize(("text", "amount"), RECKONED)
def test_the_answer_to_the_money_question_is_the_sum_reckoned(text: str, amount: int) -> None:
    assert answered(text) == amount


@pytest.mark.parametrize(("text", "amount"), RECKONED)
def test_the_story_and_the_fact_extractor_agree(text: str, amount: int) -> None:
    assert from_story(text) == amount
    assert facts_dict(text)["amount"] == amount


def test_a_first_message_puts_the_sum_reckoned_on_the_ticket() -> None:
    story = "我在工地干木工，说好的工钱一共一万八，老板先打了五千过来，剩下的拖着"
    assert first_message(story) == 13000


@pytest.mark.parametrize(
    "text",
    [
        "泥水班欠二十一万，水电班十三万五，油漆那边六万出头，全加起来",
        "一亩一年八百，四十多亩，三年没给",
    ],
)
def test_a_sum_reckoned_from_rough_figures_is_kept_as_rough(text: str) -> None:
    assert is_approximate(entities(text), fact_specs()["amount_yuan"])


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("医药费三万，厂长来过一回，拿了五千块", 30000),  # brought along on a visit: no part paid
        ("他给了三千就不管了，工钱一共一万五", 15000),  # paid before the total is said
        ("一共一万五，他中间给过三千，还差一万二", 12000),  # the sum still owed is said
    ],
)
def test_money_that_is_no_part_paid_takes_nothing_off(text: str, amount: int) -> None:
    assert answered(text) == amount
    assert from_story(text) == amount


@pytest.mark.parametrize(
    "text",
    ["楼上漏水，我家天花板掉了三块，物业一直不管", "卫生间的瓷砖都掉了两块，找了三次没人来修"],
)
def test_pieces_counted_with_kuai_put_no_sum_on_the_ticket(text: str) -> None:
    assert from_story(text) is None
    assert first_message(text, "property") is None
