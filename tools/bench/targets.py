"""The two systems under load, started on spare local ports and stopped again.

``our_stack``: the whole stack as ``make run`` starts it (or one already running). ``baseline_server``:
plain ``rasa run`` with our NLU pipeline, one rule per intent and no action server, the same tracker
database, lock store and number of workers, so that the difference is what our layers cost.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot import paths
from tools.stack import Stack, StackSettings, free_port, write_endpoints

HOST = "127.0.0.1"
REST_PATH = "/webhooks/rest/webhook"
BASELINE_PREFIX = "baseline-"
# Intents Rasa answers with its own default actions (action_restart, ...): a rule would contradict.
RASA_DEFAULT_INTENTS = frozenset({"restart", "back", "session_start"})


@dataclass
class Target:
    """A system under load: where its REST channel is and which processes to watch."""

    system: str
    rest_url: str
    leaders: dict[str, int]
    cold_start_s: float | None
    model: str = "?"


@dataclass
class ServerSettings:
    """How both systems' Rasa servers run: worker processes and the lock store they share."""

    workers: int = 1
    redis_url: str | None = None

    def describe(self) -> str:
        lock = f"Redis lock store ({self.redis_url})" if self.redis_url else "in-memory lock store"
        return f"{self.workers} Rasa worker(s), {lock}, SQLite tracker database"


def server_settings(workers: str, redis_url: str) -> ServerSettings:
    """``--workers auto``: one Rasa worker per core when a Redis lock store is at hand (as the README
    advises for production), else a single worker."""
    from tools.stack import redis_answers

    usable = redis_answers(redis_url)
    if workers == "auto":
        count = max(1, os.cpu_count() or 1) if usable else 1
        if not usable:
            print(
                f"  no Redis at {redis_url}: one Rasa worker (several need a shared lock store)", flush=True
            )
    else:
        count = int(workers)
        if count > 1 and not usable:
            raise SystemExit(f"--workers {count} needs a Redis lock store; none answers at {redis_url}")
    return ServerSettings(workers=count, redis_url=redis_url if count > 1 else None)


@contextlib.contextmanager
def our_stack(url: str | None, work: Path, server: ServerSettings) -> Iterator[Target]:
    """The full stack on spare ports with a fresh VAR_DIR, or the one already running at ``url``."""
    if url:
        yield Target("ours", url.rstrip("/") + REST_PATH, {}, None, url)
        return
    from tools.training import latest_model

    model = latest_model()
    if model is None:
        raise SystemExit("no trained model: run `make train` first")
    settings = StackSettings(
        host=HOST,
        rasa_port=free_port(),
        action_port=free_port(),
        intake_port=free_port(),
        var_dir=work / "var",
        model=model,
        redis_url=server.redis_url,
        rasa_workers=server.workers,
    )
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    # every simulated citizen posts from 127.0.0.1: the per-address limit would count them as one
    os.environ.setdefault("RATE_LIMIT_EXEMPT", HOST)
    stack = Stack(settings)
    started = time.monotonic()
    try:
        stack.start()
        stack.wait_ready(timeout=300)
        cold = time.monotonic() - started
        leaders = {name: p.pid for name, p in stack.processes.items()}
        yield Target("ours", settings.urls["rest"], leaders, cold, model.name)
    finally:
        stack.stop()


def nlu_intents() -> list[str]:
    """Every intent of the NLU training data, plus the fallback classifier's; a retrieval intent
    (``consult/hours``) counts once, by its name (``consult``)."""
    intents: set[str] = {"nlu_fallback"}
    for path in sorted((paths.NLU_DATA / "nlu").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        intents.update(item["intent"].split("/")[0] for item in data.get("nlu", []) if "intent" in item)
    return sorted(intents)


def baseline_files(intents: Sequence[str]) -> dict[str, str]:
    """Config (our NLU pipeline, RulePolicy only), a trivial domain and one rule per intent."""
    config = yaml.safe_load(paths.CONFIG.read_text(encoding="utf-8"))
    config["assistant_id"] = "bench-baseline"
    config["policies"] = [{"name": "RulePolicy"}]
    domain = {
        "version": "3.1",
        "intents": list(intents),
        "responses": {f"utter_{i}": [{"text": f"收到（{i}）。"}] for i in intents},
        "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True},
    }
    answered = [i for i in intents if i not in RASA_DEFAULT_INTENTS]
    rules = {
        "version": "3.1",
        "rules": [{"rule": i, "steps": [{"intent": i}, {"action": f"utter_{i}"}]} for i in answered],
    }
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    return {"config.yml": dump(config), "domain.yml": dump(domain), "rules.yml": dump(rules)}


def baseline_fingerprint(files: dict[str, str]) -> str:
    """The training inputs' fingerprint without our domain and dialogue data, with the baseline's files."""
    from tools.training import fingerprint

    return fingerprint(skip=(paths.DOMAIN, paths.DIALOGUE_DATA), extra=files)


def baseline_model(work: Path) -> tuple[Path, float | None]:
    """The baseline model, trained once per fingerprint (pipeline, NLU data, our NLU code, files)."""
    files = baseline_files(nlu_intents())
    target = paths.MODELS / f"{BASELINE_PREFIX}{baseline_fingerprint(files)}.tar.gz"
    if target.exists():
        return target, None
    build = work / "baseline"
    build.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (build / name).write_text(text, encoding="utf-8")
    print(f"training the baseline {target.name} ...", flush=True)
    started = time.monotonic()
    cmd = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(build / "config.yml"), "--domain", str(build / "domain.yml"),
        "--data", str(paths.NLU_DATA / "nlu"), str(build / "rules.yml"),
        "--out", str(build), "--fixed-model-name", "baseline", "--force",
    ]  # fmt: skip
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    log = build / "train.log"
    with open(log, "wb") as out:
        done = subprocess.run(
            cmd, cwd=paths.ROOT, env=env, timeout=1800, stdout=out, stderr=subprocess.STDOUT
        )
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
        raise RuntimeError("training the baseline failed:\n" + "\n".join(tail))
    seconds = time.monotonic() - started
    paths.MODELS.mkdir(parents=True, exist_ok=True)
    shutil.move(str(build / "baseline.tar.gz"), target)
    for stale in paths.MODELS.glob(f"{BASELINE_PREFIX}*.tar.gz"):
        if stale != target:
            stale.unlink()
    return target, seconds


def rasa_redis_lock_store(url: str) -> dict[str, Any]:
    """Rasa's ``type: redis`` lock store for a ``redis://host:port/db`` URL."""
    from urllib.parse import urlparse

    parts = urlparse(url)
    return {
        "type": "redis",
        "url": parts.hostname,
        "port": parts.port or 6379,
        "db": int((parts.path or "/0").strip("/") or 0),
    }


@contextlib.contextmanager
def baseline_server(model: Path, work: Path, server: ServerSettings) -> Iterator[Target]:
    """Plain ``rasa run`` (REST only, no action server, Rasa's own SQL tracker store) with the same
    database, lock store and number of workers as ours."""
    folder = work / "baseline-run"
    folder.mkdir(parents=True, exist_ok=True)
    endpoints = yaml.safe_load(
        write_endpoints(StackSettings(var_dir=folder, redis_url=server.redis_url)).read_text(encoding="utf-8")
    )
    endpoints.pop("action_endpoint", None)
    endpoints["tracker_store"].pop("cache_size", None)
    endpoints["tracker_store"]["type"] = "SQL"  # plain Rasa: its own SQL tracker store …
    if server.redis_url:  # … and its own Redis lock store
        endpoints["lock_store"] = rasa_redis_lock_store(server.redis_url)
    (folder / "endpoints.yml").write_text(yaml.safe_dump(endpoints), encoding="utf-8")
    (folder / "credentials.yml").write_text("rest:\n", encoding="utf-8")
    port = free_port()
    cmd = [
        sys.executable, "-m", "rasa", "run", "-i", HOST, "-p", str(port), "--model", str(model),
        "--endpoints", str(folder / "endpoints.yml"), "--credentials", str(folder / "credentials.yml"),
    ]  # fmt: skip
    env = dict(
        os.environ,
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        SANIC_WORKERS=str(server.workers),
    )
    started = time.monotonic()
    # started here, watched and stopped as a process of the stack (log: folder/rasa.log)
    running = Stack(StackSettings(host=HOST, var_dir=folder), log_dir=folder)
    with open(folder / "rasa.log", "ab") as log:
        running.processes["rasa"] = subprocess.Popen(
            cmd, cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        try:
            running.wait_ready(timeout=300, checks={"rasa": f"http://{HOST}:{port}/"})
        except RuntimeError as error:
            raise RuntimeError(f"baseline rasa did not start: {error}") from None
        cold = time.monotonic() - started
        pid = running.processes["rasa"].pid
        yield Target("baseline", f"http://{HOST}:{port}{REST_PATH}", {"rasa": pid}, cold, model.name)
    finally:
        running.stop()
