"""The cached validation of action-server replies accepts and rejects exactly what Rasa's does."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import connectors.hotline  # noqa: F401 - installs the patch, as in the Rasa process

GOOD = {"events": [{"event": "slot", "name": "category", "value": "labor"}], "responses": [{"text": "好"}]}


def test_the_patch_is_installed() -> None:
    assert RemoteAction._validate_action_result.__module__ == "connectors.rasa_speedups"


def test_a_valid_reply_passes() -> None:
    assert RemoteAction("action_x", None)._validate_action_result(GOOD) is True


@pytest.mark.parametrize(
    "bad", [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": 3}]
)
def test_an_invalid_reply_raises_rasas_error(bad: dict) -> None:
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction("action_x", None)._validate_action_result(bad)


def test_events_resolve_to_the_same_classes_as_rasas_walk() -> None:
    from rasa.shared.core.events import Event, SlotSet, UserUttered
    from rasa.shared.utils.common import all_subclasses

    from connectors import rasa_speedups

    assert Event.resolve_by_type is rasa_speedups.resolve_event_type
    for cls in all_subclasses(Event):
        assert rasa_speedups._ORIGINAL_RESOLVE(cls.type_name) is Event.resolve_by_type(cls.type_name)
    event = Event.from_parameters({"event": "slot", "name": "category", "value": "labor"})
    assert isinstance(event, SlotSet) and event.value == "labor"
    assert Event.resolve_by_type("user") is UserUttered


def test_unknown_event_names_behave_as_in_rasa() -> None:
    from rasa.shared.core.events import Event, SlotSet

    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
