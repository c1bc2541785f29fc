"""Rates per responsible unit (主办窗口, mediator, town): 响应率, 按时联系率, 办结率, 按时办结率, 化解率,
满意率 (the citizens' own ratings, and apart the staff-recorded ones), repeat-complaint share, 督办 counts.

What each rate divides by what is data (``rates.yml``: a numerator and a denominator per rate, each a
named condition with its Chinese wording for the page); the conditions themselves are the functions in
``CONDITIONS`` below, one per name. Storage hands over one ``RateRow`` per ticket; nothing here reads
a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.tickets.centers import STAGES
from bot.tickets.deadlines import STATUS_ORDER, as_utc, stage_done
from bot.tickets.outcome import AGREED

RATES_FILE = Path(__file__).with_name("rates.yml")
GROUPINGS = ("window", "mediator", "town")
GROUPING_NAMES = {"window": "主办窗口", "mediator": "调解员", "town": "乡镇（街道）"}
SATISFIED = (4, 5)


@dataclass(frozen=True)
class UnitScope:
    """Whose figures a caller may see: tickets whose 主办窗口 is one of ``windows`` and whose mediator
    is one of ``mediators`` (None: no limit). Administrators: ``UnitScope()``."""

    windows: tuple[str, ...] | None = None
    mediators: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RateRow:
    """One ticket as the rates see it. ``reached`` holds when each 13710 stage was completed (None:
    not yet), ``due`` its deadline; ``outcome`` is the mediation result, if one was recorded."""

    window: str
    mediator_id: str | None
    location: str | None
    status: str
    reached: Mapping[str, datetime | None]
    due: Mapping[str, datetime | None]
    outcome: str | None = None
    citizen_rating: int | None = None
    satisfaction: int | None = None
    repeat_count: int = 0
    supervisions_near: int = 0
    supervisions_overdue: int = 0


def _on_time(row: RateRow, stage: str) -> bool:
    at, due = row.reached.get(stage), row.due.get(stage)
    return at is not None and (due is None or as_utc(at) <= as_utc(due))


def _settled(row: RateRow, stage: str, now: datetime) -> bool:
    """Done, or its deadline has passed: a ticket still within its time counts neither way."""
    due = row.due.get(stage)
    return row.reached.get(stage) is not None or (due is not None and as_utc(due) < as_utc(now))


Condition = Callable[[RateRow, datetime], bool]
CONDITIONS: dict[str, Condition] = {
    "all": lambda r, now: True,
    "sign_settled": lambda r, now: _settled(r, "sign", now),
    "signed_on_time": lambda r, now: _on_time(r, "sign"),
    "contact_settled": lambda r, now: _settled(r, "contact", now),
    "contacted_on_time": lambda r, now: _on_time(r, "contact"),
    "closed": lambda r, now: r.reached.get("close") is not None,
    "close_settled": lambda r, now: _settled(r, "close", now),
    "closed_on_time": lambda r, now: _on_time(r, "close"),
    "closed_mediated": lambda r, now: r.reached.get("close") is not None and r.outcome in AGREED,
    "citizen_rated": lambda r, now: r.citizen_rating is not None,
    "citizen_satisfied": lambda r, now: r.citizen_rating in SATISFIED,
    "staff_rated": lambda r, now: r.satisfaction is not None,
    "staff_satisfied": lambda r, now: r.satisfaction in SATISFIED,
    "repeat": lambda r, now: r.repeat_count > 0,
}


@dataclass(frozen=True)
class RateDefinition:
    key: str
    name: str
    numerator: str
    denominator: str
    numerator_text: str
    denominator_text: str

    def as_json(self) -> dict[str, str]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Definitions:
    rates: tuple[RateDefinition, ...]
    conditions: Mapping[str, str]
    counts: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # key → (name, wording)


@lru_cache(maxsize=1)
def definitions() -> Definitions:
    """The rates of ``rates.yml``; a condition named there but not defined here is a bug, so it fails loudly."""
    raw = yaml.safe_load(RATES_FILE.read_text(encoding="utf-8"))
    texts = {str(k): str(v) for k, v in raw["conditions"].items()}
    rates = []
    for item in raw["rates"]:
        for part in ("numerator", "denominator"):
            if item[part] not in CONDITIONS or item[part] not in texts:
                raise ValueError(
                    f"{RATES_FILE.name}: rate '{item['key']}' names unknown condition '{item[part]}'"
                )
        rates.append(
            RateDefinition(
                key=item["key"],
                name=item["name"],
                numerator=item["numerator"],
                denominator=item["denominator"],
                numerator_text=texts[item["numerator"]],
                denominator_text=texts[item["denominator"]],
            )
        )
    counts = {str(k): (str(v["name"]), str(v["text"])) for k, v in raw.get("counts", {}).items()}
    return Definitions(tuple(rates), texts, counts)


def stage_times(status_times: Mapping[str, datetime | None]) -> dict[str, datetime | None]:
    """When each 13710 stage was completed, from the first time the ticket reached each status (its
    history): the earliest status that completes the stage (a ticket referred before anyone signed
    for it has completed 签收 when it was referred, as ``deadlines.stage_done`` says)."""
    out: dict[str, datetime | None] = {}
    for stage in STAGES:
        times = [
            as_utc(at)
            for status, at in status_times.items()
            if at is not None and status in STATUS_ORDER
            if stage_done(stage, status)
        ]
        out[stage] = min(times) if times else None
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class _Tally:
    def __init__(self) -> None:
        self.counts: defaultdict[str, int] = defaultdict(int)
        self.tickets = self.near = self.overdue = 0

    def add(self, row: RateRow, now: datetime, needed: Iterable[str]) -> None:
        self.tickets += 1
        self.near += row.supervisions_near
        self.overdue += row.supervisions_overdue
        for name in needed:
            self.counts[name] += CONDITIONS[name](row, now)

    def figures(self, defs: Definitions) -> dict[str, Any]:
        return {
            "tickets": self.tickets,
            "supervisions": self.near + self.overdue,
            "supervisions_overdue": self.overdue,
            "rates": {
                d.key: {
                    "numerator": self.counts[d.numerator],
                    "denominator": self.counts[d.denominator],
                    "value": _rate(self.counts[d.numerator], self.counts[d.denominator]),
                }
                for d in defs.rates
            },
        }


def summarise_rates(
    rows: Iterable[RateRow],
    now: datetime,
    group_of: Callable[[RateRow], str],
    names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The rates over all ``rows`` (``total``) and per group (``groups``, largest first); ``group_of``
    gives a row's group key, ``names`` the keys' display names."""
    defs = definitions()
    needed = {n for d in defs.rates for n in (d.numerator, d.denominator)}
    total = _Tally()
    groups: defaultdict[str, _Tally] = defaultdict(_Tally)
    for row in rows:
        total.add(row, now, needed)
        groups[group_of(row)].add(row, now, needed)
    ordered = sorted(groups.items(), key=lambda kv: (-kv[1].tickets, kv[0]))
    return {
        "definitions": [d.as_json() for d in defs.rates],
        "total": total.figures(defs),
        "groups": [
            {"key": key, "name": (names or {}).get(key, key), **tally.figures(defs)} for key, tally in ordered
        ],
    }
