"""Bulk occupation coding (issue 21): calibration, industry gain, speed, and the same titles side by side with
sockit and the official one-request-per-title flow.

    .venv/bin/python benchmarks/bench_coding.py --db PATH [--part final] [--limit N] [--workers 2]
                                                [--no-http] [--no-sockit] [--no-flow]

Every figure is on the development set (benchmarks/data/search_devset.py) scored on an index built without its
titles; `--part final` (default) is the part nothing was fitted on (coding_calibrate.py reads the tuning part only).

1. Calibration: the reliability table (10 confidence bins: titles, mean confidence, accuracy), the expected
   calibration error (ECE) of the answer and of each alternative, and the coverage/accuracy curve (for each
   threshold: the share of titles whose confidence is at or above it, and their accuracy). 6-digit SOC.
2. Industry: the same titles with an industry drawn from their true occupation's staffing pattern (_coding_dev.py):
   top-1 accuracy without and with it, and the ECE with it.
3. Speed, on development titles without repeats (the distinct queries of the tune, final and pattern parts):
   `onetlocal code`'s in-process path (`coding.run.code_file`, CSV in and out, `--workers` processes), titles per
   second end to end and after the one-time index load; then `POST /onetlocal/code` (batches of 1,000, one client)
   against `onetlocal serve` (one worker, a key, --rate-limit off) on 127.0.0.1.
4. Side by side, on the part's titles: onetlocal's coder; sockit (PyPI, `pip install sockit`; its own title lists
   include O*NET's alternate titles, so the held-out titles are not held out from it: its accuracy is optimistic);
   the official batch-coder flow (one `GET /online/search?keyword=...&end=1` per title against this server).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _coding_dev import coverage_curve, dev_part, ece, reliability  # noqa: E402
from _common import create_key, machine, onetlocal_server, table  # noqa: E402


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def calibration(titles, ctx) -> None:
    from onetlocal.services import coding

    coder = coding.Coder(ctx)
    ranks: list[tuple[list[float], list[bool]]] = [([], []) for _ in range(1 + coding.MAX_ALTERNATIVES)]
    for t in titles:
        coded = coder.code(t.query)
        choices = [coded.choice, *coded.alternatives] if coded.choice else []
        for r in range(len(ranks)):
            conf = choices[r].confidence if r < len(choices) else 0.0
            ranks[r][0].append(conf)
            ranks[r][1].append(r < len(choices) and choices[r].code[:7] in t.labels)
    conf, correct = ranks[0]
    print(f"\n## Calibration ({len(titles)} titles; answer top-1 accuracy {pct(sum(correct) / len(correct))})\n")
    rows = [(b, n, f"{mean:.3f}", f"{acc:.3f}", f"{acc - mean:+.3f}") for b, n, mean, acc in reliability(conf, correct)]
    print(table(["confidence", "titles", "mean confidence", "accuracy", "gap"], rows))
    print(
        f"\nECE (10 bins): answer {ece(conf, correct):.4f}; "
        + "; ".join(f"alternative {r} {ece(*ranks[r]):.4f}" for r in range(1, len(ranks)))
    )
    print("\ncoverage / accuracy (titles whose confidence >= threshold):\n")
    curve = coverage_curve(conf, correct)
    print(table(["threshold", "share of titles", "accuracy"], [(f"{t:.1f}", pct(s), pct(a)) for t, s, a in curve]))


def industry_gain(titles, ctx) -> None:
    from onetlocal.services import coding

    coder = coding.Coder(ctx)
    with_industry = [t for t in titles if t.naics]
    plain = [coder.code(t.query) for t in with_industry]
    shifted = [coder.code(t.query, t.naics) for t in with_industry]

    def acc(answers) -> float:
        return sum(
            bool(a.choice) and a.choice.code[:7] in t.labels for a, t in zip(answers, with_industry, strict=True)
        ) / len(with_industry)

    conf = [a.choice.confidence if a.choice else 0.0 for a in shifted]
    correct = [bool(a.choice) and a.choice.code[:7] in t.labels for a, t in zip(shifted, with_industry, strict=True)]
    print(
        f"\n## Industry ({len(with_industry)} titles with an industry drawn from the true occupation's staffing "
        f"pattern, 4-digit NAICS)\n\ntop-1 without the industry {pct(acc(plain))}, with it {pct(acc(shifted))} "
        f"(+{100 * (acc(shifted) - acc(plain)):.1f} points); ECE with it {ece(conf, correct):.4f}"
    )
    curve = coverage_curve(conf, correct)
    print(table(["threshold", "share of titles", "accuracy"], [(f"{t:.1f}", pct(s), pct(a)) for t, s, a in curve]))


def speed_in_process(queries: list[str], db: Path, workers: int, workdir: Path) -> None:
    from onetlocal.coding.run import code_file

    source = workdir / "speed.csv"
    with open(source, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["title"])
        writer.writerows([q] for q in queries)
    rows = []
    for n in sorted({1, workers}, reverse=True):
        summary = code_file(source, workdir / "speed.coded.csv", db, workers=n)
        steady = summary.rows / (summary.seconds - summary.load_seconds)
        rows.append((n, summary.rows, f"{summary.seconds:.2f}", f"{summary.load_seconds:.2f}",
                     f"{summary.rows / summary.seconds:,.0f}", f"{steady:,.0f}"))  # fmt: skip
    print(f"\n## Speed: `onetlocal code` in-process, CSV in and out ({len(queries)} distinct development titles)\n")
    print(
        table(["workers", "titles", "seconds", "of which index load", "titles/s end to end", "titles/s coding"], rows)
    )


#: The tables the search index is read from (services/search.py): swapped into a copy of the full database.
SEARCH_TABLES = ("search_title", "search_doc", "search_term", "search_family", "search_prior")


def serveable(base: Path, held: Path, workdir: Path) -> Path:
    """A copy of the full database whose search tables are the held-out ones: `onetlocal serve` warms every route
    family at start (the held-out database holds only the search's sources), and the search still never sees
    the part's titles."""
    target = workdir / "serve.sqlite"
    shutil.copyfile(base, target)
    conn = sqlite3.connect(target)
    conn.execute("ATTACH DATABASE ? AS held", (f"file:{held}?mode=ro",))
    for name in SEARCH_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS main.{name}")
        conn.execute(f"CREATE TABLE main.{name} AS SELECT * FROM held.{name}")
    conn.commit()
    conn.close()
    return target


def speed_http(queries: list[str], db: Path, workdir: Path) -> None:
    keys = workdir / "keys.sqlite"
    key = create_key(db, keys)
    with onetlocal_server(db, auth_keys_db=keys) as srv, httpx.Client(base_url=srv.base, timeout=120) as client:
        headers = {"X-API-Key": key}
        client.post("/onetlocal/code", json=["warm up"], headers=headers).raise_for_status()
        started = time.perf_counter()
        for i in range(0, len(queries), 1000):
            client.post("/onetlocal/code", json=queries[i : i + 1000], headers=headers).raise_for_status()
        seconds = time.perf_counter() - started
    print("\n## Speed: POST /onetlocal/code, batches of 1,000, one client, one server worker on 127.0.0.1\n")
    print(f"{len(queries)} distinct titles in {seconds:.2f} s: {len(queries) / seconds:,.0f} titles/s")


def side_by_side(titles, ctx, db: Path, workdir: Path, use_sockit: bool, use_flow: bool) -> None:
    from onetlocal.services import coding

    rows = []
    coder = coding.Coder(ctx)
    coder.code("warm up")  # the index is loaded once per process: not part of the rate
    coder.forget()
    started = time.perf_counter()
    answers = coder.code_many([(t.query, None, None) for t in titles])  # ranked together, as `onetlocal code` does
    seconds = time.perf_counter() - started
    hits = sum(bool(a.choice) and a.choice.code[:7] in t.labels for t, a in zip(titles, answers, strict=True))
    rows.append(("onetlocal coder (in-process, 1 core)", pct(hits / len(titles)), f"{len(titles) / seconds:,.0f}"))
    if use_sockit:
        try:
            from sockit.title import clean, search, sort
        except ImportError as exc:
            rows.append(("sockit", f"not installed ({exc})", "-"))
        else:
            search(clean("warm up"))  # sockit loads its tries at the first search
            started = time.perf_counter()
            found = [sort(search(clean(t.query))) for t in titles]
            seconds = time.perf_counter() - started
            right = [
                bool(f) and f"{f[0]['soc'][:2]}-{f[0]['soc'][2:]}" in t.labels
                for f, t in zip(found, titles, strict=True)
            ]
            conf = [f[0]["prob"] if f else 0.0 for f in found]
            rows.append(
                (
                    f"sockit {_version('sockit')} (its ECE with its own probability: {ece(conf, right):.3f})",
                    pct(sum(right) / len(titles)),
                    f"{len(titles) / seconds:,.0f}",
                )
            )
    if use_flow:
        keys = workdir / "flow-keys.sqlite"
        key = create_key(db, keys)
        with onetlocal_server(db, auth_keys_db=keys) as srv, httpx.Client(base_url=srv.base, timeout=60) as client:
            headers = {"X-API-Key": key}
            client.get("/online/search", params={"keyword": "warm up"}, headers=headers)
            started = time.perf_counter()
            hits = 0
            for t in titles:
                body = client.get("/online/search", params={"keyword": t.query, "end": 1}, headers=headers).json()
                found = body.get("occupation") or []
                hits += bool(found) and found[0]["code"][:7] in t.labels
            seconds = time.perf_counter() - started
        rows.append(
            ("official batch-coder flow (GET /online/search per title)", pct(hits / len(titles)),
             f"{len(titles) / seconds:,.0f}")
        )  # fmt: skip
    print(f"\n## Side by side ({len(titles)} titles of the part, top-1 at 6-digit SOC)\n")
    print(table(["coder", "top-1 accuracy", "titles/s"], rows))


def _version(name: str) -> str:
    from importlib.metadata import version

    try:
        return version(name)
    except Exception:
        return "?"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True, help="a built database (held-out copies are made beside it)")
    p.add_argument("--part", default="final", choices=("final", "pattern", "tune"))
    p.add_argument("--limit", type=int)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--no-http", action="store_true")
    p.add_argument("--no-sockit", action="store_true")
    p.add_argument("--no-flow", action="store_true")
    args = p.parse_args()
    print(f"machine: {machine()}")
    base = Path(args.db)
    titles, ctx = dev_part(base, args.part, args.limit)
    held = Path(ctx.db.path)
    calibration(titles, ctx)
    industry_gain(titles, ctx)
    queries = list(dict.fromkeys(t.query for part in ("tune", "final", "pattern") for t in dev_part(base, part)[0]))
    with tempfile.TemporaryDirectory(prefix="bench-coding-") as tmp:
        workdir = Path(tmp)
        speed_in_process(queries, held, args.workers, workdir)
        served = serveable(base, held, workdir) if not (args.no_http and args.no_flow) else held
        if not args.no_http:
            speed_http(queries, served, workdir)
        side_by_side(titles, ctx, served, workdir, not args.no_sockit, not args.no_flow)
    print(f"\nmachine after: {machine()} (pid {os.getpid()})")


if __name__ == "__main__":
    main()
