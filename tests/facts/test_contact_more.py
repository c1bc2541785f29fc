"""Contact details typed and corrected the ways citizens do: a phone typed digit by digit with spaced
dashes, a phone's tail or whole number corrected in dialect words (后头是, 后四位系, 唔好意思打错，系…),
a name taken back (搞错哒, 唔系, 不是王是汪, 开玩笑). Read by bot.facts and by the intake's answer to the
phone and name questions."""

from __future__ import annotations

from typing import Any

import pytest
from facts_helpers import values_of

from bot.facts import extract_facts
from bot.facts.extract import facts_dict
from bot.intake import dialogue
from bot.intake.answers import read_answer
from bot.intake.schema import fact_specs


def read(fact: str, text: str) -> Any:
    entities = [f.as_entity() for f in extract_facts(text)]
    return read_answer(fact_specs()[fact], text, "inform", entities).value


def answered(requested: str, text: str) -> Any:
    """The intake's turn answering the question about ``requested`` (consent given)."""
    entities = [f.as_entity() for f in extract_facts(text)]
    turn = dialogue.answer_turn({"category": "debt", "consent": True}, requested, text, "inform", entities)
    assert turn is not None
    return turn.updates.get(requested)


# --- 1. phones typed digit by digit, with spaces and dashes ---------------------------------------------


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("1 8 8 - 0 2 7 1 - 6 6 3 5", "18802716635"),
        ("1 3 9 1 2 3 4 5 6 7 8", "13912345678"),
        ("139 - 1234 - 5678", "13912345678"),
        ("手机：１ ５ ８ － ２ ２ ７ １ － ５ ５ ６ ６", "15822715566"),
        ("１３９　１２３４　５６７８", "13912345678"),
        ("电话 1 8 6  2 0 4 7  5 5 1 3，晚上打", "18620475513"),
        ("我的号码是 177 – 0123 – 4567 谢谢", "17701234567"),
        ("号码是1 5 9-2 3 4 8-1 7 0 6", "15923481706"),
    ],
)
def test_a_phone_typed_apart_with_spaces_and_dashes(said: str, phone: str) -> None:
    assert facts_dict(said)["phone"] == phone
    assert read("phone", said) == phone
    assert answered("phone", said) == phone


def test_a_landline_typed_apart_with_a_spaced_dash() -> None:
    assert facts_dict("座机 0 3 5 1 - 7 6 5 4 3 2 1")["phone"] == "0351-7654321"


@pytest.mark.parametrize(
    ("said", "phones"),
    [
        ("13812345678 - 13912345678 都可以", ["13812345678", "13912345678"]),
        ("2025 - 03 - 05 出的事", []),
        ("工资 3000 - 5000 一个月", []),
        ("欠了 1 5 0 0 0 元", []),
        ("¥ 1 3 8 - 2 2 7 1 - 5 5 6 6", []),
    ],
)
def test_spaced_dashes_never_make_other_numbers_a_phone(said: str, phones: list[str]) -> None:
    assert [p for p in values_of(said, "phone")] == phones


@pytest.mark.parametrize("said", ["1 3 9 - 1 2 3 4 - 5 6 7", "手机 139 - 1234 - 56789"])
def test_a_spaced_number_of_the_wrong_length_is_no_phone(said: str) -> None:
    assert "phone" not in facts_dict(said)
    assert read("phone", said) is None


# --- 2. a phone corrected by its tail or as a whole, in dialect words ------------------------------------


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("137 3910 5528……不对不对，后头是5582", "13739105582"),
        ("137 3910 5528，后四位系5582", "13739105582"),
        ("158 6677 3091，哎呀最后几位是3019", "15866773019"),
        ("139 0011 2248，尾巴是2284", "13900112284"),
        ("186 2047 5513，后边四位是5531", "18620475531"),
        ("152 6677 3091，搞错咗，尾数系3019", "15266773019"),
        ("138 1234 5678，唔啱，后尾系5687", "13812345687"),
        ("137 3910 5528，后面是5582", "13739105582"),
        ("137 3910 5528，尾号是5582", "13739105582"),
        ("137 3910 5528，末尾是5582", "13739105582"),
        ("137 3910 5528，最后四位是5582", "13739105582"),
    ],
)
def test_a_phone_tail_corrected_in_dialect_words(said: str, phone: str) -> None:
    assert facts_dict(said)["phone"] == phone
    assert read("phone", said) == phone


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("136 2514 8890……唔好意思打错，系 136 2514 8809", "13625148809"),
        ("139 1234 5678，不好意思说错了，是 139 1234 5687", "13912345687"),
        ("138 0013 8000，讲错咗，系 1 3 8 - 0 0 1 3 - 8 0 0 1", "13800138001"),
    ],
)
def test_a_whole_phone_said_again_after_a_dialect_apology(said: str, phone: str) -> None:
    assert facts_dict(said)["phone"] == phone
    assert read("phone", said) == phone
    assert answered("phone", said) == phone


@pytest.mark.parametrize(
    ("said", "phone"),
    [
        ("137 3910 5528，后天3点打给我", "13739105528"),
        ("137 3910 5528，尾款是5000元", "13739105528"),
        ("137 3910 5528，后头还有5个人", "13739105528"),
        ("我电话13625148890，我老婆电话13625148809", "13625148890"),
    ],
)
def test_digits_after_a_phone_that_correct_nothing(said: str, phone: str) -> None:
    assert facts_dict(said)["phone"] == phone


# --- 3. a name taken back and said again -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("我叫彭建华……搞错哒，是彭建桦，木字旁的桦", "彭建桦"),
        ("我叫彭建华，搞错了，是彭建桦", "彭建桦"),
        ("我叫彭建华，搞错咗，系彭建桦", "彭建桦"),
        ("我叫陈小明，弄错了，是陈晓明", "陈晓明"),
        ("我叫黄丽，唔好意思打错，系黄莉", "黄莉"),
        ("我叫周杰，写错了，我叫周洁", "周洁"),
        ("我叫孙莉，讲错了哈，孙丽，美丽的丽", "孙丽"),
        ("我叫刘洋，说错咯，是刘阳", "刘阳"),
        ("我叫李强，唔系，系李墙", "李墙"),
        ("我叫张伟，不对，张玮，哎也不对，张炜", "张炜"),
        ("我叫李明，不是李明，是李铭", "李铭"),
    ],
)
def test_a_name_taken_back_in_dialect_words(said: str, name: str) -> None:
    assert facts_dict(said)["person_name"] == name
    assert read("applicant_name", said) == name
    assert answered("applicant_name", said) == name


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("我叫王建国，不是王是汪，三点水那个汪", "汪建国"),
        ("我叫刘德华，唔系刘，系柳，木字旁嘅柳", "柳德华"),
        ("本人张晓明，不是晓，是小，大小的小", "张小明"),
        ("我叫王建国，不是王是汪", "汪建国"),
    ],
)
def test_one_character_of_a_name_put_right(said: str, name: str) -> None:
    assert facts_dict(said)["person_name"] == name
    assert read("applicant_name", said) == name


@pytest.mark.parametrize(
    "said",
    [
        "钱多多……开玩笑😂 我叫钱雨桐，金钱的钱",
        "我叫钱多多，开玩笑的😂 我叫钱雨桐，金钱的钱",
        "我是钱多多哈哈，逗你的，钱雨桐",
    ],
)
def test_a_joke_name_taken_back(said: str) -> None:
    assert facts_dict(said)["person_name"] == "钱雨桐"
    assert read("applicant_name", said) == "钱雨桐"


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("彭建华……搞错哒，是彭建桦，木字旁的桦", "彭建桦"),
        ("王建国，不是王是汪，三点水那个汪", "汪建国"),
        ("钱多多……开玩笑😂 钱雨桐，金钱的钱", "钱雨桐"),
        ("李强，唔系，系李墙", "李墙"),
    ],
)
def test_a_bare_name_answer_taken_back(said: str, name: str) -> None:
    assert read("applicant_name", said) == name
    assert answered("applicant_name", said) == name


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("我叫张伟，不是张三", "张伟"),
        ("我叫王芳，不对，是我老公王强要投诉", "王芳"),
        ("我叫王芳，不对，王强是我老公", "王芳"),
        ("我叫李娜，电话打错了，是13812345678", "李娜"),
        ("我叫陈晨，耳东陈，早晨的晨", "陈晨"),
        ("我叫王建国，不是汪是王", "王建国"),
        ("我叫赵磊，不是赵，是照片的照", "赵磊"),
        ("我叫钱雨桐，金钱的钱", "钱雨桐"),
    ],
)
def test_names_that_are_not_taken_back(said: str, name: str) -> None:
    assert facts_dict(said)["person_name"] == name
    assert read("applicant_name", said) == name


def test_someone_elses_name_corrected_is_not_the_citizens() -> None:
    assert "person_name" not in facts_dict("他叫李四，搞错了，是李斯")
