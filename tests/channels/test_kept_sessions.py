"""The action-server sessions kept by connectors/rasa_speedups.py are closed once when a Rasa server
stops, whichever channels are loaded: the patch wraps Rasa's ``close_resources``, which
``serve_application`` registers on every server; the channels register nothing for it."""

from __future__ import annotations

import asyncio
import inspect
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core import run as rasa_run
from rasa.utils.endpoints import EndpointConfig

from connectors import rasa_speedups
from connectors.channels.hotline import HotlineInput, HotlineSettings
from connectors.channels.limits import RateLimiter
from connectors.channels.wechat import WeChatInput, WeChatSettings


def test_rasa_registers_close_resources_on_every_server() -> None:
    source = inspect.getsource(rasa_run.serve_application)
    assert 'app.register_listener(close_resources, "after_server_stop")' in source


def test_rasas_close_resources_also_closes_the_kept_sessions() -> None:
    async def scenario() -> None:
        endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
        async with endpoint.session() as session:
            pass
        assert not session.closed and rasa_speedups._KEPT
        app = SimpleNamespace(ctx=SimpleNamespace())  # no agent: Rasa's part has nothing to close
        await rasa_run.close_resources(app, asyncio.get_running_loop())  # type: ignore[arg-type]
        assert session.closed and not rasa_speedups._KEPT

    rasa_speedups.install()
    try:
        assert rasa_run.close_resources is rasa_speedups.close_resources
        asyncio.run(scenario())
    finally:
        rasa_speedups.uninstall()
    assert rasa_run.close_resources is not rasa_speedups.close_resources


def test_the_channels_register_no_closing_of_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)

    async def dialogue(message: Any) -> None:
        return None

    limiter = RateLimiter(0, 0, redis_url="")
    channels = [
        HotlineInput(HotlineSettings(), limiter, sender_key=b"k"),
        WeChatInput(WeChatSettings(), limiter=limiter, sender_key=b"k"),
    ]
    for channel in channels:
        listeners = [f.listener for f in channel.blueprint(dialogue)._future_listeners]
        assert rasa_speedups.close_kept_sessions not in listeners
