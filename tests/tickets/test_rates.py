"""Rates per unit, the 红黄绿 board and the 研判 analysis on the hand-made month of ``rates_seed``
(SQLite and PostgreSQL): every figure below was worked out by hand from the table in that module."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rates_seed import NOW, at, file, seed, walk

from bot import paths
from bot.tickets.analysis import period_of, rising
from bot.tickets.board import place
from bot.tickets.centers import AnalysisSettings, ProfileError
from bot.tickets.profiles import load_profile, load_profile_text
from bot.tickets.rates import CONDITIONS, UnitScope, definitions

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def figures(group: dict) -> dict[str, tuple[int, int]]:
    return {k: (v["numerator"], v["denominator"]) for k, v in group["rates"].items()}


def by_name(result: dict) -> dict[str, dict]:
    return {g["name"]: g for g in result["groups"]}


def test_rates_per_window_total_and_supervision_counts(store):
    seed(store)
    result = store.rates("window", UnitScope(), *NOVEMBER, now=NOW)
    groups = by_name(result)
    assert list(groups) == ["劳动保障监察窗口（人社）", "人民调解窗口"]  # largest first
    labor, people = groups["劳动保障监察窗口（人社）"], groups["人民调解窗口"]
    assert labor["tickets"] == 4
    assert figures(labor) == {
        "response": (2, 3),  # A, C on time; B late; D still within its day
        "contact_on_time": (1, 3),  # A; B late, C past its contact limit; D not due
        "closed": (2, 4),
        "closed_on_time": (1, 3),  # A; B late; C past its close limit
        "mediated": (1, 2),  # A's agreement; B failed and was referred
        "citizen_satisfaction": (1, 2),  # A rated 5, B rated 2
        "staff_satisfaction": (2, 2),  # staff recorded 4 and 5
        "repeat": (2, 4),  # B, C
    }
    assert (labor["supervisions"], labor["supervisions_overdue"]) == (5, 4)
    assert figures(people) == {
        "response": (1, 2),
        "contact_on_time": (1, 2),
        "closed": (1, 2),
        "closed_on_time": (1, 2),
        "mediated": (1, 1),
        "citizen_satisfaction": (1, 1),
        "staff_satisfaction": (0, 0),
        "repeat": (0, 2),
    }
    assert people["rates"]["staff_satisfaction"]["value"] is None
    total = result["total"]
    assert total["tickets"] == 6  # October's four are outside the range
    assert figures(total)["response"] == (3, 5)
    assert total["rates"]["response"]["value"] == 0.6
    assert total["rates"]["mediated"]["value"] == pytest.approx(0.6667)
    assert figures(total)["citizen_satisfaction"] == (2, 3)
    assert (total["supervisions"], total["supervisions_overdue"]) == (5, 4)


def test_rates_per_mediator_and_town(store):
    seed(store)
    mediators = by_name(store.rates("mediator", UnitScope(), *NOVEMBER, now=NOW))
    assert {k: v["tickets"] for k, v in mediators.items()} == {
        "王志强": 2,
        "张建国": 2,
        "赵丽": 1,
        "未指派": 1,
    }
    assert figures(mediators["王志强"])["response"] == (1, 2)
    assert figures(mediators["王志强"])["mediated"] == (1, 2)
    assert figures(mediators["赵丽"])["contact_on_time"] == (0, 1)
    assert figures(mediators["未指派"])["response"] == (0, 0)
    towns = by_name(store.rates("town", UnitScope(), *NOVEMBER, now=NOW))
    assert {k: v["tickets"] for k, v in towns.items()} == {
        "刘家堡乡": 2,
        "小店区坞城街道": 2,
        "北营街道": 1,
        "未填写": 1,
    }
    assert figures(towns["小店区坞城街道"])["response"] == (2, 2)
    assert figures(towns["小店区坞城街道"])["closed"] == (1, 2)
    assert figures(towns["北营街道"])["closed_on_time"] == (0, 1)


def test_rates_are_scoped_to_the_callers_windows_and_mediators(store):
    seed(store)
    labor = store.rates("window", UnitScope(windows=("labor_inspection",)), *NOVEMBER, now=NOW)
    assert [g["key"] for g in labor["groups"]] == ["labor_inspection"]
    assert labor["total"]["tickets"] == 4
    towns = store.rates("town", UnitScope(windows=("labor_inspection",)), *NOVEMBER, now=NOW)
    assert "刘家堡乡" not in by_name(towns)  # the people's mediation window's town stays hidden
    zhang = store.rates("mediator", UnitScope(mediators=("m_zhang",)), *NOVEMBER, now=NOW)
    assert [g["name"] for g in zhang["groups"]] == ["张建国"]
    nobody = store.rates("window", UnitScope(mediators=()), *NOVEMBER, now=NOW)
    assert nobody["total"]["tickets"] == 0 and nobody["groups"] == []


def test_board_colours_per_ticket_and_window(store):
    codes = seed(store)
    codes["H"] = file(store, "H", "family", at(11, 30, 3), "北营街道", risk="urgent")  # sign due 05:00
    codes["I"] = file(store, "I", "neighbor", at(11, 28, 10), "刘家堡乡", risk="elevated")
    codes["J"] = file(store, "J", "wage_arrears", at(11, 28, 10), "北营街道")
    walk(store, codes["I"], ("accepted", at(11, 28, 12)))
    walk(store, codes["J"], ("accepted", at(11, 28, 12)))  # contact due 12-01 10:00: 30 hours left
    board = store.board(UnitScope(), now=NOW)
    colour = {t["code"]: t["colour"] for t in board["tickets"]}
    expected = {"C": "red", "D": "yellow", "F": "red", "H": "red", "I": "yellow", "J": "green"}
    expected |= {f"G{i}": "red" for i in range(1, 5)}  # October's, never signed
    assert colour == {codes[k]: v for k, v in expected.items()}  # A, B, E are closed: not on the board
    assert {c["code"]: c["count"] for c in board["colours"]} == {"red": 7, "yellow": 2, "green": 1}
    assert board["by_window"]["labor_inspection"] == {"red": 2, "yellow": 1, "green": 1}  # C, G1 · D · J
    assert board["by_window"]["people_mediation"] == {"red": 4, "yellow": 1, "green": 0}  # F, G2-4 · I
    assert board["by_window"]["family_mediation"] == {"red": 1, "yellow": 0, "green": 0}  # H
    reasons = {t["code"]: t["reason"] for t in board["tickets"]}
    assert reasons[codes["C"]] == "联系当事人已超时7天2小时"
    assert reasons[codes["D"]] == "签收剩16小时"
    assert reasons[codes["H"]] == "风险等级：紧急；签收剩1小时"
    assert reasons[codes["J"]] == "联系当事人剩1天6小时"
    assert board["tickets"][0]["colour"] == "red" and board["tickets"][-1]["code"] == codes["J"]
    mine = store.board(UnitScope(windows=("family_mediation",)), now=NOW)
    assert [t["code"] for t in mine["tickets"]] == [codes["H"]]


def test_analysis_flags_the_rising_category(store):
    seed(store)
    a = store.analysis(period_of("month", date(2026, 11, 17)), UnitScope())
    assert (a["period"]["from"], a["period"]["to"]) == ("2026-11-01", "2026-11-30")
    assert a["previous"]["label"] == "2026年10月"
    assert a["total"] == {"current": 6, "previous": 4, "change": 2}
    rows = {r["name"]: (r["current"], r["previous"], r["rising"]) for r in a["by_category"]}
    assert rows == {"欠薪": (4, 1, True), "邻里纠纷": (2, 3, False)}
    assert a["rising_categories"] == ["欠薪"]
    assert a["rising_towns"] == []  # 坞城街道 rose from 0 but has only 2 (< 3)
    assert {r["name"]: r["current"] for r in a["by_town"]}["刘家堡乡"] == 2
    assert sum(a["daily"]["current"]) == 6 and len(a["daily"]["current"]) == 30
    assert a["daily"]["current"][29] == 1  # D: filed 11-30 04:00 local
    assert a["daily"]["previous"][19:23] == [1, 1, 1, 1]
    week = store.analysis(period_of("week", date(2026, 11, 4)), UnitScope())
    assert (week["period"]["from"], week["total"]["current"], week["total"]["previous"]) == (
        "2026-11-02",
        2,
        0,
    )


def test_colour_rules_by_hand():
    colours = load_profile().board
    due = {"sign": NOW + timedelta(hours=30), "contact": NOW + timedelta(days=3)}
    assert place("none", "received", due, NOW, colours).colour.code == "green"
    assert place("elevated", "received", due, NOW, colours).colour.code == "yellow"
    assert place("urgent", "received", due, NOW, colours).colour.code == "red"
    assert (
        place("none", "received", due, NOW + timedelta(hours=7), colours).colour.code == "yellow"
    )  # 23h left
    late = place("none", "received", due, NOW + timedelta(hours=31), colours)
    assert (late.colour.code, late.reason) == ("red", "签收已超时1小时")
    # signed: the next deadline is the contact one, 3 days away
    assert place("none", "accepted", due, NOW + timedelta(hours=31), colours).colour.code == "green"


def test_rising_rule():
    rule = AnalysisSettings(min_count=3, min_increase=0.3)
    assert rising(3, 0, rule) and rising(13, 10, rule)
    assert not rising(12, 10, rule)  # +20%
    assert not rising(2, 0, rule)  # too few
    assert not rising(5, 5, rule)


def test_every_rate_names_defined_conditions_and_each_is_worded():
    defs = definitions()
    assert [d.name for d in defs.rates][:5] == ["响应率", "按时联系率", "办结率", "按时办结率", "化解率"]
    assert set(defs.conditions) == set(CONDITIONS)
    assert all(d.numerator_text and d.denominator_text for d in defs.rates)


def test_profile_board_errors_name_the_line():
    text = (
        (paths.CENTERS / "default.yml")
        .read_text(encoding="utf-8")
        .replace("      risk: [elevated]\n", "      risk: [purple]\n")
    )
    with pytest.raises(ProfileError) as caught:
        load_profile_text(text, "center.yml")
    assert any(
        "unknown risk level 'purple'" in e and e.startswith("center.yml:") for e in caught.value.errors
    )
