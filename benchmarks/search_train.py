"""Learn the search's feature weights (`services.search.WEIGHTS`) on the development set's tuning part.

    .venv/bin/python benchmarks/search_train.py --db PATH [--limit N] [--rounds R]

The tuning part's queries (benchmarks/data/search_devset.py, scored on an index without their titles) are
turned into feature vectors once; coordinate ascent then moves one weight at a time over a grid of steps,
keeping a move when it raises top-1 + 0.5 x top-5 (6-digit SOC) over the part. It prints the weights to paste
into services/search.py; only the tuning part is ever read here (`PART`), never the final or pattern parts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import sources  # noqa: E402

#: The one development-set part training reads.
PART = "tune"
#: Candidates kept per query (best first by the starting weights): the others cannot reach the top 5.
KEEP = 40


def objective(data, n: int, scores: list[list[float]], column: int = 0, step: float = 0.0):
    """(top-1 + 0.5 x top-5, top-1, top-5) over the part when feature `column`'s weight moves by `step`
    (scores: each query's candidate scores under the current weights)."""
    top1 = top5 = 0.0
    for (vectors, labels, _offsets, weight), base in zip(data, scores, strict=True):
        moved = [s + step * v[column] for s, v in zip(base, vectors, strict=True)] if step else base
        ranked = sorted(range(len(moved)), key=moved.__getitem__, reverse=True)[:5]
        top1 += weight * labels[ranked[0]]
        top5 += weight * any(labels[i] for i in ranked)
    return (top1 + 0.5 * top5) / n, top1 / n, top5 / n


def rescore(data, weights: list[float]) -> list[list[float]]:
    return [
        [off + sum(a * b for a, b in zip(weights, v, strict=True)) for v, off in zip(vectors, offsets, strict=True)]
        for vectors, _labels, offsets, _weight in data
    ]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True)
    p.add_argument("--limit", type=int)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument(
        "--employment",
        type=float,
        default=0.0,
        help="weigh each query by its occupation's employment to this power (0: every title alike)",
    )
    args = p.parse_args()

    from data.search_devset import holdout_db, subset
    from onetlocal.context import Ctx
    from onetlocal.db import Database
    from onetlocal.services import search as engine

    release = Path(sources()["onet"])
    base = Path(args.db)
    queries, held_groups = subset(release, PART, args.limit)
    held = holdout_db(base, base.with_name(f"{base.stem}.holdout-{PART}.sqlite"), release, PART, held_groups)
    ctx = Ctx(db=Database(held), base_url="http://localhost", path="/", params=[])
    index = engine._index(ctx)
    names = list(engine.FEATURES)
    weights = [engine.WEIGHTS[f] for f in names]
    employment: dict[str, float] = {}
    for row in ctx.db.all("SELECT code, employment FROM search_prior WHERE employment IS NOT NULL"):
        employment[row["code"][:7]] = float(row["employment"])

    def weigh(item) -> float:
        """1, or with --employment the labels' national employment ^ EXPONENT (job ads and coding-index
        entries are about workers, not titles: a title of a large occupation is asked more often)."""
        if not args.employment:
            return 1.0
        return max(employment.get(soc, 1000.0) for soc in item.labels) ** args.employment

    data = []
    for item in queries:
        query = engine.parse_query(ctx, item.query)
        found, later = engine.features(ctx, query) if query else ({}, set())
        codes = sorted(found, key=lambda c: (c in later, -sum(a * b for a, b in zip(weights, found[c], strict=True))))[
            :KEEP
        ]
        labels = [index.codes[c][:7] in item.labels for c in codes]
        if any(labels):  # a query without its answer among the candidates scores 0 whatever the weights
            # Occupations matched only through word families are listed after the others (`_rank`).
            data.append(([found[c] for c in codes], labels, [-1e6 * (c in later) for c in codes], weigh(item)))
    n = sum(weigh(item) for item in queries)
    print(f"{n} queries, {len(data)} with the answer among the candidates", flush=True)
    scores = rescore(data, weights)
    best = objective(data, n, scores)
    print(f"start: {best[1]:.3f} / {best[2]:.3f}", flush=True)
    for _ in range(args.rounds):
        moved = False
        for i, name in enumerate(names):
            if name == "title":
                continue  # the scale
            chosen = 0.0
            for step in (-1.0, -0.5, -0.25, -0.1, 0.1, 0.25, 0.5, 1.0):
                got = objective(data, n, scores, i, step)
                if got[0] > best[0] + 1e-9:
                    best, chosen = got, step
            if chosen:
                weights[i] = round(weights[i] + chosen, 3)
                scores = rescore(data, weights)
                moved = True
            print(f"  {name:12} {weights[i]:+.2f}  top-1 {best[1]:.3f} top-5 {best[2]:.3f}", flush=True)
        if not moved:
            break
    print("WEIGHTS = {" + ", ".join(f'"{n}": {w:g}' for n, w in zip(names, weights, strict=True)) + "}")


if __name__ == "__main__":
    main()
