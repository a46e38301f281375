"""onetlocal.client.Client against the real app served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import pytest

from conftest import read_release
from fixtures import free_port, running_server
from onetlocal.client import Client, ClientError


@pytest.fixture(scope="module")
def server(app) -> str:
    with running_server(app) as url:
        yield url


@pytest.fixture()
def api(server, api_key):
    with Client(server, api_key) as c:
        yield c


def test_get_about(api):
    body = api.get("/about/")
    assert body["api_version"] == "2.0" and body["database"] == "O*NET 30.1"
    assert api.get("about") == body  # leading slash optional


def test_hrefs_are_absolute_on_the_real_host(api, server):
    tables = api.get("database/")
    skills = next(t for t in tables if t["table_id"] == "skills")
    assert skills["info"] == f"{server}/database/info/skills"


def test_get_with_params_and_repeated_filters(api, server):
    expected = [r for r in read_release("Skills") if r["O*NET-SOC Code"] == "15-1252.00" and r["Scale ID"] == "IM"]
    body = api.get(
        "database/rows/skills", [("filter", "onetsoc_code.eq.15-1252.00"), ("filter", "scale_id.eq.IM")], end=5
    )
    assert body["total"] == len(expected) and len(body["row"]) == 5
    assert body["next"].startswith(f"{server}/database/rows/skills?filter=onetsoc_code.eq.15-1252.00&filter=")


def test_pages_walks_every_page(api):
    codes = [r["O*NET-SOC Code"] for r in read_release("Occupation Data")]
    rows = list(api.pages("database/rows/occupation_data", "row", page_size=300))
    assert [r["onetsoc_code"] for r in rows] == codes  # 4 pages, no gap, no repeat


def test_pages_with_filter_and_small_pages(api):
    expected = [r["Task ID"] for r in read_release("Task Statements") if r["O*NET-SOC Code"] == "15-1252.00"]
    rows = list(
        api.pages("database/rows/task_statements", "row", {"filter": "onetsoc_code.eq.15-1252.00"}, page_size=7)
    )
    assert [str(r["task_id"]) for r in rows] == expected and len(expected) > 7


def test_pages_of_an_empty_list(api):
    assert list(api.pages("database/rows/occupation_data", "row", {"filter": "title.eq.none"})) == []


def test_errors_raise_client_error(api, server):
    with pytest.raises(ClientError) as err:
        api.get("database/rows/skills", filter="nope.eq.1")
    assert err.value.status == 422 and "nope" in err.value.message
    with pytest.raises(ClientError) as err:
        api.get("no/such/path")
    assert err.value.status == 404
    with Client(server, "wrong") as bad, pytest.raises(ClientError) as err:
        bad.get("about/")
    assert err.value.status == 401 and "API key" in err.value.message


def test_unreachable_server_is_a_client_error():
    with Client(f"http://127.0.0.1:{free_port()}", "k", timeout=5) as c, pytest.raises(ClientError) as err:
        c.get("about/")
    assert err.value.status == 0


@pytest.mark.parametrize(
    "target",
    [
        "/database/rows/skills?filter=element_name.contains.%ff%fe%00",
        "/database/rows/%ff%00",
        "/database/info/skills%3BDROP%20TABLE%20skills",
        "/database/rows/skills?start=%00&end=%ff",
        "/database/rows/skills?sort=%E2%80%AE&filter=date_updated.eq.%C2%B2/2023",
        "/about/?" + "&".join(["x=1"] * 500),
        "/database/rows/skills?filter=n.eq." + "9" * 300,
    ],
)
def test_real_server_answers_odd_requests_with_json(server, api_key, target):
    """Raw URLs (no client-side encoding) through uvicorn's own URL decoding."""
    import httpx

    response = httpx.get(server + target, headers={"X-API-Key": api_key}, timeout=10)
    assert response.status_code in (200, 404, 422), response.text[:200]
    assert response.headers["content-type"].startswith("application/json")
    assert isinstance(response.json(), (dict, list))
