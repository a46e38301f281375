"""`POST /onetlocal/code` (http/coding.py): the key, the rate limit counted per title, the documented limits and
errors, the same first code as /online/search, /openapi.json, and the Python client's method."""

from __future__ import annotations

import time

import pytest
from starlette.testclient import TestClient

from conftest import read_release
from fixtures import running_server
from onetlocal.app import create_app
from onetlocal.client import Client, ClientError
from onetlocal.config import Settings
from onetlocal.http.coding import MAX_TITLES, PATH
from onetlocal.keys import KeyStore


def _titles(n: int) -> list[str]:
    rows = read_release("Sample of Reported Titles")
    return [r["Reported Job Title"] for r in rows[:: max(1, len(rows) // n)]][:n]


def test_codes_titles_in_order_with_the_searchs_first_code(any_client):
    """On a build of each layout (30.1; 30.3, whose shared copy lacks Job Titles)."""
    client = any_client
    titles = [*_titles(60), "registerd nurse", "Cook, Line", "15-1252"]
    response = client.post(PATH, json=titles)
    assert response.status_code == 200, response.text
    answers = response.json()
    assert [a["input"] for a in answers] == titles
    for title, answer in zip(titles, answers, strict=True):
        found = client.get("/online/search", params={"keyword": title, "end": 1}).json()["occupation"]
        assert answer["code"] == found[0]["code"] and answer["title"] == found[0]["title"], title
        assert 0.0 <= answer["confidence"] <= 1.0 and isinstance(answer["review"], bool)
        assert all({"code", "title", "confidence"} == set(a) for a in answer["alternatives"])


def test_objects_with_industry_and_review_below(client):
    body = [{"title": "cook", "industry": "6221"}, {"title": "cook", "industry": "7225"}, "cook"]
    answers = client.post(PATH, json=body, params={"review_below": 1}).json()
    assert [a["code"] for a in answers] == ["35-2012.00", "35-2014.00", "35-2014.00"]
    assert all(a["review"] for a in answers)
    assert not any(a["review"] for a in client.post(PATH, json=body, params={"review_below": 0}).json())


@pytest.mark.parametrize(
    "content, params, status, says",
    [
        (b"[not json", {}, 400, "not JSON"),
        (b'{"title": "cook"}', {}, 422, "JSON array"),
        (b"[1]", {}, 422, "item 0"),
        (b'["cook", {"name": "cook"}]', {}, 422, "item 1"),
        (b'[{"title": "cook", "industry": "abc"}]', {}, 422, "NAICS"),
        (b'[{"title": "cook", "industry": "1011"}]', {}, 422, "no OEWS staffing pattern"),
        (b'["cook"]', {"review_below": "2"}, 422, "review_below"),
        (b'["cook"]', {"review_below": "nan"}, 422, "review_below"),
    ],
)
def test_bad_input_is_a_json_error(client, content, params, status, says):
    response = client.post(PATH, content=content, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert says in response.json()["error"]


def test_the_maximum_per_request_is_422_and_a_body_too_large_413(client):
    assert client.post(PATH, json=["cook"] * MAX_TITLES).status_code == 200
    response = client.post(PATH, json=["cook"] * (MAX_TITLES + 1))
    assert response.status_code == 422 and f"at most {MAX_TITLES}" in response.json()["error"]
    response = client.post(PATH, content=b'["' + b"a" * (3 * 1024 * 1024) + b'"]')
    assert response.status_code == 413 and "error" in response.json()


def test_other_methods_and_paths(client):
    assert client.get(PATH).status_code == 405 and "POST" in client.get(PATH).json()["error"]
    assert client.post("/onetlocal/other", json=[]).status_code == 404
    assert client.post(PATH, json=[]).json() == []


def test_the_key_is_required(anon):
    response = anon.post(PATH, json=["cook"])
    assert response.status_code == 401 and "X-API-Key" in response.json()["error"]
    assert anon.post(PATH, json=["cook"], headers={"X-API-Key": "wrong"}).status_code == 401


def test_the_rate_limit_counts_titles(db_path, tmp_path):
    """1 per second per key: a batch of 20 titles is admitted (a token was left) and paid for: the key's next
    request waits ~19 s, one title or a search alike."""
    keys = tmp_path / "keys.sqlite"
    key = KeyStore(keys).create("batch")
    app = create_app(Settings(db_path=db_path, keys_db_path=keys, auth=True, rate_limit=1))
    with TestClient(app, headers={"X-API-Key": key}) as c:
        assert c.get("/online/search", params={"keyword": "cook"}).status_code == 200  # loads the index
        time.sleep(1.1)  # the token back
        assert c.post(PATH, json=_titles(20)).status_code == 200
        response = c.post(PATH, json=["cook"])
        assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 15
        assert c.get("/online/search", params={"keyword": "cook"}).status_code == 429


def test_openapi_documents_the_route(anon):
    doc = anon.get("/openapi.json").json()
    op = doc["paths"][PATH]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["maxItems"] == MAX_TITLES
    assert {"200", "400", "401", "413", "422", "429"} <= set(op["responses"])
    assert "get" not in doc["paths"][PATH]


def test_python_client_codes_in_batches(app, api_key):
    with running_server(app) as url, Client(url, api_key) as api:
        titles = _titles(25)
        answers = api.code(titles, batch=10)
        assert [a["input"] for a in answers] == titles
        assert answers[0]["code"] == api.get("online/search", keyword=titles[0])["occupation"][0]["code"]
        assert api.code([{"title": "cook", "industry": "6221"}])[0]["code"] == "35-2012.00"
        with pytest.raises(ClientError) as err:
            api.code([{"title": "cook", "industry": "x"}])
        assert err.value.status == 422
