"""Routing (分流): which window, which secondary windows, which tier, which mediator, and why.

All decisions are data from the center profile: the primary window per category, rules in a small
condition language that add secondary windows, tier thresholds, and mediators with specialties and
capacity. Every decision appends a Chinese sentence to ``reasons`` so staff can see why a ticket
landed with them. The primary window is never dropped by a rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.taxonomy import categories
from bot.tickets.centers import CenterProfile, Mediator, _number
from bot.tickets.labels import RISK_NAMES, TIER_NAMES


@dataclass
class SecondaryWindow:
    window: str
    window_name: str
    room: str
    rule: str
    reason: str


@dataclass
class Route:
    window: str
    window_name: str
    room: str
    tier: str
    mediator: str | None = None
    mediator_id: str | None = None
    secondary_windows: list[SecondaryWindow] = field(default_factory=list)
    duty_officer: dict[str, str] | None = None
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def windows(self) -> list[str]:
        return [self.window] + [s.window for s in self.secondary_windows]


def repeat_count(facts: Mapping[str, Any]) -> int:
    """How many times the matter was raised before (petitions / complaints), from the facts."""
    best = 0
    for key in ("petition_count", "repeat_count", "complaint_count"):
        number = _number(facts.get(key))
        if number is not None:
            best = max(best, int(number))
    return best


def decide_tier(facts: Mapping[str, Any], risk_level: str, profile: CenterProfile) -> tuple[str, str]:
    """Tier and the reason: complex/general when any threshold of that tier is met, else simple."""
    amount = _number(facts.get("amount_yuan"))
    headcount = _number(facts.get("headcount"))
    repeats = repeat_count(facts)
    for tier in ("complex", "general"):
        rule = profile.tiers.get(tier)
        if rule is None:
            continue
        why = []
        if rule.amount_yuan_gte is not None and amount is not None and amount >= rule.amount_yuan_gte:
            why.append(f"涉及金额{amount:,.0f}元（≥{rule.amount_yuan_gte:,.0f}元）")
        if rule.headcount_gte is not None and headcount is not None and headcount >= rule.headcount_gte:
            why.append(f"涉及{int(headcount)}人（≥{rule.headcount_gte}人）")
        if risk_level in rule.risk:
            why.append(f"风险等级为{RISK_NAMES.get(risk_level, risk_level)}")
        if rule.repeats_gte is not None and repeats >= rule.repeats_gte:
            why.append(f"此前已反映{repeats}次")
        if why:
            return tier, f"定为{TIER_NAMES[tier]}案件：" + "，".join(why)
    return "simple", "金额、人数、风险均在简易标准内，定为简易案件"


def assign_mediator(
    category: str, window: str, profile: CenterProfile, load: Mapping[str, int]
) -> tuple[Mediator | None, str]:
    """Least-loaded mediator with the category as a specialty and spare capacity.

    Ties go to a mediator of the primary window, then to profile order, so assignment is stable.
    """
    candidates = [m for m in profile.mediators if category in m.specialties]
    if not candidates:
        return None, "本中心没有该类纠纷的专长调解员，由窗口人工指派"
    available = [m for m in candidates if load.get(m.id, 0) < m.capacity]
    if not available:
        return None, "该类纠纷的调解员均已满负荷，由窗口人工指派"
    order = {m.id: i for i, m in enumerate(profile.mediators)}
    chosen = min(available, key=lambda m: (load.get(m.id, 0), m.window != window, order[m.id]))
    return chosen, (
        f"指派调解员{chosen.name}：擅长{categories()[category].name}，"
        f"当前在办{load.get(chosen.id, 0)}件（上限{chosen.capacity}件）"
    )


def route_ticket(
    category: str,
    facts: Mapping[str, Any],
    risk_level: str,
    profile: CenterProfile,
    *,
    mediator_load: Mapping[str, int] | None = None,
    risk_reasons: Iterable[str] = (),
) -> Route:
    """Route one intake. ``mediator_load`` is each mediator's count of open tickets."""
    if category not in categories():
        raise ValueError(f"unknown category {category!r}")
    reasons_in = tuple(risk_reasons)
    primary = profile.primary_window(category)
    route = Route(window=primary.code, window_name=primary.name, room=primary.room, tier="simple")
    route.reasons.append(f"{categories()[category].label}按分流表由{primary.name}主办")

    for rule in profile.rules:
        if not rule.when.matches(category, facts, risk_level, reasons_in):
            continue
        for code in rule.add_windows:
            if code in route.windows:
                continue
            w = profile.window(code)
            route.secondary_windows.append(
                SecondaryWindow(
                    window=w.code, window_name=w.name, room=w.room, rule=rule.name, reason=rule.reason
                )
            )
            route.reasons.append(f"{w.name}协办：{rule.reason}")

    route.tier, tier_reason = decide_tier(facts, risk_level, profile)
    route.reasons.append(tier_reason)

    mediator, why = assign_mediator(category, primary.code, profile, mediator_load or {})
    if mediator is not None:
        route.mediator, route.mediator_id = mediator.name, mediator.id
    route.reasons.append(why)

    if risk_level == "urgent" and profile.duty_officer:
        route.duty_officer = dict(profile.duty_officer)
        route.reasons.append(
            f"紧急风险，同步通知{profile.duty_officer.get('title') or '值班人员'}"
            f"{profile.duty_officer.get('name', '')}"
        )
    return route


def materials_for(
    route: Route, category: str, profile: CenterProfile, sub_type: str | None = None
) -> list[str]:
    """What the citizen should bring: primary window's list for the category and sub-type, then
    secondary windows'."""
    out: list[str] = []
    for code in route.windows:
        for item in profile.window(code).materials_for(category, sub_type):
            if item not in out:
                out.append(item)
    return out
