"""The citizen's own name, read in a message (facts_dict) and as the answer to the name question: a wavy
dash, an ellipsis or an emoji ends a clause as a comma does (叫我小蒋就行～全名蒋一帆); the citizen's own
nickname (喊我幺妹就得了) is no other person before a paper; a name typed apart after its introduction
(中文名 钱 浩 然) is one name. Others' names, addresses (叫我王姐就行) and papers after someone else is
spoken of stay no name."""

from __future__ import annotations

from typing import Any

import pytest
from facts_helpers import facts_of

from bot.facts import extract_facts, facts_dict
from bot.intake.answers import read_answer
from bot.intake.schema import fact_specs


def answer(text: str) -> Any:
    entities = [f.as_entity() for f in extract_facts(text)]
    return read_answer(fact_specs()["applicant_name"], text, "inform", entities).value


def read_both(text: str) -> tuple[Any, Any]:
    return facts_dict(text).get("person_name"), answer(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("叫我小蒋就行～全名蒋一帆", "蒋一帆"),
        ("叫我小蒋就行~全名蒋一帆", "蒋一帆"),
        ("叫我小蒋就行〜全名蒋一帆", "蒋一帆"),
        ("叫我小蒋就行😊全名蒋一帆", "蒋一帆"),
        ("叫我小蒋就行...全名蒋一帆", "蒋一帆"),
        ("大家都叫我小蒋~真名蒋一帆", "蒋一帆"),
        ("英文名Kevin～中文名叫钱浩然", "钱浩然"),
        ("Lisa👋中文名周雨桐", "周雨桐"),
        ("叫我老王就好🙏身份证上是王建军", "王建军"),
        ("我姓王～叫王建国", "王建国"),
        ("我是他爱人😊叫龚秀英", "龚秀英"),
        # already read: a comma, an ellipsis, a space
        ("叫我小蒋就行，全名蒋一帆", "蒋一帆"),
        ("叫我小蒋就行…全名蒋一帆", "蒋一帆"),
        ("叫我小蒋就行 全名蒋一帆", "蒋一帆"),
    ],
)
def test_a_wavy_dash_or_an_emoji_ends_a_clause_like_a_comma(text: str, name: str) -> None:
    assert read_both(text) == (name, name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("喊我幺妹就得了，身份证上叫吴德芬", "吴德芬"),
        ("大家都喊我幺妹儿，身份证上是吴德芬", "吴德芬"),
        ("你喊我幺妹嘛，身份证上叫吴德芬", "吴德芬"),
        ("我们这边都喊我幺妹，户口本上写的是吴德芬", "吴德芬"),
        ("叫我幺妹就行，身份证上的名字是吴德芬", "吴德芬"),
        ("叫我芳姐就行，身份证上是周芳", "周芳"),
        ("屋头都喊我幺儿，身份证上是张小军", "张小军"),
    ],
)
def test_the_citizens_own_nickname_is_no_other_person_before_a_paper(text: str, name: str) -> None:
    assert read_both(text) == (name, name)


@pytest.mark.parametrize(
    "text",
    [
        "我儿子摔伤了，身份证上是李强",
        "叫我儿子来，身份证上是李强",  # 叫我儿子: a relative, no nickname
        "我老公叫我幺妹，身份证上是吴德芬",  # someone else spoken of before the nickname
        "叫我妹妹就行，身份证上是吴德芬",
        "我老婆叫李秀英，身份证上是…",
    ],
)
def test_a_paper_after_another_person_is_still_no_own_name(text: str) -> None:
    assert read_both(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("英文名 Kevin，中文名 钱 浩 然", "钱浩然"),
        ("中文名：李 娜", "李娜"),
        ("真名：张 伟", "张伟"),
        ("我的中文名叫 刘 德 华", "刘德华"),
        ("身份证上是 孙 丽", "孙丽"),
        ("中文名 钱 浩然", "钱浩然"),
        ("我叫王 建国", "王建国"),
        ("我叫 王 建 国", "王建国"),  # mostly typed apart: already read as one
        ("中文名 钱 浩 然，不对，是钱浩冉", "钱浩冉"),
    ],
)
def test_a_name_typed_apart_after_its_introduction_is_one_name(text: str, name: str) -> None:
    assert read_both(text) == (name, name)


def test_a_name_typed_apart_keeps_its_span_in_the_text() -> None:
    (fact,) = facts_of("英文名 Kevin，中文名 钱 浩 然", "person_name")
    assert (fact.value, fact.text, fact.extra.get("official")) == ("钱浩然", "钱 浩 然", True)


@pytest.mark.parametrize(
    "text",
    [
        "我老公叫李强",
        "叫我王姐就行",
        "我老公身份证上是 李 强",
        "他中文名 李 强",
        "她大名叫 李 秀 英",
    ],
)
def test_others_names_and_addresses_stay_no_own_name(text: str) -> None:
    assert read_both(text) == (None, None)
