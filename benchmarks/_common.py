"""Shared harness for the benchmark scripts: sources, a timed fresh build, servers as subprocesses on a free
127.0.0.1 port, wrk runs (with a lua `done()` reporting p50/p99 as JSON), in-process timing, and tables.

Only 127.0.0.1 is ever loaded, and every load run is bounded by `--duration`.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from statistics import quantiles

import httpx

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
HOST = "127.0.0.1"
BIN = Path(sys.executable).parent


# -- sources and the database --------------------------------------------------------------------


def sources() -> dict[str, str | None]:
    """ONET_SOURCE / ONETLOCAL_SUPPLEMENTARY / ONETLOCAL_OEWS, else ../shared/data beside the repo."""

    def pick(env: str, default: Path) -> str | None:
        value = os.environ.get(env)
        if value:
            return value
        return str(default) if default.exists() else None

    found = {
        "onet": pick("ONET_SOURCE", SHARED / "onet" / "db_30_1_text"),
        "supplementary": pick("ONETLOCAL_SUPPLEMENTARY", SHARED / "supplementary"),
        "oews": pick("ONETLOCAL_OEWS", SHARED / "oews" / "oews-2025.sqlite.gz"),
    }
    if not found["onet"]:
        sys.exit(f"no O*NET release: set ONET_SOURCE or put it in {SHARED / 'onet' / 'db_30_1_text'}")
    return found


#: Seconds per build step of the last timed_build() (step name -> seconds), in build order.
BUILD_STEPS: dict[str, float] = {}


def timed_build(target: Path) -> float:
    """A fresh build into `target`, timed (seconds); per-step times land in BUILD_STEPS."""
    import dataclasses

    import onetlocal.ingest as ingest_pkg

    def timed(step):
        def run(*a, **kw):
            t0 = time.perf_counter()
            try:
                return step.run(*a, **kw)
            finally:
                BUILD_STEPS[step.name] = time.perf_counter() - t0

        return dataclasses.replace(step, run=run)

    BUILD_STEPS.clear()
    original = list(ingest_pkg.STEPS)
    ingest_pkg.STEPS[:] = [timed(step) for step in original]  # only for this call, restored below
    started = time.perf_counter()
    try:
        ingest_pkg.build(target, sources())
    finally:
        ingest_pkg.STEPS[:] = original
    return time.perf_counter() - started


def build_report(seconds: float, target_s: float | None = None) -> str:
    steps = ", ".join(f"{name} {t:.1f} s" for name, t in BUILD_STEPS.items())
    verdict = f" (target < {target_s:.0f} s: {'OK' if seconds < target_s else 'OVER TARGET'})" if target_s else ""
    return f"fresh build: {seconds:.1f} s{verdict} [{steps}; the rest is checksums, meta, ANALYZE]"


def prepare_db(args: argparse.Namespace, workdir: Path) -> tuple[Path, float | None]:
    """The database to serve: `--db` if it exists (a timed build is still done unless --no-build),
    else a fresh build into `workdir`. Returns (path, build seconds or None)."""
    if args.db and Path(args.db).exists():
        if args.no_build:
            return Path(args.db), None
        return Path(args.db), timed_build(workdir / "build-timing.sqlite")
    target = Path(args.db) if args.db else workdir / "onet.sqlite"
    print(f"building {target} ...", flush=True)
    return target, timed_build(target)


def common_args(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--db", help="serve this database (built there first if missing); default: a fresh temp build")
    p.add_argument("--no-build", action="store_true", help="with an existing --db: skip the timed build")
    p.add_argument("--duration", type=int, default=5, help="seconds per wrk run (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="seconds of unmeasured wrk warm-up per run (default 1)")
    p.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: the machine has 2 cores)")
    p.add_argument(
        "--loop",
        choices=("asyncio", "uvloop"),
        default=None,
        help="event loop for `onetlocal serve --loop` (default: serve's own choice)",
    )
    p.add_argument("--workers", type=int, default=1, help="`onetlocal serve --workers` (default 1)")
    return p


# -- servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def exe(name: str) -> str:
    local = BIN / name
    return str(local) if local.exists() else (shutil.which(name) or name)


@dataclass
class Server:
    name: str
    base: str
    proc: subprocess.Popen
    log: Path


@contextmanager
def server(
    name: str,
    cmd: Sequence[str],
    port: int,
    ready_path: str = "/healthz",
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
):
    """Run `cmd` (listening on 127.0.0.1:port) until the block ends; waits until `ready_path` answers."""
    log = Path(tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")[1])
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            list(cmd),
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
            cwd=REPO,
        )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(base + ready_path, timeout=1.0).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not ready after {timeout:.0f} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield Server(name, base, proc, log)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # our own process group, started above
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.unlink(missing_ok=True)


def onetlocal_server(
    db: Path,
    auth_keys_db: Path | None = None,
    loop: str | None = None,
    workers: int = 1,
    src: Path | None = None,
    http_server: str | None = None,
    access_log: str = "off",
):
    """`onetlocal serve` on a free port, --rate-limit off; --no-auth unless a keys database is given.
    `src`: serve the package found in that folder (another checkout's `src/`) instead of the installed one."""
    port = free_port()
    name = ("onetlocal+auth" if auth_keys_db else "onetlocal") + (f"[{loop}]" if loop else "") + ("@src" if src else "")
    name += f"[{http_server}]" if http_server else ""
    program = [sys.executable, "-m", "onetlocal"] if src else [exe("onetlocal")]
    cmd = [*program, "serve", "--db", str(db), "--host", HOST, "--port", str(port), "--rate-limit", "off"]
    cmd += ["--keys-db", str(auth_keys_db)] if auth_keys_db else ["--no-auth"]
    cmd += ["--loop", loop] if loop else []
    cmd += ["--workers", str(workers)]  # serve defaults to one per core
    cmd += ["--server", http_server] if http_server else []
    cmd += ["--access-log", access_log]
    return server(name, cmd, port, env={"PYTHONPATH": str(src)} if src else None)


def create_key(db: Path, keys_db: Path) -> str:
    out = subprocess.run(
        [exe("onetlocal"), "keys", "create", "--name", "bench", "--db", str(db), "--keys-db", str(keys_db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1].strip()


# -- wrk ---------------------------------------------------------------------------------------------

_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def ensure_wrk() -> str | None:
    """wrk's path; installs it with apt-get if missing (root, Debian); None with a printed message if not."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("wrk not found: installing it with apt-get ...", flush=True)
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
            if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
                break
        found = shutil.which("wrk")
    if not found:
        print(
            "ERROR: wrk is not installed and could not be installed. Install it "
            "(Debian/Ubuntu: `apt-get install wrk`, macOS: `brew install wrk`) and run again."
        )
    return found


@dataclass
class Load:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors + non-2xx/3xx answers
    server_cpu: float | None = None  # cores used by the server process during the run
    other_cpu: float | None = None  # cores used by everything but the server and wrk (noise from other work)

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.requests > 0


_lua_files: dict[str, Path] = {}


def _lua_file(extra: str) -> Path:
    """A temporary lua script: `extra` (e.g. a `request` function making each request's URL) + the reporter."""
    if extra not in _lua_files:
        fd, name = tempfile.mkstemp(prefix="bench-wrk-", suffix=".lua")
        os.write(fd, (extra + "\n" + _LUA).encode())
        os.close(fd)
        _lua_files[extra] = Path(name)
        atexit.register(_lua_files[extra].unlink, missing_ok=True)
    return _lua_files[extra]


def wrk(
    url: str,
    connections: int,
    duration: int,
    threads: int = 1,
    warmup: int = 1,
    headers: dict[str, str] | None = None,
    server_pid: int | None = None,
    lua: str = "",
) -> Load:
    """One bounded wrk run against a 127.0.0.1 URL (after an unmeasured warm-up). With `server_pid`, also
    the CPU the server used and the CPU other processes used meanwhile (Linux /proc). `lua`: extra wrk script
    code (a `request` function varies the requests; it is used for the warm-up too)."""
    assert url.startswith(f"http://{HOST}:"), "load only 127.0.0.1"
    script = _lua_file(lua)
    threads = max(1, min(threads, connections))
    base = ["wrk", f"-t{threads}", f"-c{connections}", "--timeout", "5s"]
    for k, v in (headers or {}).items():
        base += ["-H", f"{k}: {v}"]
    if warmup > 0:
        subprocess.run(base + [f"-d{warmup}s", "-s", str(script), url], capture_output=True, timeout=warmup + 30)
    before = _cpu_sample(server_pid)
    out = subprocess.run(
        base + [f"-d{duration}s", "-s", str(script), url], capture_output=True, text=True, timeout=duration + 30
    ).stdout
    server_cpu, other_cpu = _cpu_split(before, _cpu_sample(server_pid))
    line = next((ln for ln in out.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{out}")
    r = json.loads(line[len("WRKJSON ") :])
    return Load(
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50_ms=r["p50_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        requests=r["requests"],
        errors=r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"],
        server_cpu=server_cpu,
        other_cpu=other_cpu,
    )


def _cpu_sample(pid: int | None):
    """(wall seconds, all CPUs busy seconds, server seconds, finished children seconds), or None off Linux."""
    import resource

    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / tick  # all but idle and iowait (guest is in user)
        server = 0.0
        if pid:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            server = (int(stat[11]) + int(stat[12])) / tick  # utime, stime
    except (OSError, ValueError, IndexError):
        return None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic(), busy, server, children.ru_utime + children.ru_stime


def _cpu_split(before, after) -> tuple[float | None, float | None]:
    """(server cores, other cores) between two samples; wrk (a finished child) is neither."""
    if not before or not after:
        return None, None
    wall = after[0] - before[0]
    if wall <= 0:
        return None, None
    server = (after[2] - before[2]) / wall
    wrk_cpu = (after[3] - before[3]) / wall
    other = max(0.0, (after[1] - before[1]) / wall - server - wrk_cpu)
    return server, other


# -- in-process timing -----------------------------------------------------------------------------


@dataclass
class Timing:
    calls: int
    mean_ms: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return 1000 / self.mean_ms if self.mean_ms else 0.0


def time_calls(fn: Callable[[], object], n: int = 500, budget: float = 5.0, warmup: int = 20) -> Timing:
    """Call `fn` up to `n` times (at most `budget` seconds), each timed; p50/p99 in ms."""
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    clock = time.perf_counter
    while len(samples) < n and clock() < deadline:
        t0 = clock()
        fn()
        samples.append((clock() - t0) * 1000)
    if len(samples) < 2:
        samples = samples * 2
    cuts = quantiles(samples, n=100, method="inclusive")
    return Timing(len(samples), sum(samples) / len(samples), cuts[49], cuts[98])


# -- output ----------------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-markdown table, columns padded (numbers right-aligned)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_is_num(r[i]) for r in cells[1:] if r[i] not in ("", "-")) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric, strict=True))
            + " |"
        )

    sep = (
        "|"
        + "|".join(("-" * (w + 1) + ":") if num else ("-" * (w + 2)) for w, num in zip(widths, numeric, strict=True))
        + "|"
    )
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


def _is_num(text: str) -> bool:
    try:
        float(text.rstrip("x%").replace(",", ""))
        return True
    except ValueError:
        return False


def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def machine() -> str:
    import platform

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{platform.machine()}; load average {load}{busy_note()}"
    )


def busy_note() -> str:
    """A warning when other processes already keep the CPUs busy (the figures, p99 above all, will be noisy)."""
    one_minute = os.getloadavg()[0]
    if one_minute > 0.5:
        return f" -- WARNING: the machine is busy (load {one_minute:.2f}); p99 under load will be inflated"
    return ""
