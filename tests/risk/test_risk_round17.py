"""Round 17 of the risk screen's misreadings, in sentences of our own, the rules alone unless said.
Both kinds were caught only by the trained opinion, right at its threshold, so a refit flipped them:

1. A heavy tool carried to someone's home or work as a weapon (拎着扳手上他家, 提着榔头去他厂里, 扛着铁锹找他去)
   under a condition or for a set time (再不…就, 明儿, 今晚, 要是): urgent, a threat for the police. A
   disavowal that is itself taken back (开玩笑呢（也不全是开玩笑）, 说着玩的，不过真把我逼急了我啥都干得出来,
   不是开玩笑) does not cancel it. A tool taken to work or to help (拎着扳手去修车, 扛着锄头下地, 明天拿锤子去他
   家帮忙装柜子) is none, and so is a joke alone.
2. A weapon held at a place now with a word of chopping or killing, in Minnan (查埔拿一支菜刀徛佇巷仔口，讲啥人
   閣敢停车…伊就剁落去，这马人还佇遐): urgent. The Minnan words read as Mandarin (查埔 男人, 徛佇 站在, 剁落去
   剁下去, 閣敢 再敢, 佇遐 在那里, 啥人 谁; bare 佇 stays 伫). A knife at a kitchen chore (阮阿母拿菜刀佇灶脚切菜) or a chicken to
   be killed (伊讲欲刣鸡) is none.
"""

from __future__ import annotations

import pytest

from bot.risk import screen
from bot.risk.rules import default_rules

# --- 1. a tool carried to someone as a weapon ------------------------------------------------------

TOOL_THREATS = [
    # a joke taken back in turn
    "明儿他再不露面，俺就拎着车后备箱那把大扳手上他家唠唠去，哈哈开玩笑呢（也不全是开玩笑）",
    "他今晚再不把钱吐出来，我就提着榔头去他厂里找他，说着玩的，不过真把我逼急了我啥都干得出来",
    "要是下礼拜工钱还不到账，俺就拿着锤子上他家门口等他，开玩笑的（也不全是）",
    "他再敢来拆我家篱笆，明儿我就带上撬棍去他家，哈哈说着玩的，不过谁知道呢",
    "过两天他还不赔，我拎着镐把上他单位去，开个玩笑，但也不完全是玩笑",
    "明儿他再不露面，俺就拎着大扳手上他家唠唠去，不是开玩笑",
    # said to frighten, and then more
    "明天我扛着铁锹找他去，吓唬吓唬他而已，真急了我啥都干得出来",
    # no joke at all
    "今晚他再不露面我就拿着镰刀上他家",
    "明天他再不结账，我就扛着锄头去他公司门口堵他",
    "明兒他再不露面，俺就拎著那把大扳手上他家嘮嘮去，哈哈開玩笑呢（也不全是開玩笑）",
]


@pytest.mark.parametrize("text", TOOL_THREATS)
def test_a_tool_carried_to_someone_under_a_condition_is_a_threat(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "urgent", (text, result.signals)
    assert result.kinds[0] == "threat", (text, result.signals)
    assert result.emergency_numbers[0].number == "110"


TOOL_ERRANDS = [
    "拎着扳手去修车",
    "扛着锄头下地",
    "拿锤子去他家帮忙装柜子",
    "明天拿锤子去他家帮忙装柜子",
    "明天拎着扳手去他家修水管",
    "明天带上锤子去他厂里帮他钉货架",
    "他再不来，我明天就扛着锄头自己下地去",
    "明天扛着铁锹去他家门口铲雪",
    "如果明天下雨，我就拿着锄头去他家地里",
    "周末带上锤子去找他一起钓鱼",
    "师傅说明天带上扳手去他厂里报到",
    "他欠我工钱三个月了，明天我拿着合同去他公司找他",
    "开玩笑的",
    "哈哈开玩笑呢，也不全是开玩笑，你们这个机器人挺好玩",
    # a tool carried, no one to go to, and the joke not taken back
    "我明天不去上班了，拎着扳手去修我那辆破车，开玩笑的",
]


@pytest.mark.parametrize("text", TOOL_ERRANDS)
def test_a_tool_taken_to_work_or_to_help_is_none(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "none", (text, result.signals)
    assert screen(text).level != "urgent", text


def test_a_plain_joke_still_takes_the_threat_back() -> None:
    """Only a disavowal taken back in turn stands aside: 开玩笑呢 alone still takes the words back."""
    joke = "明儿他再不露面，俺就拎着车后备箱那把大扳手上他家唠唠去，哈哈开玩笑呢"
    assert screen(joke, model=None).level == "none"
    assert screen(joke + "（也不全是开玩笑）", model=None).level == "urgent"


def test_a_retracted_joke_keeps_despair_urgent() -> None:
    """The retraction is the engine's, for every kind that a disavowal reduces (self-harm: elevated)."""
    assert screen("我真的不想活了，开玩笑的", model=None).level == "elevated"
    assert screen("我真的不想活了，开玩笑的（也不全是开玩笑）", model=None).level == "urgent"
    assert screen("我真的不想活了，说着玩的，不过谁知道呢", model=None).level == "urgent"


# --- 2. a weapon held at a place now, in Minnan ----------------------------------------------------

ARMED_NOW = [
    "阮厝边彼个查埔拿一支菜刀徛佇巷仔口，讲啥人閣敢停车佇伊门口伊就剁落去，这马人还佇遐",
    "隔壁彼个查埔人提一支柴刀徛佇阮兜门口，喝讲啥人出来伊就刣落去，这马閣佇遐",
    "巷口有一个查埔拿西瓜刀徛咧，讲啥人敢过来就斬落去，伊这马猶佇遐",
    "對面厝的查埔人攑一支刀佇樓下，講欲刣人，這馬猶未走",
    "彼个查某提一支柴刀徛佇市场口，讲啥人閣敢讲伊就斩落去",
]


@pytest.mark.parametrize("text", ARMED_NOW)
def test_a_weapon_held_now_with_a_word_of_chopping_is_urgent(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "urgent", (text, result.signals)
    assert result.kinds[0] == "threat", (text, result.signals)


KNIFE_AT_A_CHORE = [
    "阮阿母拿菜刀佇灶脚切菜",
    "伊讲欲刣鸡",
    "阿伯拿柴刀徛佇山顶，讲欲斬竹仔",
    "我妈拿着菜刀在厨房切菜",
    "查埔人徛佇门口等阮阿爸返来食饭",
    "这马阮阿爸佇灶脚，讲欲刣鸡请人客",
]


@pytest.mark.parametrize("text", KNIFE_AT_A_CHORE)
def test_a_knife_at_a_chore_is_none(text: str) -> None:
    result = screen(text, model=None)
    assert result.level == "none", (text, result.signals)
    assert screen(text).level != "urgent", text


def test_minnan_words_read_as_mandarin() -> None:
    normalize = default_rules().normalizer
    assert normalize("查埔拿菜刀徛佇巷仔口") == "男人拿菜刀站在巷口"
    assert normalize("啥人閣敢来伊就剁落去") == "谁再敢来伊就剁下去"
    assert normalize("这马人还佇遐") == "现在人还在那里"
    assert normalize("阮厝边的查某人") == "我邻居的女人"
    # bare 佇 "at" stays (伫): read as 在 it cost the trained opinion a Minnan held-out message
    assert normalize("攑一支刀佇樓下") == "拿一支刀伫楼下"
