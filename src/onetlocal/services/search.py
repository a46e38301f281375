"""Keyword search over occupations (`/online/search`), and `search_codes()` for every other keyword search.

A keyword that is an O*NET-SOC code (`15-1252.00`) or a 6-digit SOC code (`15-1252`, i.e. 15-1252.00 and its
`.xx` children) returns those occupations. Otherwise the keyword is normalised exactly as the index was
(`build.search_index.terms`: folding, abbreviation expansion, light stemming; words no occupation uses are
ignored), and occupations are ranked by:

- title match (`search_title`): the best of the occupation's titles (O*NET title, alternate, short and
  reported titles) holding every query word, worth more the fewer extra words it has and by kind of title,
  with a bonus for the exact title (same words, same order); when no title holds every word, titles holding
  most of the query's IDF weight count for less;
- aggregation: how many of the occupation's titles hold every query word;
- bm25 over the occupation document (`search_doc_fts`, weighted columns title > alternate > description >
  tasks > technology).

The matching set (`total`) is the occupations whose document holds every query word (all words in any
column); when none does, those holding any of them. Ties by title.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass

from onetlocal.build.search_index import KINDS, terms
from onetlocal.context import Ctx
from onetlocal.services import common

_FULL_CODE = re.compile(r"^\s*(\d{2}-\d{4})\.(\d{2})\s*$")
_SOC_CODE = re.compile(r"^\s*(\d{2}-\d{4})\s*$")

#: bm25 column weights: code (unindexed), title, alternate, description, tasks, technology.
DOC_WEIGHTS = (0.0, 10.0, 6.0, 2.0, 1.0, 1.0)
#: How the signals add up (title match dominates; the document breaks ties and ranks the rest).
W_TITLE, W_DOC, W_COUNT, W_EXACT = 3.0, 1.0, 0.6, 0.3
MAX_TERMS = 12
CACHE_SIZE = 4096


@dataclass(frozen=True)
class _Vocab:
    idf: dict[str, float]
    known: frozenset[str]


def _vocab(ctx: Ctx) -> _Vocab:
    def load() -> _Vocab:
        rows = ctx.db.all("SELECT token, idf FROM search_term")
        return _Vocab({r["token"]: r["idf"] for r in rows}, frozenset(r["token"] for r in rows))

    return ctx.db.memo("search.vocab", load)


def _cache(ctx: Ctx) -> OrderedDict:
    return ctx.db.memo("search.cache", OrderedDict)


def query_terms(ctx: Ctx, keyword: str) -> list[str]:
    """The keyword's canonical tokens that some occupation uses, deduplicated, in order."""
    known = _vocab(ctx).known
    out: list[str] = []
    for tok in terms(keyword[:500]):
        if tok in known and tok not in out:
            out.append(tok)
    return out[:MAX_TERMS]


def _code_matches(ctx: Ctx, keyword: str) -> list[str] | None:
    occupations = common.occupations(ctx)
    full = _FULL_CODE.match(keyword)
    if full:
        code = f"{full.group(1)}.{full.group(2)}"
        return [code] if code in occupations else []
    soc = _SOC_CODE.match(keyword)
    if soc:
        prefix = soc.group(1) + "."
        return [c for c in occupations if c.startswith(prefix)]  # occupations() is ordered by code
    return None


def _fts_and(tokens: list[str]) -> str:
    return " AND ".join(f'"{t}"' for t in tokens)


def _fts_or(tokens: list[str]) -> str:
    return " OR ".join(f'"{t}"' for t in tokens)


def _title_scores(ctx: Ctx, tokens: list[str]) -> dict[str, tuple[float, int]]:
    """code -> (best title score, number of titles holding every query word)."""
    phrase = " ".join(tokens)
    kind_case = " ".join(f"WHEN '{k}' THEN {w}" for k, w in KINDS.items())
    rows = ctx.db.all(
        f"""SELECT t.code AS code,
                   MAX((CASE t.kind {kind_case} ELSE 0.8 END) * :n / MAX(t.ntok, :n)
                       + CASE WHEN t.tokens = :phrase THEN {W_EXACT} ELSE 0 END) AS score,
                   COUNT(*) AS hits
            FROM search_title t
            WHERE t.id IN (SELECT rowid FROM search_title_fts WHERE search_title_fts MATCH :q)
            GROUP BY t.code""",
        {"n": len(tokens), "phrase": phrase, "q": _fts_and(tokens)},
    )
    found = {r["code"]: (r["score"], r["hits"]) for r in rows}
    if found or len(tokens) < 2:
        return found
    # No title holds every word: score titles by the share of the query's IDF weight they hold.
    idf = _vocab(ctx).idf
    total = sum(idf.get(t, 1.0) for t in tokens)
    qset = set(tokens)
    partial: dict[str, tuple[float, int]] = {}
    for row in ctx.db.all(
        """SELECT t.code AS code, t.kind AS kind, t.tokens AS tokens, t.ntok AS ntok FROM search_title t
           WHERE t.id IN (SELECT rowid FROM search_title_fts WHERE search_title_fts MATCH :q)
           ORDER BY t.ntok LIMIT 3000""",
        {"q": _fts_or(tokens)},
    ):
        words = set(row["tokens"].split())
        matched = qset & words
        cover = sum(idf.get(t, 1.0) for t in matched) / total
        score = 0.7 * KINDS.get(row["kind"], 0.8) * cover * cover * len(matched) / max(row["ntok"], len(matched))
        best = partial.get(row["code"])
        if best is None or score > best[0]:
            partial[row["code"]] = (score, 0)
    return partial


def _doc_scores(ctx: Ctx, query: str) -> dict[str, float]:
    weights = ", ".join(str(w) for w in DOC_WEIGHTS)
    rows = ctx.db.all(
        f"SELECT code, -bm25(search_doc_fts, {weights}) AS score FROM search_doc_fts WHERE search_doc_fts MATCH ?",
        (query,),
    )
    return {r["code"]: r["score"] for r in rows}


def _rank(ctx: Ctx, tokens: list[str]) -> list[str]:
    docs = _doc_scores(ctx, _fts_and(tokens))
    if not docs and len(tokens) > 1:
        docs = _doc_scores(ctx, _fts_or(tokens))
    if not docs:
        return []
    titles = _title_scores(ctx, tokens)
    top_doc = max(docs.values()) or 1.0
    top_hits = max((h for _, h in titles.values()), default=0)
    names = common.occupations(ctx)
    scored = []
    for code, doc in docs.items():
        if code not in names:
            continue
        title, hits = titles.get(code, (0.0, 0))
        count = math.log1p(hits) / math.log1p(top_hits) if top_hits else 0.0
        score = W_TITLE * title + W_DOC * doc / top_doc + W_COUNT * count
        scored.append((-score, names[code]["title"], code))
    scored.sort()
    return [code for _, _, code in scored]


def search_codes(ctx: Ctx, keyword: str) -> list[str]:
    """Every matching O*NET-SOC code, most relevant first (ties by title). Never raises on odd input."""
    keyword = keyword or ""
    codes = _code_matches(ctx, keyword)
    if codes is not None:
        return codes
    tokens = query_terms(ctx, keyword)
    if not tokens:
        return []
    cache = _cache(ctx)
    key = " ".join(tokens)
    found = cache.get(key)
    if found is None:
        found = _rank(ctx, tokens)
        cache[key] = found
        if len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return list(found)


def search(ctx: Ctx) -> dict:
    """`/online/search`: occupations matching the keyword, paged (20 by default)."""
    keyword = ctx.required("keyword")
    page = ctx.page()
    codes = search_codes(ctx, keyword)
    items = [common.occupation_item(ctx, code) for code in page.slice(codes)]
    return ctx.paged(page, len(codes), "occupation", items, keyword=keyword)
