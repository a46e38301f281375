"""CareerOneStop Get Occupation Details over HTTP (wrk, bearer token, every flag on) and in-process (uncached
builds), against `onetlocal serve` on 127.0.0.1 with authentication on.

    .venv/bin/python benchmarks/bench_careeronestop.py [--db PATH [--no-build]] [--duration 5] [--concurrency 50]

Targets: p99 < 20 ms at --concurrency connections. "rotating" cycles every O*NET code over three locations (a
ZIP, a city, a state), so the run starts cold (each first request builds the body) and ends mostly warm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    _LUA,
    HOST,
    Load,
    common_args,
    create_key,
    ensure_wrk,
    fmt,
    machine,
    onetlocal_server,
    prepare_db,
    table,
    wrk,
)

TARGET_P99_MS = 20.0


def query() -> str:
    from onetlocal.services.careeronestop import FLAGS

    return "&".join(f"{flag}=true" for flag in FLAGS)


def path(keyword: str, location: str) -> str:
    return f"/v1/occupation/bench/{quote(keyword, safe='')}/{quote(location, safe='')}?{query()}"


FIXED = [("29-1141.00", "US"), ("15-1252.00", "60601"), ("Registered Nurses", "Las Vegas, NV")]


def rotating_wrk(base: str, paths: list[str], token: str, connections: int, duration: int, threads: int) -> Load:
    """wrk cycling through `paths` (a lua request() over the list), with the shared done() summary."""
    listing = ",\n".join(f'"{p}"' for p in paths)
    script = f"""
local paths = {{{listing}}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
{_LUA}"""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-cos-") as fh:
        fh.write(script)
        fh.flush()
        cmd = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            "--timeout",
            "5s",
            "-H",
            f"Authorization: Bearer {token}",
            f"-d{duration}s",
            "-s",
            fh.name,
            base + "/",
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{out}")
    r = orjson.loads(line[len("WRKJSON ") :])
    return Load(
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50_ms=r["p50_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        requests=r["requests"],
        errors=r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"],
    )


def cold_builds(db_path: Path, n: int) -> tuple[float, float, int]:
    """(p50 ms, p99 ms, count) of uncached in-process builds with every flag on, for `n` occupations at a ZIP."""
    from onetlocal.context import Ctx
    from onetlocal.db import Database
    from onetlocal.services import common
    from onetlocal.services.careeronestop import FLAGS, build_detail, resolve

    ctx = Ctx(db=Database(db_path))
    occupations = common.occupations(ctx)
    codes = sorted(occupations)[:n]
    on = frozenset(FLAGS)
    place = resolve.location(ctx, "60601")
    build_detail(ctx, occupations[codes[0]], place, on)  # warm the per-database memos
    times = []
    for code in codes:
        start = time.perf_counter()
        orjson.dumps(build_detail(ctx, occupations[code], place, on))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))], len(times)


def main() -> int:
    parser = common_args(__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=50, help="wrk connections (default 50)")
    parser.add_argument("--cold", type=int, default=300, help="uncached in-process builds to time (default 300)")
    args = parser.parse_args()
    if not ensure_wrk():
        return 2
    print(f"machine: {machine()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="onetlocal-bench-") as tmp:
        db_path, _ = prepare_db(args, Path(tmp))
        keys_db = Path(tmp) / "keys.sqlite"
        token = create_key(db_path, keys_db)
        headers = {"Authorization": f"Bearer {token}"}
        with onetlocal_server(db_path, auth_keys_db=keys_db, loop=args.loop, workers=args.workers) as srv:
            for keyword, location in FIXED:
                p = path(keyword, location)
                r = httpx.get(srv.base + p, headers=headers, timeout=30)
                if r.status_code != 200:
                    print(f"FAIL {p}: {r.status_code} {r.text[:200]}")
                    return 1
                loaded = wrk(
                    srv.base + p, args.concurrency, args.duration, args.threads, args.warmup, headers, srv.proc.pid
                )
                single = wrk(srv.base + p, 1, max(2, args.duration // 2), 1, args.warmup, headers, srv.proc.pid)
                rows.append(
                    [
                        f"{keyword} @ {location}",
                        "OK" if loaded.p99_ms < TARGET_P99_MS else "OVER",
                        fmt(loaded.rps, 0),
                        fmt(loaded.p50_ms),
                        fmt(loaded.p99_ms),
                        fmt(single.p50_ms),
                        f"{len(r.content) / 1024:.0f} KiB",
                        f"{loaded.errors} errors; others {fmt(loaded.other_cpu)} cores",
                    ]
                )
                print(rows[-1], flush=True)
            from onetlocal.context import Ctx
            from onetlocal.db import Database
            from onetlocal.services import common

            codes = sorted(common.occupations(Ctx(db=Database(db_path))))
            paths = [path(c, loc) for c in codes for loc in ("60601", "Las Vegas, NV", "TX")]
            rotating = rotating_wrk(srv.base, paths, token, args.concurrency, args.duration, args.threads)
            rows.append(
                [
                    f"rotating {len(paths)} URLs (cold start)",
                    "OK" if rotating.p99_ms < TARGET_P99_MS else "OVER",
                    fmt(rotating.rps, 0),
                    fmt(rotating.p50_ms),
                    fmt(rotating.p99_ms),
                    "-",
                    "-",
                    f"{rotating.errors} errors",
                ]
            )
            print(rows[-1], flush=True)
        p50, p99, n = cold_builds(db_path, args.cold)
    print()
    print(
        table(
            [
                "target (all flags on)",
                f"p99<{TARGET_P99_MS:.0f}ms",
                f"c{args.concurrency} req/s",
                "p50 ms",
                "p99 ms",
                "c1 p50 ms",
                "body",
                "notes",
            ],
            rows,
        )
    )
    print(f"\nuncached build + orjson, in-process, {n} occupations at ZIP 60601: p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    return 0


if __name__ == "__main__":
    assert HOST == "127.0.0.1"
    sys.exit(main())
