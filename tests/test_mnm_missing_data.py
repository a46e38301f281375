"""My Next Move routes on a build without the supplementary, OEWS and interest data (the hand-written fixture
release): every route answers 200 or 422 "data not available", never a 500."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from fixtures import RELEASE
from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.http.endpoints.mnm import ENDPOINTS
from onetlocal.ingest import build

ANSWERS = "12345" * 12
#: A valid value for each path parameter.
PATH_VALUES = {"code": "62", "category": "grow", "zone": "2", "area": "social"}


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mnm-bare")
    target = folder / "fixture.sqlite"
    build(target, {"onet": str(RELEASE)})
    app = create_app(Settings(db_path=target, keys_db_path=folder / "keys.sqlite", auth=False, rate_limit=None))
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.path.startswith("/mnm/")], ids=lambda e: e.path)
def test_routes_without_data_answer_422_not_500(bare, endpoint):
    path = endpoint.path.format(**PATH_VALUES)
    if "career_clusters/" in path and path.endswith("62"):
        path = path[:-2] + "010100"
    params = (
        {"keyword": "nurse"}
        if "search" in path
        else {"answers": ANSWERS}
        if "results" in path or (path.endswith("interestprofiler/careers"))
        else {}
    )
    response = bare.get(path, params=params)
    assert response.status_code in (200, 422), (path, response.status_code, response.text)
    if response.status_code == 422:
        assert "not available" in response.json()["error"], response.text
