"""O*NET military crosswalk (milx0724.xlsx) -> `military_crosswalk`: military occupation codes (MOC) of every
service to 2018 SOC and O*NET-SOC 2019 occupations.

Layout. The workbook has one row per service x MOC record with up to four SOC and four O*NET-SOC columns; the
table is long: one row per record and O*NET-SOC code (`soc_code` = its first 7 characters, with the matching SOC
title), plus one row per SOC code that no O*NET-SOC code of the record covers, plus one row with both empty
for a record with neither. `record` is the 1-based data row of the workbook, so every source record is kept
(count(DISTINCT record) = the workbook's rows). `branch` names the five services whose SVC letters are certain
(PROVENANCE.md); the other letters are DMDC code sets left unnamed. Read with openpyxl read_only (about 4 s).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from onetlocal.ingest.readers import read_xlsx, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Column, write_table

BRANCHES = {"A": "Army", "N": "Navy", "F": "Air Force", "M": "Marine Corps", "C": "Coast Guard"}
_SLOTS = range(1, 5)


def import_military(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_xlsx(path, header_when=lambda r: r[0] == "SVC")
    require_columns(
        path.name,
        header,
        [
            "SVC",
            "MPC",
            "MOC",
            "MOC_TITLE",
            "STATUS",
            "SDATE",
            "EDATE",
            *(f"SOC{i}" for i in _SLOTS),
            *(f"ONET{i}" for i in _SLOTS),
        ],
    )
    idx = {h.upper(): i for i, h in enumerate(header)}

    def cell(row: list, name: str) -> str | None:
        i = idx.get(name)
        value = row[i] if i is not None else None
        return None if value in (None, "-") else value

    out = []
    for n, row in enumerate(rows, 1):
        head = [
            str(n),
            cell(row, "SVC"),
            BRANCHES.get(cell(row, "SVC") or ""),
            cell(row, "MPC"),
            cell(row, "MOC"),
            cell(row, "MOC_TITLE"),
            cell(row, "STATUS"),
            cell(row, "SDATE"),
            cell(row, "EDATE"),
        ]
        socs = {cell(row, f"SOC{i}"): cell(row, f"SOC{i}_TITLE") for i in _SLOTS if cell(row, f"SOC{i}")}
        links = []
        for i in _SLOTS:
            onet = cell(row, f"ONET{i}")
            if onet:
                links.append([onet[:7], socs.get(onet[:7]), onet, cell(row, f"ONET{i}_TITLE")])
        covered = {link[0] for link in links}
        links += [[soc, title, None, None] for soc, title in socs.items() if soc not in covered]
        for link in links or [[None, None, None, None]]:
            out.append(head + link)
    columns = [
        Column("record", "Record", "INTEGER", "1-based data row of the source workbook"),
        Column(
            "svc",
            "SVC",
            "TEXT",
            "Service / DMDC code set letter (A Army, N Navy, F Air Force, M Marine Corps, "
            "C Coast Guard; other letters: further DMDC code sets)",
        ),
        Column("branch", "Branch", "TEXT", "Service name for the certain SVC letters"),
        Column("mpc", "MPC", "TEXT", "Personnel category: E enlisted, O officer, W warrant officer"),
        Column("moc", "MOC", "TEXT", "Military occupation code"),
        Column("moc_title", "MOC Title", "TEXT", "Military occupation title"),
        Column("status", "Status", "TEXT", "A active, O obsolete"),
        Column("sdate", "Start Date", "TEXT", "Validity start (YYYYMM)"),
        Column("edate", "End Date", "TEXT", "Validity end (YYYYMM; 999912 = open-ended)"),
        Column("soc_code", "SOC Code", "TEXT", "2018 SOC code"),
        Column("soc_title", "SOC Title", "TEXT", "2018 SOC title"),
        Column("onetsoc_code", "O*NET-SOC Code", "TEXT", "O*NET-SOC 2019 code"),
        Column("onetsoc_title", "O*NET-SOC Title", "TEXT", "O*NET-SOC 2019 title"),
    ]
    return write_table(
        conn,
        "military_crosswalk",
        "Military Crosswalk",
        "Military occupation codes of all services linked to 2018 SOC and O*NET-SOC occupations "
        "(O*NET military crosswalk; one row per record and occupation).",
        columns,
        out,
        source="supplementary",
        indexes=[("moc",)],
    )


IMPORTERS = [
    SupplementaryImporter("military_crosswalk", "onet-military-crosswalk/milx0724.xlsx", import_military),
]
