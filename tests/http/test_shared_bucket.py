"""Rate-limit buckets shared by a machine's workers (http/shared_bucket.py): the same answers as the per-process
bucket, one count across processes, no lock left behind by a killed worker, and `serve --workers 2` holding a key to
its rate in all (it allowed twice the rate before: a bucket per worker)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from fixtures import free_port, wait_until_up
from onetlocal.cli import main
from onetlocal.http import auth, shared_bucket
from onetlocal.http.shared_bucket import SharedTokenBucket


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "buckets"
    shared_bucket.create(path)
    return path


def test_same_answers_as_the_per_process_bucket(table, monkeypatch):
    """A random sequence of takes (keys, costs, time steps) on a fake clock: every answer is TokenBucket's."""
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    rng = random.Random(7)
    shared, local = SharedTokenBucket(table, 5.0), auth.TokenBucket(5.0)
    answers = []
    for _ in range(2000):
        clock[0] += rng.choice([0.0, 0.0, 0.01, 0.05, 0.3, 2.0])
        key, cost = rng.choice(["a", "b", "c"]), rng.choice([1.0, 1.0, 3.0, 40.0])
        answers.append((shared.take(key, cost), local.take(key, cost)))
    assert all(s == pytest.approx(t, abs=1e-9) for s, t in answers)
    assert sum(s == 0 for s, _ in answers) not in (0, len(answers))  # both allowed and refused


def _drain(path, seconds, out):
    bucket = SharedTokenBucket(path, 20.0)
    allowed, ends = 0, time.monotonic() + seconds
    while time.monotonic() < ends:
        allowed += bucket.take("me") == 0
    os.write(out, str(allowed).encode())
    os._exit(0)


def test_processes_share_one_count(table):
    """Three processes taking as fast as they can for 0.5 s: together they get the burst plus the refill, once."""
    reads, pids = [], []
    started = time.monotonic()
    for _ in range(3):
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            _drain(table, 0.5, w)
        os.close(w)
        reads.append(r)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    elapsed = time.monotonic() - started
    allowed = sum(int(os.read(r, 32)) for r in reads)
    assert 20 <= allowed <= 20 + 20 * elapsed + 1, (allowed, elapsed)


def test_a_worker_killed_holding_the_lock_blocks_no_one(table):
    """The lock is a POSIX record lock: the kernel drops it with the process that held it."""
    import fcntl

    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        bucket = SharedTokenBucket(table, 1.0)
        fcntl.lockf(bucket._fd, fcntl.LOCK_EX)
        os.write(ready_w, b"x")
        time.sleep(60)
        os._exit(0)
    os.read(ready_r, 1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    started = time.monotonic()
    assert SharedTokenBucket(table, 1.0).take("me") == 0
    assert time.monotonic() - started < 1


def test_more_keys_than_slots_and_a_foreign_file(table, tmp_path):
    """Keys beyond the table reuse the slot counted longest ago (that key starts again full); a file of another size
    is refused when opened."""
    bucket = SharedTokenBucket(table, 1.0)
    for i in range(shared_bucket.SLOTS + 500):
        assert bucket.take(f"key-{i}") == 0
    assert bucket.take(f"key-{shared_bucket.SLOTS + 499}") > 0  # the newest is still counted
    other = tmp_path / "other"
    other.write_bytes(b"\0" * 100)
    with pytest.raises(ValueError, match="not a rate-limit table"):
        SharedTokenBucket(other, 1.0)


def _tables() -> set[Path]:
    """The rate-limit tables' folders on this machine (/dev/shm, else the temp folder)."""
    shm = Path("/dev/shm")
    where = shm if os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    return set(where.glob("onetlocal-rate-*"))


def test_serve_with_two_workers_holds_a_key_to_its_rate(db_path, tmp_path):
    """`serve --workers 2 --rate-limit 5/s`, 60 requests of one key on new connections (both workers answer): at
    most the burst plus what refilled meanwhile are allowed; the banner says the count is shared; the table goes with
    the server."""
    keys = tmp_path / "keys.sqlite"
    key = CliRunner().invoke(main, ["keys", "create", "--name", "me", "--keys-db", str(keys)]).stdout.split()[-1]
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONETLOCAL_", "ONET_"))}
    log = tmp_path / "serve.log"
    before = _tables()
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "onetlocal", "serve", "--db", str(db_path), "--keys-db", str(keys)]
            + ["--port", str(port), "--workers", "2", "--rate-limit", "5/s", "--access-log", "off"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(proc, url)
        assert "5/s per key, shared by the 2 workers" in log.read_text(), log.read_text()
        assert len(_tables() - before) == 1
        statuses = []
        started = time.monotonic()
        for _ in range(60):
            with httpx.Client(base_url=url, timeout=10) as client:  # a new connection each time
                statuses.append(client.get("/online/occupations/15-1252.00/", headers={"X-API-Key": key}).status_code)
        elapsed = time.monotonic() - started
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    assert set(statuses) == {200, 429}
    assert 5 <= statuses.count(200) <= 5 + 5 * elapsed + 1, (statuses.count(200), elapsed)
    assert _tables() - before == set()


def test_a_worker_without_the_table_counts_on_its_own(tmp_path, caplog):
    """The table removed while serving (a respawned worker finds no file) or not a table: the worker starts with its
    own bucket and says so, instead of failing to start."""
    from onetlocal.config import Settings
    from onetlocal.http.app import key_stores

    foreign = tmp_path / "foreign"
    foreign.write_bytes(b"\0" * 10)
    for path in (tmp_path / "gone" / "buckets", foreign):
        settings = Settings(db_path=tmp_path / "x.sqlite", keys_db_path=tmp_path / "k.sqlite", rate_file=path)
        with caplog.at_level("WARNING", logger="onetlocal"):
            _keys, limiter = key_stores(settings)
        assert isinstance(limiter, auth.TokenBucket)
        assert "rate limit counted by this worker alone" in caplog.text
        caplog.clear()
    shared_bucket.create(tmp_path / "buckets")
    settings = Settings(
        db_path=tmp_path / "x.sqlite", keys_db_path=tmp_path / "k.sqlite", rate_file=tmp_path / "buckets"
    )
    assert isinstance(key_stores(settings)[1], SharedTokenBucket)


def test_serve_without_a_table_says_each_worker_counts_on_its_own(db_path, tmp_path, monkeypatch):
    """The table cannot be made (a full or unwritable /dev/shm and temp folder): serve still starts, says so, and the
    banner says the count is per worker; no table path reaches the workers."""
    from onetlocal import cli

    def no_room():
        raise OSError(28, "No space left on device")

    started: dict[str, str] = {}
    monkeypatch.setattr(os, "environ", dict(os.environ))  # serve writes its settings into the environment
    monkeypatch.setattr(shared_bucket, "table", no_room)
    monkeypatch.setattr(cli, "run_granian", lambda *args: started.update(os.environ))
    result = CliRunner().invoke(
        main,
        ["serve", "--db", str(db_path), "--keys-db", str(tmp_path / "keys.sqlite"), "--port", str(free_port())]
        + ["--workers", "2", "--rate-limit", "5/s"],
    )
    assert result.exit_code == 0, result.output
    assert "no shared rate-limit table ([Errno 28] No space left on device)" in result.stderr
    assert "5/s per key, counted per worker (up to 2x per key)" in result.stderr
    assert started["ONETLOCAL_RATE_FILE"] == ""
