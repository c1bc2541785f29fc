"""Blind round 11's fact misses, in other words: a character of a name spelled out, a name after 名字,
rough headcounts (二十几个弟兄, 百十来户, a bare 十来个), one period's pay that is no rate and the periods
worked that are not the periods owed."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of

from bot.facts.contact import spelling_spans, without_spellings


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("马春兰，兰花的兰", "马春兰"),
        ("韩晓东晓是拂晓的晓", "韩晓东"),
        ("谢秀梅是梅花的梅", "谢秀梅"),  # the 梅 before 是 is the name's own: only 是 goes
        ("于红霞，红色的红，朝霞的霞", "于红霞"),
        ("江涛，三点水的江", "江涛"),
        ("黄丽萍草字头的黄", "黄丽萍"),
        ("杨帆，木易杨", "杨帆"),
        ("张海波，弓长张的张", "张海波"),
        ("吴建，口天吴，建设的建", "吴建"),
    ],
)
def test_a_spelled_out_character_is_blanked_and_the_name_kept(text: str, kept: str) -> None:
    assert without_spellings(text).strip("，") == kept
    assert len(without_spellings(text)) == len(text)  # offsets are kept


@pytest.mark.parametrize("text", ["老板欠我的钱", "我的名字叫王芳", "说好的工资没给", "工地的活干完了"])
def test_text_without_a_spelling_is_left_alone(text: str) -> None:
    assert spelling_spans(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("电话先记一下139 1234 5678，名字覃海燕", "覃海燕"),
        ("手机15011112222，名字不方便说", None),
        ("号码18600001234，名字庞志远", "庞志远"),
    ],
)
def test_a_name_after_the_word_name_opening_a_clause(text: str, name: str | None) -> None:
    assert values_of(text, "person_name") == ([name] if name else [])


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("我们二十几个弟兄在开发区的工地上干了一年", 20),
        ("三十来个弟兄的工钱都压着", 30),
        ("咱们这儿四十多号人等着发钱", 40),
        ("我们村百十来户的地都被占了", 100),
        ("上百人在厂门口等着", 100),
        ("百把号人的社保都没交", 100),
        ("十五六个工友一起去的", 15),
    ],
)
def test_rough_headcounts_with_their_noun(text: str, count: int) -> None:
    heads = facts_of(text, "headcount")
    assert [(f.value, f.approximate) for f in heads] == [(count, True)]
    assert heads[0].extra["min"] >= count


@pytest.mark.parametrize(
    ("text", "count"),
    [("二十几个，名单都在我这", 20), ("十来个吧", 10), ("七八个", 7), ("大概三十多个，都是老乡", 30)],
)
def test_a_rough_count_opening_an_answer_is_a_headcount(text: str, count: int) -> None:
    assert [(f.value, f.approximate) for f in facts_of(text, "headcount")] == [(count, True)]


@pytest.mark.parametrize("text", ["二十几个月没发工资", "三个", "十几个箱子被扣了", "几百人"])
def test_no_headcount_without_a_rough_count_of_people(text: str) -> None:
    assert values_of(text, "headcount") == []


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("在超市干了半年，最后一个月工资三千八没发", 3800),
        ("我在饭店干了五个月，老板上个月工资四千二没给", 4200),
        ("干了三个月，第一个月工资两千六到现在也没给", 2600),
    ],
)
def test_one_periods_pay_is_a_sum_not_a_rate(text: str, amount: int) -> None:
    found = facts_of(text, "amount")
    assert [f.value for f in found] == [amount]
    assert "per" not in found[0].extra and found[0].extra.get("kind") is None


@pytest.mark.parametrize(
    ("text", "amount", "kind"),
    [
        ("在物流园干了六个月，一个月五千，最后一个月没给", 5000, None),
        ("干了五个月，每个月三千六，上个月的没发", 3600, None),
        ("干了八个月，一个月四千，最后三个月没给", 12000, "rate_times_count"),
        ("一个月四千，干了半年，扣了两个月", 8000, "rate_times_count"),
        ("月工资四千五，拖了三个月", 13500, "rate_times_count"),  # a rate as before
        ("一天两百五，干了二十天没给", 5000, "rate_times_count"),
    ],
)
def test_the_periods_owed_not_the_periods_worked_multiply_the_rate(
    text: str, amount: int, kind: str | None
) -> None:
    found = facts_of(text, "amount")
    assert [(f.value, f.extra.get("kind")) for f in found] == [(amount, kind)]
