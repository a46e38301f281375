"""The data-access layer's memo: whole-database entries kept, per-occupation (bounded) entries kept LRU within a
byte budget."""

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


def test_bounded_memo_keeps_the_most_recently_used_within_its_bytes(db_path, monkeypatch):
    monkeypatch.setattr(Database, "BOUNDED_BYTES", 300)
    db = Database(db_path)
    calls, compute = counting()
    for key in ("a", "b", "c"):
        db.memo(key, compute(key), bounded=True, size=100)
    db.memo("a", compute("a"), bounded=True, size=100)  # a is now the most recent: b is the oldest
    db.memo("d", compute("d"), bounded=True, size=100)  # drops b
    assert calls == ["a", "b", "c", "d"]
    for key in ("a", "c", "d"):
        db.memo(key, compute(key), bounded=True, size=100)
    assert calls == ["a", "b", "c", "d"]  # all three still there
    db.memo("b", compute("b"), bounded=True, size=100)
    assert calls[-1] == "b" and len(db._derived.bounded) == 3 and db._derived.bounded.size == 300


def test_walking_every_occupation_stays_within_the_bytes(db_path, monkeypatch):
    monkeypatch.setattr(Database, "BOUNDED_BYTES", 64 << 10)
    db = Database(db_path)
    codes = [r["onetsoc_code"] for r in db.all("SELECT onetsoc_code FROM occupation_data")]
    for code in codes:
        for section in ("skills", "tasks", "technology"):
            db.memo(f"{section}.{code}", lambda code=code: [code] * 20, bounded=True)
    bounded = db._derived.bounded
    assert 0 < bounded.size <= 64 << 10 and len(bounded) < len(codes) * 3
    assert not any(str(k).startswith("skills.") for k in db._derived.whole)  # never in the unbounded memo


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


def test_a_replaced_file_is_served_once_its_warmers_ran_and_the_old_one_until_then(tmp_path):
    """Issue 20 item 1: a rebuild's caches are derived on a thread of their own while requests keep the served file
    and its memos; then the new file is served with what the warm-up derived (no request builds it inline)."""
    import threading
    import time

    path = tmp_path / "db.sqlite"
    _tiny(path)
    db = Database(path)
    db.CHECK_INTERVAL = 0
    release, entered = threading.Event(), threading.Event()

    def warmer(d: Database) -> None:
        entered.set()
        release.wait(10)
        d.memo("index", lambda: d.scalar("SELECT value FROM meta WHERE key = 'built_at'"))

    db.warmers.append(warmer)
    assert db.memo("index", lambda: "old") == "old"
    new = tmp_path / "new.sqlite"
    _tiny(new)
    with sqlite3.connect(new) as conn:
        conn.execute("INSERT INTO meta VALUES ('built_at', 'new build')")
    conn.close()
    os.replace(new, path)
    assert db.memo("index", lambda: "inline") == "old"  # noticed the new file: warming it, the old one served
    assert entered.wait(10)
    assert db.memo("index", lambda: "inline") == "old" and db.scalar("SELECT count(*) FROM meta") == 1
    release.set()
    deadline = time.monotonic() + 10
    while db.memo("index", lambda: "inline") == "old" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert db.memo("index", lambda: "inline") == "new build"  # derived by the warm-up, not inline
    assert db.scalar("SELECT count(*) FROM meta") == 2  # and the new file is read


def test_a_new_file_that_is_not_a_database_is_switched_to_and_answers_503(tmp_path):
    import time

    import pytest

    from onetlocal.errors import DatabaseMissing

    path = tmp_path / "db.sqlite"
    _tiny(path)
    db = Database(path)
    db.CHECK_INTERVAL = 0
    db.warmers.append(lambda d: d.memo("x", lambda: d.scalar("SELECT 1")))
    assert db.healthy()
    (tmp_path / "bad").write_bytes(b"not a database" * 100)
    os.replace(tmp_path / "bad", path)
    deadline = time.monotonic() + 10
    while db.healthy() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not db.healthy()
    with pytest.raises(DatabaseMissing):
        db.scalar("SELECT 1")


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
