"""Round 12's fact gaps, in other words: a phone's tail corrected in Arabic digits (also a longer tail
after 最后一位打错了), the speaker's group counted with no noun (额们三个), the citizen's own name after
their role (我是…的组长龚德顺) and never a place, and a unit price of a named thing (一只鸡一百块)."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("139 5521 0847，哎不对，最后是0874", "13955210874"),
        ("15811223344，唉，说错了，最后四位是4433", "15811224433"),
        ("186 0000 1357，嫑急，最后一位打错咧，是1358", "18600001358"),
        ("13512345678，等一下，最后两位说错了，是5687", "13512345687"),
        ("电话13700001111，别急，错了，是2222", "13700002222"),
    ],
)
def test_a_tail_corrected_in_digits_replaces_as_many_last_digits(text: str, phone: str) -> None:
    assert values_of(text, "phone") == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "13512345678，最后一位打错了，是9989",  # the digits before the wrong one do not match
        "13512345678，老板还欠我5678",
    ],
)
def test_a_tail_that_does_not_fit_changes_nothing(text: str) -> None:
    assert values_of(text, "phone") == ["13512345678"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("额们三个都在这个工地干", 3),
        ("俺们五个人都没拿到钱", 5),
        ("咱们七个，一分没拿", 7),
        ("额们村四家的地被占了", 4),
    ],
)
def test_the_speakers_group_counted_with_no_noun(text: str, count: int) -> None:
    assert values_of(text, "headcount") == [count]


@pytest.mark.parametrize("text", ["我们三个月没发工资", "额们两个月前就找过他"])
def test_the_speakers_months_are_no_headcount(text: str) -> None:
    assert values_of(text, "headcount") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我是柳树湾村二组的组长邵广才，想反映个事", "邵广才"),
        ("我是厂里的出纳孟晓燕", "孟晓燕"),
        ("我是咱们小区的楼长赵德明，电话13800001111", "赵德明"),
        ("我是村主任彭玉山", "彭玉山"),
        ("俺是工地上的电工焦大林", "焦大林"),
    ],
)
def test_the_own_name_after_a_role(text: str, name: str) -> None:
    assert values_of(text, "person_name") == [name]


@pytest.mark.parametrize("text", ["我是高家庄的，地被占了", "我是石门三组的村民", "我是金桥村的"])
def test_a_place_is_never_the_own_name(text: str) -> None:
    assert values_of(text, "person_name") == []


@pytest.mark.parametrize(
    ("text", "price", "total"),
    [
        ("一只鸭八十块，死了五只，四百", 80, 400),
        ("一袋化肥一百二，拉了八袋，九百六", 120, 960),
        ("一只羊八百，六只四千八，一分没少算", 800, 4800),
    ],
)
def test_a_named_things_unit_price_and_the_total_after_its_count(text: str, price: int, total: int) -> None:
    amounts = facts_of(text, "amount")
    assert [(f.value, f.extra.get("per")) for f in amounts] == [(price, "unit"), (total, None)]


def test_a_named_thing_with_no_count_after_is_no_unit_price() -> None:
    amounts = facts_of("一头牛八千块，被他家狗咬死了", "amount")
    assert [(f.value, f.extra.get("per")) for f in amounts] == [(8000, None)]


def test_months_pay_named_with_its_months_is_the_total_not_a_monthly_rate() -> None:
    from bot.facts import extract_facts

    amounts = [
        f.value
        for f in extract_facts("我在民宿做了三个月，三个月薪水两万出头一直没结")
        if f.entity == "amount"
    ]
    assert amounts == [20000]


def test_a_share_is_no_sum() -> None:
    from bot.facts import extract_facts

    assert not [f for f in extract_facts("我躲在朋友家，手机只有百分之十几的电了") if f.entity == "amount"]
