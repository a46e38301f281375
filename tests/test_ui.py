"""The web UI's server side (`onetlocal.ui`): its files, and the same-origin proxy that calls the APIs with the
UI's named key (never a key in the browser)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.keys import KeyStore
from onetlocal.ui import FILES

UI_DIR = Path(__file__).resolve().parents[1] / "src" / "onetlocal" / "ui"
#: A route the page calls (the proxy forwards no other), cheap to answer.
CHEAP = "/ui/api/mnm/interestprofiler/job_zones"


@pytest.fixture(scope="module")
def ui_keys(tmp_path_factory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("uikeys") / "keys.sqlite"
    return path, KeyStore(path).create("webui")


def _app(db_path: Path, keys: Path, ui_key: str | None, auth: bool = True):
    return create_app(Settings(db_path=db_path, keys_db_path=keys, auth=auth, rate_limit=None, ui_key=ui_key))


@pytest.fixture(scope="module")
def ui(db_path, ui_keys) -> TestClient:
    """The app with keys on and `--ui-key webui`; the client itself sends no key (as a browser of the UI)."""
    with TestClient(_app(db_path, ui_keys[0], "webui")) as c:
        yield c


def test_pages_are_served_with_a_strict_policy(ui):
    r = ui.get("/ui/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    for src in re.findall(r'(?:src|href)="([^"#]+)"', r.text):
        assert "://" not in src and not src.startswith("//"), f"external resource {src}"  # offline: no CDN
        assert ui.get("/ui/" + src).status_code == 200
    r = ui.get("/ui", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == "/ui/"
    assert ui.get("/uix").status_code == 404


def test_files_answer_304_when_unchanged_and_only_known_files_are_served(ui):
    r = ui.get("/ui/app.js")
    assert r.headers["content-type"].startswith("text/javascript")
    assert ui.get("/ui/app.js", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    for path in ("/ui/__init__.py", "/ui/nothing.js", "/ui/%2e%2e/keys.py"):
        r = ui.get(path)
        assert r.status_code == 404 and "error" in r.json()
    assert ui.post("/ui/").status_code == 405


def test_page_weight_under_200_kb():
    """Every file the page loads before any data (the issue's budget: < 200 kB a page)."""
    total = sum((UI_DIR / name).stat().st_size for name in FILES)
    assert total < 200_000, total


def test_proxy_answers_as_the_api_with_the_ui_key(ui, client):
    path, params = "/online/search", {"keyword": "registered nurse", "end": 5}
    direct = client.get(path, params=params).json()
    proxied = ui.get("/ui/api" + path, params=params)
    assert proxied.status_code == 200
    body = proxied.json()
    assert [o["code"] for o in body["occupation"]] == [o["code"] for o in direct["occupation"]]
    # links stay on the proxy
    assert body["occupation"][0]["href"].startswith("http://testserver/ui/api/online/occupations/")
    assert ui.get("/online/search", params=params).status_code == 401  # the API itself still wants a key


def test_proxy_reaches_careeronestop_and_keeps_each_api_error_shape(ui):
    r = ui.get("/ui/api/v1/occupation/ui/29-1141.00/US", params={"wages": "true"})
    assert r.status_code == 200 and r.json()["OccupationDetail"][0]["OnetCode"] == "29-1141.00"
    bad = ui.get("/ui/api/v1/occupation/ui/29-1141.00/NOWHERE")
    assert bad.status_code == 400 and "Message" in bad.json()
    assert ui.get("/ui/api/online/occupations/00-0000.00/").status_code == 422


def test_proxy_refuses_other_origins(ui):
    r = ui.get(CHEAP, headers={"Origin": "http://elsewhere.example"})
    assert r.status_code == 403 and "error" in r.json()
    assert ui.get(CHEAP, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert ui.get(CHEAP, headers=same).status_code == 200


def test_without_ui_key_the_proxy_says_how_to_configure_it(db_path, ui_keys):
    with TestClient(_app(db_path, ui_keys[0], None)) as c:
        assert c.get("/ui/").status_code == 200
        r = c.get(CHEAP)
        assert r.status_code == 401 and "--ui-key" in r.json()["error"]


def test_revoked_or_unknown_ui_key_stops_the_proxy(db_path, tmp_path):
    keys = tmp_path / "keys.sqlite"
    KeyStore(keys).create("kiosk")
    with TestClient(_app(db_path, keys, "kiosk")) as c:
        assert c.get(CHEAP).status_code == 200
        KeyStore(keys).revoke("kiosk")
        assert c.get(CHEAP).status_code == 401
    with TestClient(_app(db_path, keys, "nobody")) as c:
        assert c.get(CHEAP).status_code == 401


def test_no_auth_needs_no_key(db_path, tmp_path):
    with TestClient(_app(db_path, tmp_path / "none.sqlite", None, auth=False)) as c:
        assert c.get(CHEAP).status_code == 200


def test_the_key_never_reaches_the_page(ui, ui_keys):
    key = ui_keys[1]
    for name in FILES:
        assert key not in ui.get("/ui/" + name).text
    assert key not in ui.get(CHEAP).text


def test_serve_refuses_an_unknown_ui_key(db_path, tmp_path):
    from click.testing import CliRunner

    from onetlocal.cli import main

    with socket.socket() as s:  # a free port: serve checks the port before the key
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    result = CliRunner().invoke(
        main,
        ["serve", "--db", str(db_path), "--keys-db", str(tmp_path / "k.sqlite"), "--port", port, "--ui-key", "nobody"],
    )
    assert result.exit_code == 1 and "--ui-key 'nobody'" in result.output
    assert not (tmp_path / "k.sqlite").exists()  # checking does not create a keys file


def test_proxy_accepts_the_configured_base_url_as_its_origin(db_path, tmp_path):
    settings = Settings(
        db_path=db_path, keys_db_path=tmp_path / "k.sqlite", auth=False, base_url="https://careers.example.org"
    )
    with TestClient(create_app(settings)) as c:
        assert c.get(CHEAP, headers={"Origin": "https://careers.example.org"}).status_code == 200
        assert c.get(CHEAP, headers={"Origin": "https://other.example.org"}).status_code == 403


from test_redis import redis_url  # noqa: E402,F401  (a real redis-server on a free port)


def test_ui_key_in_redis(db_path, tmp_path, redis_url):  # noqa: F811
    """With `--redis-url` the UI's key is checked in the shared key store, like every other key."""
    from onetlocal.http.redis_store import RedisKeyStore, connect
    from onetlocal.ui import RedisNamedKey

    client = connect(redis_url)
    RedisKeyStore(client).create("webui-redis")
    settings = Settings(
        db_path=db_path,
        keys_db_path=tmp_path / "unused.sqlite",
        auth=True,
        rate_limit=None,
        redis_url=redis_url,
        ui_key="webui-redis",
    )
    with TestClient(create_app(settings)) as c:
        assert c.get(CHEAP).status_code == 200
    check = RedisNamedKey(client, "webui-redis", cache_seconds=0)
    assert check.active()
    RedisKeyStore(client).revoke("webui-redis")
    assert not check.active() and not RedisNamedKey(client, "nobody", cache_seconds=0).active()


# Issue 22 item 4: the proxy is no keyless gateway to the whole API.


def test_proxy_forwards_only_the_routes_the_page_calls(ui):
    assert ui.get("/ui/api/online/occupations/15-1252.00/summary/skills").status_code == 200
    assert ui.get("/ui/api/online/occupations/15-1252.00/details/skills/").status_code == 200
    for path in (
        "/about/",
        "/database/",
        "/database/rows/occupation_data",
        "/online/occupations/15-1252.00/custom/",
        "/online/occupations/",
        "/mnm/careers/15-1252.00/report",
        "/v1/other/x",
        "/taxonomy/soc/onet/x",
    ):
        r = ui.get("/ui/api" + path)
        assert r.status_code == 403 and "routes the page calls" in r.json()["error"], (path, r.text)
    assert ui.get("/online/search", params={"keyword": "nurse"}).status_code == 401  # the API itself: with a key


@pytest.mark.parametrize("path", ["/database/rows/occupation_data", "/online/search?keyword=nurse"])
@pytest.mark.parametrize("fmt", ["csv", "excel", "jsonl", "text", "xml"])
def test_proxy_never_streams_an_export(ui, path, fmt):
    r = ui.get("/ui/api" + path, params={"format": fmt})
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/json"), r.text[:200]
    assert "content-disposition" not in r.headers


def test_the_allow_list_is_what_app_js_calls():
    from onetlocal.http.routes import APIS
    from onetlocal.ui.proxy import ROUTES, _pattern, forwarded

    script = (UI_DIR / "app.js").read_text(encoding="utf-8")
    calls = [re.sub(r"\$\{[^}]*\}", "x", m[1]) for m in re.finditer(r"\bapi\([\"`](/[^\"`]*)[\"`]", script)]
    assert len(calls) >= 10, calls
    assert [c for c in calls if not forwarded(c)] == []
    routed = {e.path for api in APIS for e in api.endpoints}
    assert set(ROUTES) <= routed  # each entry is a route row's own path
    unused = [t for t in ROUTES if not any(re.fullmatch(_pattern(t), c) for c in calls)]
    assert unused == []  # and the page calls each one


def test_each_client_address_has_its_own_limit(db_path, ui_keys):
    import time

    from onetlocal.ui.proxy import CLIENT_BURST, CLIENT_RATE

    app = _app(db_path, ui_keys[0], "webui")
    with (
        TestClient(app, client=("203.0.113.5", 40000)) as greedy,
        TestClient(app, client=("203.0.113.6", 40000)) as other,
    ):
        statuses, started = [], time.monotonic()
        while 429 not in statuses and len(statuses) < 3 * CLIENT_BURST:
            statuses.append(greedy.get(CHEAP).status_code)
        # the burst, plus what the bucket refilled meanwhile (a busy machine makes each request slower)
        allowed = CLIENT_BURST + CLIENT_RATE * (time.monotonic() - started) + 1
        assert statuses[-1] == 429 and CLIENT_BURST - 5 <= len(statuses) - 1 <= allowed, (len(statuses), allowed)
        assert set(statuses[:-1]) == {200}
        refused = greedy.get(CHEAP)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1 and "error" in refused.json()
        assert other.get(CHEAP).status_code == 200  # another address is not held by the greedy one


def test_client_buckets_are_per_address_and_bounded():
    from onetlocal.ui.proxy import ClientLimiter, client_key

    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.1") == client_key("192.0.2.1") == "192.0.2.1"
    assert client_key(None) == "-" and client_key("testclient") == "testclient"
    limiter = ClientLimiter(rate=1, burst=2, max_clients=3)
    assert [limiter.take("a") for _ in range(2)] == [0, 0] and limiter.take("a") > 0
    for name in ("b", "c", "d"):
        limiter.take(name)
    assert len(limiter.buckets) == 3 and "a" not in limiter.buckets
