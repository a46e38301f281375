"""Requests exactly as O*NET's official v2 sample clients make them (Python: urllib with `urlencode(tuples,
True)` on a base URL ending in '/', paths without a leading or trailing slash, 200 and 422 both read as JSON;
Node: `querystring.stringify`, which sends arrays as repeated parameters), against uvicorn on 127.0.0.1.
The samples themselves were also run unchanged against a local server (only the base URL changed): the closing
note of issue 8 records their output."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import read_release
from fixtures import running_server


@pytest.fixture(scope="module")
def root(app) -> str:
    with running_server(app) as url:
        yield url + "/"


def _call(root: str, key: str, path: str, *query) -> dict:
    """What the Python sample's `OnetWebService.call` does, minus its error wording."""
    url = root + path + ("?" + urllib.parse.urlencode(query, True) if query else "")
    request = urllib.request.Request(
        url, None, {"User-Agent": "python-OnetWebService/2.00 (bot)", "X-API-Key": key, "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request) as handle:
            return json.load(handle)
    except urllib.error.HTTPError as exc:
        if exc.code == 422:
            return json.load(exc)
        return {"error": f"failed with error code {exc.code}"}


def test_keyword_search_sample(root, api_key):
    assert _call(root, api_key, "about")["api_version"] == "2.0"
    found = _call(root, api_key, "online/search", ("keyword", "registered nurse"), ("end", 5))
    assert len(found["occupation"]) == 5 and found["occupation"][0]["code"] == "29-1141.00"
    assert {"code", "title"} <= set(found["occupation"][0])


def test_batch_coder_sample_reads_code_and_title(root, api_key):
    titles = {r["O*NET-SOC Code"]: r["Title"] for r in read_release("Occupation Data")}
    for query in ("Structural Engineer", "Receptionist", "Senior IT Manager"):
        found = _call(root, api_key, "online/search", ("keyword", query), ("end", 3))
        assert 1 <= len(found["occupation"]) <= 3
        assert all(titles[o["code"]] == o["title"] for o in found["occupation"])
    first = _call(root, api_key, "online/search", ("keyword", "Structural Engineer"), ("end", 3))["occupation"][0]
    assert first["code"] == "17-2051.00"  # as the sample's documented output


def test_422_is_json_with_error(root, api_key):
    assert _call(root, api_key, "online/search") == {"error": "must have required property 'keyword'"}


def test_node_style_arrays_are_repeated_parameters(root, api_key):
    """`querystring.stringify({activities: [a, b]})` gives `activities=a&activities=b`: both must count."""
    ids = ["4.A.4.a.1.I05.D01", "4.A.2.a.2.I05.D04"]
    path = "online/related_activities/results/29-1051.00"
    repeated = _call(root, api_key, path, *(("activities", i) for i in ids), ("end", 50))
    joined = _call(root, api_key, path, ("activities", ",".join(ids)), ("end", 50))
    assert repeated == joined and repeated["total"] > 0
