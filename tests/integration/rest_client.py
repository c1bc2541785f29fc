"""JSON over HTTP for the integration tests (standard library only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


def post_json(url: str, payload: dict, headers: dict | None = None) -> tuple[int, object]:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None
