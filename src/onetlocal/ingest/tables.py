"""Writing one data table into the database under build, and registering it for Database services.

Every importer goes through `write_table`, so every table gets the same typing, metadata and indexes.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from onetlocal.sql import quote

META_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS meta_tables (
    table_id TEXT PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL,
    source TEXT NOT NULL, row_count INTEGER NOT NULL, position INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta_columns (
    table_id TEXT NOT NULL, column_id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL,
    type TEXT NOT NULL, optional INTEGER NOT NULL, description TEXT NOT NULL,
    PRIMARY KEY (table_id, column_id)
);
"""

#: Columns the services look rows up by; each gets an index wherever it appears.
LOOKUP_COLUMNS = (
    "onetsoc_code",
    "element_id",
    "task_id",
    "dwa_id",
    "iwa_id",
    "commodity_code",
    "related_onetsoc_code",
    "soc_code",
    "scale_id",
    "dwa_element_id",
    "iwa_element_id",
)

#: A cell written by `write_table`: text from a source file, or a number an importer computed (None = empty).
Cell = str | int | float | None

_INT = re.compile(r"-?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"-?[0-9]*\.[0-9]+\Z|-?[0-9]+\.[0-9]*\Z")

#: O*NET's own names for headers that plain snake_case would get wrong.
_COLUMN_NAMES = {
    "o*net-soc code": "onetsoc_code",
    "related o*net-soc code": "related_onetsoc_code",
    "date": "date_updated",
    "source(s)": "sources",
    "index": "related_index",
}


def column_id(header: str) -> str:
    """'O*NET-SOC Code' -> 'onetsoc_code', 'Lower CI Bound' -> 'lower_ci_bound' (O*NET SQL names)."""
    key = header.strip().lower()
    if key in _COLUMN_NAMES:
        return _COLUMN_NAMES[key]
    key = key.replace("o*net-soc", "onetsoc")
    return re.sub(r"[^a-z0-9]+", "_", key).strip("_") or "column"


@dataclass(frozen=True)
class Column:
    id: str
    title: str
    type: str  # SQLite affinity: TEXT, INTEGER or REAL
    description: str = ""

    @property
    def api_type(self) -> str:
        if self.id.startswith("date"):
            return "Date"
        return "Number" if self.type in ("INTEGER", "REAL") else "Text"


def infer_type(values: Iterable[str | None]) -> str:
    """The narrowest affinity that holds every non-empty value; codes with leading zeros stay TEXT."""
    kind = "INTEGER"
    seen = False
    for value in values:
        if value is None:
            continue
        seen = True
        if kind == "INTEGER" and _INT.match(value):
            continue
        if _FLOAT.match(value) or _INT.match(value):
            kind = "REAL"
            continue
        return "TEXT"
    return kind if seen else "TEXT"


def _convert(value: Cell, kind: str) -> Cell:
    if value is None:
        return None
    if kind == "INTEGER":
        return int(value)
    if kind == "REAL":
        return float(value)
    return value


def write_table(
    conn: sqlite3.Connection,
    table_id: str,
    title: str,
    description: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    source: str,
    register: bool = True,
    indexes: Iterable[Sequence[str]] = (),
) -> int:
    """Create `table_id` with `columns`, insert `rows` (text cells, None = empty) typed per column.

    `register=False` keeps a helper table out of Database services. Returns the row count.
    """
    conn.execute(f"DROP TABLE IF EXISTS {quote(table_id)}")
    conn.execute(f"CREATE TABLE {quote(table_id)} ({', '.join(f'{quote(c.id)} {c.type}' for c in columns)})")
    kinds = [c.type for c in columns]
    placeholders = ", ".join("?" for _ in columns)
    conn.executemany(
        f"INSERT INTO {quote(table_id)} VALUES ({placeholders})",
        ([_convert(v, k) for v, k in zip(row, kinds, strict=False)] for row in rows),
    )
    index_table(conn, table_id, [c.id for c in columns], indexes)
    if register:
        position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM meta_tables").fetchone()[0]
        conn.execute(
            "INSERT OR REPLACE INTO meta_tables VALUES (?, ?, ?, ?, ?, ?)",
            (table_id, title, description, source, len(rows), position),
        )
        conn.execute("DELETE FROM meta_columns WHERE table_id = ?", (table_id,))
        conn.executemany(
            "INSERT INTO meta_columns VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (table_id, c.id, i, c.title, c.api_type, int(any(r[i] is None for r in rows)), c.description)
                for i, c in enumerate(columns)
            ],
        )
    return len(rows)


def index_table(
    conn: sqlite3.Connection, table_id: str, column_ids: Sequence[str], indexes: Iterable[Sequence[str]] = ()
) -> None:
    """Index every lookup column of a table (and `indexes`), the same for imported and derived tables."""
    ids = set(column_ids)
    wanted = [(c,) for c in LOOKUP_COLUMNS if c in ids] + [tuple(ix) for ix in indexes]
    if {"onetsoc_code", "element_id", "scale_id"} <= ids:
        wanted.append(("onetsoc_code", "scale_id", "element_id"))
    for cols in wanted:
        name = f"ix_{table_id}_{'_'.join(cols)}"
        conn.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table_id)} ({', '.join(map(quote, cols))})")


def typed_columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[str | None]],
    descriptions: dict[str, str] | None = None,
    hints: dict[str, str] | None = None,
) -> list[Column]:
    """Columns for `headers`, typed from the data (or from `hints` when there are no rows)."""
    descriptions = descriptions or {}
    hints = hints or {}
    columns = []
    for i, header in enumerate(headers):
        cid = column_id(header)
        kind = infer_type(r[i] for r in rows) if rows else hints.get(cid, "TEXT")
        columns.append(Column(cid, header.strip(), kind, descriptions.get(cid, "")))
    return columns
