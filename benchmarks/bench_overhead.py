"""What onetlocal's per-request layers cost (issue 20 item 8): each route's req/s under the HTTP server `onetlocal
serve` uses, side by side with a raw ASGI app under the same server (the floor: benchmarks/raw_app.py) and with
onetlocal at an earlier commit (`--base`, default the one before the single front layer), in one run.

    .venv/bin/python benchmarks/bench_overhead.py [--db PATH [--no-build]] [--base REV] [--server granian|uvicorn]
                                                  [--duration 5] [--repeat 2] [--concurrency 50]

Every server is one worker, onetlocal with an API key (`X-API-Key`; a bearer token for CareerOneStop; rate limit
off: the key check runs, the bucket does not); a route with any non-200 answer is marked "(errors!)".
`beyond floor` = 1/req/s - 1/floor req/s: microseconds a request costs beyond a bare ASGI answer under the same
server (routing, checks, the service, serialising). Then the same requests in-process (the ASGI app called
directly, no server), best of 5 rounds of CPU time per request: `in-proc` the whole request, `work` the route's
service on a Ctx and the JSON encoding alone, `layers` the difference (the per-request layers: host check, header
scans, request id, key lookup, rate limit, dispatch, parameters, the response). Runs are interleaved and the best
of `--repeat` kept; `others` is the CPU other processes used meanwhile (above ~0.2 cores the run is pessimistic).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    REPO,
    Load,
    common_args,
    create_key,
    ensure_wrk,
    fmt,
    free_port,
    machine,
    onetlocal_server,
    prepare_db,
    server,
    table,
    wrk,
)

#: The commit before the single front layer (http/front.py) and the route table's direct dispatch.
BASE = "5caf228"
COS_FLAGS = "wages=true&projectedEmployment=true&training=true&skills=true&knowledge=true&tasks=true"
ROUTES = [
    ("/about/", "/about/"),
    ("details/skills (cached)", "/online/occupations/15-1252.00/details/skills"),
    ("mnm/careers/{code}/", "/mnm/careers/15-1252.00/"),
    ("CareerOneStop (cached)", f"/v1/occupation/bench/15-1252.00/US?{COS_FLAGS}"),
    ("search (cached keyword)", "/online/search?keyword=nurse"),
    ("/database/rows (filtered)", "/database/rows/skills?filter=onetsoc_code.eq.15-1252.00&filter=scale_id.eq.IM"),
]


@contextmanager
def checkout(rev: str):
    """`rev` of this repository in a temporary git worktree (its `src/` is served with PYTHONPATH)."""
    with tempfile.TemporaryDirectory(prefix="onetlocal-base-") as tmp:
        path = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(path), rev], check=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)], check=False)


def raw_server(name: str):
    port = free_port()
    cmd = [sys.executable, str(REPO / "benchmarks" / "raw_app.py"), str(port), name]
    return server(f"raw ASGI [{name}]", cmd, port, env={"PYTHONPATH": str(REPO / "benchmarks")})


def in_process(db: Path, keys_db: Path, key: str, src: Path | None) -> dict[str, tuple[float, float]]:
    """CPU microseconds per request of the app called directly (no server), and of the route's service and JSON
    encoding alone, for each route; `src`: another checkout's package. In a subprocess."""
    script = f"""
import asyncio, json, sys, time
from pathlib import Path
from onetlocal.app import create_app
from onetlocal.config import Settings
app = create_app(Settings(db_path=Path({str(db)!r}), keys_db_path=Path({str(keys_db)!r}), rate_limit=None))
headers = [(b"host", b"127.0.0.1:8080"), (b"user-agent", b"wrk"), (b"x-api-key", {key!r}.encode()),
           (b"authorization", b"Bearer " + {key!r}.encode())]
async def receive():
    return {{"type": "http.request", "body": b"", "more_body": False}}
async def send(message):
    if message["type"] == "http.response.start" and message["status"] != 200:
        raise SystemExit(f"{{message['status']}} from the app in-process")
async def per_request(path_qs, n):
    path, _, qs = path_qs.partition("?")
    scope = {{"type": "http", "asgi": {{"version": "3.0"}}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": qs.encode(),
             "root_path": "", "headers": headers, "server": ("127.0.0.1", 8080), "client": ("127.0.0.1", 1)}}
    for _ in range(200):
        await app(dict(scope), receive, send)
    best = float("inf")
    for _ in range(5):
        started = time.thread_time()
        for _ in range(n):
            await app(dict(scope), receive, send)
        best = min(best, (time.thread_time() - started) / n * 1e6)
    return best
def per_call(path_qs, n):
    # the route's own work alone: its service on a Ctx, and the JSON encoding of the answer
    from urllib.parse import parse_qsl
    import orjson
    from starlette.routing import compile_path
    from onetlocal.context import Ctx
    from onetlocal.http.routes import APIS
    path, _, qs = path_qs.partition("?")
    query = parse_qsl(qs, keep_blank_values=True)
    for api in APIS:
        for endpoint in api.endpoints:
            found = compile_path(endpoint.path.rstrip("/") + "/")[0].match(path.rstrip("/") + "/")
            if found:
                arguments = endpoint.arguments(query, found.groupdict())
                def call():
                    ctx = Ctx(db=app.state.db, base_url="http://127.0.0.1:8080", path=path, params=query,
                              envelope=api.envelope)
                    orjson.dumps(endpoint.service(ctx, **arguments), option=orjson.OPT_NON_STR_KEYS)
                for _ in range(200):
                    call()
                best = float("inf")
                for _ in range(5):
                    started = time.thread_time()
                    for _ in range(n):
                        call()
                    best = min(best, (time.thread_time() - started) / n * 1e6)
                return best
    raise SystemExit(f"no route for {{path}}")
print(json.dumps({{label: (asyncio.run(per_request(path, 2000)), per_call(path, 2000)) for label, path in {ROUTES!r}}}))
"""
    env = {"PYTHONPATH": str(src)} if src else {}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env={**os.environ, **env}, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = common_args(__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=BASE, help=f"earlier commit to compare with (default {BASE}); '' for none")
    parser.add_argument("--server", choices=("granian", "uvicorn"), default="granian", help="HTTP server")
    parser.add_argument("--repeat", type=int, default=2, help="runs per cell, best kept (default 2)")
    parser.add_argument("--concurrency", type=int, default=50, help="wrk connections (default 50)")
    args = parser.parse_args()
    if not ensure_wrk():
        return 2
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="onetlocal-bench-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        db, _ = prepare_db(args, work) if args.db else (work / "onet.sqlite", None)
        if not db.exists():
            db, _ = prepare_db(args, work)
        keys_db = work / "keys.sqlite"
        key = create_key(db, keys_db)
        auth = {"X-API-Key": key}
        base_src = stack.enter_context(checkout(args.base)) / "src" if args.base else None
        servers = [(stack.enter_context(raw_server(args.server)), None)]
        servers.append((stack.enter_context(onetlocal_server(db, keys_db, workers=1, http_server=args.server)), auth))
        if base_src:
            base = onetlocal_server(db, keys_db, workers=1, src=base_src, http_server=args.server)
            servers.append((stack.enter_context(base), auth))
        names = ["floor", "onetlocal", *(["base"] if base_src else [])]
        results: dict[tuple[str, str], Load] = {}
        for label, path in ROUTES:
            for rep in range(args.repeat):
                for name, (srv, headers) in zip(names, servers, strict=True):
                    target = "/about/" if name == "floor" else path  # the floor answers every path alike
                    if headers and path.startswith("/v1/"):  # CareerOneStop: the key as a bearer token
                        headers = {"Authorization": f"Bearer {key}"}
                    load = wrk(
                        srv.base + target,
                        args.concurrency,
                        args.duration,
                        args.threads,
                        args.warmup,
                        headers,
                        srv.proc.pid,
                    )
                    best = results.get((name, label))
                    if best is None or load.rps > best.rps:
                        results[name, label] = load
                    print(
                        f"  {name:<10} {label:<28} #{rep + 1} {load.rps:9,.0f} req/s  p50 {load.p50_ms:6.2f} ms  "
                        f"p99 {load.p99_ms:6.2f} ms  errors {load.errors}",
                        flush=True,
                    )
        started = time.perf_counter()
        ours_us = in_process(db, keys_db, key, None)
        base_us = in_process(db, keys_db, key, base_src) if base_src else {}
        print(f"  (in-process timing: {time.perf_counter() - started:.0f} s)")

    floor = {label: results["floor", label] for label, _ in ROUTES}
    rows = []
    for label, _ in ROUTES:
        f, o = floor[label], results["onetlocal", label]
        shown = label if all(results[name, label].ok for name in names) else f"{label} (errors!)"
        total, work = ours_us[label]
        row = [shown, fmt(f.rps, 0), fmt(o.rps, 0), fmt(1e6 / o.rps - 1e6 / f.rps, 1), fmt(total, 1), fmt(work, 1)]
        row.append(fmt(total - work, 1))
        if base_src:
            b = results["base", label]
            base_total, base_work = base_us[label]
            row += [fmt(b.rps, 0), fmt(1e6 / b.rps - 1e6 / f.rps, 1), fmt(base_total, 1), fmt(base_work, 1)]
            row += [fmt(base_total - base_work, 1), f"{(total - work) / (base_total - base_work):.2f}x"]
        row.append(fmt(max(x.other_cpu or 0 for x in (f, o)), 2))
        rows.append(row)
    headers = ["route", "floor req/s", "req/s", "beyond floor us", "in-proc us", "work us", "layers us"]
    if base_src:
        headers += [f"{args.base} req/s", "beyond floor us", "in-proc us", "work us", "layers us", "layers now/base"]
    headers.append("others")
    print(f"\n{args.server}, one worker each, c={args.concurrency}, with an API key; floor = raw ASGI, same server:")
    print(table(headers, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
