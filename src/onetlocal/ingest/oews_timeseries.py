"""BLS OEWS as BLS publishes it (https://download.bls.gov/pub/time.series/oe/): the `oe.*` time-series files, read
into the tables of the prebuilt SQLite (`cell`, `area`, `industry`, `occupation`, `datatype`, `footnote`, `meta`),
so the published files and the SQLite copy go through the one import in `oews.py`.

The files are tab-separated with a header row; cells are padded with spaces (series ids to 30 characters, values
right-aligned), so every cell is stripped and columns are found by their header names. `oe.data.0.Current` has
`series_id, year, period, value, footnote_codes`, one row per series and period; a series id is `OEU` + area type
(1) + area (7) + industry (6) + occupation (6) + datatype (2). The SQLite keys a `cell` by the id without its
datatype and holds one value column per datatype (`v01`..`v17`, the text as published: `-` = not released) and one
footnote column (`f01`..`f17`, NULL when none): the same transposition here.

Decisions:
- Only the rows of the release `oe.release` names (e.g. 2025 A01) are read; the file holds no other today, and a
  series of another period would otherwise overwrite the release's value.
- Datatypes other than 01-17 (none today) are skipped: the import names those 17.
- A file not in UTF-8 is read as cp1252 (area names such as Mayagüez, PR).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from onetlocal.errors import BuildError

DATA = "oe.data.0.Current"
#: file -> the columns read from it (by header name).
REFERENCE = {
    "oe.area": ("area_code", "areatype_code", "state_code", "area_name"),
    "oe.industry": ("industry_code", "industry_name", "display_level"),
    "oe.occupation": ("occupation_code", "occupation_name", "display_level"),
    "oe.datatype": ("datatype_code", "datatype_name"),
    "oe.footnote": ("footnote_code", "footnote_text"),
    "oe.release": ("release_date", "description"),
}
FILES = (DATA, *REFERENCE)
DATATYPE_CODES = tuple(f"{n:02d}" for n in range(1, 18))

_SCHEMA = f"""
CREATE TABLE cell (key TEXT PRIMARY KEY, {", ".join(f"v{c} TEXT" for c in DATATYPE_CODES)},
                   {", ".join(f"f{c} TEXT" for c in DATATYPE_CODES)}) WITHOUT ROWID;
CREATE TABLE area (area_code TEXT PRIMARY KEY, areatype_code TEXT NOT NULL, state_code TEXT NOT NULL,
                   area_name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE industry (industry_code TEXT PRIMARY KEY, industry_name TEXT NOT NULL,
                       display_level INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE occupation (occupation_code TEXT PRIMARY KEY, occupation_name TEXT NOT NULL,
                         display_level INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE datatype (datatype_code TEXT PRIMARY KEY, datatype_name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE footnote (footnote_code TEXT PRIMARY KEY, footnote_text TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""


def folder_of(path: Path) -> Path | None:
    """The folder of published `oe.*` files `path` names (the folder, or its oe.data.0.Current); else None."""
    folder = path.parent if path.name == DATA else path
    return folder if (folder / DATA).is_file() else None


def _rows(path: Path, columns: tuple[str, ...]) -> list[list[str]]:
    """The `columns` of a (small) reference file, in file order, each cell stripped."""
    if not path.is_file():
        raise BuildError(f"{path.name}: missing beside {DATA} in {path.parent} (BLS publishes {', '.join(FILES)})")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = [(n, [c.strip() for c in line.split("\t")]) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise BuildError(f"{path.name}: empty")
    header = lines[0][1]
    missing = [c for c in columns if c not in header]
    if missing:
        raise BuildError(f"{path.name}: no column {', '.join(missing)} (header: {', '.join(header)})")
    at = [header.index(c) for c in columns]
    out = []
    for number, cells in lines[1:]:
        if len(cells) <= max(at):
            raise BuildError(f"{path.name}: line {number} has {len(cells)} fields, expected {len(header)}")
        out.append([cells[i] for i in at])
    return out


def _cells(path: Path, year: str, period: str) -> Iterator[tuple[str, dict[str, tuple[str, str | None]]]]:
    """(cell key, {datatype: (value, footnote)}) per series key, from the data file (grouped as it comes: BLS sorts
    it by series id; a key seen again later is merged by the caller)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        header = [h.strip() for h in fh.readline().split("\t")]
        wanted = ("series_id", "year", "period", "value", "footnote_codes")
        if any(c not in header for c in wanted[:4]):
            raise BuildError(f"{path.name}: not the OEWS data file (header: {', '.join(header)})")
        sid, yr, pd, val = (header.index(c) for c in wanted[:4])
        foot = header.index("footnote_codes") if "footnote_codes" in header else None
        key, values = "", dict[str, tuple[str, str | None]]()
        for number, line in enumerate(fh, 2):
            cells = line.rstrip("\r\n").split("\t")
            if len(cells) <= max(sid, yr, pd, val):
                if not line.strip():
                    continue
                raise BuildError(f"{path.name}: line {number} has {len(cells)} fields, expected {len(header)}")
            series = cells[sid].strip()
            if len(series) != 25 or not series.startswith("OEU"):
                raise BuildError(f"{path.name}: line {number}: unexpected series id {series!r}")
            if cells[yr].strip() != year or cells[pd].strip() != period or series[23:] not in DATATYPE_CODES:
                continue
            if series[:23] != key:
                if values:
                    yield key, values
                key, values = series[:23], {}
            note = cells[foot].strip() if foot is not None and foot < len(cells) else ""
            values[series[23:]] = (cells[val].strip(), note or None)
        if values:
            yield key, values


def to_sqlite(folder: Path, target: Path) -> dict[str, str]:
    """Write the tables of the prebuilt SQLite at `target` from the `oe.*` files in `folder`; returns its meta."""
    release = _rows(folder / "oe.release", REFERENCE["oe.release"])
    if len(release) != 1 or len(release[0][0]) != 7 or release[0][0][4] != "A":
        raise BuildError(f"oe.release: expected one annual release like 2025A01, found {release}")
    code, description = release[0]
    meta = {"release": description, "release_code": code, "data_year": code[:4], "period": code[4:], "schema": "1"}
    conn = sqlite3.connect(target)
    try:
        conn.executescript(_SCHEMA)
        for name, columns in REFERENCE.items():
            if name == "oe.release":
                continue
            table = name.removeprefix("oe.")
            marks = ", ".join("?" * len(columns))
            conn.executemany(
                f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                _rows(folder / name, columns),
            )
        names = [f"v{c}" for c in DATATYPE_CODES] + [f"f{c}" for c in DATATYPE_CODES]
        # A key met again (the file not sorted) keeps the values it had for the datatypes not given again.
        upsert = (
            f"INSERT INTO cell (key, {', '.join(names)}) VALUES (?{', ?' * len(names)}) ON CONFLICT (key) DO UPDATE "
            f"SET {', '.join(f'{n} = coalesce(excluded.{n}, {n})' for n in names)}"
        )

        def rows() -> Iterator[list[str | None]]:
            for key, values in _cells(folder / DATA, code[:4], code[4:]):
                pairs = [values.get(c, (None, None)) for c in DATATYPE_CODES]
                yield [key, *(v for v, _ in pairs), *(f for _, f in pairs)]

        conn.executemany(upsert, rows())
        conn.executemany("INSERT INTO meta (name, value) VALUES (?, ?)", sorted(meta.items()))
        conn.commit()
    except sqlite3.DatabaseError as exc:
        raise BuildError(f"{folder.name}: cannot convert the OEWS files ({exc})") from exc
    finally:
        conn.close()
    return meta
