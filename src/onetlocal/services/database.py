"""Database services: the release tables as they are — table list, column info, filtered/sorted rows, export.

No SQL is built from user text: table and column names are checked against the registered schema
(`meta_tables`/`meta_columns`, plus the declarative `HOSTED_TABLES`) and quoted from there; every value is a
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
- Table ids: every imported table under its O*NET SQL name, **and** the hosted v2 ids (evidence Part 2 §3, §7):
  `essential_skills` = `skills`, `software_skills` = `technology_skills` with the hosted column names
  (`example` -> `workplace_example`, `commodity_title` -> `element_name`); filters, sorts and exports take the
  hosted names on those ids. Flags stay the release's "Y"/"N" strings.
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


@dataclass(frozen=True)
class HostedTable:
    """A table id of the hosted v2 Database service, answered from an imported release table."""

    table_id: str
    source: str  # the release table (O*NET SQL name) holding the rows
    title: str
    description: str
    renames: tuple[tuple[str, str], ...] = ()  # (release column id, hosted column id)


#: Hosted ids seen live (evidence.md Part 2 §3: `essential_skills`, title and description captured; §7:
#: `software_skills` rows `{onetsoc_code, workplace_example, element_name (the category), hot_technology,
#: in_demand}`). The other hosted ids seen (task_statements, sample_of_reported_titles, job_zones,
#: job_zone_reference) are the release names already.
HOSTED_TABLES: tuple[HostedTable, ...] = (
    HostedTable("essential_skills", "skills", "Essential Skills", "Provide essential skills ratings."),
    HostedTable("software_skills", "technology_skills", "Software Skills",
                "Software and technology examples per occupation, with hot technology and in-demand flags "
                "(the hosted service's id for technology_skills).",
                (("example", "workplace_example"), ("commodity_title", "element_name"))),
)
_HOSTED = {h.table_id: h for h in HOSTED_TABLES}

ONET_DICTIONARY = "https://onetcenter.org/dictionary/{version}/mssql/{table}.html"
HOSTED_DICTIONARY = "https://onetcenter.org/dictionary/api/{table}"


def _tables(ctx: Ctx) -> dict[str, dict]:
    """Every served table id -> {table_id, sql_table, title, description, source, row_count}, in listing order
    (a hosted id right after the release table it serves)."""
    def load() -> dict[str, dict]:
        out: dict[str, dict] = {}
        hosted_by_source = {h.source: h for h in HOSTED_TABLES}
        for r in ctx.db.all("SELECT * FROM meta_tables ORDER BY position"):
            out[r["table_id"]] = {**r, "sql_table": r["table_id"]}
            hosted = hosted_by_source.get(r["table_id"])
            if hosted and hosted.table_id not in out:
                out[hosted.table_id] = {**r, "table_id": hosted.table_id, "sql_table": r["table_id"],
                                        "title": hosted.title, "description": hosted.description, "source": "hosted"}
        return out

    return ctx.db.memo("database.tables", load)


def _columns(ctx: Ctx, table_id: str) -> dict[str, dict]:
    """Public column id -> column row, with `sql` = the stored column name (differs on hosted renames)."""
    def load() -> dict[str, dict]:
        hosted = _HOSTED.get(table_id)
        source = hosted.source if hosted else table_id
        renames = dict(hosted.renames) if hosted else {}
        out = {}
        for r in ctx.db.all("SELECT * FROM meta_columns WHERE table_id = ? ORDER BY position", (source,)):
            public = renames.get(r["column_id"], r["column_id"])
            title = public.replace("_", " ").title() if public != r["column_id"] else r["title"]
            out[public] = {**r, "table_id": table_id, "column_id": public, "title": title, "sql": r["column_id"]}
        return out

    return ctx.db.memo(f"database.columns.{table_id}", load)


def _table(ctx: Ctx, table_id: str) -> dict:
    table = _tables(ctx).get(table_id)
    if table is None:
        raise InvalidParameter(f"unknown table_id {table_id!r}; GET /database/ lists the tables")
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
        version = ctx.db.memo("database.onet_version", lambda: ctx.db.scalar(
            "SELECT value FROM meta WHERE key = 'onet_version'"))
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
    where, params = _where(filter, columns)
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
        table["row_count"] if not where
        else ctx.db.scalar(f"SELECT count(*) FROM {sql_table}{where}", params)
    )
    items = ctx.db.all(f"{select} LIMIT ? OFFSET ?", [*params, page.limit, page.offset])
    return ctx.paged(page, total, "row", items)
