"""The one data-access layer: read-only connections to the built database and small query helpers.

Short indexed queries run inline in the event loop (measured far faster than a thread pool for this
workload); `Database` reopens its connection when the file is replaced by a rebuild, so a refresh needs
no restart and no request ever sees a half-built database. A file built by an older or newer onetlocal (another
`schema_version` in its `meta` table) is refused as a whole (503 `SchemaMismatch`), never served table by table.
"""

from __future__ import annotations

import math
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from onetlocal.errors import DatabaseMissing, DataNotAvailable, QueryTimeout, SchemaMismatch

Row = dict[str, Any]


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> Row:
    return {d[0]: v for d, v in zip(cursor.description, row)}


def readonly_uri(path: str | os.PathLike) -> str:
    """SQLite URI opening `path` read-only; the path is percent-encoded, so '%', '?' or '#' in a folder name
    cannot change the file opened or its mode."""
    return f"file:{quote(str(Path(path).absolute()))}?mode=ro"


def connect_readonly(path: str | os.PathLike) -> sqlite3.Connection:
    conn = sqlite3.connect(readonly_uri(path), uri=True, check_same_thread=False)
    conn.row_factory = _dict_row
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA cache_size = -65536")
    # No mmap: a file overwritten in place (cp, truncate) under a mapping kills the process with SIGBUS.
    conn.execute("PRAGMA mmap_size = 0")
    return conn


def open_build(path: str | os.PathLike) -> sqlite3.Connection:
    """A read-only connection to a complete build of the schema this code reads. Else `DatabaseMissing` (not a
    complete build: written in place, truncated, not a database) or `SchemaMismatch` (built by an older or newer
    onetlocal, whose tables differ)."""
    # Imported here: the build package is heavy, and `keys` commands import this module without needing it.
    from onetlocal.ingest import SCHEMA_VERSION

    conn = None
    try:
        conn = connect_readonly(path)
        found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise DatabaseMissing(f"the database at {path} is not usable ({exc}); "
                              "rebuild it with `onetlocal build`") from None
    version = None if found is None or found["value"] is None else str(found["value"])
    if version != SCHEMA_VERSION:
        conn.close()
        raise SchemaMismatch(path, version, SCHEMA_VERSION)
    return conn


class Database:
    """A read-only view of the built database at `path`, refreshed when the file is replaced."""

    #: How often (seconds) to look whether a rebuild replaced the file.
    CHECK_INTERVAL = 1.0
    #: How many `memo(..., bounded=True)` entries are kept (least recently used dropped first).
    BOUNDED_ENTRIES = 2048

    def __init__(self, path: str | os.PathLike, time_limit_ms: int = 1000):
        self.path = Path(path)
        self.time_limit = time_limit_ms / 1000
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._cache: dict[str, Any] = {}
        self._lru: OrderedDict[str, Any] = OrderedDict()
        self._deadline = math.inf
        self._unlimited = 0  # > 0 while a memo computes: derived data is built once, whatever it takes

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    @property
    def conn(self) -> sqlite3.Connection:
        now = time.monotonic()
        if self._conn is None or now - self._checked > self.CHECK_INTERVAL:
            with self._lock:
                identity = self._stat()
                if identity is None:
                    raise DatabaseMissing(f"no database at {self.path}: run `onetlocal build` first")
                if identity != self._identity or self._conn is None:
                    old, self._conn, self._identity = self._conn, None, None
                    if old is not None:
                        old.close()
                    self._conn = self._open()
                    self._identity = identity
                    self._cache = {}
                    self._lru = OrderedDict()
                self._checked = now
        return self._conn

    def _open(self) -> sqlite3.Connection:
        """A connection to a complete build of this schema, or 503: a file written in place (or truncated), or
        built by another onetlocal version, is not served. A failure leaves no connection, so every request
        looks again and a good build replacing the file is served at once."""
        conn = open_build(self.path)
        conn.set_progress_handler(self._over_time, 1000)
        return conn

    def _over_time(self) -> bool:
        return time.monotonic() > self._deadline

    def _execute(self, sql: str, params: Sequence[Any] | dict) -> sqlite3.Cursor:
        """Run one statement under the time limit; a damaged or replaced file is 503, never a 500."""
        conn = self.conn
        self._deadline = time.monotonic() + self.time_limit if not self._unlimited else math.inf
        try:
            return conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout(f"the query took longer than {self.time_limit * 1000:.0f} ms") from None
            if self._stat() != self._identity:
                self._checked = 0.0
                raise DatabaseMissing("the database file changed during the request; retry") from None
            raise
        except sqlite3.DatabaseError as exc:  # e.g. "database disk image is malformed": written in place
            self._checked = 0.0
            raise DatabaseMissing(f"the database at {self.path} is not readable ({exc})") from None

    @property
    def cache(self) -> dict[str, Any]:
        """Per-database-file memo for derived lookups (cleared when the file is replaced)."""
        self.conn  # noqa: B018 - refresh first
        return self._cache

    def _computed(self, compute: Callable[[], Any]) -> Any:
        """`compute()` without the statement time limit: derived data is built once, whatever it takes."""
        self._unlimited += 1
        try:
            return compute()
        finally:
            self._unlimited -= 1

    def memo(self, key: str, compute: Callable[[], Any], bounded: bool = False) -> Any:
        """`compute()`, computed once per database file under `key`. Data derived for the whole database (an
        index, a reference table) is kept until the file is replaced; `bounded=True` is for data derived per
        occupation (or per any other value a client can walk through): at most `BOUNDED_ENTRIES` such entries
        are kept, the least recently used dropped first, so walking every occupation cannot grow memory
        without limit. Values are shared between requests: callers never mutate them."""
        if not bounded:
            cache = self.cache
            if key not in cache:
                cache[key] = self._computed(compute)
            return cache[key]
        self.conn  # noqa: B018 - refresh first
        lru = self._lru
        try:
            lru.move_to_end(key)
            return lru[key]
        except KeyError:  # not there (or dropped by another thread meanwhile)
            pass
        value = lru[key] = self._computed(compute)
        while len(lru) > self.BOUNDED_ENTRIES:
            try:
                lru.popitem(last=False)
            except KeyError:
                break
        return value

    def exists(self) -> bool:
        return self._stat() is not None

    def all(self, sql: str, params: Sequence[Any] | dict = ()) -> list[Row]:
        return self._execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict = ()) -> Row | None:
        return self._execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = self._execute(sql, params).fetchone()
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
