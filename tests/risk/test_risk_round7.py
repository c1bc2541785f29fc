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


@pytest.mark.parametrize(
    "text",
    [
        "佢哋而家喺门口打紧我阿妈，成班人揸住刀",  # Cantonese: hitting now, a crowd holding knives
        "地的事我也不想再争了，麻绳已经在房梁上拴好了，就这样吧",
    ],
)
def test_urgent_in_dialect_or_told_calmly(text: str) -> None:
    assert screen(text).level == "urgent", screen(text)


@pytest.mark.parametrize(
    "text",
    [
        "大前年跟人打过一架，腿骨折了，早就养好了，他也赔过钱了，现在想问宅基地的事",
        "想问问家暴案件里哪些能算证据，社区让我做个宣传板",
        "闺女在幼儿园被别的小朋友推倒了，下巴磕破了，现在在医院缝针",
    ],
)
def test_history_topics_and_a_fall_at_kindergarten_are_not_urgent(text: str) -> None:
    assert screen(text).level != "urgent", screen(text)


def test_an_age_told_before_a_comma_is_old_age() -> None:
    assert screen("我妈今年七十二，腿脚不方便").level == "elevated"


def test_a_drunk_man_breaking_things_at_home_is_domestic_violence() -> None:
    assert "domestic_violence" in screen("他又喝醉了在踹门，我抱着孩子躲在屋里").kinds
    assert screen("他喝多了就睡了，第二天什么都不记得").level == "none"


def test_an_old_neighbour_typing_with_spaces_is_no_emergency() -> None:
    assert screen("我 七十九了  后面 那家 盖房 把 我家 的 路 堵了  出不去").level == "elevated"
