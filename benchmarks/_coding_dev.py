"""Shared by coding_calibrate.py and bench_coding.py: the development set's parts for bulk coding, the industries
drawn for its titles, a small logistic regression, and the calibration figures.

Parts: those of benchmarks/data/search_devset.py (tune, final, pattern), and `calib`: the groups of buckets 12-15,
in no part of the search's development set, so never read by the search's design nor by its weight training
(search_train.py fits on tune). Confidence is fitted on calib: on tune the ranker's scores are right more often than
on titles it was not trained on (its weights were fitted there), so a calibration fitted on tune is over-confident
elsewhere. The final part stays for reporting only.

Industries for development titles: each title's industry is drawn from its true occupation's staffing pattern (OEWS
national industry employment, 4-digit NAICS industries, with probability proportional to the occupation's
employment there; deterministic per title). That is what a record of a worker in that occupation would carry: the
industry gain measured this way is an estimate for data whose industry is right, not for a random industry.
"""

from __future__ import annotations

import hashlib
import math
import random
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import sources  # noqa: E402


@dataclass(frozen=True)
class DevTitle:
    query: str
    labels: frozenset[str]  # 6-digit SOC codes
    kind: str
    naics: str | None  # drawn from the true occupation's staffing pattern


#: The calibration part's buckets (see the module docstring).
CALIB = range(12, 16)


def _calib_subset(release: Path, limit: int | None):
    """The calib part's queries (every kind, as search_devset.subset makes them) and its groups."""
    from data.search_devset import _bucket, first_groups, labelled_titles, queries, title_stats

    groups, official = labelled_titles(release)
    chosen = first_groups({k: v for k, v in groups.items() if _bucket(k) in CALIB and k not in official}, limit)
    return queries(chosen, title_stats(release)), {key for key, _rows in chosen}


def dev_part(base: Path, part: str, limit: int | None = None):
    """(titles, ctx on the part's held-out database): the part's queries scored on an index built without them
    (benchmarks/data/search_devset.py), with the OEWS industry table copied in beside the search tables."""
    from data.search_devset import holdout_db, subset
    from onetlocal.context import Ctx
    from onetlocal.db import Database

    release = Path(sources()["onet"])
    items, held_groups = _calib_subset(release, limit) if part == "calib" else subset(release, part, limit)
    held = holdout_db(base, base.with_name(f"{base.stem}.holdout-{part}.sqlite"), release, part, held_groups)
    conn = sqlite3.connect(held)
    try:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        conn.execute("ATTACH DATABASE ? AS base", (f"file:{base}?mode=ro",))
        for table in ("oews_industry_wages", "oews_industries"):
            if table not in present:
                conn.execute(f"CREATE TABLE main.{table} AS SELECT * FROM base.{table}")
        conn.commit()
    finally:
        conn.close()
    ctx = Ctx(db=Database(held), base_url="http://localhost", path="/", params=[])
    patterns = _patterns(ctx)
    titles = [DevTitle(i.query, i.labels, i.kind, _draw(patterns, i.query, i.labels)) for i in items]
    return titles, ctx


def _patterns(ctx) -> dict[str, list[tuple[str, int]]]:
    """published SOC code -> [(4-digit NAICS, employment)] over the 4-digit industries OEWS publishes."""
    level4 = {
        r["industry_code"] for r in ctx.db.all("SELECT industry_code FROM oews_industries WHERE display_level = 4")
    }
    found: dict[str, list[tuple[str, int]]] = {}
    for row in ctx.db.all("SELECT industry_code, soc_code, employment FROM oews_industry_wages WHERE employment > 0"):
        code = row["industry_code"]
        if code in level4 and code.isdigit() and code.endswith("00"):
            found.setdefault(row["soc_code"], []).append((code[:4], row["employment"]))
    return {soc: sorted(v) for soc, v in found.items()}


def _draw(patterns: dict, query: str, labels: frozenset[str]) -> str | None:
    from onetlocal.soc import broad_code

    rng = random.Random(hashlib.sha1(f"industry|{query}".encode()).hexdigest())
    soc = rng.choice(sorted(labels))
    pattern = patterns.get(soc) or patterns.get(broad_code(soc))
    if not pattern:
        return None
    naics, weights = zip(*pattern, strict=True)
    return rng.choices(naics, weights=weights)[0]


# -- logistic regression (Newton steps, small ridge; a few features, no numpy) ----------------------------------


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[col][col]:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def _newton(xs: list[list[float]], ys: list[int], active: list[int], ridge: float) -> list[float]:
    k = len(active) + 1
    w = [0.0] * k
    for _ in range(50):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for x, y in zip(xs, ys, strict=True):
            row = [1.0] + [x[i] for i in active]
            z = sum(a * b for a, b in zip(w, row, strict=True))
            p = 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(k):
                grad[i] += (y - p) * row[i]
                for j in range(k):
                    hess[i][j] += p * (1 - p) * row[i] * row[j]
        for i in range(1, k):
            grad[i] -= ridge * w[i]
            hess[i][i] += ridge
        step = _solve(hess, grad)
        w = [a + b for a, b in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def fit_logistic(xs: list[list[float]], ys: list[int], nonneg: set[int], ridge: float = 1e-3) -> dict:
    """{"intercept", "coef"}; coefficients of the features in `nonneg` are kept >= 0 (a feature whose fitted
    weight is negative is dropped and the rest refitted), so the probability never falls as those rise."""
    active = list(range(len(xs[0])))
    while True:
        w = _newton(xs, ys, active, ridge * len(xs))
        negative = [f for f, c in zip(active, w[1:], strict=True) if f in nonneg and c < 0]
        if not negative:
            break
        active.remove(negative[0])
    coef = [0.0] * len(xs[0])
    for f, c in zip(active, w[1:], strict=True):
        coef[f] = round(c, 6)
    return {"intercept": round(w[0], 6), "coef": coef}


def isotonic(zs: list[float], ys: list[int], per_bin: int = 100) -> list[list[float]]:
    """[[z, probability]] points of a non-decreasing map z -> probability: the samples sorted by z, grouped in
    bins of `per_bin`, then pool-adjacent-violators over the bins (weighted by their size); one point per block at
    its mean z (the coder interpolates between points and holds the end values beyond them)."""
    order = sorted(range(len(zs)), key=zs.__getitem__)
    blocks: list[list[float]] = []  # [sum z, sum y, n]
    for start in range(0, len(order), per_bin):
        chunk = order[start : start + per_bin]
        blocks.append([sum(zs[i] for i in chunk), float(sum(ys[i] for i in chunk)), float(len(chunk))])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1] = [a + b for a, b in zip(blocks[-1], last, strict=True)]
    return [[round(z / n, 6), round(y / n, 6)] for z, y, n in blocks]


# -- calibration figures ----------------------------------------------------------------------------------------


def reliability(conf: list[float], correct: list[bool], bins: int = 10) -> list[tuple[str, int, float, float]]:
    """[(bin, n, mean confidence, accuracy)] over equal-width confidence bins."""
    rows = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(conf) if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if idx:
            rows.append(
                (
                    f"{lo:.1f}-{hi:.1f}",
                    len(idx),
                    sum(conf[i] for i in idx) / len(idx),
                    sum(correct[i] for i in idx) / len(idx),
                )
            )
    return rows


def ece(conf: list[float], correct: list[bool], bins: int = 10) -> float:
    """Expected calibration error: sum over bins of |accuracy - mean confidence| x the bin's share of titles."""
    n = len(conf)
    return sum(k * abs(acc - mean) for _b, k, mean, acc in reliability(conf, correct, bins)) / n if n else 0.0


def coverage_curve(
    conf: list[float], correct: list[bool], thresholds=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
):
    """[(threshold, share of titles at or above it, their accuracy)]."""
    rows = []
    for t in thresholds:
        idx = [i for i, c in enumerate(conf) if c >= t]
        rows.append((t, len(idx) / len(conf) if conf else 0.0, sum(correct[i] for i in idx) / len(idx) if idx else 0.0))
    return rows
