"""Filing at confirmation (issue 15, item 7): one confirmation gives one ticket however often the
action runs, and a database that is down loses nothing: the citizen is told, the intake is kept and
the confirmation is asked again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.intake as intake_actions
from actions.intake import ActionFileTicket
from bot.storage.store import ListFilters, StorageUnavailable, TicketStore

SLOTS = {
    "category": "debt",
    "sub_type": "loan",
    "consent": False,
    "counterparty": "表哥",
    "amount_yuan": 30000,
}


def _confirmed(sender: str) -> Tracker:
    latest = {"text": "确认", "intent": {"name": "affirm", "confidence": 0.99}, "entities": []}
    events = [{"event": "user", "text": "确认", "timestamp": 1795000000.25, "parse_data": latest}]
    return Tracker(sender, dict(SLOTS), latest, events, False, None, {}, "intake_form")


class _Down:
    """A store whose database is unreachable."""

    profile = None

    def file_ticket(self, intake: Any) -> dict[str, Any]:
        raise StorageUnavailable("database unreachable")

    def update_intake(self, code: str, intake: Any) -> dict[str, Any]:
        raise StorageUnavailable("database unreachable")


async def test_down_at_confirmation_then_retry_files_exactly_one_ticket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = "w-" + "a" * 32
    monkeypatch.setattr(intake_actions, "get_store", lambda: _Down())
    down = CollectingDispatcher()
    events = await ActionFileTicket().run(down, _confirmed(sender), {})
    assert down.messages[0]["response"] == "utter_filing_failed"
    assert any(e.get("event") == "followup" and e.get("name") == "intake_form" for e in events)
    assert not any(e.get("name") == "ticket_code" for e in events)

    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    monkeypatch.setattr(intake_actions, "get_store", lambda: store)
    for _ in range(2):  # the retry, and Rasa running the action again for the same confirmation
        dispatcher = CollectingDispatcher()
        await ActionFileTicket().run(dispatcher, _confirmed(sender), {})
        assert "受理编号" in dispatcher.messages[0]["text"]
    assert len(store.list_tickets(ListFilters(sender_id=sender))) == 1
    store.dispose()


async def test_danger_told_as_an_answer_is_kept_and_the_alarm_is_not_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An urgent conversation: "让他别再打我，我想离婚" answers 诉求 and adds to the urgent ticket, so the
    form moves on instead of asking the same question after every alarm (a loop seen in blind round 4)."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions import safety as safety_actions
    from bot.intake.safety import urgent_intake

    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}")
    monkeypatch.setattr(safety_actions, "get_store", lambda: store)
    first = urgent_intake(
        store,
        "w-" + "a" * 32,
        "rest",
        {},
        "我老公昨晚又打我，说回来就弄死我",
        [{"name": "danger", "confidence": 1.0}],
    )
    slots = {**first.updates, "consent": False, "requested_slot": "demand"}
    text = "让他别再打我，我想离婚"
    latest = {
        "text": text,
        "intent": {"name": "danger", "confidence": 1.0},
        "intent_ranking": [],
        "entities": [],
    }
    events = [{"event": "user", "text": text, "parse_data": latest}]
    tracker = Tracker(
        "w-" + "a" * 32, slots, latest, events, False, None, {"name": "intake_form"}, "action_listen"
    )
    dispatcher = CollectingDispatcher()
    result = await safety_actions.ActionHandleDanger().run(dispatcher, tracker, {})
    set_slots = {e["name"]: e["value"] for e in result if e.get("event") == "slot"}
    assert set_slots["demand"] == text
    assert set_slots["ticket_code"] == first.updates["ticket_code"]
    assert "已记入紧急登记" in dispatcher.messages[0]["text"]
    assert len(store.list_tickets(ListFilters(sender_id="w-" + "a" * 32))) == 1
    store.dispose()
