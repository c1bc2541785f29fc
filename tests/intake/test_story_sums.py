"""A story's sum that is not yet the sum in dispute (an estate, a guaranteed loan, 三十多万) is asked
for; the story's figure stays on the ticket when the citizen cannot give one."""

from __future__ import annotations

from typing import Any

from bot.facts import extract_facts
from bot.intake import dialogue, story_sums
from bot.intake.ticketing import ticket_facts
from tests.intake.helpers import answer


def _start(story: str, intent: str) -> dict[str, Any]:
    ranking = [{"name": intent, "confidence": 0.95}]
    entities = [f.as_entity() for f in extract_facts(story)]
    turn = dialogue.start_intake(story, ranking[0], ranking, entities, {})
    return {**turn.updates, "consent": False}


ESTATE = "我爸去年走了，留下二十万存款，我们兄妹四个，大哥一个人全拿走了，一分不给我们"
GUARANTEE = "前年给表哥贷款做了担保，他贷了十五万，现在人跑了，银行天天找我还钱"
ROUGH = "我们十几个人在工地干了大半年，老板一共欠了三十多万工钱"


def test_an_estate_is_asked_and_the_claim_answered_is_the_sum() -> None:
    slots = _start(ESTATE, "dispute_family")
    assert slots.get("amount_yuan") is None  # the question is asked
    turn = answer(slots, "amount_yuan", "我只要我那一份，五万")
    assert turn.updates["amount_yuan"] == 50000


def test_a_guaranteed_loan_kept_when_the_citizen_does_not_know() -> None:
    slots = _start(GUARANTEE, "dispute_debt")
    assert slots.get("amount_yuan") is None
    turn = answer(slots, "amount_yuan", "具体还要还多少我也不清楚")
    assert turn.updates["amount_yuan"] == 150000


def test_a_rough_round_sum_is_asked_and_the_exact_answer_wins() -> None:
    slots = _start(ROUGH, "dispute_wage_arrears")
    assert slots.get("amount_yuan") is None
    assert answer(slots, "amount_yuan", "账上是三十一万四千六").updates["amount_yuan"] == 314600
    turn = answer(slots, "amount_yuan", "不记得了")
    assert turn.updates["amount_yuan"] == 300000
    assert "amount_yuan" in turn.updates["approximate"]


def test_the_ticket_keeps_the_story_figure_when_the_amount_was_never_answered() -> None:
    slots = {**_start(ROUGH, "dispute_wage_arrears"), "category": "wage_arrears"}
    facts = ticket_facts(slots)
    assert facts["amount_yuan"] == 300000 and facts["amount_approx"] is True


def test_a_settled_sum_is_taken_from_the_story() -> None:
    slots = _start("老板欠我两万三千八的工钱，拖了半年了", "dispute_wage_arrears")
    assert story_sums.held_figure(slots) == "23800元"  # asked to be confirmed
    slots = _start("老板欠了我七千多块工钱", "dispute_wage_arrears")  # a narrow rough sum stays
    assert story_sums.held_figure(slots) == "约7000元"
