"""Amounts: normalised to yuan, never taken from phones, dates, ages, headcounts or durations."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of

from bot.facts import facts_dict
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
        # 只给了三千 is a part of the nine thousand paid: the six thousand left is in dispute
        ("工钱一天二百，干了四十五天，应该给九千，只给了三千", [200, 6000]),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我家六亩承包地2021年流转给合作社，说好一亩一年八百，结果2021到2023三年的租金一分没给", [800]),
        ("2019至2022的租金一直欠着", []),
        ("2020-2022这几年工钱都没结", []),
        ("2021、2022两年的分红没给", []),
        ("2018年底欠的货款", []),
        ("2021年度的补贴没发", []),
        ("2016那年借的钱到现在没还", []),
        ("借了他2000两年了没还", [2000]),
        ("结果2019到2020年的钱没给，一共两万", [20000]),
        ("欠我2021块", [2021]),
        ("租金2021元", [2021]),
        ("欠我2000到2050元", [2000, 2050]),
    ],
)
def test_years_are_not_amounts(text: str, expected: list) -> None:
    assert values_of(text, "amount") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("十来个人加一块差不多十五万", [150000]),
        ("我们几家凑一块三万", [30000]),
        ("俺们一块儿去要钱，他不给", []),
        ("两个人一块干了半年，工钱一分没拿", []),
        ("大家放一块算，欠了八万", [80000]),
        ("住一块的工友也没拿到钱", []),
        ("咱们一块商量一下怎么要那五千", [5000]),
        ("他一块钱都没给", []),  # not a single yuan: nothing was paid, no sum (test_facts_amounts_more)
        ("找零少给了我一块钱", [1]),
        ("一块五一斤，欠我三百斤的钱", [1.5]),
        ("每人一元也不给", []),
        ("每人收一元的管理费", [1]),
    ],
)
def test_yikuai_together_is_not_one_yuan(text: str, expected: list) -> None:
    assert values_of(text, "amount") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("还欠我七百七", [770]),
        ("还差三千五没给", [3500]),
        ("借了一万二", [12000]),
        ("工钱两千八一直拖着", [2800]),
        ("赔了七百七十块", [770]),
        ("欠我九百五", [950]),
    ],
)
def test_colloquial_hundreds_and_thousands(text: str, expected: list) -> None:
    assert values_of(text, "amount") == expected


@pytest.mark.parametrize(
    ("text", "unit_price", "total"),
    [
        ("鸡死了十一只，一只按七十算，七百七", 70, 770),
        ("羊被毒死三头，一头按两千算，六千", 2000, 6000),
        ("七十块一只，死了十一只，一共七百七", 70, 770),
        ("每斤五块，拉走三百斤，该给一千五", 5, 1500),
        ("鸭子按三十算，二十只就是六百", 30, 600),
        ("一只七十，七百七", 70, 770),
    ],
)
def test_unit_prices_are_marked_and_not_the_total(text: str, unit_price: float, total: float) -> None:
    amounts = facts_of(text, "amount")
    prices = [f for f in amounts if f.extra.get("per") == "unit"]
    assert [f.value for f in prices] == [unit_price]
    assert [f.value for f in amounts if f not in prices] == [total]
    assert facts_dict(text)["amount"] == total


def test_unit_price_after_the_number_needs_money_words() -> None:
    assert values_of("死了七十一只鸡", "amount") == []
    assert [f.extra for f in facts_of("七十元/只", "amount")] == [{"per": "unit"}]


@pytest.mark.parametrize(
    ("text", "value"),
    [("设计费说好2.5w一直不给", 25000), ("三万一共分了两次", 30000), ("欠我三万一，拖到现在", 31000)],
)
def test_a_word_starting_with_yi_after_the_unit_is_no_digit(text: str, value: int) -> None:
    assert values_of(text, "amount")[0] == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("借给隔壁村李老四六万块，到现在没还", [60000]),  # 老四 is a person
        ("村里刘老二五千块钱一直不还", [5000]),
        ("小六两千块钱借走就不还了", [2000]),  # 小六 is a person
        ("他欠了我二八万", [80000]),  # no range: the last digit before the unit counts
        ("花了小两万", [20000]),  # guard: 小两万 is "almost 20000", not 小 + a name
        ("欠我三万五", [35000]),  # guard: the usual abbreviation
    ],
)
def test_digits_before_a_unit_are_not_read_one_by_one(text: str, expected: list) -> None:
    assert values_of(text, "amount") == expected


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("他找我借了五六万", 50000, 60000),
        ("欠我工钱七八千", 7000, 8000),
        ("一共欠了二三十万", 200000, 300000),
        ("彩礼给了十五六万", 150000, 160000),
        ("存了养老二三十万", 200000, 300000),  # 老 here is no nickname
    ],
)
def test_a_digit_range_before_a_unit_is_its_lower_bound(text: str, low: int, high: int) -> None:
    (fact,) = facts_of(text, "amount")
    assert (fact.value, fact.approximate) == (low, True)
    assert (fact.extra["min"], fact.extra["max"]) == (low, high)


def test_number_range() -> None:
    from bot.facts.numbers import number_range

    assert number_range("五六万") == (50000, 60000)
    assert number_range("三万五六千") == (35000, 36000)
    assert number_range("二八万") is None  # not consecutive
    assert number_range("三万五") is None
    assert number_range("七八") == (7, 8)  # a count of months or people, no unit: one reader for all three
    assert number_range("一二三") is None  # digits read one by one


@pytest.mark.parametrize(
    "text",
    [
        "房东要我马上搬出1203",
        "欠我钱的那个人就住在1502",
        "他欠钱不还，他们家是602",
        "欠了房租，宿舍308",
    ],
)
def test_room_numbers_near_money_words_are_not_amounts(text: str) -> None:
    assert values_of(text, "amount") == []


@pytest.mark.parametrize(("text", "expected"), [("房租欠了1800", [1800]), ("在他店里花了2600", [2600])])
def test_bare_numbers_with_money_words_stay_amounts(text: str, expected: list) -> None:
    assert values_of(text, "amount") == expected


@pytest.mark.parametrize(
    ("text", "rest", "total", "returned"),
    [
        ("前年借给表哥二十万，今年还了六万", 140000, 200000, 60000),
        ("我交了押金五千，房东只退了两千", 3000, 5000, 2000),
        ("装修款十二万，只结了七万", 50000, 120000, 70000),
        ("订婚给了她家十六万六，现在只肯退六万", 106000, 166000, 60000),
        ("借了他八万，他给了三万回来", 50000, 80000, 30000),
    ],
)
def test_a_part_paid_back_leaves_the_difference(text: str, rest: int, total: int, returned: int) -> None:
    (fact,) = facts_of(text, "amount")
    assert fact.value == rest
    assert fact.extra == {"kind": "remaining", "total": total, "returned": returned}
    assert facts_dict(text)["amount"] == rest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("彩礼八万八，我们要求退三万", [88000, 30000]),  # a demand, not money paid back
        ("工钱两万，还欠八千", [20000, 8000]),  # what is still owed
        ("押金三千，房东不肯退一千", [3000, 1000]),
        ("他还了两万", [20000]),  # only the part: the bot still asks for the sum
        ("应发5200，实发才3800", [5200, 3800]),
    ],
)
def test_no_difference_without_a_part_paid_back(text: str, expected: list) -> None:
    assert values_of(text, "amount") == expected


@pytest.mark.parametrize(
    ("text", "value", "rate", "count", "approximate"),
    [
        ("房租一个月一千二，欠了我五个月", 6000, 1200, 5, False),
        ("在他饭店干了三十五天，一天一百八，一分钱没拿到", 6300, 180, 35, False),
        ("每个月从我工资里扣三百押金，扣了八个月", 2400, 300, 8, False),
        ("赡养费每月六百，他拖了十个多月", 6000, 600, 10, True),
        ("承包费一年两万，拖欠了三年", 60000, 20000, 3, False),
        ("月工资四千五，四个月没发了", 18000, 4500, 4, False),
        ("干了二十二天，一天二百五，二十二天的钱一分没见着", 5500, 250, 22, False),
    ],
)
def test_a_rate_times_the_periods_owed_is_the_sum(
    text: str, value: int, rate: int, count: int, approximate: bool
) -> None:
    (fact,) = facts_of(text, "amount")
    assert (fact.value, fact.approximate) == (value, approximate)
    assert fact.extra == {"kind": "rate_times_count", "rate": rate, "count": count}
    assert text[fact.start : fact.end] == fact.text
    assert facts_dict(text)["amount"] == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一天一百八，干了三十五天", [180]),  # worked, but nothing says the pay did not come
        ("每月一千二，干了五个月，结了三个月", [1200]),  # which months are owed is not clear
        ("每月一千二，拖了五个月，总共六千", [1200, 6000]),  # the citizen's own total
        ("一个月一千二，欠了五个月，后来补了两千", [1200, 2000]),
        ("他每个月给我妈六百，给了五个月就断了", [600]),  # pay that came
        ("月薪六千，每月扣两百，扣了五个月", [6000, 200]),  # two rates: which one runs is not clear
        ("一年前借给他三万，拖了两年了", [30000]),  # 一年前 is a time ago, not a rate
        ("每天都找他要那三千，拖了五天", [3000]),
        ("我们厂五个人，拖了四个月工资，每个人一个月六千", [6000]),  # one person's share per month
        ("工资一天二百", [200]),  # guard: a rate alone stays a rate
    ],
)
def test_no_product_without_one_clear_count_owed(text: str, expected: list) -> None:
    assert values_of(text, "amount") == expected
    assert all(f.extra.get("kind") != "rate_times_count" for f in facts_of(text, "amount"))


def test_a_rate_word_then_a_pay_verb_marks_the_sum_a_rate() -> None:
    (fact,) = facts_of("每个月单位都从工资里扣我二百五", "amount")
    assert (fact.value, fact.extra) == (250, {"per": "month"})


@pytest.mark.parametrize("text", ["一个月前借了他五千块", "一年前借给他两万"])
def test_a_time_ago_is_no_rate_word(text: str) -> None:
    assert all("per" not in f.extra for f in facts_of(text, "amount"))
