"""The headcount ledger (bot/facts/head_ledger.py): groups listed are added, the citizen listed with others
counts once, and those who left or were paid are taken off; the result is the group the dispute is about."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of

from bot.facts.extract import MAIN_GROUP, facts_dict


def _main(text: str):
    heads = facts_of(text, "headcount")
    main = [f for f in heads if f.extra.get(MAIN_GROUP)]
    assert len(main) == 1, heads
    return main[0]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("俺木工这边十四个，钢筋的十一个，杂工七个，恁自己加", 32),  # northern, the adding left to us
        ("我们车间九个，隔壁包装线还有六个", 15),
        ("瓦工五个人 水电三个 加我", 9),
        ("木工十个，钢筋八个", 18),
        ("我哋组有十个人，隔篱组仲有八个", 18),  # Cantonese 仲有
        ("我们屋头三个，加上我幺爸一家四口", 7),  # Sichuanese 屋头, 幺爸
        ("我们三个，还有一个在医院", 4),
        ("俺家，还有隔壁三户", 4),
        ("我哋嗰度八个，佢哋嗰度六个，你哋自己加", 14),  # Cantonese, the adding left to us
        ("我们班上十个，加上隔壁班八个，再加上我", 18),  # 我们 counts the citizen already
    ],
)
def test_groups_listed_are_added(text: str, count: int) -> None:
    fact = _main(text)
    assert (fact.value, fact.approximate) == (count, False)
    assert facts_dict(text)["headcount"] == count


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("俺和俺俩表哥，再加上邻屯那仨", 6),  # 1 + two cousins + those three
        ("不光俺一个 还有俺俩表哥跟邻屯仨老爷们儿", 6),
        ("我跟我老婆，还有我弟两口子", 4),
        ("我同我老公，仲有我细佬两公婆", 4),  # Cantonese
        ("俺跟俺闺女，还有俺仨外甥", 5),
        ("我们两口子加上我小舅子", 3),
        ("我跟他们三个", 4),
        ("我们夫妻俩加上儿子三个人都在这个厂", 3),  # the count after the son counts them all
        ("我们一家三口，还有我弟两口子", 5),
    ],
)
def test_the_citizen_and_others_named_with_counts(text: str, count: int) -> None:
    assert _main(text).value == count


@pytest.mark.parametrize(
    ("text", "count"),
    [("我们娘仨", 3), ("我们爷俩", 2), ("我们哥儿仨", 3), ("婆家要把我们娘儿仨赶出去", 3), ("我们父子俩", 2)],
)
def test_collective_counts_of_kin(text: str, count: int) -> None:
    assert _main(text).value == count


@pytest.mark.parametrize(
    ("text", "count", "unit"),
    [
        ("俺们组原来十三户，搬走了两户，剩下的都把地包给他了", 11, "户"),
        ("本来二十个人，有五个已经结了钱", 15, None),
        ("本来十五个工友，有三个已经攞咗钱", 12, None),  # Cantonese
        ("我哋十二个人，走咗三个，剩返嘅都冇攞到钱", 9, None),
        ("我们组十个人，老板给其中三个人结了账", 7, None),
        ("我们宿舍六个人，两个已经走了，剩下四个都没拿到", 4, None),  # the rest said: that is the group
        ("我们队里原来有二十户，现在就剩八户了", 8, "户"),
        ("我们十个人，有三个没拿到钱", 3, None),  # those still unpaid
        ("我们一起的有十二个，走脱了两个", 10, None),  # Sichuanese 走脱
        ("我哋十个人，有三个已经出咗粮", 7, None),  # Cantonese 出咗粮: paid
        ("咱们屯原来二十户，后来搬走五户", 15, "户"),
    ],
)
def test_those_who_left_or_were_paid_are_taken_off(text: str, count: int, unit: str | None) -> None:
    fact = _main(text)
    assert fact.value == count
    assert fact.extra.get("unit") == unit


def test_an_approximate_count_less_those_who_left_keeps_the_lower_bound() -> None:
    fact = _main("三十多个工友，走了七八个，剩下的都没拿到")
    # 三十多 reads as 30 and as many as 8 left: 22 at least, approximate; the range is 31-8 .. 39-7
    assert (fact.value, fact.approximate) == (22, True)
    assert (fact.extra["min"], fact.extra["max"]) == (23, 32)
    fact = _main("额们村原来四十几户，搬走了六户")  # northwest 额们
    assert (fact.value, fact.approximate, fact.extra["unit"]) == (34, True, "户")
    fact = _main("我们一路的有十几个，后来回老家了四个")  # Sichuanese
    assert (fact.value, fact.approximate) == (6, True)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("就我们一家", 1),
        ("我们班组十二个人", 12),
        ("我们一家五口住这里", 5),
        ("一共六万八，我们二十多个人", 20),
        ("我们班组十二个人，木工五个，钢筋七个", 12),  # the group and its breakdown
        ("木工五个，钢筋七个，一共十二个", 12),  # the total said
        ("我们十二个人，其中五个是女的", 12),  # a part of the group
        ("我们十五个人，女的三个", 15),
        ("我们公司一百多个员工，我们部门二十个", 100),  # a group named again is not added
        ("我们厂三百多人，车间里二十个", 300),  # a small part of a large one
        ("我们两口子加上我小舅子在工地干活，老板欠我们三个人两万多", 3),
        ("我和老乡们十几个人", 10),  # the count after 我和… counts the citizen
        ("连我九个人", 9),
        ("不是十个人，是十二个", 10),  # a correction is never added
        ("兄弟姐妹五個，二哥一個人霸佔了", 5),  # 一个人 is how he took it, not one more
    ],
)
def test_totals_parts_of_a_group_and_single_counts_are_not_added(text: str, count: int) -> None:
    assert facts_dict(text)["headcount"] == count


@pytest.mark.parametrize(
    "text",
    ["苹果三个，梨两个", "我跟我老婆吵架", "我和我老公商量了一下", "买了三个，退了两个", "在工地干了三个月"],
)
def test_no_people_counted_is_no_headcount(text: str) -> None:
    assert facts_of(text, "headcount") == []


def test_the_ledger_replaces_the_counts_it_was_made_from() -> None:
    heads = facts_of("我们一家三口，还有我弟两口子", "headcount")
    assert [(f.value, f.extra.get("parts")) for f in heads] == [(5, [3, 2])]
    (fact,) = facts_of("本来二十个人，有五个已经结了钱", "headcount")
    assert (fact.extra["ledger"], fact.extra["parts"], fact.extra["left"]) == ("remaining", [20], [5])
