"""Headcount: how many people (or families) the dispute affects."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of

from bot.facts import extract_facts


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("我们十五个人都没拿到钱", 15, False),
        ("十几个工友一起去要钱", 10, True),
        ("我們二十多個工人", 20, True),
        ("我和我老婆都在厂里上班", 2, False),
        ("一百来号人都交了首付", 100, True),
        ("俺们仨在工地干活", 3, False),
        ("我们一共有38名工人", 38, False),
        ("俺们这一伙有二十六个人呢", 26, False),
        ("大概有一两百个工人被欠薪", 100, True),
        ("我家五口人只分了两万三", 5, False),
        ("我们四兄弟都不同意", 4, False),
        ("我们老两口的养老钱", 2, False),
        ("婆家要把我们娘俩赶出去", 2, False),
        ("群里有四十几个人", 40, True),
        ("我们有8户人家", 8, False),
        ("一共有60多户", 60, True),
    ],
)
def test_headcount_values(text: str, value: int, approximate: bool) -> None:
    (fact,) = facts_of(text, "headcount")
    assert fact.value == value
    assert fact.approximate is approximate


def test_teens_have_bounds() -> None:
    (fact,) = facts_of("十几个工友", "headcount")
    assert (fact.value, fact.extra["min"], fact.extra["max"]) == (10, 11, 19)
    (fact,) = facts_of("二十多个工人", "headcount")
    assert (fact.value, fact.extra["min"], fact.extra["max"]) == (20, 21, 29)


def test_range_bounds() -> None:
    (fact,) = facts_of("一两百个工人", "headcount")
    assert (fact.extra["min"], fact.extra["max"]) == (100, 200)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("我们三家的宅基地被占了", 3, "家"), ("我们两家为了地界吵", 2, "家"), ("我们村有四十多户", 40, "户")],
)
def test_families(text: str, value: int, unit: str) -> None:
    (fact,) = facts_of(text, "headcount")
    assert fact.value == value
    assert fact.extra["unit"] == unit


@pytest.mark.parametrize(
    "text",
    [
        "在工地干了三个月",
        "一个人四千多",
        "每个人分五千",
        "问了三家律所",
        "老板欠我三万五",
        "三个孩子都还小",
        "他们家有三口锅",
        "我今年52岁",
        "我们三个月没发工资",
        "我们俩小时就干完了",
    ],
)
def test_not_headcounts(text: str) -> None:
    assert values_of(text, "headcount") == []


def test_headcount_is_not_also_an_amount() -> None:
    facts = facts_of("欠我们七个人十二万")
    assert [(f.entity, f.value) for f in facts if f.entity in ("amount", "headcount")] == [
        ("headcount", 7),
        ("amount", 120000),
    ]


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("我和我爸两个都没拿到钱", 2, "我和我爸两个"),
        ("我跟我妹俩人一起干的", 2, "我跟我妹俩人"),
        ("我和我老伴两个人的那份钱他不给", 2, "我和我老伴两个人"),
        ("我和我弟俩", 2, "我和我弟俩"),
        ("俺跟俺舅两个人去的工地", 2, "俺跟俺舅两个人"),
        ("我和我爸我妈三个人住一起", 3, "我和我爸我妈三个人"),
        ("我跟我哥两个的房子被占了", 2, "我跟我哥两个"),
    ],
)
def test_citizen_and_companions_counted_together(text: str, value: int, span: str) -> None:
    (fact,) = facts_of(text, "headcount")
    assert (fact.value, fact.text, fact.approximate) == (value, span, False)


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("公司共有员工12名", 12, False),
        ("工人共三十多人没拿到钱", 30, True),
        ("村民二百多人联名", 200, True),
        ("我们厂工人七八个都走了", 7, True),
        ("我们一家五口住这里", 5, False),
        ("全家六口人就靠这点地", 6, False),
        ("家里一共七口人", 7, False),
    ],
)
def test_noun_before_number_and_household_size(text: str, value: int, approximate: bool) -> None:
    (fact,) = facts_of(text, "headcount")
    assert (fact.value, fact.approximate) == (value, approximate)


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("四十几个老乡都没拿到工资", 40, 41, 49),
        ("十几个人一起去", 10, 11, 19),
        ("车间里七八个人耳朵都不行了", 7, 7, 8),
        ("三十来个工友", 30, 31, 39),
    ],
)
def test_approximate_counts_are_marked_and_keep_an_integer_value(
    text: str, value: int, low: int, high: int
) -> None:
    (fact,) = facts_of(text, "headcount")
    assert isinstance(fact.value, int) and fact.value == value
    assert fact.approximate is True
    assert (fact.extra["min"], fact.extra["max"]) == (low, high)
    entity = fact.as_entity()
    assert entity["value"] == value and entity["approximate"] is True
    assert (entity["extra"]["min"], entity["extra"]["max"]) == (low, high)


@pytest.mark.parametrize(
    "text",
    [
        "他家二十几只鸽子被毒死了",
        "六十只羊被毒死",
        "三十多棵杉树被砍了",
        "五亩地被占了",
        "三间房被拆了",
        "我家三口井被填了",
        "我和老板借了两万",
        "我跟老板要了两个月工资",
        "我和他打了两个小时",
        "我和我爸两头猪被偷了",
        "我跟我哥三亩地被占了",
        "员工3个月没发工资",
        "我跟我妹两个月没见面",
    ],
)
def test_animals_trees_land_rooms_and_durations_are_not_headcounts(text: str) -> None:
    assert values_of(text, "headcount") == []


@pytest.mark.parametrize(
    ("text", "count"),
    [("我们保洁公司七八个大姐，合同上说交五险", 7), ("十几个骑手被平台扣了钱", 10), ("三个老人没人管", 3)],
)
def test_everyday_words_for_people_count(text: str, count: int) -> None:
    heads = [f for f in extract_facts(text) if f.entity == "headcount"]
    assert heads and heads[0].value == count


@pytest.mark.parametrize(
    "text",
    ["就我们一家", "俺一家子的地都被占了", "只有我家没拿到补偿", "一户人家", "it's just me", "Only myself."],
)
def test_one_household_or_the_citizen_alone_is_one(text: str) -> None:
    assert values_of(text, "headcount") == [1]


@pytest.mark.parametrize("text", ["每一户分两千", "我们一家店都没开", "I fixed it myself", "not just me"])
def test_one_household_needs_the_citizen_as_the_household(text: str) -> None:
    assert values_of(text, "headcount") == []


@pytest.mark.parametrize("text", ["我跟我三哥到现在都没拿到", "我和我妈一分钱没拿到", "俺和俺闺女一起去要的"])
def test_the_citizen_and_one_relative_sharing_the_claim_are_two(text: str) -> None:
    assert values_of(text, "headcount") == [2]


@pytest.mark.parametrize("text", ["我跟我媳妇闹离婚", "我和我老公商量了一下", "我和老婆离婚两年了"])
def test_the_citizen_and_a_relative_who_do_something_together_are_no_headcount(text: str) -> None:
    assert values_of(text, "headcount") == []


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("我们物流园二十多个分拣员都没拿到加班费", 20, True),
        ("俺们饭店五个帮厨，老板跑了", 5, False),
        ("额们工地七八个钢筋工", 7, True),
        ("咱们学校六名实习生的补贴被扣了", 6, False),
        ("我们这个仓库里一共有九个叉车工", 9, False),
        ("我们小区十来个保洁", 10, True),  # guard: a worker noun that counted before
    ],
)
def test_workers_of_the_speakers_workplace_are_the_group(text: str, value: int, approximate: bool) -> None:
    (fact,) = facts_of(text, "headcount")
    assert (fact.value, fact.approximate) == (value, approximate)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("俺们庄九家种大棚的都没拿到补偿", 9, "家"),
        ("我们小区四家的车位被占了", 4, "家"),
        ("额们队十几家", 10, "家"),
        ("我们组七户都没分到钱", 7, "户"),  # guard: 户 counted before
    ],
)
def test_families_of_the_speakers_village_or_street(text: str, value: int, unit: str) -> None:
    (fact,) = facts_of(text, "headcount")
    assert (fact.value, fact.extra["unit"]) == (value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "我们家三个孩子都在上学",
        "我们村三家超市都关门了",
        "我们厂请了两个理货员",
        "我们公司三个部门",
        "我们街上五家饭店",
        "我们公司六个月没发工资",
    ],
)
def test_children_firms_and_people_hired_are_no_group(text: str) -> None:
    assert values_of(text, "headcount") == []
