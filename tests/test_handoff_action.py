"""转人工 in the action server: during staffed hours the conversation is listed for a person and paused;
outside them the citizen is told honestly and the bot keeps listening; the hotline caller's number
is kept (encrypted) for the staff's SMS; the profile's ``handoff:`` section is validated."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
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


@pytest.fixture
def nobody_on_duty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TicketStore]:
    """The action's store, with a profile whose staffed hours never come."""
    store = store_with(tmp_path, NEVER)
    monkeypatch.setattr(handoff_actions, "get_store", lambda: store)
    yield store
    store.dispose()


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


def garbled(misunderstood: int) -> Tracker:
    latest = {"text": "嗯嗯啊啊", "intent": {"name": "nlu_fallback"}, "intent_ranking": [], "entities": []}
    events = [{"event": "user", "text": "嗯嗯啊啊", "parse_data": latest}]
    return Tracker(
        "w-" + "0a" * 16, {"misunderstood": misunderstood}, latest, events, False, None, {}, "action_listen"
    )


@pytest.mark.parametrize(("settings", "calls"), [(ALWAYS, True), (NEVER, False)])
async def test_the_third_message_not_understood_calls_a_person_when_one_is_on_duty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: HandoffSettings, calls: bool
) -> None:
    import actions.conversation as conversation_actions
    from actions.conversation import ActionNotUnderstood

    store = store_with(tmp_path, settings)
    monkeypatch.setattr(conversation_actions, "get_store", lambda: store)
    second = CollectingDispatcher()
    events = await ActionNotUnderstood().run(second, garbled(1), {})  # the second: buttons, no person yet
    assert not any(e["event"] == "followup" for e in events) and second.messages
    third = CollectingDispatcher()
    events = await ActionNotUnderstood().run(third, garbled(2), {})
    followups = [e["name"] for e in events if e["event"] == "followup"]
    assert followups == (["action_handoff"] if calls else [])
    assert bool(third.messages) is not calls  # the person's hand-off speaks, not the bot's apology
    store.dispose()

    store = store_with(tmp_path, settings)
    monkeypatch.setattr(handoff_actions, "get_store", lambda: store)
    if calls:
        dispatcher = CollectingDispatcher()
        await ActionHandoff().run(dispatcher, garbled(3), {})
        assert dispatcher.messages[0]["text"].startswith("抱歉，我一直没能理解您的意思，已为您转接工作人员")
        assert store.handoff("w-" + "0a" * 16)["reason"] == "misunderstood"
    store.dispose()


def test_the_wechat_openid_is_read_from_its_encrypted_metadata() -> None:
    from actions.handoff import recipient_of
    from bot import privacy

    tracker = asked(
        "wx-" + "1b" * 12, {"wechat": {"kind": "text", "openid_enc": privacy.encrypt("oWx_openid")}}
    )
    assert recipient_of(tracker) == "oWx_openid"
    assert recipient_of(asked("w-" + "2c" * 16)) is None  # the widget polls: no address kept


def test_staffed_days_follow_the_centers_holiday_calendar() -> None:
    from bot.tickets.staffing import HandoffSettings
    from bot.tickets.workdays import WorkCalendar

    hours = HandoffSettings()
    national_day = datetime(2026, 10, 2, 10, 0)  # a Friday in the 国庆 holiday
    assert hours.staffed(national_day) and not hours.staffed(national_day, WorkCalendar())
    assert hours.staffed(datetime(2026, 12, 7, 10, 0), WorkCalendar())  # an ordinary Monday


async def test_asked_first_outside_the_hours_the_intake_goes_on_to_take_a_number(
    nobody_on_duty: TicketStore,
) -> None:
    """Nobody on duty and nothing told yet: the citizen's words become a 其他 case, so the intake asks for
    consent, a name and a number, and staff can call back."""
    latest = {"text": "我要人工服务", "intent": {"name": "ask_human"}, "entities": [], "metadata": {}}
    events = [
        {"event": "user", "text": "你好，居住证怎么办理", "parse_data": {}, "input_channel": "rest"},
        {"event": "user", "text": "我要人工服务", "parse_data": latest, "input_channel": "rest"},
    ]
    tracker = Tracker("w-" + "a7" * 16, {}, latest, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    slots = {
        e["name"]: e["value"]
        for e in await ActionHandoff().run(dispatcher, tracker, {})
        if e["event"] == "slot"
    }
    assert dispatcher.messages[0]["text"].startswith("现在没有工作人员在线")
    assert slots["category"] == "other" and slots["staff_live"] is False
    assert slots["description"] == "你好，居住证怎么办理\n我要人工服务"
    assert nobody_on_duty.get_ticket(slots["ticket_code"])["category"] == "other"


async def test_an_intake_under_way_keeps_its_own_story_when_nobody_is_on_duty(
    nobody_on_duty: TicketStore,
) -> None:
    tracker = asked("w-" + "b8" * 16)
    tracker.slots["description"] = "老板欠我三个月工资"
    events = await ActionHandoff().run(CollectingDispatcher(), tracker, {})
    assert not any(e.get("name") == "description" for e in events)
