"""Routing decisions of the default profile: primary windows (contract), rules, tiers, mediators."""

from __future__ import annotations

import pytest

from bot.taxonomy import categories
from bot.tickets.routing import materials_for, route_ticket

# DESIGN.md, "Default routing of the default center profile" (contract)
CONTRACT = {
    "wage_arrears": ("labor_inspection", "劳动保障监察窗口（人社）"),
    "labor": ("labor_arbitration", "劳动人事争议仲裁窗口"),
    "family": ("family_mediation", "婚姻家庭纠纷调解室"),
    "property": ("property_mediation", "物业纠纷调解室"),
    "neighbor": ("people_mediation", "人民调解窗口"),
    "debt": ("people_mediation", "人民调解窗口"),
    "traffic": ("traffic_mediation", "交通事故调解室"),
    "land": ("land_mediation", "农村土地承包纠纷调解仲裁窗口"),
    "other": ("general_reception", "综合受理窗口"),
}


@pytest.mark.parametrize("category", sorted(CONTRACT))
def test_primary_window_is_the_contract(profile, category):
    route = route_ticket(category, {}, "none", profile)
    assert (route.window, route.window_name) == CONTRACT[category]
    assert route.room and route.reasons[0].endswith("主办")


def test_contract_covers_every_category():
    assert set(CONTRACT) == set(categories())


def test_other_windows_exist(profile):
    names = {code: w.name for code, w in profile.windows.items()}
    assert names["legal_aid"] == "法律援助窗口"
    assert names["litigation_service"] == "诉讼服务窗口"
    assert names["petition"] == "信访接待窗口"
    assert names["psych_counseling"] == "心理疏导室"


CASES = [
    # id, category, facts, risk, risk_reasons, secondary windows, tier
    ("plain neighbour noise", "neighbor", {"demand": "让楼上晚上别跺脚"}, "none", (), [], "simple"),
    (
        "migrant wage claim",
        "wage_arrears",
        {"counterparty": "包工头老王", "amount_yuan": 8000},
        "none",
        (),
        ["legal_aid"],
        "simple",
    ),
    ("migrant flag", "wage_arrears", {"migrant_worker": True}, "none", (), ["legal_aid"], "simple"),
    ("office wage, no legal aid", "wage_arrears", {"counterparty": "某科技公司"}, "none", (), [], "simple"),
    (
        "domestic violence",
        "family",
        {"demand": "离婚"},
        "urgent",
        ("家庭暴力：被丈夫打伤",),
        ["legal_aid"],
        "complex",
    ),
    ("dv fact", "family", {"domestic_violence": "是"}, "none", (), ["legal_aid"], "simple"),
    (
        "judgment exists",
        "debt",
        {"evidence": "借条和法院判决书"},
        "none",
        (),
        ["litigation_service"],
        "simple",
    ),
    ("repeated petitions", "land", {"petition_count": 3}, "elevated", (), ["petition"], "complex"),
    ("tried 12345", "property", {"tried_before": "打过12345热线"}, "none", (), ["petition"], "simple"),
    ("self-harm", "labor", {"self_harm": True}, "urgent", ("自伤风险",), ["psych_counseling"], "complex"),
    ("self-harm reason only", "debt", {}, "urgent", ("有轻生念头",), ["psych_counseling"], "complex"),
    (
        "several rules",
        "wage_arrears",
        {"migrant_worker": True, "evidence": "仲裁裁定书", "petition_count": 2, "headcount": 15},
        "elevated",
        (),
        ["legal_aid", "litigation_service", "petition"],
        "complex",
    ),
    ("general by amount", "debt", {"amount_yuan": 20000}, "none", (), [], "general"),
    ("complex by amount", "debt", {"amount_yuan": "150000"}, "none", (), [], "complex"),
    ("general by headcount", "neighbor", {"headcount": 3}, "none", (), [], "general"),
    ("general by elevated risk", "traffic", {}, "elevated", (), [], "general"),
    ("general by one repeat", "neighbor", {"repeat_count": 1}, "none", (), [], "general"),
]


@pytest.mark.parametrize(
    "category, facts, risk, reasons, secondary, tier", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_rules_and_tiers(profile, category, facts, risk, reasons, secondary, tier):
    route = route_ticket(category, facts, risk, profile, risk_reasons=reasons)
    assert route.window == CONTRACT[category][0], "the primary window is never dropped"
    assert [s.window for s in route.secondary_windows] == secondary
    assert route.tier == tier
    for s in route.secondary_windows:
        assert any(s.window_name in r and "协办" in r for r in route.reasons)
    assert len(route.reasons) >= 3


def test_urgent_notifies_duty_officer(profile):
    route = route_ticket("family", {}, "urgent", profile, risk_reasons=("正在被打",))
    assert route.duty_officer and route.duty_officer["phone"] == profile.duty_officer["phone"]
    assert any("值班" in r for r in route.reasons)
    assert route_ticket("family", {}, "elevated", profile).duty_officer is None


def test_mediator_is_least_loaded_specialist(profile):
    assert route_ticket("neighbor", {}, "none", profile).mediator_id == "m_zhang"  # the window's own mediator
    route = route_ticket("neighbor", {}, "none", profile, mediator_load={"m_zhang": 3, "m_li": 1, "m_liu": 2})
    assert (route.mediator, route.mediator_id) == ("李秀英", "m_li")
    assert any("李秀英" in r and "在办1件" in r for r in route.reasons)


def test_full_mediators_are_skipped_and_none_left_is_explained(profile):
    route = route_ticket("family", {}, "none", profile, mediator_load={"m_li": 6})
    assert route.mediator is None
    assert any("满负荷" in r for r in route.reasons)
    traffic = route_ticket("traffic", {}, "none", profile, mediator_load={"m_chen": 5})
    assert traffic.mediator_id == "m_chen"


def test_materials_combine_primary_and_secondary_windows(profile):
    route = route_ticket("wage_arrears", {"migrant_worker": True}, "none", profile)
    items = materials_for(route, "wage_arrears", profile)
    assert items[0] == "本人身份证"
    assert any("欠薪数额" in i for i in items)
    assert any("经济困难" in i for i in items)
    assert len(items) == len(set(items))


def test_unknown_category_is_refused(profile):
    with pytest.raises(ValueError):
        route_ticket("weather", {}, "none", profile)
