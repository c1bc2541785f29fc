"""转人工 in the action server: during staffed hours the conversation is listed for a person and paused;
outside them the citizen is told honestly and the bot keeps listening; the hotline caller's number
is kept (encrypted) for the staff's SMS; the profile's ``handoff:`` section is validated."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.handoff as handoff_actions
from actions.handoff import ActionHandoff
from bot.storage.store import TicketStore
from bot.tickets.profile_handoff import build_handoff
from bot.tickets.profiles import load_profile
from bot.tickets.staffing import HandoffSettings

SLOTS = {"category": "wage_arrears", "consent": True, "phone": "13912345678", "applicant_name": "王建国"}


def asked(sender: str, metadata: dict[str, object] | None = None) -> Tracker:
    latest = {"text": "转人工", "intent": {"name": "ask_human"}, "entities": [], "metadata": metadata or {}}
    events = [{"event": "user", "text": "转人工", "parse_data": latest, "input_channel": "hotline"}]
    return Tracker(sender, dict(SLOTS), latest, events, False, None, {}, "action_listen")


def store_with(tmp_path: Path, settings: HandoffSettings) -> TicketStore:
    profile = dataclasses.replace(load_profile(), handoff=settings)
    return TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", profile)


ALWAYS = HandoffSettings(
    weekdays=(1, 2, 3, 4, 5, 6, 7), periods=build_handoff({"periods": ["00:00-24:00"]}, print).periods
)
NEVER = HandoffSettings(weekdays=())


async def test_staffed_hours_list_and_pause(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = store_with(tmp_path, ALWAYS)
    monkeypatch.setattr(handoff_actions, "get_store", lambda: store)
    sender = "hl-" + "e5" * 12
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, asked(sender, {"phone": "13912345678"}), {})
    assert "正在为您转接工作人员" in dispatcher.messages[0]["text"]
    assert events[-1]["event"] == "pause"
    listed = store.handoff(sender, reveal=True)
    assert listed is not None and listed["state"] == "waiting" and listed["recipient"] == "13912345678"
    assert listed["ticket_code"] in dispatcher.messages[0]["text"] and "欠薪" in listed["summary"]
    assert store.get_ticket(listed["ticket_code"])["status"] == "awaiting_staff"
    store.dispose()


async def test_outside_the_hours_the_citizen_is_told_and_the_bot_listens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_with(tmp_path, NEVER)
    monkeypatch.setattr(handoff_actions, "get_store", lambda: store)
    sender = "w-" + "f6" * 16
    dispatcher = CollectingDispatcher()
    events = await ActionHandoff().run(dispatcher, asked(sender), {})
    text = dispatcher.messages[0]["text"]
    assert text.startswith("现在没有工作人员在线") and "回电" in text
    assert not any(e["event"] == "pause" for e in events)
    assert store.handoff(sender) is None
    store.dispose()


def test_staffed_hours_follow_the_profile() -> None:
    hours = load_profile().handoff
    assert hours.staffed(datetime(2026, 12, 7, 10, 0))  # a Monday morning
    assert not hours.staffed(datetime(2026, 12, 7, 12, 30))  # lunch
    assert not hours.staffed(datetime(2026, 12, 5, 10, 0))  # a Saturday


def test_a_wrong_handoff_section_names_each_problem() -> None:
    problems: list[str] = []
    build_handoff(
        {"weekdays": [0, 8], "periods": ["9点-12点"], "wait_minutes": 0, "texts": {"hello": "x"}, "x": 1},
        lambda path, message: problems.append(message),
    )
    assert len(problems) == 5 and any("09:00-12:00" in p for p in problems)
