"""`onetlocal build`: the real release imported whole and typed; fixture releases (zip and folder) for the four
big files and for failures; atomicity (failed or killed builds leave the previous database byte-identical)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from conftest import ONET_DIR, sql
from fixtures import FIXTURE_VERSION, RELEASE, copy_release, release_rows, zip_release
from onetlocal.app import create_app
from onetlocal.cli import main
from onetlocal.config import Settings
from onetlocal.errors import BuildError
from onetlocal.ingest import build
from onetlocal.ingest.tables import column_id
from onetlocal.releases import LEGACY, files_of

RELEASE_FILE_NAMES = sorted(p.name for p in ONET_DIR.glob("*.txt") if p.name != "Read Me.txt")
TABLE_OF = {f"{spec.name}.txt": spec.table_id for spec in files_of(LEGACY)}
#: The files over 4 MiB the fixture release holds (they were once all absent from the shared 30.1 copy) ...
BIG_FOUR = {
    "Abilities": "abilities",
    "Work Activities": "work_activities",
    "Work Context": "work_context",
    "Task Ratings": "task_ratings",
}
#: ... of which the shared 30.1 copy still lacks three (Abilities.txt was added, byte-identical to the release).
ABSENT_30_1 = {"Work Activities": "work_activities", "Work Context": "work_context", "Task Ratings": "task_ratings"}


def _lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def _temps(target: Path) -> list[Path]:
    return list(target.parent.glob(f".{target.name}.tmp-*"))


# -- the real release -----------------------------------------------------------------------------


def test_all_37_release_files_are_present_and_known():
    assert len(TABLE_OF) == 40  # the 30.1 release
    assert len(RELEASE_FILE_NAMES) == 37
    assert set(RELEASE_FILE_NAMES) <= set(TABLE_OF)
    assert set(TABLE_OF) - set(RELEASE_FILE_NAMES) == {f"{name}.txt" for name in ABSENT_30_1}


@pytest.mark.parametrize("file_name", RELEASE_FILE_NAMES)
def test_row_count_equals_file_lines_minus_header(db_path, file_name):
    table = TABLE_OF[file_name]
    expected = _lines(ONET_DIR / file_name) - 1
    assert sql(db_path, f'SELECT count(*) FROM "{table}"') == [(expected,)]
    assert sql(db_path, "SELECT row_count FROM meta_tables WHERE table_id = ?", (table,)) == [(expected,)]


def test_meta_records_version_and_checksum(db_path):
    meta = dict(sql(db_path, "SELECT key, value FROM meta"))
    assert meta["onet_version"] == "30.1"
    assert (meta["onet_release_date"], meta["onet_layout"], meta["onet_edition"]) == ("December 2025", LEGACY, "text")
    assert len(meta["source_checksum"]) == 64 and int(meta["source_checksum"], 16)
    assert set(meta["onet_absent_files"].split(",")) == set(ABSENT_30_1)
    assert set(meta["onet_tables"].split(",")) == {TABLE_OF[name] for name in RELEASE_FILE_NAMES}
    assert meta["onet_unknown_files"] == ""


def test_columns_are_onet_sql_names_and_typed(db_path):
    for file_name in RELEASE_FILE_NAMES:
        table = TABLE_OF[file_name]
        header = (ONET_DIR / file_name).read_text(encoding="utf-8-sig").splitlines()[0].split("\t")
        declared = [(r[1], r[2]) for r in sql(db_path, f'PRAGMA table_info("{table}")')]
        assert [c for c, _ in declared] == [column_id(h) for h in header], table
        for name, _ in declared:
            assert name == name.lower() and " " not in name and "*" not in name, (table, name)
    types = {
        (t, c): ty
        for t in ("skills", "task_statements", "job_zones", "occupation_data")
        for _, c, ty, *_ in sql(db_path, f'PRAGMA table_info("{t}")')
    }
    assert types[("skills", "data_value")] == "REAL"
    assert types[("skills", "n")] == "INTEGER"
    assert types[("skills", "onetsoc_code")] == "TEXT"
    assert types[("skills", "date_updated")] == "TEXT"
    assert types[("task_statements", "task_id")] == "INTEGER"
    assert types[("job_zones", "job_zone")] == "INTEGER"
    assert types[("occupation_data", "title")] == "TEXT"
    assert sql(db_path, "SELECT typeof(data_value), typeof(n) FROM skills LIMIT 1") == [("real", "integer")]


def test_known_occupation_title(db_path):
    source = {
        line.split("\t")[0]: line.split("\t")[1]
        for line in (ONET_DIR / "Occupation Data.txt").read_text(encoding="utf-8-sig").splitlines()[1:]
    }
    assert source["15-1252.00"] == "Software Developers"
    rows = sql(db_path, "SELECT title FROM occupation_data WHERE onetsoc_code = ?", ("15-1252.00",))
    assert rows == [("Software Developers",)]


def test_absent_big_files_are_empty_unregistered_tables(db_path):
    registered = dict(sql(db_path, "SELECT table_id, row_count FROM meta_tables"))
    for table in ABSENT_30_1.values():
        assert sql(db_path, f'SELECT count(*) FROM "{table}"') == [(0,)]
        assert table not in registered
    # Abilities is in the copy now: imported whole, like any other file
    assert registered["abilities"] == _lines(ONET_DIR / "Abilities.txt") - 1 > 0


# -- fixture releases ------------------------------------------------------------------------------


@pytest.fixture()
def fixture_zip(tmp_path) -> Path:
    return zip_release(tmp_path / "db_28_3_text.zip")


def test_build_from_zip_imports_the_big_four(tmp_path, fixture_zip):
    target = tmp_path / "out" / "onet.sqlite"
    meta = build(target, {"onet": str(fixture_zip)})
    assert meta["onet_version"] == FIXTURE_VERSION
    assert _temps(target) == []
    registered = dict(sql(target, "SELECT table_id, row_count FROM meta_tables"))
    for name, table in BIG_FOUR.items():
        expected = len(release_rows(name))
        assert registered[table] == expected
        assert sql(target, f'SELECT count(*) FROM "{table}"') == [(expected,)]
    assert "Abilities" not in meta["onet_absent_files"].split(",")
    # Same typing path as Skills: numbers typed, 'n/a' -> NULL, the Work Context category an integer.
    types = {c: t for _, c, t, *_ in sql(target, 'PRAGMA table_info("work_context")')}
    assert types["data_value"] == "REAL" and types["category"] == "INTEGER"
    cx = sql(target, "SELECT category, data_value FROM work_context WHERE scale_id = 'CX'")
    assert cx == [(None, float(release_rows("Work Context")[0][5]))]
    columns = [
        r[0]
        for r in sql(target, "SELECT column_id FROM meta_columns WHERE table_id = 'task_ratings' ORDER BY position")
    ]
    assert columns[:5] == ["onetsoc_code", "task_id", "scale_id", "category", "data_value"]
    ability = sql(target, "SELECT data_value, not_relevant FROM abilities WHERE onetsoc_code = '29-1141.00'")
    assert ability == [(0.0, "Y")]


def test_cli_build_reports_on_stderr(tmp_path, fixture_zip):
    target = tmp_path / "cli.sqlite"
    result = CliRunner().invoke(main, ["build", "--source", str(fixture_zip), "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert (
        f"(O*NET {FIXTURE_VERSION}" in result.stderr
        and "text edition" in result.stderr
        and str(target) in result.stderr
    )
    assert sql(target, "SELECT value FROM meta WHERE key = 'onet_version'") == [(FIXTURE_VERSION,)]


def test_build_from_folder_equals_build_from_zip(tmp_path, fixture_zip):
    from_zip, from_folder = tmp_path / "zip.sqlite", tmp_path / "folder.sqlite"
    build(from_zip, {"onet": str(fixture_zip)})
    build(from_folder, {"onet": str(RELEASE)})
    query = "SELECT table_id, row_count FROM meta_tables ORDER BY table_id"
    assert sql(from_zip, query) == sql(from_folder, query)
    assert sql(from_zip, "SELECT * FROM skills") == sql(from_folder, "SELECT * FROM skills")


def test_source_checksum_changes_with_content(tmp_path):
    a = build(tmp_path / "a.sqlite", {"onet": str(RELEASE)})
    changed = copy_release(tmp_path / "changed")
    with open(changed / "Job Zones.txt", "a", newline="") as fh:
        fh.write("11-1011.00\t4\t01/2025\tAnalyst\r\n")
    b = build(tmp_path / "b.sqlite", {"onet": str(changed)})
    assert a["source_checksum"] != b["source_checksum"]
    assert sql(tmp_path / "b.sqlite", "SELECT count(*) FROM job_zones") == [(len(release_rows("Job Zones")) + 1,)]


# -- failures leave the previous database untouched ---------------------------------------------------


def _remove_occupation_data(folder: Path) -> None:
    (folder / "Occupation Data.txt").unlink()


def _bad_header(folder: Path) -> None:
    path = folder / "Skills.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Data Value", "Data Valu", 1), encoding="utf-8", newline="")


def _wrong_field_count(folder: Path) -> None:
    with open(folder / "Task Statements.txt", "a", newline="") as fh:
        fh.write("15-1252.00\t90009\tA row with a missing field\tCore\t07/2024\tAnalyst\r\n")


def _oversized_field(folder: Path) -> None:
    with open(folder / "Occupation Data.txt", "a", newline="") as fh:
        fh.write("99-9999.00\tHuge\t" + "x" * 200_000 + "\r\n")


FAILURES = {
    # Occupation Data is the file a release's folder is found by: without it, no release is found there.
    "missing Occupation Data": (_remove_occupation_data, "Occupation Data.txt", "no O*NET release"),
    "bad header": (_bad_header, "Skills.txt", "Data Value"),
    "wrong field count": (_wrong_field_count, "Task Statements.txt", "fields"),
    "oversized field": (_oversized_field, "Occupation Data.txt", "field larger"),
}


@pytest.fixture()
def previous_db(tmp_path) -> Path:
    target = tmp_path / "db" / "onet.sqlite"
    build(target, {"onet": str(RELEASE)})
    return target


@pytest.mark.parametrize("case", FAILURES)
def test_invalid_release_fails_and_keeps_previous_db(tmp_path, previous_db, case):
    breaker, file_name, problem = FAILURES[case]
    broken = copy_release(tmp_path / "broken")
    breaker(broken)
    before = previous_db.read_bytes()
    with pytest.raises(BuildError) as err:
        build(previous_db, {"onet": str(broken)})
    assert file_name in str(err.value) and problem in str(err.value)
    assert previous_db.read_bytes() == before
    assert _temps(previous_db) == []

    # The same from the CLI, and from a zip: non-zero exit, one-line error naming the file.
    archive = zip_release(tmp_path / "broken.zip", source=broken)
    result = CliRunner().invoke(main, ["build", "--source", str(archive), "--db", str(previous_db)])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and file_name in lines[0], result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    assert previous_db.read_bytes() == before
    assert _temps(previous_db) == []


def test_missing_source_path_is_a_one_line_error(tmp_path, previous_db):
    before = previous_db.read_bytes()
    result = CliRunner().invoke(main, ["build", "--source", str(tmp_path / "nope.zip"), "--db", str(previous_db)])
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1 and "nope.zip" in result.stderr
    assert previous_db.read_bytes() == before


def test_not_a_zip_is_a_one_line_error(tmp_path, previous_db):
    bogus = tmp_path / "release.zip"
    bogus.write_bytes(b"PK\x03\x04 this is not really a zip")
    result = CliRunner().invoke(main, ["build", "--source", str(bogus), "--db", str(previous_db)])
    assert result.exit_code != 0 and "release.zip" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_corrupt_zip_member_is_a_build_error(tmp_path, previous_db):
    data = bytearray(zip_release(tmp_path / "r.zip").read_bytes())
    middle = len(data) // 3
    data[middle : middle + 20] = b"\xff" * 20
    (tmp_path / "r.zip").write_bytes(bytes(data))
    before = previous_db.read_bytes()
    result = CliRunner().invoke(main, ["build", "--source", str(tmp_path / "r.zip"), "--db", str(previous_db)])
    assert result.exit_code == 1 and result.stderr.startswith("error:")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert previous_db.read_bytes() == before and _temps(previous_db) == []


def test_killed_build_leaves_old_db_serving_and_next_build_cleans_up(tmp_path, previous_db):
    """SIGKILL a real full build mid-way: the old (fixture) database is intact and serves; the next build
    removes the dead build's temp file."""
    before = previous_db.read_bytes()
    env = {k: v for k, v in os.environ.items() if k not in ("ONETLOCAL_SUPPLEMENTARY", "ONETLOCAL_OEWS")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "onetlocal", "build", "--source", str(ONET_DIR), "--db", str(previous_db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            temps = _temps(previous_db)
            if temps and temps[0].stat().st_size > 1 << 20:  # well into the import
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the build finished before it could be interrupted"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert previous_db.read_bytes() == before
    stale = _temps(previous_db)
    assert len(stale) == 1

    app = create_app(Settings(db_path=previous_db, keys_db_path=tmp_path / "keys.sqlite", auth=False))
    with TestClient(app) as client:
        assert client.get("/about/").json()["database"] == f"O*NET {FIXTURE_VERSION}"
        assert client.get("/database/rows/occupation_data").json()["total"] == len(release_rows("Occupation Data"))

    build(previous_db, {"onet": str(RELEASE)})
    assert _temps(previous_db) == []


def test_running_app_sees_a_rebuild_without_restart(tmp_path, previous_db):
    """A rebuild replaces the file; the read-only layer reopens it (and drops its memo cache) on its next check."""
    from onetlocal.db import Database

    db = Database(previous_db)
    db.CHECK_INTERVAL = 0
    assert db.meta()["onet_version"] == FIXTURE_VERSION
    changed = copy_release(tmp_path / "v2")
    (changed / "Read Me.txt").write_text("O*NET 28.4 Database - fixture\r\n", encoding="utf-8")
    build(previous_db, {"onet": str(changed)})
    assert db.meta()["onet_version"] == "28.4"


def test_odd_characters_in_the_data_folder(tmp_path):
    """'%', '#' and '?' in a folder name must not change which file is opened (SQLite URIs) or its mode."""
    from onetlocal.keys import KeyStore

    folder = tmp_path / "a%41 b#c?mode=rw"
    build(folder / "onet.sqlite", {"onet": str(RELEASE)})
    key = KeyStore(folder / "keys.sqlite").create("k")
    app = create_app(Settings(db_path=folder / "onet.sqlite", keys_db_path=folder / "keys.sqlite"))
    with TestClient(app) as client:
        assert client.get("/about/", headers={"X-API-Key": key}).json()["database"] == f"O*NET {FIXTURE_VERSION}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]  # nothing opened beside it
