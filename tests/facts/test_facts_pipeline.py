"""Whole-message behaviour: overlaps, offsets, facts_dict, normalisation, speed."""

from __future__ import annotations

import time

import pytest
from facts_helpers import NOW, facts_of

from bot.facts import Fact, extract_facts, facts_dict
from bot.facts.textnorm import normalise


def test_full_message() -> None:
    text = "我叫张建国，电话13934561234，包工头老王欠了我们十五个人的工钱，一共三万五，在工地干了三个月，有考勤记录"
    got = [(f.entity, f.value) for f in extract_facts(text, NOW)]
    assert got == [
        ("person_name", "张建国"),
        ("phone", "13934561234"),
        ("counterparty", "包工头老王"),
        ("headcount", 15),
        ("amount", 35000),
        ("time", {"duration_days": 90}),
        ("evidence", "考勤"),
    ]


def test_every_fact_offset_points_at_its_text() -> None:
    text = "本人馬麗，電話１５９ ０３４５ ０８１２，我們二十多個工人在太原市小店區幹了半年，包工頭欠了七十多萬，有欠條"
    facts = extract_facts(text, NOW)
    assert {f.entity for f in facts} >= {
        "person_name",
        "phone",
        "headcount",
        "location",
        "time",
        "counterparty",
        "amount",
        "evidence",
    }
    for fact in facts:
        assert text[fact.start : fact.end] == fact.text


def test_facts_dict_picks_one_value_per_entity() -> None:
    text = "老板欠了我们五个人的工资，一个人四千多，总共两万多，电话13912345678，我姓刘，有工资条和欠条"
    d = facts_dict(text, NOW)
    assert d["amount"] == 20000
    assert d["headcount"] == 5
    assert d["phone"] == "13912345678"
    assert d["person_name"] == "刘"
    assert d["counterparty"] == "老板"
    assert d["evidence"] == ["工资条", "欠条"]


def test_facts_dict_prefers_lump_sum_over_rate_and_full_name_over_surname() -> None:
    d = facts_dict("我姓王，我叫王小明。每个月3500元，欠了10500元", NOW)
    assert d["amount"] == 10500
    assert d["person_name"] == "王小明"


def test_facts_dict_skips_invalid_numbers_and_negated_evidence() -> None:
    d = facts_dict("身份证11010119900307451X，手机1391234567，没签劳动合同", NOW)
    assert "id_number" not in d
    assert "phone" not in d
    assert "evidence" not in d


def test_facts_dict_empty() -> None:
    assert facts_dict("", NOW) == {}
    assert facts_dict("谢谢你们", NOW) == {}


def test_fact_as_entity() -> None:
    fact = Fact("amount", 5000, 3, 6, "五千多", approximate=True, extra={"per": "month"})
    entity = fact.as_entity()
    assert entity == {
        "entity": "amount",
        "value": 5000,
        "start": 3,
        "end": 6,
        "extractor": "FactExtractor",
        "confidence_entity": 1.0,
        "text": "五千多",
        "approximate": True,
        "valid": True,
        "extra": {"per": "month"},
    }


@pytest.mark.parametrize(
    "text",
    [
        "我們十五個人，包工頭老王欠了工錢",
        "乾隆 頭髮 發財 後來",
        "１２３ＡＢＣ　全角",
        "控制\x00字符\x1b[0m",
        "emoji😡👷‍♂️✅",
        "\ud800孤立代理",
    ],
)
def test_normalise_keeps_length(text: str) -> None:
    out = normalise(text)
    assert len(out) == len(text)


def test_normalise_converts() -> None:
    assert normalise("我們十五個人，工錢１２３") == "我们十五个人，工钱123"


def test_extract_facts_rejects_non_text_quietly() -> None:
    assert extract_facts("", NOW) == []
    assert extract_facts("   \n\t", NOW) == []
    assert extract_facts(None, NOW) == []  # type: ignore[arg-type]


def test_timezone_aware_now_is_accepted() -> None:
    import datetime as dt

    aware = dt.datetime(2026, 5, 10, 2, 0, tzinfo=dt.timezone.utc)
    assert facts_of("三个月了", "time", now=aware)[0].value == {"duration_days": 90}


def test_speed_of_a_200_char_message() -> None:
    text = (
        "包工头老王欠了我们十五个人的工钱，一共三万五，到现在都不给。我叫张建国，电话13934561234，在工地干了三个月，"
        "老板一分钱没给。在太原市小店区坞城街道阳光小区3号楼，物业把电梯停了三个月，有考勤记录和微信聊天记录。"
    )
    text = (text * 2)[:200]
    extract_facts(text, NOW)
    runs = 20
    t0 = time.perf_counter()
    for i in range(runs):
        extract_facts(text[:-1] + str(i % 10), NOW)
    per_message = (time.perf_counter() - t0) / runs
    assert per_message < 0.1, f"{per_message * 1000:.1f} ms per message"
