"""The ``board:`` and ``analysis:`` sections of a center profile, validated like the rest (every error
names the file and line): the 红黄绿 colours (which risk levels and how little time left make a ticket
red or yellow, who handles each colour) and the 研判 rule for a rising category or town."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.tickets.centers import (
    COLOURS,
    DEFAULT_COLOURS,
    RISK_LEVELS,
    AnalysisSettings,
    ColourRule,
)

Err = Callable[[tuple[str | int, ...], str], None]
Duration = Callable[[Any], timedelta]
_DEFAULTS = {c.code: c for c in DEFAULT_COLOURS}


def build_board(raw: Any, err: Err, duration: Duration) -> tuple[ColourRule, ...]:
    """The colours in the order they are tested; a profile without the section gets the defaults
    (red: urgent or overdue; yellow: elevated or under a day left; green: the rest)."""
    if raw is None:
        return DEFAULT_COLOURS
    colours_raw = raw.get("colours") if isinstance(raw, dict) else None
    if not isinstance(colours_raw, list) or not colours_raw:
        err(("board",), "board: 'colours' must be a list of colours (red, yellow, green)")
        return DEFAULT_COLOURS
    colours: list[ColourRule] = []
    for i, item in enumerate(colours_raw):
        path: tuple[str | int, ...] = ("board", "colours", i)
        if not isinstance(item, dict) or item.get("code") not in COLOURS:
            err(path, f"board: each colour needs a code, one of {', '.join(COLOURS)}")
            continue
        code = str(item["code"])
        if any(c.code == code for c in colours):
            err(path, f"board: colour '{code}' is listed twice")
            continue
        risk = item.get("risk") or []
        risk = risk if isinstance(risk, list) else [risk]
        for level in risk:
            if level not in RISK_LEVELS:
                err(path + ("risk",), f"board: colour '{code}' names unknown risk level '{level}'")
        below = None
        if item.get("time_left_below") is not None:
            try:
                below = duration(item["time_left_below"])
            except ValueError as exc:
                err(path + ("time_left_below",), f"board: colour '{code}': {exc}")
        handler = item.get("handler")
        if not isinstance(handler, str) or not handler.strip():
            err(path, f"board: colour '{code}' needs a handler (who deals with its tickets)")
            handler = ""
        default = _DEFAULTS[code]
        colours.append(
            ColourRule(
                code=code,
                name=str(item.get("name") or default.name),
                mark=str(item.get("mark") or default.mark),
                handler=handler.strip(),
                risk=tuple(str(r) for r in risk),
                time_left_below=below,
            )
        )
    if colours and (colours[-1].risk or colours[-1].time_left_below is not None):
        err(
            ("board", "colours"),
            "board: the last colour must have no conditions (it takes every other ticket)",
        )
    return tuple(colours) or DEFAULT_COLOURS


def build_analysis(raw: Any, err: Err) -> AnalysisSettings:
    """The rising rule; defaults: at least 3 tickets and 30% more than the previous period."""
    if raw is None:
        return AnalysisSettings()
    rising = raw.get("rising") if isinstance(raw, dict) else None
    if not isinstance(rising, dict):
        err(("analysis",), "analysis: 'rising' must be a mapping with min_count and min_increase")
        return AnalysisSettings()
    count, increase = rising.get("min_count", 3), rising.get("min_increase", 0.3)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        err(("analysis", "rising", "min_count"), "analysis: min_count must be a whole number ≥ 1")
        count = 3
    if isinstance(increase, bool) or not isinstance(increase, (int, float)) or increase < 0:
        err(("analysis", "rising", "min_increase"), "analysis: min_increase must be a share ≥ 0, e.g. 0.3")
        increase = 0.3
    return AnalysisSettings(min_count=count, min_increase=float(increase))
