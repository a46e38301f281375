"""The one data-access layer: read-only connections to the built database and small query helpers.

Short indexed queries run inline in the event loop (measured far faster than a thread pool for this
workload); `Database` reopens its connection when the file is replaced by a rebuild, so a refresh needs
no restart and no request ever sees a half-built database.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from onetlocal.errors import DatabaseMissing, DataNotAvailable

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
    conn.execute("PRAGMA mmap_size = 268435456")
    return conn


class Database:
    """A read-only view of the built database at `path`, refreshed when the file is replaced."""

    #: How often (seconds) to look whether a rebuild replaced the file.
    CHECK_INTERVAL = 1.0

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._cache: dict[str, Any] = {}

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
                self._checked = now
                identity = self._stat()
                if identity is None:
                    raise DatabaseMissing(f"no database at {self.path}: run `onetlocal build` first")
                if identity != self._identity or self._conn is None:
                    old = self._conn
                    self._conn = connect_readonly(self.path)
                    self._identity = identity
                    self._cache = {}
                    if old is not None:
                        old.close()
        return self._conn

    @property
    def cache(self) -> dict[str, Any]:
        """Per-database-file memo for derived lookups (cleared when the file is replaced)."""
        self.conn  # noqa: B018 - refresh first
        return self._cache

    def memo(self, key: str, compute):
        cache = self.cache
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def exists(self) -> bool:
        return self._stat() is not None

    def all(self, sql: str, params: Sequence[Any] | dict = ()) -> list[Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] | dict = ()) -> Row | None:
        return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return next(iter(row.values())) if row else None

    def stream(self, sql: str, params: Sequence[Any] | dict = ()) -> Iterator[Row]:
        """Rows one by one on a private connection (for exports running in a worker thread)."""
        conn = connect_readonly(self.path)
        try:
            yield from conn.execute(sql, params)
        finally:
            conn.close()

    def table_exists(self, name: str) -> bool:
        return self.one("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None

    def require(self, what: str, *tables: str) -> None:
        """422 `DataNotAvailable` naming `what` when any of `tables` (optional sources) was not imported."""
        missing = [t for t in tables if not self.table_exists(t)]
        if missing:
            raise DataNotAvailable(what, missing)

    def meta(self) -> dict[str, str]:
        return self.memo("meta", lambda: {r["key"]: r["value"] for r in self.all("SELECT key, value FROM meta")})
