"""The data-access layer's memo: whole-database entries kept, per-occupation (bounded) entries kept LRU."""

from __future__ import annotations

import os
import sqlite3

from onetlocal.db import Database
from onetlocal.ingest import SCHEMA_VERSION


def counting():
    calls: list[str] = []

    def compute(key: str):
        def fn():
            calls.append(key)
            return {"key": key}

        return fn

    return calls, compute


def test_memo_computes_once(db_path):
    db = Database(db_path)
    calls, compute = counting()
    first = db.memo("k", compute("k"))
    assert db.memo("k", compute("k")) is first and calls == ["k"]


def test_bounded_memo_keeps_the_most_recently_used(db_path):
    db = Database(db_path)
    db.BOUNDED_ENTRIES = 3
    calls, compute = counting()
    for key in ("a", "b", "c"):
        db.memo(key, compute(key), bounded=True)
    db.memo("a", compute("a"), bounded=True)  # a is now the most recent: b is the oldest
    db.memo("d", compute("d"), bounded=True)  # drops b
    assert calls == ["a", "b", "c", "d"]
    assert len(db._lru) == 3
    for key in ("a", "c", "d"):
        db.memo(key, compute(key), bounded=True)
    assert calls == ["a", "b", "c", "d"]  # all three still there
    db.memo("b", compute("b"), bounded=True)
    assert calls[-1] == "b" and len(db._lru) == 3


def test_walking_every_occupation_stays_bounded(db_path):
    db = Database(db_path)
    db.BOUNDED_ENTRIES = 50
    codes = [r["onetsoc_code"] for r in db.all("SELECT onetsoc_code FROM occupation_data")]
    for code in codes:
        for section in ("skills", "tasks", "technology"):
            db.memo(f"{section}.{code}", lambda code=code: [code], bounded=True)
    assert len(codes) * 3 > 50 and len(db._lru) == 50
    assert not any(k.startswith("skills.") for k in db.cache)  # bounded entries never enter the unbounded memo


def _tiny(path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key, value)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
    conn.close()


def test_memos_are_dropped_when_the_file_is_replaced(tmp_path):
    path = tmp_path / "db.sqlite"
    _tiny(path)
    db = Database(path)
    db.CHECK_INTERVAL = 0
    db.memo("whole", lambda: 1)
    db.memo("per", lambda: 1, bounded=True)
    _tiny(tmp_path / "new.sqlite")
    os.replace(tmp_path / "new.sqlite", path)  # a new inode, as a rebuild does
    assert db.memo("whole", lambda: 2) == 2
    assert db.memo("per", lambda: 2, bounded=True) == 2


# Each thread has its own connection and its own statement deadline (issue 22 item 3).

_COUNT_TO = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT count(*) FROM n"


def test_a_memo_computing_in_one_thread_leaves_the_time_limit_of_the_others(db_path):
    import threading

    import pytest

    from onetlocal.errors import QueryTimeout

    db = Database(db_path, time_limit_ms=50)
    started, done = threading.Event(), threading.Event()

    def derive():
        started.set()
        value = db.scalar(_COUNT_TO, (20_000_000,))  # seconds: unlimited, as every memo
        done.set()
        return value

    worker = threading.Thread(target=db.memo, args=("slow", derive))
    worker.start()
    try:
        started.wait(10)
        with pytest.raises(QueryTimeout):  # meanwhile this thread's statements keep their limit
            db.scalar(_COUNT_TO, (50_000_000,))
        assert not done.is_set()
    finally:
        worker.join()
    assert db.memo("slow", lambda: None) == 20_000_000


def test_offloaded_calls_run_on_scan_threads_under_a_cpu_limit(db_path):
    import asyncio
    import threading

    import pytest

    from onetlocal.errors import Busy, QueryTimeout

    db = Database(db_path, time_limit_ms=5000, scan_cpu_ms=20)
    slow = (_COUNT_TO, (5_000_000,))

    async def main():
        where = await db.offload(lambda: threading.current_thread().name)
        assert where.startswith("onetlocal-scan") and where != threading.current_thread().name
        with pytest.raises(QueryTimeout, match="20 ms of CPU"):
            await db.offload(db.scalar, *slow)
        assert db.scalar(*slow) == 5_000_000  # inline: the ordinary limit
        db.SCAN_QUEUE = 2
        results = await asyncio.gather(*(db.offload(db.scalar, *slow) for _ in range(4)), return_exceptions=True)
        assert sum(isinstance(r, Busy) for r in results) == 2 and all(
            isinstance(r, (Busy, QueryTimeout)) for r in results
        )

    asyncio.run(main())


def test_a_call_runs_inline_unless_it_outlasts_its_budget(db_path):
    import asyncio
    import threading

    db = Database(db_path, time_limit_ms=30_000, scan_cpu_ms=30_000)  # limits far off: only the budget counts

    def where(n: int) -> tuple[str, int]:
        return threading.current_thread().name, db.scalar(_COUNT_TO, (n,))

    async def main():
        here = threading.current_thread().name
        assert await db.inline_or_offload(where, 10) == (here, 10)  # fast: no thread hop
        name, count = await db.inline_or_offload(where, 1_000_000)  # ~0.2 s of SQLite: stopped after 2 ms, moved
        assert name.startswith("onetlocal-scan") and count == 1_000_000
        assert db._local.budget == float("inf")  # this thread's later statements: the ordinary limit again

    asyncio.run(main())
