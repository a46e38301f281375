"""Keyword search over occupations (`/online/search`), and `search_codes()` for every other keyword search.

A keyword that is an O*NET-SOC code (`15-1252.00`) or a 6-digit SOC code (`15-1252`: 15-1252.00 and its `.xx`
children) returns those occupations. Otherwise the keyword goes through the same normalisation as the index
(`build.search_index.terms`: folding, abbreviation expansion, light stemming), words no occupation uses are
dropped (a word one edit away from a title word is corrected first), and each word gets a weight: its IDF
over titles, less for modifiers ("senior", "part time"), for words after a job ad's " - " / "(" qualifier,
and for words no title holds. Occupations are then ranked by the sum of:

- title match: the best of the occupation's titles (O*NET, alternate, short, reported) by (share of the
  query's weight it holds)^2 x (share of the title's weight the query explains)^0.5 x kind, plus a bonus
  when the title is exactly the query's main words;
- aggregation: how many of its titles hold every required word (log, relative to the best occupation);
- bm25 over the occupation document (weighted columns title > alternate > description > tasks > technology);
- a small prior from national employment (OEWS), so that a title shared by several occupations goes
  first to the one most people hold.

The matching set (`total`) is the occupations whose document holds every required word of the main title
(not modifiers), then, after them, those that hold a required word only in another form of its family
("architect": "architectural", "architecture"; `search_family` in the index), where a family word counts
for half the word. When neither exists, those holding any query word. Ties by title. Results are cached
per normalised query (cleared when the database is rebuilt).

The hosted service lists more occupations for some words (119 for "nurse", 69 here): its search also reads
titles the release files do not carry (O*NET's supplemental alternate titles, WWS report appendix A). Here
the list is every occupation whose release text (titles, alternate and reported titles, description, tasks,
technology) mentions the word or one of its forms.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from onetlocal.ingest.search_index import KINDS, MODIFIERS, terms
from onetlocal.context import Ctx, Page
from onetlocal.services import common

_FULL_CODE = re.compile(r"^\s*(\d{2}-\d{4})\.(\d{2})\s*$")
_SOC_CODE = re.compile(r"^\s*(\d{2}-\d{4})\s*$")

#: bm25 column weights: code (unindexed), title, alternate, description, tasks, technology.
DOC_WEIGHTS = (0.0, 10.0, 6.0, 2.0, 1.0, 1.0)
#: How the signals add up (title match dominates; the document breaks ties and ranks the rest).
W_TITLE, W_DOC, W_COUNT, W_EXACT, W_PRIOR = 3.0, 1.0, 0.45, 0.3, 0.6
#: Weight factor of a word after the first " - " / "(" of a job ad title ("Line Cook - Full Time"), of a modifier.
SECONDARY, MODIFIER = 0.5, 0.1
#: Weight factor of a word no title holds (only descriptions, tasks, technology: "python", "amazon").
UNTITLED = 0.3
#: Title candidates rescored per query (best bm25 first).
CANDIDATES = 400
#: IDF below which a word is too common to fetch title candidates on its own (in ~1 title in 60).
COMMON_IDF = 4.1
MAX_TERMS = 12
CACHE_SIZE = 4096
#: What a word of the query word's family is worth, against the word itself (share of its weight).
FAMILY = 0.5
_SECONDARY_SPLIT = re.compile(r"\s[-\u2013\u2014|:]\s|[(\[{]|,\s")


@dataclass(frozen=True)
class _Vocab:
    idf: dict[str, float]  # every indexed word
    title_df: dict[str, int]  # number of titles holding it (0: only in descriptions, tasks, technology)


@dataclass(frozen=True)
class Query:
    """Query words with their weights; `core` = the words a matching occupation must hold."""

    weights: dict[str, float]
    core: list[str]
    primary: frozenset[str]
    family: dict[str, tuple[str, ...]]  # query word -> the other words of its family in the index

    @property
    def key(self) -> str:
        return " ".join(f"{t}:{w:g}" for t, w in self.weights.items()) + "|" + " ".join(self.core)


def _vocab(ctx: Ctx) -> _Vocab:
    def load() -> _Vocab:
        rows = ctx.db.all("SELECT token, idf, df FROM search_term")
        return _Vocab({r["token"]: r["idf"] for r in rows}, {r["token"]: r["df"] for r in rows if r["df"]})

    return ctx.db.memo("search.vocab", load)


def _priors(ctx: Ctx) -> dict[str, float]:
    def load() -> dict[str, float]:
        if not ctx.db.table_exists("search_prior"):
            return {}
        return {r["code"]: r["prior"] for r in ctx.db.all("SELECT code, prior FROM search_prior")}

    return ctx.db.memo("search.prior", load)


def _cache(ctx: Ctx) -> dict:
    return ctx.db.memo("search.cache", dict)


def _correct(vocab: _Vocab, word: str) -> str | None:
    """A word no title uses, corrected to the most common title word one edit away (typos: "registerd",
    "enginer"); None when there is none. Only for words of 5 letters or more."""
    if len(word) < 5 or not word.isalpha():
        return None
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
    edits |= {a + c + b for a, b in splits for c in letters}
    found = [(vocab.title_df[e], e) for e in edits if vocab.title_df.get(e)]
    return max(found)[1] if found else None


def _families(ctx: Ctx) -> dict[str, tuple[str, ...]]:
    """token -> the other words of its family that occupations use with it (`search_family`)."""
    def load() -> dict[str, tuple[str, ...]]:
        if not ctx.db.table_exists("search_family"):
            return {}
        found: dict[str, list[str]] = {}
        for row in ctx.db.all("SELECT token, word FROM search_family ORDER BY token, word"):
            found.setdefault(row["token"], []).append(row["word"])
        return {token: tuple(words) for token, words in found.items()}

    return ctx.db.memo("search.family", load)


def parse_query(ctx: Ctx, keyword: str) -> Query | None:
    """Words of the keyword known to the index, weighted by IDF, position (main title, or qualifier after
    " - " or "(") and kind: modifiers ("senior", "part time") and words no title uses weigh little and are
    not required. The main title is the first part holding a word that is not a modifier."""
    vocab = _vocab(ctx)
    parts = [[] for _ in range(2)]
    for i, part in enumerate(_SECONDARY_SPLIT.split(keyword[:500], maxsplit=1)):
        for tok in terms(part):
            if tok not in vocab.title_df:
                tok = _correct(vocab, tok) or tok
            if tok in vocab.idf:
                parts[i].append(tok)
    if not any(t not in MODIFIERS for t in parts[0]) and any(t not in MODIFIERS for t in parts[1]):
        parts.reverse()  # "Now Hiring - Registered Nurse"
    weights: dict[str, float] = {}
    for i, tokens in enumerate(parts):
        for tok in tokens:
            if tok in weights or len(weights) >= MAX_TERMS:
                continue
            factor = MODIFIER if tok in MODIFIERS else (UNTITLED if not vocab.title_df.get(tok) else 1.0)
            weights[tok] = vocab.idf[tok] * factor * (SECONDARY if i else 1.0)
    if not weights:
        return None
    primary = [t for t in parts[0] if t in weights] or list(weights)
    core = ([t for t in primary if t not in MODIFIERS and vocab.title_df.get(t)]
            or [t for t in primary if t not in MODIFIERS] or primary)
    known = _families(ctx)
    families = {t: tuple(v for v in known.get(t, ()) if v not in weights) for t in weights if t not in MODIFIERS}
    return Query(weights, core, frozenset(primary), {t: f for t, f in families.items() if f})


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


def _fts_and(tokens) -> str:
    return " AND ".join(f'"{t}"' for t in tokens)


def _fts_or(tokens) -> str:
    return " OR ".join(f'"{t}"' for t in tokens)


def _single_word(ctx: Ctx, token: str) -> tuple[dict[str, float], dict[str, int]]:
    """Title scores and hits of a one-word query from the precomputed `search_token_code`."""
    rows = ctx.db.conn.execute("SELECT code, hits, score, exact FROM search_token_code WHERE token = ?",
                               (token,)).fetchall()
    return ({r["code"]: r["score"] + (W_EXACT if r["exact"] else 0.0) for r in rows},
            {r["code"]: r["hits"] for r in rows})


def _title_scores(ctx: Ctx, query: Query) -> dict[str, float]:
    """code -> best title score: kind x (share of the query's weight the title holds)^2 x (share of the
    title's weight the query explains)^0.5, plus a bonus when the title is exactly the main query words."""
    weights = query.weights
    total = sum(weights.values())
    core = set(query.core)
    best: dict[str, float] = {}
    idf = _vocab(ctx).idf
    # Candidates: titles holding every core word, or any of the query's less common words (a title holding
    # only a word as common as "operator" cannot score high: its share of the query's weight is small).
    rare = [t for t in weights if idf[t] >= COMMON_IDF]
    match = _fts_and(query.core) if not rare else f"({_fts_and(query.core)}) OR {_fts_or(rare)}"
    rows = ctx.db.conn.execute(
        """SELECT t.code, t.kind, t.tokens, t.weight FROM search_title_fts f JOIN search_title t ON t.id = f.rowid
           WHERE search_title_fts MATCH ? ORDER BY f.rank LIMIT ?""",
        (match, CANDIDATES),
    ).fetchall()
    for row in rows:
        code, kind, text, title_weight = row["code"], row["kind"], row["tokens"], row["weight"]
        words = set(text.split())
        matched = words & weights.keys()
        qcov = sum(weights[t] for t in matched) / total
        tcov = sum(idf[t] for t in matched) / title_weight if title_weight else 0.0
        score = KINDS.get(kind, 0.8) * qcov * qcov * math.sqrt(tcov)
        if core <= words and words <= query.primary:
            score += W_EXACT
        if score > best.get(code, 0.0):
            best[code] = score
    return best


def _family_title_scores(ctx: Ctx, query: Query, best: dict[str, float]) -> None:
    """Raise `best` (code -> title score) with the titles holding a word of a query word's family: scored as in
    `_title_scores`, a family word counting FAMILY of the query word's weight, and no exact-title bonus."""
    owner = {v: t for t, words in query.family.items() for v in words}
    if not owner:
        return
    weights, idf = query.weights, _vocab(ctx).idf
    total = sum(weights.values())
    rows = ctx.db.conn.execute(
        """SELECT t.code, t.kind, t.tokens, t.weight FROM search_title_fts f JOIN search_title t ON t.id = f.rowid
           WHERE search_title_fts MATCH ? ORDER BY f.rank LIMIT ?""",
        (_fts_or(owner), CANDIDATES),
    ).fetchall()
    for row in rows:
        words = set(row["tokens"].split())
        exact = words & weights.keys()
        related = {owner[v] for v in words & owner.keys()} - exact
        qcov = (sum(weights[t] for t in exact) + FAMILY * sum(weights[t] for t in related)) / total
        matched = exact | (words & owner.keys())
        tcov = sum(idf[t] for t in matched) / row["weight"] if row["weight"] else 0.0
        score = KINDS.get(row["kind"], 0.8) * qcov * qcov * math.sqrt(tcov)
        if score > best.get(row["code"], 0.0):
            best[row["code"]] = score


def _title_hits(ctx: Ctx, query: Query) -> dict[str, int]:
    """code -> number of its titles holding every core word (occupation-level aggregation)."""
    rows = ctx.db.all(
        """SELECT t.code AS code, COUNT(*) AS hits FROM search_title t
           WHERE t.id IN (SELECT rowid FROM search_title_fts WHERE search_title_fts MATCH ?) GROUP BY t.code""",
        (_fts_and(query.core),),
    )
    return {r["code"]: r["hits"] for r in rows}


_DOC_SQL = (f"SELECT code, -bm25(search_doc_fts, {', '.join(str(w) for w in DOC_WEIGHTS)}) AS score"
            " FROM search_doc_fts WHERE search_doc_fts MATCH ?")


def _doc_scores(ctx: Ctx, query: Query) -> tuple[dict[str, float], set[str]]:
    """code -> bm25 over the occupation document, and the codes matched only through word families.

    The occupations holding every core word; then those holding, for every core word, the word or a word of
    its family ("architect": "architectural", "architecture"). When neither exists, those holding any query
    word."""
    exact = _all_words(ctx, query)
    family: dict[str, float] = {}
    if any(t in query.family for t in query.core):
        match = " AND ".join(f"({_fts_or([t, *query.family.get(t, ())])})" for t in query.core)
        family = {r["code"]: r["score"] for r in ctx.db.all(_DOC_SQL, (match,)) if r["code"] not in exact}
    if exact or family:
        return {**exact, **family}, set(family)
    return {r["code"]: r["score"] for r in ctx.db.all(_DOC_SQL, (_fts_or(query.weights),))}, set()


def _all_words(ctx: Ctx, query: Query) -> dict[str, float]:
    """code -> bm25 (every query word scored) for the occupations holding every core word."""
    if set(query.weights) == set(query.core):  # every word required: one query (bm25 is the same as for OR)
        return {r["code"]: r["score"] for r in ctx.db.all(_DOC_SQL, (_fts_and(query.core),))}
    matching = {r["code"] for r in ctx.db.all(
        "SELECT code FROM search_doc_fts WHERE search_doc_fts MATCH ?", (_fts_and(query.core),))}
    if not matching:
        return {}
    return {r["code"]: r["score"] for r in ctx.db.all(_DOC_SQL, (_fts_or(query.weights),)) if r["code"] in matching}


def _rank(ctx: Ctx, query: Query) -> list[str]:
    """Occupations holding the query's words first, then those holding only words of their families (fewer
    exact mentions: "architect" -> Architecture Teachers), each group by score."""
    docs, by_family = _doc_scores(ctx, query)
    if not docs:
        return []
    if len(query.weights) == 1:
        titles, hits = _single_word(ctx, query.core[0])
    else:
        titles, hits = _title_scores(ctx, query), _title_hits(ctx, query)
    _family_title_scores(ctx, query, titles)
    top_doc = max((v for c, v in docs.items() if c not in by_family), default=0.0) or max(docs.values()) or 1.0
    top_hits = max(hits.values(), default=0)
    names = common.occupations(ctx)
    priors = _priors(ctx)
    scored = []
    for code, doc in docs.items():
        if code not in names:
            continue
        count = math.log1p(hits.get(code, 0)) / math.log1p(top_hits) if top_hits else 0.0
        score = (W_TITLE * titles.get(code, 0.0) + W_DOC * doc / top_doc + W_COUNT * count
                 + W_PRIOR * priors.get(code, 0.0))
        scored.append((code in by_family, -score, names[code]["title"], code))
    scored.sort()
    return [code for *_, code in scored]


def search_codes(ctx: Ctx, keyword: str) -> list[str]:
    """Every matching O*NET-SOC code, most relevant first (ties by title). Never raises on odd input."""
    keyword = keyword or ""
    codes = _code_matches(ctx, keyword)
    if codes is not None:
        return codes
    query = parse_query(ctx, keyword)
    if query is None:
        return []
    cache = _cache(ctx)
    found = cache.get(query.key)
    if found is None:
        found = _rank(ctx, query)
        if len(cache) >= CACHE_SIZE:
            cache.clear()  # simple and thread-safe; a full cache is rare (distinct queries)
        cache[query.key] = found
    return list(found)


def search(ctx: Ctx, keyword: str, page: Page) -> dict:
    """`/online/search`: occupations matching the keyword, paged (20 by default). The envelope is the spec's
    (start, end, total, prev?, next?, occupation): no echo of the keyword, which clients generated from the
    official OpenAPI file (extra="forbid") reject."""
    codes = search_codes(ctx, keyword)
    items = [common.occupation_item(ctx, code) for code in page.slice(codes)]
    return ctx.paged(page, len(codes), "occupation", items)
