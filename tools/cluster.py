"""``make cluster``: N complete instances behind HAProxy, sharing PostgreSQL and Redis; Ctrl-C stops all.

Each instance is what ``make run`` starts (action server, Rasa, intake service: :class:`tools.stack.Stack`)
on spare loopback ports; all of them use one PostgreSQL database for tickets and conversations
(``DATABASE_URL``, ``TRACKER_DB_URL``: default ``postgresql://postgres@127.0.0.1:5432/intake``, created
when missing), one Redis (``REDIS_URL``) for the conversation locks, duplicate ids, rate limits, leases
and the WeChat token, and one ``VAR_DIR`` for their shared keys (``var/cluster/``). HAProxy, rendered
from ``deploy/haproxy.cfg.j2``, listens on ``127.0.0.1:$BALANCER_PORT`` (8000), health-checks every
instance and connects from its own loopback address (``127.0.0.2``): the only peer whose
``X-Forwarded-For`` the instances believe (``TRUSTED_PROXIES``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import paths
from tools.stack import (
    Stack,
    StackSettings,
    answers,
    free_port,
    patched_environ,
    redis_answers,
    run_in_foreground,
)

TEMPLATE = paths.ROOT / "deploy" / "haproxy.cfg.j2"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/intake"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
BALANCER_SOURCE = "127.0.0.2"  # loopback address HAProxy connects to the instances from


@dataclass
class ClusterSettings:
    instances: int = 2
    host: str = "127.0.0.1"
    port: int = 8000  # the balancer's
    database_url: str = DEFAULT_DB
    tracker_db_url: str | None = None  # default: database_url (Rasa's tables beside the tickets)
    redis_url: str = DEFAULT_REDIS
    var_dir: Path = field(default_factory=lambda: paths.var_dir() / "cluster")
    model: Path | None = None
    source: str = BALANCER_SOURCE
    check_interval: str = "2s"
    extra_env: dict[str, str] = field(default_factory=dict)  # for every instance (tests)

    @classmethod
    def from_env(cls, instances: int | None = None) -> ClusterSettings:
        env = os.environ
        return cls(
            instances=instances or int(env.get("N") or 2),
            host=env.get("HOST", "127.0.0.1"),
            port=int(env.get("BALANCER_PORT") or 8000),
            database_url=env.get("DATABASE_URL") or DEFAULT_DB,
            tracker_db_url=env.get("TRACKER_DB_URL") or None,
            redis_url=env.get("REDIS_URL") or DEFAULT_REDIS,
            var_dir=paths.var_dir() / "cluster",
            model=Path(env["MODEL"]) if env.get("MODEL") else None,
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def haproxy_binary() -> str | None:
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.access(p, os.X_OK)), None
    )


def render_haproxy(settings: ClusterSettings, instances: list[StackSettings]) -> str:
    """The balancer's configuration for these instances (deploy/haproxy.cfg.j2)."""
    import jinja2

    template = jinja2.Template(TEMPLATE.read_text(encoding="utf-8"), undefined=jinja2.StrictUndefined)
    return template.render(
        host=settings.host,
        port=settings.port,
        source=settings.source,
        instances=instances,
        check_interval=settings.check_interval,
        maxconn=4096,
        server_maxconn=64,
    )


def write_haproxy(settings: ClusterSettings, target: Path, ports: str) -> None:
    """The production balancer's configuration for instances already running on ``ports``
    (``5005:5080,5105:5180``: Rasa port and intake port of each), as ``make cluster`` renders it."""
    instances = []
    for pair in (p for p in ports.replace(" ", "").split(",") if p):
        rasa, _, intake = pair.partition(":")
        if not (rasa.isdigit() and intake.isdigit()):
            raise SystemExit(f"--instance-ports: {pair!r} is not RASA_PORT:INTAKE_PORT")
        instances.append(StackSettings(host=settings.host, rasa_port=int(rasa), intake_port=int(intake)))
    if not instances:
        raise SystemExit("--instance-ports names no instance")
    target.write_text(render_haproxy(settings, instances), encoding="utf-8")
    print(f"wrote {target} for {len(instances)} instance(s) behind {settings.url}", flush=True)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` when it does not exist; raise RuntimeError with the
    reason when PostgreSQL cannot be reached."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    if not target.drivername.startswith("postgresql"):
        return
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": target.database}
            )
            if exists.first() is None:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
                print(f"created database {target.database}", flush=True)
    except Exception as exc:  # noqa: BLE001 - any failure: say which server and why
        raise RuntimeError(
            f"PostgreSQL not usable at {target.render_as_string(hide_password=True)}: {exc}"
        ) from None
    finally:
        admin.dispose()


class Cluster:
    """N stacks plus the balancer, started together and stopped together."""

    def __init__(self, settings: ClusterSettings) -> None:
        self.settings = settings
        self.log_dir = settings.var_dir / "log"
        self.instances: list[Stack] = []
        self.balancer: subprocess.Popen | None = None
        self._env: dict[str, str] = {}

    def _instance_settings(self, index: int, token: str) -> StackSettings:
        s = self.settings
        return StackSettings(
            host=s.host,
            rasa_port=free_port(s.host),
            action_port=free_port(s.host),
            intake_port=free_port(s.host),
            var_dir=s.var_dir,
            model=s.model,
            rasa_token=token,
            tracker_db_url=s.tracker_db_url or s.database_url,
            redis_url=s.redis_url,
            widget_origins=[s.url, f"http://localhost:{s.port}"],
            endpoints_name=f"endpoints-{index}.yml",
        )

    def start(self) -> None:
        s = self.settings
        haproxy = haproxy_binary()
        if haproxy is None:
            raise RuntimeError(
                "haproxy not found: `make setup-machine` as root installs it (apt-get install haproxy)"
            )
        for url in {s.database_url, s.tracker_db_url or s.database_url}:
            if not url.startswith("postgresql"):
                raise RuntimeError(
                    f"several instances need PostgreSQL, not {url.split(':')[0]} (DATABASE_URL, TRACKER_DB_URL)"
                )
        if not redis_answers(s.redis_url):
            raise RuntimeError(f"Redis not reachable at {s.redis_url} (REDIS_URL)")
        ensure_database(s.database_url)
        if s.tracker_db_url:
            ensure_database(s.tracker_db_url)
        s.var_dir.mkdir(parents=True, exist_ok=True)
        token = StackSettings(
            var_dir=s.var_dir, rasa_token=os.environ.get("RASA_TOKEN") or None
        ).ensure_rasa_token()
        self._env = {
            "DATABASE_URL": s.database_url,
            "REDIS_URL": s.redis_url,
            "VAR_DIR": str(s.var_dir),  # one set of keys (data key, sender-id key) for every instance
            "TRUSTED_PROXIES": s.source,
            "RASA_PUBLIC_URL": s.url,  # the widget talks to Rasa through the balancer
            "PUBLIC_URL": os.environ.get("PUBLIC_URL") or s.url,
            **s.extra_env,
        }
        with patched_environ(self._env):
            for index in range(s.instances):
                stack = Stack(
                    self._instance_settings(index, token), log_dir=self.log_dir / f"instance-{index + 1}"
                )
                self.instances.append(stack)
                stack.start()
        config = s.var_dir / "haproxy.cfg"
        config.write_text(render_haproxy(s, [i.settings for i in self.instances]), encoding="utf-8")
        checked = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"haproxy refused {config}:\n{checked.stdout}{checked.stderr}")
        self._haproxy_cmd = [haproxy, "-db", "-f", str(config)]

    def wait_ready(self, timeout: float = 300.0) -> None:
        """Every instance answers, then the balancer starts and answers ``/health``."""
        deadline = time.monotonic() + timeout
        for stack in self.instances:
            stack.wait_ready(timeout=max(1.0, deadline - time.monotonic()))
        self.start_balancer()
        while not answers(f"{self.settings.url}/health"):
            if self.balancer is not None and self.balancer.poll() is not None:
                raise RuntimeError(f"haproxy exited with {self.balancer.returncode}:\n{self.balancer_log()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the balancer does not answer on {self.settings.url}/health")
            time.sleep(0.3)

    def start_balancer(self) -> None:
        if self.balancer is None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            log = open(self.log_dir / "haproxy.log", "ab")  # noqa: SIM115 - lives as long as the child
            self.balancer = subprocess.Popen(
                self._haproxy_cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def balancer_log(self, lines: int = 40) -> str:
        path = self.log_dir / "haproxy.log"
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def kill_instance(self, index: int) -> None:
        """``kill -9`` of every process of instance ``index`` (0-based) at once: a machine lost."""
        for process in self.instances[index].processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.instances[index].processes.values():
            process.wait()

    def first_exited(self) -> str | None:
        if self.balancer is not None and self.balancer.poll() is not None:
            return "haproxy"
        for number, stack in enumerate(self.instances, 1):
            dead = stack.first_exited()
            if dead:
                return f"instance {number}: {dead}"
        return None

    def stop(self) -> None:
        if self.balancer is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.balancer.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.balancer.wait(timeout=5)
            if self.balancer.poll() is None:
                os.killpg(self.balancer.pid, signal.SIGKILL)
                self.balancer.wait()
            self.balancer = None
        for stack in self.instances:
            stack.stop()
        self.instances.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", "-n", type=int, default=None, help="instances (default $N or 2)")
    parser.add_argument(
        "--write-haproxy", type=Path, help="only write the balancer's configuration (production)"
    )
    parser.add_argument(
        "--instance-ports", default="", help="with --write-haproxy: RASA:INTAKE ports, comma-separated"
    )
    args = parser.parse_args()
    settings = ClusterSettings.from_env(args.instances)
    if args.write_haproxy:
        write_haproxy(settings, args.write_haproxy, args.instance_ports)
        return
    cluster = Cluster(settings)
    started = time.monotonic()

    def start() -> str:
        cluster.start()
        print(
            f"starting {settings.instances} instance(s) and HAProxy (logs in {cluster.log_dir}) ...",
            flush=True,
        )
        cluster.wait_ready()
        lines = [
            f"  instance {n}: rasa :{i.settings.rasa_port}  actions :{i.settings.action_port}  "
            f"intake :{i.settings.intake_port}"
            for n, i in enumerate(cluster.instances, 1)
        ]
        return (
            f"\nready in {time.monotonic() - started:.0f} s: {settings.url}/ (balancer; /health)\n"
            f"  chat (REST):    POST {settings.url}/webhooks/rest/webhook\n"
            f"  staff console:  {settings.url}/console/   API: {settings.url}/api/tickets\n"
            f"  PostgreSQL:     {settings.database_url}\n  Redis:          {settings.redis_url}\n"
            + "\n".join(lines)
        )

    run_in_foreground(start, cluster.first_exited, lambda dead: f"see {cluster.log_dir}", cluster.stop)


if __name__ == "__main__":
    main()
