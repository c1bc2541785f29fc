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


def test_rasa_gets_a_generated_token_and_only_the_widgets_origins(tmp_path: Path, monkeypatch) -> None:
    import stat

    from tools.stack import Stack

    monkeypatch.delenv("RASA_TOKEN", raising=False)
    monkeypatch.delenv("WIDGET_ORIGINS", raising=False)
    settings = StackSettings.from_env()
    settings.var_dir, settings.intake_port, settings.model = tmp_path, 6080, tmp_path / "model.tar.gz"
    rasa = Stack(settings)._commands()["rasa"]
    token = (tmp_path / "rasa_token").read_text().strip()
    assert len(token) >= 32 and stat.S_IMODE((tmp_path / "rasa_token").stat().st_mode) == 0o600
    assert f"--auth-token={token}" in rasa  # one argument: a token may start with "-"
    assert rasa[rasa.index("--cors") + 1 :] == ["http://127.0.0.1:6080", "http://localhost:6080"]
    assert "*" not in rasa
    again = StackSettings(var_dir=tmp_path)
    assert again.ensure_rasa_token() == token  # the same token after a restart

    monkeypatch.setenv("WIDGET_ORIGINS", "https://zzzx.example.gov.cn, https://www.example.gov.cn")
    monkeypatch.setenv("RASA_TOKEN", "from-the-operator")
    settings = StackSettings.from_env()
    settings.model = tmp_path / "model.tar.gz"
    rasa = Stack(settings)._commands()["rasa"]
    assert "--auth-token=from-the-operator" in rasa
    monkeypatch.setenv("RASA_TOKEN", "-starts-with-a-dash")  # Rasa's parser would take it for an option
    settings = StackSettings.from_env()
    settings.model = tmp_path / "model.tar.gz"
    assert "--auth-token=-starts-with-a-dash" in Stack(settings)._commands()["rasa"]
    assert rasa[rasa.index("--cors") + 1 :] == ["https://zzzx.example.gov.cn", "https://www.example.gov.cn"]


def test_the_intake_service_runs_in_its_own_venv(tmp_path: Path, monkeypatch) -> None:
    import sys

    import pytest

    from bot import paths
    from tools.stack import Stack, intake_python

    monkeypatch.delenv("INTAKE_PYTHON", raising=False)
    root = paths.ROOT
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    python, warning = intake_python()  # no .venv-intake: this interpreter, with a warning
    assert python == sys.executable and warning and ".venv-intake" in warning
    own = tmp_path / ".venv-intake" / "bin" / "python"
    own.parent.mkdir(parents=True)
    own.symlink_to(sys.executable)
    assert intake_python() == (str(own), None)
    monkeypatch.setenv("INTAKE_PYTHON", sys.executable)  # INTAKE_PYTHON wins
    assert intake_python() == (sys.executable, None)
    monkeypatch.setenv("INTAKE_PYTHON", str(tmp_path / "missing"))
    with pytest.raises(RuntimeError, match="INTAKE_PYTHON"):
        intake_python()
    monkeypatch.setattr(paths, "ROOT", root)  # the real endpoints.yml for the commands
    monkeypatch.setenv("INTAKE_PYTHON", str(own))
    settings = StackSettings(var_dir=tmp_path, model=tmp_path / "model.tar.gz")
    assert Stack(settings)._commands()["intake"] == [str(own), "-m", "bot.service"]
