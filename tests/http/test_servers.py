"""`onetlocal serve` under faults and abuse (issue 22 items 1 and 2), for both HTTP servers (http/servers.py):
a worker killed with SIGKILL is replaced, twice in a row too, while the serve process stays up; a client holding
1,500 idle or half-sent connections does not lock anyone else out; request heads must arrive within the head
timeout. Every server runs on 127.0.0.1, and every wait is bounded."""

from __future__ import annotations

import errno
import os
import resource
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures import free_port
from onetlocal.http.servers import HEAD_TIMEOUT

HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"


class Serve:
    """`onetlocal serve --no-auth` on a free port, its stderr in a file (never a pipe that could fill up)."""

    def __init__(self, db: Path, log: Path, *args: str) -> None:
        self.port = free_port()
        self.log = log
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ONETLOCAL_", "ONET_"))}
        with open(log, "wb") as err:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "onetlocal",
                    "serve",
                    "--db",
                    str(db),
                    "--no-auth",
                    "--port",
                    str(self.port),
                    "--access-log",
                    "off",
                    *args,
                ],
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
            )
        self.wait_until(lambda: self.ok(), 90, "the server did not come up")

    def ok(self, timeout: float = 1.0) -> bool:
        return probe(self.port, timeout) is not None

    def workers(self) -> list[int]:
        """The serve process's children but multiprocessing's resource tracker: its workers."""
        kids = []
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            try:
                kids += [int(pid) for pid in (task / "children").read_text().split()]
            except OSError:
                pass
        return [pid for pid in kids if b"resource_tracker" not in _cmdline(pid)]

    def wait_until(self, check, seconds: float, message: str) -> float:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            assert self.proc.poll() is None, f"serve exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}"
            if check():
                return time.monotonic() - started
            time.sleep(0.05)
        raise AssertionError(f"{message} within {seconds} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def probe(port: int, timeout: float) -> float | None:
    """Seconds for a new connection's `GET /healthz` to get its 200 status line; None if it did not in time."""
    started = time.perf_counter()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.settimeout(max(0.01, timeout - (time.perf_counter() - started)))
            sock.sendall(HEAD + b"Connection: close\r\n\r\n")
            status = sock.recv(64)
    except OSError:
        return None
    return time.perf_counter() - started if status.startswith(b"HTTP/1.1 200") else None


def hold(port: int, count: int, first_bytes: bytes, timeout: float = 20.0) -> list[socket.socket]:
    """`count` connections opened at once (non-blocking), each sending `first_bytes` (maybe none) once it is
    connected; all must connect within `timeout`."""
    socks, pending = [], set()
    sel = selectors.DefaultSelector()
    try:
        for _ in range(count):
            sock = socket.socket()
            socks.append(sock)
            sock.setblocking(False)
            assert sock.connect_ex(("127.0.0.1", port)) in (0, errno.EINPROGRESS)
            sel.register(sock, selectors.EVENT_WRITE)
            pending.add(sock)
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            for key, _ in sel.select(max(0.0, deadline - time.monotonic())):
                sock = key.fileobj
                sel.unregister(sock)
                pending.discard(sock)
                assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
                if first_bytes:
                    sock.send(first_bytes)
        assert not pending, f"{len(pending)} of {count} connections not made in {timeout} s"
    except BaseException:
        for sock in socks:
            sock.close()
        raise
    finally:
        sel.close()
    return socks


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server has closed `sock` (EOF or reset, after whatever it sent before)."""
    sock.setblocking(False)
    try:
        while True:
            if sock.recv(65536) == b"":
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


@pytest.fixture(autouse=True, scope="module")
def _open_files():
    """Room for 1,500 held sockets plus this process's own files (root may raise the hard limit too)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 4096
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard if hard == resource.RLIM_INFINITY else max(hard, need)))
    yield
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


# -- item 1: a killed worker is replaced -------------------------------------------------------------------------


@pytest.mark.parametrize("server_name, workers", [("granian", 1), ("uvicorn", 1), ("granian", 2)])
def test_a_killed_worker_is_replaced_and_the_server_stays_up(db_path, tmp_path, server_name, workers):
    """SIGKILL to a worker (as the OOM killer sends): the serve process lives on, the worker is replaced and
    requests succeed again. Then the replacement is killed as soon as it appears (granian's crash-loop guard
    stops granian there; serve starts it again). Each worker is a process of its own, with --workers 1 too."""
    server = Serve(db_path, tmp_path / "serve.log", "--server", server_name, "--workers", str(workers))
    try:
        server.wait_until(lambda: len(server.workers()) == workers, 30, f"{workers} worker process(es)")
        victim = server.workers()[0]
        os.kill(victim, signal.SIGKILL)
        back = server.wait_until(
            lambda: victim not in server.workers() and len(server.workers()) == workers and server.ok(),
            60,
            "the killed worker was not replaced",
        )
        print(f"{server_name} --workers {workers}: answering again {back:.1f} s after the SIGKILL")

        before = set(server.workers())
        os.kill(min(before), signal.SIGKILL)
        replacement: list[int] = []

        def replaced() -> bool:
            replacement[:] = [pid for pid in server.workers() if pid not in before]
            return bool(replacement)

        server.wait_until(replaced, 30, "no replacement process")
        os.kill(replacement[0], signal.SIGKILL)  # dies at once, while it starts
        back = server.wait_until(
            lambda: replacement[0] not in server.workers() and len(server.workers()) == workers and server.ok(),
            90,
            "a worker killed twice in a row was not replaced",
        )
        print(f"{server_name} --workers {workers}: answering again {back:.1f} s after the second SIGKILL")
    finally:
        code = server.stop()
    assert code in (0, -signal.SIGTERM), server.log.read_text()[-3000:]
    assert "Traceback" not in server.log.read_text()


# -- item 2: idle and slowloris connections ----------------------------------------------------------------------


@pytest.fixture(scope="module", params=[None, "uvicorn"], ids=["default", "uvicorn"])
def running(request, db_path, tmp_path_factory):
    """The default server (`serve` without --server), and uvicorn."""
    args = ("--server", request.param) if request.param else ()
    server = Serve(db_path, tmp_path_factory.mktemp("serve") / "serve.log", *args)
    server.name = request.param or "default"
    yield server
    assert server.stop() in (0, -signal.SIGTERM)


def test_1500_idle_and_slowloris_sockets_do_not_lock_others_out(running):
    """750 connections that never send a byte and 750 that send a request head without its end, held open: a new
    client still gets 200 within 2 s, each of 5 times (granian's default cap of 1,024 connections per worker
    locked every new client out for as long as such sockets were held)."""
    held = hold(running.port, 750, b"") + hold(running.port, 750, HEAD)
    try:
        time.sleep(0.5)  # let the server accept them
        latencies = []
        for _ in range(5):
            latencies.append(probe(running.port, 2.0))
            time.sleep(0.2)
        assert None not in latencies, latencies
        assert running.proc.poll() is None
    finally:
        for sock in held:
            sock.close()
    print(f"{running.name}: probes with 1,500 held sockets: {', '.join(f'{t * 1000:.0f} ms' for t in latencies)}")


def test_heads_must_arrive_within_the_head_timeout(running):
    """A request head sent in part, and a keep-alive connection left idle after its answer, are closed by the
    server after the head timeout. A connection that never sends a byte is closed by uvicorn; granian keeps it
    (it times a head from its first byte), counted against its connection cap (SECURITY.md)."""
    partial = hold(running.port, 10, HEAD)
    idle = hold(running.port, 10, b"")
    kept = socket.create_connection(("127.0.0.1", running.port), timeout=5)
    kept.sendall(HEAD + b"\r\n")
    assert kept.recv(64).startswith(b"HTTP/1.1 200")
    try:
        time.sleep(0.5)
        assert not any(closed_by_server(s) for s in [*partial, *idle]), "closed before the head timeout"
        time.sleep(HEAD_TIMEOUT + 2.5)
        assert all(closed_by_server(s) for s in partial)
        assert closed_by_server(kept)
        idle_closed = [closed_by_server(s) for s in idle]
        assert idle_closed == [running.name == "uvicorn"] * len(idle)
        assert running.ok(2.0)
    finally:
        for sock in [*partial, *idle, kept]:
            sock.close()


def test_a_head_that_never_ends_is_refused_past_32_kB(running):
    """100 kB of one header and no end: refused at 32 kB (uvicorn: 431 JSON, where httptools would have kept
    it all until the head ended; granian: its own 431 without a body, or a reset before the client reads it)."""
    answer = b""
    with socket.create_connection(("127.0.0.1", running.port), timeout=5) as sock:
        try:
            sock.sendall(HEAD + b"X-Long: " + b"a" * 100_000)
            while chunk := sock.recv(65536):
                answer += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass
    if running.name == "uvicorn":
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 431 ") and b"content-type: application/json" in head.lower(), answer
        assert b"request headers too large" in body
    else:
        assert answer == b"" or answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert running.ok(2.0)


def test_the_uvicorn_methods_guarded_protocol_overrides_are_uvicorns():
    """http/uvicorn_protocol.py overrides uvicorn internals (no supported hook does the same): an upgrade that
    renames them must fail here, not leave the overrides silently unused."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    from onetlocal.http.uvicorn_protocol import GuardedProtocol

    for name in ("connection_made", "data_received", "connection_lost", "on_response_complete", "send_400_response"):
        assert callable(getattr(AutoHTTPProtocol, name, None)), f"uvicorn's protocol has no {name}"
        assert getattr(GuardedProtocol, name) is not getattr(AutoHTTPProtocol, name)


def test_the_open_files_limit_is_raised_and_sets_the_connection_cap():
    """A soft limit of 1,024 (a common default) would cap connections near 1,000: serve raises it to the hard
    limit, and the cap per worker is that less what a worker keeps for itself."""
    code = (
        "import resource\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 8192))\n"
        "from onetlocal.http.servers import connection_limit, raise_open_files_limit\n"
        "print(raise_open_files_limit(), resource.getrlimit(resource.RLIMIT_NOFILE)[0], "
        "connection_limit(raise_open_files_limit()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.split() == ["8192", "8192", "7936"]


def test_the_banner_says_the_connection_cap_and_warns_when_it_is_low(db_path, tmp_path, capsys):
    from onetlocal.cli import _banner
    from onetlocal.config import Settings

    settings = Settings(db_path=db_path, keys_db_path=tmp_path / "keys.sqlite")
    _banner(settings, "127.0.0.1", 8080, 1, "granian", 19_744)
    assert f"request heads within {HEAD_TIMEOUT} s; at most 19,744 connections per worker\n" in capsys.readouterr().err
    _banner(settings, "127.0.0.1", 8080, 1, "granian", 1_244)
    assert "at most 1,244 connections per worker; WARNING: low" in capsys.readouterr().err


def test_the_default_worker_count_is_the_cores_this_process_may_use(monkeypatch, tmp_path):
    import os

    from onetlocal.http import servers

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(servers, "Path", lambda p: tmp_path / "cpu.max")  # no cgroup quota
    assert servers.default_workers() == 4
    (tmp_path / "cpu.max").write_text("150000 100000\n")  # a container allowed 1.5 cores
    assert servers.default_workers() == 1
    (tmp_path / "cpu.max").write_text("max 100000\n")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)))
    assert servers.default_workers() == servers.MAX_DEFAULT_WORKERS
