"""Loading a center profile (``centers/*.yml``): every error names the file and line, so an
administrator can fix a profile without reading code; the current profile is re-read when its file
changes."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot import paths
from bot.intake import subtypes
from bot.taxonomy import categories
from bot.tickets.centers import (
    DEFAULT_LIMITS,
    RISK_LEVELS,
    STAGES,
    TIERS,
    CenterProfile,
    Condition,
    Mediator,
    ProfileError,
    RoutingRule,
    TierRule,
    TimeLimits,
    Window,
    _number,
)
from bot.tickets.profile_board import build_analysis, build_board
from bot.tickets.profile_handoff import build_handoff
from bot.tickets.profile_mediation import build_mediation
from bot.tickets.profile_supervision import build_calendar, build_supervision

DEFAULT_PROFILE = paths.CENTERS / "default.yml"
PROFILE_ENV = "CENTER_PROFILE"


class _Located:
    """Maps a data path (keys / indexes) to a line number using the composed YAML node tree."""

    def __init__(self, node: yaml.Node | None, display: str):
        self.node = node
        self.display = display

    def line(self, *path: str | int) -> int:
        """1-based line of the value at ``path``; for a mapping or list value, the line of its key."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else 1
        for step in path:
            nxt, key_line = None, None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(step):
                        nxt, key_line = value_node, key_node.start_mark.line + 1
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                nxt = node.value[step]
            if nxt is None:
                break
            node = nxt
            is_collection = isinstance(node, (yaml.MappingNode, yaml.SequenceNode))
            line = key_line if (is_collection and key_line) else node.start_mark.line + 1
        return line

    def at(self, *path: str | int) -> str:
        return f"{self.display}:{self.line(*path)}"


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        try:
            return str(path.resolve().relative_to(paths.ROOT))
        except ValueError:
            return str(path)


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhm天时小时分钟]*)\s*$")


def parse_duration(value: Any) -> timedelta:
    """``3`` / ``"3d"`` → 3 days, ``"4h"`` → 4 hours, ``"30m"`` → 30 minutes."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        return timedelta(days=value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use days as a number, or '4h', '2d', '30m')")
    amount, unit = float(match.group(1)), match.group(2)
    if unit in ("h", "时", "小时"):
        return timedelta(hours=amount)
    if unit in ("m", "分钟"):
        return timedelta(minutes=amount)
    return timedelta(days=amount)


class _Builder:
    """Validates raw YAML data and builds a CenterProfile, collecting all errors with their lines."""

    def __init__(self, data: Any, loc: _Located):
        self.data = data if isinstance(data, dict) else {}
        self.loc = loc
        self.errors: list[str] = []
        if not isinstance(data, dict):
            self.err((), "profile must be a mapping with center, windows, primary_routes, … sections")

    def err(self, path: tuple[str | int, ...], message: str) -> None:
        self.errors.append(f"{self.loc.at(*path)}: {message}")

    def section(self, name: str, kind: type, required: bool = True) -> Any:
        value = self.data.get(name)
        if value is None:
            if required:
                self.err((), f"missing section '{name}'")
            return kind()
        if not isinstance(value, kind):
            self.err((name,), f"section '{name}' must be a {'mapping' if kind is dict else 'list'}")
            return kind()
        return value

    def text_field(
        self, mapping: dict[str, Any], path: tuple[Any, ...], key: str, required: bool = True
    ) -> str:
        value = mapping.get(key)
        if value is None or value == "":
            if required:
                self.err(path, f"missing '{key}'")
            return ""
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            self.err(path + (key,), f"'{key}' must be text")
            return ""
        return str(value)

    def build(self) -> CenterProfile:
        known_categories = set(categories())
        center = self.section("center", dict)
        region_code = self.text_field(center, ("center",), "region_code")
        if region_code and not re.fullmatch(r"\d{6}", region_code):
            self.err(
                ("center", "region_code"),
                f"region_code must be 6 digits (got '{region_code}'); quote it in YAML, e.g. \"140105\"",
            )
        retention_raw = center.get("retention_days", 1095)
        if isinstance(retention_raw, bool) or not isinstance(retention_raw, int) or retention_raw < 1:
            self.err(("center", "retention_days"), "retention_days must be a positive whole number of days")
            retention_raw = 1095

        windows: dict[str, Window] = {}
        for code, raw in self.section("windows", dict).items():
            path = ("windows", code)
            if not isinstance(raw, dict):
                self.err(path, f"window '{code}' must be a mapping with name, room, materials")
                continue
            materials: dict[str, tuple[str, ...]] = {}
            raw_materials = raw.get("materials") or {}
            if not isinstance(raw_materials, dict):
                self.err(path + ("materials",), f"window '{code}': materials must map a category to a list")
                raw_materials = {}
            for cat, items in raw_materials.items():
                base, _, sub_type = str(cat).partition("/")
                if sub_type and not subtypes.get(base, sub_type):
                    self.err(
                        path + ("materials", cat),
                        f"window '{code}' lists materials for unknown sub-type '{cat}' (bot/intake/subtypes.yml)",
                    )
                    continue
                if cat != "default" and base not in known_categories:
                    self.err(
                        path + ("materials", cat),
                        f"window '{code}' lists materials for unknown category '{cat}'",
                    )
                if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                    self.err(
                        path + ("materials", cat),
                        f"window '{code}': materials for '{cat}' must be a list of texts",
                    )
                    continue
                materials[str(cat)] = tuple(items)
            windows[str(code)] = Window(
                code=str(code),
                name=self.text_field(raw, path, "name"),
                room=self.text_field(raw, path, "room"),
                materials=materials,
            )

        primary: dict[str, str] = {}
        for cat, window in self.section("primary_routes", dict).items():
            path = ("primary_routes", cat)
            if cat not in known_categories:
                self.err(path, f"primary route for unknown category '{cat}'")
            elif window not in windows:
                self.err(path, f"primary route for '{cat}' names unknown window '{window}'")
            else:
                primary[cat] = window
        for cat in sorted(known_categories - set(self.data.get("primary_routes") or {})):
            self.err(("primary_routes",), f"no primary route for category '{cat}'")

        mediators: list[Mediator] = []
        seen_ids: set[str] = set()
        for i, raw in enumerate(self.section("mediators", list, required=False)):
            path = ("mediators", i)
            if not isinstance(raw, dict):
                self.err(path, "a mediator must be a mapping with id, name, specialties, capacity")
                continue
            mid = self.text_field(raw, path, "id")
            if mid in seen_ids:
                self.err(path + ("id",), f"duplicate mediator id '{mid}'")
            seen_ids.add(mid)
            specialties = raw.get("specialties") or []
            if not isinstance(specialties, list):
                self.err(
                    path + ("specialties",), f"mediator '{mid}': specialties must be a list of category codes"
                )
                specialties = []
            for s in specialties:
                if s not in known_categories:
                    self.err(path + ("specialties",), f"mediator '{mid}' has unknown specialty '{s}'")
            capacity = raw.get("capacity", 5)
            if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
                self.err(path + ("capacity",), f"mediator '{mid}': capacity must be a whole number ≥ 0")
                capacity = 0
            window = raw.get("window")
            if window is not None and window not in windows:
                self.err(path + ("window",), f"mediator '{mid}' names unknown window '{window}'")
            mediators.append(
                Mediator(
                    id=mid,
                    name=self.text_field(raw, path, "name"),
                    specialties=tuple(str(s) for s in specialties),
                    capacity=capacity,
                    window=window,
                )
            )

        rules: list[RoutingRule] = []
        for i, raw in enumerate(self.section("rules", list, required=False)):
            path = ("rules", i)
            if not isinstance(raw, dict):
                self.err(path, "a routing rule must be a mapping with name, when, add_window, reason")
                continue
            name = self.text_field(raw, path, "name")
            adds = raw.get("add_window", raw.get("add_windows"))
            adds_list = adds if isinstance(adds, list) else [adds] if adds else []
            if not adds_list:
                self.err(path, f"routing rule '{name}' has no add_window")
            key = "add_window" if "add_window" in raw else "add_windows"
            for w in adds_list:
                if w not in windows:
                    self.err(path + (key,), f"routing rule '{name}' names unknown window '{w}'")
            if "when" not in raw:
                self.err(path, f"routing rule '{name}' has no 'when' condition")
                continue
            cond = self.condition(raw["when"], path + ("when",), name)
            rules.append(
                RoutingRule(
                    name=name,
                    when=cond,
                    add_windows=tuple(map(str, adds_list)),
                    reason=self.text_field(raw, path, "reason"),
                )
            )

        tiers: dict[str, TierRule] = {}
        for tier, raw in self.section("tiers", dict, required=False).items():
            path = ("tiers", tier)
            if tier not in ("general", "complex"):
                self.err(path, f"unknown tier '{tier}' (thresholds are given for 'general' and 'complex')")
                continue
            if not isinstance(raw, dict):
                self.err(path, f"tier '{tier}' must be a mapping of thresholds")
                continue
            for key in raw:
                if key not in ("amount_yuan_gte", "headcount_gte", "risk", "repeats_gte"):
                    self.err(path + (key,), f"tier '{tier}': unknown threshold '{key}'")
            risk = raw.get("risk") or []
            risk = risk if isinstance(risk, list) else [risk]
            for r in risk:
                if r not in RISK_LEVELS:
                    self.err(path + ("risk",), f"tier '{tier}': unknown risk level '{r}'")
            tiers[tier] = TierRule(
                amount_yuan_gte=_number(raw.get("amount_yuan_gte")),
                headcount_gte=raw.get("headcount_gte"),
                risk=tuple(risk),
                repeats_gte=raw.get("repeats_gte"),
            )

        limits_raw = self.section("time_limits", dict, required=False)
        default_limits = dict(DEFAULT_LIMITS)
        default_limits.update(self.stage_limits(limits_raw.get("default") or {}, ("time_limits", "default")))
        tier_limits = {}
        for tier, raw in (limits_raw.get("tiers") or {}).items():
            if tier not in TIERS:
                self.err(("time_limits", "tiers", tier), f"time limits for unknown tier '{tier}'")
            tier_limits[tier] = self.stage_limits(raw, ("time_limits", "tiers", tier))
        risk_limits = {}
        for level, raw in (limits_raw.get("risk") or {}).items():
            if level not in RISK_LEVELS:
                self.err(("time_limits", "risk", level), f"time limits for unknown risk level '{level}'")
            risk_limits[level] = self.stage_limits(raw, ("time_limits", "risk", level))
        warn_before = timedelta(hours=4)
        if "warn_before" in limits_raw:
            try:
                warn_before = parse_duration(limits_raw["warn_before"])
            except ValueError as exc:
                self.err(("time_limits", "warn_before"), str(exc))
        count = limits_raw.get("count", "calendar")
        if count not in ("calendar", "working_days"):
            self.err(("time_limits", "count"), "time_limits.count must be calendar or working_days")
            count = "calendar"

        duty = self.section("duty_officer", dict)
        duty_officer = {k: str(v) for k, v in duty.items() if v is not None}
        if duty and not duty_officer.get("phone"):
            self.err(("duty_officer",), "duty officer needs a phone")
        texts = {str(k): str(v) for k, v in self.section("texts", dict, required=False).items()}
        mediation = build_mediation(self.data.get("mediation"), windows, self.err)
        board = build_board(self.data.get("board"), self.err, parse_duration)
        analysis = build_analysis(self.data.get("analysis"), self.err)
        handoff = build_handoff(self.data.get("handoff"), self.err)

        profile = CenterProfile(
            id=self.text_field(center, ("center",), "id", required=False) or "center",
            name=self.text_field(center, ("center",), "name"),
            short_name=self.text_field(center, ("center",), "short_name", required=False)
            or self.text_field(center, ("center",), "name", required=False),
            region_code=region_code,
            region_name=self.text_field(center, ("center",), "region_name", required=False),
            address=self.text_field(center, ("center",), "address"),
            hours=self.text_field(center, ("center",), "hours"),
            phone=self.text_field(center, ("center",), "phone"),
            timezone=self.text_field(center, ("center",), "timezone", required=False) or "Asia/Shanghai",
            webhook_url=self.text_field(center, ("center",), "webhook_url", required=False),
            retention_days=retention_raw,
            duty_officer=duty_officer,
            windows=windows,
            primary_routes=primary,
            mediators=tuple(mediators),
            rules=tuple(rules),
            tiers=tiers,
            time_limits=TimeLimits(
                default=default_limits,
                tiers=tier_limits,
                risk=risk_limits,
                warn_before=warn_before,
                count=count,
            ),
            texts=texts,
            source=self.loc.display,
            mediation=mediation,
            supervision=build_supervision(self.data.get("supervision"), windows, self.err, parse_duration),
            calendar=build_calendar(self.data.get("calendar"), self.err),
            board=board,
            analysis=analysis,
            handoff=handoff,
        )
        if self.errors:
            raise ProfileError(self.errors)
        return profile

    def stage_limits(self, raw: Any, path: tuple[Any, ...]) -> dict[str, timedelta]:
        out: dict[str, timedelta] = {}
        if not isinstance(raw, dict):
            self.err(path, "time limits must map sign/contact/report/close to a duration")
            return out
        for stage, value in raw.items():
            if stage not in STAGES:
                self.err(
                    path + (stage,), f"unknown time-limit stage '{stage}' (use sign, contact, report, close)"
                )
                continue
            try:
                out[stage] = parse_duration(value)
            except ValueError as exc:
                self.err(path + (stage,), str(exc))
        return out

    def condition(self, raw: Any, path: tuple[Any, ...], rule: str) -> Condition:
        known_categories = set(categories())
        bad = Condition(op="any")  # never matches; returned after an error so validation continues
        if not isinstance(raw, dict) or not raw:
            self.err(path, f"routing rule '{rule}': a condition must be a mapping")
            return bad
        if "all" in raw or "any" in raw:
            op = "all" if "all" in raw else "any"
            items = raw[op]
            if not isinstance(items, list) or not items:
                self.err(path + (op,), f"routing rule '{rule}': '{op}' needs a non-empty list of conditions")
                return bad
            return Condition(
                op=op, children=tuple(self.condition(c, path + (op, i), rule) for i, c in enumerate(items))
            )
        if "not" in raw:
            return Condition(op="not", children=(self.condition(raw["not"], path + ("not",), rule),))
        for op in ("category", "risk", "risk_reason"):
            if op in raw:
                values = raw[op] if isinstance(raw[op], list) else [raw[op]]
                for v in values:
                    if op == "category" and v not in known_categories:
                        self.err(path + (op,), f"routing rule '{rule}' names unknown category '{v}'")
                    if op == "risk" and v not in RISK_LEVELS:
                        self.err(path + (op,), f"routing rule '{rule}' names unknown risk level '{v}'")
                return Condition(op=op, values=tuple(values))
        if "fact" in raw:
            tests = [t for t in ("equals", "contains", "gt", "gte", "lt", "lte", "present") if t in raw]
            if len(tests) != 1:
                self.err(
                    path,
                    f"routing rule '{rule}': fact '{raw['fact']}' needs exactly one of "
                    "equals / contains / gt / gte / lt / lte / present",
                )
                return bad
            test = tests[0]
            value = raw[test]
            values = tuple(value) if isinstance(value, list) else (value,)
            if test in ("gt", "gte", "lt", "lte") and _number(value) is None:
                self.err(path + (test,), f"routing rule '{rule}': '{test}' needs a number")
                return bad
            return Condition(op="fact", fact=str(raw["fact"]), test=test, values=values)
        self.err(
            path,
            f"routing rule '{rule}': unknown condition {sorted(raw)}; use category, risk, "
            "risk_reason, fact, all, any or not",
        )
        return bad


def load_profile_text(text: str, display: str = "<profile>") -> CenterProfile:
    """Validate a profile given as YAML text (``display`` names it in error messages)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ProfileError([f"{display}:{line}: invalid YAML: {getattr(exc, 'problem', exc)}"]) from None
    except ValueError as exc:  # a date that does not exist (2027-02-30) fails in the YAML loader itself
        raise ProfileError([f"{display}:1: invalid value: {exc}"]) from None
    return _Builder(data, _Located(node, display)).build()


def load_profile(path: str | os.PathLike[str] | None = None) -> CenterProfile:
    """Load and validate a profile file; raises ProfileError listing every problem with file:line."""
    chosen = Path(path) if path else profile_path()
    display = _display_path(chosen)
    try:
        text = chosen.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProfileError([f"{display}:1: cannot read profile: {exc.strerror}"]) from None
    return load_profile_text(text, display)


def profile_path() -> Path:
    """The profile chosen by ``CENTER_PROFILE`` (relative paths resolve against the project root)."""
    env = os.environ.get(PROFILE_ENV)
    if not env:
        return DEFAULT_PROFILE
    path = Path(env)
    if not path.is_absolute() and not path.exists():
        path = paths.ROOT / path
    return path


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> CenterProfile:
    return load_profile(path)


def current_profile() -> CenterProfile:
    """The active profile, cached until the file changes on disk."""
    path = profile_path()
    return _cached(str(path), path.stat().st_mtime if path.exists() else 0.0)
