"""BLS Employment Projections `education.xlsx`, Table 5.3: educational attainment of workers 25 and older per
National Employment Matrix code (ACS based), the distribution behind CareerOneStop's EducationType percentages.

Table 5.4 (typical education / experience / training) is not imported: `bls_projections` holds the newer cycle's
assignments for the same codes.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from onetlocal.ingest.readers import read_xlsx, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.supplementary.typed import typed_rows
from onetlocal.ingest.tables import Column, write_table
from onetlocal.vocabulary import ATTAINMENT_LEVELS as LEVELS

SHEET = "Table 5.3"
SOC_RE = re.compile(r"^\d{2}-\d{4}$")
#: Title suffix BLS uses for "not an exact match with the ACS occupation" (footnote 1).
INEXACT = "(1)"

COLUMNS = [
    Column("soc_code", "SOC Code", "TEXT", "National Employment Matrix code (SOC 2018 based; 00-0000 = total)"),
    Column("title", "Title", "TEXT", "Occupation title (footnote mark removed)"),
    Column(
        "acs_exact_match",
        "ACS Exact Match",
        "INTEGER",
        "0 when BLS notes the occupation is not an exact match with the ACS occupation",
    ),
    *[
        Column(cid, header, "REAL", f"Percent of workers 25+ whose highest attainment is: {header}")
        for header, cid in LEVELS
    ],
]


def _is_header(row: list[str | None]) -> bool:
    return any("National Employment Matrix code" in (c or "") for c in row)


def import_attainment(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_xlsx(path, SHEET, header_when=_is_header)
    title_col = next(h for h in header if "National Employment Matrix title" in h)
    code_col = next(h for h in header if "National Employment Matrix code" in h)
    require_columns(f"{path.name} {SHEET}", header, [h for h, _ in LEVELS])
    idx = {h.lower(): i for i, h in enumerate(header)}
    out = []
    for row in rows:
        code = (row[idx[code_col.lower()]] or "").strip()
        if not SOC_RE.match(code):
            continue  # footnotes below the table
        title = (row[idx[title_col.lower()]] or "").strip()
        exact = not title.endswith(INEXACT)
        out.append(
            [code, title.removesuffix(INEXACT).strip(), str(int(exact)), *[row[idx[h.lower()]] for h, _ in LEVELS]]
        )
    return write_table(
        conn,
        "bls_education_attainment",
        "BLS Educational Attainment",
        "Educational attainment distribution of workers 25 years and older per occupation (BLS "
        "Employment Projections Table 5.3, ACS data).",
        COLUMNS,
        typed_rows(f"{path.name} {SHEET}", COLUMNS, out),
        source="supplementary",
    )


IMPORTERS = [
    SupplementaryImporter("bls_education_attainment", "bls-ep-education-2020-30/education.xlsx", import_attainment),
]
