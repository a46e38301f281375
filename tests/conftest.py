"""Shared fixtures: the real database, built once per session from ../shared/data (or ONET_SOURCE etc.),
cached by the checksum of its sources and of the build code, and the real app answering real requests."""

from __future__ import annotations

import hashlib
import os
import time
import warnings
from pathlib import Path

import platformdirs
import pytest

warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

import onetlocal.ingest as ingest_pkg  # noqa: E402
from import_graph import build_code  # noqa: E402
from onetlocal.app import create_app  # noqa: E402
from onetlocal.config import Settings  # noqa: E402
from onetlocal.context import Ctx  # noqa: E402
from onetlocal.db import Database  # noqa: E402
from onetlocal.ingest import build, path_checksum  # noqa: E402
from onetlocal.ingest.supplementary import PACKAGED  # noqa: E402
from onetlocal.keys import KeyStore  # noqa: E402

# Under CI a skip fails the run unless the test is on skip_policy.ALLOWED_SKIPS (its hooks, registered here).
from skip_policy import (  # noqa: E402, F401
    pytest_make_collect_report,
    pytest_runtest_makereport,
    pytest_sessionfinish,
    pytest_terminal_summary,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
BASE = "http://testserver"


def _source(env: str, default: Path) -> Path | None:
    value = os.environ.get(env)
    path = Path(value) if value else default
    return path if path.exists() else None


SOURCES = {
    "onet": _source("ONET_SOURCE", SHARED / "onet" / "db_30_1_text"),
    "supplementary": _source("ONETLOCAL_SUPPLEMENTARY", SHARED / "supplementary"),
    "oews": _source("ONETLOCAL_OEWS", SHARED / "oews" / "oews-2025.sqlite.gz"),
}
ONET_DIR = SOURCES["onet"]


def require_source(name: str) -> Path:
    """The path of source `name`, or the test fails saying which file is missing and how to give it. One rule for
    every source: the suite checks wages, outlook and locations against the OEWS file as much as titles against the
    release, so a missing source fails what needs it (at the database fixture) instead of skipping part of the
    suite or failing later on an absent table."""
    path = SOURCES.get(name)
    if path is None:
        env = {"onet": "ONET_SOURCE", "supplementary": "ONETLOCAL_SUPPLEMENTARY", "oews": "ONETLOCAL_OEWS"}[name]
        pytest.fail(f"no {name} source: set {env} or put the data in ../shared/data (see .ci/run for the layout)")
    return path


#: The current layout (O*NET 30.3+, CSV edition), built beside the 30.1 one with it as the previous release.
CURRENT_DIR = _source("ONET_SOURCE_CURRENT", SHARED / "onet" / "db_30_3_csv")

#: Every source the suite reads: (what, variable, default). Modules read the release at import (expected values),
#: so without one the run stops before collecting, in one message, instead of a traceback per module.
NEEDED = [
    ("the O*NET 30.1 release", "ONET_SOURCE", SHARED / "onet" / "db_30_1_text"),
    ("the O*NET 30.3 release", "ONET_SOURCE_CURRENT", SHARED / "onet" / "db_30_3_csv"),
    ("the supplementary folder", "ONETLOCAL_SUPPLEMENTARY", SHARED / "supplementary"),
    ("the OEWS file", "ONETLOCAL_OEWS", SHARED / "oews" / "oews-2025.sqlite.gz"),
]


def pytest_configure(config: pytest.Config) -> None:
    missing = [f"{what} ({env}, default {default})" for what, env, default in NEEDED if _source(env, default) is None]
    if missing:  # a usage error: pytest prints this one line and exits 4, before collecting
        raise pytest.UsageError(
            f"no test data: the suite runs on the real data and lacks {'; '.join(missing)}. Set those variables "
            "or put the data in ../shared/data beside this clone (.ci/run shows the layout)"
        )


CURRENT_SOURCES = {**SOURCES, "onet": CURRENT_DIR, "onet_previous": SOURCES["onet"]}


def _cache_key(sources: dict[str, Path | None]) -> str:
    digest = hashlib.sha256(ingest_pkg.SCHEMA_VERSION.encode())
    for file in build_code():  # the ingest package and the modules it imports (search_terms, vocabulary, ...)
        digest.update(file.read_bytes())
    digest.update(path_checksum(PACKAGED).encode())  # the lists shipped in the package (read without a folder)
    for name, path in sorted(sources.items()):
        digest.update(f"{name}:{path_checksum(path) if path else '-'}".encode())
    return digest.hexdigest()[:24]


def _cached_build(sources: dict[str, Path | None]) -> Path:
    """The database of `sources`, built once and cached by the checksum of the sources and the build code."""
    cache = Path(os.environ.get("ONETLOCAL_TEST_CACHE") or platformdirs.user_cache_dir("onetlocal")) / "test-db"
    target = cache / f"onet-{_cache_key(sources)}.sqlite"
    if not target.exists():
        # Drop stale builds, but not ones another test session (other code version) may still be reading.
        for old in cache.glob("onet-*.sqlite"):
            if time.time() - old.stat().st_mtime > 3 * 3600:
                old.unlink(missing_ok=True)
        build(target, {k: str(v) if v else None for k, v in sources.items()})
    return target


@pytest.fixture(scope="session")
def db_path() -> Path:
    """The O*NET 30.1 build (the layout before 30.3), with every supplementary source."""
    for name in SOURCES:
        require_source(name)
    return _cached_build(SOURCES)


@pytest.fixture(scope="session")
def current_db_path() -> Path:
    """The O*NET 30.3 build (the layout of the current release), with the 30.1 release as its previous one."""
    if CURRENT_DIR is None:
        pytest.fail("no O*NET 30.3 release: set ONET_SOURCE_CURRENT or put the data in ../shared/data")
    for name in SOURCES:
        require_source(name)
    return _cached_build(CURRENT_SOURCES)


@pytest.fixture(scope="session")
def public_db_path() -> Path:
    """The O*NET 30.1 release alone: what a user builds with no supplementary folder and no OEWS file (the lists
    shipped in the package are all it has besides the release)."""
    return _cached_build({"onet": require_source("onet"), "supplementary": None, "oews": None})


@pytest.fixture(scope="session")
def public_client(public_db_path: Path, tmp_path_factory) -> TestClient:
    """The real app on `public_db_path`, without keys."""
    keys = tmp_path_factory.mktemp("public-keys") / "keys.sqlite"
    app = create_app(Settings(db_path=public_db_path, keys_db_path=keys, auth=False, rate_limit=None))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def current_client(current_db_path: Path, keys_path: Path, api_key: str) -> TestClient:
    """The real app on the 30.3 build, authenticated with a real key."""
    app = create_app(Settings(db_path=current_db_path, keys_db_path=keys_path, auth=True, rate_limit=None))
    with TestClient(app, headers={"X-API-Key": api_key}) as c:
        yield c


@pytest.fixture(scope="session", params=["30.1", "30.3"])
def any_client(request) -> TestClient:
    """The real app on each layout's build in turn: for route checks that must hold on both."""
    return request.getfixturevalue("client" if request.param == "30.1" else "current_client")


@pytest.fixture(scope="session")
def db(db_path: Path) -> Database:
    return Database(db_path)


@pytest.fixture()
def ctx(db: Database):
    """A service context without a server: `ctx(**params)` or `ctx(path, params)`."""

    def make(path: str = "/", params: dict | list | None = None, **kw) -> Ctx:
        items = list(params.items() if isinstance(params, dict) else params or []) + list(kw.items())
        return Ctx(db=db, base_url=BASE, path=path, params=[(k, str(v)) for k, v in items])

    return make


@pytest.fixture(scope="session")
def keys_path(db_path: Path, tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("keys") / "keys.sqlite"


@pytest.fixture(scope="session")
def api_key(keys_path: Path) -> str:
    return KeyStore(keys_path).create("tests")


@pytest.fixture(scope="session")
def app(db_path: Path, keys_path: Path, api_key: str):
    return create_app(Settings(db_path=db_path, keys_db_path=keys_path, auth=True, rate_limit=None))


@pytest.fixture(scope="session")
def client(app, api_key: str) -> TestClient:
    """The real app, authenticated with a real key."""
    with TestClient(app, headers={"X-API-Key": api_key}) as c:
        yield c


@pytest.fixture(scope="session")
def anon(app) -> TestClient:
    """The real app, without a key."""
    with TestClient(app) as c:
        yield c


def read_release(name: str) -> list[dict]:
    """Rows of a release file as dicts of its raw text cells — to check served values against the source."""
    with open(ONET_DIR / f"{name}.txt", encoding="utf-8-sig", newline="") as fh:
        header, *lines = fh.read().splitlines()
    cols = header.split("\t")
    return [dict(zip(cols, line.split("\t"), strict=False)) for line in lines if line]


def sql(db: Path, query: str, params=()) -> list[tuple]:
    """Rows of a query on a built database file, read-only."""
    import sqlite3

    from onetlocal.db import readonly_uri

    conn = sqlite3.connect(readonly_uri(db), uri=True)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def read_current(table_id: str) -> list[dict]:
    """Rows of a 30.3 CSV file (RFC 4180) as dicts of its raw cells."""
    import csv

    with open(CURRENT_DIR / f"{table_id}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def ok(client, url: str, **params):
    """The JSON body of a 200 answer (no params: a query string written into `url` is kept)."""
    response = client.get(url, params=params or None)
    assert response.status_code == 200, response.text[:500]
    return response.json()


def error(client, url: str, status: int = 422, **params) -> str:
    """The message of an error answer of `status` (422 by default)."""
    response = client.get(url, params=params or None)
    assert response.status_code == status, response.text[:500]
    return response.json()["error"]
