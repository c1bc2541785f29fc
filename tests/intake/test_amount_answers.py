"""The intake's reading of which sum an answer means (bot.intake.amount_answers)."""

from __future__ import annotations

from bot.facts import extract_facts
from bot.intake.amount_answers import meant_amount


def test_the_answer_reader_prefers_the_product_over_a_smaller_sum_said_first() -> None:
    text = "中介费收了三百，每月一千二的房租他拖了五个月"
    found = [f.as_entity() for f in extract_facts(text) if f.entity == "amount"]
    chosen = meant_amount(found, text)
    assert chosen is not None and chosen["value"] == 6000
