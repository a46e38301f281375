"""O*NET Interest Profiler Short Form: the 60 items in administration order (the digit order of `answers`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from onetlocal.errors import BuildError
from onetlocal.ingest.readers import read_delimited, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.supplementary.typed import typed_rows
from onetlocal.ingest.tables import Cell, Column, write_table
from onetlocal.vocabulary import INTEREST_AREAS

COLUMNS = [
    Column("index", "Index", "INTEGER", "Position of the item in the Short Form (1-60) = digit of the answers string"),
    Column(
        "area",
        "Area",
        "TEXT",
        "RIASEC area scored by the item: realistic, investigative, artistic, social, enterprising or conventional",
    ),
    Column("area_title", "Area Title", "TEXT", "Area as written in the source (e.g. Realistic)"),
    Column("text", "Text", "TEXT", "Item text (an activity the user rates from Strongly Dislike to Strongly Like)"),
]


def import_questions(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_delimited(path, delimiter="\t")
    require_columns(path.name, header, ["index", "area", "text"])
    idx = {h.lower(): i for i, h in enumerate(header)}
    out: list[list[Cell]] = []
    for row in rows:
        title = row[idx["area"]] or ""
        if title.lower() not in INTEREST_AREAS:
            raise BuildError(f"{path.name}: unknown interest area {title!r}")
        out.append([row[idx["index"]], title.lower(), title, row[idx["text"]]])
    typed = sorted(typed_rows(path.name, COLUMNS, out), key=lambda r: r[0] or 0)
    if [r[0] for r in typed] != list(range(1, len(typed) + 1)):
        raise BuildError(f"{path.name}: item indexes must run 1..{len(typed)} without gaps or repeats")
    return write_table(
        conn,
        "ip_questions",
        "Interest Profiler Questions",
        "The 60 O*NET Interest Profiler Short Form items in administration order with their RIASEC area.",
        COLUMNS,
        typed,
        source="supplementary",
        indexes=[("index",)],
    )


IMPORTERS = [
    SupplementaryImporter("interest_profiler", "interest-profiler/ip-short-form-60.tsv", import_questions),
]
