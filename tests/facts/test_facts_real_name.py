"""The citizen's real name over an alias: a name after a Latin alias, a name word (中文名, 真名, 本名) or a
paper (身份证上是…) is the one filed, over a nickname, a Latin alias or a first try; Minnan 阮 (= 我) before
叫/是/姓 is the citizen, while 阮 opening a name is a surname. Read in a first message (facts) and as the
answer to the name question."""

from __future__ import annotations

from typing import Any

import pytest
from facts_helpers import facts_of, values_of

from bot.facts import extract_facts, facts_dict
from bot.intake.answers import facts_from_entities, read_answer
from bot.intake.schema import fact_specs


def answer(text: str) -> Any:
    entities = [f.as_entity() for f in extract_facts(text)]
    return read_answer(fact_specs()["applicant_name"], text, "inform", entities).value


def first_message(text: str) -> Any:
    entities = [f.as_entity() for f in extract_facts(text)]
    return facts_from_entities(entities, fact_specs(), ["applicant_name"], text).get("applicant_name")


REAL_NAMES = [
    ("我是 Kevin，身份证名字宁凯", "宁凯"),
    ("Vivian，中文名蔡婉婷", "蔡婉婷"),
    ("Jessica 汤佳琪，叫汤佳琪就行", "汤佳琪"),
    ("我叫谭志刚……不对不对，身份证上是谭治刚，治理的治", "谭治刚"),
    ("大家都叫我阿强，身份证上写的是梁志强", "梁志强"),
    ("英文名Tony，真名叫吴涛", "吴涛"),
    ("我叫王小明，身份证上是王晓明", "王晓明"),
    ("我身份证上的名字叫蔡婉婷，平时大家叫我Vivian", "蔡婉婷"),
    ("户口本上登记的是梁志强", "梁志强"),
    ("我的英文名叫Tony，本名吴涛", "吴涛"),
    ("我是Kevin宁凯", "宁凯"),
    ("Jessica汤佳琪", "汤佳琪"),
    ("身份证上是谭治刚，叫我阿刚就行", "谭治刚"),
    ("我叫李秀妹，身份证上是李秀梅", "李秀梅"),  # 妹 of the name said before is no other person
    ("叫汤佳琪就行", "汤佳琪"),
    ("你们叫我汤佳琪吧", "汤佳琪"),
]


@pytest.mark.parametrize(("text", "name"), REAL_NAMES)
def test_the_real_name_is_read_in_a_message(text: str, name: str) -> None:
    assert set(values_of(text, "person_name")) == {name}  # said twice in "Jessica 汤佳琪，叫汤佳琪就行"
    assert facts_dict(text)["person_name"] == name
    assert first_message(text) == name


@pytest.mark.parametrize(("text", "name"), REAL_NAMES)
def test_the_real_name_is_read_as_the_answer(text: str, name: str) -> None:
    assert answer(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我是 Kevin，身份证名字宁凯，在工地干活，老板欠我三万块工钱", "宁凯"),
        ("老板拖欠工资两个月了。大家都叫我阿强，身份证上写的是梁志强，电话13912345678", "梁志强"),
        ("您好，Vivian，中文名蔡婉婷，房东不退押金", "蔡婉婷"),
    ],
)
def test_the_real_name_inside_a_longer_first_message(text: str, name: str) -> None:
    assert facts_dict(text)["person_name"] == name
    assert first_message(text) == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("身份证上是谭治刚，叫我阿刚就行", "谭治刚"),
        ("大名是刘满仓，小名叫狗蛋", "刘满仓"),
        ("中文名叫周雨桐", "周雨桐"),
    ],
)
def test_a_name_said_as_the_real_one_is_marked_official(text: str, name: str) -> None:
    (fact,) = facts_of(text, "person_name")
    assert (fact.value, fact.extra.get("official")) == (name, True)


def test_a_name_corrected_after_the_paper_is_still_the_answer() -> None:
    assert answer("身份证上是谭志刚，不对，是谭治刚") == "谭治刚"


@pytest.mark.parametrize(
    "text",
    [
        "他身份证上是张三",
        "我老公身份证上写的是张三",
        "我儿子在工地摔伤了，身份证上是李强",  # the paper of the person just spoken of
        "身份证上写的是农村户口",  # no name ends there
        "身份证丢了",
        "KTV张老板欠我工资",  # no Latin alias (all capitals)
        "Ok张三欠我钱",  # the name read after the word does not end there
        "叫我王姐就行",  # an address, not a given name
        "叫我王师傅吧",
        "叫张三来一趟",  # no address word after the name
        "英文名叫Tony",
    ],
)
def test_no_real_name_where_none_is_the_citizens(text: str) -> None:
    assert values_of(text, "person_name") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("阮叫洪阿水", "洪阿水"),
        ("阮是林金花", "林金花"),
        ("阮就是林金花，电话13912345678", "林金花"),
        ("阮姓蔡，叫蔡明德", "蔡明德"),
        ("阮叫阮文杰", "阮文杰"),
        ("阮是村里的会计李秀英", "李秀英"),
        ("我叫阮文杰", "阮文杰"),
        ("我姓阮，叫阮文杰", "阮文杰"),
        ("老板欠钱不还，阮叫赖水生", "赖水生"),
    ],
)
def test_minnan_self_reference_before_an_introduction(text: str, name: str) -> None:
    assert values_of(text, "person_name") == [name]
    assert answer(text) == name
    assert first_message(text) == name


def test_minnan_surname_after_self_reference() -> None:
    (fact,) = facts_of("阮姓蔡，老板欠阮三万", "person_name")
    assert (fact.value, fact.extra["surname_only"]) == ("蔡", True)


@pytest.mark.parametrize(
    ("text", "name"), [("阮文杰", "阮文杰"), ("阮文杰，电话13912345678", "阮文杰"), ("阮建", "阮建")]
)
def test_ruan_opening_a_name_is_a_surname_in_the_answer(text: str, name: str) -> None:
    assert answer(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "阮文杰是我老板，欠我三万",
        "老阮是我邻居，他叫王五",
        "阮兜在泉州",
        "姓阮的包工头跑了",
        "姓王的老板跑了",
    ],
)
def test_ruan_as_someone_elses_surname_is_no_own_name(text: str) -> None:
    assert values_of(text, "person_name") == []


def test_ruan_said_as_a_surname_only_is_not_a_name_answer() -> None:
    assert answer("阮姓阮") == "阮"
    assert read_answer(fact_specs()["applicant_name"], "阮姓阮", "inform", []).value is None


@pytest.mark.parametrize(
    ("text", "name"), [("汤佳琪 Jessica", "汤佳琪"), ("汤佳琪Jessica，电话13912345678", "汤佳琪")]
)
def test_a_latin_alias_after_the_name_ends_it_in_the_answer(text: str, name: str) -> None:
    assert read_answer(fact_specs()["applicant_name"], text, "inform", []).value == name
