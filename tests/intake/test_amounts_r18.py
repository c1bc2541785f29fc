"""Round 18's sums read by the intake, in sentences of our own: the story's sum (facts_from_entities /
meant_amount) and the answer to the money question (read_answer). The other side's unpaid or demanded
share over the expense; a sum taken back in other words (看错, 记混, 哦不, 稍等…是); money the other side
handed over is no sum in dispute; a dead parent's estate or a loan the citizen guaranteed leaves the
question to be asked, and ``story_sum`` keeps that figure for the dialogue; land rent per mu and year."""

from __future__ import annotations

from typing import Any

import pytest

from bot.facts import extract_facts
from bot.intake import dialogue
from bot.intake.amount_answers import meant_amount
from bot.intake.answers import facts_from_entities, read_answer
from bot.intake.schema import fact_specs


def entities(text: str) -> list[dict[str, Any]]:
    return [f.as_entity() for f in extract_facts(text)]


def from_story(text: str) -> Any:
    """The sum the intake keeps from a message it did not ask about (None: the question is asked)."""
    return facts_from_entities(entities(text), fact_specs(), ["amount_yuan"], text).get("amount_yuan")


def answered(text: str) -> Any:
    """The sum read from the answer to the money question."""
    return read_answer(fact_specs()["amount_yuan"], text, None, entities(text)).value


def amounts(text: str) -> list[dict[str, Any]]:
    return [e for e in entities(text) if e["entity"] == "amount"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("手术花了三万，说好两家平摊，他该出的一万五一直没给", 15000),
        ("住院一共花了四万二，说好一家一半，他那份两万一到现在一分没出", 21000),
        ("总共花了两万一，我们三个一人七千，两个弟弟该拿一万四，就要他们把一万四拿出来", 14000),
        ("醫藥費總共花了六萬，講好兩家平分，佢嗰份三萬一直冇俾", 30000),
        ("修围墙花了八千，两家各出一半，让他出四千他不肯", 4000),
        ("他打了我，赔了两千块钱了事，但我要他赔医药费一万", 10000),
    ],
)
def test_the_share_unpaid_or_demanded_is_the_sum_not_the_expense(text: str, amount: int) -> None:
    assert from_story(text) == amount
    assert answered(text) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("报价是5280……等下我看错了，是5820", 5820),
        ("大概九千吧…等等，刚查了下，九千没算夜班的，加上是一万零八百", 10800),
        ("工钱是六千八，哦不，记混了，是六千三", 6300),
        ("欠款三万七，稍等，我再看看，是三万二", 32000),
        ("維修費6400，我看錯了，是4600", 4600),
        ("房租押金三千五，等阵，我睇错咗，系三千", 3000),
    ],
)
def test_a_sum_taken_back_in_other_words_is_replaced(text: str, amount: int) -> None:
    assert answered(text) == amount
    assert from_story(text) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("是5820，哦不，看岔了，是5280", 5280),  # no money word at all: bare figures in the answer
        ("6800，等一下我看看，是8600", 8600),
        ("5600，两个月的", 5600),  # a bare figure and no correction, as before
    ],
)
def test_a_bare_figure_answer_that_corrects_itself(text: str, amount: int) -> None:
    assert answered(text) == amount


@pytest.mark.parametrize(
    "text",
    [
        "出事后厂长来过一回，拿了五千块，后来就不露面了",
        "工伤以后老板来医院看了一次，塞了两千块钱，再也没来过",
        "出咗事之后老细嚟过一次，俾咗我两千蚊，之后就冇再理",
        "事故發生後，對方送來五千塊，之後電話都不接",
        "老板来过一次，给了五千块，说剩下的过年给",
    ],
)
def test_money_the_other_side_handed_over_is_no_sum_in_dispute(text: str) -> None:
    assert meant_amount(amounts(text), text) is None
    assert from_story(text) is None  # the money question is asked


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("医药费三万，厂长来过一回，拿了五千块", 30000),
        ("包工头打了五千过来，剩下的一万二一直拖着", 12000),
        ("车祸对方全责，保险赔了两万，但是我的误工费还有一万没给", 10000),
        ("老板拿了我五千块押金不退", 5000),  # taken from the citizen: the sum
    ],
)
def test_the_sum_beside_money_handed_over_is_kept(text: str, amount: int) -> None:
    assert from_story(text) == amount


@pytest.mark.parametrize(
    "text",
    [
        "老爷子留了二十万存款，我们兄妹四个，大哥全拿走了",
        "我妈走的时候留下三十多万，我们姐弟三个，现在都在我弟手里",
        "父親過世後留下的存款有四十萬，兄弟姐妹五個，二哥一個人霸佔了",
        "我爸走了以后，存款有二十万，被我继母全取了",
        "他贷了十五万，我是担保人，银行找我还",
        "朋友在网贷借了八万，我给他做的担保，现在天天催我",
        "存摺裡留了二十六萬多，我哥全部領走了，說是辦喪事用掉了，可是喪事總共才花三萬多",
    ],
)
def test_an_estate_or_a_guaranteed_loan_leaves_the_question_and_is_kept_aside(text: str) -> None:
    from bot.intake.amount_answers import story_sum

    assert from_story(text) is None  # the money question is asked
    kept = story_sum(entities(text), text)
    assert kept is not None and kept["value"] == max(e["value"] for e in amounts(text))


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("老爷子留了二十万存款，我们兄妹四个，我要我那份五万", 50000),
        ("老爷子留了二十万存款，我们兄妹四个，我应该分五万", 50000),
        ("他贷了十五万，我是担保人，银行要我还八万", 80000),
        ("我替他还了三万，他贷的十五万我是担保人", 30000),
    ],
)
def test_the_citizens_own_share_or_the_sum_asked_of_them_is_settled(text: str, amount: int) -> None:
    from bot.intake.amount_answers import story_sum

    assert from_story(text) == amount
    assert story_sum(entities(text), text) is None


@pytest.mark.parametrize(
    "text",
    [
        "老板欠我三个月工资，一共两万四，一直拖着不给",
        "他借了我两万块钱一直不还",
        "出事后厂长来过一回，拿了五千块，后来就不露面了",  # no sum in dispute, but none set aside either
        "老板只是口头说会给，没说多少",
    ],
)
def test_story_sum_is_none_for_everything_else(text: str) -> None:
    from bot.intake.amount_answers import story_sum

    assert story_sum(entities(text), text) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("五亩地流转，一亩一年六百，三年没给", 9000),
        ("两亩半，每亩每年八百，欠了两年", 4000),
        ("五畝地流轉，一畝一年六百，三年沒給", 9000),
        ("一亩一年六百，三年没给", 1800),  # no area: the rate times the years, as before
    ],
)
def test_land_rent_per_mu_and_year(text: str, amount: int) -> None:
    assert from_story(text) == amount
    assert answered(text) == amount


def test_the_question_is_asked_after_a_story_of_money_handed_over() -> None:
    story = "在工地摔断了腿，出事后包工头来过一回，拿了五千块，后来就不露面了"
    turn = dialogue.start_intake(
        story,
        {"name": "dispute_labor", "confidence": 0.95},
        [{"name": "dispute_labor", "confidence": 0.95}],
        entities(story),
        {},
    )
    assert turn.updates.get("amount_yuan") is None
