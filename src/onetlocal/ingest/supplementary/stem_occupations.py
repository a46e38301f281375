"""O*NET OnLine STEM occupations export -> `stem_occupations` (one row per occupation and STEM type).

The export names the types but not their numbers; the numbers are the SOC Policy Committee's Attachment C order,
which is what `/online/stem_occupations/{type}` uses (seed: type 1 = Research, Development, Design, and
Practitioners).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from onetlocal.errors import BuildError
from onetlocal.ingest.readers import read_delimited, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Column, write_table

#: SOC 2018 Attachment C STEM occupation types, in their official order (= the API's type codes).
STEM_TYPES: dict[str, int] = {
    "Research, Development, Design, and Practitioners": 1,
    "Technologists and Technicians": 2,
    "Postsecondary Teaching": 3,
    "Managerial": 4,
    "Sales": 5,
}


def import_stem(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_delimited(path)
    require_columns(path.name, header, ["Code", "Occupation", "Occupation Types"])
    idx = {h.lower(): i for i, h in enumerate(header)}
    out = []
    for row in rows:
        for text in (row[idx["occupation types"]] or "").split(";"):
            text = text.strip()
            if not text:
                continue
            if text not in STEM_TYPES:
                raise BuildError(f"{path.name}: unknown STEM occupation type {text!r}")
            out.append([row[idx["code"]], row[idx["occupation"]], str(STEM_TYPES[text]), text])
    columns = [
        Column("onetsoc_code", "Code", "TEXT", "O*NET-SOC code"),
        Column("title", "Occupation", "TEXT", "Occupation title"),
        Column(
            "stem_type",
            "STEM Occupation Type Code",
            "INTEGER",
            "SOC Attachment C type: 1 research/design/practitioners, 2 technologists and technicians, "
            "3 postsecondary teaching, 4 managerial, 5 sales",
        ),
        Column("stem_type_title", "STEM Occupation Type", "TEXT", "Type title as in the O*NET OnLine export"),
    ]
    return write_table(
        conn,
        "stem_occupations",
        "STEM Occupations",
        "Occupations in science, technology, engineering and mathematics with their SOC STEM "
        "occupation types (one row per occupation and type).",
        columns,
        out,
        source="supplementary",
    )


IMPORTERS = [
    SupplementaryImporter("stem_occupations", "onet-stem-occupations/All_STEM_Occupations.csv", import_stem),
]
