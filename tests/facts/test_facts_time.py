"""Time points, spans and durations normalised against the message time (NOW = 2026-05-10)."""

from __future__ import annotations

import datetime as dt

import pytest
from facts_helpers import facts_of, values_of


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("去年十月到今年三月在工地干活", {"start": "2025-10-01", "end": "2026-03-31"}),
        ("工头说上个月底给钱", {"start": "2026-04-25", "end": "2026-04-30"}),
        ("2025年3月5号出的车祸", {"start": "2025-03-05", "end": "2025-03-05"}),
        ("春节前说好给钱", {"start": None, "end": "2026-02-17"}),
        ("今年3月份开始拖欠", {"start": "2026-03-01", "end": "2026-05-10"}),  # 开始: since March
        ("今年3月份的工资", {"start": "2026-03-01", "end": "2026-03-31"}),
        ("前天晚上被打了", {"start": "2026-05-08", "end": "2026-05-08"}),
        ("去年腊月老板说年后给钱", {"start": "2026-01-19", "end": "2026-02-16"}),
        # jionlp cannot read these alone; bot/facts/timex.py does
        ("上个月开始的", {"start": "2026-04-01", "end": "2026-04-30"}),
        ("上上个月的工资", {"start": "2026-03-01", "end": "2026-03-31"}),
        ("本月工资没发", {"start": "2026-05-01", "end": "2026-05-31"}),
        ("前几天他又来了", {"start": "2026-05-03", "end": "2026-05-10"}),
    ],
)
def test_points_and_spans(text: str, value: dict) -> None:
    assert values_of(text, "time")[0] == value


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("三个月了还不给", 90),
        ("在工地干了三个月", 90),
        ("干了四十五天", 45),
        ("欠了半年了", 180),
        ("干了一年，说好的年薪6万", 365),
        ("两个月没发工资了", 60),
        ("我干了120天，欠我24000", 120),
        ("在那干了3年", 1095),
    ],
)
def test_durations(text: str, days: int) -> None:
    assert values_of(text, "time") == [{"duration_days": days}]


def test_a_range_of_durations_is_its_lower_bound_and_approximate() -> None:
    facts = [f for f in facts_of("在工地干了三到五个月，一分钱没拿到") if f.entity == "time"]
    assert [f.value for f in facts] == [{"duration_days": 90}]
    assert facts[0].approximate


@pytest.mark.parametrize(
    "text",
    [
        "工钱一天二百",
        "一个月工资才3000",
        "每天干12个小时",
        "我今年52岁了",
        "到现在都不给",
        "老板一分钱没给",
        "在阳光小区3号楼",
        "他家住7号院",
        "我是5号车间的",
    ],
)
def test_not_periods(text: str) -> None:
    assert values_of(text, "time") == []


def test_relative_dates_follow_now() -> None:
    (fact,) = facts_of("上个月底给钱", "time", now=dt.datetime(2025, 1, 15, 9, 0))
    assert fact.value == {"start": "2024-12-25", "end": "2024-12-31"}


def test_time_offsets_are_in_original_text() -> None:
    text = "去年十月到今年三月在工地幹活"
    (fact,) = facts_of(text, "time")
    assert text[fact.start : fact.end] == fact.text


def test_relative_months_cross_the_year() -> None:
    from bot.facts.timex import _relative_times

    january, december = dt.datetime(2027, 1, 15), dt.datetime(2026, 12, 3)
    assert _relative_times("上个月", "上个月", january, [])[0].value == {
        "start": "2026-12-01",
        "end": "2026-12-31",
    }
    assert _relative_times("下个月", "下个月", december, [])[0].value == {
        "start": "2027-01-01",
        "end": "2027-01-31",
    }


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("五月干到八月，老板一分没给", {"start": "2025-05-01", "end": "2025-08-31"}, "五月干到八月"),
        ("从三月份一直到现在都没发工资", {"start": "2026-03-01", "end": "2026-05-10"}, "三月份一直到现在"),
        ("去年十月到今年三月在工地干活", {"start": "2025-10-01", "end": "2026-03-31"}, "去年十月到今年三月"),
        ("从去年八月干到十二月", {"start": "2025-08-01", "end": "2025-12-31"}, "去年八月干到十二月"),
        (
            "我从十月份开始干到今年一月",
            {"start": "2025-10-01", "end": "2026-01-31"},
            "十月份开始干到今年一月",
        ),
        ("十一月干到第二年三月", {"start": "2025-11-01", "end": "2026-03-31"}, "十一月干到第二年三月"),
        (
            "从2024年3月5号干到6月10号",
            {"start": "2024-03-05", "end": "2024-06-10"},
            "2024年3月5号干到6月10号",
        ),
        ("二月到四月的工钱", {"start": "2026-02-01", "end": "2026-04-30"}, "二月到四月"),
    ],
)
def test_month_to_month_periods(text: str, value: dict, span: str) -> None:
    (fact,) = facts_of(text, "time")
    assert fact.value == value
    assert fact.text == span
    assert fact.extra["kind"] == "span"


def test_worked_duration_keeps_its_text() -> None:
    (fact,) = facts_of("在老板那干了三个月", "time")
    assert fact.value == {"duration_days": 90}
    assert fact.text == "三个月"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("结果2021到2023三年的租金一分没给", "2021-01-01", "2023-12-31"),
        ("2019至2022年的分红", "2019-01-01", "2022-12-31"),
        ("从2020年到2022年一直没发", "2020-01-01", "2022-12-31"),
    ],
)
def test_year_ranges_are_spans(text: str, start: str, end: str) -> None:
    spans = [v for v in values_of(text, "time") if "start" in v]
    assert spans == [{"start": start, "end": end}]


@pytest.mark.parametrize("text", ["我二姐夫刘国庆借了钱不还", "同事王清明把我打了", "欧阳国庆是包工头"])
def test_a_holiday_word_in_a_name_is_no_date(text: str) -> None:
    assert values_of(text, "time") == []


@pytest.mark.parametrize(
    ("text", "start_or_end"),
    [
        ("国庆节后老板说给钱", "2026-10-01"),
        ("等今年国庆再说", "2026-10-01"),
        ("国庆放假那几天他来闹", "2026-10-01"),
    ],
)
def test_the_holiday_itself_is_still_a_date(text: str, start_or_end: str) -> None:
    (value,) = values_of(text, "time")
    assert start_or_end in (value["start"], value["end"])


@pytest.mark.parametrize("text", ["他住胜利路八号", "店开在建设大街一百零八号", "仓库在和平巷12号，欠我货款"])
def test_a_house_number_after_a_street_is_no_day(text: str) -> None:
    assert values_of(text, "time") == []


def test_a_day_of_the_month_is_still_a_date() -> None:
    assert values_of("说好本月20号给钱", "time") == [{"start": "2026-05-20", "end": "2026-05-20"}]
