"""API keys: created once, shown once, stored only as sha256 hashes in their own database.

The keys database lives outside the data database, so rebuilding the data never loses keys.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from onetlocal.db import readonly_uri
from onetlocal.errors import ConfigError

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
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


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
            conn.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, NULL)", (name, hash_key(key), key[:8], _now())
            )
        return key

    def list(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute("SELECT name, prefix, created_at, revoked_at FROM api_keys ORDER BY created_at, name")
            return [dict(zip(("name", "prefix", "created_at", "revoked_at"), r)) for r in rows]

    def revoke(self, name: str) -> None:
        if not self.path.exists():
            raise ConfigError(f"no keys database at {self.path}")
        with self._connect() as conn:
            cur = conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (_now(), name)
            )
            if cur.rowcount == 0:
                raise ConfigError(f"no active key named {name!r}")


class KeyVerifier:
    """Checks keys read-only against the keys database. Answers are remembered until the keys file changes
    (one stat per request instead of a hash and a query), so a revoke still takes effect at once."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._seen: dict[str, str | None] = {}
        self._identity: tuple[int, int] | None = None

    def name_for(self, key: str) -> str | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        identity = (st.st_ino, st.st_mtime_ns)
        if identity != self._identity:
            self._identity, self._seen = identity, {}
        if key not in self._seen:
            if len(self._seen) > 10_000:  # bound memory against floods of random keys
                self._seen.clear()
            self._seen[key] = self._lookup(key)
        return self._seen[key]

    def _lookup(self, key: str) -> str | None:
        if self._conn is None:
            self._conn = sqlite3.connect(readonly_uri(self.path), uri=True, check_same_thread=False)
        try:
            row = self._conn.execute(
                "SELECT name FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", (hash_key(key),)
            ).fetchone()
        except sqlite3.Error:
            self._conn = None
            return None
        return row[0] if row else None
