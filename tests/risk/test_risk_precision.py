"""Precision guards: ordinary stories that used to come out elevated (or urgent) for the wrong kind.

Each guard has its false sense (must not raise that kind) next to the true sense it must keep, so a
later loosening or tightening of a pattern shows up on both sides. Contract: DESIGN "Risk levels".
"""

from __future__ import annotations

import pytest

from bot.risk import screen


def _kinds(text: str) -> set[str]:
    return {signal.kind for signal in screen(text).signals}


# ---------------------------------------------------------------------------------------------------
# 1. repeated: a complaint act counted, not any repetition

REPEATED_NOT = [
    "同事找我借钱前前后后借了好几回，现在辞职走了不还了",
    "我跟我老公为这事吵了好几回了",
    "去找他吵了好几回，他就是不搬",
    "他来了好几次，每次都坐一会儿就走",
    "我家亲戚来了好几次",
    "俺闺女嫁过去三年挨打好几回了",
    "给人家跑了一年大货车，车主欠我四个月开车的钱",
    "我跑了三年出租车，公司押金不退",
    "我妈七十八了，三个儿子谁都不管",
    "他三番两次来借钱，我都借了",
]

REPEATED_YES = [
    "我找过物业好几次都没人管",
    "我去了好几趟劳动局，每次都让回去等",
    "这个事我打了五次12345了，还是没人处理",
    "我已经打过好几次市长热线了",
    "这件事我前后来了五次了",
    "我们都来了好几趟了",
    "向街道反映了三次，一直没有下文",
    "上访了好几回都没有结果",
    "多次协商无果",
    "这事我跑了一年多了，还是没解决",
    "找他要了好几次钱，一分没给",
]


@pytest.mark.parametrize("text", REPEATED_NOT)
def test_repetition_without_a_complaint_act_is_not_repeated(text: str) -> None:
    assert "repeated" not in _kinds(text)


@pytest.mark.parametrize("text", REPEATED_YES)
def test_repeated_complaints_still_count(text: str) -> None:
    assert "repeated" in _kinds(text)
    assert screen(text).level in ("elevated", "urgent")


def test_borrowing_story_is_none() -> None:
    assert screen("同事找我借钱前前后后借了好几回，现在辞职走了不还了").level == "none"


# ---------------------------------------------------------------------------------------------------
# 2. injury_treated: a treatment that is over is history

HEALED = [
    "上上個月在工地摔了，膝蓋縫了八針，住了幾天院，現在早就好了，老闆不給報銷",
    "去年骨折打了钢板，现在已经好了，想要误工费",
    "被狗咬了缝了五针，已经拆线了，狗主人不赔钱",
    "摔断了腿住了二十天院，现在出院了，对方不给医药费",
    "手术做完了，早就康复了，医药费还没报",
]

TREATED_NOW = [
    "缝了三针，现在还在医院",
    "他小腿打了钢板，现在还在住院",
    "两根手指骨折，现在在医院做了手术",
    "我爸现在还住着院，医药费都是我们垫的",
    "刚被车撞了送进医院",
]


@pytest.mark.parametrize("text", HEALED)
def test_healed_injury_is_not_treated_now(text: str) -> None:
    assert "injury_treated" not in _kinds(text)


@pytest.mark.parametrize("text", TREATED_NOW)
def test_injury_under_treatment_still_counts(text: str) -> None:
    assert "injury_treated" in _kinds(text)


def test_until_now_is_not_now() -> None:
    text = "有一回他把我推到楼梯底下，脑壳缝了三针。娃儿读高中住校，我一直忍到现在"
    assert "injury_treated" not in _kinds(text)


def test_healed_injury_story_is_none() -> None:
    assert screen(HEALED[0]).level == "none"


# ---------------------------------------------------------------------------------------------------
# 3. vulnerable_party: economic hardship (低保) is not a vulnerable party

HARDSHIP_ONLY = [
    "我家低保这个月突然没了",
    "我的低保证丢了怎么补办",
    "低保户打官司有补助吗",
    "俺想问问这月的低保啥时候发",
]


@pytest.mark.parametrize("text", HARDSHIP_ONLY)
def test_low_income_benefit_alone_is_none(text: str) -> None:
    assert screen(text).level == "none"


@pytest.mark.parametrize(
    "text",
    [
        "我家低保没了，我妈今年八十二了",
        "我是低保户，腿有残疾，坐轮椅",
        "低保被取消了，老婆怀孕七个月",
        "我奶奶八十多了一个人住，想问问低保怎么申请",
    ],
)
def test_low_income_with_a_vulnerable_person_still_counts(text: str) -> None:
    assert "vulnerable_party" in _kinds(text)


# ---------------------------------------------------------------------------------------------------
# 4. vulnerable_party: a procedure or a sum named after disability is not a disabled person

PROCEDURE = [
    "前年在厂里干活把左手两个指头压断了，现在早长好了，但是厂里一直不给我报工伤，伤残鉴定也不给弄",
    "伤残等级鉴定出来了，赔偿谈不拢",
    "车祸伤残赔偿",
    "伤残鉴定是十级，对方说赔偿标准得按农村户口算",
    "工伤鉴定九级，公司只肯给一次性伤残补助，别的都不给",
    "鉴定为十级伤残，公司不认",
    "交通事故的残疾赔偿金怎么算",
]

DISABLED = [
    "我是残疾人，老板不给工钱",
    "我儿子有残疾证，学校不收",
    "我爸坐轮椅，楼下把坡道堵了",
    "我老公瘫痪在床，他家里人不管",
    "他截肢以后一直没工作",
    "伤残鉴定做完了，我现在是残疾人，走路要拄拐",
]


@pytest.mark.parametrize("text", PROCEDURE)
def test_disability_procedure_is_not_a_disabled_party(text: str) -> None:
    assert "vulnerable_party" not in _kinds(text)


@pytest.mark.parametrize("text", DISABLED)
def test_disabled_person_still_counts(text: str) -> None:
    assert "vulnerable_party" in _kinds(text)


def test_healed_finger_procedure_story_is_none() -> None:
    assert screen(PROCEDURE[0]).level == "none"


# ---------------------------------------------------------------------------------------------------
# vulnerable_party: someone who has died is not a party in need

DECEASED = [
    "我爸前年肺癌走了 留下一套房子 现在我姑说老房子有她一份",
    "我爸上个月肺癌在医院病逝了 现在兄妹几个为老房子的继承吵起来了",
    "去年他家老太太去世，又在我家地里埋了一个坟",
    "邻村有户人家半夜把老人埋在了我家的麦地里",
]


@pytest.mark.parametrize("text", DECEASED)
def test_deceased_person_is_not_vulnerable(text: str) -> None:
    assert "vulnerable_party" not in _kinds(text)


@pytest.mark.parametrize(
    "text",
    ["我妈得了癌症，哥哥不出钱", "家里老人生病住院，兄弟几个谁都不掏钱", "老人走了两里路才到镇上"],
)
def test_living_sick_or_old_person_still_counts(text: str) -> None:
    assert "vulnerable_party" in _kinds(text)


# ---------------------------------------------------------------------------------------------------
# group: 几十 / 上百 of years or money is not a crowd


@pytest.mark.parametrize(
    "text",
    [
        "承包地互换了几十年，现在对方要换回去",
        "他家的猪圈几十年了一直在那",
        "我家养了几十年蜜蜂",
        "装修花了上百万",
        "村里的机动地被村主任家包了几十年",
    ],
)
def test_decades_and_sums_are_not_a_group(text: str) -> None:
    assert "group" not in _kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "几十个老人的采茶钱都没给",
        "我们几十口人都没拿到钱",
        "上百人围在门口",
        "我们保洁班组十几个大姐没拿到工钱",
    ],
)
def test_crowds_still_count(text: str) -> None:
    assert "group" in _kinds(text)


# ---------------------------------------------------------------------------------------------------
# urgent kinds: damage, accidents and nuisances that are not a person attacked or threatened

NOT_VIOLENCE = [
    "邻居家树枝伸到我家院子里，落叶掉一地，让他砍他不砍",
    "我家种的树被邻居偷偷砍了",
    "小区外墙瓷砖掉下来砸了我的车",
    "楼上装修砸坏我家",
    "地里的庄稼被邻居打了除草剂",
    "楼下嫌我家孩子吵，天天拿棍子捅天花板",
    "邻居家那小孩天天拿石头砸我家狗",
    "前年后面那户把老平房推倒盖了五层楼",
    "工作中被烫伤了，公司说是我操作不当，不给报",
    "工地上打混凝土的时候被振动棒打了脚 包工头让我自己去诊所",
    "两个罐子砸俺腿上了，那司机说俺闯红灯",
    "两个组的人差点打起来",
    "电梯公司说再拖下去补贴名额就要作废了",
]

STILL_URGENT = [
    "他拿石头砸我",
    "他拿石头砸我家门",
    "他把我妈推倒了",
    "被他用开水烫伤了",
    "他拿棍子打我",
    "被同事打伤了",
    "他说要把你废了",
    "邻居拿刀砍他",
    "差点打起来，他说明天叫人来砍我",
    "他差点把我掐死",
    "他们打起来了",
    "他把我推倒在地上",
]


@pytest.mark.parametrize("text", NOT_VIOLENCE)
def test_damage_and_accidents_are_not_urgent(text: str) -> None:
    assert screen(text).level == "none"


@pytest.mark.parametrize("text", STILL_URGENT)
def test_attacks_and_threats_stay_urgent(text: str) -> None:
    assert screen(text).level == "urgent"


# ---------------------------------------------------------------------------------------------------
# contract "none" guards still hold


@pytest.mark.parametrize(
    "text",
    [
        "去年工地上摔断了腿，现在早就好了，想要工伤赔偿",
        "上个月跟邻居吵了一架，后来就没事了",
        "家里穷，欠了好几万，想问问怎么还",
        "我家低保这个月突然没了，也没人通知",
    ],
)
def test_contract_none_cases(text: str) -> None:
    assert screen(text).level == "none"
