"""Phone numbers and resident ID numbers."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of

from bot.facts.contact import id_checksum_ok


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("我电话13934561234", "13934561234"),
        ("我手机号是139 1234 5678，有事打这个", "13912345678"),
        ("电话：139-8765-4321", "13987654321"),
        ("联系电话１５８３４５６７８９０", "15834567890"),
        ("我的手机是幺三九零三五一二二三四", "13903512234"),
        ("电话号码一八六三五一六七八九零", "18635167890"),
        ("我的手机号码是13-9-1234-5678", "13912345678"),
        ("號碼13512345678", "13512345678"),
        ("tel:17701234567", "17701234567"),
        ("家里座机0351-7654321", "0351-7654321"),
        ("我的电话是0351 12345678", "0351-12345678"),
        ("电话010-87654321", "010-87654321"),
        ("电话03517654321", "0351-7654321"),
    ],
)
def test_valid_phones(text: str, value: str) -> None:
    (fact,) = facts_of(text, "phone")
    assert fact.value == value
    assert fact.valid is True
    assert text[fact.start : fact.end] == fact.text


@pytest.mark.parametrize(
    ("text", "value"),
    [("手机号1391234567，好像少了一位", "1391234567"), ("手机139123456789", "139123456789")],
)
def test_wrong_length_mobile_is_flagged_invalid(text: str, value: str) -> None:
    (fact,) = facts_of(text, "phone")
    assert fact.value == value
    assert fact.valid is False


@pytest.mark.parametrize(
    "text",
    [
        "电话13812345",
        "我的QQ号是123456789",
        "订单号2025031500123",
        "2025-03-05出的事",
        "欠了一二三",
        "工号10086",
        "一万二千三百四十五",
    ],
)
def test_not_phones(text: str) -> None:
    assert values_of(text, "phone") == []


@pytest.mark.parametrize(
    ("text", "value", "valid"),
    [
        ("我的身份证号是110101199003074514", "110101199003074514", True),
        ("身份证：33010220000101123x 手机：17701234567", "33010220000101123X", True),
        ("身份证号码140105198506150028", "140105198506150028", True),
        ("身份证11010119900307451X您看对不对", "11010119900307451X", False),
        ("身份证号码320102197001010015", "320102197001010015", False),
        ("身份证１１０１０１１９９００３０７４５１４", "110101199003074514", True),
    ],
)
def test_id_numbers(text: str, value: str, valid: bool) -> None:
    (fact,) = facts_of(text, "id_number")
    assert fact.value == value
    assert fact.valid is valid


def test_invalid_id_is_never_accepted_as_valid() -> None:
    (fact,) = facts_of("身份证110101199003074515", "id_number")
    assert fact.valid is False
    assert fact.extra["reason"] == "checksum"


def test_id_with_impossible_birth_date_is_invalid() -> None:
    # checksum-correct but born on the 13th month
    body = "11010119901307451"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    (fact,) = facts_of(f"身份证{body}{check}", "id_number")
    assert fact.valid is False
    assert fact.extra["reason"] == "birth_date"


def test_old_15_digit_id_only_with_context() -> None:
    (fact,) = facts_of("身份证号码110105720315001", "id_number")
    assert fact.value == "110105720315001"
    assert fact.extra["format"] == "15"
    assert values_of("流水号110105720315001", "id_number") == []


def test_id_checksum() -> None:
    assert id_checksum_ok("110101199003074514")
    assert id_checksum_ok("33010220000101123x")
    assert not id_checksum_ok("110101199003074515")
    assert not id_checksum_ok("1101011990030745")


def test_phone_and_id_digits_are_not_amounts_or_times() -> None:
    facts = facts_of("本人马丽，电话15903450812，身份证142701199205183620，欠我五千")
    assert [(f.entity, f.value) for f in facts if f.entity in ("phone", "id_number", "amount", "time")] == [
        ("phone", "15903450812"),
        ("id_number", "142701199205183620"),
        ("amount", 5000),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "电话一三八，二二七一，五五六六",
        "我手机是一三八、二二七一、五五六六，姓王",
        "电话幺三八二二七一五五六六",
        "电话138 2271 5566",
        "电话138-2271-5566",
        "电话138，2271，5566",
        "电话一三八 2271 5566",
        "打我电话一三八-二二七一-五五六六",
        "电话１３８２２７１５５６６",
        "电话１３８　２２７１　５５６６",
    ],
)
def test_spoken_grouped_and_mixed_phone_numbers(text: str) -> None:
    (fact,) = facts_of(text, "phone")
    assert fact.value == "13822715566"
    assert fact.valid is True
    assert text[fact.start : fact.end] == fact.text


@pytest.mark.parametrize(
    "text",
    [
        "订单号13822715566元",
        "¥13822715566",
        "欠了13,822,715元",
        "工资一万三，八千二，五千六",
        "一，二，三，四，五，六，七，八，九，十，十一",
        "二零一三年八月二十二日出的事",
        "一三八，二二七一，五五六六块",
    ],
)
def test_no_phone_out_of_a_sum_a_list_or_a_date(text: str) -> None:
    assert values_of(text, "phone") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("身份证110101 19900307 6632", "110101199003076632"),
        ("身份证110101-19900307-6632", "110101199003076632"),
        ("身份证号 1101 0119 9003 0700 2x", "11010119900307002X"),
        ("身份证：110101 19900307 002X，电话13822715566", "11010119900307002X"),
    ],
)
def test_id_numbers_written_in_groups(text: str, value: str) -> None:
    (fact,) = facts_of(text, "id_number")
    assert (fact.value, fact.valid) == (value, True)
    assert values_of(text, "amount") == []


def test_grouped_id_with_a_bad_checksum_is_kept_invalid() -> None:
    (fact,) = facts_of("身份证110101 19900307 663X", "id_number")
    assert (fact.value, fact.valid, fact.extra["reason"]) == ("11010119900307663X", False, "checksum")


@pytest.mark.parametrize(
    "text", ["电话+86 139 5521 0847", "+8613955210847", "0086 13955210847", "86-139-5521-0847"]
)
def test_the_country_code_before_a_mobile_number_is_dropped(text: str) -> None:
    from bot.facts import extract_facts

    phones = [f for f in extract_facts(text) if f.entity == "phone"]
    assert [(f.value, f.valid) for f in phones] == [("13955210847", True)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("我电话一五八 六六二一 三四九零，哦不对，后四位是三四零九", "15866213409"),
        ("手机18603512277，说错了，最后两位是72", "18603512272"),
        ("号码17703519876，尾号是9867", "17703519867"),
    ],
)
def test_a_corrected_tail_replaces_the_old_one(text: str, value: str) -> None:
    (fact,) = facts_of(text, "phone")
    assert (fact.value, fact.valid, fact.extra.get("corrected")) == (value, True, True)
    assert text[fact.start : fact.end] == fact.text


def test_a_whole_new_number_after_a_correction_supersedes_the_first() -> None:
    from bot.facts import facts_dict

    text = "手机 186 0351 2277，打错了，应该是186 0351 2772"
    first, second = facts_of(text, "phone")
    assert first.extra.get("superseded") is True and second.value == "18603512772"
    assert facts_dict(text)["phone"] == "18603512772"


@pytest.mark.parametrize(
    "text",
    ["电话13703512468，不是座机", "电话13703512468，不是我的，欠我5000", "电话13703512468，不对，我再看一下"],
)
def test_no_correction_without_corrected_digits(text: str) -> None:
    (fact,) = facts_of(text, "phone")
    assert fact.value == "13703512468" and "corrected" not in fact.extra


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("我的手机 一 五 九 零 三 四 五 零 八 一 二", "15903450812"),
        ("电 话 幺 八 六 三 五 一 六 七 八 九 零 ， 谢 谢", "18635167890"),
        ("号码是 1 5 9 零 3 四 5 0 8 1 2", "15903450812"),
        ("一 八 六 ， 三 五 一 六 ， 七 八 九 零", "18635167890"),
        ("第 二 ， 一 五 九 零 三 四 五 零 八 一 二", "15903450812"),
        ("电 话 是 一 五 九 零 三 四 五 零 八 一 二.", "15903450812"),
    ],
)
def test_a_mobile_typed_one_digit_at_a_time(text: str, value: str) -> None:
    (fact,) = facts_of(text, "phone")
    assert (fact.value, fact.valid) == (value, True)
    assert text[fact.start : fact.end] == fact.text
    assert fact.text == fact.text.strip(" ，")


@pytest.mark.parametrize(
    "text",
    [
        "1 5 9 0 3 4 5 0 8 1 2",  # guard: Arabic digits apart were already read
        "手机15903450812",  # guard: the usual way
    ],
)
def test_arabic_digits_apart_and_a_plain_mobile_still_read(text: str) -> None:
    assert values_of(text, "phone") == ["15903450812"]


@pytest.mark.parametrize(
    "text",
    [
        "俺 们 村 一 共 五 户 ， 每 户 欠 三 千",
        "一 二 三 四 五 六 七 八 九 零 一",  # not a mobile number
        "二 零 一 九 年 三 月 五 号 出 的 事",
        "一 五 九 零 三 四 五 零 八 一 二 元",
        "一 五 九 ， 三 ， 四 五 零 八 ， 一 二",  # a list, not groups of a number
    ],
)
def test_spaced_words_lists_dates_and_sums_are_no_phones(text: str) -> None:
    assert values_of(text, "phone") == []
