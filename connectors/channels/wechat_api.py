"""The WeChat server API lives in :mod:`bot.service.wechat_api` (the intake service sends the
customer-service messages from the outbox); the channel's command line publishes the menu with it."""

from bot.service.wechat_api import (
    DEFAULT_API_BASE,
    INVALID_TOKEN,
    MemoryTokenCache,
    RedisTokenCache,
    WeChatApi,
    WeChatApiError,
)

__all__ = [
    "DEFAULT_API_BASE",
    "INVALID_TOKEN",
    "MemoryTokenCache",
    "RedisTokenCache",
    "WeChatApi",
    "WeChatApiError",
]
