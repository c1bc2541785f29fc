"""Behaviour of the screener beyond single phrasings: levels, numbers, texts, headcounts, the rules file."""

from __future__ import annotations

import json
import re

import opencc
import pytest
import yaml

from bot.risk import (
    ELEVATED,
    NONE,
    URGENT,
    EmergencyNumber,
    RiskAssessment,
    RiskRules,
    emergency_message,
    parse_count,
    screen,
)
from bot.risk.rules import RULES_FILE

FILLER = "我在小区住了十年，物业一直还算负责，这次是楼上装修把我家卫生间的墙弄裂了，找了物业好几回，说让我们自己协商。"


def _numbers(text: str, facts: dict | None = None) -> list[str]:
    return [n.number for n in screen(text, facts).emergency_numbers]


# --- levels and signals -------------------------------------------------------------------------


def test_urgent_wins_over_elevated() -> None:
    result = screen("我们二十多个工友反映好多次了没人管，老板还叫人把我打了")
    assert result.level == URGENT
    assert result.signals[0].level == URGENT
    assert {"violence", "group", "repeated"} <= set(result.kinds)
    levels = [s.level for s in result.signals]
    assert levels == sorted(levels, key=lambda level: level != URGENT)


def test_signal_carries_matched_text_and_reason() -> None:
    (signal,) = screen("我真的不想活了").signals
    assert (signal.kind, signal.level, signal.matched_text) == ("self_harm", URGENT, "不想活")
    assert "轻生" in signal.reason_zh  # staff read why in Chinese


def test_one_signal_per_kind() -> None:
    result = screen("他打我，又打我，还打了我孩子，打得我住院")
    assert len(result.kinds) == len(set(result.kinds))


def test_danger_in_the_middle_of_a_long_text() -> None:
    text = FILLER * 20 + "昨天晚上他喝了酒就打我，还拿刀比划。" + FILLER * 20
    assert len(text) > 2000
    result = screen(text)
    assert result.level == URGENT
    assert "domestic_violence" in result.kinds


def test_long_ordinary_text_is_none() -> None:
    ordinary = "我在小区住了十年，物业一直还算负责，这次是楼上装修把我家卫生间的墙弄裂了，想请物业出面协调。"
    assert screen(ordinary * 40).level == NONE
    # the same story with 找了物业好几回 is a repeated complaint: elevated, never urgent
    assert screen(FILLER * 40).level == ELEVATED


def test_past_without_resolution_keeps_urgency_but_past_protest_is_only_elevated() -> None:
    assert screen("去年他把我打伤了").level == URGENT
    past_protest = screen("上次我们拉横幅也没用")
    assert past_protest.level == ELEVATED
    assert "mass_gathering" in past_protest.kinds


def test_resolved_past_self_harm_stays_elevated() -> None:
    result = screen("以前想不开过，现在已经好了")
    assert result.level == ELEVATED
    assert "self_harm" in result.kinds


def test_each_clause_is_judged_separately() -> None:
    assert screen("他没打我，但是说要弄死我").level == URGENT
    assert "threat" in screen("他没打我，但是说要弄死我").kinds


# --- headcount --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("12", 12),
        ("十五", 15),
        ("二十", 20),
        ("十几", 12),
        ("几十", 20),
        ("三四十", 30),
        ("一百零五", 105),
        ("两百", 200),
        ("五六", 5),
        ("几", 2),
        ("上百", 100),
        ("好几十", 20),
        ("", None),
        ("abc", None),
    ],
)
def test_parse_count(numeral: str, value: int | None) -> None:
    assert parse_count(numeral) == value


@pytest.mark.parametrize(
    ("text", "headcount"),
    [
        ("我们十几个人的工资没发", 12),
        ("二十多个工友", 20),
        ("一百多户村民的补偿款", 100),
        ("三十几名工人", 32),
        ("我们12个都没拿到钱", 12),
        ("七户人家", 7),
        ("欠了我三个月工资", None),
        ("第三个人", None),
        ("我有3个孩子", None),
    ],
)
def test_headcount_from_text(text: str, headcount: int | None) -> None:
    assert screen(text).headcount == headcount


def test_headcount_thresholds() -> None:
    assert screen("我们四个人的工资没发").level == NONE
    assert screen("我们五个人的工资没发").level == ELEVATED
    assert screen("我们五个人明天去政府门口讨说法").level == ELEVATED
    assert screen("我们十个人明天去政府门口讨说法").level == URGENT


def test_facts_headcount_is_used_and_validated() -> None:
    assert screen("明天我们一起去公司要钱", {"headcount": 30}).level == URGENT
    assert screen("明天我们一起去公司要钱", {"headcount": 3}).level == NONE
    assert screen("工钱没结", {"headcount": 8}).level == ELEVATED
    for bad in ("30", 30.0, True, None, [30]):
        assert screen("工钱没结", {"headcount": bad}).level == NONE
    assert screen("工钱没结", "not a dict").level == NONE  # type: ignore[arg-type]


# --- emergency numbers and message ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "facts", "expected", "absent"),
    [
        ("我不想活了", None, ["12356", "400-161-9995", "110", "120"], ["12338"]),
        ("老公又动手了", None, ["110", "12338"], ["12356"]),
        ("邻居把我打伤了", None, ["110", "120"], ["12338"]),
        ("他扬言要弄死我", None, ["110"], ["12356"]),
        ("孩子被打了", None, ["110", "12355"], []),
        ("老人被锁在屋里", None, ["110"], ["12355"]),
        ("明天几十个工友去公司讨薪拉横幅", None, ["12333"], ["110", "12345"]),
        ("明天几十户业主去售楼处拉横幅", None, ["12345"], ["12333", "110"]),
        ("明天去售楼处拉横幅", {"category": "wage_arrears"}, ["12333"], ["12345"]),
        ("我们二十多个工友的工资没发", None, ["12333"], ["110"]),
        ("工资要不回来，真的活不下去了", None, ["12356", "400-161-9995"], ["110", "120"]),
        ("反映好多次了没人管", None, [], ["110"]),
    ],
)
def test_numbers_fit_the_signals(
    text: str, facts: dict | None, expected: list[str], absent: list[str]
) -> None:
    numbers = _numbers(text, facts)
    assert numbers[: len(expected)] == expected or set(expected) <= set(numbers)
    assert not set(absent) & set(numbers)


def test_numbers_have_chinese_labels() -> None:
    for number in screen("老公打我，我不想活了，孩子也被打了").emergency_numbers:
        assert isinstance(number, EmergencyNumber)
        assert re.search(r"[\u4e00-\u9fff]", number.label)
        assert str(number) == f"{number.label} {number.number}"


def test_self_harm_message_matches_the_brief() -> None:
    message = emergency_message(screen("我不想活了"))
    assert message == (
        "您的安全最重要。如果您现在有伤害自己的想法，请马上拨打心理援助热线 12356 或 400-161-9995，"
        "紧急情况请拨 110 或 120。我们已将您的情况标为紧急，工作人员会尽快联系您。"
    )


@pytest.mark.parametrize(
    "text",
    [
        "我不想活了",
        "老公又动手了",
        "邻居把我打伤了",
        "他扬言要弄死我",
        "孩子被打了",
        "明天几十个工友去公司讨薪拉横幅",
        "明天几十户业主去售楼处拉横幅",
        "老公打我，我不想活了，孩子也被打了",
        "他说要炸了公司，我们二十多个工友明天去堵门",
    ],
)
def test_urgent_message_shows_every_number_first_and_is_short(text: str) -> None:
    result = screen(text)
    message = emergency_message(result)
    assert result.level == URGENT
    for number in result.emergency_numbers:
        assert number.number in message
    assert message.endswith("我们已将您的情况标为紧急，工作人员会尽快联系您。")
    first_number = min(message.index(n.number) for n in result.emergency_numbers)
    assert first_number < message.index("我们已将")
    assert len(message) <= 200


def test_message_for_elevated_and_none() -> None:
    assert emergency_message(screen("老板拖欠我三个月工资")) == ""
    assert emergency_message(screen("反映好多次了没人管")) == ""
    assert "12333" in emergency_message(screen("我们二十多个工友的工资没发"))
    assert "12356" in emergency_message(screen("真的活不下去了"))


def test_message_for_an_assessment_without_signals() -> None:
    assert "110" in emergency_message(RiskAssessment(level=URGENT))
    assert emergency_message(RiskAssessment()) == ""


def test_assessment_is_json_serialisable() -> None:
    data = screen("我们十几个人明天去政府门口拉横幅，老板还找人打我").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["level"] == URGENT
    assert data["headcount"] == 12


# --- the rules file ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_rules() -> dict:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


def _texts(raw: dict) -> list[str]:
    texts = [spec["reason_zh"] for spec in raw["kinds"].values()]
    texts += [n["label"] for n in raw["emergency_numbers"].values()]
    texts += [n["note"] for n in raw["emergency_numbers"].values()]
    for by_level in raw["messages"]["lead"].values():
        texts += list(by_level.values())
    texts += [t for t in raw["messages"]["closing"].values() if t]
    texts += list(raw["messages"]["fallback"].values())
    return texts


def test_texts_are_simplified_polite_and_short(raw_rules: dict) -> None:
    t2s = opencc.OpenCC("t2s")
    for text in _texts(raw_rules):
        assert t2s.convert(text) == text, text
        assert len(text) <= 90, text
        assert "!" not in text and "！" not in text, text


def test_required_hotlines_are_present(raw_rules: dict) -> None:
    numbers = raw_rules["emergency_numbers"]
    for number in ("110", "120", "12338", "12355", "12356", "400-161-9995", "12333"):
        assert number in numbers
    assert numbers["12356"]["label"] == "心理援助热线"
    assert numbers["400-161-9995"]["label"] == "希望24热线"


def test_kinds_cover_the_contract(raw_rules: dict) -> None:
    kinds = raw_rules["kinds"]
    urgent = {
        "violence",
        "domestic_violence",
        "self_harm",
        "threat",
        "child_or_elder_in_danger",
        "mass_gathering",
    }
    elevated = {"group", "vulnerable_party", "injury_treated", "repeated"}
    judged = raw_rules["model"]["kind"]  # the trained opinion's finding: no patterns of its own
    assert not kinds[judged]["patterns"]
    urgent.add(judged)
    assert set(kinds) == urgent | elevated
    assert {k for k, spec in kinds.items() if spec["level"] == URGENT} == urgent
    assert {k for k, spec in kinds.items() if spec["level"] == ELEVATED} == elevated


def test_patterns_are_lower_case(raw_rules: dict) -> None:
    # The text is lower-cased before matching and patterns are compiled case-sensitively.
    for spec in raw_rules["kinds"].values():
        for item in spec["patterns"]:
            source = item if isinstance(item, str) else item["pattern"]
            letters = re.sub(r"\(\?P<\w+>|\\[A-Za-z]|\{\{\w+\}\}", "", source)
            assert letters == letters.lower(), source


def test_rules_can_be_loaded_from_a_dict() -> None:
    rules = RiskRules.from_dict(
        {
            "kinds": {
                "threat": {
                    "level": "urgent",
                    "reason_zh": "测试",
                    "patterns": ["吓唬"],
                    "numbers": [{"number": "110"}],
                }
            },
            "emergency_numbers": {"110": {"label": "报警电话", "note": "请拨打 110。"}},
        }
    )
    result = screen("他吓唬我", rules=rules)
    assert result.level == URGENT
    assert [n.number for n in result.emergency_numbers] == ["110"]
    assert screen("他打我", rules=rules).level == NONE


def test_bad_rules_fail_loudly() -> None:
    with pytest.raises(ValueError, match="bad regex"):
        RiskRules.from_dict({"kinds": {"x": {"patterns": ["(unclosed"]}}})
    with pytest.raises(ValueError, match="unknown macro"):
        RiskRules.from_dict({"kinds": {"x": {"patterns": ["{{NOPE}}"]}}})
    with pytest.raises(ValueError, match="missing from emergency_numbers"):
        RiskRules.from_dict({"kinds": {"x": {"patterns": ["a"], "numbers": ["999"]}}})
