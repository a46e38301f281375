"""The `onetlocal` command line as a user runs it: `get` against a live server, `serve` building on first use,
and one-line errors for bad options."""

from __future__ import annotations

import gzip
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
from fixtures import FIXTURE_VERSION, copy_release, free_port, release_rows, running_server, wait_until_up, zip_release
from onetlocal.cli import main
from onetlocal.http.servers import default_workers
from onetlocal.ingest.supplementary import PACKAGED

#: Our own settings must not leak into the subprocesses (CI exports the supplementary/OEWS sources).
_OURS = (
    "ONETLOCAL_DB",
    "ONETLOCAL_KEYS_DB",
    "ONETLOCAL_SUPPLEMENTARY",
    "ONETLOCAL_OEWS",
    "ONET_SOURCE",
    "ONETLOCAL_URL",
    "ONETLOCAL_API_KEY",
    "ONETLOCAL_NO_AUTH",
    "ONETLOCAL_RATE_LIMIT",
    "ONETLOCAL_BASE_URL",
    "ONETLOCAL_DATA",
    "ONETLOCAL_REDIS_URL",
    "ONETLOCAL_ACCESS_LOG",
    "ONETLOCAL_LOG_LEVEL",
    "ONETLOCAL_FETCH_MANIFEST",
    "ONETLOCAL_FETCH_RETRIES",
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _OURS}
    env.update(extra)
    return env


def _onetlocal(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "onetlocal", *args], env=_env(**env), capture_output=True, text=True, timeout=120
    )


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
    result = _onetlocal(
        "get",
        "database/rows/skills",
        "filter=onetsoc_code.eq.15-1252.00",
        "filter=scale_id.eq.LV",
        "end=3",
        ONETLOCAL_URL=server,
        ONETLOCAL_API_KEY=api_key,
    )
    assert result.returncode == 0, result.stderr
    body = orjson.loads(result.stdout)
    assert body["total"] == len(expected) and len(body["row"]) == 3


def test_get_errors_are_one_line(server):
    result = _onetlocal("get", "/about/", "--url", server, "--api-key", "wrong")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "401" in result.stderr
    unreachable = CliRunner().invoke(main, ["get", "/about/", "--url", f"http://127.0.0.1:{free_port()}"])
    assert unreachable.exit_code == 1 and unreachable.stderr.startswith("error: cannot connect to http://127.0.0.1:")


def test_get_rejects_params_without_equals(server):
    result = CliRunner().invoke(main, ["get", "/about/", "nonsense", "--url", server])
    assert result.exit_code == 2 and "k=v" in result.output


def test_bad_rate_limit_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "x.sqlite"), "--rate-limit", "lots"])
    assert result.exit_code == 1 and "rate limit" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_with_a_broken_source_fails_before_serving(tmp_path):
    result = _onetlocal(
        "serve",
        "--db",
        str(tmp_path / "x.sqlite"),
        "--port",
        str(free_port()),
        ONET_SOURCE=str(tmp_path / "missing.zip"),
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error:") and "missing.zip" in result.stderr
    assert not (tmp_path / "x.sqlite").exists()


def _wait_until_up(proc: subprocess.Popen, url: str) -> None:
    wait_until_up(proc, url)


def test_serve_builds_on_first_use_then_serves(tmp_path):
    """No database yet, ONET_SOURCE set (a zip of the fixture release): serve builds it, then answers with keys."""
    db = tmp_path / "data" / "onet.sqlite"
    created = CliRunner().invoke(main, ["keys", "create", "--name", "me", "--keys-db", str(db.parent / "keys.sqlite")])
    key = created.stdout.strip().splitlines()[-1]
    archive = zip_release(tmp_path / "release.zip")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "onetlocal", "serve", "--db", str(db), "--port", str(port)],
        env=_env(ONET_SOURCE=str(archive)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
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


@pytest.mark.parametrize(
    "text,per_second",
    [("10/s", 10), ("600/m", 10), ("36000/h", 10), ("5", 5), ("off", None), ("0", None), ("1.5/sec", 1.5)],
)
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
    from onetlocal.http.servers import event_loop as _event_loop

    assert _event_loop("auto", 1) == "asyncio"
    assert _event_loop("auto", 2) == "uvloop"
    assert _event_loop("uvloop", 1) == "uvloop" and _event_loop("asyncio", 4) == "asyncio"


# -- issue 12: first run --------------------------------------------------------------------------------------


def _serve(db: Path, keys_db: Path, port: int, *extra: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "onetlocal",
            "serve",
            "--db",
            str(db),
            "--keys-db",
            str(keys_db),
            "--port",
            str(port),
            *extra,
        ],
        env=_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc: subprocess.Popen, sig: int = signal.SIGINT) -> tuple[int, str]:
    if proc.poll() is None:
        os.kill(proc.pid, sig)
    _, stderr = proc.communicate(timeout=30)
    return proc.returncode, stderr


def _round_trips(port: int, n: int = 10) -> list[float]:
    """n sequential requests on ONE connection (keep-alive); each round trip's seconds."""
    import socket

    times = []
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        reader = sock.makefile("rb")
        for _ in range(n):
            started = time.perf_counter()
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            status = reader.readline()
            assert b" 200 " in status, status
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            reader.read(length)
            times.append(time.perf_counter() - started)
    return times


@pytest.mark.parametrize("server_name", ["granian", "uvicorn"])
def test_serve_says_what_it_serves_and_logs_each_request(db_path, tmp_path, server_name):
    """The banner (URL, database release and build time, auth, workers, /docs), a JSON access log with the key's
    name and never the key, a request id header; keep-alive without Nagle delays; a clean stop on Ctrl-C."""
    keys_db = tmp_path / "keys.sqlite"
    from onetlocal.keys import KeyStore

    key = KeyStore(keys_db).create("alice")
    port = free_port()
    proc = _serve(db_path, keys_db, port, "--server", server_name, "--access-log", "json")
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url)
        answer = httpx.get(f"{url}/about/", headers={"X-API-Key": key, "X-Request-ID": "trace-42"}, timeout=10)
        assert answer.status_code == 200 and answer.headers["x-request-id"] == "trace-42"
        generated = httpx.get(f"{url}/about/", headers={"X-API-Key": key}, timeout=10).headers["x-request-id"]
        assert len(generated) == 32 and generated != "trace-42"
        trips = _round_trips(port)
        # Keep-alive on one connection, and no ~40 ms Nagle/delayed-ACK stall per response (TCP_NODELAY).
        assert sorted(trips)[len(trips) // 2] < 0.03, trips
    finally:
        code, stderr = _stop(proc)
    assert code == 0 and "Traceback" not in stderr, stderr
    assert f"onetlocal serving {url}/" in stderr
    assert "O*NET 30.1 (December 2025), built 20" in stderr and str(db_path) in stderr
    workers = default_workers()  # one per core by default
    assert f"{url}/docs" in stderr and "X-API-Key" in stderr
    assert f"{server_name}, {workers} worker{'s' if workers > 1 else ''};" in stderr
    assert key not in stderr
    lines = [orjson.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    about = [entry for entry in lines if entry["path"] == "/about/"]
    assert about[0]["status"] == 200 and about[0]["key"] == "alice" and about[0]["request_id"] == "trace-42"
    assert about[0]["method"] == "GET" and about[0]["ms"] >= 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_port_in_use_is_one_line_naming_the_port(db_path, tmp_path, workers):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _onetlocal(
            "serve",
            "--db",
            str(db_path),
            "--keys-db",
            str(tmp_path / "k.sqlite"),
            "--port",
            str(port),
            "--workers",
            workers,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert f"port {port}" in result.stderr and "--port" in result.stderr


def test_ctrl_c_during_the_first_build_is_the_build_message(tmp_path):
    """serve with no database builds first; Ctrl-C then says what `build` says, and leaves no database."""
    from conftest import SOURCES

    db = tmp_path / "onet.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "onetlocal", "serve", "--db", str(db), "--port", str(free_port())],
        env=_env(ONET_SOURCE=str(SOURCES["onet"])),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".onet.sqlite.tmp-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)
    code, stderr = _stop(proc)
    assert code == 130, stderr
    assert stderr.strip().splitlines()[-1] == "error: build interrupted; the previous database is untouched"
    assert "Traceback" not in stderr and not db.exists() and not list(tmp_path.glob(".onet.sqlite.tmp-*"))


def test_key_hint_is_pasteable(tmp_path):
    """With no keys yet, serve prints a command that works as printed, from another directory."""
    db = tmp_path / "data" / "onet.sqlite"
    archive = zip_release(tmp_path / "release.zip")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "onetlocal", "serve", "--db", str(db), "--port", str(port)],
        env=_env(ONET_SOURCE=str(archive)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_up(proc, f"http://127.0.0.1:{port}")
    finally:
        _, stderr = _stop(proc)
    hint = next(line.strip() for line in stderr.splitlines() if line.strip().startswith("KEY=$("))
    curl = next(line.strip() for line in stderr.splitlines() if line.strip().startswith("curl "))
    assert curl == f'curl -H "X-API-Key: $KEY" http://127.0.0.1:{port}/about/'
    command = hint.removeprefix("KEY=$(").removesuffix(")")
    created = subprocess.run(["bash", "-c", command], cwd="/", env=_env(), capture_output=True, text=True, timeout=60)
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip().startswith("olk_")
    assert (db.parent / "keys.sqlite").exists()


def test_get_prints_csv_as_served(server, api_key):
    expected = read_release("Occupation Data")
    result = _onetlocal("get", "database/rows/occupation_data", "format=csv", "--url", server, "--api-key", api_key)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("onetsoc_code,") and len(lines) > 1
    assert lines[1].startswith(expected[0]["O*NET-SOC Code"] + ",")
    assert "null" != result.stdout.strip()


def test_refused_connection_names_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(main, ["get", "/about/", "--url", url])
    assert result.exit_code == 1
    assert f"{url}/about/" in result.stderr and "onetlocal serve" in result.stderr


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


def test_every_option_is_explained_without_internal_names():
    import re

    for name, command in _commands(main):
        assert command.help and not re.search(r"`_\w+`|\b_[a-z]\w*\(", command.help), name
        for param in command.params:
            if isinstance(param, __import__("click").Option) and param.name not in ("help",):
                assert param.help and len(param.help) > 10, (name, param.name)
                assert not re.search(r"`_\w+`", param.help), (name, param.name, param.help)


def test_build_checks_the_optional_paths_before_it_starts(tmp_path):
    archive = zip_release(tmp_path / "release.zip")
    started = time.monotonic()
    missing = _onetlocal(
        "build", "--db", str(tmp_path / "x.sqlite"), "--source", str(archive), "--oews", "nowhere/oews.sqlite.gz"
    )
    assert missing.returncode == 1 and time.monotonic() - started < 10
    assert str(Path.cwd() / "nowhere" / "oews.sqlite.gz") in missing.stderr and "--oews" in missing.stderr
    supplementary = _onetlocal(
        "build",
        "--db",
        str(tmp_path / "x.sqlite"),
        "--source",
        str(archive),
        "--supplementary",
        str(tmp_path / "no-such-folder"),
    )
    assert supplementary.returncode == 1 and str(tmp_path / "no-such-folder") in supplementary.stderr
    assert not (tmp_path / "x.sqlite").exists()


def test_build_without_optional_sources_says_once_what_answers_no_data(tmp_path):
    from onetlocal.ingest.supplementary import NO_DATA_WITHOUT, importers, source_of

    archive = zip_release(tmp_path / "release.zip")
    result = _onetlocal("build", "--db", str(tmp_path / "x.sqlite"), "--source", str(archive))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    notes = [line for line in lines if line.startswith("note: no ")]
    assert len(notes) == 2
    assert "no supplementary folder" in notes[0] and "--supplementary DIR" in notes[0] and "fetch" in notes[0]
    assert "no oews source" in notes[1] and "--oews PATH" in notes[1] and "wages" in notes[1]
    # one indented line per missing source (every downloadable one), naming what answers "no data" without it
    listed = lines[lines.index(notes[0]) + 1 : lines.index(notes[1])]
    shipped = {"interest-profiler", "mpp-spanish-sample"}
    assert {line.split()[0] for line in listed} == {source_of(i) for i in importers()} - shipped
    assert any("onet-bright-outlook" in line and NO_DATA_WITHOUT["onet-bright-outlook"] in line for line in listed)
    # the two lists with no public download come from the package, and the build says so
    assert "lists: interest-profiler, mpp-spanish-sample: the copies shipped with onetlocal" in result.stderr


def test_build_with_a_partial_supplementary_folder_names_what_it_lacks(tmp_path):
    folder = tmp_path / "supplementary"
    (folder / "interest-profiler").mkdir(parents=True)
    (folder / "interest-profiler" / "ip-short-form-60.tsv").write_bytes(
        (PACKAGED / "interest-profiler" / "ip-short-form-60.tsv").read_bytes()
    )
    archive = zip_release(tmp_path / "release.zip")
    result = _onetlocal(
        "build", "--db", str(tmp_path / "x.sqlite"), "--source", str(archive), "--supplementary", str(folder)
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    note = next(line for line in lines if line.startswith(f"note: {folder} lacks "))
    listed = {line.split()[0] for line in lines[lines.index(note) + 1 :] if line.startswith("  ")}
    assert "onet-bright-outlook" in listed and "interest-profiler" not in listed and "mpp-spanish-sample" not in listed
    assert f"lists: mpp-spanish-sample (not in {folder}): the copies shipped with onetlocal" in result.stderr
    assert f"fetch --dest {tmp_path}" not in note and "--dest DIR" in note


ONETLOCAL = Path(sys.executable).parent / "onetlocal"


def _one_line_error(args: list[str], **env: str) -> str:
    """Run `.venv/bin/onetlocal ARGS` as a user does: exit 1 or 2, nothing on stdout, one line on stderr, no
    traceback; that line."""
    result = subprocess.run([str(ONETLOCAL), *args], env=_env(**env), capture_output=True, text=True, timeout=60)
    assert result.returncode in (1, 2) and result.stdout == "", (result.returncode, result.stdout)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_what_a_first_time_user_mistypes_is_one_line(tmp_path):
    db = str(tmp_path / "x.sqlite")
    port = str(free_port())
    assert "--host 256.1.1.1: cannot listen there" in _one_line_error(
        ["serve", "--db", db, "--port", port, "--host", "256.1.1.1", "--no-auth"]
    )
    assert "--host no-such-host.invalid: cannot listen there" in _one_line_error(
        ["serve", "--db", db, "--port", port, "--host", "no-such-host.invalid", "--no-auth"]
    )
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")
    line = _one_line_error(["serve", "--db", str(passwd), "--port", port, "--no-auth"])
    assert f"--db {passwd}: not a database built by onetlocal (not an SQLite file)" in line
    line = _one_line_error(["serve", "--db", str(tmp_path), "--port", port, "--no-auth"])
    assert f"--db {tmp_path}: is a folder" in line and str(tmp_path / "onet.sqlite") in line
    keys = tmp_path / "keys.sqlite"  # an SQLite file, but not a database onetlocal built
    CliRunner().invoke(main, ["keys", "create", "--name", "me", "--keys-db", str(keys)])
    assert "not a database built by onetlocal (an SQLite file without" in _one_line_error(
        ["serve", "--db", str(keys), "--port", port, "--no-auth"]
    )
    # build never replaces a file that is not one of its databases
    archive = zip_release(tmp_path / "release.zip")
    assert "not a database built by onetlocal" in _one_line_error(
        ["build", "--db", str(passwd), "--source", str(archive)]
    )
    assert passwd.read_text().startswith("root:")


def test_an_oews_or_supplementary_path_is_checked_before_the_build(tmp_path):
    archive = zip_release(tmp_path / "release.zip")
    db = tmp_path / "x.sqlite"
    build = ["build", "--db", str(db), "--source", str(archive)]
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")
    started = time.monotonic()
    assert f"--oews {passwd}: not an OEWS file" in _one_line_error([*build, "--oews", str(passwd)])
    assert time.monotonic() - started < 10  # before any import (today's check is on the file's first bytes)
    gz = tmp_path / "text.gz"
    gz.write_bytes(gzip.compress(b"not a database at all"))
    assert "gzip of something other than an SQLite database" in _one_line_error([*build, "--oews", str(gz)])
    keys = tmp_path / "keys.sqlite"
    CliRunner().invoke(main, ["keys", "create", "--name", "me", "--keys-db", str(keys)])
    assert "an SQLite database without the OEWS tables" in _one_line_error([*build, "--oews", str(keys)])
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "holds none of the supplementary sources" in _one_line_error([*build, "--supplementary", str(empty)])
    data = tmp_path / "data"  # the data folder given where its supplementary/ folder belongs
    (data / "supplementary" / "onet-bright-outlook").mkdir(parents=True)
    (data / "supplementary" / "onet-bright-outlook" / "All_Bright_Outlook_Occupations.csv").write_text("x\n")
    line = _one_line_error([*build, "--supplementary", str(data)])
    assert f"did you mean --supplementary {data / 'supplementary'}, or --data {data}?" in line
    assert not db.exists()


def test_build_progress_counts_the_files_that_exist(tmp_path):
    """The progress total is the number of release files present (the fixture has fewer than the 40 official)."""
    from onetlocal.ingest import build as run
    from onetlocal.releases import LEGACY, files_of

    release = copy_release(tmp_path / "release")
    present = sum((release / f"{spec.name}.txt").exists() for spec in files_of(LEGACY))
    assert present < len(files_of(LEGACY))
    totals = set()
    run(
        tmp_path / "x.sqlite",
        {"onet": str(release)},
        lambda label, done, total: (
            totals.add(total) if not label.startswith(("supplementary", "oews", "search")) else None
        ),
    )
    assert totals == {present}


def test_readme_first_run_build_url_key_200(tmp_path):
    """The README's first command on a machine with the data folder: scripts/serve.sh builds (a line per phase
    when not on a terminal), prints its URL and the key command, without reinstalling an installed .venv; the
    printed command makes a key that gets a 200."""
    repo = Path(__file__).resolve().parents[1]
    db = tmp_path / "onet.sqlite"
    port = free_port()
    proc = subprocess.Popen(
        [str(repo / "scripts" / "serve.sh"), "--db", str(db), "--port", str(port)],
        cwd=tmp_path,
        env=_env(ONET_SOURCE=str(zip_release(tmp_path / "release.zip"))),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, url)
    finally:
        _, stderr = _stop(proc)
    lines = stderr.splitlines()
    assert "installing onetlocal" not in stderr and "recreating .venv" not in stderr
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(prefix))
        for prefix in ("building: O*NET release", "built ", f"onetlocal serving {url}/")
    ]
    assert order == sorted(order), stderr
    hint = next(line.strip() for line in lines if line.strip().startswith("KEY=$("))
    key = subprocess.run(
        ["bash", "-c", f"{hint} && echo $KEY"], cwd="/", env=_env(), capture_output=True, text=True, timeout=60
    ).stdout.strip()
    proc = _serve(db, db.parent / "keys.sqlite", port)
    try:
        _wait_until_up(proc, url)
        assert httpx.get(f"{url}/about/", headers={"X-API-Key": key}, timeout=10).status_code == 200
    finally:
        _stop(proc)


@pytest.mark.parametrize("server_name", ["granian", "uvicorn"])
def test_sigterm_lets_a_request_in_flight_finish(db_path, tmp_path, server_name):
    """Graceful drain: a long streamed export under way when SIGTERM arrives is delivered whole."""
    import threading

    from conftest import read_release

    port = free_port()
    proc = _serve(db_path, tmp_path / "k.sqlite", port, "--server", server_name, "--no-auth", "--access-log", "off")
    url = f"http://127.0.0.1:{port}"
    _wait_until_up(proc, url)
    got: dict = {}

    def download() -> None:
        with httpx.stream("GET", f"{url}/database/rows/skills?format=csv", timeout=60) as response:
            got["status"] = response.status_code
            got["lines"] = sum(chunk.count(b"\n") for chunk in response.iter_bytes())

    thread = threading.Thread(target=download)
    thread.start()
    time.sleep(0.15)
    os.kill(proc.pid, signal.SIGTERM)
    thread.join(60)
    code, stderr = _stop(proc)
    assert got == {"status": 200, "lines": len(read_release("Skills")) + 1}, stderr
    assert code in (0, -signal.SIGTERM) and "Traceback" not in stderr  # uvicorn re-raises the signal once drained


def test_server_workers_load_the_search_index_before_accepting(db_path, monkeypatch):
    """The factory the servers use warms the search index, so the first search does not pay for it."""
    from onetlocal import app as app_module
    from onetlocal.context import Ctx
    from onetlocal.services.search import search_codes

    monkeypatch.setenv("ONETLOCAL_DB", str(db_path))
    app = app_module.app_from_env()

    def not_again():
        raise AssertionError("the search index was not loaded at start")

    loaded = app.state.db.memo("search.index", not_again)
    assert search_codes(Ctx(db=app.state.db), "welder")
    assert app.state.db.memo("search.index", not_again) is loaded  # not built again


def test_build_and_banner_name_the_release_and_its_absent_files(tmp_path, current_db_path, capsys):
    """`build` names the release (version, date, edition) and, per absent file, what has no data; so does `serve`."""
    from conftest import CURRENT_DIR, ONET_DIR
    from onetlocal.cli import _banner
    from onetlocal.config import Settings

    result = CliRunner().invoke(main, ["build", "--source", str(CURRENT_DIR), "--db", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 0, result.output
    assert "O*NET 30.3 (May 2026), csv edition" in result.output
    assert "note: the release has no 'Job Titles' file: no data for search by job titles" in result.output
    assert result.output.count("note: the release has no ") == 7  # the 7 files absent from this copy
    assert "no 1 other file (Specific Interest Areas): no Database services table" in result.output
    assert "note: no release before 30.3 given (--previous PATH" in result.output
    with_previous = CliRunner().invoke(
        main, ["build", "--source", str(CURRENT_DIR), "--previous", str(ONET_DIR), "--db", str(tmp_path / "y.sqlite")]
    )
    assert "pre-30.3 DWA/IWA ids: 2419 ids mapped, 0 without a successor" in with_previous.output
    missing = CliRunner().invoke(
        main,
        [
            "build",
            "--source",
            str(CURRENT_DIR),
            "--previous",
            str(tmp_path / "nope"),
            "--db",
            str(tmp_path / "z.sqlite"),
        ],
    )
    assert missing.exit_code == 1 and "--previous" in missing.output and not (tmp_path / "z.sqlite").exists()

    _banner(Settings(db_path=current_db_path, keys_db_path=tmp_path / "keys.sqlite"), "127.0.0.1", 8080, 1, "uvicorn")
    banner = capsys.readouterr().err
    assert "O*NET 30.3 (May 2026), built " in banner
    assert (
        "absent    7 release files:" in banner and "'Tasks to DWAs' file: no data for details/detailed_work" in banner
    )


def test_the_readme_sample_banner_is_the_real_one_line_by_line(public_db_path, tmp_path, capsys):
    """README, "Set-up": the banner shown after the first build has the real banner's lines, in its order (values
    differ: another release and machine; the real one here also lists the release files 30.1 lacks)."""
    from onetlocal.cli import _banner
    from onetlocal.config import Settings, parse_rate_limit

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    sample = readme.split("then\nprints where it serves:\n\n```\n", 1)[1].split("\n```", 1)[0].splitlines()
    settings = Settings(
        db_path=public_db_path, keys_db_path=tmp_path / "keys.sqlite", auth=True, rate_limit=parse_rate_limit("100/s")
    )
    _banner(settings, "127.0.0.1", 8080, 1, "granian", 19_744)
    real = capsys.readouterr().err.splitlines()
    absent = next(i for i, line in enumerate(real) if line.startswith("  absent "))
    real = real[:absent] + real[next(i for i, line in enumerate(real) if line.startswith("  docs ")) :]

    def shape(line: str) -> tuple[int, str]:
        words = line.split()
        return len(line) - len(line.lstrip()), " ".join(words[:2]) if words[0] in ("web", "no") else words[0][:4]

    assert [shape(line) for line in sample] == [shape(line) for line in real]
    assert "  web UI    http://127.0.0.1:8080/ui/   (needs --ui-key NAME to call the API)" in sample
