"""Mediation figures from plain rows: 调解成功率 (agreements among recorded outcomes), 司法确认 count
and rate (applications among agreements), 履约率 (payments made among those due or marked), referrals
by destination; overall and per window, mediator and town."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from bot.tickets.outcome import AGREED
from bot.tickets.statistics import town_of


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class _Tally:
    def __init__(self) -> None:
        self.outcomes = self.agreed = self.confirmations = 0
        self.payments_due = self.payments_paid = 0

    def figures(self) -> dict[str, Any]:
        return {
            "outcomes": self.outcomes,
            "agreements": self.agreed,
            "success_rate": _rate(self.agreed, self.outcomes),
            "judicial_confirmations": self.confirmations,
            "confirmation_rate": _rate(self.confirmations, self.agreed),
            "payments_due": self.payments_due,
            "performance_rate": _rate(self.payments_paid, self.payments_due),
        }


def summarise_outcomes(
    outcomes: Iterable[Any], payments: Iterable[Any], today: date, mediator_names: dict[str, str]
) -> dict[str, Any]:
    """``outcomes``: rows with ``window, mediator_id, location, result, referral_to, confirmation``
    (the 司法确认 result or None); ``payments``: rows with ``window, mediator_id, location, status, due``."""
    total = _Tally()
    groups: dict[str, defaultdict[str, _Tally]] = {
        k: defaultdict(_Tally) for k in ("window", "mediator", "town")
    }
    by_result: Counter[str] = Counter()
    referrals: Counter[str] = Counter()
    confirmed = 0

    def keys(r: Any) -> dict[str, str]:
        mediator = mediator_names.get(r.mediator_id or "", r.mediator_id or "未指派")
        return {"window": r.window, "mediator": mediator, "town": town_of(r.location)}

    for r in outcomes:
        tallies = [total] + [groups[g][k] for g, k in keys(r).items()]
        by_result[r.result] += 1
        if r.referral_to:
            referrals[r.referral_to] += 1
        confirmed += r.confirmation == "confirmed"
        for tally in tallies:
            tally.outcomes += 1
            tally.agreed += r.result in AGREED
            tally.confirmations += r.confirmation is not None
    for p in payments:
        if p.status == "pending" and p.due >= today:
            continue  # not due yet
        for tally in [total] + [groups[g][k] for g, k in keys(p).items()]:
            tally.payments_due += 1
            tally.payments_paid += p.status == "paid"
    return {
        **total.figures(),
        "by_result": dict(by_result.most_common()),
        "judicial_confirmed": confirmed,
        "referrals_by_destination": dict(referrals.most_common()),
        **{f"by_{g}": {k: t.figures() for k, t in sorted(tallies.items())} for g, tallies in groups.items()},
    }
