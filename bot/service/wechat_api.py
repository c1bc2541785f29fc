"""The WeChat server API of the official account: the access token and customer-service messages
(客服消息), which the intake service's outbox delivery sends (``bot.service.channels``), and the menu the
channel's command line publishes. No Rasa here; the channel imports it from this module.

- ``GET {api_base}/cgi-bin/token?grant_type=client_credential&appid=…&secret=…`` gives an access
  token valid ``expires_in`` seconds (7200). It is cached until five minutes before it expires: in
  Redis when ``REDIS_URL`` is set (one refresher at a time across workers and instances, the others
  wait for its result), else in the process behind an ``asyncio.Lock``. A reply saying the token is
  invalid or expired (40001, 40014, 42001) drops it and fetches a new one once.
- ``POST {api_base}/cgi-bin/message/custom/send?access_token=…`` ``{"touser": openid, "msgtype":
  "text", "text": {"content": …}}``: the answers that missed the 5-second passive reply, written to the
  ticket database's outbox by the channel and sent from there, in order per citizen, with back-off.
- ``POST {api_base}/cgi-bin/menu/create?access_token=…`` with the menu file.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
TOKEN_MARGIN = 300.0  # seconds before expiry a cached token is replaced
INVALID_TOKEN = {40001, 40014, 42001}


class WeChatApiError(RuntimeError):
    def __init__(self, message: str, errcode: int | None = None) -> None:
        super().__init__(message)
        self.errcode = errcode


class MemoryTokenCache:
    """The token of this process; one refresh at a time (``asyncio.Lock``)."""

    def __init__(self) -> None:
        self._token = ""
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        return self._token if time.monotonic() < self._expires else ""

    async def refresh(self, fetch: Callable[[], Awaitable[tuple[str, float]]], stale: str = "") -> str:
        async with self._lock:
            current = await self.get()
            if current and current != stale:
                return current  # another coroutine refreshed it while this one waited
            token, expires_in = await fetch()
            self._token, self._expires = token, time.monotonic() + max(expires_in - TOKEN_MARGIN, 30.0)
            return token


class RedisTokenCache:
    """The token shared by every worker and instance; ``SET NX`` elects one refresher."""

    def __init__(self, client: Any, app_id: str, wait: float = 10.0) -> None:
        digest = hashlib.sha256(app_id.encode("utf-8")).hexdigest()[:16]
        self._redis, self._wait = client, wait
        self._key, self._lock_key = f"wechat:token:{digest}", f"wechat:token-lock:{digest}"

    async def get(self) -> str:
        raw = await self._redis.get(self._key)
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw or "")

    async def refresh(self, fetch: Callable[[], Awaitable[tuple[str, float]]], stale: str = "") -> str:
        deadline = time.monotonic() + self._wait
        while True:
            current = await self.get()
            if current and current != stale:
                return current
            if await self._redis.set(self._lock_key, b"1", nx=True, ex=int(self._wait) + 5):
                try:
                    token, expires_in = await fetch()
                    ttl = max(int(expires_in - TOKEN_MARGIN), 30)
                    await self._redis.set(self._key, token.encode("utf-8"), ex=ttl)
                    return token
                finally:
                    await self._redis.delete(self._lock_key)
            if time.monotonic() > deadline:
                token, _ = await fetch()  # the refresher vanished: do not wait for ever
                return token
            await asyncio.sleep(0.2)


class WeChatApi:
    """Access token, customer-service text messages and the menu of one official account."""

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        api_base: str = DEFAULT_API_BASE,
        *,
        redis_url: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self.api_base = (api_base or DEFAULT_API_BASE).rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.cache: MemoryTokenCache | RedisTokenCache
        if redis_url:
            from redis import asyncio as aioredis

            client = aioredis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
            self.cache = RedisTokenCache(client, app_id)
        else:
            self.cache = MemoryTokenCache()
        self._session: aiohttp.ClientSession | None = None

    async def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def _fetch_token(self) -> tuple[str, float]:
        session = await self.session()
        params = {"grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret}
        async with session.get(f"{self.api_base}/cgi-bin/token", params=params) as answer:
            data = await answer.json(content_type=None)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not token:
            errcode = data.get("errcode") if isinstance(data, dict) else None
            raise WeChatApiError(f"no access token (errcode {errcode})", errcode)
        log.info("wechat: new access token, valid %ss", data.get("expires_in", 7200))
        return str(token), float(data.get("expires_in") or 7200)

    async def token(self, stale: str = "") -> str:
        current = await self.cache.get()
        if current and current != stale:
            return current
        return await self.cache.refresh(self._fetch_token, stale)

    async def call(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` to ``path`` with the access token; a rejected token is renewed once."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        token = await self.token()
        for attempt in (1, 2):
            session = await self.session()
            async with session.post(
                f"{self.api_base}{path}",
                params={"access_token": token},
                data=body,
                headers={"Content-Type": "application/json; charset=utf-8"},
            ) as answer:
                if answer.status >= 400:
                    raise WeChatApiError(f"HTTP {answer.status}")
                data = await answer.json(content_type=None)
            errcode = int(data.get("errcode") or 0) if isinstance(data, dict) else -1
            if errcode == 0:
                return data if isinstance(data, dict) else {}
            if errcode in INVALID_TOKEN and attempt == 1:
                token = await self.token(stale=token)
                continue
            raise WeChatApiError(f"errcode {errcode}: {data.get('errmsg', '')}", errcode)
        raise WeChatApiError("access token rejected twice")

    async def media(self, media_id: str, limit: int) -> bytes:
        """A temporary media file a citizen sent (an image's ``MediaId``; WeChat keeps it 3 days), at
        most ``limit`` bytes read; a rejected token is renewed once, other errors raise."""
        token = await self.token()
        for attempt in (1, 2):
            session = await self.session()
            params = {"access_token": token, "media_id": media_id}
            async with session.get(f"{self.api_base}/cgi-bin/media/get", params=params) as answer:
                if answer.status >= 400:
                    raise WeChatApiError(f"HTTP {answer.status}")
                data = b""
                async for chunk in answer.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) >= limit:
                        break
                if not answer.content_type.startswith(("application/json", "text/")):
                    return data  # the file itself
            try:
                reply = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise WeChatApiError("unreadable media answer") from None
            errcode = int(reply.get("errcode") or 0) if isinstance(reply, dict) else -1
            if errcode in INVALID_TOKEN and attempt == 1:
                token = await self.token(stale=token)
                continue
            raise WeChatApiError(f"media errcode {errcode}", errcode)
        raise WeChatApiError("access token rejected twice")

    async def send_text(self, openid: str, content: str) -> None:
        await self.call(
            "/cgi-bin/message/custom/send",
            {"touser": openid, "msgtype": "text", "text": {"content": content}},
        )

    async def create_menu(self, menu: dict[str, Any]) -> dict[str, Any]:
        return await self.call("/cgi-bin/menu/create", menu)
