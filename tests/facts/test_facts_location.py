"""Locations: enough admin structure to find the jurisdiction."""

from __future__ import annotations

import pytest
from facts_helpers import facts_of, values_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "在太原市小店区坞城街道阳光小区3号楼，物业把电梯停了",
            {
                "province": "山西省",
                "city": "太原市",
                "county": "小店区",
                "town": "坞城街道",
                "detail": "阳光小区3号楼",
            },
        ),
        (
            "我是小店区坞城街道的",
            {"province": "山西省", "city": "太原市", "county": "小店区", "town": "坞城街道"},
        ),
        ("住址在晋中市榆次区", {"province": "山西省", "city": "晋中市", "county": "榆次区", "town": None}),
        ("老家是山西吕梁的", {"province": "山西省", "city": "吕梁市"}),
        (
            "榆中县城关镇XX村的地",
            {"province": "甘肃省", "county": "榆中县", "town": "城关镇", "detail": "XX村"},
        ),
        ("我在城关镇东关村住", {"province": None, "town": "城关镇", "detail": "东关村"}),
        ("我住在陽光小區，樓上漏水", {"province": None, "town": None, "detail": "阳光小区"}),
    ],
)
def test_locations(text: str, expected: dict) -> None:
    value = values_of(text, "location")[0]
    assert {k: value[k] for k in expected} == expected


def test_location_text_is_original_span() -> None:
    text = "俺们仨在城关镇那个工地干活"
    (fact,) = facts_of(text, "location")
    assert fact.text == "城关镇"
    assert text[fact.start : fact.end] == "城关镇"


@pytest.mark.parametrize(
    "text", ["我们村有四十多户", "村委会把地收了", "同村的老张", "我们小区三百多户", "和平相处不好吗"]
)
def test_not_locations(text: str) -> None:
    assert values_of(text, "location") == []


@pytest.mark.parametrize(
    "text",
    [
        "问村里村里说合作社亏了",
        "找村上村上不管",
        "去村委村委说没钱",
        "跑到村里村干部说没钱",
        "我们村里村委会不管",
        "他们村村长把地占了",
        "回到村上村里人都知道",
    ],
)
def test_village_needs_a_proper_name(text: str) -> None:
    assert values_of(text, "location") == []


@pytest.mark.parametrize(
    ("text", "detail", "town"),
    [
        ("城关镇村里村委会不管", None, "城关镇"),
        ("东关村村里村委不管", "东关村", None),
        ("小店区我们村的地没人管", None, None),
        ("上河村的地被占了", "上河村", None),
        ("找王家村支书也没用", "王家村", None),
        ("阳光小区三号楼二单元漏水", "阳光小区三号楼二单元", None),
    ],
)
def test_village_tail_stops_at_cun_li(text: str, detail: str | None, town: str | None) -> None:
    (value,) = values_of(text, "location")
    assert (value["detail"], value["town"]) == (detail, town)


def test_a_place_in_the_county_town_keeps_its_whole_name() -> None:
    from bot.facts import extract_facts

    places = [f.text for f in extract_facts("县城阳光水岸小区5栋2单元602") if f.entity == "location"]
    assert places and places[0].startswith("县城阳光水岸小区")
