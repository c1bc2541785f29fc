"""The lifecycle rules (bot.tickets.lifecycle) and the fact and statistics helpers of the core, without a
database."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from bot.tickets import lifecycle
from bot.tickets.records import (
    STATUSES,
    TRANSITIONS,
    InvalidInput,
    InvalidTransition,
    normalise_facts,
    number_of,
    storable_facts,
)
from bot.tickets.statistics import summarise, town_of

ALLOWED = [(old, new) for old, targets in TRANSITIONS.items() for new in targets]


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_every_listed_transition_is_allowed(old, new):
    lifecycle.check_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [(old, new) for old in STATUSES for new in STATUSES if (old, new) not in ALLOWED],
)
def test_every_other_transition_is_refused(old, new):
    with pytest.raises(InvalidTransition):
        lifecycle.check_transition(old, new)


def test_a_refused_transition_names_the_steps_that_are_allowed():
    with pytest.raises(InvalidTransition) as caught:
        lifecycle.check_transition("received", "closed")
    assert caught.value.message == "不能从“已受理”改为“已办结”，可改为：已分流、已签收、已转办"
    with pytest.raises(InvalidTransition, match="可改为：无"):
        lifecycle.check_transition("closed", "accepted")


def test_an_unknown_status_is_invalid_input_not_a_transition():
    with pytest.raises(InvalidInput, match="未知的状态"):
        lifecycle.check_transition("received", "done")


def test_claim_follow_up_and_transfer_rules():
    assert lifecycle.status_after_claim("received") == "accepted"
    assert lifecycle.status_after_claim("routed") == "accepted"
    assert lifecycle.status_after_claim("in_mediation") is None
    with pytest.raises(InvalidTransition, match="不能再签收"):
        lifecycle.status_after_claim("closed")
    with pytest.raises(InvalidTransition, match="不能转办"):
        lifecycle.check_transfer("closed")
    lifecycle.check_transfer("resolved")
    for status in ("resolved", "referred", "closed"):
        lifecycle.check_follow_up(status)
    with pytest.raises(InvalidTransition, match="暂不能回访"):
        lifecycle.check_follow_up("accepted")
    for bad in (0, 6, True, 3.0, "3"):
        with pytest.raises(InvalidInput):
            lifecycle.check_satisfaction(bad)
    assert lifecycle.stamp_for("referred") == "resolved_at" and lifecycle.stamp_for("routed") is None


def test_facts_are_normalised_for_storage():
    assert number_of("35,000", float) == 35000 and isinstance(number_of("35,000", float), int)
    assert number_of("2.5", float) == 2.5 and number_of("12.0", int) == 12
    assert number_of("", int) is None and number_of(True, int) is None and number_of("几万", float) is None
    facts = normalise_facts({"headcount": "12", "amount_yuan": "3，000", "wechat": "w1", "phone": "138"})
    assert list(facts)[:2] == ["applicant_name", "phone"] and facts["wechat"] == "w1"
    assert facts["headcount"] == 12 and facts["amount_yuan"] == 3000
    stored = storable_facts({**facts, "id_number": "1101", "since": datetime(2024, 5, 1)})
    assert "phone" not in stored and "id_number" not in stored and stored["since"] == "2024-05-01 00:00:00"


def test_statistics_count_by_town_and_week():
    assert town_of("山西省太原市小店区坞城街道某小区") == "小店区坞城街道"
    assert town_of(None) == "未填写"
    created = datetime(2024, 5, 6, 1, tzinfo=timezone.utc)
    row = SimpleNamespace(
        category="wage_arrears",
        location="坞城街道",
        channel="web",
        status="closed",
        risk_level="normal",
        created_at=created,
        accepted_at=created.replace(hour=3),
        closed_at=None,
        satisfaction=4,
        window="labor_inspection",
        overdue=False,
    )
    stats = summarise([row, row], timezone.utc)
    assert stats["total"] == 2 and stats["by_town"] == {"坞城街道": 2}
    assert stats["by_week"] == {"2024-W19": 2} and stats["avg_hours_to_accept"] == 2.0
    assert stats["satisfaction"] == {"average": 4.0, "count": 2} and stats["avg_hours_to_close"] is None
