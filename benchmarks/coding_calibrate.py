"""Fit bulk coding's industry weight and confidence models on development titles, and write them to
src/onetlocal/services/coding_calibration.json (what `services.coding` ships).

    .venv/bin/python benchmarks/coding_calibrate.py --db PATH [--part calib+tune|calib|tune] [--check calib|tune]
                                                    [--limit N] [--dry-run]

Fitted on `--part`: by default the tuning part and the calib part (_coding_dev.py: buckets nothing else reads), each
scored on an index built without its own titles; `--check` scores the fitted models on a part they were not fitted on
(never final: the final part is bench_coding.py's, for reporting only).
1. beta (industry): each title gets an industry drawn from its true occupation's staffing pattern (_coding_dev.py);
   beta is the value of `BETAS` with the best top-1 accuracy (6-digit SOC) after re-ranking.
2. Confidence, per rank (answer, alternatives 1 and 2) and per mode (plain, with industry): a logistic regression
   of "this candidate's 6-digit SOC is a label" on `coding.rank_features` (score, margin to the next, gap to the
   first, softmax share), the coefficients of score, margin and share kept >= 0; then an isotonic map of its
   linear score to the probability (the logistic curve alone was off by 0.06 in-sample at rank 1: its shape is
   wrong, the order it gives is right). Both are monotone, so the confidence never falls as the score rises.

History (issue 21): the first models were fitted on tune alone (as planned); on final their answer ECE was 0.036.
Checked without final: fitted on tune, ECE 0.022 on calib; fitted on calib, 0.027 on tune: the parts differ by 1-3
points of accuracy at equal scores (different title groups), the size of the error. Fitting on both parts (twice the
title groups) is what ships; the ranker's features (title match, exact title) as extra inputs did not help (0.027).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _coding_dev import dev_part, ece, fit_logistic, isotonic  # noqa: E402

PARTS = ("calib", "tune", "calib+tune")  # never "final"
BETAS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.25, 1.5)
#: rank_features columns whose coefficient stays >= 0: score, margin, share.
NONNEG = {0, 1, 3}
TARGET = Path(__file__).resolve().parents[1] / "src" / "onetlocal" / "services" / "coding_calibration.json"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", required=True, help="a built database (held-out copies are made beside it)")
    p.add_argument("--part", choices=PARTS, default="calib+tune", help="the part(s) fitted on")
    p.add_argument("--check", choices=PARTS[:2], help="a part to score the fitted models on (not written)")
    p.add_argument("--limit", type=int)
    p.add_argument("--dry-run", action="store_true", help="print, do not write the JSON")
    args = p.parse_args()

    from onetlocal.services import coding

    started = time.perf_counter()
    rows = []
    for part in args.part.split("+"):
        titles, ctx = dev_part(Path(args.db), part, args.limit)  # each part on its own held-out index
        for t in titles:
            found = coding.candidates(ctx, t.query)
            industry = coding.industry_code(ctx, t.naics) if t.naics else None
            rows.append((t, found or [], industry))
    print(f"{len(rows)} {args.part} titles ranked in {time.perf_counter() - started:.1f} s", flush=True)

    with_industry = [(t, found, ind) for t, found, ind in rows if ind]
    best_beta, best_acc = 0.0, -1.0
    for beta in BETAS:
        hits = sum(
            bool(found) and coding.rerank(ctx, found, ind, beta)[0].code[:7] in t.labels
            for t, found, ind in with_industry
        )
        acc = hits / len(with_industry)
        print(f"  beta {beta:<5} top-1 {acc:.4f} ({len(with_industry)} titles with an industry)", flush=True)
        if acc > best_acc + 1e-9:
            best_beta, best_acc = beta, acc

    def models(mode_rows, beta: float | None) -> list[dict]:
        fitted = []
        for rank in range(1 + coding.MAX_ALTERNATIVES):
            xs, ys = [], []
            for t, found, ind in mode_rows:
                ranked = coding.rerank(ctx, found, ind, beta) if beta is not None else found
                if len(ranked) > rank:
                    xs.append(coding.rank_features(ranked, rank))
                    ys.append(int(ranked[rank].code[:7] in t.labels))
            model = fit_logistic(xs, ys, NONNEG)
            zs = [model["intercept"] + sum(a * b for a, b in zip(model["coef"], x, strict=True)) for x in xs]
            model["isotonic"] = isotonic(zs, ys)
            probs = [coding._probability(model, x) for x in xs]
            print(
                f"  rank {rank + 1}: n {len(xs)}, accuracy {sum(ys) / len(ys):.3f}, in-sample ECE "
                f"{ece(probs, [bool(y) for y in ys]):.4f}, {model}",
                flush=True,
            )
            fitted.append(model)
        return fitted

    print("plain:")
    plain = models(rows, None)
    print(f"industry (beta {best_beta}):")
    industry = models(with_industry, best_beta)
    result = {
        "about": f"Fitted by benchmarks/coding_calibrate.py on the development set's {args.part} part "
        f"({len(rows)} titles, {len(with_industry)} with an industry drawn from the true occupation's staffing "
        "pattern); features per rank: score, margin to the next candidate, gap to the first, softmax share.",
        "features": ["score", "margin", "gap", "share"],
        "plain": {"ranks": plain},
        "industry": {"beta": best_beta, "ranks": industry},
    }
    if args.check:
        check(Path(args.db), args.check, args.limit, result)
    text = json.dumps(result, indent=1) + "\n"
    if args.dry_run:
        print(text)
    else:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET}")


def check(db: Path, part: str, limit: int | None, result: dict) -> None:
    """The fitted models' ECE on another part (answer only, plain and with industry)."""
    from onetlocal.services import coding

    titles, ctx = dev_part(db, part, limit)
    for mode in ("plain", "industry"):
        conf, right = [], []
        for t in titles:
            if mode == "industry" and not t.naics:
                continue
            found = coding.candidates(ctx, t.query) or []
            if mode == "industry":
                found = coding.rerank(ctx, found, coding.industry_code(ctx, t.naics), result["industry"]["beta"])
            conf.append(coding._probability(result[mode]["ranks"][0], coding.rank_features(found, 0)) if found else 0)
            right.append(bool(found) and found[0].code[:7] in t.labels)
        print(f"check on {part} ({mode}, {len(conf)} titles): accuracy {sum(right) / len(right):.3f}, "
              f"ECE {ece(conf, right):.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
