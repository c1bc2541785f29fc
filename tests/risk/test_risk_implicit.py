"""Implicit urgent phrasings (after blind batch 15) and the everyday senses that must stay calm.

Each kind has wordings other than the batch's own (other dialects, other objects, other orders), and each
rule's guard has the everyday sentence it must let through. Batch 15 itself stays the held-out check.
"""

from __future__ import annotations

import pytest

from bot.risk import screen

# An old or frail person living alone, not seen for days: no smoke, food untouched, not eating, phone dead.
ELDER_NOT_SEEN = [
    "我二叔家的老汉一个人住山上，三天没见他出门了，烟囱也不冒烟",
    "隔壁独居的王奶奶好几天没见人了，门口的牛奶一直没拿",
    "我姥姥一个人在家，端过去的饭菜都没动",
    "村里五保户老张头两天都没吃东西了，也没人去看",
    "我爸一个人住老屋，电话三天了都打不通",
    "老太太一个人过，邻居说好几日冇见过她开门",
]

# Someone bedridden left without food or water.
BEDRIDDEN_ALONE = [
    "我爸瘫在床上，护工跑了，他两天没吃没喝了",
    "奶奶卧床好几年，这几天没人管，已经三天没吃饭了",
    "我妈中风下不了床，家里人都走了，她一整天都没喝过水",
    "老人瘫了在床上，大儿子不管，都滴水未进一天了",
]

# A veiled threat against the other side's child or family, "then don't blame me".
VEILED_THREAT = [
    "我知道他女儿在哪个幼儿园，几点放学我都清楚",
    "我打听到他儿子在哪个中学上学了",
    "你再拖着不还，到时候别怪我不客气",
    "钱不给的话，别怪我心狠",
]

# A crew brought over to "sort someone out", the night named.
CREW_COMING = [
    "他说今晚叫一帮兄弟来收拾我",
    "包工头放话明天带几个人过来教训我们",
    "他发消息说晚上找几个混混来堵我",
    "对方说今天晚上就来收拾你",
]

# Sitting or standing on top of a building, tower or bridge.
HIGH_PLACE = [
    "我现在站在小区那栋楼的顶上，你们看着办",
    "我爬到厂房顶上了，钱不给我不下来",
    "我坐在塔吊的顶上，风很大",
]

# Cutting again, bleeding that will not stop.
CUTTING = [
    "我又划了自己几刀",
    "忍不住又割了几道",
    "手腕上又划了几道口子",
    "割了好几道，血一直流",
]

# Veiled goodbyes: "you will all have peace when I am gone", a note left, "tell mum not to be sad".
VEILED_GOODBYE = [
    "我走了你们就都清净了",
    "我死了以后你们就都省心了",
    "俺不在了你们就轻松了",
    "我走了以后让我妈别太难过",
    "替我跟孩子说一声别哭",
    "想说的话我都写好了，放在抽屉里",
    "信我写好压在枕头底下了，钱的事不用再查了",
]

# Someone shut in alone after a quarrel who has not answered for a long while.
SHUT_IN_SILENT = [
    "我妈吵完架一个人关在房里，敲了半天门都没动静",
    "他跟媳妇吵完把自己反锁在卫生间，喊了一个多钟头都不应",
    "我姐把自己锁在屋里，叫了一晚上冇得应",
]

# Vehicles driven onto a public road to block it; lying or sitting down at a government gate.
ROAD_AND_GATE = [
    ("村民商量好了后天把拖拉机都开到国道上一字排开", None),
    ("大伙约好了明早把货车开到县道上横着停", None),
    ("明天大家把农用车都停到路口堵着", None),
    ("我们二十几个人明儿一早去县政府门口坐着", None),
    ("他说明天去镇政府大门口躺着，不给钱不起来", None),
    ("讨薪的一起跪到人社局的门口去", None),
    ("十几号工友明早都去劳动局", None),
]

# Everyday senses of the words these rules use: none.
GUARDS_NONE = [
    "我一天没吃饭了，忙着跑手续",
    "他把车横着停在我家楼下门口，我的车出不去",
    "明天我把车开到公路上去洗一下",
    "我车门被人划了几道，物业不管",
    "切菜的时候手被刀划了一道口子",
    "物业让我们去楼顶晾被子，结果被子丢了",
    "我站在楼顶上修太阳能，邻居说我挡了他的光",
    "我知道他在哪个单位上班，能不能去单位找他调解",
    "到时候别怪我去法院起诉你",
    "别怪我没提醒你，合同到期房租要涨",
    "他说明天带几个人过来帮我收拾屋子",
    "我明天去政府大厅坐着等叫号",
    "到公司门口坐着等班车，老板说车费要扣工资",
    "好几天没见到我表哥了，他欠我五千块躲着不见",
    "合同我写好放在抽屉里了，对方一直不来签",
    "问题已经解决了，不用再查了，谢谢",
    "我儿子天天关在房里打游戏，叫他吃饭也不应",
    "我走了以后你们记得把门锁好",
    "儿子天天把自己关在房里打游戏，喊半天都不应",
    "房东把门反锁了，敲了半天不开，我的东西还在里面",
    "你别怪我，我也没办法",
    "那就别怪我了，我尽力了",
    "又割了几刀韭菜给邻居",
    "我坐在桥边上钓鱼，被城管罚款",
    "帮我跟他说一声别难过，合同的事会解决的",
    "我知道他老婆在哪上班，能不能找她要钱",
    "我妈一个人住，我好几天没见她了，工作太忙",
    "我们村民说好把拖拉机开到地里去",
]

# A shove in a quarrel that broke up and is over: none. A shove with no sign that it ended: urgent.
FINISHED_SCUFFLE = [
    "上个月在楼道里吵过一回，他推了我一把，物业来了就散了，现在想调解占道的事",
    "那次停车吵起来，他推搡了几下，后来被邻居劝开了，想问车位怎么划分",
    "去年装修的时事跟楼下拉扯了几下，当时保安来了大家就各回各家了",
]
STILL_URGENT_SCUFFLE = [
    "他推了我一把，现在还堵在我家门口骂",
    "他又推了我一把，我摔在地上起不来",
]

# Still elevated, not urgent: an old parent named, a bedridden person cared for.
STILL_ELEVATED = [
    "我爸卧床三年了，护工不尽责，想要求退费",
    "我奶奶八十多了一个人住，想问问低保怎么申请",
]


def _level(text: str, facts: dict | None = None) -> str:
    return screen(text, facts=facts).level


@pytest.mark.parametrize("text", ELDER_NOT_SEEN + BEDRIDDEN_ALONE)
def test_elder_alone_and_not_seen_or_fed_is_urgent(text: str) -> None:
    result = screen(text)
    assert result.level == "urgent", (text, result.signals)
    assert "child_or_elder_in_danger" in result.kinds


@pytest.mark.parametrize("text", VEILED_THREAT + CREW_COMING)
def test_veiled_threats_are_urgent(text: str) -> None:
    result = screen(text)
    assert result.level == "urgent", (text, result.signals)
    assert "threat" in result.kinds


@pytest.mark.parametrize("text", HIGH_PLACE + CUTTING + VEILED_GOODBYE + SHUT_IN_SILENT)
def test_implicit_self_harm_is_urgent(text: str) -> None:
    result = screen(text)
    assert result.level == "urgent", (text, result.signals)
    assert "self_harm" in result.kinds


@pytest.mark.parametrize(("text", "facts"), ROAD_AND_GATE)
def test_road_blocked_with_vehicles_or_lying_at_a_gate_is_urgent(text: str, facts: dict | None) -> None:
    result = screen(text, facts=facts)
    assert result.level == "urgent", (text, result.signals)
    assert "mass_gathering" in result.kinds


@pytest.mark.parametrize("text", GUARDS_NONE + FINISHED_SCUFFLE)
def test_everyday_senses_stay_none(text: str) -> None:
    result = screen(text)
    assert result.level == "none", (text, result.signals)


@pytest.mark.parametrize("text", STILL_URGENT_SCUFFLE)
def test_a_shove_not_over_is_still_urgent(text: str) -> None:
    assert _level(text) == "urgent", text


@pytest.mark.parametrize("text", STILL_ELEVATED)
def test_vulnerable_but_cared_for_stays_elevated(text: str) -> None:
    assert _level(text) == "elevated", (text, screen(text).signals)


def test_hunan_and_cantonese_goodbyes() -> None:
    assert _level("隔着门讲我走了你们就都清净哒，喊她半天冇得应") == "urgent"
    assert _level("我走咗之后你哋就开心啦") == "urgent"
