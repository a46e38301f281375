"""Issue 13, what hostile clients send: huge or random keys, foreign Host headers, malformed requests, CORS
preflights; and the temp file a killed build leaves behind."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tracemalloc

import orjson
import pytest
from starlette.testclient import TestClient

from fixtures import free_port, wait_until_up
from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.keys import KeyStore, KeyVerifier

_OURS = [k for k in os.environ if k.startswith("ONETLOCAL_") or k == "ONET_SOURCE"]


def _env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in _OURS}, **extra}


# -- 1: memory from clients without a valid key ----------------------------------------------------------------


def test_verifier_remembers_hashes_bounded_in_bytes(tmp_path):
    store = KeyStore(tmp_path / "keys.sqlite")
    good = store.create("alice")
    verifier = KeyVerifier(tmp_path / "keys.sqlite", max_cache_bytes=64 * 1024)
    # Only what this test's calls allocate and keep (a frame of this file in the allocation's traceback): other
    # threads of the session (a server, a database warming up) allocate meanwhile.
    mine = [tracemalloc.Filter(True, __file__, all_frames=True)]
    tracemalloc.start(50)
    before = tracemalloc.take_snapshot().filter_traces(mine)
    for _ in range(300):  # 300 x 200 kB random keys: 60 MB sent
        assert verifier.name_for(secrets.token_hex(100_000)) is None
    for _ in range(5000):  # many small random keys: the cache stays within its byte budget
        assert verifier.name_for(secrets.token_urlsafe(32)) is None
    after = tracemalloc.take_snapshot().filter_traces(mine)
    tracemalloc.stop()
    held = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert held < 1 << 20, held  # before: every raw key was kept (60 MB here)
    assert verifier._seen.size <= 64 * 1024 and all(len(d) == 32 for d in verifier._seen._answers.keys())
    assert verifier.name_for(good) == "alice"  # still answers


def test_wrong_keys_are_throttled_per_address_and_a_valid_key_still_passes(db_path, tmp_path):
    keys = tmp_path / "keys.sqlite"
    good = KeyStore(keys).create("alice")
    app = create_app(Settings(db_path=db_path, keys_db_path=keys, auth=True, rate_limit=None))
    app.state.bad_keys.rate = 0.01  # 10/s in production; slowed so the request loop's own time refills nothing
    with TestClient(app) as client:
        statuses = [
            client.get("/about/", headers={"X-API-Key": secrets.token_urlsafe(32)}).status_code for _ in range(130)
        ]
        assert statuses[:100] == [401] * 100 and set(statuses[100:]) == {429}, statuses
        refused = client.get("/about/", headers={"X-API-Key": "nope"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.json() == {"error": "rate limit exceeded; retry later"}
        assert client.get("/about/", headers={"X-API-Key": good}).status_code == 200
        # CareerOneStop answers in its own shape
        cos = client.get("/v1/occupation/x/15-1252.00/US", headers={"Authorization": "Bearer nope"})
        assert cos.status_code == 429 and "Message" in cos.json()


def test_huge_headers_are_431_json(client):
    response = client.get("/about/", headers={"X-API-Key": "k" * 500_000})
    assert response.status_code == 431 and "too large" in response.json()["error"]


def test_a_newline_in_a_careeronestop_path_is_404_in_its_shape(client, api_key):
    for path in ("/v1/occupation/I%0Ak/J/x", "/v1/occupation/x/15-1252.00/US%0A"):
        response = client.get(path, headers={"Authorization": f"Bearer {api_key}"})
        assert response.status_code == 404 and "Message" in response.json(), response.text
    traced = client.request("TRACE", "/healthz")  # the app-level handler keeps the Allow header of a 405
    assert traced.status_code == 405 and "GET" in traced.headers["allow"] and "error" in traced.json()


# -- 7: trusted hosts ------------------------------------------------------------------------------------------


def test_host_patterns():
    from onetlocal.config import parse_hosts
    from onetlocal.http.limits import host_allowed

    allowed = parse_hosts("LOCALHOST, *.example.org, [::1]:8080")
    assert allowed == ("localhost", "*.example.org", "::1")
    assert host_allowed("localhost:8080", allowed) and host_allowed("[::1]:80", allowed)
    assert host_allowed("api.example.org", allowed) and not host_allowed("example.org", allowed)
    assert not host_allowed("evil.example", allowed) and not host_allowed("evilexample.org", allowed)
    assert not host_allowed("", allowed)


@pytest.fixture()
def trusted(db_path, keys_path, api_key):
    settings = Settings(
        db_path=db_path,
        keys_db_path=keys_path,
        rate_limit=None,
        allowed_hosts=("localhost", "127.0.0.1", "::1", "api.example.org"),
    )
    with TestClient(create_app(settings), base_url="http://evil.example", headers={"X-API-Key": api_key}) as c:
        yield c


def test_foreign_host_is_400_json_and_never_reflected(trusted):
    for path in ("/online/search?keyword=nurse", "/", "/about/", "/openapi.json", "/docs"):
        response = trusted.get(path)
        assert response.status_code == 400, (path, response.text)
        assert (
            response.json()
            == {"error": "invalid host header: this server does not answer for that host (see --allowed-hosts)"}
            and "evil" not in response.text
        )
    cos = trusted.get("/v1/occupation/x/15-1252.00/US")
    assert cos.status_code == 400 and "Message" in cos.json()
    assert trusted.get("/healthz").status_code == 200  # probes by address still work
    ok = trusted.get("/online/search?keyword=nurse", headers={"Host": "api.example.org"})
    assert ok.status_code == 200 and ok.json()["next"].startswith("http://api.example.org/")


def test_serve_defaults_to_loopback_and_the_base_url_host():
    from onetlocal.config import allowed_hosts_from

    assert allowed_hosts_from(None, None) == ("localhost", "127.0.0.1", "::1")
    assert allowed_hosts_from("", "https://onet.example.org/api") == (
        "localhost",
        "127.0.0.1",
        "::1",
        "onet.example.org",
    )
    assert allowed_hosts_from("*", None) == ("*",)


# -- 6: every error the client can see is JSON, under both servers ----------------------------------------------


def test_refused_cors_preflight_is_json(client):
    response = client.options(
        "/about/", headers={"Origin": "http://x.example", "Access-Control-Request-Method": "DELETE"}
    )
    assert response.status_code == 400 and response.headers["content-type"] == "application/json"
    assert "Disallowed CORS method" in response.json()["error"]
    assert response.headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
    cos = client.options(
        "/v1/occupation/x/y/z", headers={"Origin": "http://x.example", "Access-Control-Request-Method": "PUT"}
    )
    assert cos.status_code == 400 and "Message" in cos.json()
    allowed = client.options(
        "/about/",
        headers={
            "Origin": "http://x.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "X-API-Key",
        },
    )
    assert allowed.status_code == 200


def _raw(port: int, data: bytes) -> tuple[int | None, dict[str, str], bytes]:
    """Status, headers and body of a raw request; status None when the server closed the connection without an
    answer the client could read (it may refuse a huge head before reading it all: a reset then drops its reply)."""
    out = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        try:
            sock.sendall(data)
            while chunk := sock.recv(65536):
                out += chunk
        except (BrokenPipeError, ConnectionResetError):
            try:
                while chunk := sock.recv(65536):
                    out += chunk
            except OSError:
                pass
    if not out:
        return None, {}, b""
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


HOSTILE = {
    "request line of 70 kB": b"GET /about/?" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "non-ASCII bytes": b"GET /about/\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "unknown method": b"FOO /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    "header of 20 kB": b"GET /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + b"k" * 20_000 + b"\r\n",
    "header of 1 MB": b"GET /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + b"k" * 1_000_000 + b"\r\n",
    "foreign host": b"GET /about/ HTTP/1.1\r\nHost: evil.example\r\n",
    "refused preflight": b"OPTIONS /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://x\r\n"
    b"Access-Control-Request-Method: DELETE\r\n",
}

#: What only granian itself writes (documented in SECURITY.md): no body at all, never text/plain.
GRANIAN_BODILESS = {"request line of 70 kB": 431, "non-ASCII bytes": 400, "header of 1 MB": 431}


@pytest.mark.parametrize("server_name", ["granian", "uvicorn"])
def test_hostile_requests_get_json_or_nothing_from_both_servers(db_path, keys_path, server_name):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "onetlocal",
            "serve",
            "--db",
            str(db_path),
            "--keys-db",
            str(keys_path),
            "--port",
            str(port),
            "--server",
            server_name,
            "--access-log",
            "off",
        ],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_up(proc, f"http://127.0.0.1:{port}", 60)
        for name, request in HOSTILE.items():
            status, headers, body = _raw(port, request + b"Connection: close\r\n\r\n")
            if server_name == "granian" and name in GRANIAN_BODILESS:
                # granian's own refusal: no body at all, or (a reset before the client read it) nothing
                assert status is None or (status, body, headers.get("content-type")) == (
                    GRANIAN_BODILESS[name],
                    b"",
                    None,
                ), name
                continue
            assert status is not None and 400 <= status < 500, (name, status)
            assert headers.get("content-type") == "application/json", (name, headers, body)
            assert "error" in orjson.loads(body), (name, body)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- 8: a killed build's temp file -------------------------------------------------------------------------------


def test_serve_removes_a_killed_builds_temp_file(db_path, tmp_path):
    db = tmp_path / "onet.sqlite"  # never built: serve stops at the port check, before it would build
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".onet.sqlite.tmp-{dead.pid}"
    stale.write_bytes(b"\0" * 1024)
    alive = tmp_path / f".onet.sqlite.tmp-{os.getpid()}"  # a build still running (this process) is kept
    alive.write_bytes(b"\0")
    port = free_port()
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", port))
    blocker.listen()
    try:  # the port is taken: serve stops right after its start-up checks, the cleanup among them
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "onetlocal",
                "serve",
                "--db",
                str(db),
                "--port",
                str(port),
                "--keys-db",
                str(tmp_path / "keys.sqlite"),
            ],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        blocker.close()
    assert "already in use" in result.stderr
    assert not stale.exists() and alive.exists()
