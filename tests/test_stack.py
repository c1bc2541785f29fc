from pathlib import Path

import yaml

from tools.stack import StackSettings, write_endpoints


def test_default_endpoints_use_sqlite_under_var(tmp_path: Path) -> None:
    settings = StackSettings(var_dir=tmp_path, action_port=6055)
    endpoints = yaml.safe_load(write_endpoints(settings).read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:6055/webhook"
    assert endpoints["tracker_store"] == {
        "type": "connectors.stores.tracker_store.CachedSQLTrackerStore",
        "dialect": "sqlite",
        "db": str(tmp_path / "tracker.db"),
        "cache_size": 500,
    }
    assert "lock_store" not in endpoints


def test_production_endpoints_use_postgres_and_redis(tmp_path: Path) -> None:
    settings = StackSettings(
        var_dir=tmp_path,
        tracker_db_url="postgresql://intake:secret@db.internal:5433/rasa",
        redis_url="redis://127.0.0.1:6379/2",
    )
    endpoints = yaml.safe_load(write_endpoints(settings).read_text(encoding="utf-8"))
    assert endpoints["tracker_store"] == {
        "type": "connectors.stores.tracker_store.CachedSQLTrackerStore",
        "cache_size": 500,
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 5433,
        "db": "rasa",
        "username": "intake",
        "password": "secret",
    }
    assert endpoints["lock_store"] == {
        "type": "connectors.stores.lock_store.RedisTicketLockStore",
        "url": "redis://127.0.0.1:6379/2",
    }


def test_several_rasa_workers_need_a_shared_lock_store(tmp_path: Path) -> None:
    import pytest

    from tools.stack import Stack

    stack = Stack(StackSettings(var_dir=tmp_path, rasa_workers=2))
    with pytest.raises(RuntimeError, match="RASA_WORKERS=2 needs REDIS_URL"):
        stack.start()
    assert stack.processes == {}


def test_workers_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("RASA_WORKERS", "2")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    settings = StackSettings.from_env()
    assert settings.rasa_workers == 2 and settings.redis_url == "redis://127.0.0.1:6379/0"
