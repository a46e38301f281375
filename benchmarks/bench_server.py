"""Build time, and HTTP throughput/latency of `onetlocal serve` against a bare Starlette reference app.

    .venv/bin/python benchmarks/bench_server.py [--db PATH [--no-build]] [--duration 5] [--threads 1]

1. A fresh build into a temp file, timed (sources: ONET_SOURCE / ONETLOCAL_SUPPLEMENTARY / ONETLOCAL_OEWS,
   default ../shared/data). Target: < 60 s.
2. wrk at 1, 10 and 50 connections on `/about/` and a filtered, sorted `/database/rows/skills` query against:
   `onetlocal serve --no-auth`, `onetlocal serve` with an API key (auth overhead), and benchmarks/reference_app.py
   (same SQL, same body, no framework layers of ours). All with --rate-limit off, one uvicorn worker, 127.0.0.1.
   Target: onetlocal >= 0.5x the reference's req/s.
3. `--servers`: the same app under each HTTP server `onetlocal serve --server` offers (granian, uvicorn), with an
   API key, one worker, c=50, interleaved best-of-N, on `/about/` and a report section (`details/skills`); this
   decides serve's default. `--servers-only` runs just this part.
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    HOST,
    REPO,
    build_report,
    common_args,
    create_key,
    ensure_wrk,
    exe,
    fmt,
    free_port,
    machine,
    onetlocal_server,
    prepare_db,
    server,
    table,
    wrk,
)

ENDPOINTS = [
    ("/about/", "/about/"),
    (
        "/database/rows/skills (15-1252.00, IM, sorted)",
        "/database/rows/skills?filter=onetsoc_code.eq.15-1252.00&filter=scale_id.eq.IM&sort=data_value.descending",
    ),
]
CONCURRENCY = (1, 10, 50)
BUILD_TARGET_S = 60
RATIO_TARGET = 0.5


def reference_server(db: Path, loop: str | None = None):
    port = free_port()
    cmd = [
        exe("uvicorn"),
        "--app-dir",
        str(REPO / "benchmarks"),
        "reference_app:create_app",
        "--factory",
        "--host",
        HOST,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    cmd += ["--loop", loop or "asyncio"]  # the same loop as `onetlocal serve` (default asyncio)
    return server("reference", cmd, port, env={"ONETLOCAL_DB": str(db)})


def measure(servers, args) -> dict:
    """Every (endpoint, concurrency) cell on every server, interleaved, best req/s of --repeat runs (the
    machine is shared: interleaving and best-of-N keep other processes' load from favouring one server)."""
    results: dict = {}
    for label, path in ENDPOINTS:
        for c in CONCURRENCY:
            for rep in range(args.repeat):
                for srv, headers in servers:
                    load = wrk(srv.base + path, c, args.duration, args.threads, args.warmup, headers, srv.proc.pid)
                    best = results.get((srv.name, label, c))
                    if best is None or load.rps > best.rps:
                        results[srv.name, label, c] = load
                    note = "" if load.ok else f"  ({load.errors} errors!)"
                    print(
                        f"  {srv.name:<15} {label[:30]:<30} c={c:<3} #{rep + 1} {load.rps:9,.0f} req/s  "
                        f"p50 {load.p50_ms:6.2f} ms  p99 {load.p99_ms:6.2f} ms  server {fmt(load.server_cpu)} "
                        f"cores, others {fmt(load.other_cpu)} cores{note}",
                        flush=True,
                    )
    return results


def asgi_costs(db: Path, keys_db: Path, key: str, rounds: int = 3) -> list[list]:
    """Per-request cost of each app called in-process as ASGI (no sockets, no uvicorn, no wrk): the framework
    overhead on its own, best of `rounds`, steadier than wrk on a busy machine."""
    import asyncio
    import os
    import time

    from onetlocal.app import create_app
    from onetlocal.config import Settings

    os.environ["ONETLOCAL_DB"] = str(db)
    import reference_app

    ours = create_app(Settings(db_path=db, keys_db_path=keys_db, auth=False, rate_limit=None))
    authed = create_app(Settings(db_path=db, keys_db_path=keys_db, auth=True, rate_limit=None))
    ref = reference_app.create_app()

    def scope(path_qs: str, headers=()):
        path, _, qs = path_qs.partition("?")
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": qs.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8080"), *headers],
            "server": (HOST, 8080),
            "client": (HOST, 1),
        }

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        pass

    async def per_call(app, sc, n) -> float:
        for _ in range(200):
            await app(dict(sc), receive, send)
        best = float("inf")
        for _ in range(rounds):
            t0 = time.perf_counter()
            for _ in range(n):
                await app(dict(sc), receive, send)
            best = min(best, (time.perf_counter() - t0) / n * 1e6)
        return best

    rows = []
    for label, path in ENDPOINTS:
        n = 5000 if path == "/about/" else 2000
        o = asyncio.run(per_call(ours, scope(path), n))
        a = asyncio.run(per_call(authed, scope(path, [(b"x-api-key", key.encode())]), n))
        r = asyncio.run(per_call(ref, scope(path), n))
        rows.append([label, fmt(o, 1), fmt(a, 1), fmt(r, 1), fmt(o - r, 1)])

    return rows


def bodies(srv, headers=None) -> dict:
    out = {}
    for label, path in ENDPOINTS:
        r = httpx.get(srv.base + path, headers=headers, timeout=10)
        r.raise_for_status()
        out[label] = r.json()
    return out


def without_host(body, base: str):
    """The JSON with this server's base URL replaced, so two servers' bodies compare."""
    import orjson

    return orjson.loads(orjson.dumps(body).replace(base.encode(), b"BASE"))


SERVER_TARGETS = [
    ("/about/", "/about/"),
    ("details/skills (15-1252.00)", "/online/occupations/15-1252.00/details/skills"),
]
SERVER_CONCURRENCY = 50


def compare_servers(db: Path, keys_db: Path, key: str, args) -> None:
    """granian vs uvicorn: one worker each, with a key, access log off (both), c=50, interleaved, best of N."""
    results: dict = {}
    names = ("granian", "uvicorn")
    with ExitStack() as stack:
        servers = {
            n: stack.enter_context(onetlocal_server(db, keys_db, workers=args.workers, http_server=n)) for n in names
        }
        for label, path in SERVER_TARGETS:
            for rep in range(args.repeat):
                for n in names:
                    srv = servers[n]
                    load = wrk(
                        srv.base + path,
                        SERVER_CONCURRENCY,
                        args.duration,
                        args.threads,
                        args.warmup,
                        {"X-API-Key": key},
                        srv.proc.pid,
                    )
                    if (n, label) not in results or load.rps > results[n, label].rps:
                        results[n, label] = load
                    print(
                        f"  {n:<8} {label:<28} #{rep + 1} {load.rps:9,.0f} req/s  p50 {load.p50_ms:6.2f} ms  "
                        f"p99 {load.p99_ms:6.2f} ms  errors {load.errors}  others {fmt(load.other_cpu)} cores",
                        flush=True,
                    )
    rows = []
    for label, _ in SERVER_TARGETS:
        g, u = results["granian", label], results["uvicorn", label]
        rows.append(
            [
                label,
                fmt(g.rps, 0),
                fmt(g.p50_ms),
                fmt(g.p99_ms),
                fmt(u.rps, 0),
                fmt(u.p50_ms),
                fmt(u.p99_ms),
                f"{g.rps / u.rps:.2f}x" if u.rps else "-",
            ]
        )
    print()
    print(f"HTTP servers, {args.workers} worker(s), c={SERVER_CONCURRENCY}, with an API key:")
    print(
        table(
            ["endpoint", "granian req/s", "p50 ms", "p99 ms", "uvicorn req/s", "p50 ms", "p99 ms", "granian/uvicorn"],
            rows,
        )
    )


def main() -> int:
    parser = common_args(__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per cell, best kept (default 2)")
    parser.add_argument("--servers", action="store_true", help="also compare granian and uvicorn")
    parser.add_argument("--servers-only", action="store_true", help="only compare granian and uvicorn")
    args = parser.parse_args()
    if not ensure_wrk():
        return 2
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="onetlocal-bench-") as tmp:
        work = Path(tmp)
        db, build_s = prepare_db(args, work)
        if build_s is not None:
            print(build_report(build_s, BUILD_TARGET_S), flush=True)
        keys_db = work / "keys.sqlite"
        key = create_key(db, keys_db)
        if args.servers or args.servers_only:
            compare_servers(db, keys_db, key, args)
            if args.servers_only:
                return 0
        auth = {"X-API-Key": key}
        asgi = asgi_costs(db, keys_db, key)

        print(
            f"\nwrk: -t{args.threads}, {args.duration} s per run after {args.warmup} s warm-up, best of "
            f"{args.repeat}; one uvicorn worker per server, event loop {args.loop or 'asyncio (serve default)'}"
        )
        with ExitStack() as stack:
            ours_srv = stack.enter_context(onetlocal_server(db, loop=args.loop, workers=args.workers))
            auth_srv = stack.enter_context(onetlocal_server(db, keys_db, loop=args.loop, workers=args.workers))
            ref_srv = stack.enter_context(reference_server(db, args.loop))
            unauthenticated = httpx.get(auth_srv.base + "/about/", timeout=10).status_code
            assert unauthenticated == 401, f"the auth server answers {unauthenticated} without a key"
            ours_body = {k: without_host(v, ours_srv.base) for k, v in bodies(ours_srv).items()}
            ref_body = {k: without_host(v, ref_srv.base) for k, v in bodies(ref_srv).items()}
            results = measure([(ours_srv, None), (auth_srv, auth), (ref_srv, None)], args)
    ours = {
        (label, c): v for (name, label, c), v in results.items() if name.startswith("onetlocal") and "+auth" not in name
    }
    authed = {(label, c): v for (name, label, c), v in results.items() if name.startswith("onetlocal+auth")}
    ref = {(label, c): v for (name, label, c), v in results.items() if name == "reference"}

    rows, worst = [], None
    for label, _ in ENDPOINTS:
        for c in CONCURRENCY:
            o, a, r = ours[label, c], authed[label, c], ref[label, c]
            ratio = o.rps / r.rps if r.rps else None
            worst = ratio if worst is None or (ratio is not None and ratio < worst) else worst
            auth_cost = (1 - a.rps / o.rps) * 100 if o.rps else None
            rows.append(
                [
                    label,
                    c,
                    fmt(o.rps, 0),
                    fmt(o.p50_ms),
                    fmt(o.p99_ms),
                    fmt(r.rps, 0),
                    fmt(r.p50_ms),
                    fmt(r.p99_ms),
                    f"{ratio:.2f}x" if ratio else "-",
                    fmt(a.rps, 0),
                    fmt(a.p99_ms),
                    f"{auth_cost:.0f}%" if auth_cost is not None else "-",
                    fmt(max(x.other_cpu or 0 for x in (o, a, r))),
                ]
            )
    print()
    print(
        table(
            [
                "endpoint",
                "conc",
                "onetlocal req/s",
                "p50 ms",
                "p99 ms",
                "reference req/s",
                "p50 ms",
                "p99 ms",
                "ratio",
                "+auth req/s",
                "+auth p99 ms",
                "auth cost",
                "others (cores)",
            ],
            rows,
        )
    )
    print()
    print("in-process ASGI cost per request, µs (best of 3; no sockets, no uvicorn):")
    print(table(["endpoint", "onetlocal", "+auth", "reference", "onetlocal - reference"], asgi))
    print()
    same = all(ours_body[k] == ref_body[k] for k, _ in ENDPOINTS)
    print(f"bodies identical (onetlocal vs reference, base URL aside): {'yes' if same else 'NO'}")
    if build_s is not None:
        print(build_report(build_s, BUILD_TARGET_S))
    print(
        f"lowest onetlocal/reference ratio: {worst:.2f}x (target >= {RATIO_TARGET}x): "
        f"{'OK' if worst is not None and worst >= RATIO_TARGET else 'BELOW TARGET'}"
    )
    noisiest = max((x.other_cpu or 0) for d in (ours, authed, ref) for x in d.values())
    if noisiest > 0.2:
        print(
            f"note: other processes used up to {noisiest:.2f} cores during a kept run (2-core machine): "
            "those figures, p99 above all, are pessimistic"
        )
    errors = sum(x.errors for d in (ours, authed, ref) for x in d.values())
    if errors:
        print(f"WARNING: {errors} wrk errors (socket errors or non-2xx answers) across the runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
