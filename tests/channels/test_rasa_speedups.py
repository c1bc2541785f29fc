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
