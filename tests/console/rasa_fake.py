"""A stand-in for the Rasa HTTP API parts the live hand-off uses: a tracker per conversation, appending
events (token checked), running an action. Events are kept as Rasa keeps them (JSON dicts in order)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "rasa-test-token"


@dataclass
class FakeRasa:
    trackers: dict[str, dict[str, Any]] = field(default_factory=dict)
    executed: list[tuple[str, str]] = field(default_factory=list)

    def conversation(self, sender: str, *texts: str, slots: dict[str, Any] | None = None) -> None:
        """A conversation where the citizen said ``texts`` and asked for a person (the action paused it)."""
        events: list[dict[str, Any]] = []
        for text in texts:
            events.append({"event": "user", "text": text, "timestamp": time.time()})
            events.append({"event": "bot", "text": "好的。", "timestamp": time.time()})
        events.append({"event": "pause", "timestamp": time.time()})
        self.trackers[sender] = {"sender_id": sender, "events": events, "slots": dict(slots or {})}

    def citizen_says(self, sender: str, text: str) -> None:
        self.trackers[sender]["events"].append({"event": "user", "text": text, "timestamp": time.time()})

    def events(self, sender: str) -> list[dict[str, Any]]:
        return self.trackers[sender]["events"]

    def app(self) -> web.Application:
        async def check(request: web.Request) -> dict[str, Any]:
            if request.query.get("token") != TOKEN:
                raise web.HTTPUnauthorized()
            tracker = self.trackers.get(request.match_info["sender"])
            if tracker is None:
                self.trackers[request.match_info["sender"]] = tracker = {"events": [], "slots": {}}
            return tracker

        async def get_tracker(request: web.Request) -> web.Response:
            return web.json_response(await check(request))

        async def append(request: web.Request) -> web.Response:
            tracker = await check(request)
            body = await request.json()
            tracker["events"].extend(body if isinstance(body, list) else [body])
            return web.json_response(tracker)

        async def execute(request: web.Request) -> web.Response:
            tracker = await check(request)
            name = (await request.json())["name"]
            self.executed.append((request.match_info["sender"], name))
            question = {"event": "bot", "text": "一共涉及多少钱？", "timestamp": time.time()}
            tracker["events"] += [{"event": "action", "name": name, "timestamp": time.time()}, question]
            return web.json_response(
                {"tracker": tracker, "messages": [{"recipient_id": "x", "text": question["text"]}]}
            )

        app = web.Application()
        app.router.add_get("/conversations/{sender}/tracker", get_tracker)
        app.router.add_post("/conversations/{sender}/tracker/events", append)
        app.router.add_post("/conversations/{sender}/execute", execute)
        return app
