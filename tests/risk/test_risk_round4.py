"""Round-4 kinds (after blind batch 16) and the everyday senses that must stay calm.

Each kind has wordings other than the batch's own (other dialects, other objects, other orders), and each
rule's guard has the everyday sentence it must let through. Batch 16 itself stays the held-out check.
Also checks that the rules, split into ``risk.yml`` and ``risk_lexicon.yml``, both load.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.risk import screen
from bot.risk.rules import LEXICON_FILE, RULES_FILE, RiskRules, load_raw

# --- urgent kinds ------------------------------------------------------------------------------

# A veiled threat of bloodshed: "let him learn what 见红 / 见血 / 放血 means", "his family will 见红".
BLOODSHED = [
    "你再敢动我家的地，我就让你知道什么叫见血",
    "他说要让我们家见红，你们看着办",
    "再来闹一次，我让他尝尝啥叫放血",
    "白刀子进红刀子出，他自己掂量掂量",
    "佢再嚟搞事，我就俾佢知乜嘢叫见红",
]

# Someone waiting for the speaker with a weapon, or saying they will chop the speaker dead (Cantonese too).
WEAPON_WAITING = [
    "佢揸住把菜刀喺門口等我，話要斬死我",
    "他提着刀在楼下等我，我不敢下去",
    "那个人拿着钢管守在单位门口堵我",
    "债主话再唔还钱就劈死我",
    "他拎住根铁棍喺巷口等緊我",
]

# A child cornered and beaten, or held somewhere and not let go, right now.
CHILD_HELD_NOW = [
    "我儿子说被几个高年级的堵在楼梯间里打，现在还没放回来",
    "我女儿被同学关在器材室里，到现在还没放出来，老师也找不到",
    "我崽被人围在巷子里打",
    "孙子给几个混混拖进网吧后面打，现在还不让他走",
]

# The speaker's own last arrangements: 后事 handed over, in either order.
OWN_LAST_ARRANGEMENTS = [
    "我身后事都交代清楚了，存折在抽屉里",
    "后事我都安排好了，你们不用再找我了",
    "我交代好了后事，这个官司也不打了",
    "钱要不回来了，后事俺已经跟俺姐交待好了",
]

# On a roof, a bridge or a river bank, thinking a long time or asking whether they can hold on.
HIGH_PLACE_HOLDING_ON = [
    "企喺天台好耐，真係唔知仲撐唔撐到",
    "我在桥上坐了一晚，想了很久",
    "我一个人在楼顶上想了好久，不晓得还撑不撑得住",
    "坐在江边，还能熬多久我也不知道了",
]


@pytest.mark.parametrize(
    "text", BLOODSHED + WEAPON_WAITING + CHILD_HELD_NOW + OWN_LAST_ARRANGEMENTS + HIGH_PLACE_HOLDING_ON
)
def test_round4_urgent_kinds(text: str) -> None:
    assert screen(text).level == "urgent", text


@pytest.mark.parametrize("text", BLOODSHED)
def test_bloodshed_is_a_threat(text: str) -> None:
    assert "threat" in screen(text).kinds


@pytest.mark.parametrize("text", OWN_LAST_ARRANGEMENTS + HIGH_PLACE_HOLDING_ON)
def test_farewells_and_high_places_are_self_harm(text: str) -> None:
    assert "self_harm" in screen(text).kinds


# --- elevated kinds ----------------------------------------------------------------------------

# An elder named in dialect, or still in a named hospital.
ELDER_IN_HOSPITAL = [
    "我屋里老倌子讲工地不给钱",
    "我爸从脚手架上摔下来，现在还在华西住着院",
    "婆婆现在还在县人民医院住院，对方一分钱不给",
    "屋里老人在厂里摔了一跤，仲喺协和留院",
]

# Complaints taken up the ladder of offices, petitions written twice, a fifth visit, who is left.
REPEATED_PETITIONS = [
    "先找了社区，又找了街道，都说不归他们管",
    "上访材料也递了两回，一直没人回",
    "这是我第三回来问了，社保还是没转过来",
    "我到底还要找哪个",
    "问了村长，后来又去镇政府反映，还是没个说法",
    "第四趟跑这里了，窗口还是让我回去等",
]

# A child with a developmental disability.
DISABLED_CHILD = [
    "孩子有孤独症，学校不让他上学",
    "我儿子是脑瘫，补助一直没批下来",
    "女儿发育迟缓，康复中心收了钱不上课",
    "我家小孩自闭症，培训机构跑路了",
]

# A child injured at school or at play: an injured child, not violence going on.
CHILD_INJURED = [
    "孩子在幼儿园被小朋友推倒摔伤了，园里不承认",
    "我女儿上体育课摔骨折了，学校不管",
    "儿子课间被同学撞倒磕破了头，学校只给了两百块",
    "孩子在学校被同学推下楼梯摔骨折了，学校说是她自己不小心",
]

# Asking whether one can hold on, with no high place: despair to watch, not an emergency.
HOLDING_ON = [
    "工资拖了半年，不知道还撑不撑得下去",
    "屋企欠咗一身债，唔知仲撑唔撑得落去",
]


@pytest.mark.parametrize(
    "text", ELDER_IN_HOSPITAL + REPEATED_PETITIONS + DISABLED_CHILD + CHILD_INJURED + HOLDING_ON
)
def test_round4_elevated_kinds(text: str) -> None:
    assert screen(text).level == "elevated", text


@pytest.mark.parametrize("text", REPEATED_PETITIONS)
def test_petitions_are_repeated(text: str) -> None:
    assert "repeated" in screen(text).kinds


@pytest.mark.parametrize("text", CHILD_INJURED)
def test_child_injuries_are_treated_injuries(text: str) -> None:
    assert "injury_treated" in screen(text).kinds


# --- guards: the everyday senses ----------------------------------------------------------------

# Idioms of annoyance with 炸: a head or ears "about to explode" from noise, heat or anger.
ANNOYANCE_IDIOMS = [
    "楼下KTV天天唱到半夜，吵得我耳朵都要炸了",
    "烦得我头都要炸了，这个物业到底管不管",
    "热得人都要炸了，空调坏了三天没人修",
    "隔壁装修电钻一响，我脑壳都快炸了",
    "楼上那只狗一到半夜就叫，吵得脑瓜子要炸开",
]

# Someone else's funeral: 后事 of a parent who has died is an estate or a cost, not a farewell.
OTHERS_FUNERAL = [
    "我爸去世了，后事都安排好了，单位的丧葬费一直不给",
    "我妈走了，后事都是我一个人料理好的，现在哥哥要分房子",
    "老人的后事已经安排好了，想问问遗产怎么分",
    "后事办完花了三万多，兄弟几个都不肯出钱",
]

# Bleeding in pregnancy, red on the stock board, a bridge or a roof used for everyday things.
EVERYDAY_SENSES = [
    "这个项目见红了，股票全绿",
    "医生叫她见红就赶紧来",
    "我们在桥上拍照，想了很久才想起来钱包丢了",
    "我在楼顶晒被子的时候想了很久这个合同的事",
    "我们在江边钓鱼，想了很久还是决定去仲裁",
    "装修队在楼顶做防水，我想了很久要不要告他们",
    "我还要找谁签字才能办下来",
    "孩子把邻居家的玻璃打破了，要我们赔两千",
    "猪崽被卖了，钱也没给我",
    "我儿子去年摔骨折，早就好了，现在想问保险理赔",
]


@pytest.mark.parametrize("text", ANNOYANCE_IDIOMS + OTHERS_FUNERAL + EVERYDAY_SENSES)
def test_round4_guards_are_not_urgent(text: str) -> None:
    assert screen(text).level != "urgent", text


@pytest.mark.parametrize(
    "text",
    [*ANNOYANCE_IDIOMS, *EVERYDAY_SENSES, OTHERS_FUNERAL[0], OTHERS_FUNERAL[1], OTHERS_FUNERAL[3]],
)
def test_round4_guards_are_none(text: str) -> None:
    assert screen(text).level == "none", (text, screen(text).kinds)


@pytest.mark.parametrize(
    "text", ["我老婆怀孕七周突然见红了，医院说要保胎", "我怀孕两个月，医生说让我见红了马上去医院"]
)
def test_pregnancy_bleeding_is_a_vulnerable_party_not_a_threat(text: str) -> None:
    result = screen(text)
    assert result.level == "elevated"
    assert "threat" not in result.kinds


def test_real_explosion_threats_stay_urgent() -> None:
    assert screen("他说要炸了你们公司").level == "urgent"
    assert screen("他扬言要把楼给炸了").level == "urgent"


def test_push_down_the_stairs_by_a_partner_or_still_lying_there_stays_urgent() -> None:
    assert screen("我老公把我推下楼梯摔骨折了").level == "urgent"
    assert screen("孩子被同学推下楼梯，现在躺在地上动不了").level == "urgent"


# --- the rules files ----------------------------------------------------------------------------


def test_both_rules_files_load_and_split_the_keys() -> None:
    kinds_file = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    lexicon = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    assert {"kinds", "headcount", "emergency_numbers", "messages"} <= set(kinds_file)
    assert {"replace", "macros", "context", "exclude"} <= set(lexicon)
    assert not (set(kinds_file) & set(lexicon)) - {"version"}
    rules = RiskRules.load(RULES_FILE, LEXICON_FILE)
    assert rules.kinds and rules.exclude and rules.normalizer("家爆") == "家暴"
    assert load_raw()["macros"]["WHO"]


@pytest.mark.parametrize("path", [RULES_FILE, LEXICON_FILE])
def test_each_rules_file_stays_under_500_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) < 500


def test_a_key_in_both_files_is_an_error(tmp_path: Path) -> None:
    kinds_file = tmp_path / "kinds.yml"
    lexicon = tmp_path / "lexicon.yml"
    kinds_file.write_text("version: 1\nmacros: {A: a}\nkinds: {}\n", encoding="utf-8")
    lexicon.write_text("version: 1\nmacros: {B: b}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="macros"):
        RiskRules.load(kinds_file, lexicon)


def test_rules_without_lexicon_load_from_one_file(tmp_path: Path) -> None:
    single = tmp_path / "single.yml"
    single.write_text(
        "macros: {X: '刀'}\nkinds: {threat: {level: urgent, patterns: ['拿{{X}}']}}\n", encoding="utf-8"
    )
    rules = RiskRules.load(single, None)
    assert screen("他拿刀了", rules=rules).level == "urgent"
