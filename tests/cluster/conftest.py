"""One cluster for the module: two complete instances behind HAProxy, PostgreSQL (a database of this
run's own, created and dropped; tickets reached through a TCP proxy the tests can cut), a Redis server
of the tests' own, and a flaky receiver for the outbox. Skips with the reason when haproxy, PostgreSQL,
Redis or a trained model is missing (`make setup-machine` installs haproxy)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.cluster.faults import FlakyReceiver, RedisServer, TcpProxy
from tests.cluster.helpers import STAFF_TOKEN, Running
from tools.cluster import Cluster, ClusterSettings, haproxy_binary
from tools.stack import free_port
from tools.training import latest_model

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    if haproxy_binary() is None:
        pytest.skip("haproxy not installed (`make setup-machine` as root installs it)")
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed: the fault tests restart a Redis of their own")
    model = latest_model()
    if model is None:
        pytest.skip("no trained model: `make test` trains one first (run `make train`)")
    server = make_url(PG_URL)
    admin = create_engine(
        server, isolation_level="AUTOCOMMIT", future=True, connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    name = f"intake_cluster_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    direct = server.set(database=name)
    proxy = TcpProxy((server.host or "127.0.0.1", server.port or 5432))
    redis = RedisServer()
    receiver = FlakyReceiver()
    cluster = None
    try:
        redis.start()
        settings = ClusterSettings(
            instances=2,
            port=free_port(),
            database_url=direct.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
            tracker_db_url=direct.render_as_string(hide_password=False),
            redis_url=redis.url,
            var_dir=tmp_path_factory.mktemp("cluster"),
            model=model,
            extra_env={
                "INTAKE_STAFF_TOKEN": STAFF_TOKEN,
                "RATE_LIMIT_EXEMPT": "127.0.0.1",  # the simulated citizens all come from 127.0.0.1
                "CENTER_WEBHOOK_URL": receiver.url,
                "WEBHOOK_SECRET": "cluster-test-secret",
                "RASA_TOKEN": "",
            },
        )
        cluster = Cluster(settings)
        cluster.start()
        cluster.wait_ready(timeout=400)
        yield Running(cluster, proxy, redis, receiver, direct.render_as_string(hide_password=False))
    finally:
        if cluster is not None:
            cluster.stop()
        proxy.close()
        redis.kill()
        receiver.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
