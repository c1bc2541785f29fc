"""A message asking two things about the center gets both answers, the first asked first."""

from __future__ import annotations

import pytest

from bot.intake import consultation
from bot.tickets.profiles import current_profile


@pytest.mark.parametrize(
    ("text", "selected", "first", "second"),
    [
        ("调解要交钱吗 要是调不成是不是还得自己请律师啊", "lawyer", "consult_cost", "consult_lawyer"),
        ("你们几点开门？顺便问下，要带些啥材料？", "hours", "consult_hours", "consult_materials_any"),
    ],
)
def test_both_questions_are_answered_in_the_order_asked(
    text: str, selected: str, first: str, second: str
) -> None:
    profile = current_profile()
    reply = consultation.answer(profile, selected, text)
    opening = {key: profile.text(key).split("{")[0][:10] for key in (first, second)}
    assert opening[first] in reply and opening[second] in reply
    assert reply.index(opening[first]) < reply.index(opening[second])


def test_one_question_gets_one_answer() -> None:
    profile = current_profile()
    reply = consultation.answer(profile, "cost", "调解收费吗？")
    assert reply == f"{profile.text('consult_cost')}\n{profile.text('consult_offer')}"
