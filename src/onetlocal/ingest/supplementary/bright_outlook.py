"""O*NET OnLine Bright Outlook list (current CSV export): code, title, '; '-joined categories."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from onetlocal.ingest.readers import read_delimited, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Column, write_table
from onetlocal.vocabulary import BRIGHT_OUTLOOK_EXPORT


def import_bright_outlook(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_delimited(path)
    require_columns(path.name, header, ["Code", "Occupation", "Categories"])
    idx = {h.lower(): i for i, h in enumerate(header)}
    out = []
    for row in rows:
        for text in (row[idx["categories"]] or "").split(";"):
            text = text.strip()
            if text:
                category = BRIGHT_OUTLOOK_EXPORT.get(text)
                if category is None:
                    raise ValueError(f"{path.name}: unknown Bright Outlook category {text!r}")
                out.append([row[idx["code"]], row[idx["occupation"]], category[0], text])
    columns = [
        Column("onetsoc_code", "Code", "TEXT", "O*NET-SOC code"),
        Column("title", "Occupation", "TEXT", "Occupation title"),
        Column("category", "Category", "TEXT", "Bright Outlook category id: grow, openings or emerging"),
        Column("category_title", "Category Title", "TEXT", "Category as written in the O*NET OnLine export"),
    ]
    return write_table(
        conn,
        "bright_outlook",
        "Bright Outlook Occupations",
        "Occupations expected to grow rapidly, have many openings, or be new and emerging "
        "(one row per occupation and category).",
        columns,
        out,
        source="supplementary",
    )


IMPORTERS = [
    SupplementaryImporter(
        "bright_outlook", "onet-bright-outlook/All_Bright_Outlook_Occupations.csv", import_bright_outlook
    ),
]
