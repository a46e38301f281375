"""The O*NET-SOC 2019 taxonomy package: occupation listings of every taxonomy (2000–2019), the official
crosswalks between them and to 2018 SOC, the SOC structure, the 2010->2019 change lists, the 2019 data-level and
non-data-level listings (incl. military-specific occupations), and the initial 2019 alternate titles and tasks.

Every workbook starts with title rows; its header is the first row with three or more cells. Within a folder each
file is optional (a missing one is skipped); a table is written only when at least one of its files exists.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from onetlocal.errors import BuildError
from onetlocal.ingest.readers import read_xlsx
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Column, write_table

_SOURCE = "supplementary"
_DIR = "onet-soc-2019-taxonomy"
TAXONOMIES = ("2000", "2006", "2009", "2010", "2019")
#: (from, to) taxonomy pairs published as O*NET-SOC -> O*NET-SOC crosswalks.
CROSSWALKS = (("2000", "2006"), ("2006", "2009"), ("2009", "2010"), ("2010", "2019"))
#: taxonomy -> file of its O*NET-SOC -> 2018 SOC crosswalk.
SOC_CROSSWALKS = {"2010": "2010_to_2018_SOC_Crosswalk.xlsx", "2019": "2019_to_SOC_Crosswalk.xlsx"}
_CODE = re.compile(r"\d{2}-\d{4}(\.\d{2})?\Z")


def _read(path: Path, width: int) -> list[list[str | None]]:
    """Data rows of a listing workbook, checked to have `width` columns with a code in the first."""
    header, rows = read_xlsx(path, header_when=lambda r: sum(c is not None for c in r) >= 3)
    if len(header) < width:
        raise BuildError(f"{path.name}: expected {width} columns, found {header}")
    return [(r + [None] * width)[:width] for r in rows]


def _code(path: Path, value: str | None) -> str:
    if value is None or not _CODE.match(value):
        raise BuildError(f"{path.name}: not an occupation code: {value!r}")
    return value


def import_taxonomies(conn: sqlite3.Connection, folder: Path) -> int:
    out = []
    for taxonomy in TAXONOMIES:
        path = folder / f"{taxonomy}_Occupations.xlsx"
        if path.exists():
            out += [[taxonomy, _code(path, r[0]), r[1], r[2]] for r in _read(path, 3)]
    if not out:
        return 0
    columns = [
        Column("taxonomy", "Taxonomy", "TEXT", "O*NET-SOC taxonomy year: 2000, 2006, 2009, 2010 or 2019"),
        Column("onetsoc_code", "O*NET-SOC Code", "TEXT", "O*NET-SOC code in that taxonomy"),
        Column("title", "Title", "TEXT", "Occupation title"),
        Column("description", "Description", "TEXT", "Occupation description"),
    ]
    return write_table(
        conn,
        "taxonomy_occupations",
        "O*NET-SOC Taxonomies",
        "Occupations of each O*NET-SOC taxonomy (2000 to 2019) with titles and descriptions.",
        columns,
        out,
        source=_SOURCE,
        indexes=[("taxonomy", "onetsoc_code")],
    )


def import_crosswalks(conn: sqlite3.Connection, folder: Path) -> int:
    out = []
    for old, new in CROSSWALKS:
        path = folder / f"{old}_to_{new}_Crosswalk.xlsx"
        if path.exists():
            out += [[old, _code(path, r[0]), r[1], new, _code(path, r[2]), r[3]] for r in _read(path, 4)]
    if not out:
        return 0
    columns = [
        Column("from_taxonomy", "From Taxonomy", "TEXT", "Older O*NET-SOC taxonomy year"),
        Column("from_code", "From Code", "TEXT", "O*NET-SOC code in the older taxonomy"),
        Column("from_title", "From Title", "TEXT", "Title in the older taxonomy"),
        Column("to_taxonomy", "To Taxonomy", "TEXT", "Newer O*NET-SOC taxonomy year"),
        Column("to_code", "To Code", "TEXT", "O*NET-SOC code in the newer taxonomy"),
        Column("to_title", "To Title", "TEXT", "Title in the newer taxonomy"),
    ]
    return write_table(
        conn,
        "taxonomy_crosswalks",
        "O*NET-SOC Taxonomy Crosswalks",
        "Official O*NET-SOC crosswalks between consecutive taxonomies (2000->2006->2009->2010->2019); "
        "many-to-many, one row per link.",
        columns,
        out,
        source=_SOURCE,
        indexes=[("from_taxonomy", "from_code"), ("to_taxonomy", "to_code")],
    )


def import_soc_crosswalks(conn: sqlite3.Connection, folder: Path) -> int:
    out = []
    for taxonomy, name in SOC_CROSSWALKS.items():
        path = folder / name
        if path.exists():
            out += [[taxonomy, _code(path, r[0]), r[1], _code(path, r[2]), r[3]] for r in _read(path, 4)]
    if not out:
        return 0
    columns = [
        Column("taxonomy", "Taxonomy", "TEXT", "O*NET-SOC taxonomy year (2010 or 2019)"),
        Column("onetsoc_code", "O*NET-SOC Code", "TEXT", "O*NET-SOC code"),
        Column("onetsoc_title", "O*NET-SOC Title", "TEXT", "O*NET-SOC title"),
        Column("soc_code", "2018 SOC Code", "TEXT", "2018 SOC detailed occupation code"),
        Column("soc_title", "2018 SOC Title", "TEXT", "2018 SOC title"),
    ]
    return write_table(
        conn,
        "taxonomy_soc_crosswalk",
        "O*NET-SOC to 2018 SOC Crosswalk",
        "Official crosswalks from O*NET-SOC 2019 and 2010 codes to 2018 SOC codes.",
        columns,
        out,
        source=_SOURCE,
    )


def import_soc_structure(conn: sqlite3.Connection, path: Path) -> int:
    """One row per level: the code sits in the column of its level (major .. O*NET-SOC detail)."""
    levels = ("Major Group", "Minor Group", "Broad Occupation", "Detailed Occupation", "Detailed O*NET-SOC")
    out, major = [], None
    for r in _read(path, 6):
        level = next((i for i in range(5) if r[i]), None)
        if level is None:
            raise BuildError(f"{path.name}: row without a code: {r}")
        code = _code(path, r[level])
        major = code if level == 0 else major
        out.append([levels[level], code, r[5], major])
    columns = [
        Column(
            "level",
            "Level",
            "TEXT",
            "Major Group, Minor Group, Broad Occupation, Detailed Occupation or Detailed O*NET-SOC",
        ),
        Column("code", "Code", "TEXT", "SOC or O*NET-SOC code"),
        Column("title", "Title", "TEXT", "SOC or O*NET-SOC 2019 title"),
        Column("major_group", "Major Group", "TEXT", "SOC major group (the O*NET job family) of the row"),
    ]
    return write_table(
        conn,
        "soc_structure",
        "SOC and O*NET-SOC 2019 Structure",
        "The 2018 SOC hierarchy (major, minor, broad, detailed) with the O*NET-SOC 2019 occupations "
        "below it, in published order.",
        columns,
        out,
        source=_SOURCE,
        indexes=[("code",)],
    )


def import_changes(conn: sqlite3.Connection, folder: Path) -> int:
    out = []
    added = folder / "Added.xlsx"
    if added.exists():
        out += [["added", None, None, _code(added, r[0]), r[1], r[2]] for r in _read(added, 3)]
    for kind in ("Code", "Title", "Description"):
        path = folder / f"{kind}_Changes.xlsx"
        if path.exists():
            out += [[kind.lower(), _code(path, r[0]), r[1], _code(path, r[2]), r[3], None] for r in _read(path, 4)]
    if not out:
        return 0
    columns = [
        Column("change", "Change", "TEXT", "added, code, title or description"),
        Column("code_2010", "O*NET-SOC 2010 Code", "TEXT", "2010 code (not for added occupations)"),
        Column("title_2010", "O*NET-SOC 2010 Title", "TEXT", "2010 title"),
        Column("code_2019", "O*NET-SOC 2019 Code", "TEXT", "2019 code"),
        Column("title_2019", "O*NET-SOC 2019 Title", "TEXT", "2019 title"),
        Column("description_2019", "O*NET-SOC 2019 Description", "TEXT", "Description (added occupations)"),
    ]
    return write_table(
        conn,
        "taxonomy_changes",
        "O*NET-SOC 2019 Taxonomy Changes",
        "Occupations added in O*NET-SOC 2019 and those whose code, title or description changed from 2010.",
        columns,
        out,
        source=_SOURCE,
        indexes=[("code_2019",), ("code_2010",)],
    )


def import_listings(conn: sqlite3.Connection, folder: Path) -> int:
    """Data-level and non-data-level listings; `listing` is the file name, e.g. military, new_emerging."""
    out = []
    for sub in ("2019_Data_Level", "2019_Non_Data_Level"):
        for path in sorted((folder / sub).glob("*.xlsx")):
            out += [
                [sub.removeprefix("2019_").lower(), path.stem.lower(), _code(path, r[0]), r[1], r[2]]
                for r in _read(path, 3)
            ]
    if not out:
        return 0
    columns = [
        Column("category", "Category", "TEXT", "data_level or non_data_level"),
        Column(
            "listing",
            "Listing",
            "TEXT",
            "data_collection_plan, detailed, new_emerging, "
            "soc_level_with_detailed, soc_level_without_detailed, military, soc_all_other_with_detailed, "
            "soc_all_other_without_detailed or titles_only",
        ),
        Column("onetsoc_code", "O*NET-SOC 2019 Code", "TEXT", "O*NET-SOC 2019 code"),
        Column("title", "Title", "TEXT", "O*NET-SOC 2019 title"),
        Column("description", "Description", "TEXT", "O*NET-SOC 2019 description"),
    ]
    return write_table(
        conn,
        "taxonomy_listings",
        "O*NET-SOC 2019 Occupation Listings",
        "O*NET-SOC 2019 occupations by listing: data-level (data collection plan, detailed, new & "
        "emerging, ...) and non-data-level (military-specific, all other, titles only).",
        columns,
        out,
        source=_SOURCE,
        indexes=[("listing",)],
    )


def import_alt_titles(conn: sqlite3.Connection, path: Path) -> int:
    out = [[_code(path, r[0]), r[1], r[2]] for r in _read(path, 3)]
    columns = [
        Column("onetsoc_code", "O*NET-SOC 2019 Code", "TEXT", "O*NET-SOC 2019 code"),
        Column("title", "Title", "TEXT", "Occupation title"),
        Column("alternate_title", "Alternate Title", "TEXT", "Initial alternate title"),
    ]
    return write_table(
        conn,
        "taxonomy_2019_alt_titles",
        "O*NET-SOC 2019 Initial Alternate Titles",
        "Initial alternate titles for the occupations added in O*NET-SOC 2019.",
        columns,
        out,
        source=_SOURCE,
    )


def import_tasks(conn: sqlite3.Connection, path: Path) -> int:
    out = [[_code(path, r[0]), r[1], r[2]] for r in _read(path, 3)]
    columns = [
        Column("onetsoc_code", "O*NET-SOC 2019 Code", "TEXT", "O*NET-SOC 2019 code"),
        Column("title", "Title", "TEXT", "Occupation title"),
        Column("task", "Task Statement", "TEXT", "Initial task statement"),
    ]
    return write_table(
        conn,
        "taxonomy_2019_tasks",
        "O*NET-SOC 2019 Initial Tasks",
        "Initial task listings of the O*NET-SOC 2019 taxonomy.",
        columns,
        out,
        source=_SOURCE,
    )


IMPORTERS = [
    SupplementaryImporter("taxonomy_occupations", f"{_DIR}/Taxonomies", import_taxonomies),
    SupplementaryImporter("taxonomy_crosswalks", f"{_DIR}/Crosswalks", import_crosswalks),
    SupplementaryImporter("taxonomy_soc_crosswalk", f"{_DIR}/Crosswalks", import_soc_crosswalks),
    SupplementaryImporter("soc_structure", f"{_DIR}/2019_Structure/SOC_Structure.xlsx", import_soc_structure),
    SupplementaryImporter("taxonomy_changes", f"{_DIR}/2019_Changes", import_changes),
    SupplementaryImporter("taxonomy_listings", _DIR, import_listings),
    SupplementaryImporter("taxonomy_2019_alt_titles", f"{_DIR}/2019_Structure/2019_Alt_Titles.xlsx", import_alt_titles),
    SupplementaryImporter("taxonomy_2019_tasks", f"{_DIR}/2019_Structure/2019_Tasks.xlsx", import_tasks),
]
