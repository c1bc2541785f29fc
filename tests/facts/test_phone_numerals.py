"""A mobile number in every Chinese digit form: financial numerals (壹叁陸 伍伍捌柒 貳零玖肆, as on a
cheque or a contract, 繁體 or simplified), spoken ones (幺 for 1, 两 for 2, 洞 for 0, 〇) and groups of any
size split by spaces, dashes or dots (一三五 三零八 五四 七二幺). Only a whole, valid mobile number is
read; a number said in words (五十八), a sum (伍仟叁佰元), a list or a run too long stays out."""

from __future__ import annotations

import pytest
from facts_helpers import values_of

from tests.intake.helpers import answer

FINANCIAL = "13655872094"
GROUPED = "13530854721"


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("壹叁陸 伍伍捌柒 貳零玖肆", FINANCIAL),
        ("壹叁陆伍伍捌柒贰零玖肆", FINANCIAL),
        ("壹叁陆-伍伍捌柒-贰零玖肆", FINANCIAL),
        ("壹叁陆.伍伍捌柒.贰零玖肆", FINANCIAL),
        ("壹 叁 陆 伍 伍 捌 柒 贰 零 玖 肆", FINANCIAL),
        ("我电话是壹叁陸 伍伍捌柒 貳零玖肆，白天都能打", FINANCIAL),
        ("壹參陸 伍伍捌柒 貳〇玖肆", FINANCIAL),
        ("幺叁陆 5587 贰零玖肆", FINANCIAL),
        ("一三五 三零八 五四 七二幺", GROUPED),
        ("一三 五三 零八 五四 七二 幺", GROUPED),
        ("一三五-三零八-五四-七二幺", GROUPED),
        ("一三五.三零八五四.七二幺", GROUPED),
        ("一三五 三〇八 五四 七二一", GROUPED),
        ("手机 一三五 三零八 五四 七二幺 随时打", GROUPED),
        ("幺三九 两洞洞八 七六五四", "13920087654"),
        ("幺八六-两两洞七-幺幺三五", "18622071135"),
    ],
)
def test_every_chinese_digit_form_in_groups_of_any_size_is_the_mobile_number(text: str, phone: str) -> None:
    assert values_of(text, "phone") == [phone]


def test_a_headcount_after_the_number_is_no_digit_of_it() -> None:
    said = "一三五 三零八 五四 七二幺 三个人都能打"
    assert values_of(said, "phone") == [GROUPED]
    assert values_of(said, "headcount") == [3]


@pytest.mark.parametrize(
    "text",
    [
        "一三五 三零八 五十八 七二",  # 五十八 is a number said in words
        "一三五 三零八 五四 七二幺 二",  # twelve digits: no number at all
        "一三五 三零八 五四 七二",  # ten
        "一，三，五，三，零，八，五，四，七，二，幺",  # a list, one by one between commas
        "陆陆续续还了伍佰",
        "二〇二四 一二 三〇 那天借的",
    ],
)
def test_numbers_in_words_lists_and_wrong_lengths_are_no_phone(text: str) -> None:
    assert values_of(text, "phone") == []


def test_a_sum_in_financial_numerals_stays_a_sum() -> None:
    assert values_of("借了伍仟叁佰元", "phone") == []
    assert values_of("借了伍仟叁佰元", "amount") == [5300]


@pytest.mark.parametrize(
    ("text", "phone"), [("壹叁陸 伍伍捌柒 貳零玖肆", FINANCIAL), ("一三五 三零八 五四 七二幺", GROUPED)]
)
def test_the_answer_to_the_phone_question_is_the_number_not_asked_again(text: str, phone: str) -> None:
    slots = {"category": "debt", "description": "朋友借了两万块一直不还", "consent": True}
    for intent in ("inform", "nlu_fallback"):
        turn = answer(slots, "phone", text, intent)
        assert turn.updates["phone"] == phone
        assert not turn.responses  # no "请再说一遍电话"
