"""Bulk occupation coding: free-text job titles -> O*NET-SOC codes with a calibrated confidence (issue 21).

One ranker: titles are ranked by `search.first_by_soc()`, the ranking behind `/online/search` (`search.ranked()`)
computed for many titles at once, so without an industry a title's first code is `/online/search`'s first code for
the same keyword. On top of the ranking:

- Candidates are the first `CANDIDATES` distinct 6-digit SOC occupations of the ranking (each by its best O*NET-SOC
  code): the confidence is about the SOC occupation, so two O*NET codes of one SOC are one answer. The answer is the
  first; its `MAX_ALTERNATIVES` alternatives are the next ones.
- Confidence: the probability that the answer is right at the 6-digit SOC level. Per rank (answer, first and second
  alternative) a logistic model on the candidate's score, its margin to the next candidate, its gap to the first and
  its softmax share among the candidates (`rank_features`), its linear score mapped to a probability by isotonic
  points, both in `coding_calibration.json`. They are
  fitted by benchmarks/coding_calibrate.py on the development set's tuning part only (benchmarks/data/
  search_devset.py); the coefficients of the score, the margin and the share are kept >= 0, so the confidence never
  falls when the score rises. The final part, never fitted on, reports the calibration error.
- Industry (NAICS, 2 to 6 digits): the OEWS national industry staffing patterns imported by `onetlocal build`
  (`oews_industry_wages`: employment of each occupation in each industry) shift each candidate's score by
  `beta * log(lift)`, lift = the occupation's share of the industry's employment (smoothed by `PSEUDO` workers at
  the national share) over its national share, clipped to +-`LIFT_CLIP`; the candidates are re-ranked and a second
  set of coefficients (fitted the same way, with industries) gives the confidence. The NAICS code is looked up at
  its most specific level OEWS publishes (6 digits padded as BLS writes them: "6221" -> 622100, "62" -> the sector
  62--63). A cell OEWS suppresses counts as the national share (neutral).
- A title the ranker cannot read (no known word) falls back to its description when one is given; else no code,
  confidence 0, flagged for review. A title that is an O*NET-SOC or SOC code is that code, confidence 1.
- `review`: confidence below `review_below` (default `REVIEW_BELOW`).

`Coder` codes identical inputs once (by title, industry and description as given, then by the parsed query);
`Coder.code_many` ranks a list of titles together (1.7x as many titles per second as one by one).
"""

from __future__ import annotations

import bisect
import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.services import common, search
from onetlocal.soc import published_code

#: Distinct 6-digit SOC occupations considered per title (softmax share, industry re-ranking).
CANDIDATES = 30
MAX_ALTERNATIVES = 2
REVIEW_BELOW = 0.5
#: Industry lift: pseudo-count of workers at the national share added to each industry, and the clip of log(lift).
PSEUDO, LIFT_CLIP = 200.0, 3.0
#: Most titles (or title + industry + description rows) remembered by one `Coder` (identical inputs coded once).
CACHE_ENTRIES = 200_000

_NAICS = re.compile(r"^\d{2,6}$")
_SECTOR = re.compile(r"^(\d{2})-{1,2}(\d{2,3})$")


class Choice(NamedTuple):
    code: str  # O*NET-SOC code
    title: str
    confidence: float


class Coded(NamedTuple):
    """The answer for one title: `choice` (None when nothing matched), the alternatives, the review flag. (Named
    tuples, like `Candidate`: a few are made per title, at a fraction of a frozen dataclass's cost.)"""

    choice: Choice | None
    alternatives: tuple[Choice, ...]
    review: bool

    def as_dict(self) -> dict:
        best = self.choice
        return {
            "code": best.code if best else None,
            "title": best.title if best else None,
            "confidence": best.confidence if best else 0.0,
            "alternatives": [{"code": c.code, "title": c.title, "confidence": c.confidence} for c in self.alternatives],
            "review": self.review,
        }


@functools.cache
def calibration() -> dict:
    """The shipped coefficients (benchmarks/coding_calibrate.py writes them)."""
    text = resources.files("onetlocal.services").joinpath("coding_calibration.json").read_text(encoding="utf-8")
    return json.loads(text)


# -- industry staffing patterns (OEWS) -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Staffing:
    national: dict[str, float]  # published SOC code -> share of national employment
    industries: dict[str, tuple[dict[str, int | None], float]]  # BLS industry -> (SOC -> employment, total)
    published: dict[str, str | None]  # 6-digit SOC of each O*NET occupation -> code OEWS publishes it under
    sectors: dict[str, str]  # 2-digit NAICS -> BLS sector code ("62" -> "62--63")


def _staffing(ctx: Ctx) -> _Staffing:
    def load() -> _Staffing:
        ctx.db.require("industry staffing patterns (OEWS)", "oews_industry_wages")
        by_industry: dict[str, dict[str, int | None]] = {}
        totals: dict[str, float] = {}
        for row in ctx.db.all("SELECT industry_code, soc_code, employment FROM oews_industry_wages"):
            ind, soc, emp = row["industry_code"], row["soc_code"], row["employment"]
            if soc == "00-0000":
                totals[ind] = float(emp or 0)
            elif not soc.endswith("0000") and not soc.endswith("000"):
                by_industry.setdefault(ind, {})[soc] = emp
        all_jobs = totals.get("000000") or 1.0
        national = {soc: (emp or 0) / all_jobs for soc, emp in by_industry.get("000000", {}).items()}
        socs = {code[:7] for code in common.occupations(ctx)}
        published = {soc: published_code(soc, national, socs) for soc in sorted(socs)}
        industries = {ind: (socs_, totals[ind]) for ind, socs_ in by_industry.items() if totals.get(ind)}
        sectors: dict[str, str] = {}
        for ind in industries:
            match = _SECTOR.match(ind)
            if match:
                for n in range(int(match.group(1)), int(match.group(2))):
                    sectors[str(n)] = ind
        return _Staffing(national, industries, published, sectors)

    return ctx.db.memo("coding.staffing", load)


def industry_code(ctx: Ctx, naics: str) -> str:
    """The BLS industry code of a NAICS code of 2 to 6 digits, at the most specific level OEWS publishes (422 when
    the value is no such code or OEWS publishes nothing for it)."""
    value = naics.strip()
    if not _NAICS.match(value):
        raise InvalidParameter(f"industry must be a NAICS code of 2 to 6 digits, not {naics[:40]!r}")
    staffing = _staffing(ctx)
    for n in range(len(value), 2, -1):
        padded = value[:n].ljust(6, "0")
        if padded in staffing.industries:
            return padded
    sector = staffing.sectors.get(value[:2])
    if sector is None:
        raise InvalidParameter(f"no OEWS staffing pattern for industry {value!r}")
    return sector


def lift(ctx: Ctx, industry: str, code: str) -> float:
    """log(the occupation's share of the industry's employment / its national share), smoothed and clipped
    (`industry`: a BLS code from `industry_code`)."""
    staffing = _staffing(ctx)
    soc = staffing.published.get(code[:7])
    national = staffing.national.get(soc or "", 0.0)
    if not national:
        return 0.0
    socs, total = staffing.industries[industry]
    if soc in socs and socs[soc] is None:  # suppressed by OEWS: employed there, number not published
        return 0.0
    employed = float(socs.get(soc or "") or 0)
    share = (employed + PSEUDO * national) / (total + PSEUDO)
    return max(-LIFT_CLIP, min(LIFT_CLIP, math.log(share / national)))


# -- ranking and confidence --------------------------------------------------------------------------------


class Candidate(NamedTuple):
    """A ranked occupation."""

    code: str
    score: float
    later: bool  # matched only through word families (listed after the others by /online/search)


#: A candidate as the ranker gives it, (code, score, later): read by position, as 30 are read per title.
Ranked = tuple[str, float, bool]


def candidates(ctx: Ctx, keyword: str) -> list[Candidate] | None:
    """The first CANDIDATES distinct 6-digit SOC occupations of `/online/search`'s ranking for `keyword`, each by its
    first O*NET-SOC code, with scores; None when `keyword` is a code (the answer is certain), [] when nothing
    matches."""
    if search._code_matches(ctx, keyword) is not None:
        return None
    query = search.parse_query(ctx, keyword)
    found = search.first_by_soc(ctx, [query], CANDIDATES)[0] if query is not None else []
    return list(map(Candidate._make, found))


def rerank(ctx: Ctx, found: Sequence[Ranked], industry: str | None, beta: float | None = None) -> list[Candidate]:
    """`found` with each score shifted by beta x lift in `industry` and re-sorted (family-only matches stay last;
    `beta`: the shipped one unless given)."""
    if industry is None or not found:
        return list(map(Candidate._make, found))
    beta = calibration()["industry"]["beta"] if beta is None else beta
    shifted = [Candidate(code, score + beta * lift(ctx, industry, code), later) for code, score, later in found]
    return sorted(shifted, key=lambda c: (c.later, -c.score))


def rank_features(found: Sequence[Ranked], rank: int) -> list[float]:
    """What the confidence of the candidate at `rank` (0-based) is computed from: its score, its margin over the
    next candidate, its gap to the first, its softmax share among the candidates."""
    scores = [c[1] for c in found]
    return _features(scores, _softmax(scores), rank)


def _softmax(scores: list[float]) -> tuple[list[float], float]:
    """exp(score - the best score) of each candidate, and their sum (computed once for the three ranks)."""
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    return weights, sum(weights)


def _features(scores: list[float], softmax: tuple[list[float], float], rank: int) -> list[float]:
    score = scores[rank]
    margin = score - scores[rank + 1] if rank + 1 < len(scores) else score
    weights, total = softmax
    return [score, margin, scores[0] - score, weights[rank] / total]


def _probability(model: dict, x: list[float]) -> float:
    """The model's linear score of `x`, mapped to a probability by its isotonic points (interpolated; the end
    values beyond them), or by the logistic curve when it has none."""
    z = model["intercept"] + sum(w * v for w, v in zip(model["coef"], x, strict=True))
    points = model.get("isotonic")
    if not points:
        return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0
    i = bisect.bisect_left(points, [z])
    if i == 0:
        return float(points[0][1])
    if i == len(points):
        return float(points[-1][1])
    (z0, p0), (z1, p1) = points[i - 1], points[i]
    return float(p0 + (p1 - p0) * (z - z0) / (z1 - z0)) if z1 > z0 else float(p1)


def confidences(found: Sequence[Ranked], with_industry: bool) -> list[float]:
    """The calibrated probability of each of the first 1 + MAX_ALTERNATIVES candidates being right (6-digit SOC)."""
    models = calibration()["industry" if with_industry else "plain"]["ranks"]
    scores = [c[1] for c in found]
    softmax = _softmax(scores) if scores else ([], 0.0)
    out: list[float] = []
    for r in range(min(len(found), len(models))):
        # The candidates exclude one another: an alternative never takes more than what the ones above it leave.
        x = _features(scores, softmax, r)
        out.append(round(min(_probability(models[r], x), max(0.0, 1.0 - sum(out))), 4))
    return out


class Coder:
    """Codes titles on one database; identical inputs are coded once (at most CACHE_ENTRIES remembered)."""

    def __init__(self, ctx: Ctx, review_below: float = REVIEW_BELOW, alternatives: int = MAX_ALTERNATIVES):
        if not 0.0 <= review_below <= 1.0:
            raise InvalidParameter("review_below must be between 0 and 1")
        if not 0 <= alternatives <= MAX_ALTERNATIVES:
            raise InvalidParameter(f"alternatives must be between 0 and {MAX_ALTERNATIVES}")
        self.ctx = ctx
        self.review_below = review_below
        self.alternatives = alternatives
        self.names = common.occupations(ctx)
        self._seen: dict[tuple[str, str | None, str], Coded] = {}
        self._queries: dict[tuple, Coded | None] = {}  # (parsed query, industry) -> its answer
        self.coded = 0  # titles actually ranked (the rest came from the cache)

    def _choice(self, code: str, confidence: float) -> Choice:
        return Choice(code, self.names[code]["title"], confidence)

    def _rank(self, items: list[tuple[str, str | None]]) -> list[Coded | None]:
        """Per (keyword, BLS industry): its answer, None when the keyword holds nothing the ranker reads. The
        queries not coded before are ranked together (`search.first_by_soc` ranks them in batches); keywords parsed
        to the same query are ranked once (at most CACHE_ENTRIES remembered): ~22% of the distinct development
        titles differ from another only in case, punctuation, word order or words the index does not hold."""
        out: list[Coded | None] = [None] * len(items)
        pending: dict[tuple, tuple[search.Query, list[int]]] = {}  # parsed query -> the items waiting for it
        for i, (keyword, industry) in enumerate(items):
            codes = search._code_matches(self.ctx, keyword)
            if codes is not None:
                out[i] = Coded(self._choice(codes[0], 1.0), (), 1.0 < self.review_below) if codes else None
                continue
            query = search.parse_query(self.ctx, keyword)
            if query is None:
                continue
            if (query.exact_key, industry) in self._queries:
                out[i] = self._queries[query.exact_key, industry]
            else:
                pending.setdefault(query.exact_key, (query, []))[1].append(i)
        ranked = search.first_by_soc(self.ctx, [query for query, _ in pending.values()], CANDIDATES)
        for (query, waiting), found in zip(pending.values(), ranked, strict=True):
            for i in waiting:
                key = (query.exact_key, items[i][1])
                coded = self._queries[key] if key in self._queries else self._answer(found, items[i][1])
                if len(self._queries) < CACHE_ENTRIES:
                    self._queries[key] = coded
                out[i] = coded
        return out

    def _answer(self, found: Sequence[Ranked], industry: str | None) -> Coded | None:
        if not found:
            return None
        if industry is not None:
            found = rerank(self.ctx, found, industry)
        probs = confidences(found, industry is not None)
        choices = [self._choice(c[0], p) for c, p in zip(found, probs, strict=False)]
        return Coded(choices[0], tuple(choices[1 : 1 + self.alternatives]), probs[0] < self.review_below)

    def forget(self) -> None:
        """Drop the remembered inputs (and the count)."""
        self._seen.clear()
        self._queries.clear()
        self.coded = 0

    def industry_known(self, naics: str) -> bool:
        """Whether `naics` is a NAICS code OEWS publishes a staffing pattern for (else `code` raises)."""
        try:
            industry_code(self.ctx, naics)
        except InvalidParameter:
            return False
        return True

    def code(self, title: str, industry: str | None = None, description: str | None = None) -> Coded:
        """One title (`industry`: NAICS 2-6 digits; 422 when malformed or unknown to OEWS)."""
        return self.code_many([(title, industry, description)])[0]

    def code_many(self, rows: Sequence[tuple[str, str | None, str | None]]) -> list[Coded]:
        """(title, industry, description) rows, coded in order; the titles are ranked together (1.7x as fast as one
        by one). Raises InvalidParameter (before coding anything) for an industry that is no
        NAICS code OEWS publishes. A title the ranker cannot read is coded from its description, when given."""
        keys = [(title, industry, description or "") for title, industry, description in rows]
        todo = [k for k in dict.fromkeys(keys) if k not in self._seen]
        bls = {naics: industry_code(self.ctx, naics) for naics in {k[1] for k in todo if k[1]}}
        found = self._rank([(title or "", bls.get(naics or "")) for title, naics, _ in todo])
        retry = [i for i, coded in enumerate(found) if coded is None and todo[i][2]]
        for i, coded in zip(retry, self._rank([(todo[i][2], bls.get(todo[i][1] or "")) for i in retry]), strict=True):
            found[i] = coded
        fresh = {k: coded or Coded(None, (), True) for k, coded in zip(todo, found, strict=True)}
        self.coded += len(fresh)
        for k, coded in fresh.items():
            if len(self._seen) >= CACHE_ENTRIES:
                break
            self._seen[k] = coded
        return [fresh[k] if k in fresh else self._seen[k] for k in keys]
