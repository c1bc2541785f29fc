"""Round 18's sums in a story, in sentences of our own (Mandarin, dialect, 繁體): the other side's unpaid
or demanded share over a total that is only the expense; a sum taken back said with other words (看错,
记混, 哦不, 稍等…是); money the other side handed over; a dead parent's estate and a loan the citizen
guaranteed (not the citizen's own claim); land rent per mu and per year times the mu and the years."""

from __future__ import annotations

import pytest

from bot.facts.extract import facts_dict
from tests.facts.facts_helpers import facts_of


def _marks(text: str, mark: str) -> list:
    return [f.value for f in facts_of(text, "amount") if f.extra.get(mark)]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("手术一共花了四万二，说好一家一半，他那份两万一到现在一分没出", 21000),
        ("爸的丧事花了三万六，我们兄弟三个平摊，一人一万二，老二那一万二死活不拿", 12000),
        ("修围墙花了八千，两家各出一半，让他出四千他不肯", 4000),
        ("醫藥費總共花了六萬，講好兩家平分，佢嗰份三萬一直冇俾", 30000),
        ("房子维修总共一万，他该摊的五千就是不给", 5000),
        ("总共花了两万一，我们三个一人七千，要两个弟弟把一万四拿出来", 14000),
        ("彩礼给了十八万，现在离婚了，要她家退十万", 100000),
    ],
)
def test_the_share_unpaid_or_demanded_wins_over_the_expense(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("每月差两千六，差了三个月，一共七千八，他一直没给", 7800),  # a total after the sum owed still wins
        ("我自己出的八千，他该出的他也出了", 8000),  # the citizen's own share, no other sum
        ("他给了五千就再没给过，工钱一共两万", 20000),
    ],
)
def test_a_total_said_after_or_the_citizens_own_share_stays(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("报价是5280……等下我看错了，是5820", 5820),
        ("工钱是六千八，哦不，记混了，是六千三", 6300),
        ("欠款三万七，稍等，我再看看，是三万二", 32000),
        ("維修費6400，我看錯了，是4600", 4600),
        ("房租押金三千五，等阵，我睇错咗，系三千", 3000),
        ("大概九千吧…等等，刚查了下，九千没算夜班的，加上是一万零八百", 10800),
        ("工资八千，算上加班费是一万", 10000),
    ],
)
def test_a_sum_taken_back_in_other_words_gives_way_to_the_one_meant(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    "text",
    [
        "医药费花了三千，我记混了日子，押金两千也没退",  # a cue, then another sum: nothing taken back
        "一共一万二……哦不对，他中间给过两千，还差一万",
    ],
)
def test_a_correction_cue_before_another_kind_of_sum_takes_nothing_back(text: str) -> None:
    assert _marks(text, "superseded") == []


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("出事后厂长来过一回，拿了五千块，后来就不露面了", 5000),
        ("工伤以后老板来医院看了一次，塞了两千块钱，再也没来过", 2000),
        ("出咗事之后老细嚟过一次，俾咗我两千蚊，之后就冇再理", 2000),
        ("事故發生後，對方送來五千塊，之後電話都不接", 5000),
        ("他打了我，赔了两千块钱了事", 2000),
    ],
)
def test_money_the_other_side_handed_over_is_marked_given(text: str, given: int) -> None:
    assert _marks(text, "given") == [given]


@pytest.mark.parametrize(
    "text",
    [
        "老板拿了我五千块押金不退",  # taken from the citizen
        "我拿了五千块给他，他不认账",  # the citizen paid
        "他给了我五万彩礼，现在要我全退",  # a gift the other side wants back
        "我去找老板，我拿了三千就签了字",
    ],
)
def test_money_taken_from_or_paid_by_the_citizen_is_not_given(text: str) -> None:
    assert _marks(text, "given") == []


def test_a_sum_given_loses_to_the_cost_said() -> None:
    assert facts_dict("医药费三万，厂长来过一回，拿了五千块")["amount"] == 30000


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("老爷子留了二十万存款，我们兄妹四个，大哥全拿走了", "estate"),
        ("我妈走的时候留下三十多万，我们姐弟三个，现在都在我弟手里", "estate"),
        ("父親過世後留下的存款有四十萬，兄弟姐妹五個，二哥一個人霸佔了", "estate"),
        ("爷爷的遗产有五十万，大伯一家全占了", "estate"),
        ("他贷了十五万，我是担保人，银行找我还", "guaranteed"),
        ("朋友在网贷借了八万，我给他做的担保，现在天天催我", "guaranteed"),
        ("我表哥借了十万，让我作保，现在他跑了", "guaranteed"),
    ],
)
def test_an_estate_or_a_guaranteed_loan_is_not_the_citizens_own_claim(text: str, kind: str) -> None:
    (fact,) = [f for f in facts_of(text, "amount") if f.extra.get("not_own")]
    assert fact.extra["not_own"] == kind


@pytest.mark.parametrize(
    "text",
    [
        "房东留了两千押金没退",  # no parent, no death
        "我妈留给我的二十万被我哥拿走了",  # left to the citizen
        "我借给他十五万，他找了个担保人，现在不还",  # the citizen lent it
        "我借了十五万，我老公是担保人",  # the citizen's own loan
        "我妈去年去世了，丧葬费花了三万，哥哥一分没出",  # a cost, not what she left
    ],
)
def test_other_sums_near_such_words_stay_the_citizens(text: str) -> None:
    assert _marks(text, "not_own") == []


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("老爷子留了二十万存款，我们兄妹四个，我要我那份五万", 50000),
        ("老爷子留了二十万存款，我们兄妹四个，属于我的那五万大哥不给", 50000),
        ("他贷了十五万，我是担保人，银行要我还八万", 80000),
    ],
)
def test_the_citizens_share_or_the_sum_asked_of_them_is_the_claim(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("五亩地流转，一亩一年六百，三年没给", 9000),
        ("两亩半，每亩每年八百，欠了两年", 4000),
        ("俺家八亩田包给他种，每亩地每年五百，拖了四年", 16000),
        ("3.5亩地租给合作社，一亩一年一千，欠两年了", 7000),
        ("五畝地流轉，一畝一年六百，三年沒給", 9000),
    ],
)
def test_land_rent_is_area_times_rate_times_years(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("一亩一年六百，三年没给", 1800),  # no area said: the rate times the years, as before
        ("我们十亩地，其中三亩租给他，一亩一年六百，三年没给", 1800),  # which area is rented is unclear
    ],
)
def test_rent_without_one_area_stays_rate_times_years(text: str, amount: int) -> None:
    assert facts_dict(text)["amount"] == amount


def test_a_sum_before_a_brother_is_no_headcount() -> None:
    assert facts_dict("属于我的那五万大哥不给").get("headcount") is None
    assert facts_dict("我们三千工人")["headcount"] == 3000
