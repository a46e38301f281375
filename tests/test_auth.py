"""Authentication (X-API-Key), per-key rate limiting and CORS, on the real app."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.keys import KeyStore

PROTECTED = ["/about/", "/about", "/database/", "/database/info/skills", "/database/rows/skills"]


def _is_json_error(response, status: int) -> str:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]
    return body["error"]


@pytest.mark.parametrize("path", PROTECTED)
def test_missing_key_is_401_json(anon, path):
    assert "X-API-Key" in _is_json_error(anon.get(path), 401)


@pytest.mark.parametrize("key", ["nope", "olk_" + "A" * 43, "", " "])
def test_unknown_key_is_401_json(anon, key):
    _is_json_error(anon.get("/about/", headers={"X-API-Key": key}), 401)


def test_valid_key_is_accepted(client):
    assert client.get("/about/").status_code == 200


def test_unknown_route_with_key_is_404_json(client):
    _is_json_error(client.get("/no/such/route"), 404)


def test_unknown_route_without_key_is_404(anon):
    # A path no route of any API could answer is a 404 before the key check: /openapi.json already lists every
    # route, so nothing is learnt; a path a route could answer still needs the key (401), whatever its values.
    _is_json_error(anon.get("/no/such/route"), 404)
    _is_json_error(anon.get("/online/no_such_family/"), 404)
    _is_json_error(anon.get("/about/"), 401)
    _is_json_error(anon.get("/online/occupations/99-9999.99/"), 401)
    _is_json_error(anon.get("/no/such/route", headers={"X-API-Key": "wrong"}), 404)
    _is_json_error(anon.get("/about/", headers={"X-API-Key": "wrong"}), 401)


@pytest.mark.parametrize("path", ["/", "/openapi.json", "/docs", "/healthz"])
def test_public_paths_need_no_key(anon, path):
    assert anon.get(path).status_code == 200


def test_revoked_key_is_refused_immediately(db_path, tmp_path):
    keys = tmp_path / "keys.sqlite"
    store = KeyStore(keys)
    key = store.create("temp")
    app = create_app(Settings(db_path=db_path, keys_db_path=keys, auth=True, rate_limit=None))
    with TestClient(app, headers={"X-API-Key": key}) as c:
        assert c.get("/about/").status_code == 200
        store.revoke("temp")
        assert "revoked" in _is_json_error(c.get("/about/"), 401)


def test_key_created_after_start_is_accepted(db_path, tmp_path):
    keys = tmp_path / "keys.sqlite"  # does not exist when the app starts
    app = create_app(Settings(db_path=db_path, keys_db_path=keys, auth=True, rate_limit=None))
    with TestClient(app) as c:
        _is_json_error(c.get("/about/", headers={"X-API-Key": "olk_x"}), 401)
        key = KeyStore(keys).create("late")
        assert c.get("/about/", headers={"X-API-Key": key}).status_code == 200


def test_rate_limit_answers_429_with_retry_after(db_path, tmp_path):
    keys = tmp_path / "keys.sqlite"
    key, other = KeyStore(keys).create("one"), KeyStore(keys).create("two")
    app = create_app(Settings(db_path=db_path, keys_db_path=keys, auth=True, rate_limit=1 / 60))  # 1/m
    with TestClient(app) as c:
        assert c.get("/about/", headers={"X-API-Key": key}).status_code == 200
        limited = c.get("/about/", headers={"X-API-Key": key})
        assert "rate limit" in _is_json_error(limited, 429)
        retry = limited.headers["Retry-After"]
        assert retry.isdigit() and 1 <= int(retry) <= 60
        assert c.get("/about/", headers={"X-API-Key": other}).status_code == 200  # per key
        assert c.get("/healthz").status_code == 200  # public paths are not limited


def test_no_auth_app_needs_no_key(db_path, tmp_path):
    app = create_app(Settings(db_path=db_path, keys_db_path=tmp_path / "keys.sqlite", auth=False))
    with TestClient(app) as c:
        assert c.get("/about/").status_code == 200


def test_cors_preflight_allows_api_key_header(anon):
    response = anon.options(
        "/database/rows/skills",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "X-API-Key",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "x-api-key" in response.headers["access-control-allow-headers"].lower()
    assert "GET" in response.headers["access-control-allow-methods"]


def test_cors_headers_on_answers_and_errors(client, anon):
    origin = {"Origin": "https://example.org"}
    assert client.get("/about/", headers=origin).headers["access-control-allow-origin"] == "*"
    assert anon.get("/about/", headers=origin).headers["access-control-allow-origin"] == "*"


def test_other_methods_are_405_json(client):
    _is_json_error(client.post("/about/"), 405)
