"""The intake service's background jobs (outbox delivery, 履约 reminders, the 督办 scheduler, hand-off
expiry): started with the service, cancelled and awaited when it stops, one mechanism for all."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiohttp import web


async def cancel(task: asyncio.Task[Any] | None) -> None:
    """Cancel a job and wait until it has stopped (a job that already ended is left as it is)."""
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def run_with_app(
    app: web.Application,
    key: web.AppKey[asyncio.Task[None]],
    job: Callable[[web.Application], Coroutine[Any, Any, None]],
    after_stop: Callable[[web.Application], Awaitable[None]] | None = None,
) -> None:
    """Run ``job(app)`` from the service's start to its stop (under ``key``); ``after_stop`` then
    releases what the job held."""

    async def start(app: web.Application) -> None:
        app[key] = asyncio.create_task(job(app))

    async def stop(app: web.Application) -> None:
        await cancel(app.get(key))
        if after_stop is not None:
            await after_stop(app)

    app.on_startup.append(start)  # type: ignore[arg-type]  # aiohttp 3.9 signal typing
    app.on_cleanup.append(stop)  # type: ignore[arg-type]
