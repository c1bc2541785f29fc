"""What the console shows of 督办 and repeat complaints: the ticket's 督办 records as rows, and its
earlier tickets ("此前反映N次") as links, each a link only when the viewer may open that ticket (a code
without details otherwise: scoping as for every other ticket)."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.service.console.auth import ConsoleUser
from bot.service.console.formatting import format_time
from bot.service.console.pages import store_of
from bot.tickets.labels import STAGE_NAMES

KIND_TEXT = {"near": "时限将至", "overdue": "已超时"}
BASIS_TEXT = {"phone": "同一手机号", "party": "同一申请人与对方"}


def supervision_rows(ticket: dict[str, Any], tz: Any) -> list[dict[str, str]]:
    """``[{"stage", "kind", "kind_name", "deadline", "at"}]`` newest first, times in the center's zone."""
    return [
        {
            "stage": STAGE_NAMES.get(s["stage"], s["stage"]),
            "kind": s["kind"],
            "kind_name": KIND_TEXT.get(s["kind"], s["kind"]),
            "deadline": format_time(s["deadline"], tz),
            "at": format_time(s["at"], tz),
        }
        for s in reversed(ticket.get("supervision") or [])
    ]


async def repeat_links(
    request: web.Request, user: ConsoleUser, ticket: dict[str, Any]
) -> list[dict[str, Any]]:
    """The earlier tickets, oldest first: ``{"code", "basis", "visible"}``."""
    earlier = ticket.get("repeat_of") or []
    if not earlier:
        return []
    targets = await asyncio.to_thread(store_of(request).link_targets, [e["code"] for e in earlier])
    return [
        {
            "code": e["code"],
            "basis": BASIS_TEXT.get(e["basis"], ""),
            "visible": e["code"] in targets and user.can_see(targets[e["code"]]),
        }
        for e in earlier
    ]
