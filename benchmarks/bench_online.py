"""O*NET OnLine search and occupation report sections: over HTTP (wrk) and in-process (the service function
called directly with a Ctx, result orjson-encoded), side by side, so the cost of the HTTP layer is visible.

    .venv/bin/python benchmarks/bench_online.py [--db PATH [--no-build]] [--duration 5] [--concurrency 50]
                                                [--calls 500] [--only search|report]

Each target is probed first; a route that answers 404 (not written yet) or anything but 200, or whose service
cannot be imported / resolved from the route table, is listed as SKIP with the reason. Targets: p99 (HTTP, at
--concurrency connections) < 10 ms for report sections, < 20 ms for search.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    Load,
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


@dataclass(frozen=True)
class Target:
    kind: str  # "search" | "report"
    path: str  # path and query as a client writes it (unencoded)
    p99_target_ms: float

    @property
    def url_path(self) -> str:
        path, _, query = self.path.partition("?")
        return path + ("?" + quote(query, safe="=&/.") if query else "")


CODE = "15-1252.00"
KEYWORDS = ["registered nurse", "software developer", "electrician", "accountant", "teacher"]
TARGETS = [
    *(Target("search", f"/online/search?keyword={k}", 20.0) for k in KEYWORDS),
    Target("report", f"/online/occupations/{CODE}/details/skills", 10.0),
    Target("report", f"/online/occupations/{CODE}/details/tasks", 10.0),
    Target("report", f"/online/occupations/{CODE}/summary/technology_skills", 10.0),
    Target("report", f"/mnm/careers/{CODE}/job_outlook", 10.0),
    Target("report", f"/mpp/careers/{CODE}/", 10.0),
    Target("report", f"/veterans/careers/{CODE}/check_out_my_state?location=NV", 10.0),
]


def resolve(path: str):
    """(endpoint, path_params) for `path` from the app's own route table, or (None, reason)."""
    try:
        from starlette.routing import Match, Route

        from onetlocal.http.routes import ENDPOINTS
    except Exception as exc:  # a family module being written may not import yet
        return None, f"route table not importable: {type(exc).__name__}: {exc}"
    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    for endpoint in ENDPOINTS:
        bare = endpoint.path.rstrip("/") or "/"
        for candidate in {bare, bare + "/"}:
            match, child = Route(candidate, lambda r: None).matches(scope)
            if match == Match.FULL:
                return endpoint, child["path_params"]
    return None, "no endpoint in the route table"


def in_process(target: Target, db, base: str):
    """A timer for the service call + orjson encoding, and the body it returns; or (None, reason)."""
    from onetlocal.context import Ctx

    split = urlsplit(target.path)
    endpoint, params = resolve(split.path)
    if endpoint is None:
        return None, params
    service = endpoint.service
    query = parse_qsl(split.query, keep_blank_values=True)

    def call() -> bytes:
        ctx = Ctx(db=db, base_url=base, path=split.path, params=query)
        return orjson.dumps(service(ctx, **endpoint.arguments(query, params)), option=orjson.OPT_NON_STR_KEYS)

    try:
        body = call()
    except Exception as exc:
        return None, f"service raised {type(exc).__name__}: {exc}"
    return call, (f"{service.__module__}.{service.__name__}", body)


def cold_keywords(db, n: int) -> list[str]:
    """`n` distinct keywords (single words and word pairs) from occupation titles, for uncached searches."""
    import re

    words: dict[str, None] = {}
    for row in db.all("SELECT title FROM occupation_data ORDER BY onetsoc_code"):
        tokens = [t for t in re.findall(r"[a-z]+", row["title"].lower()) if len(t) > 3]
        for i, token in enumerate(tokens):
            words.setdefault(token)
            if i + 1 < len(tokens):
                words.setdefault(f"{token} {tokens[i + 1]}")
    keys = list(words)
    return keys[:: max(1, len(keys) // n)][:n]


def cold_search(db, base: str, n: int):
    """In-process search with `n` distinct keywords, each called once (the service's keyword cache never hits)."""
    import time
    from statistics import quantiles

    from onetlocal.context import Ctx

    endpoint, params = resolve("/online/search")
    if endpoint is None:
        return None, params

    def run(keyword: str) -> bytes:
        query = [("keyword", keyword)]
        ctx = Ctx(db=db, base_url=base, path="/online/search", params=query)
        return orjson.dumps(endpoint.service(ctx, **endpoint.arguments(query, params)))

    try:
        run("warm up the vocabulary")
    except Exception as exc:
        return None, f"service raised {type(exc).__name__}: {exc}"
    samples = []
    for kw in cold_keywords(db, n):
        t0 = time.perf_counter()
        run(kw)
        samples.append((time.perf_counter() - t0) * 1000)
    cuts = quantiles(samples, n=100, method="inclusive")
    return Timing(len(samples), sum(samples) / len(samples), cuts[49], cuts[98]), f"{len(samples)} distinct keywords"


def main() -> int:
    parser = common_args(__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=50, help="wrk connections (default 50)")
    parser.add_argument("--calls", type=int, default=500, help="in-process calls per target (default 500, <= 5 s)")
    parser.add_argument("--only", choices=("search", "report"), help="run one kind of target")
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="PATH",
        help="also benchmark this path?query (repeatable; p99 target 20 ms)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="SRC",
        help="another checkout's src/ folder: serve it too, on the same database, and run wrk "
        "against both for each target, interleaved (e.g. `git worktree add /tmp/base REV`)",
    )
    parser.add_argument(
        "--server",
        choices=("granian", "uvicorn"),
        help="HTTP server for this checkout (default: serve's own); use uvicorn to compare with a "
        "--baseline older than the granian option",
    )
    args = parser.parse_args()
    if not ensure_wrk():
        return 2
    from onetlocal.db import Database

    targets = [t for t in TARGETS if not args.only or t.kind == args.only]
    targets += [Target("extra", path, 20.0) for path in args.extra]
    print(f"machine: {machine()}")
    print(f"targets ({len(targets)}):")
    print(table(["kind", "path", "p99 target ms"], [[t.kind, t.path, fmt(t.p99_target_ms, 0)] for t in targets]))

    results: list[tuple[Target, str, Load | None, Load | None, Timing | None, str]] = []
    baselines: dict[str, Load | None] = {}
    with tempfile.TemporaryDirectory(prefix="onetlocal-bench-") as tmp:
        db_path, build_s = prepare_db(args, Path(tmp))
        if build_s is not None:
            print(build_report(build_s), flush=True)
        db = Database(db_path)
        print(
            f"\nwrk: -t{args.threads}, {args.duration} s per run after {args.warmup} s warm-up; "
            f"in-process: up to {args.calls} calls (5 s) per target\n"
        )
        baseline = (
            onetlocal_server(db_path, loop=args.loop, workers=args.workers, src=args.baseline.resolve())
            if args.baseline
            else contextlib.nullcontext()
        )
        with (
            onetlocal_server(db_path, loop=args.loop, workers=args.workers, http_server=args.server) as srv,
            baseline as base_srv,
        ):
            for t in targets:
                url = srv.base + t.url_path
                try:
                    r = httpx.get(url, timeout=30)
                except httpx.HTTPError as exc:
                    results.append((t, "SKIP", None, None, None, f"request failed: {exc}"))
                    continue
                if r.status_code != 200:
                    why = "route not there yet (404)" if r.status_code == 404 else f"answers {r.status_code}"
                    detail = r.text[:120].replace("\n", " ")
                    results.append((t, "SKIP", None, None, None, f"{why}: {detail}"))
                    print(f"SKIP {t.path}: {why}", flush=True)
                    continue
                call, info = in_process(t, db, srv.base)
                if call is None:
                    results.append((t, "SKIP", None, None, None, info))
                    print(f"SKIP {t.path}: {info}", flush=True)
                    continue
                service_name, body = info
                same = orjson.loads(body) == r.json()
                timing = time_calls(call, n=args.calls)
                loaded = wrk(url, args.concurrency, args.duration, args.threads, args.warmup, None, srv.proc.pid)
                if base_srv is not None:
                    base_url = base_srv.base + t.url_path
                    ok = httpx.get(base_url, timeout=30).status_code == 200
                    baselines[t.path] = (
                        wrk(
                            base_url,
                            args.concurrency,
                            args.duration,
                            args.threads,
                            args.warmup,
                            None,
                            base_srv.proc.pid,
                        )
                        if ok
                        else None
                    )
                single = wrk(url, 1, max(2, args.duration // 2), 1, args.warmup, None, srv.proc.pid)
                note = service_name + ("" if same else "; HTTP and in-process bodies DIFFER")
                if not loaded.ok:
                    note += f"; {loaded.errors} wrk errors"
                results.append((t, "ok", loaded, single, timing, note))
                print(
                    f"{t.path}: {loaded.rps:,.0f} req/s, p99 {loaded.p99_ms:.2f} ms at c={args.concurrency}; "
                    f"in-process p50 {timing.p50_ms:.3f} ms (others {fmt(loaded.other_cpu)} cores)",
                    flush=True,
                )

            if any(t.kind == "search" for t in targets):
                cold, info = cold_search(db, srv.base, args.calls)
                results.append(
                    (
                        Target("search", "/online/search (cold: uncached keywords, in-process only)", 20.0),
                        "cold" if cold else "SKIP",
                        None,
                        None,
                        cold,
                        info,
                    )
                )

    rows = []
    for t, status, loaded, single, timing, note in results:
        if status == "cold":
            verdict = "OK" if timing.p99_ms < t.p99_target_ms else "OVER"
            rows.append(
                [
                    t.kind,
                    t.path,
                    verdict,
                    "-",
                    "-",
                    "-",
                    "-",
                    "-",
                    fmt(timing.p50_ms, 3),
                    fmt(timing.p99_ms, 3),
                    fmt(timing.per_second, 0),
                    "-",
                    note,
                ]
            )
            continue
        if status != "ok":
            rows.append([t.kind, t.path, "SKIP", *["-"] * 9, note])
            continue
        http_ms = 1000 / loaded.rps  # server time per request under load
        verdict = "OK" if loaded.p99_ms < t.p99_target_ms else "OVER"
        rows.append(
            [
                t.kind,
                t.path,
                verdict,
                fmt(loaded.rps, 0),
                fmt(loaded.p50_ms),
                fmt(loaded.p99_ms),
                fmt(single.p50_ms),
                fmt(single.p99_ms),
                fmt(timing.p50_ms, 3),
                fmt(timing.p99_ms, 3),
                fmt(timing.per_second, 0),
                f"{http_ms / timing.mean_ms:.1f}x",
                note,
            ]
        )
    print()
    print(
        table(
            [
                "kind",
                "target",
                "p99<target",
                f"c{args.concurrency} req/s",
                "p50 ms",
                "p99 ms",
                "c1 p50 ms",
                "c1 p99 ms",
                "in-proc p50 ms",
                "in-proc p99 ms",
                "in-proc calls/s",
                "HTTP/in-proc",
                "notes",
            ],
            rows,
        )
    )
    if baselines:
        rows = [
            [
                t.path,
                fmt(loaded.rps, 0),
                fmt(loaded.p99_ms),
                *(
                    (fmt(b.rps, 0), fmt(b.p99_ms), f"{loaded.rps / b.rps:.2f}")
                    if (b := baselines.get(t.path))
                    else ("-", "-", "-")
                ),
            ]
            for t, status, loaded, _, _, _ in results
            if status == "ok"
        ]
        print(f"\nagainst the baseline {args.baseline} (same database, interleaved per target, c={args.concurrency}):")
        print(table(["target", "req/s", "p99 ms", "baseline req/s", "baseline p99 ms", "req/s ratio"], rows))
    print(
        "\nHTTP/in-proc = server time per request under load (1 / req/s) over the mean in-process call "
        "(service + orjson); c1 = one connection (no queueing)."
    )
    noisiest = max([r[2].other_cpu or 0 for r in results if r[2] is not None] + [0])
    if noisiest > 0.2:
        print(
            f"note: other processes used up to {noisiest:.2f} cores during a run (2-core machine): "
            "those figures, p99 above all, are pessimistic"
        )
    skipped = sum(1 for r in results if r[1] == "SKIP")
    if skipped:
        print(f"{skipped} of {len(results)} targets skipped (see notes); run again once those routes exist.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as exc:  # e.g. the server does not start while a family is half-written
        traceback.print_exc()
        print(f"\nERROR: {exc}")
        sys.exit(1)
