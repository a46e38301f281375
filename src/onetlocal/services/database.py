"""Database services: the release tables as they are — table list, column info, filtered/sorted rows, export.

No SQL is built from user text: table and column names are checked against the registered schema
(`meta_tables`/`meta_columns`, plus the declarative `releases.ALIASES`) and quoted from there; every value is a
bound parameter.

Shapes follow the capture of the hosted service (evidence.md Part 2 §3; docs/compatibility.md, "Browse and
database"):
- `GET /database/` is a top-level array of `{info, rows, table_id, title, description}` (no row count).
- `GET /database/info/{t}` is `{table_id, title, description, rows, data_dictionary, download, column: [...]}`;
  columns `{column_id, title, type, format (Date columns only), optional, description}`. `type` stays
  `Text|Number|Date` (the v1 words the spec names; the capture's column details are marked unreliable).
  `data_dictionary`: the captured `https://onetcenter.org/dictionary/api/{id}` for the hosted ids, O*NET's data
  dictionary page of this release for release tables (`.../dictionary/30.1/mssql/skills.html`, the form cited in
  evidence §8), and our own info document for supplementary tables (no official dictionary exists).
  `download`: `{excel, text}` (the spec-derived key pair, evidence Part 2 §5; the capture shows `excel`): links to
  this table's rows as an .xlsx workbook and as a tab-delimited text file (release layout), every row.
- Table ids: the loaded release's own (O*NET 30.3+: `essential_skills`, `software_skills`, `job_titles`, ...; up
  to 30.2: `skills`, `technology_skills`, ...). On a release before 30.3 the hosted ids it can answer are served
  too (`releases.ALIASES`: `essential_skills`/`transferable_skills` = the 2.A/2.B rows of `skills`,
  `software_skills` = `technology_skills` with the 30.3 column names). An id of the other layout is a 422 naming
  its successor or predecessor (`releases.CORRESPONDENCES`). Flags stay the release's "Y"/"N" strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.export import Stream, export
from onetlocal.releases import ALIASES, CURRENT, LEGACY, counterparts, files_of
from onetlocal.sql import quote

# Dates in the release are 'MM/YYYY'; compare them as YYYYMM.
_DATE_SQL = "(substr({col}, 4, 4) || substr({col}, 1, 2))"
_DATE_VALUE = re.compile(r"(\d{1,2})/(\d{4})", re.ASCII)

#: SQLite refuses LIKE patterns over 50,000 bytes; longer text cannot match any cell anyway, so say so (422).
MAX_PATTERN_BYTES = 20_000
#: More filters or sort keys than any real query needs would only build huge SQL expressions.
MAX_FILTERS = 50
MAX_SORTS = 20
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


ONET_DICTIONARY = "https://onetcenter.org/dictionary/{version}/mssql/{table}.html"
HOSTED_DICTIONARY = "https://onetcenter.org/dictionary/api/{table}"
_ALIASES = {a.table_id: a for a in ALIASES}


def _tables(ctx: Ctx) -> dict[str, dict]:
    """Every served table id -> {table_id, sql_table, where, title, description, source, row_count}, in listing
    order: the release's own tables, then, on a release before 30.3, the hosted ids it can answer (`ALIASES`)."""

    def load() -> dict[str, dict]:
        out: dict[str, dict] = {}
        for r in ctx.db.all("SELECT * FROM meta_tables ORDER BY position"):
            out[r["table_id"]] = {**r, "sql_table": r["table_id"], "where": ""}
        for alias in ALIASES:
            base = out.get(alias.source)
            if base is None or alias.table_id in out:
                continue
            count = (
                base["row_count"]
                if not alias.where
                else ctx.db.scalar(f"SELECT count(*) FROM {quote(alias.source)} WHERE {alias.where}")
            )
            out[alias.table_id] = {
                **base,
                "table_id": alias.table_id,
                "where": alias.where,
                "title": alias.title,
                "description": alias.description,
                "source": "hosted",
                "row_count": count,
            }
        return out

    return ctx.db.memo("database.tables", load)


def _columns(ctx: Ctx, table_id: str) -> dict[str, dict]:
    """Public column id -> column row, with `sql` = the stored column name (differs on an alias's renames)."""

    def load() -> dict[str, dict]:
        table = _table(ctx, table_id)
        alias = _ALIASES.get(table_id) if table["source"] == "hosted" else None
        renames = dict(alias.renames) if alias else {}
        out = {}
        for r in ctx.db.all("SELECT * FROM meta_columns WHERE table_id = ? ORDER BY position", (table["sql_table"],)):
            stored: str = r["column_id"]
            public = renames.get(stored, stored)
            title = public.replace("_", " ").title() if public != r["column_id"] else r["title"]
            out[public] = {**r, "table_id": table_id, "column_id": public, "title": title, "sql": r["column_id"]}
        return out

    return ctx.db.memo(f"database.columns.{table_id}", load)


def _release(ctx: Ctx) -> tuple[str, str]:
    meta = ctx.db.meta()
    return meta.get("onet_layout", LEGACY), meta.get("onet_version", "?")


def _unknown_table(ctx: Ctx, table_id: str) -> str:
    """Why `table_id` is not here, naming its successor or predecessor when it belongs to the other layout."""
    layout, version = _release(ctx)
    known = _tables(ctx)
    other = counterparts(table_id, layout)
    message = f"unknown table_id {table_id!r}"
    absent = next((f for f in files_of(layout) if f.table_id == table_id), None)
    if absent is not None:
        message += f": the O*NET {version} release given to the build had no '{absent.name}' file"
    elif other is not None:
        # Name every counterpart, also one whose file the build lacked (job_titles absent is not job_titles dropped).
        names = other.current if layout == CURRENT else other.legacy
        missing = [t for t in names if t not in known]
        note = f", without {' + '.join(missing)}: the release had no such file" if missing else ""
        if layout == CURRENT:
            became = f"became {' + '.join(names)} in 30.3" if names else "was dropped in 30.3"
            message += (
                f": a table of O*NET releases before 30.3, which {became} (this database holds O*NET {version}{note})"
            )
        else:
            was = f"replaces {' + '.join(names)}" if names else "is new"
            message += f": a table of O*NET 30.3 and later, where it {was} (this database holds O*NET {version}{note})"
    return message + "; GET /database/ lists the tables"


def _table(ctx: Ctx, table_id: str) -> dict:
    table = _tables(ctx).get(table_id)
    if table is None:
        raise InvalidParameter(_unknown_table(ctx, table_id))
    return table


def list_tables(ctx: Ctx) -> list[dict]:
    """A top-level array of `{info, rows, table_id, title, description}`, as captured (evidence Part 2 §3)."""
    return [
        {
            "info": ctx.link(urls.DATABASE_INFO, table_id=t["table_id"]),
            "rows": ctx.link(urls.DATABASE_ROWS, table_id=t["table_id"]),
            "table_id": t["table_id"],
            "title": t["title"],
            "description": t["description"],
        }
        for t in _tables(ctx).values()
    ]


def _data_dictionary(ctx: Ctx, table: dict) -> str:
    if table["source"] == "hosted":
        return HOSTED_DICTIONARY.format(table=table["table_id"])
    if table["source"] == "onet":
        version = ctx.db.memo(
            "database.onet_version", lambda: ctx.db.scalar("SELECT value FROM meta WHERE key = 'onet_version'")
        )
        if version and version != "unknown":
            return ONET_DICTIONARY.format(version=version, table=table["table_id"])
    return ctx.link(urls.DATABASE_INFO, table_id=table["table_id"])


def table_info(ctx: Ctx, table_id: str) -> dict:
    """`{table_id, title, description, rows, data_dictionary, download, column}` as captured."""
    table = _table(ctx, table_id)
    tid = table["table_id"]
    body: dict = {
        "table_id": tid,
        "title": table["title"],
        "description": table["description"],
        "rows": ctx.link(urls.DATABASE_ROWS, table_id=tid),
        "data_dictionary": _data_dictionary(ctx, table),
        "download": {fmt: ctx.link(urls.DATABASE_ROWS, {"format": fmt}, table_id=tid) for fmt in ("excel", "text")},
    }
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


def _where(filters: list[str], columns: dict[str, dict], fixed: str = "") -> tuple[str, list]:
    """The WHERE clause of user filters (and of an alias's own condition, `fixed`, written in releases.py)."""
    clauses: list[str] = [f"({fixed})"] if fixed else []
    params: list[object] = []
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
        col = quote(column["sql"])
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
        col = quote(columns[name]["sql"])
        if columns[name]["type"] == "Date":
            col = _DATE_SQL.format(col=col)
        terms.append(f"{col} {sql_dir}")
    return " ORDER BY " + ", ".join(terms + ["rowid"])


def rows(ctx: Ctx, table_id: str, filter: list[str], sort: list[str], format: str, page: Page) -> dict | Stream:
    """Rows of a table, filtered and sorted; `format=csv|text|excel|jsonl` streams every matching row."""
    table = _table(ctx, table_id)
    columns = _columns(ctx, table_id)
    where, params = _where(filter, columns, table["where"])
    order = _order(sort, columns)
    fields = ", ".join(
        quote(c["sql"]) if c["sql"] == cid else f"{quote(c['sql'])} AS {quote(cid)}" for cid, c in columns.items()
    )
    sql_table = quote(table["sql_table"])
    select = f"SELECT {fields} FROM {sql_table}{where}{order}"
    if format != "json":
        titles = [c["title"] for c in columns.values()]
        return export(format, table_id, list(columns), ctx.db.stream(select, params), titles)
    total = (
        table["row_count"]  # counted at load, with an alias's own condition
        if not filter
        else ctx.db.scalar(f"SELECT count(*) FROM {sql_table}{where}", params)
    )
    items = ctx.db.all(f"{select} LIMIT ? OFFSET ?", [*params, page.limit, page.offset])
    return ctx.paged(page, total, "row", items)
