"""A rebuild replacing the database under a running server (issue 20 item 1): the new file's search index and
reference tables are built on a thread of their own while the old file keeps answering, so no request waits for
them (before: the first search after a rebuild built the index inline and a /healthz sent meanwhile took 0.6-4 s)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from fixtures import free_port, wait_until_up

ONETLOCAL = Path(sys.executable).parent / "onetlocal"


def test_requests_during_a_rebuild_never_wait_for_the_new_files_caches(db_path, tmp_path):
    served = tmp_path / "onet.sqlite"
    shutil.copyfile(db_path, served)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONETLOCAL_") and k != "ONET_SOURCE"}
    proc = subprocess.Popen(
        [str(ONETLOCAL), "serve", "--db", str(served), "--port", str(port), "--no-auth", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, url)
        with httpx.Client(base_url=url, timeout=10) as client:
            old = client.get("/about/").json()["built_at"]
            rebuilt = tmp_path / "rebuilt.sqlite"
            shutil.copyfile(db_path, rebuilt)
            with sqlite3.connect(rebuilt) as conn:
                conn.execute("UPDATE meta SET value = 'rebuilt' WHERE key = 'built_at'")
            conn.close()
            os.replace(rebuilt, served)  # as `onetlocal build` replaces it

            slowest, words, switched = 0.0, iter(["nurse", "welder", "teacher", "baker", "pilot"] * 100), None
            started = time.monotonic()
            while time.monotonic() - started < 60:
                for path in ("/healthz", f"/online/search?keyword={next(words)}", "/about/"):
                    asked = time.monotonic()
                    answer = client.get(path)
                    slowest = max(slowest, time.monotonic() - asked)
                    assert answer.status_code == 200, answer.text
                if answer.json()["built_at"] == "rebuilt":
                    switched = time.monotonic() - started
                    break
                time.sleep(0.02)
            assert old != "rebuilt" and switched is not None, "the rebuilt file was never served"
            assert slowest < 0.5, f"a request waited {slowest:.2f} s during the switch"
            # the new file's search index was built before it was served: the first search on it is quick
            asked = time.monotonic()
            assert client.get("/online/search?keyword=registered nurse").status_code == 200
            assert time.monotonic() - asked < 0.5
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
    assert "Traceback" not in stderr, stderr


def test_preparing_a_database_whose_routes_fail_never_stops_a_worker(tmp_path, caplog):
    """A database holding only some tables (a held-out benchmark build, a damaged one): the warm-up requests that
    fail are logged, and the worker starts; callers then get those routes' own answers."""
    from onetlocal.app import prepare
    from onetlocal.db import Database
    from onetlocal.ingest import SCHEMA_VERSION

    path = tmp_path / "partial.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        conn.execute("CREATE TABLE occupation_data (onetsoc_code TEXT, title TEXT, description TEXT)")
        conn.execute("INSERT INTO occupation_data VALUES ('15-1252.00', 'Software Developers', 'Write software.')")
    conn.close()
    prepare(Database(path))  # does not raise
    assert any("preparing /online/occupations/{code}/ failed" in r.getMessage() for r in caplog.records)
