"""The cluster the fault tests run against, and a citizen in the web widget talking to it."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.cluster.faults import FlakyReceiver, RedisServer, TcpProxy
from tools.cluster import Cluster

STAFF_TOKEN = "cluster-staff-token"


@dataclass
class Running:
    cluster: Cluster
    pg: TcpProxy
    redis: RedisServer
    receiver: FlakyReceiver
    direct_db: str  # this run's database, not through the proxy (for the tests' own reads)
    said: dict[str, list[str]] = field(default_factory=dict)  # sender -> texts answered 200

    @property
    def url(self) -> str:
        return self.cluster.settings.url

    def rasa(self, index: int) -> str:
        s = self.cluster.instances[index].settings
        return f"http://{s.host}:{s.rasa_port}"

    def tracker(self, sender: str, index: int = 0) -> list[dict]:
        """The conversation's events as an instance's Rasa reads them from PostgreSQL."""
        token = self.cluster.instances[index].settings.rasa_token
        url = f"{self.rasa(index)}/conversations/{sender}/tracker?token={token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())["events"]


def post(url: str, payload: dict, headers: dict | None = None, timeout: float = 60) -> tuple[int, Any, Any]:
    """(status, JSON body or None, headers) of a POST; a dead connection is status 0."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        return error.code, parsed, error.headers
    except (urllib.error.URLError, OSError):
        return 0, None, {}


def widget_chat(
    running: Running, served: list[str] | None = None, tries: int = 15
) -> Callable[[str, str], list[str]]:
    """A citizen in the web widget talking through the balancer: a message that fails (an instance
    died under it, Redis or the database went away) is sent again, as the widget's retry button does."""

    def send(sender: str, message: str) -> list[str]:
        for _ in range(tries):
            status, replies, headers = post(
                f"{running.url}/webhooks/rest/webhook", {"sender": sender, "message": message}
            )
            if status == 200:
                running.said.setdefault(sender, []).append(message)
                if served is not None:
                    served.append(headers.get("X-Served-By", ""))
                return [r.get("text", "") for r in replies]  # type: ignore[union-attr]
            time.sleep(1.0)
        raise AssertionError(f"no answer to {message!r} after {tries} tries (last status {status})")

    return send
