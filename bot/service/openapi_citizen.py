"""The OpenAPI parts of the citizen's side of the closed loop: the ticket JSON's ``citizen_rating`` and
``citizen_feedback``, 满意率 in the statistics, the widget's updates and the rating request; merged into
``bot.service.openapi``."""

from __future__ import annotations

from typing import Any

from bot.tickets.records import STATUSES

_S = {"type": "string"}
_NS = {"type": "string", "nullable": True}
_RATING = {"type": "integer", "minimum": 1, "maximum": 5}
_RATING_N = {**_RATING, "nullable": True}

# fields of the ticket JSON
TICKET_FIELDS: dict[str, Any] = {
    "citizen_rating": {
        **_RATING_N,
        "description": "群众办结后自评（1–5），未评为 null；回访满意度见 follow_up",
    },
    "citizen_feedback": {
        "type": "object",
        "required": ["rating", "comment", "at", "revisit_due"],
        "properties": {
            "rating": _RATING_N,
            "comment": _NS,
            "at": {"type": "string", "format": "date-time", "nullable": True},
            "revisit_due": {"type": "boolean", "description": "评1–2分且其后尚未回访：差评待回访"},
        },
    },
}
_RATE = {
    "type": "object",
    "required": ["count", "satisfied", "rate", "average"],
    "properties": {
        "count": {"type": "integer"},
        "satisfied": {"type": "integer", "description": "评4–5分的次数"},
        "rate": {"type": "number", "nullable": True},
        "average": {"type": "number", "nullable": True},
    },
}
# fields of the statistics
STATS_FIELDS: dict[str, Any] = {
    "satisfaction_rate": {
        "type": "object",
        "required": ["citizen", "staff"],
        "properties": {"citizen": _RATE, "staff": _RATE},
        "description": "满意率：群众自评与工作人员回访分开统计",
    },
    "by_citizen_rating": {"type": "object", "additionalProperties": {"type": "integer"}},
}
_UPDATE = {
    "type": "object",
    "required": ["sender_id", "code", "status", "status_name", "updated_at", "can_rate", "citizen_rating"],
    "properties": {
        "sender_id": _S,
        "code": _S,
        "status": {"type": "string", "enum": list(STATUSES)},
        "status_name": _S,
        "updated_at": {"type": "string", "format": "date-time"},
        "can_rate": {"type": "boolean"},
        "citizen_rating": _RATING_N,
    },
}
_RATED = {
    "type": "object",
    "required": ["code", "citizen_rating", "revisit", "message"],
    "properties": {"code": _S, "citizen_rating": _RATING, "revisit": {"type": "boolean"}, "message": _S},
}


def paths(errors: Any, resp: Any) -> dict[str, Any]:
    return {
        "/api/public/updates": {
            "get": {
                "summary": "网页对话登记的案件及其进度（网页组件“您的案件有新进展”）",
                "security": [],
                "parameters": [
                    {
                        "name": "sender_id",
                        "in": "query",
                        "required": True,
                        "schema": {
                            "type": "array",
                            "items": {"type": "string", "pattern": "^w-[0-9a-f]{32}$"},
                        },
                        "style": "form",
                        "explode": True,
                        "description": "网页组件的会话编号（可重复，最多6个）",
                    }
                ],
                "responses": {
                    "200": resp(
                        "案件进度",
                        {
                            "type": "object",
                            "required": ["updates", "texts"],
                            "properties": {
                                "updates": {"type": "array", "items": _UPDATE},
                                "texts": {"type": "object", "additionalProperties": _S},
                            },
                        },
                    ),
                    **errors(429),
                },
            }
        },
        "/api/public/rating": {
            "post": {
                "summary": "群众办结后评价（1–5 分，可附意见）：网页会话编号，或受理编号+手机号后四位",
                "security": [],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["code", "rating"],
                                "properties": {
                                    "code": _S,
                                    "rating": _RATING,
                                    "comment": _S,
                                    "sender_id": _S,
                                    "phone_last4": _S,
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": resp("已评价", _RATED),
                    **errors(400, 404, 409, 413, 429),
                },
            }
        },
    }
