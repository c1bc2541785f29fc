"""The 督办 scheduler of the intake service: a task that, while this instance leads
(:class:`bot.storage.leader.Leadership`: a PostgreSQL advisory lock, or a file lock for SQLite), runs
``store.supervise`` every ``SUPERVISION_INTERVAL`` seconds (default: the profile's
``supervision.interval``, 5 minutes; 0 turns it off). Instances that do not lead try again each round,
so one takes over within an interval when the leader stops or dies. It is on when the service delivers
its outbox (the notices go out through it), like the 履约 reminders.
"""

from __future__ import annotations

import asyncio
import logging
import os

from aiohttp import web

from bot.service.state import STORE
from bot.service.tasks import run_with_app
from bot.storage.leader import Leadership

log = logging.getLogger(__name__)

SUPERVISOR_TASK: web.AppKey[asyncio.Task[None]] = web.AppKey("supervisor_task")
SUPERVISOR_INTERVAL: web.AppKey[float] = web.AppKey("supervisor_interval")
LEADERSHIP = web.AppKey("supervisor_leadership", Leadership)


async def _supervise_forever(app: web.Application) -> None:
    store, leadership, interval = app[STORE], app[LEADERSHIP], app[SUPERVISOR_INTERVAL]
    while True:
        try:
            await asyncio.to_thread(store.supervise_as, leadership)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the next round tries again
            log.error("督办 pass failed: %s", exc.__class__.__name__)
        await asyncio.sleep(interval)


async def _release(app: web.Application) -> None:
    leadership = app.get(LEADERSHIP)
    if leadership is not None:
        await asyncio.to_thread(leadership.release)  # another instance takes over at once


def setup_supervision(
    app: web.Application, *, interval: float | None = None, default_on: bool = True
) -> None:
    """Start the scheduler with the service when its interval (argument, else ``SUPERVISION_INTERVAL``,
    else the profile's when ``default_on``) is above 0."""
    if interval is None:
        env = os.environ.get("SUPERVISION_INTERVAL")
        profile_interval = app[STORE].profile.supervision.interval.total_seconds()
        interval = float(env) if env else (profile_interval if default_on else 0.0)
    if interval > 0:
        app[SUPERVISOR_INTERVAL] = interval
        app[LEADERSHIP] = Leadership(app[STORE].engine)
        run_with_app(app, SUPERVISOR_TASK, _supervise_forever, after_stop=_release)
