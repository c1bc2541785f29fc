"""Rasa's HTTP API as the intake service calls it (the hand-off relay, 代填's parse, a ticket's
transcript): one connection pool per Rasa address and token, opened on first use and closed with the
application, instead of a new client session for every call."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from aiohttp import web


class RasaApi:
    """``call`` returns (status, JSON body); it raises aiohttp / timeout errors for the caller to map."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url.rstrip("/"), token
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def call(
        self, method: str, path: str, *, timeout: float, body: Any = None, **params: str
    ) -> tuple[int, Any]:
        if self.token:
            params["token"] = self.token
        async with self._client().request(
            method,
            f"{self.url}/{path.lstrip('/')}",
            json=body,
            params=params,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as resp:
            if resp.status != 200:
                return resp.status, None
            return resp.status, await resp.json(content_type=None)

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


RASA_APIS: web.AppKey[dict[tuple[str, str], RasaApi]] = web.AppKey("rasa_apis", dict)
CALL_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, ValueError)


def setup_rasa_api(app: web.Application) -> None:
    app[RASA_APIS] = {}

    async def close_all(app: web.Application) -> None:
        for api in app[RASA_APIS].values():
            await api.close()

    app.on_cleanup.append(close_all)  # type: ignore[arg-type]


def rasa_api(app: web.Application, url: str, token: str) -> RasaApi:
    """The application's client for this Rasa (the console's ``RASA_URL`` and ``RASA_TOKEN``)."""
    apis = app[RASA_APIS]
    key = (url.rstrip("/"), token)
    if key not in apis:
        apis[key] = RasaApi(*key)
    return apis[key]
