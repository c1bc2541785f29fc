"""The sum in dispute (facts_dict amount) in more phrasings: "not a single cent" is no sum, the
citizen's own reckoning is the total (算下来, 就是, total), a belittling total is not (总共才…), parts
are added before a part paid back is taken off, a return told a sentence later, and money the other
side advanced. Each with phrasings that must stay as they were."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of

from bot.facts.extract import facts_dict


@pytest.mark.parametrize(
    "text",
    [
        "一蚊加班费都冇俾",
        "老板一蚊都冇俾过我",
        "他一块钱都没给",
        "房东连一元钱也不退",
        "1块钱都没给我",
        "一分钱都没给",
        "一毛都不给",
        "一分不出",
        "一个子儿都没有",
        "一文钱也没",
    ],
)
def test_not_a_single_cent_is_no_sum(text: str) -> None:
    assert not [f for f in facts_of(text, "amount") if f.value in (1, 0.1, 0.01)]
    assert "amount" not in facts_dict(text)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("工资三千五，老板一块钱都没给", 3500),
        ("欠我一万块都没给", 10000),
        ("欠我一千块钱，一分都没还", 1000),
        ("找零少给了我一块钱", 1),
        ("一块五一斤，欠我三百斤的钱", 1.5),
    ],
)
def test_sums_near_a_no_cent_phrase_stay(text: str, amount: float) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("一个月六百，一年就是七千二", 7200),
        ("定金一万，一个月租金三千，一年就是三万六", 36000),
        ("一个月五百 他一年没给 就是六千", 6000),
        ("借了他十万，还了三万，就是七万", 70000),
        ("已付房款一共三十萬，我算下來違約金兩萬一左右", 21000),
        ("总价一百二十八万，首付三十八万，阮算过差不多有六万六千多", 66000),
        ("装修款一共八万，我算了一下返工要花两万四", 24000),
        ("base 9500，total 38000", 38000),
        ("欠我工资 38000 in total", 38000),
        ("Total: 42000，老板一直拖", 42000),
        ("押金八千，altogether 5600 块没退", 5600),
    ],
)
def test_the_citizens_own_reckoning_is_the_total(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("借了他五万，他就是不给", 50000),  # 就是 not before a sum
        ("就是这个老板欠我三万", 30000),
        ("工资欠了两万，算下来一天才一百多", 20000),  # a reckoned rate is no total
        ("欠了三个月工资，一个月就是三千", 9000),
        ("工资欠了两万，加班费差不多有三千", 20000),  # 差不多有 inside a clause is a hedge
        ("彩礼十八万八加三金一万二，一共二十万", 200000),
        ("房款三十万，违约金一共就是两万一", 21000),  # 一共就是 still states the total
        ("summer 2000 去打工", None),
        ("他住 room 1203", None),
    ],
)
def test_other_senses_of_reckoning_words_stay(text: str, amount: int | None) -> None:
    assert facts_dict(text).get("amount") == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("存摺裡留了二十六萬多，我哥全部領走了，說是辦喪事用掉了，可是喪事總共才花三萬多", 260000),
        ("借给他五万，他说一共只欠我两千", 50000),
        ("房子装修花了十二万，他说总共也就值三万", 120000),
        ("赔偿款谈的是八万，他说一共就两万块的事", 80000),
        ("工资欠了一万二，他说总共不过五千", 12000),
    ],
)
def test_a_belittling_total_is_not_the_claim(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("第一批两万三，第二批两万八，伊拢讲卖了再付，到今嘛只还五千五", 45500),
        ("第一次借了他两万，第二次借了三万，后来他还了一万", 40000),
        ("材料款三万加上人工费一万二，老板退了两千", 40000),
        ("彩礼十八万八，还有三金一万二，女方退了五万", 150000),
        # must stay
        ("借了一万二，后来陆陆续续还了四千，剩下的拖着", 8000),
        ("第一次借了两万，第二次还了一万", 10000),
        ("第一次借给他两万，第二次又借了三万，一直没还", 50000),
    ],
)
def test_parts_are_added_before_the_part_paid_back_is_taken_off(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        (
            "彩礼给了十八万八，三金另算。今年五月她说不合适不结了，她家上个月才退了五万，剩下的说花掉了不退",
            138000,
        ),
        (
            "前年借给我一个老朋友八万块钱，说半年还。他拖了一年多才还了一万五，剩下的现在人都联系不上了",
            65000,
        ),
        ("房子押金给了房东六千。后来我搬走的时候检查了一遍，他说墙面弄脏了，只退了两千", 4000),
        ("工程款三十万，前前后后催了很多次，去年年底老板终于结了十二万，剩下的没影", 180000),
        # a promise told far off is no return
        ("彩礼给了十八万八，三金另算。今年五月她说不合适不结了，她家说只肯退五万", 188000),
        ("借给他八万。后来他说下个月一定还三万", 80000),
    ],
)
def test_a_return_told_a_sentence_later(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "per"),
    [
        ("他拖了一年多才还了一万五", None),  # how long it took, not a rate
        ("拖了一个月才给了三千", None),
        ("等了一年半才拿到两万", None),
        ("一年就挣三万", "year"),
        ("一个月三千，拖了一年多没给", "month"),
    ],
)
def test_a_duration_before_a_sum_is_no_rate(text: str, per: str | None) -> None:
    (fact,) = facts_of(text, "amount")
    assert fact.extra.get("per") == per


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("医药费花了四万出头，对方保险先垫了一万", 30000),
        ("医药费两万，他们公司先垫付了五千", 15000),
        ("医药费三万二，肇事司机垫付了八千，剩下的不管了", 24000),
        ("修车花了一万二，保险公司已经垫了六千", 6000),
        # the citizen's own advance, a promise, or no one named: the sum stays
        ("我自己垫了三万七", 37000),
        ("到现在都是我们自己垫的，已经三万七了", 37000),
        ("医药费四万，我先垫了一万", 40000),
        ("医药费四万，先垫了一万", 40000),
        ("住院花了五万，他家答应先垫一万", 50000),
    ],
)
def test_money_the_other_side_advanced_is_paid_back(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


def test_an_advance_off_a_hedged_sum_stays_approximate() -> None:
    (fact,) = facts_of("医药费花了四万出头，对方保险先垫了一万", "amount")
    assert fact.value == 30000 and fact.approximate


def test_an_offer_is_no_part_paid() -> None:
    from bot.facts.extract import facts_dict

    assert facts_dict("修理厂说得六千五，开拖拉机的说他就给一千")["amount"] == 6500
    assert facts_dict("修理厂说得六千五，开拖拉机的就给了一千")["amount"] == 5500
