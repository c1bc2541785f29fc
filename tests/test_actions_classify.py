"""action_classify_dispute on real rasa_sdk trackers."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.classify import ActionClassifyDispute


def _tracker(intent: str, text: str) -> Tracker:
    latest = {"intent": {"name": intent, "confidence": 0.97}, "entities": [], "text": text}
    return Tracker("citizen-1", {}, latest, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("intent", "code", "name"),
    [("dispute_wage_arrears", "wage_arrears", "欠薪"), ("dispute_traffic", "traffic", "交通事故")],
)
async def test_names_the_category_and_sets_slots(intent: str, code: str, name: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionClassifyDispute().run(dispatcher, _tracker(intent, "…"), {})
    assert dispatcher.messages == []
    assert {"event": "slot", "name": "category_name", "value": name, "timestamp": None} in events
    assert {"event": "slot", "name": "category", "value": code, "timestamp": None} in events


async def test_non_dispute_intent_asks_again() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionClassifyDispute().run(dispatcher, _tracker("greet", "你好"), {})
    assert events == []
    assert dispatcher.messages[0]["response"] == "utter_default"
