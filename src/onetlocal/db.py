"""The one data-access layer: read-only connections to the built database and small query helpers.

Short indexed queries run inline in the event loop (measured far faster than a thread hop for this workload);
the statements that can scan (`/database/rows`) run on a few threads of their own, stopped after 250 ms of CPU, so
one of them never holds the loop (`Database.offload`). Every thread has its own connection and its own statement
deadline. `Database` reopens its connections when the file is replaced by a rebuild, so a refresh needs no
restart and no request ever sees a half-built database; a statement that fails because the file changed under it
(overwritten or truncated in place) answers 503, like a missing file. A file built by an older or newer onetlocal
(another `schema_version` in its `meta` table) is refused as a whole (503 `SchemaMismatch`), never served table by
table.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from onetlocal.errors import Busy, DatabaseMissing, DataNotAvailable, QueryTimeout, SchemaMismatch
from onetlocal.memo import MISSING, LruBytes, Size
from onetlocal.schema import SCHEMA_VERSION

Row = dict[str, Any]
T = TypeVar("T")
log = logging.getLogger("onetlocal")


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> Row:
    return {d[0]: v for d, v in zip(cursor.description, row, strict=True)}


def readonly_uri(path: str | os.PathLike) -> str:
    """SQLite URI opening `path` read-only; the path is percent-encoded, so '%', '?' or '#' in a folder name
    cannot change the file opened or its mode."""
    return f"file:{quote(str(Path(path).absolute()))}?mode=ro"


def connect_readonly(path: str | os.PathLike, cache_kib: int = 65536) -> sqlite3.Connection:
    conn = sqlite3.connect(readonly_uri(path), uri=True, check_same_thread=False)
    conn.row_factory = _dict_row
    conn.execute("PRAGMA query_only = 1")
    conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    # No mmap: a file overwritten in place (cp, truncate) under a mapping kills the process with SIGBUS.
    conn.execute("PRAGMA mmap_size = 0")
    return conn


def open_build(path: str | os.PathLike, cache_kib: int = 65536) -> sqlite3.Connection:
    """A read-only connection to a complete build of the schema this code reads. Else `DatabaseMissing` (not a
    complete build: written in place, truncated, not a database) or `SchemaMismatch` (built by an older or newer
    onetlocal, whose tables differ)."""
    conn = None
    try:
        conn = connect_readonly(path, cache_kib)
        found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise DatabaseMissing(
            f"the database at {path} is not usable ({exc}); rebuild it with `onetlocal build`"
        ) from None
    version = None if found is None or found["value"] is None else str(found["value"])
    if version != SCHEMA_VERSION:
        conn.close()
        raise SchemaMismatch(path, version, SCHEMA_VERSION)
    return conn


class _Thread(threading.local):
    """What one thread holds of a `Database`: its own connection (a connection is never shared between threads),
    and the time limit and deadline of the statement it runs. Class attributes are the defaults of each thread."""

    conn: sqlite3.Connection | None = None
    generation = -1  # the Database's generation the connection was opened at
    fingerprint: tuple | None = None  # (inode, size, mtime) and meta built_at of the file it opened
    cpu_limit: float | None = None  # seconds of this thread's CPU a statement may use (scan threads), besides
    cache_kib = 65536  # the database's wall-clock time limit
    deadline = math.inf
    cpu_deadline = math.inf
    budget = math.inf  # thread CPU time an inline attempt (`inline_or_offload`) must end by
    unlimited = 0  # > 0 while a memo computes: derived data is built once, whatever it takes
    pending: _Derived | None = None  # the warm-up thread: what it derives from the file not served yet


class _Derived:
    """What is derived from one database file: data about the whole database (an index, a reference table), kept
    while the file is served, and data per value a client can walk through (a report per occupation), least
    recently used dropped first beyond `max_bytes`."""

    def __init__(self, max_bytes: int):
        self.whole: dict[Hashable, Any] = {}
        self.bounded = LruBytes(max_bytes)


class _OverBudget(Exception):
    """The inline attempt of `Database.inline_or_offload` ran out of its budget (never leaves this module)."""


def _built_at(conn: sqlite3.Connection) -> str | None:
    """When the file was built (`meta.built_at`): what tells one build from another of the same size."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()
    return None if row is None else row["value"]


#: SQLite result codes that mean the file itself is damaged or unreadable (never the statement's fault).
_SQLITE_INTERRUPT = 9
_DAMAGED = {10, 11, 14, 26}  # SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_NOTADB


class Database:
    """A read-only view of the built database at `path`, refreshed when the file is replaced.

    Each thread reads through its own connection, under its own statement deadline (a progress handler), so the
    time limit holds whichever threads run statements. Calls whose statements can scan (`inline_or_offload`:
    `/database/rows`) run inline for at most `INLINE_MS`; one that needs longer is stopped and run again on
    `SCAN_THREADS` threads of their own, each statement there stopped after `scan_cpu_ms` of CPU (CPU, not wall
    time: a busy machine does not turn a legitimate scan into a 503). Everything else runs where it is called
    (inline on the event loop: short indexed queries and memoised lookups, measured far faster than a thread hop).
    """

    #: How often (seconds) to look whether a rebuild replaced the file.
    CHECK_INTERVAL = 1.0
    #: Bytes of `memo(..., bounded=True)` entries kept per process (least recently used dropped first): the
    #: reports of every occupation on every site would take several times that.
    BOUNDED_BYTES = 48 << 20
    #: Threads per process running the calls that can scan (`offload`), each with its own connection. One: a worker
    #: then scans on at most one core, and its event loop keeps the other (two threads on 2 cores: 1.3k instead of
    #: 1.95k req/s of a cached report while two slow sorts loop, benchmarks/bench_contention.py).
    SCAN_THREADS = 1
    #: Page cache of each of those connections (KiB; the inline connection keeps 64 MiB).
    SCAN_CACHE_KIB = 16384
    #: Calls in `offload` (running or waiting) beyond which a new one answers 503 `Busy` at once.
    SCAN_QUEUE = 128
    #: CPU time (ms) of the event loop's thread a call of `inline_or_offload` may take before it moves to a scan
    #: thread. An indexed `/database/rows` query takes ~0.1 ms; a thread hop for every one cost a third of their
    #: req/s (3.0k -> 1.9k).
    INLINE_MS = 2.0

    def __init__(self, path: str | os.PathLike, time_limit_ms: int = 1000, scan_cpu_ms: int = 250):
        self.path = Path(path)
        self.time_limit = time_limit_ms / 1000
        self.scan_cpu = scan_cpu_ms / 1000
        self._local = _Thread()
        self._identity: tuple[int, int, int] | None = None
        self._generation = 0
        self._checked = -math.inf
        self._lock = threading.Lock()
        self._derived = _Derived(self.BOUNDED_BYTES)
        #: Run on a new file before it is served (`_warm`): what the first requests would otherwise build inline.
        self.warmers: list[Callable[[Database], None]] = []
        self._warming: tuple[int, int, int] | None = None  # the file being warmed up
        self._pool: ThreadPoolExecutor | None = None
        self._offloaded = 0

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _connection(self, state: _Thread) -> sqlite3.Connection:
        """This thread's connection, reopened when the file was replaced (looked at every `CHECK_INTERVAL`)."""
        if state.pending is not None:  # the warm-up thread reads the new file only
            return state.conn  # type: ignore[return-value]
        now = time.monotonic()
        if now - self._checked > self.CHECK_INTERVAL:
            self._refresh(now)
        if state.conn is None or state.generation != self._generation:
            self._reopen(state)
        return state.conn  # type: ignore[return-value]

    def _refresh(self, now: float) -> None:
        with self._lock:
            identity = self._stat()
            if identity is None:  # not remembered as checked: every request looks again
                raise DatabaseMissing(f"no database at {self.path}: run `onetlocal build` first")
            if identity != self._identity and identity != self._warming:
                # A new inode (a rebuild renames its file over the old one): the old file stays readable through
                # the open connections, so it is served until the new one is warm. The same inode changed in place
                # (truncated, written over): nothing of the old file is left to serve.
                if self._identity is not None and identity[0] != self._identity[0] and self.warmers:
                    self._warming = identity
                    threading.Thread(target=self._warm, args=(identity,), name="onetlocal-warm", daemon=True).start()
                else:
                    self._renew(identity)
            self._checked = now

    def _renew(self, identity: tuple[int, int, int] | None, derived: _Derived | None = None) -> None:
        """Another file (or one changed in place): every thread reopens, and what was derived from the old file
        is dropped (replaced by `derived`, made from the new one). Under `_lock`."""
        self._identity = identity
        self._generation += 1
        self._derived = derived or _Derived(self.BOUNDED_BYTES)

    def _warm(self, identity: tuple[int, int, int]) -> None:
        """On a thread of its own: derive what the `warmers` derive from the new file at `path` (`identity`), then
        serve it, with that data. Requests meanwhile are answered from the file served so far (its connections
        stay open on it: a rebuild replaces the file by a rename). A new file that cannot be read, or that changes
        again meanwhile, is switched to without it: its requests then answer as they would have (503)."""
        state = self._local
        derived: _Derived | None = _Derived(self.BOUNDED_BYTES)
        started = time.perf_counter()
        try:
            state.conn = open_build(self.path, state.cache_kib)
            if self._stat() != identity:
                derived = None
            else:
                state.pending = derived
                for warm in self.warmers:
                    warm(self)
        except Exception as exc:  # noqa: BLE001 - any failure: switch without warm data, requests will say why
            log.warning("could not prepare the new database (%s): switching to it unprepared", exc)
            derived = None
        finally:
            state.pending = None
            self._drop(state)
        with self._lock:
            if self._warming != identity:  # an even newer file replaced it meanwhile: that one's warm-up switches
                return
            self._renew(identity, derived if self._stat() == identity else None)
            self._checked = -math.inf  # look again at the next request
            self._warming = None
        if derived is not None:
            log.info("new database prepared in %.1f s: now served", time.perf_counter() - started)

    def _reopen(self, state: _Thread) -> None:
        """A connection to a complete build of this schema, or 503: a file written in place (or truncated), or
        built by another onetlocal version, is not served. A failure leaves no connection, so every request
        looks again and a good build replacing the file is served at once."""
        self._drop(state)
        before = self._stat()
        if before is None:
            raise DatabaseMissing(f"no database at {self.path}: run `onetlocal build` first")
        conn = open_build(self.path, state.cache_kib)
        try:
            built_at, readable = _built_at(conn), True
        except sqlite3.DatabaseError:
            built_at, readable = None, False
        if self._stat() != before or not readable:  # being written while it was opened
            conn.close()
            raise DatabaseMissing("the database file is being written; retry")
        conn.set_progress_handler(self._over_time, 1000)
        with self._lock:
            if before not in (self._identity, self._warming):  # changed since the last look: drop what was derived
                self._renew(before)
                self._checked = time.monotonic()
            state.conn, state.generation, state.fingerprint = conn, self._generation, (before, built_at)

    @staticmethod
    def _drop(state: _Thread) -> None:
        old, state.conn, state.fingerprint = state.conn, None, None
        if old is not None:
            old.close()

    def _over_time(self) -> bool:
        state = self._local
        return time.monotonic() > state.deadline or (
            state.cpu_deadline != math.inf and time.thread_time() > state.cpu_deadline
        )

    def _changed(self, fingerprint: tuple | None) -> bool:
        """Whether the file is no longer the one `fingerprint` describes (or cannot be read now): its inode,
        size or mtime moved, or a fresh connection reads another `built_at`, or none."""
        if fingerprint is None or self._stat() != fingerprint[0]:
            return True
        conn = None
        try:
            conn = connect_readonly(self.path, 0)
            return _built_at(conn) != fingerprint[1]
        except sqlite3.DatabaseError:
            return True
        finally:
            if conn is not None:
                conn.close()

    def _failure(self, exc: sqlite3.DatabaseError, state: _Thread) -> Exception | None:
        """What a failed statement answers: 503 `QueryTimeout` when the time limit stopped it; 503
        `DatabaseMissing` when the file changed under it (overwritten in place, truncated, replaced) or is damaged;
        None (the error itself, a 500) only for a statement that fails on the very file it was meant for."""
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == _SQLITE_INTERRUPT or "interrupted" in str(exc):
            # A fresh connection next time (~0.8 ms): CPython 3.11 leaves an interrupted statement marked in use in
            # the connection's statement cache, so every later run of the same SQL was prepared anew (+17 us each).
            self._drop(state)
            if time.thread_time() >= state.budget:
                return _OverBudget()
            if state.cpu_limit is not None and time.thread_time() > state.cpu_deadline:
                return QueryTimeout(
                    f"the query used more than {state.cpu_limit * 1000:.0f} ms of CPU, the limit of "
                    "row queries: narrow it with filters, or download every row with format=csv"
                )
            return QueryTimeout(f"the query took longer than {self.time_limit * 1000:.0f} ms")
        fingerprint = state.fingerprint
        self._drop(state)  # never reused: it may hold pages or a schema read from another file
        changed = self._changed(fingerprint)
        if changed or code in _DAMAGED or not isinstance(exc, sqlite3.OperationalError):
            with self._lock:
                self._renew(None)  # look again at the next request, from a fresh connection
                self._checked = -math.inf
            if changed:
                return DatabaseMissing("the database file changed during the request; retry")
            return DatabaseMissing(f"the database at {self.path} is not readable ({exc})")
        return None

    def _run(self, sql: str, params: Sequence[Any] | dict, fetch: Callable[[sqlite3.Cursor], Any]) -> Any:
        """Run one statement and read its rows under this thread's time limit; a damaged or replaced file is 503,
        never a 500 (rows are read inside: a page of another file can fail any step, not only the first)."""
        state = self._local
        conn = self._connection(state)
        if state.unlimited:
            state.deadline = state.cpu_deadline = math.inf
        else:
            state.deadline = time.monotonic() + self.time_limit
            state.cpu_deadline = state.budget if state.cpu_limit is None else time.thread_time() + state.cpu_limit
        try:
            return fetch(conn.execute(sql, params))
        except sqlite3.DatabaseError as exc:
            error = self._failure(exc, state)
            if error is None:
                raise
            raise error from None

    async def inline_or_offload(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` inline if it ends within `INLINE_MS` of the loop thread's CPU (the fast indexed
        queries: no thread hop), else stopped there and run again on a scan thread (`offload`): a slow scan holds
        the event loop for at most `INLINE_MS` (and ~1 ms to replace the interrupted connection). CPU time, not
        wall time: a loop thread the OS preempts is not holding anyone. `fn` only reads: running it again is safe."""
        state = self._local
        state.budget = time.thread_time() + self.INLINE_MS / 1000
        try:
            return fn(*args, **kwargs)
        except _OverBudget:
            pass
        finally:
            state.budget = math.inf
        return await self.offload(fn, *args, **kwargs)

    async def offload(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` on a scan thread, under the scan CPU limit: the event loop goes on serving
        other requests meanwhile. At most `SCAN_QUEUE` calls run or wait per process; beyond that 503 `Busy`."""
        with self._lock:
            if self._offloaded >= self.SCAN_QUEUE:
                raise Busy("the server is busy with other database queries; retry shortly")
            self._offloaded += 1
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.SCAN_THREADS, "onetlocal-scan", self._scan_thread)
            pool = self._pool
        try:
            call = functools.partial(contextvars.copy_context().run, fn, *args, **kwargs)
            return await asyncio.get_running_loop().run_in_executor(pool, call)
        finally:
            with self._lock:
                self._offloaded -= 1

    def _scan_thread(self) -> None:
        self._local.cpu_limit = self.scan_cpu
        self._local.cache_kib = self.SCAN_CACHE_KIB

    def _derived_now(self) -> _Derived:
        """What is derived from the file this thread reads (the file served; in the warm-up thread, the new one)."""
        state = self._local
        if state.pending is not None:
            return state.pending
        self._connection(state)  # refresh first
        return self._derived

    def _computed(self, compute: Callable[[], Any]) -> Any:
        """`compute()` without the statement time limit: derived data is built once, whatever it takes."""
        state = self._local
        state.unlimited += 1
        try:
            return compute()
        finally:
            state.unlimited -= 1

    def memo(self, key: Hashable, compute: Callable[[], Any], bounded: bool = False, size: Size = None) -> Any:
        """`compute()`, computed once per database file under `key`. Data derived for the whole database (an
        index, a reference table) is kept until the file is replaced; `bounded=True` is for data derived per
        occupation (or per any other value a client can walk through): such entries share `BOUNDED_BYTES` (each
        weighed by `size`, a number or a function of the value, else `memo.approx_size`), the least recently used
        dropped first, so walking every occupation cannot grow memory without limit. Values are shared between
        requests: callers never mutate them."""
        derived = self._derived_now()
        if not bounded:
            whole = derived.whole
            if key not in whole:
                whole[key] = self._computed(compute)
            return whole[key]
        value = derived.bounded.get(key)
        if value is MISSING:
            value = derived.bounded.put(key, self._computed(compute), size)
        return value

    def exists(self) -> bool:
        return self._stat() is not None

    def all(self, sql: str, params: Sequence[Any] | dict = ()) -> list[Row]:
        return self._run(sql, params, sqlite3.Cursor.fetchall)

    def one(self, sql: str, params: Sequence[Any] | dict = ()) -> Row | None:
        return self._run(sql, params, sqlite3.Cursor.fetchone)

    def scalar(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = self._run(sql, params, sqlite3.Cursor.fetchone)
        return next(iter(row.values())) if row else None

    def healthy(self) -> bool:
        """What /healthz reports: the routes would be served (the file exists and is a complete build of the
        schema this code reads)."""
        try:
            self.one("SELECT key FROM meta LIMIT 1")
        except DatabaseMissing:
            return False
        return True

    def stream(self, sql: str, params: Sequence[Any] | dict = ()) -> Iterator[Row]:
        """Rows one by one on a private connection (for exports running in a worker thread)."""
        conn = open_build(self.path)
        try:
            yield from conn.execute(sql, params)
        finally:
            conn.close()

    def table_exists(self, name: str) -> bool:
        """A table or a view (on a 30.3+ build some service tables are views of the release's tables)."""
        sql = "SELECT 1 AS x FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?"
        return self.one(sql, (name,)) is not None

    def require(self, what: str, *tables: str) -> None:
        """422 `DataNotAvailable` naming `what` when any of `tables` (optional sources) was not imported."""
        missing = [t for t in tables if not self.table_exists(t)]
        if missing:
            raise DataNotAvailable(what, missing)

    def meta(self) -> dict[str, str]:
        return self.memo("meta", lambda: {r["key"]: r["value"] for r in self.all("SELECT key, value FROM meta")})
