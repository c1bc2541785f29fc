"""Answers to "一共涉及几个人？": groups listed are added, the citizen counts once, those who left or were
paid are taken off (bot/facts/head_ledger.py, bot/intake/answers._read_headcount)."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import answer

from bot.facts import extract_facts
from bot.intake.answers import facts_from_entities
from bot.intake.schema import fact_specs

SLOTS: dict[str, Any] = {"category": "wage_arrears", "consent": False}


def _headcount(text: str) -> tuple[Any, bool]:
    updates = answer(SLOTS, "headcount", text).updates
    return updates.get("headcount"), "headcount" in (updates.get("approximate") or [])


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("俺木工这边十四个，钢筋的十一个，杂工七个，恁自己加", 32),  # not 1 for 自己
        ("我们车间九个，隔壁包装线还有六个", 15),
        ("瓦工五个人 水电三个 加我", 9),
        ("俺和俺俩表哥，再加上邻屯那仨", 6),
        ("不光俺一个 还有俺俩表哥跟邻屯仨老爷们儿", 6),
        ("我跟我老婆，还有我弟两口子", 4),
        ("我同我老公，仲有我细佬两公婆", 4),
        ("我们屋头三个，加上我幺爸一家四口", 7),
        ("我们娘仨", 3),
        ("我们爷俩", 2),
        ("俺们组原来十三户，搬走了两户，剩下的都把地包给他了", 11),
        ("本来二十个人，有五个已经结了钱", 15),
        ("我哋十二个人，走咗三个，剩返嘅都冇攞到钱", 9),
    ],
)
def test_a_headcount_told_in_parts(text: str, count: int) -> None:
    assert _headcount(text) == (count, False)


@pytest.mark.parametrize(
    ("text", "count", "approximate"),
    [
        ("三十多个工友，走了七八个，剩下的都没拿到", 22, True),
        ("我们工地二十来个，走了五个", 15, True),
        ("二十多个", 20, True),
        ("一共六万八，我们二十多个人", 20, True),
        ("我们班组十二个人", 12, False),
        ("我们一家五口", 5, False),
        ("就我一个", 1, False),
        ("我自己", 1, False),
    ],
)
def test_rough_counts_and_single_answers(text: str, count: int, approximate: bool) -> None:
    assert _headcount(text) == (count, approximate)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("我们车间九个", 9),  # a bare count is people when the question asks for people
        ("钢筋的十一个，杂工七个，恁自己加", 18),
        ("原来三十个，现在就剩十个了", 10),
        ("木工五个，钢筋七个，一共十二个", 12),
        ("我们兄妹四个，大哥一个人全拿走了", 4),
    ],
)
def test_bare_counts_in_the_answer(text: str, count: int) -> None:
    assert _headcount(text)[0] == count


def test_a_first_message_gives_the_same_group() -> None:
    text = "俺们组原来十三户，搬走了两户，剩下的都把地包给他了，他一直不给承包费"
    entities = [f.as_entity() for f in extract_facts(text)]
    assert facts_from_entities(entities, fact_specs(), ["headcount"], text)["headcount"] == 11
