"""JSON in and out for the service's API: replies keep Chinese readable (no ``\\u`` escapes) and every
error has the shape ``{"error": "<code>", "message": "<中文说明>"}`` the OpenAPI document describes."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def error(status: int, code: str, message: str, **headers: str) -> web.Response:
    return web.json_response(
        {"error": code, "message": message}, status=status, headers=headers or None, dumps=dumps
    )


def ok(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps)


def json_error(exc_type: type[web.HTTPException], code: str, message: str) -> web.HTTPException:
    """An aiohttp HTTP exception whose body is already our JSON error (the error middleware passes it)."""
    return exc_type(text=dumps({"error": code, "message": message}), content_type="application/json")


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object; 400 ``bad_json`` otherwise, 413 beyond ``client_max_size``."""
    body = await request.read()
    try:
        data = json.loads(body.decode("utf-8") if body else "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise json_error(web.HTTPBadRequest, "bad_json", "请求内容不是有效的 JSON") from None
    if not isinstance(data, dict):
        raise json_error(web.HTTPBadRequest, "bad_json", "请求内容须为 JSON 对象")
    return data


_TYPE_NAMES = {str: "字符串", int: "整数", dict: "对象", list: "数组"}


def field(data: dict[str, Any], name: str, kind: type, *, required: bool = False) -> Any:
    """``data[name]`` checked to be of ``kind`` (``int`` excludes booleans; a ``list`` must hold
    strings); None when absent or null and not ``required``. A wrong type is 400 ``invalid_input``
    (raised as the store's ``InvalidInput``), never a 500 further down."""
    from bot.tickets.records import InvalidInput

    value = data.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"缺少字段：{name}")
        return None
    wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
    if kind is list and not wrong:
        wrong = not all(isinstance(item, str) for item in value)
    if wrong:
        what = _TYPE_NAMES.get(kind, kind.__name__) + ("（元素为字符串）" if kind is list else "")
        raise InvalidInput(f"字段 {name} 须为{what}")
    return value
