"""services/release.py on the two real builds: the layout's dropped tables, the merged Job Zone, and the pre-30.3
activity ids, checked against the release files (30.1 text, 30.3 CSV)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASE, read_current, read_release
from onetlocal.context import Ctx
from onetlocal.db import Database
from onetlocal.errors import NotFound
from onetlocal.services import release


@pytest.fixture(scope="module")
def legacy(db_path: Path) -> Ctx:
    return Ctx(db=Database(db_path), base_url=BASE, path="/legacy")


@pytest.fixture(scope="module")
def current(current_db_path: Path) -> Ctx:
    return Ctx(db=Database(current_db_path), base_url=BASE, path="/current")


def test_layouts(legacy, current):
    assert (release.layout(legacy), release.layout(current)) == ("legacy", "current")


@pytest.mark.parametrize("table", ["work_values", "tools_used", "unspsc_reference"])
def test_a_table_30_3_dropped_is_dropped_only_there(legacy, current, table):
    assert release.dropped(legacy, table) is None
    assert "30.3" in release.dropped(current, table)
    with pytest.raises(NotFound) as raised:
        release.require_kept(current, table, table)
    assert raised.value.message.startswith("no such resource: /current (")
    release.require_kept(legacy, table, table)  # no error


@pytest.mark.parametrize(
    "table",
    [
        "skills",
        "technology_skills",
        "interests",
        "alternate_titles",
        "dwa_reference",
        "task_statements",
        "task_dwas",
        "job_zones",
    ],
)
def test_a_renamed_split_or_kept_table_is_not_dropped(legacy, current, table):
    assert release.dropped(legacy, table) is None and release.dropped(current, table) is None


def test_job_zones_are_the_reference_rows(legacy, current):
    assert (
        release.job_zones(legacy) == {int(r["Job Zone"]) for r in read_release("Job Zone Reference")} == {1, 2, 3, 4, 5}
    )
    assert (
        release.job_zones(current) == {int(r["Job Zone"]) for r in read_current("job_zone_reference")} == {2, 3, 4, 5}
    )


def test_zone_1_is_the_merged_zone_only_where_it_was_merged(legacy, current):
    assert [release.job_zone(legacy, z) for z in range(1, 7)] == [1, 2, 3, 4, 5, 6]
    assert [release.job_zone(current, z) for z in range(1, 7)] == [2, 2, 3, 4, 5, 6]
    merged = next(r for r in read_current("job_zone_reference") if r["Job Zone"] == "2")
    assert merged["Name"].startswith("Job Zone 1-2")


def test_old_activity_ids_become_the_release_ids(legacy, current):
    old, new = "4.A.4.a.1.I05.D01", "4.A.4.a.1.e.1"  # "Communicate detailed medical information to patients ..."
    titles_30_3 = {r["DWA Element ID"]: r["DWA Element Name"] for r in read_current("gwas_to_iwas_to_dwas")}
    titles_30_1 = {r["DWA ID"]: r["DWA Title"] for r in read_release("DWA Reference")}
    assert titles_30_3[new] == titles_30_1[old]
    assert release.activity_id(current, old) == new
    assert release.activity_ids(current, [old, new, "4.A.2.a.4.I07.D03", "nope"]) == [new, "4.A.2.a.4.g.3", "nope"]
    assert release.activity_ids(legacy, [old, new]) == [old, new]  # 30.1: nothing changes


def test_old_iwa_ids_become_the_release_ids(current):
    titles_30_3 = {r["IWA Element ID"]: r["IWA Element Name"] for r in read_current("gwas_to_iwas")}
    for row in read_release("IWA Reference"):
        new = release.activity_id(current, row["IWA ID"])
        assert titles_30_3[new] == row["IWA Title"], row


def test_every_30_1_task_dwa_link_maps_to_a_30_3_dwa_of_the_same_title(current):
    """All 23,850 task-DWA links of O*NET 30.1 name a DWA that the crosswalk maps to a 30.3 DWA of the same title."""
    titles_30_1 = {r["DWA ID"]: r["DWA Title"] for r in read_release("DWA Reference")}
    titles_30_3 = {r["DWA Element ID"]: r["DWA Element Name"] for r in read_current("gwas_to_iwas_to_dwas")}
    links = read_release("Tasks to DWAs")
    assert len(links) == 23850
    unmapped = [
        r for r in links if titles_30_3.get(release.activity_id(current, r["DWA ID"])) != titles_30_1[r["DWA ID"]]
    ]
    assert unmapped == []
    assert all(release.activity_id(current, r["DWA ID"]) != r["DWA ID"] for r in links)  # every id was re-keyed
