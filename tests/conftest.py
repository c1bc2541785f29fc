"""The real stack (action server, Rasa with the REST and hotline channels, intake service) on spare
ports, started once per test session and shared by the integration, channel and console tests;
plus a fake SMS gateway that receives the hotline's callbacks, and fresh PostgreSQL schemas for the
tests of the production path (``pg_url``, ``pg_schema_url``, ``redis_url``)."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.channels.helpers import HOTLINE_SECRET, SENDER_ID_KEY, STAFF_TOKEN, Callback, FakeGateway
from tools.stack import Stack, StackSettings, free_port, patched_environ
from tools.training import latest_model

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _gateway_handler(gateway: FakeGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            message_id = str(json.loads(body or b"{}").get("in_reply_to") or "")
            with gateway.lock:
                earlier = [c for c in gateway.received if c.json.get("in_reply_to") == message_id]
                status = 500 if message_id.startswith("flaky-") and not earlier else 200
                gateway.received.append(Callback(dict(self.headers.items()), body, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="session", autouse=True)
def risk_model() -> None:
    """The trained risk opinion as ``make train`` leaves it, so a test run from a fresh checkout
    screens as the product does (the product itself only reads the model, never fits it)."""
    from bot.risk.engine import build_default_model, default_model

    with contextlib.suppress(ImportError):  # the intake service's environment has no scikit-learn
        build_default_model()
    default_model.cache_clear()


@pytest.fixture(scope="session")
def gateway() -> Iterator[FakeGateway]:
    fake = FakeGateway(port=free_port())
    server = ThreadingHTTPServer(("127.0.0.1", fake.port), _gateway_handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, gateway: FakeGateway) -> Iterator[StackSettings]:
    model = latest_model()
    if model is None:
        pytest.skip("no trained model: `make test` trains one first (run `make train`)")
    settings = StackSettings(
        rasa_port=free_port(),
        action_port=free_port(),
        intake_port=free_port(),
        var_dir=tmp_path_factory.mktemp("var"),
        model=model,  # no RASA_TOKEN: the stack generates one (settings.rasa_token once started)
    )
    env = {
        "HOTLINE_SECRET": HOTLINE_SECRET,
        "HOTLINE_CALLBACK_URL": gateway.url,
        "HOTLINE_CALLBACK_BACKOFF": "0.2",
        "HOTLINE_MAX_AGE": "300",
        "INTAKE_STAFF_TOKEN": STAFF_TOKEN,
        # the WeChat channel in plain mode (tests/channels/test_wechat_stack.py); its API is never reached
        "WECHAT_TOKEN": "zz-test-token",
        "WECHAT_APP_ID": "wx0123456789abcdef",
        "WECHAT_APP_SECRET": "test-app-secret",
        "WECHAT_API_BASE": "http://127.0.0.1:9",
        "RASA_PUBLIC_URL": f"http://{settings.host}:{settings.rasa_port}",
        "SENDER_ID_KEY": SENDER_ID_KEY,  # the tests compute the hotline's conversation ids
        # the tests' own messages come from 127.0.0.1 and are not limited by address; the security
        # tests name other client addresses through X-Forwarded-For (one trusted proxy)
        "RATE_LIMIT_EXEMPT": "127.0.0.1",
        "SANIC_PROXIES_COUNT": "1",
        "RASA_TOKEN": "",
    }
    running = Stack(settings)
    with patched_environ(env):  # the children inherit the environment at start
        running.start()
    try:
        running.wait_ready(timeout=300)
        yield settings
    finally:
        running.stop()


@contextlib.contextmanager
def fresh_pg_schema(prefix: str) -> Iterator[str]:
    """URL of a new PostgreSQL schema, dropped afterwards; skips the test when PostgreSQL is
    unreachable (``TEST_DATABASE_URL``)."""
    admin = create_engine(PG_URL, future=True, connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A PostgreSQL schema for the whole test session (the ticket store's tables)."""
    with fresh_pg_schema("intake_test") as url:
        yield url


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL schema of its own for one test."""
    with fresh_pg_schema("test") as url:
        yield url


@pytest.fixture
def redis_url() -> Iterator[tuple[str, str]]:
    """A Redis database and a key prefix of this test's own (skips when Redis is not reachable);
    the test's keys are removed afterwards."""
    import redis

    from tools.stack import redis_answers

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    if not redis_answers(url):
        pytest.skip(f"Redis not reachable at {url}")
    client = redis.Redis.from_url(url)
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    yield url, prefix
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
