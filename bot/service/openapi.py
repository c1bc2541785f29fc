"""OpenAPI 3 description of the intake service, served at ``GET /api/openapi.json``.

Enumerations (statuses, risk levels, tiers, stages, categories) come from the modules that define them, so
the document cannot drift from the code; tests/tickets/test_openapi.py validates it against the OpenAPI
3.0 specification and checks real responses against its response schemas.
"""

from __future__ import annotations

from typing import Any

from bot.service import openapi_citizen, openapi_handoffs, openapi_outcomes, openapi_rates
from bot.taxonomy import categories
from bot.tickets.centers import RISK_LEVELS, STAGES
from bot.tickets.labels import TIER_NAMES
from bot.tickets.records import STATUSES

_ERROR = {"$ref": "#/components/schemas/Error"}
_TICKET = {"$ref": "#/components/schemas/Ticket"}
_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": "string", "nullable": True}
_TIME = {"type": "string", "format": "date-time"}
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}


def _object(required: tuple[str, ...] | list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": properties}


_CENTER = _object(
    ("name", "address", "hours", "phone"),
    {"name": _STRING, "address": _STRING, "hours": _STRING, "phone": _STRING},
)
_SECONDARY_WINDOW = _object(
    ("window", "window_name", "room", "rule", "reason"),
    {"window": _STRING, "window_name": _STRING, "room": _STRING, "rule": _STRING, "reason": _STRING},
)
_HISTORY_ENTRY = _object(
    ("at", "actor", "kind", "from_status", "to_status", "note"),
    {
        "at": _TIME,
        "actor": _STRING,
        "kind": _STRING,
        "from_status": _NULLABLE_STRING,
        "to_status": _NULLABLE_STRING,
        "note": _NULLABLE_STRING,
    },
)
_SUPERVISION = _object(
    ("stage", "kind", "deadline", "at"),
    {
        "stage": {"type": "string", "enum": list(STAGES)},
        "kind": {"type": "string", "enum": ["near", "overdue"]},
        "deadline": _TIME,
        "at": _TIME,
    },
)
_REPEAT = _object(
    ("code", "basis"),
    {"code": _STRING, "basis": {"type": "string", "enum": ["phone", "party"]}},
)
# 代填 (issue 20): staff who filed for the citizen (API or console), null when the bot filed
_FILED_BY = {
    **_object(
        ("id", "name", "role"),
        {
            "id": _STRING,
            "name": _STRING,
            "role": _STRING,
            "area": _NULLABLE_STRING,
            "consent_method": {**_NULLABLE_STRING, "enum": ["oral", "signed", "phone", "guardian", None]},
        },
    ),
    "nullable": True,
}
_EVIDENCE_RECEIPT = _object(
    ("id", "media_type", "size", "attached", "message"),
    {
        "id": _STRING,
        "media_type": {"type": "string", "enum": ["image/jpeg", "image/png", "application/pdf"]},
        "size": {"type": "integer"},
        "attached": {"type": "boolean"},
        "message": _STRING,
    },
)
_PUBLIC_STATUS = _object(
    ("code", "category_name", "status", "status_name", "window", "window_name", "room", "created_at"),
    {
        "code": _STRING,
        "category_name": _STRING,
        "status": {"type": "string", "enum": list(STATUSES)},
        "status_name": _STRING,
        "window": _STRING,
        "window_name": _STRING,
        "room": _STRING,
        "created_at": _TIME,
        "updated_at": _TIME,
        "materials": {"type": "array", "items": _STRING},
        "center": _CENTER,
        "citizen_rating": openapi_citizen.TICKET_FIELDS["citizen_rating"],
    },
)
_STATS = _object(
    ("total", "by_category", "by_town", "by_channel", "by_status", "by_risk", "by_window", "overdue"),
    {
        "total": {"type": "integer"},
        **{k: _COUNTS for k in ("by_category", "by_town", "by_channel", "by_status", "by_risk", "by_window")},
        **{k: _COUNTS for k in ("by_satisfaction", "by_week")},
        "overdue": {"type": "integer"},
        "mediation": openapi_outcomes.MEDIATION_STATS,
        "avg_hours_to_accept": {"type": "number", "nullable": True},
        "avg_hours_to_close": {"type": "number", "nullable": True},
        "satisfaction": _object(
            ("average", "count"),
            {"average": {"type": "number", "nullable": True}, "count": {"type": "integer"}},
        ),
        **openapi_citizen.STATS_FIELDS,
    },
)
_HEALTH = _object(
    ("status", "db", "service"),
    {
        "status": {"type": "string", "enum": ["ok", "error"]},
        "db": {"type": "boolean"},
        "service": _STRING,
        "outbox": _COUNTS,
    },
)


def _resp(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if schema is not None:
        out["content"] = {"application/json": {"schema": schema}}
    return out


def _errors(*codes: int) -> dict[str, Any]:
    names = {
        400: "请求有误（含无效 JSON）",
        401: "缺少或无效的令牌",
        403: "无权访问",
        404: "不存在",
        409: "状态流转不允许",
        413: "请求内容过大",
        429: "请求过于频繁",
    }
    return {str(c): _resp(names[c], _ERROR) for c in codes}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


_CODE_PARAM = {
    "name": "code",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "受理编号，如 140105-20261123-0007",
}


def openapi_document() -> dict[str, Any]:
    ticket_ops = _errors(401, 403, 404)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "综治中心智能受理助手 · 受理服务",
            "version": "1.0.0",
            "description": "工作人员接口需要 Authorization: Bearer <令牌>；群众凭受理编号和手机号后四位查询进度。",
        },
        "servers": [{"url": "http://127.0.0.1:5080"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                },
                "PublicStatus": _PUBLIC_STATUS,
                "Stats": _STATS,
                "Health": _HEALTH,
                "Outcome": openapi_outcomes.OUTCOME,
                "Rates": openapi_rates.RATES,
                "Board": openapi_rates.BOARD,
                "Ticket": {
                    "type": "object",
                    "required": [
                        "code",
                        "sender_id",
                        "channel",
                        "category",
                        "status",
                        "risk_level",
                        "route",
                        "facts",
                        "summary",
                        "created_at",
                        "deadlines",
                    ],
                    "properties": {
                        "code": {"type": "string", "pattern": r"^\d{6}-\d{8}-\d{4,}$"},
                        "sender_id": {"type": "string"},
                        "channel": {"type": "string"},
                        "category": {"type": "string", "enum": sorted(categories())},
                        "category_name": _STRING,
                        "sub_type": {
                            "type": "string",
                            "nullable": True,
                            "description": "子类（bot/intake/subtypes.yml 的代码），如 labor 的 injury",
                        },
                        "status": {"type": "string", "enum": list(STATUSES)},
                        "status_name": _STRING,
                        "risk_level": {"type": "string", "enum": list(RISK_LEVELS)},
                        "risk_reasons": {"type": "array", "items": {"type": "string"}},
                        "route": {
                            "type": "object",
                            "required": ["window", "window_name", "mediator", "tier"],
                            "properties": {
                                "window": {"type": "string"},
                                "window_name": {"type": "string"},
                                "room": {"type": "string"},
                                "mediator": {"type": "string", "nullable": True},
                                "mediator_id": {"type": "string", "nullable": True},
                                "tier": {"type": "string", "enum": list(TIER_NAMES)},
                                "secondary_windows": {"type": "array", "items": _SECONDARY_WINDOW},
                                "reasons": {"type": "array", "items": {"type": "string"}},
                                "duty_officer": {"type": "object", "nullable": True},
                            },
                        },
                        "facts": {
                            "type": "object",
                            "properties": {
                                "applicant_name": {"type": "string", "nullable": True},
                                "phone": {"type": "string", "nullable": True},
                                "amount_yuan": {"type": "number", "nullable": True},
                                "headcount": {"type": "integer", "nullable": True},
                                "counterparty": {"type": "string", "nullable": True},
                                "location": {"type": "string", "nullable": True},
                                "period": {"type": "string", "nullable": True},
                                "evidence": {"type": "string", "nullable": True},
                                "demand": {"type": "string", "nullable": True},
                                "tried_before": {"type": "string", "nullable": True},
                            },
                            "additionalProperties": True,
                        },
                        "summary": {"type": "string"},
                        "materials": {"type": "array", "items": {"type": "string"}},
                        "created_at": {"type": "string", "format": "date-time"},
                        "updated_at": {"type": "string", "format": "date-time"},
                        "deadlines": {
                            "type": "object",
                            "properties": {s: {"type": "string", "format": "date-time"} for s in STAGES},
                        },
                        "overdue": {"type": "boolean"},
                        "overdue_stages": {
                            "type": "array",
                            "items": {"type": "string", "enum": list(STAGES)},
                        },
                        "overdue_warning": _NULLABLE_STRING,
                        "assignee": _NULLABLE_STRING,
                        "assignee_id": _NULLABLE_STRING,
                        "follow_up": _object(
                            ("satisfaction", "note", "at"),
                            {
                                "satisfaction": {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": 5,
                                    "nullable": True,
                                },
                                "note": _NULLABLE_STRING,
                                "at": {"type": "string", "format": "date-time", "nullable": True},
                            },
                        ),
                        **openapi_citizen.TICKET_FIELDS,  # citizen_rating, citizen_feedback
                        "transcript_ref": {"type": "object", "nullable": True},
                        "filed_by": _FILED_BY,
                        "center": _CENTER,
                        "supervision": {
                            "type": "array",
                            "description": "督办记录：时限将至（near）或已超时（overdue），每个环节各一次",
                            "items": _SUPERVISION,
                        },
                        "repeat_count": {
                            "type": "integer",
                            "minimum": 0,
                            "description": "登记时关联到的此前案件数（同一手机号，或同一申请人与对方）",
                        },
                        "repeat_of": {"type": "array", "items": _REPEAT},
                        "mediation_sessions": {"type": "array", "items": openapi_outcomes.SESSION},
                        "outcome": {"$ref": "#/components/schemas/Outcome"},
                        "history": {"type": "array", "items": _HISTORY_ENTRY},
                    },
                },
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/health": {
                "get": {
                    "summary": "运行状态（含数据库）",
                    "security": [],
                    "responses": {
                        "200": _resp("正常", {"$ref": "#/components/schemas/Health"}),
                        "503": _resp("数据库不可用", {"$ref": "#/components/schemas/Health"}),
                    },
                }
            },
            "/api/tickets": {
                "get": {
                    "summary": "案件列表（最新在前，电话打码）",
                    "parameters": [
                        {"name": n, "in": "query", "schema": {"type": "string"}}
                        for n in (
                            "sender_id",
                            "window",
                            "status",
                            "risk",
                            "category",
                            "overdue",
                            "supervised",
                            "from",
                            "to",
                            "limit",
                            "offset",
                        )
                    ],
                    "responses": {
                        "200": _resp(
                            "案件列表",
                            {
                                "type": "object",
                                "required": ["tickets"],
                                "properties": {"tickets": {"type": "array", "items": _TICKET}},
                            },
                        ),
                        **_errors(400, 401, 403),
                    },
                },
                "post": {
                    "summary": "登记案件（中心业务系统或窗口人员）",
                    "requestBody": _body(
                        {
                            "type": "object",
                            "required": ["sender_id", "channel", "category", "risk_level", "facts"],
                            "properties": {
                                "consent_method": {
                                    "type": "string",
                                    "enum": ["oral", "signed", "phone", "guardian"],
                                    "description": "网格员代填必填：当事人同意的方式（网格员的登记渠道总是 grid）",
                                }
                            },
                        }
                    ),
                    "responses": {"201": _resp("已登记", _TICKET), **_errors(400, 401, 403, 413)},
                },
            },
            "/api/tickets/{code}": {
                "get": {
                    "summary": "查看案件",
                    "parameters": [_CODE_PARAM],
                    "responses": {"200": _resp("案件", _TICKET), **ticket_ops},
                }
            },
            "/api/tickets/{code}/status": {
                "post": {
                    "summary": "变更状态",
                    "parameters": [_CODE_PARAM],
                    "requestBody": _body(
                        {
                            "type": "object",
                            "required": ["status"],
                            "properties": {"status": {"type": "string"}, "note": {"type": "string"}},
                        }
                    ),
                    "responses": {"200": _resp("变更后的案件", _TICKET), **ticket_ops, **_errors(400, 409)},
                }
            },
            "/api/tickets/{code}/claim": {
                "post": {
                    "summary": "签收案件",
                    "parameters": [_CODE_PARAM],
                    "responses": {"200": _resp("签收后的案件", _TICKET), **ticket_ops, **_errors(409)},
                }
            },
            "/api/tickets/{code}/notes": {
                "post": {
                    "summary": "添加备注",
                    "parameters": [_CODE_PARAM],
                    "requestBody": _body(
                        {"type": "object", "required": ["note"], "properties": {"note": {"type": "string"}}}
                    ),
                    "responses": {"200": _resp("案件", _TICKET), **ticket_ops, **_errors(400)},
                }
            },
            "/api/tickets/{code}/follow-up": {
                "post": {
                    "summary": "回访（满意度 1-5）",
                    "parameters": [_CODE_PARAM],
                    "requestBody": _body(
                        {
                            "type": "object",
                            "required": ["satisfaction"],
                            "properties": {
                                "satisfaction": {"type": "integer", "minimum": 1, "maximum": 5},
                                "note": {"type": "string"},
                            },
                        }
                    ),
                    "responses": {"200": _resp("案件", _TICKET), **ticket_ops, **_errors(400, 409)},
                }
            },
            **openapi_outcomes.paths(_CODE_PARAM, _errors, _resp, _TICKET),
            **openapi_handoffs.paths(_errors, _resp),
            **openapi_citizen.paths(_errors, _resp),
            "/api/stats": {
                "get": {
                    "summary": "统计（类别、乡镇、渠道、状态、超时、满意度）",
                    "responses": {
                        "200": _resp("统计", {"$ref": "#/components/schemas/Stats"}),
                        **_errors(400, 401),
                    },
                }
            },
            **openapi_rates.paths(_errors, _resp),
            "/api/public/evidence": {
                "post": {
                    "summary": "群众在网页对话中上传证据（照片 JPG/PNG/WebP 或 PDF；按内容识别类型，去除照片位置信息）",
                    "security": [],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": _object(
                                    ("sender", "file"),
                                    {"sender": _STRING, "file": {"type": "string", "format": "binary"}},
                                )
                            }
                        },
                    },
                    "responses": {
                        "201": _resp("已收到", _EVIDENCE_RECEIPT),
                        **_errors(400, 413, 429),
                    },
                }
            },
            "/api/public/status": {
                "post": {
                    "summary": "群众查询办理进度",
                    "security": [],
                    "requestBody": _body(
                        {
                            "type": "object",
                            "required": ["code", "phone_last4"],
                            "properties": {"code": {"type": "string"}, "phone_last4": {"type": "string"}},
                        }
                    ),
                    "responses": {
                        "200": _resp("办理进度", {"$ref": "#/components/schemas/PublicStatus"}),
                        **_errors(400, 404, 413, 429),
                    },
                }
            },
        },
    }
