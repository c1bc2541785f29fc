"""The OpenAPI parts of the rates per unit and the 红黄绿 board (``/api/stats/rates``,
``/api/stats/board``); merged into ``bot.service.openapi``. Rate keys and colours come from the modules
that define them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.tickets.centers import COLOURS
from bot.tickets.rates import GROUPINGS, definitions

_S = {"type": "string"}
_INT = {"type": "integer"}


def _object(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


_RATE = _object(
    ["numerator", "denominator", "value"],
    {"numerator": _INT, "denominator": _INT, "value": {"type": "number", "nullable": True}},
)


def _figures(extra: dict[str, Any]) -> dict[str, Any]:
    keys = [d.key for d in definitions().rates]
    return _object(
        ["tickets", "supervisions", "supervisions_overdue", "rates", *extra],
        {
            **extra,
            "tickets": _INT,
            "supervisions": _INT,
            "supervisions_overdue": _INT,
            "rates": _object(keys, {k: _RATE for k in keys}),
        },
    )


RATES = _object(
    ["by", "from", "to", "definitions", "total", "groups"],
    {
        "by": {"type": "string", "enum": list(GROUPINGS)},
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "definitions": {
            "type": "array",
            "items": _object(
                ["key", "name", "numerator", "denominator", "numerator_text", "denominator_text"],
                {
                    k: _S
                    for k in ("key", "name", "numerator", "denominator", "numerator_text", "denominator_text")
                },
            ),
        },
        "total": _figures({}),
        "groups": {"type": "array", "items": _figures({"key": _S, "name": _S})},
    },
)
_COLOUR = {"type": "string", "enum": list(COLOURS)}
BOARD = _object(
    ["colours", "total", "by_window", "tickets"],
    {
        "colours": {
            "type": "array",
            "items": _object(
                ["code", "name", "mark", "handler", "count"],
                {"code": _COLOUR, "name": _S, "mark": _S, "handler": _S, "count": _INT},
            ),
        },
        "total": _INT,
        "by_window": {
            "type": "object",
            "additionalProperties": {"type": "object", "additionalProperties": _INT},
        },
        "tickets": {
            "type": "array",
            "items": _object(
                ["code", "window", "risk_level", "status", "colour", "reason"],
                {
                    "code": _S,
                    "window": _S,
                    "category": _S,
                    "mediator_id": {"type": "string", "nullable": True},
                    "risk_level": _S,
                    "status": _S,
                    "colour": _COLOUR,
                    "reason": _S,
                    "next_stage": {"type": "string", "nullable": True},
                    "hours_left": {"type": "number", "nullable": True},
                },
            ),
        },
    },
)


def paths(errors: Callable[..., dict[str, Any]], resp: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    date_param = "日期 YYYY-MM-DD（按中心时区，含当天）；缺省为本月"
    return {
        "/api/stats/rates": {
            "get": {
                "summary": "考核指标（响应率、按时联系率、办结率、按时办结率、化解率、满意率、督办、重复投诉）",
                "description": "统计所选期间登记的案件，按主办窗口、调解员或乡镇分组；每项指标给出分子、分母和口径说明。"
                "管理员看全部，其他令牌只看其窗口为主办的案件。",
                "parameters": [
                    {
                        "name": "from",
                        "in": "query",
                        "schema": {"type": "string", "format": "date"},
                        "description": date_param,
                    },
                    {
                        "name": "to",
                        "in": "query",
                        "schema": {"type": "string", "format": "date"},
                        "description": date_param,
                    },
                    {
                        "name": "by",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(GROUPINGS), "default": "window"},
                    },
                ],
                "responses": {
                    "200": resp("考核指标", {"$ref": "#/components/schemas/Rates"}),
                    **errors(400, 401),
                },
            }
        },
        "/api/stats/board": {
            "get": {
                "summary": "红黄绿预警：在办案件的颜色、各色数量和各窗口分布",
                "responses": {"200": resp("看板", {"$ref": "#/components/schemas/Board"}), **errors(401)},
            }
        },
    }
