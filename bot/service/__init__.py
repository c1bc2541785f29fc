"""The aiohttp intake service on 127.0.0.1:5080 (``python -m bot.service``).

``create_app`` and ``main`` are loaded on first use, so the Rasa process can import
``bot.service.wechat_api`` without the whole service."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "main"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from bot.service import app

        return getattr(app, name)
    raise AttributeError(name)
