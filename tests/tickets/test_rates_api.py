"""``GET /api/stats/rates`` and ``/api/stats/board``: bearer token, scoped to the token's windows, shapes
as the OpenAPI document says, figures of the hand-made month (``rates_seed``)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from jsonschema import RefResolver
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker
from rates_seed import seed

from bot.service.app import create_app
from bot.service.openapi import openapi_document

ADMIN = {"Authorization": "Bearer admin-test-token"}
NOVEMBER = "from=2026-11-01&to=2026-11-30"


@pytest.fixture
async def client(sqlite_store):
    seed(sqlite_store)
    app = create_app(sqlite_store, staff_token="admin-test-token", deliver_outbox=False)
    async with TestClient(TestServer(app)) as c:
        yield c


async def _checked(resp: Any, path: str) -> Any:
    doc = openapi_document()
    body = await resp.json()
    schema = doc["paths"][path]["get"]["responses"][str(resp.status)]["content"]["application/json"]["schema"]
    validator = OAS30ReadValidator(
        schema, resolver=RefResolver.from_schema(doc), format_checker=oas30_format_checker
    )
    assert [e.message for e in validator.iter_errors(body)] == []
    return body


async def test_admin_gets_every_window_with_numerators_and_denominators(client):
    resp = await client.get(f"/api/stats/rates?{NOVEMBER}&by=window", headers=ADMIN)
    assert resp.status == 200
    body = await _checked(resp, "/api/stats/rates")
    groups = {g["key"]: g for g in body["groups"]}
    assert set(groups) == {"labor_inspection", "people_mediation"}
    labor = groups["labor_inspection"]["rates"]
    # closed, mediated, citizens' ratings and repeats do not depend on today's date
    assert (labor["closed"]["numerator"], labor["closed"]["denominator"]) == (2, 4)
    assert labor["mediated"]["value"] == 0.5
    assert labor["citizen_satisfaction"]["value"] == 0.5
    assert labor["repeat"]["value"] == 0.5
    assert groups["labor_inspection"]["supervisions"] == 5
    # D (filed 11-29 20:00 UTC) has been past its sign deadline since 11-30 20:00: signed late
    assert (labor["response"]["numerator"], labor["response"]["denominator"]) == (2, 4)
    assert body["definitions"][0]["numerator_text"] == "在签收时限内签收的案件"
    town = await _checked(
        await client.get(f"/api/stats/rates?{NOVEMBER}&by=town", headers=ADMIN), "/api/stats/rates"
    )
    assert {g["name"] for g in town["groups"]} == {"刘家堡乡", "小店区坞城街道", "北营街道", "未填写"}


async def test_a_window_token_sees_only_its_windows(client, sqlite_store):
    token, _ = sqlite_store.create_token("监察窗口", "window_staff", ["labor_inspection"])
    headers = {"Authorization": f"Bearer {token}"}
    body = await (await client.get(f"/api/stats/rates?{NOVEMBER}&by=mediator", headers=headers)).json()
    assert {g["name"] for g in body["groups"]} == {"王志强", "赵丽", "未指派"}  # not 张建国 (人民调解窗口)
    assert body["total"]["tickets"] == 4
    board = await _checked(await client.get("/api/stats/board", headers=headers), "/api/stats/board")
    assert set(board["by_window"]) == {"labor_inspection"}
    assert all(t["window"] == "labor_inspection" for t in board["tickets"])


async def test_bad_requests(client):
    assert (await client.get("/api/stats/rates")).status == 401
    resp = await client.get("/api/stats/rates?by=county", headers=ADMIN)
    assert resp.status == 400 and "by" in (await resp.json())["message"]
    assert (await client.get("/api/stats/rates?from=2026-13-01", headers=ADMIN)).status == 400
    resp = await client.get("/api/stats/rates?from=2026-11-30&to=2026-11-01", headers=ADMIN)
    assert resp.status == 400
    default = await (await client.get("/api/stats/rates", headers=ADMIN)).json()
    assert default["from"].endswith("-01") and default["by"] == "window"  # this month so far
