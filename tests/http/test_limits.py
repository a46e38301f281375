"""Issue 22 item 5: the Host header is parsed strictly (a name or IP literal, then an optional digits-only port)
before it is compared with --allowed-hosts or written into links."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.http.limits import split_host

HOSTILE = [
    "localhost:@evil.example",
    "localhost:80@evil",
    "127.0.0.1:abc",
    'localhost:"><script>',
    "",
    "a" * 5000,
    "localhost:",
    "localhost:99999",
    "localhost:80:80",
    "::1",
    "[::1]:80@evil",
    "[::1%25lo]",
    "local host",
    "a..b",
    "-x.example",
]
REFUSED = {"error": "invalid host header: this server does not answer for that host (see --allowed-hosts)"}


def test_split_host():
    assert split_host("LOCALHOST:8080") == ("localhost", 8080)
    assert split_host("[::1]:8080") == ("::1", 8080) and split_host("[::1]") == ("::1", None)
    assert split_host("127.0.0.1") == ("127.0.0.1", None) and split_host("api.example.org.") == (
        "api.example.org",
        None,
    )
    assert split_host("onet_api:8080") == ("onet_api", 8080)  # compose service names hold '_'
    for value in HOSTILE:
        assert split_host(value) is None, value
    assert split_host("a" * 64) is None and split_host(".".join(["a" * 63] * 4)) is None  # label / name too long


def _client(db_path, keys_path, api_key, allowed):
    settings = Settings(db_path=db_path, keys_db_path=keys_path, rate_limit=None, allowed_hosts=allowed)
    return TestClient(create_app(settings), headers={"X-API-Key": api_key})


@pytest.fixture(scope="module")
def loopback(db_path, keys_path, api_key):
    with _client(db_path, keys_path, api_key, ("localhost", "127.0.0.1", "::1")) as c:
        yield c


@pytest.fixture(scope="module", params=[("*",), None], ids=["star", "any"])
def any_host(request, db_path, keys_path, api_key):
    with _client(db_path, keys_path, api_key, request.param) as c:
        yield c


@pytest.mark.parametrize("host", HOSTILE)
def test_hostile_hosts_are_refused_and_never_reach_a_link(loopback, any_host, host):
    for client in (loopback, any_host):  # '*' allows any host, not any text
        response = client.get("/online/search?keyword=nurse", headers={"Host": host})
        assert response.status_code == 400 and response.json() == REFUSED, (host, response.text)
        assert "evil" not in response.text and "script" not in response.text


@pytest.mark.parametrize(
    "host,base",
    [
        ("[::1]:8080", "http://[::1]:8080/"),
        ("localhost:8080", "http://localhost:8080/"),
        ("127.0.0.1", "http://127.0.0.1/"),
    ],
)
def test_well_formed_hosts_build_the_links(loopback, host, base):
    answer = loopback.get("/online/search?keyword=nurse", headers={"Host": host})
    assert answer.status_code == 200 and answer.json()["next"].startswith(base), answer.text


def test_several_host_headers_are_refused(loopback):
    response = loopback.get("/about/", headers=[("Host", "localhost"), ("Host", "evil.example")])
    assert response.status_code == 400 and response.json() == REFUSED


def test_healthz_stays_exempt(loopback):
    assert loopback.get("/healthz", headers={"Host": "localhost:@evil.example"}).status_code == 200
