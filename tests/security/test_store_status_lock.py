"""3a: the public status check cannot be brute-forced: failed attempts are counted per case code in
the database (shared by every store instance, the chat and the API), the code is locked after five
failures, even the right digits then get the polite "too many attempts" answer, and a success resets."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.fernet import Fernet

os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())

from bot.service.app import create_app  # noqa: E402
from bot.storage.store import IntakeRecord, TicketStore  # noqa: E402
from bot.tickets.deadlines import utcnow  # noqa: E402
from bot.tickets.messages import status_message  # noqa: E402
from bot.tickets.profiles import load_profile  # noqa: E402


@pytest.fixture(scope="module")
def profile():
    return load_profile()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'intake.db'}"
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def stores(db_url, profile):
    """Two store instances on one database: as the action server and the intake service."""
    a, b = TicketStore(db_url, profile), TicketStore(db_url, profile)
    yield a, b
    a.dispose()
    b.dispose()


def _record(sender="s-1"):
    return IntakeRecord(
        sender, "rest", "wage_arrears", "none", {"phone": "13912345678", "applicant_name": "张三"}, "欠薪"
    )


def test_five_failures_lock_the_code_for_every_instance(stores, profile):
    a, b = stores
    code = a.file_ticket(_record())["code"]
    now = utcnow()
    for i in range(4):
        assert (a if i % 2 else b).public_status(code, f"000{i}", now=now) is None
    locked = a.public_status(code, "0009", now=now)
    assert locked is not None and locked["locked"] is True
    # the right digits, through the other instance: still locked, same polite answer
    again = b.public_status(code, "5678", now=now + timedelta(minutes=1))
    assert again["locked"] is True and "status" not in again
    assert "尝试次数过多，请30分钟后再试" in again["message"] and profile.phone in again["message"]
    assert "尝试次数过多" in status_message(again, profile)  # what the chat says
    # after the lock has run out the right digits work again
    ok = a.public_status(code, "5678", now=now + timedelta(minutes=31))
    assert ok is not None and ok["code"] == code and not ok.get("locked")


def test_a_success_resets_the_count(stores):
    a, b = stores
    code = a.file_ticket(_record())["code"]
    for i in range(4):
        assert a.public_status(code, f"111{i}") is None
    assert b.public_status(code, "5678")["code"] == code
    for i in range(4):
        assert b.public_status(code, f"222{i}") is None
    assert a.public_status(code, "5678")["code"] == code


def test_unknown_codes_are_counted_too(stores):
    a, b = stores
    code = "140105-20000101-0001"
    for _ in range(4):
        assert a.public_status(code, "1234") is None
    assert b.public_status(code, "1234")["locked"] is True


async def test_public_api_answers_locked_across_ips(db_url, profile):
    store = TicketStore(db_url, profile)
    code = store.file_ticket(_record())["code"]
    app = create_app(store, staff_token="t", deliver_outbox=False, public_rate=(1000, 60.0))
    async with TestClient(TestServer(app)) as client:
        for i in range(5):
            resp = await client.post("/api/public/status", json={"code": code, "phone_last4": f"000{i}"})
            assert resp.status in (404, 429)
        # another process (the chat) shares the count: the right digits are refused too
        assert store.public_status(code, "5678")["locked"] is True
        resp = await client.post("/api/public/status", json={"code": code, "phone_last4": "5678"})
        body = await resp.json()
        assert resp.status == 429 and body["error"] == "locked"
        assert body["message"].startswith("尝试次数过多") and "Retry-After" in resp.headers
    store.dispose()
