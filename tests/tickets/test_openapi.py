"""The OpenAPI document the service serves is a valid OpenAPI 3.0 document, and what the service really
answers matches it: each response below is checked against the response schema the document gives for
its path, method and status (``nullable`` and formats as OpenAPI 3.0 reads them)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import RefResolver
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from openapi_spec_validator import validate_spec

from bot.service.app import create_app
from bot.service.openapi import openapi_document
from bot.storage.store import IntakeRecord

ADMIN = {"Authorization": "Bearer admin-test-token"}


@pytest.fixture
async def client(sqlite_store):
    app = create_app(
        sqlite_store, staff_token="admin-test-token", deliver_outbox=False, public_rate=(5, 60.0)
    )
    async with TestClient(TestServer(app)) as c:
        yield c


def test_the_document_is_valid_openapi_3() -> None:
    validate_spec(openapi_document())


async def _check(resp: Any, path: str, method: str, doc: dict[str, Any]) -> Any:
    """The response's JSON, after checking it against the document's schema for it."""
    body = await resp.json()
    responses = doc["paths"][path][method]["responses"]
    assert str(resp.status) in responses, f"{method.upper()} {path} answered {resp.status}, undocumented"
    schema = responses[str(resp.status)]["content"]["application/json"]["schema"]
    validator = OAS30ReadValidator(
        schema, resolver=RefResolver.from_schema(doc), format_checker=oas30_format_checker
    )
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
    assert errors == [], f"{method.upper()} {path} ({resp.status})"
    return body


async def test_responses_match_the_document(client, sqlite_store) -> None:
    doc = await (await client.get("/api/openapi.json")).json()
    assert doc == openapi_document()  # what is served is what is validated
    wage = sqlite_store.file_ticket(
        IntakeRecord(
            "wx-1",
            "web",
            "wage_arrears",
            "urgent",
            {
                "phone": "13912345678",
                "applicant_name": "张三",
                "counterparty": "包工头",
                "amount_yuan": 5000,
                "headcount": 3,
            },
            "欠薪",
            risk_reasons=("扬言堵路",),
        )
    )
    sqlite_store.file_ticket(
        IntakeRecord(
            "wx-2", "web", "family", "none", {"phone": "13800001111"}, "赡养纠纷", status="awaiting_staff"
        )
    )
    code = wage["code"]
    sqlite_store.claim(code, "李四")
    sqlite_store.change_status(code, "resolved", "李四", "已调解")
    sqlite_store.follow_up(code, 5, "满意", "李四")

    ticket = await _check(
        await client.get(f"/api/tickets/{code}", headers=ADMIN), "/api/tickets/{code}", "get", doc
    )
    assert ticket["follow_up"]["satisfaction"] == 5 and ticket["route"]["secondary_windows"]
    await _check(
        await client.get("/api/tickets/140105-20000101-9999", headers=ADMIN),
        "/api/tickets/{code}",
        "get",
        doc,
    )
    await _check(await client.get(f"/api/tickets/{code}"), "/api/tickets/{code}", "get", doc)

    listed = await _check(await client.get("/api/tickets", headers=ADMIN), "/api/tickets", "get", doc)
    assert len(listed["tickets"]) == 2
    await _check(await client.get("/api/tickets?status=nope", headers=ADMIN), "/api/tickets", "get", doc)

    stats = await _check(await client.get("/api/stats", headers=ADMIN), "/api/stats", "get", doc)
    assert stats["total"] == 2
    await _check(await client.get("/api/stats?from=x", headers=ADMIN), "/api/stats", "get", doc)

    status = await _check(
        await client.post("/api/public/status", json={"code": code, "phone_last4": "5678"}),
        "/api/public/status",
        "post",
        doc,
    )
    assert status["code"] == code
    await _check(
        await client.post("/api/public/status", json={"code": code, "phone_last4": "0000"}),
        "/api/public/status",
        "post",
        doc,
    )
    await _check(await client.post("/api/public/status", data=b"{"), "/api/public/status", "post", doc)

    await _check(await client.get("/health"), "/health", "get", doc)
