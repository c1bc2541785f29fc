"""Amounts: normalised to yuan, never taken from phones, dates, ages, headcounts or durations."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of

from bot.facts.numbers import parse_number, to_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("老板欠我三万五", [35000]),
        ("一共欠了两万五千块", [25000]),
        ("借了他1.2万", [12000]),
        ("欠款3w，借条在我手里", [30000]),
        ("欠款3W", [30000]),
        ("工钱一天八百", [800]),
        ("欠了我们6万8", [68000]),
        ("彩礼给了十八万八", [188000]),
        ("欠我十二万五", [125000]),
        ("修车花了一万三千五", [13500]),
        ("欠条上写的伍万元整", [50000]),
        ("欠條上寫的是伍萬元整", [50000]),
        ("押金三千，他不退", [3000]),
        ("拖欠工资一万零五百元", [10500]),
        ("欠我１２０００元", [12000]),
        ("还差3,500元没给", [3500]),
        ("一平米收2块5", [2.5]),
        ("物业费每平米1.8元", [1.8]),
        ("狗主人只愿意出两百块", [200]),
        ("boss owes me 5000 yuan", [5000]),
        ("￥8000", [8000]),
        ("应发5200，实发才3800", [5200, 3800]),
        ("工钱一天二百，干了四十五天，应该给九千，只给了三千", [200, 9000, 3000]),
        ("一共欠我一万八", [18000]),
        ("年薪6万，只给了2万", [60000, 20000]),
        ("货款三万二一直不结", [32000]),
        ("还欠两千五一分没还", [2500]),
        ("他家当初要了彩礼十八万八，现在离婚了不退", [188000]),
        ("彩礼18万8", [188000]),
        ("嫁妆陪了六万六", [66000]),
        ("抚养费一千五", [1500]),
        ("彩礼十万零八千", [108000]),
        ("他把我那份八万拿走了", [80000]),
    ],
)
def test_amount_values(text: str, expected: list) -> None:
    assert values_of(text, "amount") == expected


@pytest.mark.parametrize(
    ("text", "value", "text_span"),
    [
        ("老板欠我五千多", 5000, "五千多"),
        ("五千多", 5000, "五千多"),
        ("医药费花了两万多", 20000, "两万多"),
        ("网贷欠了二十几万", 200000, "二十几万"),
        ("损失大概一万来块", 10000, "一万来块"),
        ("每人大概六千左右", 6000, "六千左右"),
        ("欠了七十多萬", 700000, "七十多萬"),
        ("借给他十来万", 100000, "十来万"),
        ("欠我三万出头", 30000, "三万出头"),
        ("工钱八千块出头", 8000, "八千块出头"),
        ("大概两万左右", 20000, "两万左右"),
        ("医药费一万不到", 10000, "一万不到"),
        ("这一年的工钱快两万了", 20000, "两万"),
        ("爸妈留下的遗产大概五十万", 500000, "五十万"),
        ("遗产有五十来万", 500000, "五十来万"),
        ("拆迁补偿款一百二十多万被村里扣着", 1200000, "一百二十多万"),
        ("拆迁款一百二十几万", 1200000, "一百二十几万"),
        ("老人每个月养老金两千多", 2000, "两千多"),
    ],
)
def test_approximate_amounts_keep_lower_bound(text: str, value: int, text_span: str) -> None:
    (fact,) = facts_of(text, "amount")
    assert fact.value == value
    assert fact.approximate is True
    assert fact.text == text_span


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("他转走了好几万", "好几万"),
        ("说欠了好几十万", "好几十万"),
        ("欠了几千块", "几千块"),
    ],
)
def test_vague_amounts_have_no_value_but_keep_text(text: str, span: str) -> None:
    (fact,) = facts_of(text, "amount")
    assert fact.value is None
    assert fact.approximate is True
    assert fact.text == span


@pytest.mark.parametrize(
    ("text", "value", "per"),
    [
        ("工资3500元/月", 3500, "month"),
        ("工资4500一个月", 4500, "month"),
        ("每个月3500元", 3500, "month"),
        ("一个月工资才3000", 3000, "month"),
        ("一个月给俺开三千五", 3500, "month"),
        ("房租每月1500", 1500, "month"),
        ("工钱一天二百", 200, "day"),
        ("租金一亩六百", 600, "mu"),
        ("涨租金到每年八万", 80000, "year"),
        ("每月赡养费八百", 800, "month"),
        ("我哥每月赡养费八百都不给", 800, "month"),
        ("家用每个月给两千，现在一分不给", 2000, "month"),
        ("我弟拿了老房子的租金八百一个月", 800, "month"),
        ("一万五一个月", 15000, "month"),
    ],
)
def test_rates_are_amounts_with_per(text: str, value: int, per: str) -> None:
    (fact,) = facts_of(text, "amount")
    assert fact.value == value
    assert fact.extra["per"] == per


@pytest.mark.parametrize(
    "text",
    [
        "我的电话13912345678",
        "2025年3月5号出的车祸",
        "我今年52岁了",
        "我们十五个人一起去的",
        "住在5号楼2单元301",
        "在工地干了三个月",
        "干了四十五天",
        "每天干12个小时",
        "天天晚上十二点还在装修",
        "被砍了三十多棵树",
        "我们小区三百多户",
        "要求赔偿2N",
        "4S店说要修",
        "我的工号是10086",
        "订单号2025031500123",
        "QQ号是123456789",
        "老板一分钱没给",
        "房子2019年买的",
        "九几年的合同",
        "第二年就要涨",
        "承包地被多占了两分",
        "身份证110101199003074514",
        "我有一块地",
        "跑了三千米",
        "说了一千遍了",
        "两千年的时候",
        "",
    ],
)
def test_not_amounts(text: str) -> None:
    assert values_of(text, "amount") == []


def test_share_of_money_for_two_people_is_a_headcount_not_an_amount() -> None:
    text = "我和我老伴两个人的那份钱他不给"
    assert values_of(text, "amount") == []
    assert values_of(text, "headcount") == [2]


def test_hedge_words_do_not_mark_a_plain_sum_nearby() -> None:
    (fact,) = facts_of("他很快给你五千", "amount")
    assert fact.value == 5000
    assert fact.approximate is False


def test_amount_offsets_index_original_text() -> None:
    text = "俺們仨的工錢，欠了兩萬五千塊！"
    (fact,) = facts_of(text, "amount")
    assert text[fact.start : fact.end] == fact.text == "兩萬五千塊"
    assert fact.value == 25000


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("三万五", 35000),
        ("两千五", 2500),
        ("一百五", 150),
        ("6万8", 68000),
        ("一万零五百", 10500),
        ("十五", 15),
        ("一百二十", 120),
        ("二零二五", 2025),
        ("一亿二千万", 120_000_000),
        ("1.2万", 12000),
    ],
)
def test_parse_number(numeral: str, value: int) -> None:
    assert parse_number(numeral) == value


@pytest.mark.parametrize("numeral", ["十五", "一百二十", "三千五百", "两万五千", "一万零五百", "十万"])
def test_parse_number_agrees_with_cn2an_on_plain_numerals(numeral: str) -> None:
    import cn2an

    assert parse_number(numeral) == cn2an.cn2an(numeral, "smart")


def test_parse_number_rejects_garbage() -> None:
    assert parse_number("三五十") is None
    assert parse_number("abc") is None
    assert parse_number("") is None


def test_to_number_int_when_whole() -> None:
    assert to_number(35000.0) == 35000 and isinstance(to_number(35000.0), int)
    assert to_number(2.5) == 2.5
