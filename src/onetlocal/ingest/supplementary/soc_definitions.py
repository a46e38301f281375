"""BLS 2018 SOC definitions -> `soc_definitions` (major, minor, broad and detailed groups with their definitions)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from onetlocal.ingest.readers import read_xlsx, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Column, write_table


def import_soc_definitions(conn: sqlite3.Connection, path: Path) -> int:
    # The workbook opens with title/notes rows; the header is the row starting "SOC Group".
    header, rows = read_xlsx(path, header_when=lambda r: r[0] == "SOC Group")
    require_columns(path.name, header, ["SOC Group", "SOC Code", "SOC Title", "SOC Definition"])
    idx = {h.lower(): i for i, h in enumerate(header)}
    out = [
        [r[idx["soc group"]], r[idx["soc code"]], r[idx["soc title"]], r[idx["soc definition"]]]
        for r in rows
        if r[idx["soc code"]]
    ]
    columns = [
        Column("soc_group", "SOC Group", "TEXT", "Major, Minor, Broad or Detailed"),
        Column("soc_code", "SOC Code", "TEXT", "2018 SOC code"),
        Column("soc_title", "SOC Title", "TEXT", "2018 SOC title"),
        Column("soc_definition", "SOC Definition", "TEXT", "Definition (detailed occupations only)"),
    ]
    return write_table(
        conn,
        "soc_definitions",
        "SOC 2018 Definitions",
        "The 2018 Standard Occupational Classification: every group with its title and, for "
        "detailed occupations, its definition (BLS).",
        columns,
        out,
        source="supplementary",
    )


IMPORTERS = [
    SupplementaryImporter("soc_definitions", "soc-2018/soc_2018_definitions.xlsx", import_soc_definitions),
]
