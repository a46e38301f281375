"""OEWS importer: the `oews_*` tables hold the values of the BLS OEWS SQLite (compared with the .gz opened here),
typed, with footnote codes kept; a plain .sqlite is accepted and a bad file fails with a one-line BuildError."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest

from conftest import require_source
from onetlocal.errors import BuildError
from onetlocal.ingest.oews import DATATYPES, import_oews
from onetlocal.ingest.tables import META_SCHEMA

VALUE_COLUMNS = [cid for cid, _, _ in DATATYPES.values()]


@pytest.fixture(scope="module")
def source() -> sqlite3.Connection:
    """The published OEWS database, decompressed in memory."""
    conn = sqlite3.connect(":memory:")
    with gzip.open(require_source("oews"), "rb") as fh:
        conn.deserialize(fh.read())
    return conn


def _source_cell(source: sqlite3.Connection, key: str) -> dict[str, object]:
    row = source.execute(
        f"SELECT {', '.join(f'v{c}, f{c}' for c in DATATYPES)} FROM cell WHERE key = ?", (key,)
    ).fetchone()
    out = {}
    for i, cid in enumerate(VALUE_COLUMNS):
        value, note = row[2 * i], row[2 * i + 1]
        out[cid] = None if value in (None, "", "-") else float(value)
        out[f"{cid}_footnote"] = note or None
    return out


def _ours(db, table: str, where: str, params: tuple) -> dict[str, object]:
    row = db.one(f"SELECT * FROM {table} WHERE {where}", params)
    assert row is not None, (table, params)
    return {
        k: (float(v) if isinstance(v, (int, float)) else v)
        for k, v in row.items()
        if k in VALUE_COLUMNS or k.endswith("_footnote")
    }


def test_reference_tables_are_complete(db, source):
    for ours, theirs in [
        ("oews_areas", "area"),
        ("oews_occupations", "occupation"),
        ("oews_industries", "industry"),
        ("oews_footnotes", "footnote"),
    ]:
        expected = source.execute(f"SELECT count(*) FROM {theirs}").fetchone()[0]
        assert db.scalar(f"SELECT count(*) FROM {ours}") == expected
    assert db.scalar("SELECT count(*) FROM oews_areas") == 583
    assert db.one("SELECT * FROM oews_areas WHERE area_code = '0010180'") == {
        "area_code": "0010180",
        "area_type": "M",
        "area_type_title": "metro/nonmetro",
        "state_fips": "48",
        "area_name": "Abilene, TX",
    }
    assert db.one("SELECT soc_code, occupation_code, title FROM oews_occupations WHERE soc_code = '15-1252'") == {
        "soc_code": "15-1252",
        "occupation_code": "151252",
        "title": "Software Developers",
    }


def test_row_counts_equal_the_source_cells(db, source):
    cross = source.execute("SELECT count(*) FROM cell WHERE substr(key, 12, 6) = '000000'").fetchone()[0]
    national = source.execute("SELECT count(*) FROM cell WHERE substr(key, 4, 1) = 'N'").fetchone()[0]
    assert db.scalar("SELECT count(*) FROM oews_wages") == cross == 236799
    assert db.scalar("SELECT count(*) FROM oews_industry_wages") == national == 134477
    registered = {r["table_id"]: r["row_count"] for r in db.all("SELECT * FROM meta_tables WHERE source = 'oews'")}
    assert registered["oews_wages"] == cross and registered["oews_industry_wages"] == national


def test_national_software_developers(db, source):
    row = db.one("SELECT * FROM oews_wages WHERE area_code = '0000000' AND soc_code = '15-1252'")
    assert row["area_type"] == "N"
    assert row["annual_median"] == 135980 and isinstance(row["annual_median"], int)
    assert row["hourly_median"] == 65.38 and row["employment"] == 1687890
    assert _ours(db, "oews_wages", "area_code = '0000000' AND soc_code = '15-1252'", ()) == _source_cell(
        source, "OEUN0000000000000151252"
    )


def test_state_and_metro_rows(db, source):
    # California (state) and Abilene, TX (metro), all 17 values and footnotes
    assert _ours(db, "oews_wages", "area_code = ? AND soc_code = ?", ("0600000", "15-1252")) == _source_cell(
        source, "OEUS0600000000000151252"
    )
    assert _ours(db, "oews_wages", "area_code = ? AND soc_code = ?", ("0010180", "11-1011")) == _source_cell(
        source, "OEUM0010180000000111011"
    )


def test_sample_of_all_cells_matches(db, source):
    keys = [k for (k,) in source.execute("SELECT key FROM cell ORDER BY key")]
    for key in keys[::1500]:  # ~250 series spread over national, industry, state and metro rows
        industry, soc = key[11:17], f"{key[17:19]}-{key[19:23]}"
        if key[3] == "N":
            got = _ours(db, "oews_industry_wages", "industry_code = ? AND soc_code = ?", (industry, soc))
            assert got == _source_cell(source, key), key
        if industry == "000000":
            got = _ours(db, "oews_wages", "area_code = ? AND soc_code = ?", (key[4:11], soc))
            assert got == _source_cell(source, key), key


def test_top_coded_and_unreleased_values_keep_their_footnotes(db, source):
    key = source.execute("SELECT key FROM cell WHERE f15 = '5' AND substr(key, 12, 6) = '000000' LIMIT 1").fetchone()[0]
    row = db.one(
        "SELECT annual_pct90, annual_pct90_footnote FROM oews_wages WHERE area_code = ? AND soc_code = ?",
        (key[4:11], f"{key[17:19]}-{key[19:23]}"),
    )
    assert row == {"annual_pct90": None, "annual_pct90_footnote": "5"}
    assert db.scalar("SELECT footnote_text FROM oews_footnotes WHERE footnote_code = '5'").startswith(
        "This wage is equal to or greater than"
    )
    unreleased = source.execute("SELECT count(*) FROM cell WHERE f01 = '8' AND substr(key, 12, 6) = '000000'")
    assert (
        db.scalar("SELECT count(*) FROM oews_wages WHERE employment_footnote = '8' AND employment IS NULL")
        == unreleased.fetchone()[0]
    )


def test_industry_rows(db, source):
    key = source.execute(
        "SELECT key FROM cell WHERE key LIKE 'OEUN%' AND substr(key, 12, 6) != '000000' "
        "AND substr(key, 18) = '151252' ORDER BY key LIMIT 1"
    ).fetchone()[0]
    got = _ours(db, "oews_industry_wages", "industry_code = ? AND soc_code = '15-1252'", (key[11:17],))
    assert got == _source_cell(source, key)


def test_visible_through_database_services(client):
    body = client.get(
        "/database/rows/oews_wages", params=[("filter", "soc_code.eq.15-1252"), ("filter", "area_code.eq.0000000")]
    ).json()
    assert body["total"] == 1 and body["row"][0]["annual_median"] == 135980
    info = client.get("/database/info/oews_wages").json()
    assert {c["column_id"] for c in info["column"]} >= {"annual_median", "annual_median_footnote", "location_quotient"}


# -- other inputs ---------------------------------------------------------------------------------


def _fixture_oews(path: Path, drop: str | None = None) -> None:
    """A tiny database in the published layout (two series), for the container and failure paths."""
    conn = sqlite3.connect(path)
    values = ", ".join(f"v{c} TEXT" for c in DATATYPES) + ", " + ", ".join(f"f{c} TEXT" for c in DATATYPES)
    conn.executescript(f"""
        CREATE TABLE cell (key TEXT PRIMARY KEY, {values});
        CREATE TABLE area (area_code TEXT, areatype_code TEXT, state_code TEXT, area_name TEXT);
        CREATE TABLE industry (industry_code TEXT, industry_name TEXT, display_level INTEGER);
        CREATE TABLE occupation (occupation_code TEXT, occupation_name TEXT, display_level INTEGER);
        CREATE TABLE footnote (footnote_code TEXT, footnote_text TEXT);
        CREATE TABLE meta (name TEXT, value TEXT);
        INSERT INTO area VALUES ('0000000', 'N', '00', 'National');
        INSERT INTO industry VALUES ('000000', 'Cross-Industry', 0);
        INSERT INTO occupation VALUES ('151252', 'Software Developers', 3);
        INSERT INTO footnote VALUES ('5', 'Top-coded');
        INSERT INTO meta VALUES ('release', 'Test');
    """)
    conn.execute(
        f"INSERT INTO cell VALUES ('OEUN0000000000000151252', {', '.join(['?'] * 34)})",
        ["10", "1.0", "50.00", "104000", *["-"] * 13, *[""] * 14, "5", "", ""],
    )
    if drop:
        conn.execute(f"DROP TABLE {drop}")
    conn.commit()
    conn.close()


def _target() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(META_SCHEMA)
    return conn


def test_plain_and_gzipped_sqlite_are_accepted(tmp_path):
    plain = tmp_path / "oews.sqlite"
    _fixture_oews(plain)
    gz = tmp_path / "oews.sqlite.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, gz):
        conn = _target()
        meta = import_oews(conn, path)
        assert meta["oews_release"] == "Test" and meta["oews_wages_rows"] == "1"
        row = conn.execute(
            "SELECT employment, annual_mean, annual_pct90, annual_pct90_footnote FROM oews_wages"
        ).fetchone()
        assert row == (10, 104000, None, "5")


@pytest.mark.parametrize("problem", ["not sqlite", "not gzip", "no cell table"])
def test_bad_files_fail_with_one_line_build_error(tmp_path, problem):
    path = tmp_path / "oews.sqlite"
    if problem == "not sqlite":
        path.write_text("hello, this is not a database\n" * 200)
    elif problem == "not gzip":
        path = tmp_path / "oews.sqlite.gz"
        path.write_bytes(b"\x1f\x8b" + b"garbage" * 50)
    else:
        _fixture_oews(path, drop="cell")
    with pytest.raises(BuildError) as err:
        import_oews(_target(), path)
    assert "\n" not in str(err.value) and path.name in str(err.value)
