"""The HTTP servers `onetlocal serve` runs the app under (granian, uvicorn), configured alike for faults and abuse.

Both servers, whichever runs:
- Workers are separate processes watched by a supervisor (the `serve` process), also with `--workers 1`: a worker
  that dies (SIGKILL, the OOM killer, a segfault) is replaced and the port keeps answering. uvicorn always runs
  its multiprocess supervisor, which replaces a dead worker at once. granian replaces it too
  (`respawn_failed_workers`), but stops altogether when a replacement dies within 5.5 s of its start (its
  crash-loop guard); `run_granian` then starts granian again, after a back-off that doubles from 1 s up to 30 s.
- A request head must arrive whole within `HEAD_TIMEOUT` seconds, else the connection is closed (granian: from its
  first byte; uvicorn: from the connection's start or the previous response's end, see uvicorn_protocol.py).
  Heads over `MAX_SERVER_HEADER_BYTES` are refused by the server itself.
- Connections per worker are bounded only by file descriptors: `serve` raises its soft RLIMIT_NOFILE to the hard
  limit (at most `MAX_OPEN_FILES`) and the workers inherit it; granian's own cap (`backpressure`, default 1,024
  per worker, where idle sockets made the server unreachable) is set to that limit less `FD_RESERVE`.
- The listening socket's backlog is `BACKLOG` (the kernel caps it at net.core.somaxconn).

Measured with benchmarks/slowloris.py; the figures and the choice of default server are in SECURITY.md.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from granian.server import MPServer, MTServer

#: Seconds a client has to send a whole request head.
HEAD_TIMEOUT = 10
#: What the HTTP servers read of a request's head before refusing it (the app refuses more than 16 kB in JSON).
MAX_SERVER_HEADER_BYTES = 32 * 1024
#: Pending connections the kernel queues for the workers.
BACKLOG = 4096
#: The most open files `serve` asks for (RLIMIT_NOFILE), whatever the hard limit allows.
MAX_OPEN_FILES = 65536
#: File descriptors each worker keeps for everything but client connections (database, logs, pipes).
FD_RESERVE = 256
#: granian's crash-loop back-off: first wait, longest wait, and how long a run must last to reset it (seconds).
RESTART_BACKOFF = (1.0, 30.0, 60.0)


def raise_open_files_limit() -> int:
    """Raise this process's soft RLIMIT_NOFILE to its hard limit (at most MAX_OPEN_FILES); return the soft limit
    in force. Workers inherit it. A soft limit of 1,024 (a common default) would cap connections near 1,000."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = MAX_OPEN_FILES if hard == resource.RLIM_INFINITY else min(hard, MAX_OPEN_FILES)
    if soft == resource.RLIM_INFINITY or soft >= want:
        return MAX_OPEN_FILES if soft == resource.RLIM_INFINITY else soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    except (ValueError, OSError):
        return soft
    return want


def connection_limit(open_files: int) -> int:
    """Client connections one worker may hold: its open-files limit less what it needs for itself."""
    return max(1024, open_files - FD_RESERVE)


#: The most workers `serve` starts by default (each holds its own search index and memos: ~250 MB).
MAX_DEFAULT_WORKERS = 16


def default_workers() -> int:
    """`serve`'s default worker count: the cores this process may use (its CPU affinity, and a container's CPU
    quota in cgroup v2's cpu.max when it allows fewer), at least 1 and at most `MAX_DEFAULT_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def event_loop(choice: str, workers: int) -> str:
    """Measured on 2 cores at 50 connections: one saturated worker under uvloop served connections unfairly
    (p99 10-20x p50), asyncio kept p99 within 2x p50 at the same req/s. With several workers uvloop doubled
    throughput and kept report p99 under 10 ms. (asyncio's transports on an inherited listening socket miss
    TCP_NODELAY, so every keep-alive response waited ~44 ms for a delayed ACK; uvicorn_protocol sets it.)"""
    if choice != "auto":
        return choice
    return "asyncio" if workers == 1 else "uvloop"


def run_uvicorn(
    host: str, port: int, workers: int, log_level: str, loop: str, forwarded_allow_ips: str | None = None
) -> None:
    """uvicorn under its multiprocess supervisor, even for one worker, so a dead worker is replaced. uvicorn has
    no connection cap of its own: the open-files limit, raised here, is the cap."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    raise_open_files_limit()
    config = uvicorn.Config(
        "onetlocal.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning" if log_level == "info" else log_level,
        access_log=False,
        loop=event_loop(loop, workers),
        timeout_graceful_shutdown=10,
        backlog=BACKLOG,
        # X-Forwarded-For only from the proxies named (uvicorn's default believes any loopback)
        proxy_headers=bool(forwarded_allow_ips),
        forwarded_allow_ips=forwarded_allow_ips or "",
        http="onetlocal.http.uvicorn_protocol:GuardedProtocol",  # head timeout, JSON 400s
        h11_max_incomplete_event_size=MAX_SERVER_HEADER_BYTES,
    )
    Multiprocess(config, sockets=[config.bind_socket()]).run()


def run_granian(host: str, port: int, workers: int, log_level: str) -> None:
    """Granian: keep-alive on, TCP_NODELAY set on its sockets; on SIGTERM/SIGINT it stops accepting and lets
    in-flight requests finish (tests/test_cli.py checks all three). A single-threaded Rust runtime per worker
    (runtime_mode st) was faster here than the default (about /about/ 9.0k vs 8.2k req/s, details/skills 5.4k vs
    5.0k; uvicorn 7.2k and 4.3k). Its experimental "rust" task implementation was faster still but hung on
    streamed answers (format=csv), so the asyncio one is kept.

    granian exits with code 1 when a worker dies again within 5.5 s of being replaced (its crash-loop guard); it is
    started again here after a back-off that doubles from RESTART_BACKOFF[0] to RESTART_BACKOFF[1] seconds, back to
    the first after a run that lasted RESTART_BACKOFF[2] seconds. (The app loads nothing that can fail at a
    worker's start: the database was checked before, and an unreadable one is answered with 503s.)"""
    limit = connection_limit(raise_open_files_limit())
    first, longest, stable = RESTART_BACKOFF
    wait = 0.0
    while True:
        started = time.monotonic()
        try:
            _granian(host, port, workers, log_level, limit).serve()
            return  # stopped by a signal
        except SystemExit as exc:
            if exc.code in (0, None):
                return
        wait = first if not wait or time.monotonic() - started >= stable else min(wait * 2, longest)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # granian's handlers would swallow a stop while we wait
        signal.signal(signal.SIGINT, signal.default_int_handler)
        print(
            f"onetlocal: granian stopped after its workers kept dying; starting it again in {wait:g} s",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(wait)


def _granian(host: str, port: int, workers: int, log_level: str, limit: int) -> MPServer | MTServer:
    from granian import Granian
    from granian.constants import Interfaces, RuntimeModes
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    # Headers beyond 32 kB are refused by granian itself (431) before the app reads them (its default: 417 kB);
    # the app refuses more than 16 kB of headers in JSON (http/limits.py).
    return Granian(
        "onetlocal.app:app_from_env",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        runtime_mode=RuntimeModes.st,
        factory=True,
        log_enabled=True,
        http1_settings=HTTP1Settings(max_buffer_size=MAX_SERVER_HEADER_BYTES, header_read_timeout=HEAD_TIMEOUT * 1000),
        backlog=BACKLOG,
        backpressure=limit,
        respawn_failed_workers=True,
        log_level=LogLevels("warning" if log_level == "info" else log_level),
        log_access=False,
        workers_kill_timeout=10,
    )
