"""Issue 17 item 7: a database built by an older or newer onetlocal is refused in one line (503 from a running
server, a one-line error from `serve`), and a rebuild onto a served path across schema versions never crashes it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from fixtures import free_port, wait_until_up
from onetlocal.app import create_app, warm
from onetlocal.config import Settings
from onetlocal.db import Database
from onetlocal.errors import DatabaseMissing, SchemaMismatch
from onetlocal.ingest import SCHEMA_VERSION

ONETLOCAL = Path(sys.executable).parent / "onetlocal"


def _set_schema(path: Path, version: str | None) -> Path:
    with sqlite3.connect(path) as conn:
        if version is None:
            conn.execute("DELETE FROM meta WHERE key = 'schema_version'")
        else:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (version,))
    conn.close()
    return path


def _copy(db_path: Path, target: Path, version: str | None = SCHEMA_VERSION) -> Path:
    """A copy of the session's real build, recording `version` as its schema."""
    shutil.copyfile(db_path, target)
    return target if version == SCHEMA_VERSION else _set_schema(target, version)


def _tiny(path: Path, version: str | None) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.close()
    return _set_schema(path, version)


OTHER = str(int(SCHEMA_VERSION) + 1)


@pytest.mark.parametrize(
    "found,by", [("0", "an older"), (str(int(SCHEMA_VERSION) + 1), "a newer"), (None, "another"), ("x", "another")]
)
def test_another_schema_is_one_line_naming_the_rebuild(tmp_path, found, by):
    path = _tiny(tmp_path / "old db.sqlite", found)
    with pytest.raises(SchemaMismatch) as caught:
        Database(path).one("SELECT 1")
    message = caught.value.message
    assert isinstance(caught.value, DatabaseMissing) and caught.value.status == 503
    assert message == (
        f"the database at {path} was built by {by} onetlocal version (schema {found or 'unknown'}, "
        f"this one reads {SCHEMA_VERSION}): rebuild it with `onetlocal build --db '{path}'`"
    )
    assert "\n" not in message


def test_the_schema_of_this_version_is_served(tmp_path):
    assert Database(_tiny(tmp_path / "db.sqlite", SCHEMA_VERSION)).meta() == {"schema_version": SCHEMA_VERSION}


def test_a_file_without_meta_is_not_taken_for_an_old_build(tmp_path):
    """Any SQLite file (keys.sqlite given as --db, say) is 'not usable', never 'rebuild over it'."""
    path = tmp_path / "keys.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE api_keys (name)").connection.close()
    with pytest.raises(DatabaseMissing, match="not usable") as caught:
        Database(path).one("SELECT 1")
    assert not isinstance(caught.value, SchemaMismatch)


def _app(path: Path, tmp_path: Path) -> TestClient:
    return TestClient(
        create_app(Settings(db_path=path, keys_db_path=tmp_path / "keys.sqlite", auth=False, rate_limit=None))
    )


def _until(client: TestClient, status: int, seconds: float) -> float:
    """Seconds until /about/ answers `status` (fails after `seconds`)."""
    started = time.monotonic()
    while (answer := client.get("/about/")).status_code != status:
        assert answer.status_code in (200, 503), answer.text
        assert time.monotonic() - started < seconds, answer.text
        time.sleep(0.02)
    return time.monotonic() - started


def test_a_server_started_on_another_schema_answers_503_in_one_line(db_path, tmp_path):
    path = _copy(db_path, tmp_path / "onet.sqlite", OTHER)
    with _app(path, tmp_path) as client:
        warm(client.app.state.db)  # what each server worker does first: nothing to load, no crash
        for url in ("/about/", "/online/occupations/15-1252.00/", "/online/search?keyword=nurse"):
            answer = client.get(url)
            assert answer.status_code == 503, answer.text
            assert list(answer.json()) == ["error"] and "\n" not in answer.json()["error"]
            assert "rebuild it with `onetlocal build`" in answer.json()["error"]
            assert str(path) not in answer.json()["error"]  # a 503 names no path (the server log does)
        assert client.get("/healthz").status_code == 503


def test_a_rebuild_across_schema_versions_is_503_then_200_without_restart(db_path, tmp_path):
    path = _copy(db_path, tmp_path / "onet.sqlite")
    with _app(path, tmp_path) as client:
        assert client.get("/about/").status_code == 200 and client.get("/healthz").status_code == 200
        os.replace(_copy(db_path, tmp_path / "other.sqlite", OTHER), path)  # as `onetlocal build` replaces it
        assert _until(client, 503, 3) < 1.5  # seen at the next check (Database.CHECK_INTERVAL)
        answer = client.get("/about/")
        assert f"(schema {OTHER}, this one reads {SCHEMA_VERSION})" in answer.json()["error"]
        assert client.get("/healthz").status_code == 503
        os.replace(_copy(db_path, tmp_path / "good.sqlite"), path)
        # served once prepared (search index, reference tables: db.Database._warm), meanwhile still the 503
        assert _until(client, 200, 30) < 30
        assert client.get("/healthz").status_code == 200


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONETLOCAL_") and k != "ONET_SOURCE"}
    return {**env, **extra}


def test_serve_refuses_another_schema_in_one_line_and_leaves_the_file(db_path, tmp_path):
    path = _copy(db_path, tmp_path / "old.sqlite", "0")
    before = (path.stat().st_ino, path.stat().st_mtime_ns)
    port = free_port()
    result = subprocess.run(
        [str(ONETLOCAL), "serve", "--db", str(path), "--port", str(port), "--no-auth"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0] == (
        f"error: the database at {path} was built by an older onetlocal version (schema 0, this one "
        f"reads {SCHEMA_VERSION}): rebuild it with `{ONETLOCAL.resolve()} build --db {path}`"
    )
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == before  # not rebuilt over


def _answer_until(ask, status: int, seconds: float) -> httpx.Response:
    """`ask()` every 50 ms until it answers `status` or `seconds` pass; the last answer."""
    deadline = time.monotonic() + seconds
    while True:
        answer = ask()
        if answer.status_code == status or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


def test_a_running_server_survives_a_rebuild_of_another_schema(db_path, tmp_path):
    """The real server (granian worker, search index warmed): 503 in one line while the file is of another
    schema, 200 again as soon as a build of its own replaces it."""
    path = _copy(db_path, tmp_path / "onet.sqlite")
    url = f"http://127.0.0.1:{free_port()}"
    proc = subprocess.Popen(
        [
            str(ONETLOCAL),
            "serve",
            "--db",
            str(path),
            "--port",
            url.rsplit(":", 1)[1],
            "--no-auth",
            "--access-log",
            "off",
        ],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(proc, url)
        os.replace(_copy(db_path, tmp_path / "other.sqlite", OTHER), path)
        # A new file is prepared before it is served (db.Database._warm): one of another schema fails at once.
        answer = _answer_until(lambda: httpx.get(f"{url}/about/", timeout=5), 503, Database.CHECK_INTERVAL + 10)
        assert answer.status_code == 503 and "rebuild it with" in answer.json()["error"], answer.text
        # every worker (one per core by default) notices on its own
        health = _answer_until(lambda: httpx.get(f"{url}/healthz", timeout=5), 503, Database.CHECK_INTERVAL + 10)
        assert health.status_code == 503
        os.replace(_copy(db_path, tmp_path / "good.sqlite"), path)
        # ... a good one is served once its search index and reference tables are built (seconds on 2 cores).
        answer = _answer_until(lambda: httpx.get(f"{url}/about/", timeout=5), 200, Database.CHECK_INTERVAL + 30)
        assert answer.status_code == 200
        assert proc.poll() is None
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
    assert "Traceback" not in stderr, stderr
