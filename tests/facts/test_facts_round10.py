"""Blind round 10's fact misses, in other words: text typed one character at a time, a sum followed by
a word that is no 一-word, the citizen and N companions, corrections said as 说反了 or 不对，是…"""

from __future__ import annotations

from typing import Any

import pytest

from bot.facts import extract_facts, facts_dict
from bot.intake.answers import read_answer
from bot.intake.schema import fact_specs


@pytest.mark.parametrize(
    ("text", "amount", "said"),
    [
        ("五 万", 50000, "五 万"),
        ("我 借 给 表 哥 三 万 块 钱 一 直 没 还", 30000, "三 万 块 钱"),
        ("一 个 月 给 我 八 百 就 行", 800, "八 百"),
    ],
)
def test_a_sum_typed_one_character_at_a_time(text: str, amount: int, said: str) -> None:
    found = [f for f in extract_facts(text) if f.entity == "amount"]
    # the value, and the span as the citizen typed it (offsets mapped back over the spaces)
    assert [(f.value, f.text, text[f.start : f.end]) for f in found] == [(amount, said, said)]


def test_words_with_a_space_between_them_are_read_as_before() -> None:
    assert facts_dict("我叫 王芳 他欠我 三千").get("amount") == 3000


@pytest.mark.parametrize(("text", "amount"), [("医药费一万一不给报销", 11000), ("三万一直拖着不给", 30000)])
def test_a_sum_ending_in_one_before_a_plain_word(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "count"),
    [("我跟三个工友在厂里干了半年", 4), ("俺带着两个老乡去讨钱", 3), ("我跟我老公吵架", None)],
)
def test_the_citizen_and_n_companions(text: str, count: int | None) -> None:
    assert facts_dict(text).get("headcount") == count


def _answer(fact: str, text: str) -> Any:
    entities = [f.as_entity() for f in extract_facts(text)]
    return read_answer(fact_specs()[fact], text, "inform", entities).value


def test_a_name_corrected_in_the_answer_is_the_one_after_the_correction() -> None:
    assert _answer("applicant_name", "李志明，不对，是李智明，智慧的智") == "李智明"


def test_a_sum_said_the_wrong_way_round_is_corrected() -> None:
    assert _answer("amount_yuan", "四万五，说反了，是五万四") == 54000
