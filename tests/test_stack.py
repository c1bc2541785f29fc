from pathlib import Path

import yaml

from bot.stack import StackSettings, write_endpoints


def test_default_endpoints_use_sqlite_under_var(tmp_path: Path) -> None:
    settings = StackSettings(var_dir=tmp_path, action_port=6055)
    endpoints = yaml.safe_load(write_endpoints(settings).read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:6055/webhook"
    assert endpoints["tracker_store"] == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": str(tmp_path / "tracker.db"),
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
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.internal",
        "port": 5433,
        "db": "rasa",
        "username": "intake",
        "password": "secret",
    }
    assert endpoints["lock_store"] == {"type": "redis", "url": "127.0.0.1", "port": 6379, "db": 2}
