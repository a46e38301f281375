"""Projections Central state long-term occupational projections (the CSV of the REST rows; Nevada 2024-34 here).

One row per state and SOC code as served; other states simply have no rows (never invented).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from onetlocal.ingest.readers import read_delimited, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.supplementary.typed import typed_rows
from onetlocal.ingest.tables import Column, write_table

#: (source header, column) in table order.
COLUMNS = [
    ("STFIPS", Column("state_fips", "State FIPS", "TEXT", "2-digit state FIPS code")),
    ("Area", Column("state_name", "State", "TEXT", "State name")),
    (
        "OccCode",
        Column("soc_code", "SOC Code", "TEXT", "SOC 2018 code (00-0000 = all occupations; some aggregates end in 0)"),
    ),
    ("Title", Column("title", "Title", "TEXT", "Occupation title as worded by the state agency")),
    ("BaseYear", Column("base_year", "Base Year", "INTEGER", "Base year of the projection")),
    ("ProjYear", Column("projected_year", "Projected Year", "INTEGER", "Projection year")),
    ("Base", Column("base_employment", "Base Employment", "INTEGER", "Employment in the base year (rounded to 10)")),
    (
        "Projected",
        Column("projected_employment", "Projected Employment", "INTEGER", "Projected employment (rounded to 10)"),
    ),
    ("Change", Column("change", "Change", "INTEGER", "Numeric change (from unrounded figures)")),
    ("PercentChange", Column("percent_change", "Percent Change", "REAL", "Percent change (from unrounded figures)")),
    (
        "AvgAnnualOpenings",
        Column("annual_openings", "Annual Openings", "INTEGER", "Average annual openings over the decade"),
    ),
    ("StateURL", Column("state_url", "State URL", "TEXT", "The state LMI projections page")),
]


def import_state_projections(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_delimited(path)
    require_columns(path.name, header, [h for h, _ in COLUMNS])
    idx = {h.lower(): i for i, h in enumerate(header)}
    picked = [[row[idx[h.lower()]] for h, _ in COLUMNS] for row in rows]
    picked[:] = [[v.zfill(2) if i == 0 and v else v for i, v in enumerate(r)] for r in picked]
    columns = [c for _, c in COLUMNS]
    out = sorted(typed_rows(path.name, columns, picked), key=lambda r: (r[0], r[2]))
    return write_table(
        conn,
        "state_projections",
        "State Long-Term Projections",
        "State long-term occupational employment projections from Projections Central (one row per "
        "state and SOC code).",
        columns,
        out,
        source="supplementary",
        indexes=[("state_fips", "soc_code")],
    )


IMPORTERS = [
    SupplementaryImporter(
        "state_projections",
        "projectionscentral-longterm-nv-2024-34/nv-longterm-2024-2034.csv",
        import_state_projections,
    ),
]
