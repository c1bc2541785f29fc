"""The cap on new urgent tickets per conversation and hour (bot.intake.safety.urgent_capped)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bot.intake import safety

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)


class _Store:
    def __init__(self, minutes_ago: list[int], broken: bool = False) -> None:
        self.tickets = [{"created_at": (NOW - timedelta(minutes=m)).isoformat()} for m in minutes_ago]
        self.broken = broken
        self.filters: Any = None

    def list_tickets(self, filters: Any = None) -> list[dict[str, Any]]:
        if self.broken:
            raise RuntimeError("database down")
        self.filters = filters
        return self.tickets


def test_the_cap_counts_this_conversations_urgent_tickets_of_the_last_hour(monkeypatch) -> None:
    monkeypatch.delenv(safety.URGENT_CAP_ENV, raising=False)
    store = _Store([5, 20, 50])
    assert safety.urgent_capped(store, "s1", now=NOW)
    assert store.filters.sender_id == "s1" and store.filters.risk == "urgent"
    assert not safety.urgent_capped(_Store([5, 20, 70]), "s1", now=NOW)
    monkeypatch.setenv(safety.URGENT_CAP_ENV, "5")
    assert not safety.urgent_capped(store, "s1", now=NOW)


def test_a_store_that_cannot_count_does_not_cap() -> None:
    assert not safety.urgent_capped(_Store([1, 2, 3], broken=True), "s1", now=NOW)


def test_a_capped_message_still_gets_the_emergency_numbers() -> None:
    assert "110" in safety.capped_message("他拿着刀在门口，说要砍死我")
    assert safety.capped_message("") == safety.CAPPED
