"""API keys: created once, shown once, stored only as sha256 hashes in their own database.

The keys database lives outside the data database, so rebuilding the data never loses keys.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from onetlocal.db import readonly_uri
from onetlocal.errors import ConfigError
from onetlocal.memo import MISSING, LruBytes

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    name TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
)
"""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    """A new random key; `olk_` makes it recognisable (e.g. by secret scanners)."""
    return "olk_" + secrets.token_urlsafe(32)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class KeyStore:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path)
        conn.execute(_SCHEMA)
        os.chmod(self.path, 0o600)
        return conn

    def create(self, name: str) -> str:
        """Create a key called `name`; returns the key itself, which is never stored."""
        if not name.strip():
            raise ConfigError("a key needs a non-empty name")
        key = new_key()
        with self._connect() as conn:
            if conn.execute("SELECT 1 FROM api_keys WHERE name = ?", (name,)).fetchone():
                raise ConfigError(f"a key named {name!r} exists already")
            conn.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, NULL)", (name, hash_key(key), key[:8], _now()))
        return key

    def list(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute("SELECT name, prefix, created_at, revoked_at FROM api_keys ORDER BY created_at, name")
            return [dict(zip(("name", "prefix", "created_at", "revoked_at"), r, strict=True)) for r in rows]

    def revoke(self, name: str) -> None:
        if not self.path.exists():
            raise ConfigError(f"no keys database at {self.path}")
        with self._connect() as conn:
            cur = conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (_now(), name)
            )
            if cur.rowcount == 0:
                raise ConfigError(f"no active key named {name!r}")


#: The longest key looked up at all: ours are 47 characters (`olk_` + 43); anything much longer is refused before
#: it is hashed or remembered, so a flood of huge random keys costs neither CPU nor memory.
MAX_KEY_LENGTH = 256


class AnswerCache:
    """Key lookups remembered by the key's sha256 digest (32 bytes, whatever the key's size), in the one bounded
    memo (`memo.LruBytes`): what a flood of random keys can make a worker hold is at most `max_bytes` (default
    2 MB, about 10,000 answers), not the keys it was sent."""

    #: Rough per-entry cost: the digest, the name string, the tuple and the table slot.
    ENTRY_OVERHEAD = 33 + 49 + 56 + 100

    def __init__(self, max_bytes: int = 2 << 20):
        self.max_bytes = max_bytes
        self._answers = LruBytes(max_bytes)

    @staticmethod
    def digest(key: str) -> bytes:
        return hashlib.sha256(key.encode()).digest()

    def get(self, digest: bytes, now: float = 0.0) -> tuple[str | None] | None:
        """(name,) if remembered and not expired at `now`, else None."""
        hit = self._answers.get(digest)
        if hit is MISSING or (hit[1] and hit[1] <= now):
            return None
        return (hit[0],)

    def put(self, digest: bytes, name: str | None, expires: float = 0.0) -> None:
        self._answers.put(digest, (name, expires), self.ENTRY_OVERHEAD + len(name or ""))

    @property
    def size(self) -> int:
        return self._answers.size

    def clear(self) -> None:
        self._answers.clear()


class KeyVerifier:
    """Checks keys read-only against the keys database. Answers are remembered (by the key's hash, bounded in
    bytes) until the keys file changes (one stat per request instead of a query), so a revoke takes effect at
    once."""

    def __init__(self, path: str | os.PathLike, max_cache_bytes: int = 2 << 20):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._seen = AnswerCache(max_cache_bytes)
        self._identity: tuple[int, int] | None = None

    def name_for(self, key: str) -> str | None:
        if len(key) > MAX_KEY_LENGTH:
            return None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        identity = (st.st_ino, st.st_mtime_ns)
        if identity != self._identity:
            self._identity = identity
            self._seen.clear()
        digest = AnswerCache.digest(key)
        hit = self._seen.get(digest)
        if hit is None:
            name = self._lookup(digest.hex())
            self._seen.put(digest, name)
            return name
        return hit[0]

    def _lookup(self, key_hash: str) -> str | None:
        if self._conn is None:
            self._conn = sqlite3.connect(readonly_uri(self.path), uri=True, check_same_thread=False)
        try:
            row = self._conn.execute(
                "SELECT name FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", (key_hash,)
            ).fetchone()
        except sqlite3.Error:
            self._conn = None
            return None
        return row[0] if row else None
