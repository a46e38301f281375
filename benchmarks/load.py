"""Bounded load at 1, 50 and 200 concurrent clients over a mix of routes, then the same `/database/rows` queries
against datasette serving the same SQLite file, in the same run.

Prints, per concurrency: req/s, p50/p99/max latency, errors (non-2xx or transport errors), and the RSS of each
server worker after the run; then onetlocal's and datasette's req/s on the same table queries and their ratio.

    .venv/bin/python benchmarks/load.py --db PATH [--duration 5] [--levels 1,50,200] [--server granian]

Only 127.0.0.1 is loaded; every level is one wrk run of `--duration` seconds (wrk cycles through the paths;
installed with apt-get when missing, as the other benchmarks do). wrk runs on the same machine as the server.
datasette comes from PyPI (the `bench` extra: `pip install -e .[bench]`, installed here when missing); it is
never a runtime dependency; it serves the file immutable, facet suggestions off (we compute no facets; its
row count per page stays on, as ours). The Interest Profiler routes are included when the server has them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent

#: (label, path) per route family; CareerOneStop sends the key as a bearer token.
MIX = [
    ("search", "/online/search?keyword=nurse"),
    ("search", "/online/search?keyword=software%20developer"),
    ("report", "/online/occupations/15-1252.00/summary/skills"),
    ("report", "/online/occupations/29-1141.00/details/tasks"),
    ("report", "/mnm/careers/15-1252.00/"),
    ("rows", "/database/rows/occupation_data?filter=title.contains.engineer&sort=title"),
    ("rows", "/database/rows/skills?filter=onetsoc_code.eq.15-1252.00&sort=data_value.descending"),
    ("cos", "/v1/occupation/x/15-1252.00/US?wages=true&projectedEmployment=true"),
]
#: Interest Profiler routes, used when the server answers them (built without its items, it does not).
INTEREST_PROFILER = [
    "/mnm/interestprofiler/questions?start=1&end=12",
    "/mnm/interestprofiler/results?answers=" + "314152" * 10,
    "/mnm/interestprofiler/careers?realistic=10&investigative=30&artistic=5&social=20&enterprising=8&conventional=12",
]

#: The same queries in both servers' dialects: onetlocal /database/rows and datasette's table JSON.
ROWS = [
    (
        "/database/rows/occupation_data?filter=title.contains.engineer&sort=title&end=20",
        "/onet/occupation_data.json?title__contains=engineer&_sort=title&_size=20&_shape=objects",
    ),
    (
        "/database/rows/skills?filter=onetsoc_code.eq.15-1252.00&sort=data_value.descending&end=20",
        "/onet/skills.json?onetsoc_code__exact=15-1252.00&_sort_desc=data_value&_size=20&_shape=objects",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.returncode}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def rss_mb(pid: int) -> list[float]:
    """RSS (MB) of `pid`'s children (the workers), or of `pid` itself when it has none."""
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids = [int(c) for c in children] or pids
    except OSError:
        pass
    sizes = []
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return sizes


_LUA = r"""
local paths = {%s}
local i = math.random(0, #paths - 1)
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "max_us": %%d, '
    .. '"errors": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def load(base: str, paths: list[str], clients: int, duration: float, headers: dict[str, str]) -> dict:
    """One bounded wrk run: `clients` connections cycling through `paths` (errors: socket errors, timeouts
    and non-2xx/3xx answers)."""
    assert base.startswith(f"http://{HOST}:"), "load only 127.0.0.1"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(_LUA % ", ".join(json.dumps(p) for p in paths))
    try:
        cmd = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{duration:g}s", "--timeout", "10s", "-s", fh.name]
        for name, value in headers.items():
            cmd += ["-H", f"{name}: {value}"]
        out = subprocess.run(cmd + [base + paths[0]], capture_output=True, text=True, timeout=duration + 60).stdout
    finally:
        os.unlink(fh.name)
    line = next((ln for ln in out.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no summary:\n{out}")
    r = json.loads(line[len("WRKJSON ") :])
    return {
        "requests": r["requests"],
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50": r["p50_us"] / 1000,
        "p99": r["p99_us"] / 1000,
        "max": r["max_us"] / 1000,
        "errors": r["errors"],
    }


def ensure_datasette() -> Path:
    exe = BIN / "datasette"
    if not exe.exists():
        print("installing datasette (benchmarks only) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "datasette>=0.65"], check=True)
    return exe


def main() -> None:
    if shutil.which("wrk") is None:
        sys.path.insert(0, str(Path(__file__).parent))
        from _common import ensure_wrk

        if ensure_wrk() is None:
            raise SystemExit(1)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--levels", default="1,50,200")
    parser.add_argument("--server", default="granian", choices=("granian", "uvicorn"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-datasette", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="onetlocal-load-"))
    keys = work / "keys.sqlite"
    key = subprocess.run(
        [str(BIN / "onetlocal"), "keys", "create", "--name", "load", "--db", str(args.db), "--keys-db", str(keys)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONETLOCAL_")}
    server = subprocess.Popen(
        [
            str(BIN / "onetlocal"),
            "serve",
            "--db",
            str(args.db),
            "--keys-db",
            str(keys),
            "--port",
            str(port),
            "--server",
            args.server,
            "--workers",
            str(args.workers),
            "--rate-limit",
            "off",
            "--access-log",
            "off",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    datasette = None
    try:
        base = f"http://{HOST}:{port}"
        wait_up(f"{base}/healthz", server)
        headers = {"X-API-Key": key, "Authorization": f"Bearer {key}"}
        mix = [p for _, p in MIX]
        mix += [p for p in INTEREST_PROFILER if httpx.get(base + p, headers=headers, timeout=60).status_code == 200]
        for path in mix:  # warm every route once (memo tables), and say which answer non-2xx
            status = httpx.get(base + path, headers=headers, timeout=60).status_code
            if status >= 300:
                print(f"note: {path} answers {status}", file=sys.stderr)
        print(
            f"onetlocal ({args.server}, {args.workers} worker(s)), mix of {len(mix)} routes, "
            f"{args.duration:g} s per level; RSS at start {', '.join(f'{r:.0f}' for r in rss_mb(server.pid))} MB"
        )
        print(
            f"{'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}  RSS per worker (MB)"
        )
        for clients in (int(c) for c in args.levels.split(",")):
            r = load(base, mix, clients, args.duration, headers)
            print(
                f"{clients:>7} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['max']:>8.1f} "
                f"{r['errors']:>7}  {', '.join(f'{x:.0f}' for x in rss_mb(server.pid))}"
            )
        if args.no_datasette:
            return
        exe = ensure_datasette()
        dport = free_port()
        link = work / "onet.db"  # datasette names the database after the file: /onet/...
        link.symlink_to(args.db.resolve())
        datasette = subprocess.Popen(
            [
                str(exe),
                "serve",
                str(link),
                "--port",
                str(dport),
                "--immutable",
                str(link),
                "--setting",
                "sql_time_limit_ms",
                "5000",
                "--setting",
                "suggest_facets",
                "off",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        dbase = f"http://{HOST}:{dport}"
        wait_up(f"{dbase}/-/versions.json", datasette)
        ours, theirs = [p for p, _ in ROWS], [p for _, p in ROWS]
        for path in theirs:
            httpx.get(dbase + path, timeout=60).raise_for_status()
        print("\n/database/rows vs datasette, same SQLite file, same queries, 50 clients")
        a = load(base, ours, 50, args.duration, headers)
        b = load(dbase, theirs, 50, args.duration, {})
        print(f"{'':>10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for name, r in (("onetlocal", a), ("datasette", b)):
            print(f"{name:>10} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7}")
        print(f"ratio onetlocal/datasette: {a['rps'] / b['rps']:.2f}x")
    finally:
        for proc in (server, datasette):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
