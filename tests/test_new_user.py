"""A new user (issue 19 item 6): a fresh clone with no `../shared` beside it and no network, run through the README's
two commands, then the mistakes a first-time user makes, then a local copy of a release. Every message is checked
as the user reads it: no traceback, and each failure ends with the one line that says what to do.

How this plays the user, and what it shortcuts:
- The clone is `git clone` of this repository's HEAD (committed files only) into a temporary folder.
- No network: the fetch manifest is the checked-in one with every URL (downloads, the O*NET database page and its
  URL pattern) moved onto a closed port of 127.0.0.1, given through ONETLOCAL_FETCH_MANIFEST; every connection is
  refused, as on a machine without network.
- Shortcut: `scripts/_venv.sh` would `pip install` the project into the clone's `.venv` (network, about a minute). The
  test makes that `.venv` instead: a venv whose path file puts the clone's `src` first, then this environment's
  installed dependencies, plus the `onetlocal` script pip would write, and the install stamp `_venv.sh` checks
  (computed as it computes it). If that formula changes, serve.sh says "installing" and the test fails saying so.
- The user's environment: none of our variables (ONET_*, ONETLOCAL_*), a fresh HOME (so the default data folder
  and database are empty), no XDG_* overrides.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from fixtures import free_port, wait_until_up, zip_release

REPO = Path(__file__).resolve().parents[1]
URL_KEYS = ("urls", "url", "page", "pattern")  # where the manifest holds the URLs fetch asks ("official" is shown)


def _offline_manifest(clone: Path, target: Path) -> Path:
    """The clone's manifest with every URL fetch would ask moved onto a closed local port (nothing listens)."""
    base = f"http://127.0.0.1:{free_port()}"

    def moved(value, key=None):
        if isinstance(value, dict):
            return {k: moved(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [moved(v, key) for v in value]
        if isinstance(value, str) and key in URL_KEYS and value.startswith(("http://", "https://")):
            parts = urlsplit(value)
            return f"{base}/{parts.netloc}{parts.path}"
        return value

    manifest = json.loads((clone / "src" / "onetlocal" / "ingest" / "sources.json").read_text())
    target.write_text(json.dumps(moved(manifest)))
    return target


def _venv_for(clone: Path) -> None:
    """The clone's .venv without a network install (see the module docstring): the clone's source, this
    environment's dependencies, the console script, and `_venv.sh`'s stamps."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(clone / ".venv")], check=True, timeout=60)
    venv_python = clone / ".venv" / "bin" / "python"
    site = subprocess.run(
        [str(venv_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "onetlocal-new-user.pth").write_text(f"{clone / 'src'}\n{sysconfig.get_paths()['purelib']}\n")
    script = clone / ".venv" / "bin" / "onetlocal"
    script.write_text(f"#!{venv_python}\nimport sys\nfrom onetlocal.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    stamp = hashlib.sha256((clone / "pyproject.toml").read_bytes() + (clone / "constraints.txt").read_bytes())
    for extras in ("base", "test"):
        (clone / ".venv" / f".installed-{extras}").write_text(f"{stamp.hexdigest()}-{version}\n")


@pytest.fixture()
def newcomer(tmp_path):
    """(clone, environment) of a user who has just cloned the repository, with no data and no network."""
    for program in ("redis-server", "chromium"):  # else test.sh would apt-get them (network)
        if shutil.which(program) is None:
            pytest.fail(f"{program} is not installed: scripts/test.sh installs it (apt-get) before the tests run")
    clone = tmp_path / "onetlocal"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=60)
    assert not (tmp_path / "shared").exists()
    _venv_for(clone)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ONET_", "ONETLOCAL_", "XDG_")) and k not in ("PYTHONPATH", "VIRTUAL_ENV", "CI")
    }
    env.update(
        HOME=str(home),
        PYTHON=str(clone / ".venv" / "bin" / "python"),  # the README's way to pick the interpreter
        ONETLOCAL_FETCH_MANIFEST=str(_offline_manifest(clone, tmp_path / "offline-manifest.json")),
    )
    return clone, env


def _run(args: list[str], clone: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(args, cwd=clone, env=env, capture_output=True, text=True, timeout=120)
    return result, time.monotonic() - started


def test_a_new_user_without_data_or_network(newcomer, tmp_path):
    clone, env = newcomer

    # 1. `./scripts/serve.sh` (README, first command; --port only because 8080 may be taken on a test machine)
    serve, elapsed = _run(["./scripts/serve.sh", "--port", str(free_port())], clone, env)
    assert serve.returncode == 1 and serve.stdout == ""
    assert "Traceback" not in serve.stderr and "installing onetlocal" not in serve.stderr, serve.stderr
    lines = serve.stderr.strip().splitlines()
    assert lines[0].startswith("no database at ") and lines[0].endswith("building it first")
    assert str(tmp_path / "home") in lines[0]  # the per-user data folder of this (fresh) user
    onet = next(line for line in lines if line.startswith("missing onet"))
    assert "connection refused" in onet
    last = lines[-1]
    assert last.startswith("error: no O*NET data:") and "connection refused" in last
    assert "./scripts/serve.sh --source PATH" in last and "ONET_SOURCE" in last
    assert elapsed < 30, elapsed  # refused connections are not retried
    assert not list((tmp_path / "home").rglob("*.sqlite"))

    # 2. `./scripts/test.sh` (README, second command) without ../shared/data: the suite's own one line, no traceback
    tests, _ = _run(["./scripts/test.sh", "-q", "-p", "no:cacheprovider"], clone, env)
    assert tests.returncode not in (0, 5) and "Traceback" not in tests.stdout + tests.stderr
    said = [line for line in (tests.stdout + tests.stderr).splitlines() if line.strip()]
    assert len(said) == 1 and said[0].startswith("ERROR: no test data:"), said
    for variable in ("ONET_SOURCE", "ONET_SOURCE_CURRENT", "ONETLOCAL_SUPPLEMENTARY", "ONETLOCAL_OEWS"):
        assert f"({variable}, default {tmp_path / 'shared' / 'data'}" in said[0]

    # 3. what a first-time user mistypes: one line each, before anything starts
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("not a database\n")
    onetlocal = str(clone / ".venv" / "bin" / "onetlocal")
    for args, expected in [
        (["serve", "--host", "256.1.1.1"], "error: --host 256.1.1.1: cannot listen there"),
        (["serve", "--db", str(not_a_db)], f"error: --db {not_a_db}: not a database built by onetlocal"),
        (["serve", "--db", str(tmp_path)], f"error: --db {tmp_path}: is a folder"),
        (["build", "--oews", str(not_a_db)], f"error: --oews {not_a_db}: not an OEWS file"),
        (["build", "--supplementary", str(tmp_path / "home")], "holds none of the supplementary sources"),
    ]:
        result, elapsed = _run([onetlocal, *args], clone, env)
        said = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(said) == 1 and expected in said[0], (args, result.stderr)
        assert elapsed < 15, (args, elapsed)

    # 4. the last line's advice: `./scripts/serve.sh --source PATH` with a local copy of a release (the fixture
    # release, in the official layout). It builds from that alone, says once what has no data and where the lists
    # shipped in the package came from, and the Interest Profiler answers.
    port = free_port()
    proc = subprocess.Popen(
        [
            "./scripts/serve.sh",
            "--source",
            str(zip_release(tmp_path / "release.zip")),
            "--port",
            str(port),
            "--no-auth",
        ],
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, url, 60)
        questions = httpx.get(f"{url}/mnm/interestprofiler/questions", params={"end": 60}, timeout=10)
        assert questions.status_code == 200 and len(questions.json()["question"]) == 60
        missing = httpx.get(f"{url}/veterans/military", params={"keyword": "68W"}, timeout=10)
        assert missing.status_code == 422 and missing.headers["X-Onetlocal-No-Data"] == "military_crosswalk"
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    assert "Traceback" not in stderr
    assert "lists: interest-profiler, mpp-spanish-sample: the copies shipped with onetlocal" in stderr
    assert stderr.count("note: no supplementary folder") == 1 and stderr.count("note: no oews source") == 1
    assert f"web UI    {url}/ui/" in stderr
