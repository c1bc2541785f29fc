"""The citizen's side of the shared stack (tests/conftest.py): one message through the REST channel."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.integration.rest_client import post_json
from tools.stack import StackSettings


@pytest.fixture()
def chat(stack: StackSettings) -> Callable[[str, str], list[str]]:
    """Send one message through the REST channel; the bot's text replies."""

    def send(sender: str, text: str) -> list[str]:
        status, replies = post_json(stack.urls["rest"], {"sender": sender, "message": text})
        assert status == 200
        return [r.get("text", "") for r in replies]  # type: ignore[union-attr]

    return send
