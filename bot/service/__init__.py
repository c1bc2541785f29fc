"""The aiohttp intake service on 127.0.0.1:5080 (``python -m bot.service``)."""

from bot.service.app import create_app, main

__all__ = ["create_app", "main"]
