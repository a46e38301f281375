"""BLS Employment Projections `occupation.xlsx`, Table 1.2: national projections and worker characteristics per
National Employment Matrix (SOC 2018 based) code, with the Occupational Outlook Handbook link of each occupation.

Headers are matched with their years abstracted, so the workbook of another projections cycle imports the same
way. The OOH links are cell hyperlinks, which openpyxl's fast read-only mode does not expose, and loading the whole
workbook in normal mode costs ~1 s (all 12 sheets): they are read from the sheet's XML relationships instead.
"""

from __future__ import annotations

import posixpath
import re
import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from onetlocal.errors import BuildError
from onetlocal.ingest.readers import require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.supplementary.typed import typed_rows
from onetlocal.ingest.tables import Column, write_table

SHEET = "Table 1.2"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SOC_RE = re.compile(r"^\d{2}-\d{4}$")

#: (header with years written YYYY and footnote marks removed, column). Repeated headers match in order.
SPEC: list[tuple[str, Column]] = [
    (
        "YYYY National Employment Matrix code",
        Column(
            "soc_code",
            "SOC Code",
            "TEXT",
            "National Employment Matrix code (SOC 2018 based; EP aggregates may end in 0 or 9)",
        ),
    ),
    ("YYYY National Employment Matrix title", Column("title", "Title", "TEXT", "Occupation title (indent removed)")),
    (
        "Occupation type",
        Column("occupation_type", "Occupation Type", "TEXT", "Line item (detailed occupation) or Summary (aggregate)"),
    ),
    (
        "Employment, YYYY",
        Column("employment_base_thousands", "Employment, Base Year", "REAL", "Employment in the base year, thousands"),
    ),
    (
        "Employment, YYYY",
        Column(
            "employment_projected_thousands", "Employment, Projected Year", "REAL", "Projected employment, thousands"
        ),
    ),
    (
        "Employment distribution, percent, YYYY",
        Column("distribution_base_percent", "Distribution, Base Year", "REAL", "Percent of all employment, base year"),
    ),
    (
        "Employment distribution, percent, YYYY",
        Column(
            "distribution_projected_percent",
            "Distribution, Projected Year",
            "REAL",
            "Percent of all employment, projected year",
        ),
    ),
    (
        "Employment change, numeric, YYYY–YY",
        Column(
            "employment_change_thousands", "Employment Change", "REAL", "Employment change over the decade, thousands"
        ),
    ),
    (
        "Employment change, percent, YYYY–YY",
        Column(
            "employment_change_percent",
            "Employment Change, Percent",
            "REAL",
            "Employment change over the decade, percent",
        ),
    ),
    (
        "Percent self employed, YYYY",
        Column("self_employed_percent", "Percent Self Employed", "REAL", "Percent self employed in the base year"),
    ),
    (
        "Occupational openings, YYYY–YY annual average",
        Column("annual_openings_thousands", "Annual Openings", "REAL", "Average annual openings, thousands"),
    ),
    (
        "Median annual wage, dollars, YYYY",
        Column(
            "median_annual_wage",
            "Median Annual Wage",
            "INTEGER",
            "Median annual wage in dollars (OEWS, base year); the top-coded cap when median_wage_top_coded = 1",
        ),
    ),
    (
        "Typical education needed for entry",
        Column("typical_education", "Typical Education", "TEXT", "Typical education needed for entry (BLS category)"),
    ),
    (
        "Work experience in a related occupation",
        Column("work_experience", "Work Experience", "TEXT", "Work experience in a related occupation (BLS category)"),
    ),
    (
        "Typical on-the-job training needed to attain competency in the occupation",
        Column(
            "on_the_job_training",
            "On-the-job Training",
            "TEXT",
            "Typical on-the-job training needed to attain competency (BLS category)",
        ),
    ),
    (
        "Related Occupational Outlook Handbook (OOH) content xlsx",
        Column("ooh_url", "OOH URL", "TEXT", "Occupational Outlook Handbook profile"),
    ),
]
EXTRA = [
    Column("level", "Level", "INTEGER", "Hierarchy depth from the title's indent (0 = total, 1 = major group ...)"),
    Column(
        "median_wage_top_coded",
        "Median Wage Top-Coded",
        "INTEGER",
        "1 when the published median is '>=$cap' (at or above the OEWS top-coding cap)",
    ),
    Column("base_year", "Base Year", "INTEGER", "Base year of the projections"),
    Column("projected_year", "Projected Year", "INTEGER", "Projection year"),
]
MISSING_TEXT = {"—", "–"}


def normalize_header(text: str) -> str:
    text = re.sub(r"\[\d+\]", "", text).strip()
    text = re.sub(r"\b\d{4}[–-]\d{2}\b", "YYYY–YY", text)
    return re.sub(r"\b\d{4}\b", "YYYY", text)


def sheet_hyperlinks(path: Path, sheet: str) -> dict[str, str]:
    """Cell reference (e.g. 'P3') -> external hyperlink target, for one sheet of an xlsx file."""
    try:
        with zipfile.ZipFile(path) as book:
            workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
            rid = next((s.get(f"{REL}id") for s in workbook.iter(f"{MAIN}sheet") if s.get("name") == sheet), None)
            if rid is None:
                raise BuildError(f"{path.name}: no sheet {sheet!r}")
            rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            target = next(r.get("Target") for r in rels.iter(f"{PKG}Relationship") if r.get("Id") == rid)
            if target is None:
                raise BuildError(f"{path.name}: sheet {sheet!r} has no part")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
            if rels_part not in book.namelist():
                return {}
            targets = {
                r.get("Id", ""): r.get("Target", "")
                for r in ElementTree.fromstring(book.read(rels_part)).iter(f"{PKG}Relationship")
                if r.get("TargetMode") == "External"
            }
            links = {}
            for _, element in ElementTree.iterparse(book.open(part)):
                link = element.get(f"{REL}id")
                if element.tag == f"{MAIN}hyperlink" and link is not None and link in targets:
                    links[element.get("ref", "").split(":")[0]] = targets[link]
                elif element.tag == f"{MAIN}row":
                    element.clear()  # rows are not needed here; keep memory flat
            return links
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, StopIteration) as exc:
        raise BuildError(f"{path.name}: not a readable xlsx workbook ({exc})") from exc


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _read_sheet(path: Path) -> list[tuple[int, list]]:
    """(1-based row number, cell values) of every row of the sheet, read in openpyxl's fast read-only mode."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise BuildError(f"{path.name}: not a readable xlsx workbook ({exc})") from exc
    try:
        if SHEET not in book.sheetnames:
            raise BuildError(f"{path.name}: no sheet {SHEET!r}")
        return [
            (cells[0].row or 0, [c.value for c in cells])
            for cells in book[SHEET].iter_rows()
            if cells and hasattr(cells[0], "row") and any(c.value is not None for c in cells)
        ]
    finally:
        book.close()


def import_projections(conn: sqlite3.Connection, path: Path) -> int:
    rows = _read_sheet(path)
    header_at = next(
        (
            i
            for i, (_, cells) in enumerate(rows)
            if any(isinstance(c, str) and "National Employment Matrix code" in c for c in cells)
        ),
        None,
    )
    if header_at is None:
        raise BuildError(f"{path.name}: {SHEET}: no header row found")
    raw_header = [str(c or "").strip() for c in rows[header_at][1]]
    header = [normalize_header(h) for h in raw_header]
    require_columns(f"{path.name} {SHEET}", header, [h for h, _ in SPEC])
    positions, used = [], set()
    for text, _ in SPEC:
        i = next((j for j, h in enumerate(header) if h == text and j not in used), None)
        if i is None:
            raise BuildError(f"{path.name}: {SHEET}: bad header, missing a second column {text!r}")
        used.add(i)
        positions.append(i)
    years = [
        int(y)
        for y in re.findall(
            r"\b(\d{4})\b",
            " ".join(raw_header[positions[3] : positions[3] + 1] + raw_header[positions[4] : positions[4] + 1]),
        )
    ]
    if len(years) != 2:
        raise BuildError(f"{path.name}: {SHEET}: no base/projected year in the employment headers")
    links = sheet_hyperlinks(path, SHEET)
    ooh_letter = _column_letter(positions[-1])
    out = []
    for number, cells in rows[header_at + 1 :]:
        cells = cells + [None] * (len(header) - len(cells))
        code = str(cells[positions[0]] or "").strip()
        if not SOC_RE.match(code):
            continue  # footnotes and notes below the table
        values = [cells[i] for i in positions]
        title = str(values[1] or "")
        values[1] = title.strip()
        wage = str(values[11] or "").strip()
        top_coded = wage.startswith(">=")
        values[11] = wage.lstrip(">=$") if wage else None
        values[12:15] = [None if v is None or str(v).strip() in MISSING_TEXT else str(v).strip() for v in values[12:15]]
        values[15] = links.get(f"{ooh_letter}{number}")
        indent = len(title) - len(title.lstrip(" "))
        out.append([*values, indent // 2, int(top_coded), *years])
    columns = [c for _, c in SPEC] + EXTRA
    out = typed_rows(f"{path.name} {SHEET}", columns, out)
    return write_table(
        conn,
        "bls_projections",
        "BLS Employment Projections",
        "National employment projections and worker characteristics per occupation (BLS "
        "Employment Projections, Table 1.2; employment and openings in thousands).",
        columns,
        out,
        source="supplementary",
        indexes=[("occupation_type", "soc_code")],
    )


IMPORTERS = [
    SupplementaryImporter("bls_projections", "bls-ep-occupation-2024-34/occupation.xlsx", import_projections),
]
