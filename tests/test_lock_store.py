"""The Redis conversation lock that several Rasa workers share (connectors/stores/lock_store.py), on a real Redis."""

from __future__ import annotations

import asyncio

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.core.utils import number_of_sanic_workers
from rasa.utils.endpoints import EndpointConfig

from connectors.stores.lock_store import RedisTicketLockStore

pytestmark = pytest.mark.redis


def _store(redis_url: tuple[str, str]) -> RedisTicketLockStore:
    """One worker's lock store, created as Rasa creates it from endpoints.yml."""
    url, prefix = redis_url
    config = EndpointConfig(
        url=url, type="connectors.stores.lock_store.RedisTicketLockStore", key_prefix=f"{prefix}:"
    )
    store = LockStore.create(config)
    assert isinstance(store, RedisTicketLockStore)
    return store


def _keys(redis_url: tuple[str, str]) -> list[str]:
    url, prefix = redis_url
    return [k.decode() for k in redis.Redis.from_url(url).scan_iter(f"{prefix}*")]


async def test_a_message_holds_the_conversation_and_leaves_no_key_behind(redis_url) -> None:
    store = _store(redis_url)
    async with store.lock("13912345678") as lock:
        assert lock.conversation_id == "13912345678"
        held = _keys(redis_url)
        assert held and not any("13912345678" in k for k in held)  # the hotline's sender id is a phone
    assert _keys(redis_url) == []
    await store.close()


async def test_two_workers_take_turns_in_arrival_order(redis_url) -> None:
    workers = [_store(redis_url), _store(redis_url)]
    inside: list[int] = []
    order: list[int] = []

    async def message(n: int) -> None:
        async with workers[n % 2].lock("conversation-1"):
            inside.append(n)
            assert len(inside) == 1, f"messages {inside} handled at once"
            order.append(n)
            await asyncio.sleep(0.02)
            inside.remove(n)

    tasks = []
    for n in range(6):
        tasks.append(asyncio.create_task(message(n)))
        await asyncio.sleep(0.002)  # arrival order 0, 1, 2, …
    await asyncio.gather(*tasks)
    assert order == list(range(6))
    assert _keys(redis_url) == []
    for store in workers:
        await store.close()


async def test_simultaneous_messages_never_share_a_turn(redis_url) -> None:
    """Tickets are taken atomically: 20 messages arriving together on two workers, one at a time."""
    workers = [_store(redis_url), _store(redis_url)]
    inside = 0
    most = 0

    async def message(n: int) -> None:
        nonlocal inside, most
        async with workers[n % 2].lock("conversation-2"):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            inside -= 1

    await asyncio.gather(*(message(n) for n in range(20)))
    assert most == 1
    for store in workers:
        await store.close()


async def test_other_conversations_do_not_wait(redis_url) -> None:
    store = _store(redis_url)
    async with store.lock("a"):
        await asyncio.wait_for(store.lock("b").__aenter__(), timeout=0.5)
    await store.close()


async def test_a_crashed_worker_holds_the_conversation_only_for_the_lock_lifetime(redis_url) -> None:
    store = _store(redis_url)
    crashed = store.lock("conversation-3", lock_lifetime=0.3)
    await crashed.__aenter__()  # taken and never given back
    started = asyncio.get_running_loop().time()
    async with store.lock("conversation-3", wait_time_in_seconds=0.05):
        waited = asyncio.get_running_loop().time() - started
    assert 0.2 <= waited < 2
    await store.close()


async def test_a_message_whose_ticket_expires_while_waiting_fails_as_in_rasa(redis_url) -> None:
    store = _store(redis_url)
    async with store.lock("conversation-4", lock_lifetime=5):
        with pytest.raises(LockError, match="Could not acquire lock"):
            async with store.lock("conversation-4", lock_lifetime=0.1, wait_time_in_seconds=0.05):
                pass
    await store.close()


async def test_redis_down_is_a_lock_error() -> None:
    store = RedisTicketLockStore(url="redis://127.0.0.1:1/0", socket_timeout=1)
    with pytest.raises(LockError, match="Error while acquiring lock"):
        async with store.lock("conversation-5"):
            pass
    await store.close()


async def test_rasa_runs_several_workers_on_it_from_the_stacks_endpoints(
    redis_url, tmp_path, monkeypatch
) -> None:
    """The endpoints file tools/stack.py writes gives Rasa this store, and Rasa then allows workers."""
    from rasa.core.utils import AvailableEndpoints

    from tools.stack import StackSettings, write_endpoints

    url, _ = redis_url
    endpoints = AvailableEndpoints.read_endpoints(
        str(write_endpoints(StackSettings(var_dir=tmp_path, redis_url=url)))
    )
    store = LockStore.create(endpoints.lock_store)
    assert isinstance(store, RedisTicketLockStore)
    async with store.lock("conversation-6") as lock:  # and it reaches that Redis
        assert lock.conversation_id == "conversation-6"
    await store.close()
    monkeypatch.setenv("SANIC_WORKERS", "2")
    assert number_of_sanic_workers(endpoints.lock_store) == 2


async def test_a_holder_that_overran_its_lifetime_does_not_release_the_next_holders_lock(redis_url) -> None:
    """A's lock expires while A still works; B takes the conversation; A's late release must leave B's
    lock in place, so a third message C still waits for B."""
    a_store, b_store, c_store = _store(redis_url), _store(redis_url), _store(redis_url)
    a = a_store.lock("conversation-7", lock_lifetime=0.3)
    await a.__aenter__()
    await asyncio.sleep(0.9)  # A overruns: both its keys expire
    # B and C live far longer than the test: a CI machine paused for a few seconds (its clock jumps on
    # resume) must not expire them, which made this test fail once with C's ticket gone
    b = b_store.lock("conversation-7", lock_lifetime=300)
    await asyncio.wait_for(b.__aenter__(), timeout=2)
    await a.__aexit__(None, None, None)  # A finishes late and gives back "its" lock
    c = c_store.lock("conversation-7", lock_lifetime=300, wait_time_in_seconds=0.05)
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(c.__aenter__(), timeout=1.0)  # B still holds the conversation
    assert len(_keys(redis_url)) == 2  # B's ticket and the counter, C's cancelled ticket given back
    await b.__aexit__(None, None, None)
    assert _keys(redis_url) == []
    for store in (a_store, b_store, c_store):
        await store.close()
