"""Keyword search quality: top-1 / top-5 accuracy of `/online/search` at the 6-digit SOC level (the first 7
characters of the code match), side by side with the floor, a plain BM25 over O*NET occupation titles only.

    .venv/bin/python benchmarks/search_quality.py [URL] [--key KEY] [--db PATH] [--list TSV] [--misses]

Without URL the real app runs in-process on `--db` (built there first if missing; default: a fresh build
in a temp folder). With URL (e.g. http://127.0.0.1:8080) the running server is asked, with `--key` as
X-API-Key; the floor then needs `--db` too (else it is skipped). The list is `title <TAB> expected code
[<TAB> origin]`, `#` comments allowed; figures are also given per origin.
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

from _common import table, timed_build  # noqa: E402

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

    from onetlocal.config import Settings
    from onetlocal.http.app import create_app

    app = create_app(Settings(db_path=db, keys_db_path=db.with_suffix(".keys.sqlite"), auth=False,
                              rate_limit=None))
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


def floor_searcher(db: Path) -> Callable[[str], list[str]]:
    """Plain BM25 (FTS5, porter tokenizer) over the O*NET titles, any query word (OR)."""
    mem = sqlite3.connect(":memory:")
    mem.execute("CREATE VIRTUAL TABLE t USING fts5(code UNINDEXED, title, tokenize='porter unicode61')")
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    mem.executemany("INSERT INTO t VALUES (?, ?)", src.execute("SELECT onetsoc_code, title FROM occupation_data"))
    src.close()

    def run(title: str) -> list[str]:
        words = re.findall(r"\w+", title.lower())
        if not words:
            return []
        query = " OR ".join(f'"{w}"' for w in words)
        return [r[0] for r in mem.execute("SELECT code FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 5", (query,))]

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


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("url", nargs="?", help="base URL of a running server (default: the app in-process)")
    p.add_argument("--key", help="X-API-Key for URL")
    p.add_argument("--db", help="database (built there first if missing); default: a fresh temp build")
    p.add_argument("--list", default=str(DEFAULT_LIST), help=f"pairs to score (default {DEFAULT_LIST.name})")
    p.add_argument("--misses", action="store_true", help="print the top-1 misses of /online/search")
    args = p.parse_args()

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


if __name__ == "__main__":
    main()
