"""Elevated concerns a blind round (round 4) showed the screen missing: an occupational lung disease
lived with at home, two people hospitalised together, a child bitten by an animal."""

from __future__ import annotations

import pytest

from bot.risk import screen


@pytest.mark.parametrize(
    "text",
    [
        "井下干了二十年，查出矽肺，现在离不开吸氧机",
        "厂里不认我的尘肺病，天天在家吸氧",
        "我和我爸被一辆三轮车撞了，俩人都住院了",
        "邻居家的大狗把我女儿手咬伤了，去打了狂犬疫苗",
        "我孙子放学被楼下的狗咬了，腿上好几个牙印",
    ],
)
def test_these_are_elevated(text: str) -> None:
    assert screen(text).level == "elevated"


@pytest.mark.parametrize(
    "text",
    [
        "我家狗把邻居的鞋咬坏了，赔了两百",
        "去年住院了一个月，现在早好了",
        "想咨询一下抚养费的标准",
    ],
)
def test_these_are_not(text: str) -> None:
    assert screen(text).level == "none"


def test_a_passbook_in_an_inheritance_quarrel_is_no_farewell() -> None:
    """A blind round-5 citizen: 存折 twice in an inheritance story read as two farewell cues."""
    assert screen("我爸去年走了，存摺裡有十二萬六，大哥把存摺拿走全取光了，我一分都沒分到").level != "urgent"
    assert screen("存折密码写在纸上压在抽屉里了，孩子以后就托付给我姐了").level == "urgent"


def test_a_demand_to_take_turns_caring_for_a_parent_is_no_farewell() -> None:
    """A blind round-5 citizen's 诉求 ("以后轮流照顾老人") raised the self-harm alarm."""
    assert screen("医药费三个人平摊，以后轮流照顾老人").level != "urgent"
    assert screen("以后就拜托你们照顾我女儿了，我实在撑不下去了").level == "urgent"
    assert screen("我走了以后帮我照顾好闺女").level == "urgent"
