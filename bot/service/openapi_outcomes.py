"""The OpenAPI parts of mediation outcomes: the ``outcome`` of the ticket JSON, the outcome request and
the documents (PDF); merged into ``bot.service.openapi``."""

from __future__ import annotations

from typing import Any

from bot.tickets.centers import DOCUMENT_KINDS
from bot.tickets.outcome import CONFIRMATION_RESULTS, METHODS, PAYMENT_STATUSES, RESULTS

_S = {"type": "string"}
_NS = {"type": "string", "nullable": True}
_DATE = {"type": "string", "format": "date"}
_TIME_N = {"type": "string", "format": "date-time", "nullable": True}
_NUM = {"type": "number"}


def _object(required: list[str], properties: dict[str, Any], nullable: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:  # OpenAPI 3.0: a "required" list may not be empty
        out["required"] = required
    if nullable:
        out["nullable"] = True
    return out


_PAYMENT_IN = _object(["due", "amount_yuan"], {"due": _DATE, "amount_yuan": _NUM})
TERMS = _object(
    ["text"],
    {
        "text": _S,
        "amount_yuan": {"type": "number", "nullable": True},
        "payments": {"type": "array", "items": _PAYMENT_IN},
        "obligations": _S,
        "payer": _S,
        "payee": _S,
        "payer_reminders": {"type": "boolean", "description": "付款方同意接收到期提醒"},
    },
)
OUTCOME_REQUEST = _object(
    ["result"],
    {
        "result": {"type": "string", "enum": list(RESULTS)},
        "terms": TERMS,
        "referral": _object(
            ["to"], {"to": {"type": "string", "description": "中心配置的转办去向代码"}, "note": _S}
        ),
        "counterparty": _object(
            [], {"name": _S, "id_number": {"type": "string", "description": "仅打印在协议书上"}}
        ),
    },
)
SESSION = _object(
    ["held_on", "method", "participants", "mediator"],
    {
        "id": {"type": "integer"},
        "held_on": _DATE,
        "place": _S,
        "method": {"type": "string", "enum": list(METHODS)},
        "method_name": _S,
        "participants": _S,
        "mediator": _S,
        "note": _NS,
        "recorded_by": _S,
    },
)
OUTCOME = _object(
    ["result", "terms", "referral", "judicial_confirmation", "payments", "performance", "documents"],
    {
        "result": {"type": "string", "enum": list(RESULTS)},
        "result_name": _S,
        "terms": {**TERMS, "nullable": True},
        "referral": _object(
            ["to", "to_name", "note", "at"], {"to": _S, "to_name": _S, "note": _S, "at": _TIME_N}, True
        ),
        "counterparty_name": _NS,
        "recorded_by": _S,
        "recorded_at": {"type": "string", "format": "date-time"},
        "judicial_confirmation": _object(
            ["court", "applied_on", "result", "ruling_no"],
            {
                "court": _S,
                "applied_on": _DATE,
                "result": {"type": "string", "enum": list(CONFIRMATION_RESULTS)},
                "result_name": _S,
                "ruling_no": _NS,
                "decided_on": {"type": "string", "format": "date", "nullable": True},
            },
            True,
        ),
        "payments": {
            "type": "array",
            "items": _object(
                ["id", "seq", "due", "amount_yuan", "status", "state"],
                {
                    "id": {"type": "integer"},
                    "seq": {"type": "integer"},
                    "due": _DATE,
                    "amount_yuan": _NUM,
                    "status": {"type": "string", "enum": list(PAYMENT_STATUSES)},
                    "state": {"type": "string", "enum": ["paid", "not_paid", "overdue", "due", "upcoming"]},
                    "marked_by": _NS,
                    "marked_at": _TIME_N,
                },
            ),
        },
        "performance": {
            "type": "string",
            "enum": ["on_track", "overdue", "fulfilled"],
            "nullable": True,
            "description": "履约：正常 / 逾期（案件回到待办队列）/ 已全部履行；无付款计划时为 null",
        },
        "performance_warning": _NS,
        "documents": {"type": "array", "items": {"type": "string", "enum": list(DOCUMENT_KINDS)}},
    },
    True,
)
_RATES = {
    "outcomes": {"type": "integer"},
    "agreements": {"type": "integer"},
    "success_rate": {"type": "number", "nullable": True},
    "judicial_confirmations": {"type": "integer"},
    "confirmation_rate": {"type": "number", "nullable": True},
    "payments_due": {"type": "integer"},
    "performance_rate": {"type": "number", "nullable": True},
}
_GROUP = {"type": "object", "additionalProperties": _object(list(_RATES), _RATES)}
MEDIATION_STATS = _object(
    [*_RATES, "by_result", "referrals_by_destination", "by_window", "by_mediator", "by_town"],
    {
        **_RATES,
        "by_result": {"type": "object", "additionalProperties": {"type": "integer"}},
        "judicial_confirmed": {"type": "integer"},
        "referrals_by_destination": {"type": "object", "additionalProperties": {"type": "integer"}},
        "by_window": _GROUP,
        "by_mediator": _GROUP,
        "by_town": _GROUP,
    },
)


def paths(code_param: dict[str, Any], errors: Any, resp: Any, ticket: dict[str, Any]) -> dict[str, Any]:
    return {
        "/api/tickets/{code}/outcome": {
            "post": {
                "summary": "记录调解结果（达成协议 / 部分达成 / 调解不成 / 撤回；协议内容、付款计划、转办）",
                "parameters": [code_param],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": OUTCOME_REQUEST}},
                },
                "responses": {
                    "200": resp("记录后的案件（含 outcome）", ticket),
                    **errors(400, 401, 403, 404, 413),
                },
            }
        },
        "/api/tickets/{code}/documents/{kind}.pdf": {
            "get": {
                "summary": "调解文书 PDF：人民调解协议书、司法确认申请书、转办函",
                "parameters": [
                    code_param,
                    {
                        "name": "kind",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": list(DOCUMENT_KINDS)},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "PDF 文书（身份证号仅见于协议书）",
                        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    **errors(401, 403),
                    "404": resp("案件不存在，或调解结果不需要该文书", {"$ref": "#/components/schemas/Error"}),
                },
            }
        },
    }
