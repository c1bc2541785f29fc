"""Round 21's answers, in sentences of our own (Mandarin, dialects, Cantonese): a nickname first and then
the real name (阿聪，身份证上叫戴家聪) files the real name; a length, an area or a weight is no sum
(往我这边挪二十公分); a sum the citizen settles for, smaller than what was spent, is the sum in dispute
(装修花了八千多，赔我五千就行)."""

from __future__ import annotations

import pytest

from tests.intake.helpers import answer

_NAME_SLOTS = {"category": "debt", "consent": True}


def _name(text: str) -> object:
    return answer(_NAME_SLOTS, "applicant_name", text).updates.get("applicant_name")


def _amount(text: str, category: str = "property") -> object:
    return answer({"category": category, "requested_slot": "amount_yuan"}, "amount_yuan", text).updates.get(
        "amount_yuan"
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a given name holding 家 (戴家聪, 李家豪), said after a nickname
        ("阿聪，身份证上叫戴家聪", "戴家聪"),
        ("阿聪，身份证上是戴家聪", "戴家聪"),
        ("小名叫狗蛋，大名叫李家豪", "李家豪"),
        ("大家都喊我老幺，大名是张家旺", "张家旺"),
        ("外号叫猴子，全名戴家聪", "戴家聪"),
        ("阿聪，户口本上叫戴家聪", "戴家聪"),
        ("小名阿聪，正式名字叫戴家聪", "戴家聪"),
        ("村里都叫我二娃子，学名叫王家宝", "王家宝"),
        ("我叫王小二，身份证上叫戴家聪", "戴家聪"),  # the real name over the everyday one
        ("石头，身份证上叫石家宝", "石家宝"),  # a nickname that starts like a surname
        # typed with no comma
        ("阿聪身份证上叫戴家聪", "戴家聪"),
        ("我小名阿聪大名戴家聪", "戴家聪"),
        # 学名 / 官名 / 大号 (northern) said bare
        ("小名阿聪，学名谭治刚", "谭治刚"),
        ("阿聪，官名谭治刚", "谭治刚"),
        ("俺小名叫二蛋，大号叫谭治刚", "谭治刚"),
        # a paper read out in other words: 写的, Cantonese 系 / 嘅名系, 身份证名…
        ("阿聪，身份证上面写的谭治刚", "谭治刚"),
        ("户口本上写的谭治刚，平时都叫我阿聪", "谭治刚"),
        ("阿聪啦，身份证系谭治刚", "谭治刚"),
        ("阿聪，身份证上嘅名系谭治刚", "谭治刚"),
        ("聪仔，身份证名谭治刚", "谭治刚"),
        # a closing particle (Hunan 嘞) after the name
        ("聪伢子，身份证上头叫谭治刚嘞", "谭治刚"),
        # a bare nickname with 哥/姐 opening the answer is no other person
        ("聪哥，身份证上叫谭治刚", "谭治刚"),
        ("外号叫二哥，身份证上叫谭治刚", "谭治刚"),
        ("芳姐～身份证上是覃秀芳", "覃秀芳"),
    ],
)
def test_the_real_name_after_a_nickname_is_filed(text: str, name: str) -> None:
    assert _name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "我儿子小名叫豆豆，身份证上叫李家豪",
        "我哥，身份证上叫李家豪",
        "他身份证上叫李家豪",
        "同事小王，身份证上是王家强",
        "表哥，身份证上是王家强",
        "儿子，身份证上叫李家豪",
    ],
)
def test_a_paper_name_of_someone_else_is_not_the_citizens(text: str) -> None:
    assert _name(text) is None


def test_the_words_before_a_real_name_are_no_part_of_it() -> None:
    assert _name("大名叫戴家聪") == "戴家聪"
    assert _name("李娜呀") == "李娜"


@pytest.mark.parametrize(
    "text",
    [
        "他还说新墙要往我这边挪二十公分",
        "他要占我三十厘米",
        "墙要往外挪八十毫米",
        "他家的树要砍掉三丈多",
        "他要我赔二十斤米",
        "要控制在五十五分贝",
        "他要占两公顷",
        "他要我让五十公分出来",
    ],
)
def test_a_length_area_or_weight_is_no_sum(text: str) -> None:
    assert _amount(text) is None


def test_a_length_said_with_a_sum_leaves_the_sum() -> None:
    assert _amount("围墙要挪二十公分，还要赔我五千") == 5000
    assert _amount("水漫进来三十公分深，家具全泡了，损失两万多") == 20000


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("地板当时装修花了八千多，算了，赔我五千就行", 5000),
        ("修车花了一万二，给我八千就算了", 8000),
        ("医药费花了三万，要两万就够了", 20000),
        ("买的时候三千块，只要一千五", 1500),
        ("装修花了两万，赔个一万就行了", 10000),
        ("那手机四千多买的，给我两千算了", 2000),
        ("当时花了八千，我也不多要，五千就行", 5000),
        ("花咗八千蚊装修，赔返五千俾我就得", 5000),  # Cantonese
        ("整了八千多，赔俺五千就中", 5000),  # Henan
        ("屋头装修花了八千多，赔我五千就要得", 5000),  # Sichuan
        ("修好花了六千，额寻思让他出四千就中咧", 4000),  # Shaanxi
        ("花了八千，他说最多赔三千，我要五千", 5000),
        ("装修花了八千，俺要求对方赔偿五千", 5000),
    ],
)
def test_the_sum_settled_for_wins_over_what_was_spent(text: str, amount: int) -> None:
    assert _amount(text) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("装修花了八千，他说赔三千就行，我不同意", 8000),  # the other side's offer
        ("装修花了八千，别以为给我三千就算了", 8000),  # refused
        ("花了八千，佢话俾三千就得", 8000),  # Cantonese: the other side's offer
        ("一共花了八千，那两千就算了，剩下六千必须给", 6000),  # 那两千就算了 lets it go
    ],
)
def test_an_offer_or_a_sum_let_go_is_not_the_claim(text: str, amount: int) -> None:
    assert _amount(text) == amount
