"""The memories several instances must share (issue 21): rate limits of the intake service (in the
process by default, in Redis with ``REDIS_URL``; the Redis variants run against a real Redis, skipped
when none answers), one leader for the payment reminders, and the client address behind the balancer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot import clientaddr
from bot.service.limits import RateLimiter, RedisRateLimiter, rate_limiter


def run(coro):  # noqa: ANN001, ANN201 - a test helper
    return asyncio.run(coro)


def test_limiter_in_the_process_counts_per_key() -> None:
    limiter = rate_limiter(3, 60.0, name="t", redis_url="")
    assert type(limiter) is RateLimiter
    assert [run(limiter.hit("1.2.3.4")) for _ in range(4)] == [True, True, True, False]
    assert run(limiter.hit("5.6.7.8"))  # another client has its own budget


def test_limiter_in_redis_is_shared_by_instances(redis_url: tuple[str, str]) -> None:
    url, prefix = redis_url

    async def scenario() -> list[bool]:
        # two instances: two limiters, one Redis; a client alternating between them gains nothing
        a = RedisRateLimiter(5, 60.0, url, name=f"{prefix}-status")
        b = RedisRateLimiter(5, 60.0, url, name=f"{prefix}-status")
        results = [await (a if n % 2 else b).hit("203.0.113.9") for n in range(7)]
        results.append(await a.hit("198.51.100.1"))
        return results

    assert run(scenario()) == [True] * 5 + [False, False, True]


def test_limiter_in_redis_forgets_after_the_window(redis_url: tuple[str, str]) -> None:
    url, prefix = redis_url

    async def scenario() -> list[bool]:
        limiter = RedisRateLimiter(2, 0.5, url, name=f"{prefix}-window")
        first = [await limiter.hit("k") for _ in range(3)]
        await asyncio.sleep(0.6)
        return [*first, await limiter.hit("k")]

    assert run(scenario()) == [True, True, False, True]


def test_limiter_keys_hold_no_address(redis_url: tuple[str, str]) -> None:
    import redis

    url, prefix = redis_url
    limiter = RedisRateLimiter(5, 60.0, url, name=f"{prefix}-privacy")
    run(limiter.hit("203.0.113.77|zhangsan"))
    keys = [k.decode() for k in redis.Redis.from_url(url).scan_iter("intake:limit:*")]
    mine = [k for k in keys if prefix in k]
    assert mine and not any("203.0.113.77" in k or "zhangsan" in k for k in mine)
    for key in mine:
        redis.Redis.from_url(url).delete(key)


def test_limiter_counts_in_the_process_while_redis_is_down() -> None:
    limiter = RedisRateLimiter(2, 60.0, "redis://127.0.0.1:9/0", name="down")  # nothing listens on 9
    assert [run(limiter.hit("k")) for _ in range(3)] == [True, True, False]  # never "let all through"


def test_forwarded_address_is_believed_only_from_the_balancer(monkeypatch: pytest.MonkeyPatch) -> None:
    trusted = clientaddr.trusted_proxies("127.0.0.2, 10.0.0.5")
    assert clientaddr.client_address("127.0.0.2", "198.51.100.7", trusted) == "198.51.100.7"
    # a client's own claim comes first; the balancer's entry is the last
    assert clientaddr.client_address("10.0.0.5", "1.1.1.1, 198.51.100.7", trusted) == "198.51.100.7"
    assert clientaddr.client_address("203.0.113.5", "198.51.100.7", trusted) == "203.0.113.5"
    assert clientaddr.client_address("127.0.0.2", None, trusted) == "127.0.0.2"
    assert clientaddr.client_address("127.0.0.2", "198.51.100.7", frozenset()) == "127.0.0.2"
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.2, 10.0.0.5")
    assert clientaddr.trusted_proxies() == frozenset({"127.0.0.2", "10.0.0.5"})


def test_rasa_channels_count_the_address_the_balancer_forwards(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from connectors.channels.limits import client_address

    def request(peer: str, forwarded: str | None, remote_addr: str = "") -> SimpleNamespace:
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        return SimpleNamespace(remote_addr=remote_addr, ip=peer, headers=headers)

    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.2")
    assert client_address(request("127.0.0.2", "198.51.100.7")) == "198.51.100.7"
    assert client_address(request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"  # a forged header
    # Sanic's own proxy settings (SANIC_PROXIES_COUNT) still win when configured
    assert client_address(request("127.0.0.2", "198.51.100.7", remote_addr="192.0.2.1")) == "192.0.2.1"
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert client_address(request("127.0.0.2", "198.51.100.7")) == "127.0.0.2"


def test_only_one_instance_runs_the_payment_reminders(tmp_path: Path) -> None:
    """Two intake services on one ticket database: the 督办 scheduler's leadership (a file lock on
    SQLite, an advisory lock on PostgreSQL) lets one run every round, the other none."""
    from aiohttp import web
    from sqlalchemy import create_engine

    from bot.service.outcomes import REMINDER_INTERVAL, _remind_forever
    from bot.service.state import STORE

    calls: list[str] = []
    engine = create_engine(f"sqlite:///{tmp_path / 'intake.db'}")

    class Store:
        def __init__(self, name: str) -> None:
            self.name, self.engine = name, engine

        def payment_reminders(self) -> list[dict]:
            calls.append(self.name)
            return []

    async def scenario() -> None:
        apps = []
        for name in ("one", "two"):
            app = web.Application()
            app[STORE] = Store(name)  # type: ignore[assignment]
            app[REMINDER_INTERVAL] = 0.05
            apps.append(app)
        tasks = [asyncio.create_task(_remind_forever(app)) for app in apps]
        await asyncio.sleep(0.5)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    run(scenario())
    engine.dispose()
    assert len(calls) >= 5 and len(set(calls)) == 1, calls
