"""Time limits ("13710") and overdue detection."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.tickets.deadlines import (
    compute_deadlines,
    deadlines_json,
    overdue_stages,
    overdue_warning,
)

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)


def test_default_is_13710(profile):
    d = compute_deadlines(T0, "general", "none", profile)
    assert {k: v - T0 for k, v in d.items()} == {
        "sign": timedelta(days=1),
        "contact": timedelta(days=3),
        "report": timedelta(days=7),
        "close": timedelta(days=10),
    }
    assert deadlines_json(d)["sign"] == "2026-11-24T01:00:00+00:00"


def test_tier_and_risk_overrides(profile):
    complex_ = compute_deadlines(T0, "complex", "none", profile)
    assert complex_["report"] - T0 == timedelta(days=15)
    assert complex_["close"] - T0 == timedelta(days=30)
    assert compute_deadlines(T0, "simple", "none", profile)["close"] - T0 == timedelta(days=7)
    urgent = compute_deadlines(T0, "complex", "urgent", profile)
    assert urgent["sign"] - T0 == timedelta(hours=2)
    assert urgent["contact"] - T0 == timedelta(days=1)
    assert urgent["close"] - T0 == timedelta(days=30)


@pytest.mark.parametrize(
    "status, after, expected",
    [
        ("received", timedelta(hours=23), []),
        ("received", timedelta(days=2), ["sign"]),
        ("routed", timedelta(days=4), ["sign", "contact"]),
        ("accepted", timedelta(days=4), ["contact"]),
        ("in_mediation", timedelta(days=8), ["report"]),
        ("resolved", timedelta(days=8), []),
        ("referred", timedelta(days=11), ["close"]),
        ("received", timedelta(days=11), ["sign", "contact", "report", "close"]),
        ("closed", timedelta(days=40), []),
    ],
)
def test_overdue_stages(profile, status, after, expected):
    d = compute_deadlines(T0, "general", "none", profile)
    assert overdue_stages(status, d, T0 + after) == expected


def test_warning_texts(profile):
    d = compute_deadlines(T0, "general", "none", profile)
    assert overdue_warning("received", d, timedelta(hours=4), T0 + timedelta(hours=21)) == "即将超时：签收"
    assert overdue_warning("received", d, timedelta(hours=4), T0 + timedelta(days=2)) == "已超时：签收"
    assert overdue_warning("accepted", d, timedelta(hours=4), T0 + timedelta(days=1)) is None


def test_naive_datetimes_are_utc(profile):
    naive = T0.replace(tzinfo=None)
    assert compute_deadlines(naive, "general", "none", profile) == compute_deadlines(
        T0, "general", "none", profile
    )
