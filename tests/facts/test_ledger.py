"""The sum in dispute reckoned from one message (bot.facts.ledger and the steps that make its base), in
sentences of our own (Mandarin, Cantonese, northern dialect): a total less the parts paid toward it; parts
listed one by one added up; a rate times its periods; pieces counted with 块 are no money."""

from __future__ import annotations

import pytest

from bot.facts.extract import facts_dict
from tests.facts.facts_helpers import facts_of


def _amount(text: str) -> object:
    return facts_dict(text).get("amount")


def _approximate(text: str) -> bool:
    value = _amount(text)
    return any(f.approximate for f in facts_of(text, "amount") if f.value == value)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("住院费护理费加起来三万六，对方给了一万二", 24000),  # handed over by the other side
        ("合同上写的一共五十四万，给了四十万", 140000),  # no one named, right after the total
        ("修车厂报价一万二，保险赔了八千已经到账", 4000),  # compensated: a quote is the base too
        ("车撞坏了，修车花了八千，对方只赔了三千", 5000),
        ("工钱一共一万八，老板先打了五千过来", 13000),
        ("总共欠我八万，上个月给了两万，这个月又给了一万", 50000),  # every part paid is taken off
        ("借了他十万，还了三万，后来又还了两万", 50000),
        ("成個工程十二萬，佢淨係俾咗八萬", 40000),  # Cantonese 俾咗
        ("三個月人工，每個月五千二，老細上個月過咗兩千俾我", 13600),  # 過咗X俾我: transferred to me
        ("一天二百二，干了二十五天，中间借支过八百", 4700),  # an advance on the pay
        ("一天三百，干了二十天，给了我五千", 1000),
        ("额这活拢共两万四，他撂下八千就跑了", 16000),  # northern: 拢共, 撂下
    ],
)
def test_the_parts_paid_are_taken_off_the_total(text: str, amount: int) -> None:
    assert _amount(text) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("彩礼一共二十万，我给了她家十八万", 200000),  # the citizen paid
        ("装修款一共十二万，我已经付了八万，他没干完就跑了", 120000),
        ("一共两万，给了五千定金", 20000),  # a deposit handed over, not a part paid back
        ("房子总价一百二十万，首付给了四十万", 1200000),
        ("医药费两万，他领导来看过一回，塞了两千块钱", 20000),  # brought along on a visit
        ("他给了三千就不管了，工钱一共一万五", 15000),  # paid before the total is said
        ("一共一万五，他中间给过三千，还差一万二", 12000),  # what is still owed is said
        ("一共八千，他给了一万", 8000),  # more than the total: not a part of it
    ],
)
def test_nothing_is_taken_off_money_that_is_no_part_paid(text: str, amount: int) -> None:
    assert _amount(text) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("两张欠条，一张三万五，一张一万八，后来他还过一笔五千", 48000),
        ("第一回3000 第二回2500 第三回4000 一直没还", 9500),  # bare figures after 第N回 are sums
        ("第1次800，第2次1200，第3次600，都没给", 2600),
        ("泥水班欠二十一万，水电班十三万五，油漆那边六万出头", 405000),  # crews as labels
        ("六十三万，四十八万五，九万出头，都加一块儿", 1205000),  # the citizen asks us to add
        ("我自己六千二，两个老乡一人五千五，另外那仨加起来一万七", 34200),  # a group's own sum is a part
        ("我自己六千二，兩個老鄉每人五千五", 17200),
        ("我们三个一人七千，老板一分没给", 21000),  # a share each times the people counted
        ("十二个工人每人三千", 36000),
        ("俺们仨一人八千，工头一分没给", 24000),
        ("第一期交了3000，第二期交了3000", 6000),
    ],
)
def test_parts_listed_one_by_one_are_added(text: str, amount: int) -> None:
    assert _amount(text) == amount


def test_a_sum_of_parts_said_roughly_stays_rough() -> None:
    assert _approximate("泥水班欠二十一万，水电班十三万五，油漆那边六万出头，全加起来")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("一张一万二，一张八千六，加一块儿两万零六百", 20600),  # a total said after the parts wins
        ("两个孩子每人每月一千五", 1500),  # a share per month: a rate, no product
        ("他欠我三万，我欠他两万", 30000),
    ],
)
def test_a_total_said_or_no_list_adds_nothing(text: str, amount: int) -> None:
    assert _amount(text) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("每个月少发1800，已经四个月了", 7200),  # a shortfall per month: every count of months owed
        ("每個月少俾三百，已經五個月", 1500),
        ("三个月的工资，每个月四千六，一分没见着", 13800),  # the months' pay is the topic
        ("一亩一年八百，四十多亩，三年没给", 96000),
    ],
)
def test_a_rate_times_its_periods(text: str, amount: int) -> None:
    assert _amount(text) == amount


def test_land_rent_over_an_area_said_roughly_is_rough() -> None:
    assert _approximate("一亩一年八百，四十多亩，三年没给")


@pytest.mark.parametrize(
    "text",
    [
        "楼上漏水，我家天花板掉了三块，物业不管",
        "卫生间的瓷砖都掉了两块",
        "墙皮掉了四块，找了物业好几次",
        "玻璃碎了两块",
    ],
)
def test_pieces_counted_with_kuai_are_no_money(text: str) -> None:
    assert facts_of(text, "amount") == []


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("找零少给了我两块", 2),  # a money word: two yuan
        ("他还欠我五块", 5),
        ("鸡蛋碎了三块钱的", 3),  # 块钱 is money
        ("三块，他不给", 3),  # the figure alone
    ],
)
def test_small_sums_with_money_words_stay(text: str, amount: int) -> None:
    assert _amount(text) == amount
