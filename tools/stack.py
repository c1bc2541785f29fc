"""Start the whole stack for ``make run`` and the integration tests; stop it cleanly.

Three processes, each in its own process group so that Ctrl-C leaves no orphans: the rasa_sdk
action server, the Rasa server (REST + socket.io channels, HTTP API) and the intake service.
Ports and paths come from the environment; logs go to ``var/log/``.

Rasa's HTTP API (conversation transcripts included) is never open: without ``RASA_TOKEN`` a token is
generated once into ``$VAR_DIR/rasa_token`` (0600) and handed to the intake service, whose staff
console reads transcripts with it. Cross-origin requests to Rasa are allowed only from
``WIDGET_ORIGINS`` (space- or comma-separated; default the intake service's own origin, where the demo
page and its widget are served).

The intake service runs in its own virtualenv, ``.venv-intake`` (no Rasa, a current aiohttp:
docs/intake-service-env.md), or the interpreter named by ``INTAKE_PYTHON``; without either it falls
back to this interpreter (Rasa's aiohttp pin) with a warning.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot import paths
from bot.service.cors import widget_origins

TOKEN_FILE = "rasa_token"
INTAKE_VENV = ".venv-intake"


def intake_python() -> tuple[str, str | None]:
    """The interpreter of the intake service and, when it is not its own environment, a warning:
    ``INTAKE_PYTHON``, else ``.venv-intake/bin/python``, else this interpreter."""
    override = os.environ.get("INTAKE_PYTHON")
    if override:
        if not os.access(override, os.X_OK):
            raise RuntimeError(f"INTAKE_PYTHON={override} is not an executable interpreter")
        return override, None
    own = paths.ROOT / INTAKE_VENV / "bin" / "python"
    if os.access(own, os.X_OK):
        return str(own), None
    return sys.executable, (
        f"warning: {INTAKE_VENV} not found: the intake service runs in {sys.executable} with Rasa's "
        f"aiohttp pin (known DoS advisories); `make install-intake` builds its own environment"
    )


@dataclass
class StackSettings:
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    action_port: int = 5055
    intake_port: int = 5080
    var_dir: Path = field(default_factory=paths.var_dir)
    model: Path | None = None
    rasa_token: str | None = None
    tracker_db_url: str | None = None  # e.g. postgresql://user@host/db; default SQLite under var/
    redis_url: str | None = None  # lock store shared by several Rasa workers or instances
    rasa_workers: int = 1  # Rasa (Sanic) worker processes; more than one needs redis_url
    widget_origins: list[str] | None = None  # CORS origins of Rasa; default: the intake service's
    endpoints_name: str = "endpoints.yml"  # under var_dir; one per instance when several share var_dir

    @classmethod
    def from_env(cls) -> StackSettings:
        env = os.environ
        return cls(
            host=env.get("HOST", "127.0.0.1"),
            rasa_port=int(env.get("RASA_PORT", 5005)),
            action_port=int(env.get("ACTION_PORT", 5055)),
            intake_port=int(env.get("INTAKE_PORT", 5080)),
            var_dir=paths.var_dir(),
            model=Path(env["MODEL"]) if env.get("MODEL") else None,
            rasa_token=env.get("RASA_TOKEN") or None,
            tracker_db_url=env.get("TRACKER_DB_URL") or None,
            redis_url=env.get("REDIS_URL") or None,
            rasa_workers=int(env.get("RASA_WORKERS") or 1),
            widget_origins=widget_origins(env) or None,
        )

    @property
    def token_file(self) -> Path:
        return self.var_dir / TOKEN_FILE

    def ensure_rasa_token(self) -> str:
        """``RASA_TOKEN``, else the token in ``$VAR_DIR/rasa_token`` (created 0600 on first use)."""
        if not self.rasa_token:
            from bot.privacy import key_from_file

            self.rasa_token = key_from_file(
                self.token_file,
                # hex: a token starting with "-" would be taken by Rasa's argument parser for an option
                lambda: secrets.token_hex(32).encode("ascii"),
                "RASA_TOKEN is not set: generated a token for Rasa's HTTP API in %s",
            ).decode("ascii")
        return self.rasa_token

    @property
    def cors_origins(self) -> list[str]:
        """Origins allowed to call Rasa from a browser: ``WIDGET_ORIGINS``, else the intake service's."""
        if self.widget_origins:
            return list(self.widget_origins)
        hosts = [self.host]
        if self.host in ("127.0.0.1", "0.0.0.0", "localhost"):
            hosts = ["127.0.0.1", "localhost"]
        return [f"http://{h}:{self.intake_port}" for h in hosts]

    @property
    def urls(self) -> dict[str, str]:
        base = f"http://{self.host}"
        return {
            "rest": f"{base}:{self.rasa_port}/webhooks/rest/webhook",
            "parse": f"{base}:{self.rasa_port}/model/parse",
            "rasa": f"{base}:{self.rasa_port}/",
            "actions": f"{base}:{self.action_port}/health",
            "intake": f"{base}:{self.intake_port}/",
            "console": f"{base}:{self.intake_port}/console/",
            "hotline": f"{base}:{self.rasa_port}/webhooks/hotline/webhook",
            "intake_health": f"{base}:{self.intake_port}/health",
        }


def write_endpoints(settings: StackSettings) -> Path:
    """The effective endpoints file: endpoints.yml with this run's ports, databases and lock store."""
    endpoints = yaml.safe_load((paths.ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["action_endpoint"] = {
        **endpoints.get("action_endpoint", {}),
        "url": f"http://{settings.host}:{settings.action_port}/webhook",
    }
    if settings.tracker_db_url:
        from sqlalchemy.engine import make_url

        url = make_url(settings.tracker_db_url)
        endpoints["tracker_store"] = {
            **{k: v for k, v in endpoints["tracker_store"].items() if k in ("type", "cache_size")},
            "dialect": url.drivername,
            "url": url.host,
            "port": url.port,
            "db": url.database,
            "username": url.username,
            "password": url.password,
        }
    else:
        endpoints["tracker_store"]["db"] = str(settings.var_dir / "tracker.db")
    if settings.redis_url:
        endpoints["lock_store"] = {
            "type": "connectors.stores.lock_store.RedisTicketLockStore",
            "url": settings.redis_url,
        }
    target = settings.var_dir / settings.endpoints_name
    target.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    return target


class Stack:
    """The three processes of the product, started together and stopped together."""

    def __init__(self, settings: StackSettings, log_dir: Path | None = None) -> None:
        self.settings = settings
        self.processes: dict[str, subprocess.Popen] = {}
        self.log_dir = log_dir or settings.var_dir / "log"

    def _commands(self) -> dict[str, list[str]]:
        s = self.settings
        model = s.model
        if model is None:
            from tools.training import latest_model

            model = latest_model()
        if model is None:
            raise SystemExit("no trained model: run `make train` first")
        rasa = [
            sys.executable, "-m", "connectors.launcher", "run",
            "--enable-api", f"--auth-token={s.ensure_rasa_token()}",
            "-i", s.host, "-p", str(s.rasa_port),
            "--model", str(model),
            "--endpoints", str(write_endpoints(s)),
            "--credentials", str(paths.ROOT / "credentials.yml"),
            "--cors", *s.cors_origins,
        ]  # fmt: skip
        intake, warning = intake_python()
        if warning:
            print(warning, file=sys.stderr, flush=True)
        return {
            "actions": [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "-p", str(s.action_port)],
            "rasa": rasa,
            "intake": [intake, "-m", "bot.service"],
        }

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        s = self.settings
        if s.rasa_workers > 1 and not s.redis_url:
            raise RuntimeError(
                f"RASA_WORKERS={s.rasa_workers} needs REDIS_URL: workers must share a lock store "
                "so that two of them never answer the same conversation at once"
            )
        busy = [p for p in (s.rasa_port, s.action_port, s.intake_port) if _port_in_use(s.host, p)]
        if busy:
            raise RuntimeError(
                f"port {', '.join(map(str, busy))} already in use (is another `make run` running?)"
            )
        token = s.ensure_rasa_token()  # the intake service's console reads transcripts with it
        env = dict(
            os.environ,
            SANIC_HOST=s.host,
            INTAKE_HOST=s.host,
            INTAKE_PORT=str(s.intake_port),
            RASA_PORT=str(s.rasa_port),
            RASA_URL=f"http://{s.host}:{s.rasa_port}",
            SANIC_WORKERS=str(max(1, s.rasa_workers)),
            RASA_TOKEN=token,
            VAR_DIR=str(s.var_dir),
            PYTHONUNBUFFERED="1",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            RASA_TELEMETRY_ENABLED="false",
        )
        for name, cmd in self._commands().items():
            log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the child
            self.processes[name] = subprocess.Popen(
                cmd, cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 240.0, checks: dict[str, str] | None = None) -> None:
        """Block until every service answers (``checks``: process name → URL, default the three of the
        stack); raise with the log's tail if one dies or times out."""
        checks = checks or {
            "actions": self.settings.urls["actions"],
            "rasa": self.settings.urls["rasa"],
            "intake": self.settings.urls["intake_health"],
        }
        deadline = time.monotonic() + timeout
        pending = dict(checks)
        while pending:
            for name, url in list(pending.items()):
                process = self.processes[name]
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_tail(name)}")
                if answers(url):
                    pending.pop(name)
            if pending and time.monotonic() > deadline:
                tails = "\n".join(self.log_tail(name) for name in pending)
                raise RuntimeError(f"not ready after {timeout:.0f} s: {', '.join(pending)}\n{tails}")
            if pending:
                time.sleep(0.5)

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, grace: float = 10.0) -> None:
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def first_exited(self) -> str | None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name
        return None


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (the system's choice), for a service about to start."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def patched_environ(env: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``env`` set, restored afterwards (variables it added are removed): what
    child processes started inside inherit."""
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _port_in_use(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def redis_answers(url: str) -> bool:
    """Whether a Redis server answers PING at ``url`` within a second (lock store usable)."""
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not usable here"
        return False


def answers(url: str) -> bool:
    """Whether ``url`` answers below 500 within two seconds (a service is up)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except (urllib.error.URLError, OSError):
        return False


def run_in_foreground(
    start: Callable[[], str],
    first_exited: Callable[[], str | None],
    why: Callable[[str], str],
    stop: Callable[[], None],
) -> None:
    """``make run`` and ``make cluster``: ``start`` (which says what is ready), then wait until Ctrl-C,
    SIGTERM or a process dies (``why`` tells the operator where to look), and stop everything."""
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    # Explicit for both: a shell that starts us in the background may have set SIGINT to "ignore".
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        print(start() + "\nCtrl-C stops everything.", flush=True)
        while True:
            dead = first_exited()
            if dead:
                print(f"{dead} stopped unexpectedly: {why(dead)}", file=sys.stderr)
                raise SystemExit(1)
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    except RuntimeError as error:
        print(f"failed to start: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        stop()
        print("stopped.", flush=True)


def main() -> None:
    settings = StackSettings.from_env()
    stack = Stack(settings)
    started = time.monotonic()

    def start() -> str:
        stack.start()
        print("starting the action server, Rasa and the intake service (logs in var/log/) ...", flush=True)
        stack.wait_ready()
        urls = settings.urls
        token = "?token=$RASA_TOKEN"
        where = "RASA_TOKEN" if os.environ.get("RASA_TOKEN") else str(settings.token_file)
        return (
            f"\nready in {time.monotonic() - started:.0f} s\n"
            f"  chat (REST):     POST {urls['rest']}\n"
            f"  NLU parse:       POST {urls['parse']}{token}  (token: {where})\n"
            f"  browsers allowed from: {' '.join(settings.cors_origins)}  (WIDGET_ORIGINS)\n"
            f"  demo site+widget: {urls['intake']}\n"
            f"  staff console:   {urls['console']}  (accounts: .venv/bin/intake user create)\n"
            f"  hotline (SMS):   POST {urls['hotline']}  (needs HOTLINE_SECRET)\n"
            f"  action server:   {urls['actions']}\n"
            f"  intake service:  {urls['intake_health']}  (API: /api/tickets, OpenAPI: /api/openapi.json)"
        )

    run_in_foreground(start, stack.first_exited, lambda dead: "\n" + stack.log_tail(dead), stack.stop)


@contextlib.contextmanager
def started_stack() -> Iterator[tuple[str, str, str]]:
    """The whole stack on spare ports with a temporary VAR_DIR and a fresh staff token, for tools that
    drive it (tools/conversations.py); yields (rasa url, intake url, staff token)."""
    from tools.training import latest_model

    model = latest_model()
    if model is None:
        raise SystemExit("no trained model (set MODELS_DIR or run `make train`)")
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="evalconv-var-") as var:
        settings = StackSettings(
            rasa_port=free_port(), action_port=free_port(), intake_port=free_port(),
            var_dir=Path(var), model=model,
        )  # fmt: skip
        # the tool's simulated citizens all post from 127.0.0.1: not limited as one client address
        environ = {"INTAKE_STAFF_TOKEN": token, "VAR_DIR": var, "RATE_LIMIT_EXEMPT": settings.host}
        stack = Stack(settings)
        with patched_environ(environ):
            try:
                stack.start()
                print(
                    f"starting the stack (model {model.name}, logs in {var}/log) ...",
                    file=sys.stderr,
                    flush=True,
                )
                stack.wait_ready(timeout=300)
                yield (
                    f"http://{settings.host}:{settings.rasa_port}",
                    f"http://{settings.host}:{settings.intake_port}",
                    token,
                )
            finally:
                stack.stop()


if __name__ == "__main__":
    main()
