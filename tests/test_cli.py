"""The `onetlocal` command line as a user runs it: `get` against a live server, `serve` building on first use,
and one-line errors for bad options."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
import pytest
from click.testing import CliRunner

from conftest import read_release
from fixtures import FIXTURE_VERSION, free_port, release_rows, running_server, zip_release
from onetlocal.cli import main

#: Our own settings must not leak into the subprocesses (CI exports the supplementary/OEWS sources).
_OURS = ("ONETLOCAL_DB", "ONETLOCAL_KEYS_DB", "ONETLOCAL_SUPPLEMENTARY", "ONETLOCAL_OEWS", "ONET_SOURCE",
         "ONETLOCAL_URL", "ONETLOCAL_API_KEY", "ONETLOCAL_NO_AUTH", "ONETLOCAL_RATE_LIMIT", "ONETLOCAL_BASE_URL")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _OURS}
    env.update(extra)
    return env


def _onetlocal(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onetlocal", *args], env=_env(**env), capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def server(app) -> str:
    with running_server(app) as url:
        yield url


def test_get_prints_json(server, api_key):
    result = _onetlocal("get", "/about/", "--url", server, "--api-key", api_key)
    assert result.returncode == 0, result.stderr
    assert orjson.loads(result.stdout)["database"] == "O*NET 30.1"


def test_get_with_repeated_params_from_env(server, api_key):
    expected = [r for r in read_release("Skills") if r["O*NET-SOC Code"] == "15-1252.00" and r["Scale ID"] == "LV"]
    result = _onetlocal("get", "database/rows/skills", "filter=onetsoc_code.eq.15-1252.00", "filter=scale_id.eq.LV",
                        "end=3", ONETLOCAL_URL=server, ONETLOCAL_API_KEY=api_key)
    assert result.returncode == 0, result.stderr
    body = orjson.loads(result.stdout)
    assert body["total"] == len(expected) and len(body["row"]) == 3


def test_get_errors_are_one_line(server):
    result = _onetlocal("get", "/about/", "--url", server, "--api-key", "wrong")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "401" in result.stderr
    unreachable = CliRunner().invoke(main, ["get", "/about/", "--url", f"http://127.0.0.1:{free_port()}"])
    assert unreachable.exit_code == 1 and unreachable.stderr.startswith("error:")


def test_get_rejects_params_without_equals(server):
    result = CliRunner().invoke(main, ["get", "/about/", "nonsense", "--url", server])
    assert result.exit_code == 2 and "k=v" in result.output


def test_bad_rate_limit_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "x.sqlite"), "--rate-limit", "lots"])
    assert result.exit_code == 1 and "rate limit" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_with_a_broken_source_fails_before_serving(tmp_path):
    result = _onetlocal("serve", "--db", str(tmp_path / "x.sqlite"), "--port", str(free_port()),
                        ONET_SOURCE=str(tmp_path / "missing.zip"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error:") and "missing.zip" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def _wait_until_up(proc: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("server did not come up")


def test_serve_builds_on_first_use_then_serves(tmp_path):
    """No database yet, ONET_SOURCE set (a zip of the fixture release): serve builds it, then answers with keys."""
    db = tmp_path / "data" / "onet.sqlite"
    created = CliRunner().invoke(main, ["keys", "create", "--name", "me", "--keys-db", str(db.parent / "keys.sqlite")])
    key = created.stdout.strip().splitlines()[-1]
    archive = zip_release(tmp_path / "release.zip")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "onetlocal", "serve", "--db", str(db), "--port", str(port)],
                            env=_env(ONET_SOURCE=str(archive)), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url)
        assert db.exists() and (db.parent / "keys.sqlite").exists()
        about = httpx.get(f"{url}/about/", headers={"X-API-Key": key}, timeout=10)
        assert about.status_code == 200 and about.json()["database"] == f"O*NET {FIXTURE_VERSION}"
        rows = httpx.get(f"{url}/database/rows/abilities", headers={"X-API-Key": key}, timeout=10).json()
        assert rows["total"] == len(release_rows("Abilities"))
        assert rows["row"][0]["onetsoc_code"] == release_rows("Abilities")[0][0]
        assert httpx.get(f"{url}/about/", timeout=10).status_code == 401
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    assert "building it first" in stderr and f"O*NET {FIXTURE_VERSION}" in stderr


def test_version_and_help():
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0
    result = CliRunner().invoke(main, ["--help"])
    for command in ("build", "serve", "keys", "get"):
        assert command in result.output


@pytest.mark.parametrize("text,per_second", [("10/s", 10), ("600/m", 10), ("36000/h", 10), ("5", 5), ("off", None),
                                             ("0", None), ("1.5/sec", 1.5)])
def test_rate_limit_option_parsing(text, per_second):
    from onetlocal.config import parse_rate_limit

    assert parse_rate_limit(text) == per_second


@pytest.mark.parametrize("text", ["nan/s", "inf/s", "-1/s", "10/fortnight", "ten/s", "/s"])
def test_rate_limit_option_rejects_nonsense(text):
    from onetlocal.config import parse_rate_limit
    from onetlocal.errors import ConfigError

    with pytest.raises(ConfigError):
        parse_rate_limit(text)


def test_serve_event_loop_choice():
    from onetlocal.cli import _event_loop

    assert _event_loop("auto", 1) == "asyncio"
    assert _event_loop("auto", 2) == "uvloop"
    assert _event_loop("uvloop", 1) == "uvloop" and _event_loop("asyncio", 4) == "asyncio"
