"""Importer for an O*NET release, of either layout and in any edition: every release file becomes one table under
its Database services id, then `model` derives the tables the services read."""

from __future__ import annotations

import re
import sqlite3

from onetlocal.errors import BuildError
from onetlocal.ingest import model
from onetlocal.ingest.source import ProgressFn, ReleaseSource, open_release
from onetlocal.ingest.tables import column_id, typed_columns, write_table
from onetlocal.releases import EDITION_EXTRAS, LEGACY, RELEASE_FILES, ReleaseFile, detect_layout, file_keys, files_of

#: What each column holds (O*NET data dictionary wording, shortened).
COLUMN_DESCRIPTIONS = {
    "onetsoc_code": "O*NET-SOC code of the occupation",
    "title": "Occupation title",
    "description": "Description",
    "element_id": "Content Model element identifier",
    "element_name": "Content Model element name",
    "scale_id": "Scale identifier (see scales_reference)",
    "data_value": "Rating on the scale",
    "n": "Sample size",
    "standard_error": "Standard error of the rating",
    "lower_ci_bound": "Lower 95% confidence interval bound",
    "upper_ci_bound": "Upper 95% confidence interval bound",
    "recommend_suppress": "Y: low precision, suppression recommended",
    "not_relevant": "Y: rated not relevant for the occupation",
    "date_updated": "Month and year of the last update (MM/YYYY)",
    "domain_source": "Source of the data (Incumbent, Analyst, …)",
    "category": "Category of the scale",
    "task_id": "Task identifier",
    "task": "Task statement",
    "task_type": "Core or Supplemental",
    "incumbents_responding": "Percent of incumbents who reported the task as relevant",
    "job_zone": "Job Zone",
    "commodity_code": "UNSPSC commodity code",
    "commodity_title": "UNSPSC commodity title",
    "example": "Example name",
    "workplace_example": "Example of software used in the workplace",
    "hot_technology": "Y: a hot technology",
    "in_demand": "Y: in demand in job postings",
    "dwa_id": "Detailed Work Activity identifier",
    "dwa_title": "Detailed Work Activity title",
    "iwa_id": "Intermediate Work Activity identifier",
    "iwa_title": "Intermediate Work Activity title",
    "dwa_element_id": "Detailed Work Activity (Content Model element) identifier",
    "dwa_element_name": "Detailed Work Activity title",
    "iwa_element_id": "Intermediate Work Activity (Content Model element) identifier",
    "iwa_element_name": "Intermediate Work Activity title",
    "gwa_element_id": "Generalized Work Activity (Content Model element) identifier",
    "gwa_element_name": "Generalized Work Activity name",
    "alternate_title": "Alternate job title",
    "job_title": "Job title",
    "short_title": "Short form of the title",
    "sources": "Source codes of the title",
    "reported_job_title": "Job title reported by incumbents",
    "shown_in_my_next_move": "Y: shown in My Next Move",
    "related_onetsoc_code": "O*NET-SOC code of the related occupation",
    "relatedness_tier": "Relatedness tier (Primary-Short, Primary-Long, Supplemental)",
    "related_index": "Rank of the related occupation",
}

_INTEGER_HINTS = {"task_id", "category", "job_zone", "commodity_code", "n", "related_index"}
_REAL_HINTS = {"data_value", "standard_error", "lower_ci_bound", "upper_ci_bound"}
_TYPE_HINTS = {**{c: "INTEGER" for c in _INTEGER_HINTS}, **{c: "REAL" for c in _REAL_HINTS}}

_MONTHS = ("January February March April May June July August September October November December").split()


def release_version(source: ReleaseSource) -> str:
    """'30.3' from the Read Me's first line ('O*NET 30.3 Database') or from a folder name like db_30_3_csv."""
    match = re.search(r"O\*NET\s+(\d+\.\d+)", source.read_me())
    if match:
        return match.group(1)
    match = re.search(r"db_(\d+)_(\d+)", source.label)
    return f"{match.group(1)}.{match.group(2)}" if match else "unknown"


def release_date(source: ReleaseSource) -> str:
    """'May 2026' from the Read Me's 'May 2026 Release' (or 'December 2025 release'), else ''."""
    match = re.search(rf"\b({'|'.join(_MONTHS)})\s+(\d{{4}})\s+Release", source.read_me(), re.IGNORECASE)
    return f"{match.group(1).title()} {match.group(2)}" if match else ""


def _key_in(source: ReleaseSource, spec: ReleaseFile) -> str | None:
    return next((k for k in file_keys(spec) if source.has(k)), None)


def read_release_file(source: ReleaseSource, spec: ReleaseFile) -> tuple[list[str], list[list[str | None]]]:
    """Header and rows of one table, checked against its layout; the columns only the CSV/JSON editions carry
    (`EDITION_EXTRAS`) are dropped, so every edition gives the same table. Known columns get the text edition's
    titles (the JSON edition names them by id: `onetsoc_code` is titled 'O*NET-SOC Code' whatever the edition)."""
    key = _key_in(source, spec)
    assert key is not None
    name = source.name_of(key)
    wanted = {column_id(h) for h in spec.header}
    titles = {column_id(h): h for h in spec.header}
    with source.rows(key) as (header, rows):
        header = [titles.get(column_id(h), h) for h in header]
        missing = [h for h in spec.header if column_id(h) not in {column_id(x) for x in header}]
        if missing:
            raise BuildError(f"{name}: bad header, missing column(s) {', '.join(missing)}")
        keep = [
            i
            for i, h in enumerate(header)
            if column_id(h) in wanted or not any(column_id(h) == column_id(x) for x in EDITION_EXTRAS)
        ]
        if len(keep) == len(header):
            return header, list(rows)
        return [header[i] for i in keep], [[row[i] for i in keep] for row in rows]


def import_from(conn: sqlite3.Connection, location: str, progress: ProgressFn | None = None) -> dict:
    """The build step: open the release at `location` (folder, zip or URL), import it. The checksum is of the
    release's files (a download has no local path to hash)."""
    with open_release(location, progress) as source:
        return {**import_release(conn, source, progress), "checksum": source.checksum()}


def import_release(conn: sqlite3.Connection, source: ReleaseSource, progress: ProgressFn | None = None) -> dict:
    """Import every file of the release's layout that is present (absent ones become empty, unregistered
    tables), then derive the service tables."""
    try:
        layout = detect_layout(set(source.keys()))
    except ValueError as exc:
        raise BuildError(f"{source.label}: {exc}") from None
    specs = files_of(layout)
    for spec in specs:
        if spec.required and not _key_in(source, spec):
            raise BuildError(f"{spec.name}: required file missing from {source.label}")
    imported: list[str] = []
    absent: list[str] = []
    present = [spec for spec in specs if _key_in(source, spec)]
    for spec in specs:
        key = _key_in(source, spec)
        if key:
            if progress:
                progress(spec.name, len(imported), len(present))
            header, rows = read_release_file(source, spec)
            imported.append(spec.table_id)
        else:
            # Keep the table so services can query it (and answer "no data"), but don't list it.
            header, rows = list(spec.header), []
            absent.append(spec.name)
        columns = typed_columns(header, rows, COLUMN_DESCRIPTIONS, _TYPE_HINTS)
        write_table(
            conn, spec.table_id, spec.name, spec.description, columns, rows, source="onet", register=key is not None
        )
    if progress:
        progress("O*NET release", len(present), len(present))
    model.derive(conn, layout)
    known = {k for spec in RELEASE_FILES for k in file_keys(spec)} | {"read_me"}
    return {
        "onet_version": release_version(source),
        "onet_release_date": release_date(source),
        "onet_layout": layout,
        "onet_edition": source.edition,
        "onet_tables": ",".join(imported),
        "onet_absent_files": ",".join(absent),
        "onet_unknown_files": ",".join(source.name_of(k) for k in source.keys() if k not in known),
        "source_label": source.label,
    }


__all__ = ["LEGACY", "import_from", "import_release", "release_version", "release_date", "column_id"]
