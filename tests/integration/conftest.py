"""The real stack (action server, Rasa, intake service) on spare ports, once per test session."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.stack import Stack, StackSettings
from bot.training import latest_model
from tests.integration.rest_client import post_json


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackSettings]:
    model = latest_model()
    if model is None:
        pytest.skip("no trained model: `make test` trains one first (run `make train`)")
    var_dir: Path = tmp_path_factory.mktemp("var")
    settings = StackSettings(
        rasa_port=_free_port(),
        action_port=_free_port(),
        intake_port=_free_port(),
        var_dir=var_dir,
        model=model,
        rasa_token="test-token",
    )
    os.environ["INTAKE_STAFF_TOKEN"] = "staff-test-token"
    running = Stack(settings)
    running.start()
    try:
        running.wait_ready(timeout=300)
        yield settings
    finally:
        running.stop()


@pytest.fixture()
def chat(stack: StackSettings) -> Callable[[str, str], list[str]]:
    """Send one message through the REST channel; the bot's text replies."""

    def send(sender: str, text: str) -> list[str]:
        status, replies = post_json(stack.urls["rest"], {"sender": sender, "message": text})
        assert status == 200
        return [r.get("text", "") for r in replies]  # type: ignore[union-attr]

    return send
