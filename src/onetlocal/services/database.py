"""Database services: the release tables as they are — table list, column info, filtered/sorted rows, export.

No SQL is built from user text: table and column names are checked against the registered schema
(`meta_tables`/`meta_columns`) and quoted from there; every value is a bound parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onetlocal.ingest.tables import quote
from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.export import FORMATS, Stream, export

# Dates in the release are 'MM/YYYY'; compare them as YYYYMM.
_DATE_SQL = "(substr({col}, 4, 4) || substr({col}, 1, 2))"
_DATE_VALUE = re.compile(r"(\d{1,2})/(\d{4})", re.ASCII)

#: SQLite refuses LIKE patterns over 50,000 bytes; longer text cannot match any cell anyway, so say so (422).
MAX_PATTERN_BYTES = 20_000
#: SQLite integers are signed 64-bit; larger numbers are compared as REAL instead of overflowing.
_INT64 = range(-(2**63), 2**63)


@dataclass(frozen=True)
class Operator:
    sql: str  # template over {col}; one bound parameter
    types: tuple[str, ...]  # column types it applies to
    description: str
    wrap: str = "{}"  # how the value is shaped for the parameter (LIKE patterns)


_ALL = ("Text", "Number", "Date")
_ORDERED = ("Number", "Date")

#: filter=<column>.<op>.<value>
OPERATORS: dict[str, Operator] = {
    "eq": Operator("{col} = ?", _ALL, "equals"),
    "ne": Operator("{col} IS NOT ?", _ALL, "does not equal"),
    "lt": Operator("{col} < ?", _ORDERED, "less than"),
    "le": Operator("{col} <= ?", _ORDERED, "less than or equal to"),
    "gt": Operator("{col} > ?", _ORDERED, "greater than"),
    "ge": Operator("{col} >= ?", _ORDERED, "greater than or equal to"),
    "contains": Operator("{col} LIKE ? ESCAPE '\\'", _ALL, "contains (case-insensitive)", "%{}%"),
    "startswith": Operator("{col} LIKE ? ESCAPE '\\'", _ALL, "starts with (case-insensitive)", "{}%"),
    "endswith": Operator("{col} LIKE ? ESCAPE '\\'", _ALL, "ends with (case-insensitive)", "%{}"),
}

#: sort=<column>[.<direction>]
SORT_DIRECTIONS = {"ascending": "ASC", "descending": "DESC"}


def _tables(ctx: Ctx) -> dict[str, dict]:
    return ctx.db.memo("database.tables", lambda: {
        r["table_id"]: r for r in ctx.db.all("SELECT * FROM meta_tables ORDER BY position")
    })


def _columns(ctx: Ctx, table_id: str) -> dict[str, dict]:
    return ctx.db.memo(f"database.columns.{table_id}", lambda: {
        r["column_id"]: r
        for r in ctx.db.all("SELECT * FROM meta_columns WHERE table_id = ? ORDER BY position", (table_id,))
    })


def _table(ctx: Ctx, table_id: str) -> dict:
    table = _tables(ctx).get(table_id)
    if table is None:
        raise InvalidParameter(f"unknown table_id {table_id!r}; GET /database/ lists the tables")
    return table


def _entry(ctx: Ctx, table: dict) -> dict:
    tid = table["table_id"]
    return {
        "table_id": tid,
        "title": table["title"],
        "description": table["description"],
        "row_count": table["row_count"],
        "info": ctx.link(urls.DATABASE_INFO, table_id=tid),
        "rows": ctx.link(urls.DATABASE_ROWS, table_id=tid),
    }


def list_tables(ctx: Ctx) -> list[dict]:
    """A top-level array, as the v2 OpenAPI-derived clients expect."""
    return [_entry(ctx, t) for t in _tables(ctx).values()]


def table_info(ctx: Ctx, table_id: str) -> dict:
    table = _table(ctx, table_id)
    body = _entry(ctx, table)
    body["column"] = [
        {
            "column_id": c["column_id"],
            "title": c["title"],
            "type": c["type"],
            **({"format": "MM/YYYY"} if c["type"] == "Date" else {}),
            "optional": bool(c["optional"]),
            "description": c["description"],
        }
        for c in _columns(ctx, table_id).values()
    ]
    return body


def _typed(value: str, column: dict, param: str) -> object:
    if column["type"] == "Number":
        try:
            number = float(value)
        except ValueError:
            raise InvalidParameter(f"{param}: column {column['column_id']!r} is a number, got {value!r}") from None
        if value.strip().lstrip("+-").isascii() and value.strip().lstrip("+-").isdigit():
            exact = int(value)
            return exact if exact in _INT64 else number
        return number
    if column["type"] == "Date":
        match = _DATE_VALUE.fullmatch(value)
        if not match or not 1 <= int(match.group(1)) <= 12:
            raise InvalidParameter(f"{param}: dates are written MM/YYYY, got {value!r}")
        return f"{match.group(2)}{int(match.group(1)):02d}"
    return value


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(filters: list[str], columns: dict[str, dict]) -> tuple[str, list]:
    clauses, params = [], []
    for raw in filters:
        parts = raw.split(".", 2)
        if len(parts) != 3:
            raise InvalidParameter(f"filter {raw!r}: expected column.operator.value")
        column_name, op_name, value = parts
        column = columns.get(column_name)
        if column is None:
            raise InvalidParameter(f"filter {raw!r}: unknown column {column_name!r}")
        op = OPERATORS.get(op_name)
        if op is None:
            raise InvalidParameter(f"filter {raw!r}: unknown operator {op_name!r} (one of {', '.join(OPERATORS)})")
        if column["type"] not in op.types:
            raise InvalidParameter(f"filter {raw!r}: operator {op_name!r} does not apply to {column['type']} columns")
        col = quote(column["column_id"])
        if op.wrap != "{}":  # text pattern match, on the stored text
            pattern = op.wrap.format(_escape_like(value))
            if len(pattern.encode("utf-8", "surrogatepass")) > MAX_PATTERN_BYTES:
                raise InvalidParameter(f"filter on {column_name!r}: value too long for {op_name!r}")
            clauses.append(op.sql.format(col=col))
            params.append(pattern)
            continue
        if column["type"] == "Date":
            col = _DATE_SQL.format(col=col)
        clauses.append(op.sql.format(col=col))
        params.append(_typed(value, column, f"filter {raw!r}"))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _order(sorts: list[str], columns: dict[str, dict]) -> str:
    terms = []
    for raw in sorts:
        name, _, direction = raw.partition(".")
        if name not in columns:
            raise InvalidParameter(f"sort {raw!r}: unknown column {name!r}")
        sql_dir = SORT_DIRECTIONS.get(direction or "ascending")
        if sql_dir is None:
            raise InvalidParameter(f"sort {raw!r}: direction must be ascending or descending")
        col = quote(name)
        if columns[name]["type"] == "Date":
            col = _DATE_SQL.format(col=col)
        terms.append(f"{col} {sql_dir}")
    return " ORDER BY " + ", ".join(terms + ["rowid"])


def rows(ctx: Ctx, table_id: str, filter: list[str], sort: list[str], format: str, page: Page) -> dict | Stream:
    """Rows of a table, filtered and sorted; `format=csv|jsonl` streams every matching row."""
    table = _table(ctx, table_id)
    columns = _columns(ctx, table_id)
    where, params = _where(filter, columns)
    order = _order(sort, columns)
    select = f"SELECT {', '.join(map(quote, columns))} FROM {quote(table['table_id'])}{where}{order}"
    if format != "json":
        return export(format, table_id, list(columns), ctx.db.stream(select, params))
    total = (
        table["row_count"] if not where
        else ctx.db.scalar(f"SELECT count(*) FROM {quote(table['table_id'])}{where}", params)
    )
    items = ctx.db.all(f"{select} LIMIT ? OFFSET ?", [*params, page.limit, page.offset])
    return ctx.paged(page, total, "row", items)
