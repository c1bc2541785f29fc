"""Fixtures for the staff console: a store with accounts and tickets, and a logged-in client factory."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.fernet import Fernet

os.environ.setdefault("INTAKE_DATA_KEY", Fernet.generate_key().decode())
os.environ.pop("CENTER_WEBHOOK_URL", None)

from console_helpers import PASSWORD, login  # noqa: E402

from bot.service.app import create_app  # noqa: E402
from bot.service.console import CONSOLE_CONFIG  # noqa: E402
from bot.storage.store import TicketStore  # noqa: E402
from bot.tickets.centers import CenterProfile  # noqa: E402
from bot.tickets.profiles import load_profile


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Console tests create four accounts each and log in often; at the production scrypt cost that
    is most of their run time. The login flows do not depend on the cost, so hash at N=2**14 here
    (tests of the hashing itself set ``passwords.N`` back)."""
    from bot.storage import passwords

    monkeypatch.setattr(passwords, "N", 2**14)


@pytest.fixture(scope="session")
def profile() -> CenterProfile:
    return load_profile()


@pytest.fixture
def store(tmp_path, profile) -> Iterator[TicketStore]:
    s = TicketStore(f"sqlite:///{tmp_path / 'intake.db'}", profile)
    s.create_user("wang", PASSWORD, "王志强", "window_staff", ["labor_inspection"])
    s.create_user("zhao", PASSWORD, "赵敏", "window_staff", ["labor_arbitration"])
    s.create_user("li", PASSWORD, "李秀英", "mediator")
    s.create_user("boss", PASSWORD, "陈主任", "admin")
    yield s
    s.dispose()


@pytest.fixture
async def client(store) -> AsyncIterator[TestClient]:
    app = create_app(store, staff_token="admin-test-token", deliver_outbox=False)
    # the console reads RASA_URL at setup; point it at a closed port so tests never reach a real Rasa
    app[CONSOLE_CONFIG] = dataclasses.replace(
        app[CONSOLE_CONFIG], rasa_url="http://127.0.0.1:9", rasa_token=""
    )
    async with TestClient(TestServer(app)) as c:
        yield c


@pytest.fixture
def logged_in(client) -> Callable[[str], Awaitable[TestClient]]:
    async def _as(username: str) -> TestClient:
        resp = await login(client, username)
        assert resp.status == 303, await resp.text()
        return client

    return _as
