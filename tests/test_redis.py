"""Several instances sharing keys and rate limits through Redis (`serve --redis-url`).

A real `redis-server` (Debian package, installed by scripts/test.sh) on a free loopback port, and real
`onetlocal serve` processes on loopback, each reading the same read-only database file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fixtures import free_port, wait_until_up

_OURS = (
    "ONETLOCAL_DB",
    "ONETLOCAL_KEYS_DB",
    "ONETLOCAL_SUPPLEMENTARY",
    "ONETLOCAL_OEWS",
    "ONET_SOURCE",
    "ONETLOCAL_DATA",
    "ONETLOCAL_REDIS_URL",
    "ONETLOCAL_RATE_LIMIT",
    "ONETLOCAL_NO_AUTH",
)


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _OURS}


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A Redis without persistence (no snapshots, no append-only file); DEBUG SLEEP stalls it for the tests."""
    yield from _redis_server(
        tmp_path_factory.mktemp("redis"), "--save", "", "--appendonly", "no", "--enable-debug-command", "local"
    )


def _redis_server(workdir: Path, *options: str):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server missing in CI: scripts/test.sh installs it")
        pytest.skip("redis-server not installed (scripts/test.sh installs it: apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", *options, "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    if proc.poll() is None:
        proc.terminate()
        proc.wait(10)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "onetlocal", *args], env=_env(), capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("command", ["keys", "serve"])
def test_redis_url_without_the_redis_package_is_a_one_line_error(command, db_path, tmp_path):
    """`redis` is an optional extra (`onetlocal[redis]`): without it, --redis-url says how to install it."""
    args = (
        ["keys", "create", "--name", "x"]
        if command == "keys"
        else ["serve", "--db", str(db_path), "--keys-db", str(tmp_path / "keys.sqlite"), "--port", str(free_port())]
    )
    hide_redis = "import sys; sys.modules['redis'] = None; from onetlocal.cli import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", hide_redis, *args, "--redis-url", "redis://127.0.0.1:9/0"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: --redis-url (ONETLOCAL_REDIS_URL) needs the redis package: pip install 'onetlocal[redis]'"
    ]


class Instances:
    """`count` `onetlocal serve` processes on loopback (one worker each), one Redis."""

    def __init__(self, db: Path, redis_url: str, rate_limit: str, count: int = 2):
        self.procs, self.urls = [], []
        for _ in range(count):
            port = free_port()
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "onetlocal",
                    "serve",
                    "--db",
                    str(db),
                    "--port",
                    str(port),
                    "--redis-url",
                    redis_url,
                    "--rate-limit",
                    rate_limit,
                    "--access-log",
                    "off",
                    "--workers",
                    "1",
                ],
                env=_env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            self.procs.append(proc)
            self.urls.append(f"http://127.0.0.1:{port}")
        for proc, url in zip(self.procs, self.urls, strict=True):
            wait_until_up(proc, url, 60)

    def get(self, i: int, key: str, path: str = "/about/") -> httpx.Response:
        return httpx.get(self.urls[i] + path, headers={"X-API-Key": key}, timeout=10)

    def close(self) -> list[str]:
        errs = []
        for proc in self.procs:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGINT)
            errs.append(proc.communicate(timeout=30)[1])
        return errs


def _create(redis_url: str, name: str) -> str:
    result = _cli("keys", "create", "--name", name, "--redis-url", redis_url)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_key_works_on_every_instance_and_a_revoke_applies_to_all_within_a_second(db_path, redis_url):
    nodes = Instances(db_path, redis_url, "100/s")
    try:
        key = _create(redis_url, "shared")
        for i in (0, 1):
            answer = nodes.get(i, key)
            assert answer.status_code == 200 and answer.json()["database"] == "O*NET 30.1"
        assert nodes.get(0, "olk_not-a-key").status_code == 401
        listed = _cli("keys", "list", "--redis-url", redis_url)
        assert "shared\t" in listed.stdout and "active" in listed.stdout and key not in listed.stdout

        revoked = _cli("keys", "revoke", "shared", "--redis-url", redis_url)
        assert revoked.returncode == 0, revoked.stderr
        done = time.monotonic()
        refused = set()
        while len(refused) < 2 and time.monotonic() - done < 3:
            refused |= {i for i in (0, 1) if nodes.get(i, key).status_code == 401}
            time.sleep(0.05)
        assert refused == {0, 1} and time.monotonic() - done <= 1.0 + 0.3  # within 1 s (+ polling slack)
        assert "revoked" in _cli("keys", "list", "--redis-url", redis_url).stdout
        assert _cli("keys", "revoke", "shared", "--redis-url", redis_url).returncode == 1
    finally:
        errors = nodes.close()
    assert not any("Traceback" in e for e in errors), errors


def test_the_rate_limit_is_shared_by_the_instances(db_path, redis_url):
    nodes = Instances(db_path, redis_url, "1/m")  # one request a minute per key, whichever instance serves it
    try:
        key = _create(redis_url, "limited")
        assert nodes.get(0, key).status_code == 200
        second = nodes.get(1, key)
        assert second.status_code == 429 and second.json() == {"error": "rate limit exceeded; retry later"}
        assert 1 <= int(second.headers["Retry-After"]) <= 60
        assert nodes.get(0, key).status_code == 429
        other = _create(redis_url, "other")  # counters are per key
        assert nodes.get(1, other).status_code == 200
        assert httpx.get(nodes.urls[1] + "/healthz", timeout=10).status_code == 200  # public pages: no limit
    finally:
        nodes.close()


def test_unreachable_redis_is_one_line_at_start_and_503_later(db_path, redis_url, tmp_path):
    port = free_port()
    result = _cli(
        "serve", "--db", str(db_path), "--port", str(free_port()), "--redis-url", f"redis://127.0.0.1:{port}/0"
    )
    assert result.returncode == 1 and result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert f"cannot reach Redis at redis://127.0.0.1:{port}/0" in result.stderr

    # A Redis that goes away while serving: refused with 503 "key store unavailable", never a 500 or a pass.
    import redis
    from starlette.testclient import TestClient

    from onetlocal.app import create_app
    from onetlocal.config import Settings
    from onetlocal.http.redis_store import RedisKeys

    gone = redis.Redis(port=port, socket_timeout=1, socket_connect_timeout=1, decode_responses=True)
    app = create_app(
        Settings(db_path=db_path, keys_db_path=tmp_path / "k.sqlite", rate_limit=None), keys=RedisKeys(gone)
    )
    with TestClient(app) as c:
        answer = c.get("/about/", headers={"X-API-Key": "olk_whatever"})
    assert answer.status_code == 503 and answer.json()["error"].startswith("key store unavailable")


def test_the_banner_warns_when_redis_would_lose_keys(db_path, redis_url, tmp_path, capsys):
    """Issue 22 item 7: a key made just before a Redis SIGKILL was lost (no append-only file); serve says so."""
    from onetlocal.cli import _banner
    from onetlocal.config import Settings
    from onetlocal.http.redis_store import persistence_warning

    assert "appendonly no" in persistence_warning(redis_url)
    _banner(
        Settings(db_path=db_path, keys_db_path=tmp_path / "k.sqlite", redis_url=redis_url),
        "127.0.0.1",
        8080,
        1,
        "granian",
    )
    banner = capsys.readouterr().err
    assert "redis     WARNING: Redis runs without an append-only file" in banner and "--appendonly yes" in banner

    durable = _redis_server(tmp_path, "--appendonly", "yes")
    url = next(durable)
    try:
        assert persistence_warning(url) is None
        _banner(
            Settings(db_path=db_path, keys_db_path=tmp_path / "k.sqlite", redis_url=url),
            "127.0.0.1",
            8080,
            1,
            "granian",
        )
        assert "redis     WARNING" not in capsys.readouterr().err
    finally:
        next(durable, None)
    assert "could not ask Redis" in persistence_warning(url)  # gone: the banner says it cannot tell


def test_a_stalled_redis_holds_only_the_requests_waiting_for_it(db_path, redis_url):
    """Redis busy for 1.5 s (DEBUG SLEEP): a keyed request waits for it on a worker thread while the same server
    keeps answering other requests at once (issue 20: Redis calls ran on the event loop, stalling everything)."""
    import threading

    import redis

    key = _create(redis_url, "stall")
    nodes = Instances(db_path, redis_url, "100/s", count=1)
    try:
        assert nodes.get(0, key).status_code == 200
        time.sleep(0.6)  # past the 0.5 s lookup cache: the next keyed request asks Redis
        client = redis.Redis.from_url(redis_url)
        sleeper = threading.Thread(target=client.execute_command, args=("DEBUG", "SLEEP", "1.5"))
        sleeper.start()
        time.sleep(0.2)
        waited: dict[str, float] = {}

        def keyed() -> None:
            started = time.monotonic()
            nodes.get(0, key)
            waited["keyed"] = time.monotonic() - started

        slow = threading.Thread(target=keyed)
        slow.start()
        time.sleep(0.1)
        started = time.monotonic()
        health = httpx.get(nodes.urls[0] + "/healthz", timeout=10)
        waited["healthz"] = time.monotonic() - started
        slow.join(10)
        sleeper.join(10)
        assert health.status_code == 200
        assert waited["keyed"] > 0.8  # it did wait for Redis
        assert waited["healthz"] < 0.5, waited  # the event loop was free meanwhile
    finally:
        nodes.close()
