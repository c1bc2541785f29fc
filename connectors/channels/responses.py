"""JSON answers of the channels' webhooks, Chinese left readable (not ``\\uXXXX``)."""

from __future__ import annotations

import json
from typing import Any

from sanic import response
from sanic.response import HTTPResponse


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def json_error(
    status: int, code: str, message: str, *, headers: dict[str, str] | None = None, **extra: str
) -> HTTPResponse:
    """``{"error": code, "message": message, **extra}`` with ``status``."""
    body = {"error": code, "message": message, **extra}
    return response.json(body, status=status, headers=headers, dumps=dumps)
