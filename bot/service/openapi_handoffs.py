"""The OpenAPI parts of live 转人工 (``/api/handoffs…``); merged into ``bot.service.openapi``."""

from __future__ import annotations

from typing import Any

from bot.storage.handoffs import REASONS

_NS = {"type": "string", "nullable": True}
_TIME_N = {"type": "string", "format": "date-time", "nullable": True}
STATES = ["waiting", "taken", "released", "expired", "closed"]

HANDOFF = {
    "type": "object",
    "required": ["sender_id", "channel", "since", "summary", "ticket_code", "state", "taken_by"],
    "properties": {
        "sender_id": {"type": "string", "description": "Rasa 会话编号"},
        "channel": {"type": "string"},
        "since": {"type": "string", "format": "date-time", "description": "开始等待人工的时间"},
        "summary": {"type": "string", "description": "目前为止的登记摘要（非管理员电话打码）"},
        "ticket_code": _NS,
        "state": {"type": "string", "enum": STATES},
        "reason": {"type": "string", "enum": list(REASONS)},
        "paused": {"type": "boolean", "description": "助手是否已暂停（紧急情况在接入前不暂停）"},
        "taken_by": _NS,
        "taken_at": _TIME_N,
        "ended_at": _TIME_N,
    },
}

_SENDER = {"name": "sender_id", "in": "path", "required": True, "schema": {"type": "string"}}


def paths(errors: Any, resp: Any) -> dict[str, Any]:
    unavailable = resp("对话服务（Rasa）暂时不可用", {"$ref": "#/components/schemas/Error"})

    def step(summary: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        op: dict[str, Any] = {
            "summary": summary,
            "parameters": [_SENDER],
            "responses": {
                "200": resp("转人工记录", HANDOFF),
                **errors(400, 401, 403, 404, 409),
                "503": unavailable,
            },
        }
        if body is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        return {"post": op}

    return {
        "/api/handoffs": {
            "get": {
                "summary": "等待人工及已接入的对话（按窗口范围，等待最久在前）",
                "responses": {
                    "200": resp(
                        "对话列表",
                        {
                            "type": "object",
                            "required": ["handoffs"],
                            "properties": {"handoffs": {"type": "array", "items": HANDOFF}},
                        },
                    ),
                    **errors(401),
                },
            }
        },
        "/api/handoffs/{sender_id}/take": step("接入对话（助手暂停，群众收到接入提示）"),
        "/api/handoffs/{sender_id}/messages": step(
            "给群众发消息（存入 Rasa 对话记录，署工作人员姓名；热线以短信送达）",
            {
                "type": "object",
                "required": ["text"],
                "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 1000}},
            },
        ),
        "/api/handoffs/{sender_id}/release": step("交回智能助手（从登记中断处继续）"),
        "/api/handoffs/{sender_id}/close": step("结束对话（群众收到受理编号，助手恢复应答）"),
    }
