"""JSON over HTTP for the integration tests (standard library only)."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request

from connectors.channels import senders


def widget_sender(label: str | None = None) -> str:
    """A conversation id the REST channel accepts (the widget's ``w-`` + 32 hex digits): random, or
    derived from ``label`` (any name a test gives a conversation) so a label keeps its conversation."""
    if label is None:
        return senders.new_widget_id()
    if senders.is_widget_id(label):
        return label
    return "w-" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:32]


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
