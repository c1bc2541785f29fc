"""What a center profile (``centers/*.yml``) is: windows, mediators, routing rules and the conditions
they test, time limits and texts, as plain data classes.

Loading a profile (every validation error naming the file and the line) and choosing the one in use
(``CENTER_PROFILE``, defaulting to ``centers/default.yml``) are in ``bot.tickets.profiles``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.tickets.staffing import HandoffSettings
from bot.tickets.workdays import WorkCalendar

TIERS = ("simple", "general", "complex")
RISK_LEVELS = ("none", "elevated", "urgent")
STAGES = ("sign", "contact", "report", "close")
DEFAULT_LIMITS = {
    "sign": timedelta(days=1),
    "contact": timedelta(days=3),
    "report": timedelta(days=7),
    "close": timedelta(days=10),
}


class ProfileError(ValueError):
    """A profile failed validation; ``errors`` holds one ``file:line: message`` string per problem."""

    def __init__(self, errors: Sequence[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


# ---------------------------------------------------------------- conditions (the rule language)


@dataclass(frozen=True)
class Condition:
    """One node of a rule condition. ``op`` is all/any/not/category/risk/risk_reason/fact."""

    op: str
    children: tuple[Condition, ...] = ()
    values: tuple[Any, ...] = ()
    fact: str = ""
    test: str = ""

    def matches(
        self, category: str, facts: Mapping[str, Any], risk_level: str, risk_reasons: Iterable[str] = ()
    ) -> bool:
        reasons = tuple(risk_reasons)
        if self.op == "all":
            return all(c.matches(category, facts, risk_level, reasons) for c in self.children)
        if self.op == "any":
            return any(c.matches(category, facts, risk_level, reasons) for c in self.children)
        if self.op == "not":
            return not self.children[0].matches(category, facts, risk_level, reasons)
        if self.op == "category":
            return category in self.values
        if self.op == "risk":
            return risk_level in self.values
        if self.op == "risk_reason":
            return any(str(v) in str(r) for r in reasons for v in self.values)
        if self.op == "fact":
            return _fact_test(facts.get(self.fact), self.test, self.values)
        raise AssertionError(self.op)

    def describe(self) -> str:
        if self.op in ("all", "any"):
            joiner = " 且 " if self.op == "all" else " 或 "
            return "(" + joiner.join(c.describe() for c in self.children) + ")"
        if self.op == "not":
            return "非" + self.children[0].describe()
        if self.op == "fact":
            return f"{self.fact} {self.test} {list(self.values)}"
        return f"{self.op} {list(self.values)}"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fact_test(value: Any, test: str, expected: tuple[Any, ...]) -> bool:
    if test == "present":
        present = value not in (None, "", [], {})
        return present == bool(expected[0])
    if value is None:
        return False
    if test == "equals":
        if isinstance(expected[0], bool):
            return _truthy(value) == expected[0]
        return any(str(value) == str(e) for e in expected)
    if test == "contains":
        text = " ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
        return any(str(e) in text for e in expected)
    number = _number(value)
    if number is None:
        return False
    limit = float(expected[0])
    return {"gt": number > limit, "gte": number >= limit, "lt": number < limit, "lte": number <= limit}[test]


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1", "是", "有", "对")
    return bool(value)


# ---------------------------------------------------------------- profile data


@dataclass(frozen=True)
class Window:
    code: str
    name: str
    room: str
    materials: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def materials_for(self, category: str, sub_type: str | None = None) -> tuple[str, ...]:
        """What to bring to this window for a category (falls back to the window's default list),
        then what its sub-type adds (``<category>/<sub_type>``)."""
        items = list(self.materials.get(category, self.materials.get("default", ())))
        for item in self.materials.get(f"{category}/{sub_type}", ()) if sub_type else ():
            if item not in items:
                items.append(item)
        return tuple(items)


@dataclass(frozen=True)
class Mediator:
    id: str
    name: str
    specialties: tuple[str, ...]
    capacity: int
    window: str | None = None


@dataclass(frozen=True)
class RoutingRule:
    name: str
    when: Condition
    add_windows: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class TierRule:
    amount_yuan_gte: float | None = None
    headcount_gte: int | None = None
    risk: tuple[str, ...] = ()
    repeats_gte: int | None = None


@dataclass(frozen=True)
class TimeLimits:
    default: Mapping[str, timedelta]
    tiers: Mapping[str, Mapping[str, timedelta]]
    risk: Mapping[str, Mapping[str, timedelta]]
    warn_before: timedelta = timedelta(hours=4)
    count: str = "calendar"  # or "working_days": whole days counted on the center's calendar

    def for_ticket(self, tier: str, risk_level: str) -> dict[str, timedelta]:
        """Stage limits for a ticket: default, then tier overrides, then risk overrides (tightest wins)."""
        limits = dict(self.default)
        limits.update(self.tiers.get(tier, {}))
        for stage, limit in self.risk.get(risk_level, {}).items():
            limits[stage] = min(limits[stage], limit)
        return limits


@dataclass(frozen=True)
class ReferralDestination:
    """Where a failed mediation is referred (诉调对接): the office's name and, optionally, its window."""

    code: str
    name: str
    window: str | None = None


DOCUMENT_KINDS = ("agreement", "judicial_confirmation", "referral")
DEFAULT_DOCUMENT_TEMPLATES = {kind: f"{kind}.html" for kind in DOCUMENT_KINDS}


@dataclass(frozen=True)
class MediationSettings:
    """The ``mediation:`` section: who signs the documents, which court confirms agreements, where a
    failed mediation is referred, when payment reminders go out, the documents' templates and texts."""

    committee: str = "人民调解委员会"
    court: str = "人民法院"
    seal: str = "（人民调解委员会印章）"
    referral_destinations: Mapping[str, ReferralDestination] = field(default_factory=dict)
    reminder_days: int = 3
    templates: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_DOCUMENT_TEMPLATES))
    texts: Mapping[str, str] = field(default_factory=dict)

    def destination_name(self, code: str) -> str:
        found = self.referral_destinations.get(code)
        return found.name if found else code


COLOURS = ("red", "yellow", "green")


@dataclass(frozen=True)
class ColourRule:
    """One colour of the 红黄绿 board: a ticket takes the first colour whose risk levels include its own
    or whose ``time_left_below`` its time left to the next 13710 deadline is under; ``handler`` says
    who deals with tickets of this colour. The last colour has no conditions (everything else)."""

    code: str
    name: str
    mark: str
    handler: str
    risk: tuple[str, ...] = ()
    time_left_below: timedelta | None = None


DEFAULT_COLOURS = (
    ColourRule("red", "红色", "▲", "中心分管领导督办，值班长跟进", ("urgent",), timedelta(0)),
    ColourRule("yellow", "黄色", "◆", "窗口负责人盯办", ("elevated",), timedelta(days=1)),
    ColourRule("green", "绿色", "●", "承办人按时限办理"),
)


@dataclass(frozen=True)
class AnalysisSettings:
    """The 研判 rule for a rising category or town: at least ``min_count`` tickets in the period and up
    by at least ``min_increase`` (a share, 0.3 = 30%) on the previous period (any rise from zero)."""

    min_count: int = 3
    min_increase: float = 0.3


@dataclass(frozen=True)
class SupervisionSettings:
    """The ``supervision:`` section (督办): when a deadline counts as near (the share of its time used),
    how often the scheduler looks, when an unsigned urgent ticket re-alerts the duty officer and how
    often again, who is notified, and the window leads by name (for the notice)."""

    near_at: float = 0.8
    interval: timedelta = timedelta(minutes=5)
    urgent_unsigned_after: timedelta = timedelta(minutes=30)
    urgent_realert_every: timedelta = timedelta(minutes=30)
    notify: tuple[str, ...] = ("window_lead", "admin")
    leads: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CenterProfile:
    id: str
    name: str
    short_name: str
    region_code: str
    region_name: str
    address: str
    hours: str
    phone: str
    timezone: str
    webhook_url: str
    retention_days: int
    duty_officer: Mapping[str, str]
    windows: Mapping[str, Window]
    primary_routes: Mapping[str, str]
    mediators: tuple[Mediator, ...]
    rules: tuple[RoutingRule, ...]
    tiers: Mapping[str, TierRule]
    time_limits: TimeLimits
    texts: Mapping[str, str]
    source: str = ""
    mediation: MediationSettings = field(default_factory=MediationSettings)
    supervision: SupervisionSettings = field(default_factory=SupervisionSettings)
    calendar: WorkCalendar = field(default_factory=WorkCalendar)
    board: tuple[ColourRule, ...] = DEFAULT_COLOURS
    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    handoff: HandoffSettings = field(default_factory=HandoffSettings)  # live 转人工 (staffing.py)

    def window(self, code: str) -> Window:
        return self.windows[code]

    def primary_window(self, category: str) -> Window:
        return self.windows[self.primary_routes.get(category, self.primary_routes["other"])]

    def text(self, key: str, **values: Any) -> str:
        """A configured text with ``{placeholders}`` filled; center fields are always available."""
        base = {"center_name": self.name, "address": self.address, "hours": self.hours, "phone": self.phone}
        base.update(values)
        return self.texts.get(key, "").format_map(_Missing(base))

    def public_info(self) -> dict[str, str]:
        """Fields a citizen-facing message needs."""
        return {"name": self.name, "address": self.address, "hours": self.hours, "phone": self.phone}


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
