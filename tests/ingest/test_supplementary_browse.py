"""Supplementary importers for browse and crosswalks: row counts and sample rows against the source files,
and the optional-file rule (a missing file skips its tables; its routes answer 422, never 500)."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import SHARED
from onetlocal.context import Ctx, Page
from onetlocal.db import Database
from onetlocal.errors import InvalidParameter
from onetlocal.ingest import SCHEMA_VERSION
from onetlocal.ingest.supplementary import import_supplementary
from onetlocal.ingest.tables import META_SCHEMA
from onetlocal.services import browse, taxonomy

SUPP = SHARED / "supplementary"
MY_TABLES = (
    "stem_occupations",
    "career_clusters",
    "career_cluster_soc",
    "career_cluster_cip",
    "career_cluster_naics",
    "career_cluster_framework",
    "career_clusters_16",
    "taxonomy_occupations",
    "taxonomy_crosswalks",
    "taxonomy_soc_crosswalk",
    "soc_structure",
    "taxonomy_changes",
    "taxonomy_listings",
    "taxonomy_2019_alt_titles",
    "taxonomy_2019_tasks",
    "soc_definitions",
    "military_crosswalk",
)


def count(db: Database, sql: str, params=()) -> int:
    return db.scalar(sql, params)


def test_tables_registered(db):
    registered = {r["table_id"]: r["row_count"] for r in db.all("SELECT table_id, row_count FROM meta_tables")}
    for table in MY_TABLES:
        assert registered.get(table), table
        assert registered[table] == count(db, f"SELECT count(*) FROM {table}")


def test_counts_match_provenance(db):
    # figures stated in each folder's PROVENANCE.md
    assert count(db, "SELECT count(DISTINCT onetsoc_code) FROM stem_occupations") == 287
    assert count(db, "SELECT count(DISTINCT cluster_code) FROM career_clusters") == 14
    # 72 sub-cluster names, one a lower-case duplicate ("water systems"): one sub-cluster
    assert count(db, "SELECT count(*) FROM career_clusters") == 71
    assert count(db, "SELECT count(*) FROM career_cluster_soc WHERE sub_cluster = 'water systems'") == 0
    assert count(db, "SELECT count(*) FROM career_cluster_soc") == 1203
    assert count(db, "SELECT count(DISTINCT soc_code) FROM career_cluster_soc") == 851
    assert count(db, "SELECT count(*) FROM career_cluster_cip") == 4725
    assert count(db, "SELECT count(DISTINCT onetsoc_code) FROM career_clusters_16") == 1011
    assert (
        count(db, "SELECT count(DISTINCT cluster) FROM career_clusters_16") == 16
    )  # 73 of the 79 pathways hold occupations
    assert count(db, "SELECT count(*) FROM taxonomy_occupations WHERE taxonomy = '2019'") == 1016
    assert count(db, "SELECT count(*) FROM taxonomy_occupations WHERE taxonomy = '2010'") == 1110
    assert count(db, "SELECT count(*) FROM taxonomy_crosswalks WHERE from_taxonomy = '2010'") == 1164
    assert count(db, "SELECT count(*) FROM taxonomy_soc_crosswalk WHERE taxonomy = '2019'") == 1016
    assert count(db, "SELECT count(*) FROM soc_structure") == 1596
    assert count(db, "SELECT count(*) FROM taxonomy_listings WHERE listing = 'military'") == 19
    assert count(db, "SELECT count(*) FROM taxonomy_2019_tasks") == 19191
    assert count(db, "SELECT count(DISTINCT record) FROM military_crosswalk") == 40077


def test_soc_definitions_and_structure(db):
    row = db.one("SELECT * FROM soc_definitions WHERE soc_code = '15-1252'")
    assert row["soc_group"] == "Detailed" and row["soc_title"] == "Software Developers"
    assert row["soc_definition"].startswith("Research, design, and develop")
    assert count(db, "SELECT count(*) FROM soc_definitions WHERE soc_group = 'Major'") == 23
    leaf = db.one("SELECT * FROM soc_structure WHERE code = '15-1255.01'")  # .00 codes are the SOC rows
    assert leaf["level"] == "Detailed O*NET-SOC" and leaf["major_group"] == "15-0000"


def test_military_rows_against_workbook(db):
    """The first 300 records of milx0724.xlsx, link by link."""
    from openpyxl import load_workbook

    book = load_workbook(SUPP / "onet-military-crosswalk" / "milx0724.xlsx", read_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = next(rows)
    col = {h: i for i, h in enumerate(header)}
    for record, row in enumerate(rows, 1):
        if record > 300:
            break
        stored = db.all("SELECT * FROM military_crosswalk WHERE record = ?", (record,))
        assert {r["moc"] for r in stored} == {row[col["MOC"]]}
        onet = {row[col[f"ONET{i}"]] for i in range(1, 5)} - {None, "-"}
        assert {r["onetsoc_code"] for r in stored} - {None} == onet
        assert all(r["soc_code"] == r["onetsoc_code"][:7] for r in stored if r["onetsoc_code"])
    book.close()


def test_missing_files_are_skipped_and_routes_answer_422(tmp_path):
    """An empty supplementary folder: every importer is absent; the families answer 'data not available'."""
    path = tmp_path / "bare.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(META_SCHEMA)
    meta = import_supplementary(conn, tmp_path / "nothing-here")
    conn.execute("CREATE TABLE occupation_data (onetsoc_code TEXT, title TEXT, description TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))  # what a build records
    conn.commit()
    conn.close()
    absent = set(meta["supplementary_absent"].split(","))
    assert {"stem_occupations", "career_clusters", "taxonomy_crosswalks", "military_crosswalk"} <= absent
    ctx = Ctx(db=Database(path))
    for family in (browse.STEM, browse.CAREER_CLUSTERS, browse.SUB_CLUSTERS, browse.BRIGHT_OUTLOOK):
        with pytest.raises(InvalidParameter, match="not available"):
            browse.listing(ctx, family)
        with pytest.raises(InvalidParameter, match="not available"):
            browse.group_occupations(ctx, family, "1", sort="title", page=Page(1, 20))
    with pytest.raises(InvalidParameter, match="not available"):
        taxonomy.crosswalk(ctx, "2010", "2019", "15-1132.00")
    with pytest.raises(InvalidParameter, match="not available"):
        taxonomy.military(ctx, keyword="infantry", page=Page(1, 20))
