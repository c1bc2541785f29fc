"""Calibration of elevated against urgent, and the kinds of phrasing added after held-out batch 14.

Each table holds other wordings of a situation (not the held-out sentences): an injury being treated
and a vulnerable party are ``elevated`` and carry no 110; history and everyday words stay ``none``.
"""

from __future__ import annotations

import pytest

from bot.risk import screen

# An injury being treated now: elevated, whatever caused it, and no police number.
INJURY_TREATED = [
    "孩子头上被掉下来的瓷砖划了个口子，缝了三针，这会儿还在医院",
    "我从梯子上摔下来，腿上打了钢板，现在还住着院",
    "我爸被电动车撞了，现在还躺在市医院骨科",
    "干活时手被机器压断了，人还在医院抢救室外面等着",
    "我妈在菜市场滑倒骨折了，等着做手术，摊主说不关他的事",
    "孩子被邻居家的狗咬了，正在打狂犬疫苗",
]

# Past injuries, illness stays and hospital paperwork: none.
NOT_AN_INJURY_NOW = [
    "去年在工地摔骨折了，现在好了，想问问工伤赔偿怎么算",
    "住院费报销不了该找谁",
    "前年住院的发票丢了，还能报销吗",
    "我在医院做的体检，结果单寄错地址了",
]

# Violence told as history after the relationship ended: none.
HISTORY = [
    "好多年前他动手打过我，后来就离婚了，现在只想把抚养费的事说清楚",
    "以前她老公打过她，早就离了，现在她想要回嫁妆",
    "结婚那会儿他打过我，离婚都八年了，现在为了孩子上学的户口找我",
]

# …but a separation does not make violence going on now a thing of the past.
STILL_URGENT_AFTER_SEPARATION = [
    "已经离婚了，他还天天来打我",
    "早就分开了，前夫刚才又冲进来打我",
]


@pytest.mark.parametrize("text", INJURY_TREATED)
def test_injury_being_treated_is_elevated(text: str) -> None:
    result = screen(text)
    assert result.level == "elevated", result
    assert "injury_treated" in result.kinds
    assert "110" not in [n.number for n in result.emergency_numbers]


@pytest.mark.parametrize("text", NOT_AN_INJURY_NOW)
def test_past_injury_or_hospital_paperwork_is_none(text: str) -> None:
    assert screen(text).level == "none", screen(text)


@pytest.mark.parametrize("text", HISTORY)
def test_violence_as_history_after_separation_is_none(text: str) -> None:
    assert screen(text).level == "none", screen(text)


@pytest.mark.parametrize("text", STILL_URGENT_AFTER_SEPARATION)
def test_violence_now_after_separation_stays_urgent(text: str) -> None:
    assert screen(text).level == "urgent", screen(text)
