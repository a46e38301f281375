"""Learn the search's feature weights (`services.search.WEIGHTS`) on the development set's tuning part.

    .venv/bin/python benchmarks/search_train.py --db PATH [--limit N] [--rounds R]

The tuning part's queries (benchmarks/data/search_devset.py, scored on an index without their titles) are
turned into feature vectors once; coordinate ascent then moves one weight at a time over a grid of steps,
keeping a move when it raises top-1 + 0.5 x top-5 (6-digit SOC) over the part. It prints the weights to paste
into services/search.py; the final part is never read here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import sources  # noqa: E402


def objective(data, weights: list[float]) -> tuple[float, float, float]:
    top1 = top5 = 0
    for family, vectors, labels in data:
        if not vectors:
            continue
        ranked = sorted(range(len(vectors)),
                        key=lambda i: (family[i], -sum(a * b for a, b in zip(weights, vectors[i]))))[:5]
        top1 += labels[ranked[0]]
        top5 += any(labels[i] for i in ranked)
    n = len(data)
    return (top1 + 0.5 * top5) / n, top1 / n, top5 / n


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True)
    p.add_argument("--limit", type=int)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()

    from data.search_devset import holdout_db, items as dev_items
    from onetlocal.context import Ctx
    from onetlocal.db import Database
    from onetlocal.services import search as engine

    release = Path(sources()["onet"])
    base = Path(args.db)
    held = holdout_db(base, base.with_name(f"{base.stem}.holdout-tune.sqlite"), release, "tune")
    ctx = Ctx(db=Database(held), base_url="http://localhost", path="/", params=[])
    index = engine._index(ctx)
    data = []
    for item in dev_items(release, "tune", args.limit):
        query = engine.parse_query(ctx, item.query)
        found, by_family = engine.features(ctx, query) if query else ({}, set())
        codes = list(found)
        data.append(([c in by_family for c in codes], [found[c] for c in codes],
                     [index.codes[c][:7] in item.labels for c in codes]))
    names = list(engine.FEATURES)
    weights = [engine.WEIGHTS[f] for f in names]
    best = objective(data, weights)
    print(f"start: {best[1]:.3f} / {best[2]:.3f}", flush=True)
    for _ in range(args.rounds):
        moved = False
        for i, name in enumerate(names):
            if name == "title":
                continue  # the scale
            for step in (-1.0, -0.5, -0.25, -0.1, 0.1, 0.25, 0.5, 1.0):
                trial = list(weights)
                trial[i] = round(trial[i] + step, 3)
                got = objective(data, trial)
                if got[0] > best[0] + 1e-9:
                    best, weights, moved = got, trial, True
            print(f"  {name:12} {weights[i]:+.2f}  top-1 {best[1]:.3f} top-5 {best[2]:.3f}", flush=True)
        if not moved:
            break
    print("WEIGHTS = {" + ", ".join(f'"{n}": {w:g}' for n, w in zip(names, weights)) + "}")


if __name__ == "__main__":
    main()
