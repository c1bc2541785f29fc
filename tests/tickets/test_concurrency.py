"""Several processes filing at once get unique, gap-free case codes (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing as mp

import pytest
from sqlalchemy import create_engine, text

PROCESSES, PER_PROCESS = 4, 50


def _file_many(url: str, worker: int, start: mp.synchronize.Event, out: mp.Queue) -> None:
    from bot.storage.store import IntakeRecord, TicketStore
    from bot.tickets.profiles import load_profile

    try:
        store = TicketStore(url, load_profile())  # migrations race too: they must serialise
        start.wait(10)
        codes = [
            store.file_ticket(
                IntakeRecord(f"p{worker}-{i}", "web", "debt", "none", {"amount_yuan": 1000 + i}, "借款纠纷")
            )["code"]
            for i in range(PER_PROCESS)
        ]
        out.put(codes)
    except Exception as exc:  # reported to the parent, which fails the test
        out.put(f"worker {worker}: {exc!r}")


def _run(url: str) -> list[str]:
    # forkserver: workers fork from a clean server process (no threads, pools or locks of the test
    # process), which has imported the store once
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["bot.storage.store", "bot.tickets.centers"])
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_file_many, args=(url, w, start, out)) for w in range(PROCESSES)]
    for p in procs:
        p.start()
    start.set()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(10)
    errors = [r for r in results if isinstance(r, str)]
    assert not errors, errors
    return [c for r in results for c in r]


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_parallel_filing_gives_unique_codes(db, tmp_path, request):
    if db == "sqlite":
        url = f"sqlite:///{tmp_path / 'parallel.db'}"  # fresh file: the workers also race to migrate it
    else:
        url = request.getfixturevalue("empty_pg_url")
    codes = _run(url)
    assert len(codes) == PROCESSES * PER_PROCESS
    assert len(set(codes)) == len(codes), "duplicate case codes"
    days = {c.split("-")[1] for c in codes}
    assert len(days) == 1
    seqs = sorted(int(c.split("-")[2]) for c in codes)
    assert seqs == list(range(1, len(codes) + 1)), "a number was lost or skipped"
    engine = create_engine(url, future=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM tickets")).scalar() == len(codes)
        assert conn.execute(text("SELECT count(DISTINCT code) FROM tickets")).scalar() == len(codes)
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar() == len(codes)
    engine.dispose()
