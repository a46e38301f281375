"""Issue 13 regressions: hostile paths, oversized queries, a database file damaged or replaced in place."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from starlette.testclient import TestClient

from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.db import Database
from onetlocal.errors import DatabaseMissing, QueryTimeout


@pytest.mark.parametrize(
    "path",
    ["/about/%0A", "/about%0A", "/online/occupations/%0D%0A/", "/about/%00", "/online/occupations/15-1252.00/%0A"],
)
def test_control_characters_in_paths_are_404_json(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/json") and "error" in response.json()


@pytest.mark.parametrize("fmt", ["json", "csv", "jsonl"])
@pytest.mark.parametrize("name,value", [("filter", "title.contains.a"), ("sort", "title")])
def test_too_many_filters_or_sorts_are_422(client, fmt, name, value):
    response = client.get("/database/rows/occupation_data", params=[(name, value)] * 1000 + [("format", fmt)])
    assert response.status_code == 422 and "at most" in response.json()["error"]


def test_a_slow_statement_is_stopped_by_the_time_limit(db_path):
    db = Database(db_path, time_limit_ms=1)
    slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) SELECT count(*) FROM n"
    with pytest.raises(QueryTimeout):
        db.scalar(slow)
    assert db.scalar("SELECT 1") == 1  # the connection is still usable
    assert db.memo(
        "slow-but-derived",
        lambda: db.scalar(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT count(*) FROM n"
        ),
    )


@pytest.fixture()
def own_copy(db_path, tmp_path, keys_path):
    path = tmp_path / "onet.sqlite"
    shutil.copyfile(db_path, path)
    app = create_app(Settings(db_path=path, keys_db_path=keys_path, auth=False, rate_limit=None))
    app.state.db.CHECK_INTERVAL = 0
    with TestClient(app) as c:
        yield path, c


def test_overwritten_in_place_answers_503_and_recovers(own_copy):
    path, client = own_copy
    good = path.read_bytes()
    assert client.get("/about/").status_code == 200
    with open(path, "r+b") as fh:  # truncate in place, as `truncate -s 0` does
        fh.truncate(0)
    for url in ("/about/", "/online/occupations/15-1252.00/"):
        response = client.get(url)
        assert response.status_code == 503 and "not usable" in response.json()["error"], response.text
    assert client.get("/healthz").status_code == 503  # the routes and /healthz agree
    with open(path, "r+b") as fh:  # garbage written over it in place
        fh.write(b"not a database" * 1000)
    assert client.get("/about/").status_code == 503
    path.write_bytes(good)  # restored in place
    assert client.get("/about/").status_code == 200 and client.get("/healthz").status_code == 200


def test_deleted_file_answers_503_consistently(own_copy):
    path, client = own_copy
    assert client.get("/about/").status_code == 200
    path.unlink()
    assert {client.get("/about/").status_code for _ in range(5)} == {503}
    assert client.get("/healthz").status_code == 503


def test_damaged_pages_are_503_not_500(db_path, tmp_path):
    path = tmp_path / "onet.sqlite"
    shutil.copyfile(db_path, path)
    db = Database(path)
    db.CHECK_INTERVAL = 0
    page_size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with open(path, "r+b") as fh:  # smash every page after the first 100 (schema and meta stay readable)
        fh.seek(100 * page_size)
        fh.write(b"\xff" * (path.stat().st_size - 100 * page_size))
    with pytest.raises(DatabaseMissing):
        db.all("SELECT * FROM task_statements")


# Issue 22 item 6: a file overwritten in place while requests run answers 503 (never 500) and recovers.

_CHURN_URLS = (
    "/about/",
    "/online/occupations/15-1252.00/summary/skills",
    "/online/search?keyword=nurse",
    "/database/rows/abilities?filter=element_name.contains.ora&end=5",
    "/database/info/abilities",
    "/mnm/careers/15-1252.00/",
)


def test_overwriting_the_served_file_under_load_is_503_never_500(db_path, current_db_path, tmp_path):
    import threading
    import time
    from collections import Counter

    import httpx

    from fixtures import running_server

    path = tmp_path / "onet.sqlite"
    shutil.copyfile(db_path, path)
    app = create_app(Settings(db_path=path, keys_db_path=tmp_path / "keys.sqlite", auth=False, rate_limit=None))
    statuses: Counter = Counter()
    failures: list[str] = []
    stop = threading.Event()

    def load(url: str) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            while not stop.is_set():
                for u in _CHURN_URLS:
                    r = http.get(u)
                    statuses[r.status_code] += 1
                    if r.status_code >= 500 and r.status_code != 503:
                        failures.append(f"{r.status_code} {u}: {r.text[:200]}")

    with running_server(app) as url:
        threads = [threading.Thread(target=load, args=(url,)) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            for other in (current_db_path, db_path, current_db_path, db_path):  # `cp other.db onet.db`, in place
                time.sleep(0.4)
                shutil.copyfile(other, path)
                time.sleep(0.4)
                with open(path, "r+b") as fh:  # `truncate -s 0`, then a good file again
                    fh.truncate(0)
                time.sleep(0.2)
                shutil.copyfile(other, path)
            time.sleep(0.3)
        finally:
            stop.set()
            for t in threads:
                t.join()
        assert not failures, (statuses, failures[:5])
        assert statuses[503] and statuses[200], statuses
        with httpx.Client(base_url=url) as http:  # recovered: the last file copied in is served
            deadline = time.monotonic() + 5
            while http.get("/about/").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert http.get("/about/").json()["database"] == "O*NET 30.1"
            assert http.get("/healthz").status_code == 200
