"""10: wrongly typed JSON fields on every POST endpoint of the API are 400 with the usual error body,
never a 500."""

from __future__ import annotations

import os

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.fernet import Fernet

os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())

from bot.service.app import create_app  # noqa: E402
from bot.storage.store import IntakeRecord, TicketStore  # noqa: E402
from bot.tickets.profiles import load_profile  # noqa: E402

ADMIN = {"Authorization": "Bearer admin-test-token"}
FILING = {
    "sender_id": "x-1",
    "channel": "rest",
    "category": "wage_arrears",
    "risk_level": "none",
    "facts": {"phone": "13912345678"},
}
BAD = [5, 1.5, True, ["a"], {"a": 1}]
CASES = (
    [
        ("/api/tickets", {**FILING, k: v})
        for k in ("sender_id", "channel", "category", "risk_level")
        for v in BAD
    ]
    + [("/api/tickets", {**FILING, "facts": v}) for v in (5, "abc", ["a"], True)]
    + [("/api/tickets", {**FILING, k: v}) for k in ("summary", "status", "idempotency_key") for v in BAD]
    + [("/api/tickets", {**FILING, "risk_reasons": v}) for v in ("abc", 5, [1, 2], [["a"]], {"a": 1})]
    + [("/api/tickets/{code}/status", {"status": v}) for v in BAD]
    + [("/api/tickets/{code}/status", {"status": "accepted", "note": v}) for v in BAD]
    + [("/api/tickets/{code}/notes", {"note": v}) for v in BAD]
    + [("/api/tickets/{code}/follow-up", {"satisfaction": v}) for v in ("abc", "4", 4.5, True, [4], None)]
    + [("/api/tickets/{code}/follow-up", {"satisfaction": 4, "note": v}) for v in BAD]
    + [("/api/public/status", {"code": v, "phone_last4": "5678"}) for v in BAD]
    + [("/api/public/status", {"code": "140105-20261201-0001", "phone_last4": v}) for v in BAD]
)


@pytest.fixture
async def env(tmp_path):
    store = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", load_profile())
    code = store.file_ticket(
        IntakeRecord("s-1", "rest", "wage_arrears", "none", {"phone": "13912345678"}, "欠薪")
    )["code"]
    store.change_status(code, "accepted", "t")
    store.change_status(code, "resolved", "t")
    app = create_app(store, staff_token="admin-test-token", deliver_outbox=False, public_rate=(1000, 60))
    async with TestClient(TestServer(app)) as client:
        yield client, code
    store.dispose()


@pytest.mark.parametrize(("path", "body"), CASES, ids=[f"{p}-{sorted(b.items())}"[:90] for p, b in CASES])
async def test_wrong_types_are_400(env, path, body):
    client, code = env
    resp = await client.post(path.format(code=code), headers=ADMIN, json=body)
    data = await resp.json()
    assert resp.status == 400, data
    assert set(data) == {"error", "message"} and data["error"] in ("invalid_input", "bad_json")


async def test_claim_with_a_non_object_body_is_400(env):
    client, code = env
    resp = await client.post(f"/api/tickets/{code}/claim", headers=ADMIN, json=["x"])
    assert resp.status == 400 and (await resp.json())["error"] == "bad_json"
