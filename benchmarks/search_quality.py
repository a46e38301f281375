"""Keyword search quality: top-1 / top-5 accuracy of `/online/search` at the 6-digit SOC level (the first 7
characters of the code match), side by side with the floor, a plain BM25 over O*NET occupation titles only.

    .venv/bin/python benchmarks/search_quality.py [URL] [--key KEY] [--db PATH] [--list TSV] [--misses]
                                                  [--dev tune|final|none] [--limit N] [--show N]

Without URL the real app runs in-process on `--db` (built there first if missing; default: a fresh build
in a temp folder). With URL (e.g. http://127.0.0.1:8080) the running server is asked, with `--key` as
X-API-Key; the floor then needs `--db` too (else it is skipped). The list is `title <TAB> expected code
[<TAB> origin]`, `#` comments allowed; figures are also given per origin. The 470-title list is a smoke test
(it was written alongside earlier tuning).

In-process, the development set follows (`--dev`, default the tuning part): held-out O*NET alternate, short
and reported titles asked in five kinds (benchmarks/data/search_devset.py), each part scored on an index built
without its titles (a small database beside `--db`), by source and by kind, with the floor (plain BM25 over the
remaining titles) and the uncached p50 / p99 of `search_codes()`. First, how much of what the variant rules wrote
the search's lexicon holds (abbreviations, qualifier words): the rules never read it, this measures the overlap.
`--show N` prints misses of the tuning part only: the final and pattern parts are for reporting figures.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import sources, table, timed_build  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_LIST = HERE / "data" / "search_dev.tsv"


def read_list(path: Path) -> list[tuple[str, str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        pairs.append((cells[0].strip(), cells[1].strip(), cells[2].strip() if len(cells) > 2 else "-"))
    return pairs


def app_searcher(db: Path) -> Callable[[str], list[str]]:
    """The real app in-process (auth off), through Starlette's test client."""
    from starlette.testclient import TestClient

    from onetlocal.app import create_app
    from onetlocal.config import Settings

    app = create_app(Settings(db_path=db, keys_db_path=db.with_suffix(".keys.sqlite"), auth=False, rate_limit=None))
    client = TestClient(app)

    def run(title: str) -> list[str]:
        response = client.get("/online/search", params={"keyword": title, "end": 5})
        return [o["code"] for o in response.json().get("occupation", [])] if response.status_code == 200 else []

    return run


def url_searcher(base: str, key: str | None) -> Callable[[str], list[str]]:
    import httpx

    client = httpx.Client(base_url=base.rstrip("/"), headers={"X-API-Key": key} if key else {}, timeout=30)

    def run(title: str) -> list[str]:
        response = client.get("/online/search", params={"keyword": title, "end": 5})
        return [o["code"] for o in response.json().get("occupation", [])] if response.status_code == 200 else []

    return run


def floor_searcher(db: Path, alternates: bool = False) -> Callable[[str], list[str]]:
    """Plain BM25 (FTS5, porter tokenizer) over the O*NET titles (with `alternates`, also every alternate,
    short and reported title of the database: one row per title), any query word (OR)."""
    mem = sqlite3.connect(":memory:")
    mem.execute("CREATE VIRTUAL TABLE t USING fts5(code UNINDEXED, title, tokenize='porter unicode61')")
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    mem.executemany("INSERT INTO t VALUES (?, ?)", src.execute("SELECT onetsoc_code, title FROM occupation_data"))
    if alternates:
        for sql in (
            "SELECT onetsoc_code, alternate_title FROM alternate_titles",
            "SELECT onetsoc_code, short_title FROM alternate_titles WHERE short_title NOT IN ('', 'n/a')",
            "SELECT onetsoc_code, reported_job_title FROM sample_of_reported_titles",
        ):
            mem.executemany("INSERT INTO t VALUES (?, ?)", src.execute(sql))
    src.close()

    def run(title: str) -> list[str]:
        words = re.findall(r"\w+", title.lower())
        if not words:
            return []
        query = " OR ".join(f'"{w}"' for w in words)
        found: list[str] = []
        for (code,) in mem.execute("SELECT code FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 50", (query,)):
            if code not in found:
                found.append(code)
        return found[:5]

    return run


def score(pairs, run: Callable[[str], list[str]]) -> tuple[dict, list]:
    """{origin: [n, top1, top5]} (origin 'all' included) and the misses at top-1."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for title, expected, origin in pairs:
        found = [c[:7] for c in run(title)]
        want = expected[:7]
        for key in ("all", origin):
            counts[key][0] += 1
            counts[key][1] += bool(found) and found[0] == want
            counts[key][2] += want in found[:5]
        if not found or found[0] != want:
            misses.append((title, expected, found[:3]))
    return counts, misses


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


# -- development set (leave-out over O*NET's own titles; benchmarks/data/search_devset.py) ---------------


def codes_searcher(db: Path) -> Callable[[str], list[str]]:
    """`search_codes()` in-process on `db` (no HTTP, no result cache: each query ranked afresh)."""
    from onetlocal.context import Ctx
    from onetlocal.db import Database
    from onetlocal.services import search as engine

    class Unremembered(Database):
        BOUNDED_BYTES = 0  # nothing per query is kept: every ranking and correction is made afresh

    ctx = Ctx(db=Unremembered(db), base_url="http://localhost", path="/", params=[])

    def run(title: str) -> list[str]:
        return engine.search_codes(ctx, title)

    return run


def dev_scores(items, run: Callable[[str], list[str]]) -> tuple[dict, list, list[float]]:
    """{(axis, value): [n, top1, top5]} by source, kind and 'all'; top-1 misses; per-query milliseconds (wall
    clock, and CPU time: on a shared machine the wall clock also counts waiting for a core)."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    misses, times, cpu = [], [], []
    for item in items:
        started, used = time.perf_counter(), time.process_time()
        found = run(item.query)
        times.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - used))
        socs = [c[:7] for c in found[:5]]
        top1 = bool(socs) and socs[0] in item.labels
        top5 = any(s in item.labels for s in socs)
        for key in (("all", "all"), ("source", item.source), ("kind", item.kind)):
            counts[key][0] += 1
            counts[key][1] += top1
            counts[key][2] += top5
        if not top1:
            misses.append((item, socs[:3]))
    return counts, misses, (times, cpu)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def lexicon_overlap(items) -> list[str]:
    """Lines saying how much of what the variant rules wrote the search's lexicon holds: abbreviations that are
    keys of `ABBREVIATIONS`, qualifier words that are `MODIFIERS` (or stopwords). Read here only, to measure."""
    from onetlocal.search_terms import ABBREVIATIONS, MODIFIERS, STOPWORDS, fold, stem

    def word_known(word: str) -> bool:
        return word in STOPWORDS or stem(word) in MODIFIERS or word in ABBREVIATIONS

    lines = []
    forms = [tuple(f.lower().rstrip(".") for f in item.added) for item in items if item.kind == "abbreviated"]
    distinct = {f for fs in forms for f in fs}
    known = {f for f in distinct if f in ABBREVIATIONS}
    if forms:
        lines.append(
            f"abbreviations written: {len(distinct)} distinct, {len(known)} of them in the search's "
            f"lexicon ({pct(len(known), len(distinct))}); queries with one: "
            f"{pct(sum(any(f in ABBREVIATIONS for f in fs) for fs in forms), len(forms))} of {len(forms)}"
        )
    added = [re.findall(r"[a-z0-9]+", fold(" ".join(item.added))) for item in items if item.kind == "qualified"]
    words = {w for ws in added for w in ws}
    if added:
        lines.append(
            f"qualifier words written: {len(words)} distinct, {sum(map(word_known, words))} of them "
            f"modifiers, stopwords or abbreviations of the search "
            f"({pct(sum(map(word_known, words)), len(words))}); queries whose every qualifier word is: "
            f"{pct(sum(all(map(word_known, ws)) for ws in added), len(added))} of {len(added)}"
        )
    return lines


def run_dev(base: Path, part: str, limit: int | None, show_misses: int) -> None:
    from data.search_devset import holdout_db, subset

    if show_misses and part != "tune":
        sys.exit(f"--show prints queries and answers: tuning part only (the {part} part is for reporting)")
    release = Path(sources()["onet"])
    queries, held_groups = subset(release, part, limit)
    held = holdout_db(base, base.with_name(f"{base.stem}.holdout-{part}.sqlite"), release, part, held_groups)
    for line in lexicon_overlap(queries):
        print(line)
    runs = {"search_codes": codes_searcher(held), "floor: BM25 on titles": floor_searcher(held, alternates=True)}
    results = {}
    for name, run in runs.items():
        started = time.perf_counter()
        results[name] = dev_scores(queries, run)
        print(f"{name}: {len(queries)} queries in {time.perf_counter() - started:.1f} s", flush=True)
    keys = [("all", "all"), *sorted(k for k in results["search_codes"][0] if k[0] != "all")]
    rows = []
    for key in keys:
        row = [f"{key[0]}: {key[1]}" if key[0] != "all" else "all", results["search_codes"][0][key][0]]
        for name in runs:
            n, top1, top5 = results[name][0][key]
            row += [pct(top1, n), pct(top5, n)]
        rows.append(row)
    headers = ["dev part " + part, "n"]
    for name in runs:
        headers += [f"{name} top-1", "top-5"]
    print()
    print(table(headers, rows))
    times, cpu = results["search_codes"][2]
    print(
        f"\nsearch_codes uncached (the first query loads the index): wall p50 {percentile(times, 0.5):.2f} ms, "
        f"p99 {percentile(times, 0.99):.2f} ms; CPU p50 {percentile(cpu, 0.5):.2f} ms, "
        f"p99 {percentile(cpu, 0.99):.2f} ms"
    )
    if show_misses:
        print("\ntop-1 misses (query, kind, labels, first three found):")
        for item, found in results["search_codes"][1][:show_misses]:
            print(f"  {item.query!r:45} {item.kind:11} {sorted(item.labels)} {found}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("url", nargs="?", help="base URL of a running server (default: the app in-process)")
    p.add_argument("--key", help="X-API-Key for URL")
    p.add_argument("--db", help="database (built there first if missing); default: a fresh temp build")
    p.add_argument("--list", default=str(DEFAULT_LIST), help=f"pairs to score (default {DEFAULT_LIST.name})")
    p.add_argument("--misses", action="store_true", help="print the top-1 misses of /online/search")
    p.add_argument(
        "--dev",
        choices=("tune", "final", "pattern", "none"),
        help="development-set part to score (default: tune in-process, none with URL; final and "
        "pattern when reporting)",
    )
    p.add_argument("--limit", type=int, help="--dev: first N held-out titles only")
    p.add_argument("--show", type=int, default=0, help="--dev tune: print the first N top-1 misses")
    args = p.parse_args()
    dev = args.dev or ("none" if args.url else "tune")
    if args.show and dev != "tune":
        p.error(f"--show prints queries and answers: tuning part only (the {dev} part is for reporting)")

    pairs = read_list(Path(args.list))
    db: Path | None = Path(args.db) if args.db else None
    if db is not None and not db.exists() or db is None and not args.url:
        db = db or Path(tempfile.mkdtemp(prefix="search-quality-")) / "onet.sqlite"
        print(f"building {db} ...", flush=True)
        timed_build(db)

    runs = {"/online/search": url_searcher(args.url, args.key) if args.url else app_searcher(db)}
    if db is not None:
        runs["floor: BM25 on titles"] = floor_searcher(db)
    results = {}
    for name, run in runs.items():
        started = time.perf_counter()
        results[name] = score(pairs, run)
        print(f"{name}: {len(pairs)} queries in {time.perf_counter() - started:.2f} s", flush=True)

    origins = ["all", *sorted({o for _, _, o in pairs})]
    rows = []
    for origin in origins:
        row = [origin, results["/online/search"][0][origin][0]]
        for name in runs:
            n, top1, top5 = results[name][0][origin]
            row += [pct(top1, n), pct(top5, n)]
        rows.append(row)
    headers = ["list", "n"]
    for name in runs:
        headers += [f"{name} top-1", "top-5"]
    print()
    print(table(headers, rows))
    if args.misses:
        print("\ntop-1 misses of /online/search (title, expected, first three found):")
        for title, expected, found in results["/online/search"][1]:
            print(f"  {title!r:40} {expected:11} {found}")
    if dev != "none":
        if db is None:
            sys.exit("--dev needs --db (the held-out databases are built beside it)")
        print()
        run_dev(db, dev, args.limit, args.show)


if __name__ == "__main__":
    main()
