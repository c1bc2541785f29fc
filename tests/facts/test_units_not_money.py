"""A number with a unit of length, area, weight, loudness or the like is no money (挪二十公分, 三十厘米,
九十分贝), nor are counts, floors, ages and durations; a rate per mu stays a rate. A sum the citizen
settles for (赔我五千就行) is marked claimed and wins over what was spent."""

from __future__ import annotations

import pytest

from bot.facts.claims import CLAIMED
from bot.facts.extract import facts_dict
from tests.facts.facts_helpers import facts_of, values_of


@pytest.mark.parametrize(
    "text",
    [
        "他还说新墙要往我这边挪二十公分",
        "他要占我三十厘米",
        "要让出八十毫米",
        "还要再挪个二十公分",
        "要退二十多公分",
        "要挪30公分",
        "要十来公分",
        "欠我二十公分的地",
        "要挪二十寸",
        "要退十五尺",
        "要砍三丈多",
        "要高二十公尺",
        "要走二十里地",
        "占了两公顷要赔",
        "要收二十市斤",
        "要控制在五十五分贝",
        "他家那狗叫起来有九十分贝，吵了三个月",
        "要给我八十平米",
        "要三百平方米",
        "要交三百度电的钱",
        "要住到十八层",
        "要到六十五岁",
        "要等四十五天",
        "要拖八个月",
        "要給我讓出二十公分",  # 繁體
    ],
)
def test_a_measure_is_no_sum(text: str) -> None:
    assert values_of(text, "amount") == []


def test_a_rate_per_mu_stays_a_rate() -> None:
    facts = facts_of("一亩八百块，租了他两亩", "amount")
    assert [(f.value, f.extra.get("per")) for f in facts] == [(800, "mu")]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("欠我三万里面有两万是工资", 30000),  # 里面 is no 里 of distance
        ("那五千里头有一千是押金", 5000),
        ("给的两千里边有五百是路费", 2000),
    ],
)
def test_a_word_starting_like_a_unit_leaves_the_sum(text: str, amount: int) -> None:
    assert values_of(text, "amount")[0] == amount


def test_a_measure_beside_a_sum_leaves_the_sum() -> None:
    assert values_of("要挪二十公分，还要赔我五千", "amount") == [5000]
    assert facts_dict("水漫进来三十公分深，家具全泡了，损失两万多")["amount"] == 20000


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("地板当时装修花了八千多，算了，赔我五千就行", 5000),
        ("修车花了一万二，给我八千就算了", 8000),
        ("医药费花了三万，要两万就够了", 20000),
        ("买的时候三千块，只要一千五", 1500),
        ("花了一万多，我只要他赔六千", 6000),
        ("洗衣机三千二买的，赔我两千就好", 2000),
        ("装修花咗八千，佢赔五千俾我就得啦", 5000),
        ("买的时候七千，我觉得赔我四千就行", 4000),
        ("前后花了一万五，给一万就算了，不跟他计较", 10000),
    ],
)
def test_the_sum_settled_for_is_claimed(text: str, amount: int) -> None:
    assert [f.value for f in facts_of(text, "amount") if f.extra.get(CLAIMED)] == [amount]
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    "text",
    [
        "装修花了八千，他说赔三千就行，我不同意",
        "装修花了八千，别以为给我三千就算了",
        "一共花了八千，那两千就算了",
        "装修花了八千，赔五千就得还",
        "他说给我三千就行",
        "我要出五千",  # the citizen pays
        "工资欠了八千，给五千就行，剩下的慢慢给",  # a first part, the rest still owed
        "工资欠了八千，先给五千就行",
        "他要求赔五千",
    ],
)
def test_an_offer_a_refusal_or_a_sum_let_go_is_not_claimed(text: str) -> None:
    assert not [f.value for f in facts_of(text, "amount") if f.extra.get(CLAIMED)]
