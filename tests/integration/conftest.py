"""The citizen's side of the shared stack (tests/conftest.py): one message through the REST channel."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.integration.rest_client import post_json, widget_sender
from tools.stack import StackSettings


@pytest.fixture()
def chat(stack: StackSettings) -> Callable[[str, str], list[str]]:
    """Send one message through the REST channel; the bot's text replies. ``sender`` may be any label:
    it is turned into a widget conversation id (the only ids the REST channel accepts)."""

    def send(sender: str, text: str) -> list[str]:
        payload = {"sender": widget_sender(sender), "message": text}
        status, replies = post_json(stack.urls["rest"], payload)
        assert status == 200
        return [r.get("text", "") for r in replies]  # type: ignore[union-attr]

    return send
