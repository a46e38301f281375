"""My Next Move: the Interest Profiler's matching careers with a different (so never cached) answers string on every
request, over HTTP (wrk, a lua `request()` drawing 60 random digits) and in-process (the service function + orjson,
each call with fresh answers); plus search, industry and questions routes with fixed URLs.

    .venv/bin/python benchmarks/bench_mnm.py [--db PATH [--no-build]] [--duration 5] [--concurrency 50]
                                             [--calls 1000] [--ip-only]

Targets: `interestprofiler/careers` in-process p50 < 2 ms, HTTP p99 < 10 ms at 50 connections.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path
from statistics import quantiles

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    Timing,
    build_report,
    common_args,
    ensure_wrk,
    fmt,
    machine,
    onetlocal_server,
    prepare_db,
    table,
    time_calls,
    wrk,
)

IP_CAREERS = "/mnm/interestprofiler/careers"
SEED_ANSWERS = "553421321134342523523523254115342111351145453111231155343444"
#: Fixed-URL routes: (path?query, p99 target ms at the chosen concurrency).
FIXED = [
    (f"{IP_CAREERS}?answers={SEED_ANSWERS}", 10.0),
    ("/mnm/search?keyword=nurse", 20.0),
    ("/mnm/industries/62/most_people", 10.0),
    ("/mnm/interestprofiler/questions", 10.0),
    ("/mnm/careers/", 10.0),
]
IP_P99_MS, IP_IN_PROCESS_MS = 10.0, 2.0

#: wrk: every request asks for the careers of 60 new random digits 1-5.
RANDOM_ANSWERS_LUA = f"""
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local digits = {{}}
request = function()
  for i = 1, 60 do digits[i] = math.random(1, 5) end
  return wrk.format("GET", "{IP_CAREERS}?answers=" .. table.concat(digits))
end
"""


def endpoint_of(path: str):
    """(endpoint, path parameters) serving `path`, matched as Starlette matches it."""
    from bench_online import resolve

    endpoint, params = resolve(path)
    if endpoint is None:
        raise RuntimeError(f"{path}: {params}")
    return endpoint, params


def in_process_fixed(path_query: str, db, base: str) -> Timing:
    from urllib.parse import parse_qsl

    from onetlocal.context import Ctx

    path, _, qs = path_query.partition("?")
    endpoint, params = endpoint_of(path)
    query = parse_qsl(qs)

    def call() -> bytes:
        ctx = Ctx(db=db, base_url=base, path=path, params=query)
        return orjson.dumps(endpoint.service(ctx, **endpoint.arguments(query, params)))

    return time_calls(call)


def in_process_random(db, base: str, calls: int) -> tuple[Timing, float]:
    """careers?answers= with a new random answers string per call: timing, and the mean total of matches."""
    from onetlocal.context import Ctx

    endpoint, _ = endpoint_of(IP_CAREERS)
    rng = random.Random(2026)
    answers = ["".join(rng.choices("12345", k=60)) for _ in range(calls + 20)]
    totals = []

    def call(a: str) -> bytes:
        query = [("answers", a)]
        ctx = Ctx(db=db, base_url=base, path=IP_CAREERS, params=query)
        body = endpoint.service(ctx, **endpoint.arguments(query, {}))
        totals.append(body["total"])
        return orjson.dumps(body)

    for a in answers[:20]:  # warm the memoised profiles
        call(a)
    samples = []
    for a in answers[20:]:
        t0 = time.perf_counter()
        call(a)
        samples.append((time.perf_counter() - t0) * 1000)
    cuts = quantiles(samples, n=100, method="inclusive")
    return Timing(len(samples), sum(samples) / len(samples), cuts[49], cuts[98]), sum(totals) / len(totals)


def main() -> int:
    parser = common_args(__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=50, help="wrk connections (default 50)")
    parser.add_argument("--calls", type=int, default=1000, help="in-process calls (default 1000)")
    parser.add_argument("--ip-only", action="store_true", help="only interestprofiler/careers with random answers")
    args = parser.parse_args()
    if not ensure_wrk():
        return 2
    from onetlocal.db import Database

    print(f"machine: {machine()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="onetlocal-bench-") as tmp:
        db_path, build_s = prepare_db(args, Path(tmp))
        if build_s is not None:
            print(build_report(build_s), flush=True)
        db = Database(db_path)
        with onetlocal_server(db_path, loop=args.loop, workers=args.workers) as srv:
            probe = httpx.get(f"{srv.base}{IP_CAREERS}", params={"answers": SEED_ANSWERS}, timeout=30)
            if probe.status_code != 200:
                print(f"ERROR: {IP_CAREERS} answers {probe.status_code}: {probe.text[:200]}")
                return 1
            timing, mean_total = in_process_random(db, srv.base, args.calls)
            url = srv.base + IP_CAREERS
            loaded = wrk(
                url,
                args.concurrency,
                args.duration,
                args.threads,
                args.warmup,
                None,
                srv.proc.pid,
                lua=RANDOM_ANSWERS_LUA,
            )
            single = wrk(url, 1, max(2, args.duration // 2), 1, args.warmup, None, srv.proc.pid, lua=RANDOM_ANSWERS_LUA)
            verdict = "OK" if loaded.p99_ms < IP_P99_MS and timing.p50_ms < IP_IN_PROCESS_MS else "OVER"
            rows.append(
                [
                    f"{IP_CAREERS}?answers=<random per request>",
                    verdict,
                    fmt(loaded.rps, 0),
                    fmt(loaded.p50_ms),
                    fmt(loaded.p99_ms),
                    fmt(single.p50_ms),
                    fmt(single.p99_ms),
                    fmt(timing.p50_ms, 3),
                    fmt(timing.p99_ms, 3),
                    fmt(loaded.other_cpu),
                    f"mean total {mean_total:.0f}; {loaded.errors} wrk errors",
                ]
            )
            print(
                f"IP careers (random answers): {loaded.rps:,.0f} req/s, p50 {loaded.p50_ms:.2f} ms, p99 "
                f"{loaded.p99_ms:.2f} ms at c={args.concurrency}; in-process p50 {timing.p50_ms:.3f} ms "
                f"p99 {timing.p99_ms:.3f} ms",
                flush=True,
            )
            for path, target in [] if args.ip_only else FIXED:
                r = httpx.get(srv.base + path, timeout=30)
                if r.status_code != 200:
                    rows.append([path, "SKIP", *["-"] * 8, f"answers {r.status_code}"])
                    continue
                t = in_process_fixed(path, db, srv.base)
                load = wrk(
                    srv.base + path, args.concurrency, args.duration, args.threads, args.warmup, None, srv.proc.pid
                )
                one = wrk(srv.base + path, 1, max(2, args.duration // 2), 1, args.warmup, None, srv.proc.pid)
                rows.append(
                    [
                        path[:70],
                        "OK" if load.p99_ms < target else "OVER",
                        fmt(load.rps, 0),
                        fmt(load.p50_ms),
                        fmt(load.p99_ms),
                        fmt(one.p50_ms),
                        fmt(one.p99_ms),
                        fmt(t.p50_ms, 3),
                        fmt(t.p99_ms, 3),
                        fmt(load.other_cpu),
                        f"p99 target {target:.0f} ms",
                    ]
                )
                print(f"{path}: {load.rps:,.0f} req/s, p99 {load.p99_ms:.2f} ms", flush=True)
    print()
    print(
        table(
            [
                "target",
                "verdict",
                f"c{args.concurrency} req/s",
                "p50 ms",
                "p99 ms",
                "c1 p50 ms",
                "c1 p99 ms",
                "in-proc p50 ms",
                "in-proc p99 ms",
                "others (cores)",
                "notes",
            ],
            rows,
        )
    )
    print(
        f"\nIP careers targets: in-process p50 < {IP_IN_PROCESS_MS:.0f} ms, p99 < {IP_P99_MS:.0f} ms at "
        f"c={args.concurrency}. others = CPU used by other processes during the run (2 cores: > 0.2 inflates p99)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
