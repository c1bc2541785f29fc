"""Blind round 11's answer misses, in other words: a name with a character spelled out or corrected, a
name after a phone, a rough headcount with no noun, a sum left out or still owed, and an answered sum
replacing the one read from the first message."""

from __future__ import annotations

from typing import Any

import pytest

from bot.facts import extract_facts
from bot.intake import dialogue
from bot.intake.answers import read_answer
from bot.intake.schema import fact_specs
from bot.intake.turn import Turn


def entities(text: str) -> list[dict[str, Any]]:
    return [f.as_entity() for f in extract_facts(text)]


def read(fact: str, text: str) -> Any:
    return read_answer(fact_specs()[fact], text, "inform", entities(text)).value


def answer(slots: dict[str, Any], requested: str, text: str) -> Turn:
    turn = dialogue.answer_turn(slots, requested, text, "inform", entities(text))
    assert turn is not None
    return turn


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("冯玉芬，唉打错了，是冯玉芳，芳香的芳", "冯玉芳"),
        ("彭建华建是建设的建", "彭建华"),
        ("钟海燕，海洋的海，燕子的燕", "钟海燕"),
        ("我姓章，立早章，章志强", "章志强"),
        ("我姓胡，古月胡，叫胡明亮", "胡明亮"),
        ("赵磊，走肖赵", "赵磊"),
        ("我叫罗兰兰花的兰", "罗兰"),
        ("陶红梅，不对，写错了，是陶红玫，玫瑰的玫", "陶红玫"),
        ("何静，人可何，安静的静", "何静"),
        ("毛小华，打错了，是毛晓华，华夏的华", "毛晓华"),  # 华夏的华 starts with a surname
    ],
)
def test_a_spelled_out_character_is_never_the_name(said: str, name: str) -> None:
    assert read("applicant_name", said) == name


@pytest.mark.parametrize(
    ("said", "name", "phone"),
    [
        ("号码先给你159 3321 0876，名字宁海涛", "宁海涛", "15933210876"),
        ("手机18977776666 我叫苟春生", "苟春生", "18977776666"),
        ("名字叫邬丽娟，电话13522224444", "邬丽娟", "13522224444"),
        ("电话13766665555，名字是柴文斌", "柴文斌", "13766665555"),
    ],
)
def test_a_name_and_a_phone_in_the_answer_to_the_name_question(said: str, name: str, phone: str) -> None:
    slots = {"category": "wage_arrears", "sub_type": "wages", "consent": True, "description": "老板欠薪"}
    turn = answer(slots, "applicant_name", said)
    assert turn.updates["applicant_name"] == name
    assert turn.updates["phone"] == phone


@pytest.mark.parametrize(
    ("said", "count"),
    [("二十几个，有名单", 20), ("三十来个吧", 30), ("十五个，都是老乡", 15), ("大概12个吧", 12)],
)
def test_a_count_opening_the_answer_to_the_headcount_question(said: str, count: int) -> None:
    assert read("headcount", said) == count


def test_a_rough_headcount_answer_is_kept_as_approximate() -> None:
    slots = {"category": "wage_arrears", "sub_type": "wages", "consent": False, "description": "老板欠薪"}
    turn = answer(slots, "headcount", "四十几个，名单都有")
    assert turn.updates["headcount"] == 40
    assert "headcount" in turn.updates["approximate"]


def test_a_rough_group_in_the_first_message_is_the_headcount() -> None:
    turn = dialogue.start_intake(
        "我们三十几个弟兄在高速项目上干了大半年，包工头一分没给",
        {"name": "dispute_wage_arrears", "confidence": 0.95},
        [{"name": "dispute_wage_arrears", "confidence": 0.95}],
        entities("我们三十几个弟兄在高速项目上干了大半年，包工头一分没给"),
        {},
    )
    assert turn.updates["headcount"] == 30
    assert "headcount" in turn.updates["approximate"]


@pytest.mark.parametrize(
    ("said", "amount"),
    [
        ("我们自己先垫了一万八，公司给的三千不算在里面", 18000),
        ("医药费四万二，单位报的那六千不包括", 42000),
        ("不算押金那两千，房租欠了九千六", 9600),
        ("一共一万二……哦不对，他中间给过两千，还差一万", 10000),
        ("总共六万，还了一部分，还欠三万五", 35000),
        ("本来三万，他还过八千，现在还剩两万", 20000),  # the citizen's own figure over 30000 - 8000
        ("老板垫了五千块，医药费花了三万", 30000),  # the other side's advance is still left out
        ("鸡圈被推了，损失两千来块", 2000),
        ("借了他三万，不算利息", 30000),  # the sum is kept; only the interest is left out
        ("五千不算多，可他就是拖着不给", 5000),  # 不算多 is "not much"
    ],
)
def test_the_sum_meant_by_an_amount_answer(said: str, amount: int) -> None:
    assert read("amount_yuan", said) == amount


def test_the_last_months_pay_is_the_sum_not_the_months_worked_times_it() -> None:
    assert read("amount_yuan", "在仓库干了五个月，老板最后一个月工资五千二没发") == 5200


def test_a_rough_sum_answer_is_kept_as_approximate() -> None:
    slots = {"category": "neighbor", "consent": False, "description": "邻居家的羊把菜吃了"}
    turn = answer(slots, "amount_yuan", "菜地毁了，损失八百来块")
    assert turn.updates["amount_yuan"] == 800
    assert "amount_yuan" in turn.updates["approximate"]


def test_an_answered_sum_replaces_the_one_from_the_first_message() -> None:
    slots = {
        "category": "wage_arrears",
        "sub_type": "wages",
        "consent": False,
        "description": "老板欠我们二十多万工钱",
        "amount_yuan": 200000,
        "approximate": ["amount_yuan"],
    }
    turn = answer(slots, "amount_yuan", "二十三万六，账本上记着的")
    assert turn.updates["amount_yuan"] == 236000
    assert turn.updates["approximate"] is None
