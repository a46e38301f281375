"""What one abusive client costs everyone else (issue 22 items 3 and 4), for this checkout and a `--baseline`.

    .venv/bin/python benchmarks/bench_contention.py --db PATH [--baseline OTHER/src] [--duration 5]

Each server is `onetlocal serve` with keys on, `--ui-key`, one worker, on the same database. For each scenario the
background load runs while (1) a probe sends keyed `/about/` requests one after another (latency: what every other
caller waits) and then (2) wrk loads a cached report section with a key at 10 connections (throughput):
- `idle`: no background load;
- `slow rows`: two loops of a keyed `/database/rows` query that sorts the biggest table on a column without an
  index and reads deep (~0.7 s of SQLite), back to back (the issue: two loops made every request wait 2.08 s);
- `proxy exports`: four keyless loops downloading `/ui/api/database/rows/oews_wages?format=csv` through the web UI's
  proxy (the issue: keyed throughput fell from 3,809 to 1,727 req/s);
then `ui share`: with `--rate-limit 100/s`, one keyless client calls the proxy as fast as it can from 127.0.0.1 while
a page's 20 calls come from 127.0.0.2: how many of those 20 got 429 (the issue: 19 of 20).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    HOST,
    busy_note,
    common_args,
    create_key,
    ensure_wrk,
    exe,
    fmt,
    free_port,
    machine,
    prepare_db,
    server,
    table,
    wrk,
)

SLOW = (
    "/database/rows/oews_wages?sort=location_quotient_footnote.descending&sort=hourly_pct90.descending"
    "&start=200000&end=200020"
)
EXPORT = "/ui/api/database/rows/oews_wages?format=csv"
REPORT = "/online/occupations/15-1252.00/details/skills"
#: The 20 calls of a page of the UI (an occupation page; the proxy forwards them all).
PAGE = [
    "/online/occupations/15-1252.00/",
    *(
        f"/online/occupations/15-1252.00/summary/{s}"
        for s in ("tasks", "technology_skills", "education", "job_zone", "related_occupations")
    ),
    *(
        f"/online/occupations/15-1252.00/details/{s}"
        for s in (
            "skills",
            "knowledge",
            "abilities",
            "work_activities",
            "interests",
            "work_styles",
            "work_values",
            "tasks",
            "detailed_work_activities",
            "work_context",
        )
    ),
    "/mpp/careers/15-1252.00/",
    "/online/search?keyword=nurse",
    "/mnm/interestprofiler/job_zones",
    "/veterans/military?keyword=army",
]


def serve(db: Path, keys: Path, src: Path | None, rate_limit: str = "off"):
    port = free_port()
    program = [sys.executable, "-m", "onetlocal"] if src else [exe("onetlocal")]
    cmd = [
        *program,
        "serve",
        "--db",
        str(db),
        "--keys-db",
        str(keys),
        "--ui-key",
        "bench",
        "--host",
        HOST,
        "--port",
        str(port),
        "--rate-limit",
        rate_limit,
        "--workers",
        "1",
    ]
    name = f"{'baseline' if src else 'this'}"
    return server(name, cmd, port, env={"PYTHONPATH": str(src)} if src else None)


@contextmanager
def background(base: str, scenario: str, key: str):
    """Run the scenario's background load until the block ends; yields a list its requests' statuses land in."""
    stop = threading.Event()
    statuses: list[int] = []

    def slow() -> None:
        with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as http:
            while not stop.is_set():
                statuses.append(http.get(SLOW).status_code)

    def export() -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while not stop.is_set():
                with http.stream("GET", EXPORT) as r:
                    for _ in r.iter_bytes():
                        if stop.is_set():
                            break
                    statuses.append(r.status_code)

    loops = {"idle": [], "slow rows": [slow, slow], "proxy exports": [export] * 4}[scenario]
    threads = [threading.Thread(target=fn, daemon=True) for fn in loops]
    for t in threads:
        t.start()
    time.sleep(0.5 if threads else 0)
    try:
        yield statuses
    finally:
        stop.set()
        for t in threads:
            t.join(60)


def probe(base: str, key: str, seconds: float) -> list[float]:
    times = []
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as http:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            started = time.perf_counter()
            http.get("/about/")
            times.append(time.perf_counter() - started)
            time.sleep(0.01)
    return times


def ui_share(db: Path, keys: Path, src: Path | None, seconds: float) -> tuple[int, int]:
    """(page calls answered 429 out of 20, greedy client's 200s) while one client spends the UI key."""
    with serve(db, keys, src, rate_limit="100/s") as srv:
        stop = threading.Event()
        greedy_ok: list[int] = []

        def greedy() -> None:
            with httpx.Client(base_url=srv.base, timeout=10) as http:
                while not stop.is_set():
                    if http.get("/ui/api/mnm/interestprofiler/job_zones").status_code == 200:
                        greedy_ok.append(1)

        threads = [threading.Thread(target=greedy, daemon=True) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(seconds)  # the greedy client has long spent any burst
        page = httpx.Client(base_url=srv.base, timeout=10, transport=httpx.HTTPTransport(local_address="127.0.0.2"))
        with page:
            refused = sum(page.get("/ui/api" + path).status_code == 429 for path in PAGE)
        stop.set()
        for t in threads:
            t.join(10)
        return refused, len(greedy_ok)


def main() -> int:
    parser = common_args(__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, metavar="SRC", help="another checkout's src/ folder, run too")
    args = parser.parse_args()
    if not ensure_wrk():
        return 2
    print(f"machine: {machine()}")
    rows, shares = [], []
    with tempfile.TemporaryDirectory(prefix="onetlocal-bench-") as tmp:
        db, _ = prepare_db(args, Path(tmp))
        keys = Path(tmp) / "keys.sqlite"
        key = create_key(db, keys)  # named "bench": also the UI's key (`--ui-key bench`)
        checkouts = [("this", None)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
        with ExitStack() as stack:
            servers = [(label, stack.enter_context(serve(db, keys, src))) for label, src in checkouts]
            for _, srv in servers:  # warm: the report and the tables' columns memoised
                for path in (REPORT, "/database/rows/oews_wages?end=1", "/about/"):
                    httpx.get(srv.base + path, headers={"X-API-Key": key}, timeout=60)
            for scenario in ("idle", "slow rows", "proxy exports"):
                for label, srv in servers:
                    with background(srv.base, scenario, key) as statuses:
                        times = probe(srv.base, key, args.duration)
                        load = wrk(
                            srv.base + REPORT,
                            10,
                            args.duration,
                            args.threads,
                            args.warmup,
                            {"X-API-Key": key},
                            srv.proc.pid,
                        )
                    seen = sorted(set(statuses))
                    times.sort()
                    rows.append(
                        [
                            scenario,
                            label,
                            fmt(statistics.median(times) * 1000),
                            fmt(times[int(len(times) * 0.99)] * 1000),
                            len(times),
                            f"{load.rps:,.0f}",
                            fmt(load.p99_ms),
                            f"{len(statuses)} x {seen}" if statuses else "-",
                            fmt(load.other_cpu),
                        ]
                    )
                    print(" | ".join(str(c) for c in rows[-1]), flush=True)
        for label, src in checkouts:
            refused, greedy = ui_share(db, keys, src, min(args.duration, 3))
            shares.append([label, f"{refused} of {len(PAGE)}", greedy])
    print()
    print(
        table(
            [
                "scenario",
                "server",
                "probe p50 ms",
                "probe p99 ms",
                "probes",
                f"{REPORT} req/s (c=10, key)",
                "p99 ms",
                "background answers",
                "others (cores)",
            ],
            rows,
        )
    )
    print()
    print(
        table(
            ["server", "page calls answered 429 (one greedy client, UI key at 100/s)", "greedy client's 200s"], shares
        )
    )
    print(busy_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
