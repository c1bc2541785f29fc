"""Headcount: how many people (or families) the dispute affects."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of


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
