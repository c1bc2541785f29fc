"""Round 7 (blind batch 20 and 21 and conversation round 6, after their first looks): kinds and
mechanisms, each beside a guard that must not move. One table: the level the contract gives each."""

from __future__ import annotations

import pytest

from bot.risk import screen

LEVELS = [
    # words typed with spaces, as older citizens do; an age before a comma
    ("我 今年 六十五了 眼睛 不好使", "elevated"),
    ("俺 都 七十多了 走不动", "elevated"),
    ("我 七十九了  后面 那家 盖房 把 我家 的 路 堵了  出不去", "elevated"),
    ("我妈今年七十二，腿脚不方便", "elevated"),
    # stitched and still being seen to; a fall at kindergarten after a push is an injured child
    ("闺女五岁，在小区被电动车撞了，缝了三针还在换药", "elevated"),
    ("闺女在幼儿园被别的小朋友推倒了，下巴磕破了，现在在医院缝针", "elevated"),
    # a law question, domestic violence as a topic, an old fight told as settled
    ("想问一下反家暴法规定的保护令多久能批下来，帮同学问的", "none"),
    ("想问问家暴案件里哪些能算证据，社区让我做个宣传板", "none"),
    (
        "前几年在工地跟人吵起来，他推了我一下，我胳膊骨折了，那案子早判了，他也赔了钱，现在想把判决书复印一份",
        "none",
    ),
    ("大前年跟人打过一架，腿骨折了，早就养好了，他也赔过钱了，现在想问宅基地的事", "none"),
    ("你们这儿啥事都管吗，还是只管打架吵架那种", "none"),  # a kind of matter, no event
    ("他喝多了就睡了，第二天什么都不记得", "none"),
    # the guards: the same words with danger now
    ("以前打过架，后来早就和好了，可是今天他又动手打我", "urgent"),
    ("他天天打我，我想申请人身安全保护令", "urgent"),
    ("昨天他打人那种样子吓死人了", "urgent"),
    # Cantonese (hitting now, a crowd holding knives); a rope tied to a beam, told calmly
    ("佢哋而家喺门口打紧我阿妈，成班人揸住刀", "urgent"),
    ("地的事我也不想再争了，麻绳已经在房梁上拴好了，就这样吧", "urgent"),
]


@pytest.mark.parametrize(("text", "level"), LEVELS)
def test_round7_levels(text: str, level: str) -> None:
    assert screen(text).level == level, screen(text)


def test_a_drunk_man_breaking_things_at_home_is_domestic_violence() -> None:
    assert "domestic_violence" in screen("他又喝醉了在踹门，我抱着孩子躲在屋里").kinds
