"""ingest.model: the service tables have the same columns whichever layout they are made from, and hold the rows of
the tables that replaced them."""

from __future__ import annotations

import sqlite3

import pytest

from fixtures import RELEASE
from fixtures import current as fx
from onetlocal.ingest import build
from onetlocal.ingest.model import SERVICE_TABLES
from onetlocal.releases import CROSSWALK


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, sqlite3.Connection]:
    root = tmp_path_factory.mktemp("model")
    build(root / "legacy.sqlite", {"onet": str(RELEASE)})
    build(root / "current.sqlite", {"onet": str(fx.write_release(root, "csv"))})
    conns = {layout: sqlite3.connect(root / f"{layout}.sqlite") for layout in ("legacy", "current")}
    yield conns
    for conn in conns.values():
        conn.close()


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


@pytest.mark.parametrize("table", [t.name for t in SERVICE_TABLES])
def test_service_tables_have_the_same_columns_in_both_layouts(builds, table):
    legacy, current = _columns(builds["legacy"], table), _columns(builds["current"], table)
    assert legacy and current == legacy


def test_service_tables_are_not_listed(builds):
    for layout, conn in builds.items():
        registered = {r[0] for r in conn.execute("SELECT table_id FROM meta_tables")}
        own = {"skills", "interests", "alternate_titles"} if layout == "legacy" else set()
        assert registered & {t.name for t in SERVICE_TABLES} <= own, layout


def test_skills_are_essential_then_transferable(builds):
    conn = builds["current"]
    rows = conn.execute("SELECT element_id, scale_id, data_value FROM skills").fetchall()
    expected = [
        (r[1], r[3], float(r[4])) for name in ("essential_skills", "transferable_skills") for r in fx.BY_ID[name].rows
    ]
    assert rows == expected


def test_renamed_columns_of_the_current_layout(builds):
    conn = builds["current"]
    assert conn.execute(
        "SELECT example, commodity_code, commodity_title FROM technology_skills WHERE onetsoc_code = '29-1141.00'"
    ).fetchall() == [("Fixture Charting", "2.E.5.b", "Document management software")]
    assert conn.execute(
        "SELECT alternate_title, short_title FROM alternate_titles WHERE short_title IS NOT NULL"
    ).fetchall() == [("Developer, Applications", "App Dev")]
    assert conn.execute("SELECT iwa_id, dwa_id FROM dwa_reference WHERE dwa_id = '4.A.3.b.1.c.2'").fetchall() == [
        ("4.A.3.b.1.c", "4.A.3.b.1.c.2")
    ]
    assert conn.execute("SELECT count(*) FROM education_training_experience").fetchone()[0] == len(
        fx.BY_ID["education"].rows
    ) + len(fx.BY_ID["training_and_experience"].rows)
    for dropped in ("work_values", "tools_used", "unspsc_reference"):
        assert conn.execute(f"SELECT count(*) FROM {dropped}").fetchone() == (0,)


def test_the_crosswalk_table_exists_empty_without_a_previous_release(builds):
    for conn in builds.values():
        assert conn.execute(f"SELECT count(*) FROM {CROSSWALK}").fetchone() == (0,)


def test_derived_tables_keep_their_lookup_indexes(builds):
    indexed = {
        r[0]
        for r in builds["current"].execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'"
        )
    }
    assert {"skills", "education_training_experience", "ete_categories"} <= indexed
