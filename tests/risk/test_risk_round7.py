"""Round 7 (blind batch 20 and conversation round 6, after their first looks): kinds and mechanisms,
each with a guard that must not move."""

from __future__ import annotations

import pytest

from bot.risk import screen


@pytest.mark.parametrize(
    "text",
    [
        "我 今年 六十五了 眼睛 不好使",  # words typed with spaces, as older citizens do
        "俺 都 七十多了 走不动",
        "闺女五岁，在小区被电动车撞了，缝了三针还在换药",
    ],
)
def test_elevated_not_missed(text: str) -> None:
    assert screen(text).level == "elevated", screen(text)


@pytest.mark.parametrize(
    "text",
    [
        "想问一下反家暴法规定的保护令多久能批下来，帮同学问的",
        "前几年在工地跟人吵起来，他推了我一下，我胳膊骨折了，那案子早判了，他也赔了钱，现在想把判决书复印一份",
    ],
)
def test_a_law_question_or_a_settled_old_fight_is_not_urgent(text: str) -> None:
    assert screen(text).level != "urgent", screen(text)


@pytest.mark.parametrize(
    "text",
    [
        "以前打过架，后来早就和好了，可是今天他又动手打我",
        "他天天打我，我想申请人身安全保护令",
    ],
)
def test_the_same_words_with_danger_now_stay_urgent(text: str) -> None:
    assert screen(text).level == "urgent", screen(text)


def test_a_kind_of_matter_is_no_event() -> None:
    assert screen("你们这儿啥事都管吗，还是只管打架吵架那种").level == "none"
    assert screen("昨天他打人那种样子吓死人了").level == "urgent"
