"""Keyword search over occupations (`/online/search`), and `search_codes()` for every other keyword search.

A keyword that is an O*NET-SOC code (`15-1252.00`) or a 6-digit SOC code (`15-1252`: 15-1252.00 and its `.xx`
children) returns those occupations. Otherwise the keyword goes through the same normalisation as the index
(`search_terms.terms`: folding, abbreviation expansion, light stemming). A word no title uses is
repaired first: a compound split into two title words ("steelworker"), else the closest title word (one letter
edit for 4-5 letters, two from 6, candidates found by shared letter trigrams), else the commonest title word it
starts ("oper" -> "operator"); words still unknown are dropped. Each word gets a weight: its IDF over titles,
less for modifiers ("senior", "apprentice", "part time": SOC codes apprentices and trainees with their trade),
for words after a job ad's " - " / "(" qualifier, and for words no title holds. Word order does not matter
("Manager, Forest" is "Forest Manager"), except that the last word of the main title is its head noun.

Every occupation gets a feature vector (`FEATURES`) and its score is their weighted sum (`WEIGHTS`):

- title: the best of its titles (O*NET, alternate, short, reported) by kind x (share of the query's weight it
  holds)^2 x (share of the title's weight the query explains)^0.5; top3: the sum of its best three;
- head: the best query share among its titles whose head noun is the query's ("cook" in "Line Cook - Full
  Time"); headp: the share of all titles with that head noun that are its own (which occupation a head noun
  usually means); vote: the same per query word, weighted; exact: a title with exactly the query's main words;
  count: how many of its titles hold every required word (log, relative to the best occupation);
- official: the share of the main words in its O*NET title; helper / supervisor: `Helpers--` occupations are
  raised when the query says helper and lowered when it does not, `First-Line Supervisors` likewise with
  supervisor / lead / foreman;
- doc: bm25 over description, tasks and technology examples only (weak evidence: titles decide);
- prior: national employment (OEWS); partial: the occupation's text lacks a required word.

The weights were learned by coordinate ascent (benchmarks/search_train.py) on the tuning part of a development
set of ~9,000 held-out O*NET titles asked in five kinds (benchmarks/data/search_devset.py); the final part is
only for reporting (benchmarks/search_quality.py --dev final). Measured there, at 6-digit SOC: top-1 / top-5
42.6% / 65.0% before, 50.7% / 74.3% with this design; on the "pattern" part (every title holding one of a
random set of words held out: titles unlike any in the files) 36.1% / 55.0% before, 39.4% / 63.6% now.
Training weighs each query by its occupation's employment^0.25, halfway between every title alike (coding
indexes) and job ads (which follow employment).

The list (`total`) is broad: every occupation whose text (titles, alternate and reported titles, description,
tasks, technology) holds every required word, plus those whose titles hold part of the query, ranked together;
then those holding a required word only in another form of its family ("architect": "architectural",
"architecture"; `search_family`; a trade's worker word: "roofing" -> "roofer"), where a family word counts for
half. When none exists, those holding any query word. Ties by title. Everything a query reads is held in memory
per database file (`_index`, ~120 MB, loaded at the first search); results are cached per normalised query.

The hosted service lists more occupations for some words (119 for "nurse", 69 here): its search also reads
titles the release files do not carry (O*NET's supplemental alternate titles, WWS report appendix A).
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from onetlocal.context import Ctx, Page
from onetlocal.search_terms import KINDS, MODIFIERS, stem, terms, title_terms
from onetlocal.services import common

_FULL_CODE = re.compile(r"^\s*(\d{2}-\d{4})\.(\d{2})\s*$")
_SOC_CODE = re.compile(r"^\s*(\d{2}-\d{4})\s*$")

#: Weight factor of a word after the first " - " / "(" of a job ad title ("Line Cook - Full Time"), of a modifier.
SECONDARY, MODIFIER = 0.5, 0.1
#: Weight factor of a word no title holds (only descriptions, tasks, technology: "python", "amazon").
UNTITLED = 0.3
#: IDF below which a word is too common to fetch title candidates on its own (in ~1 title in 60).
COMMON_IDF = 5.0
MAX_TERMS = 12
#: Title candidates scored per query at most (the lightest first).
MAX_TITLES = 2000
#: What an occupation loses when another of its 6-digit SOC code ranks above it.
SAME_SOC = 2.0
#: Title words sharing the most letter trigrams with a misspelt word that are compared to it letter by letter.
CORRECTION_CANDIDATES = 60
#: What a word of the query word's family is worth, against the word itself (share of its weight).
FAMILY = 0.5
#: bm25 parameters of the weak document evidence (description, tasks, technology examples).
BM25_K1, BM25_B = 1.2, 0.75
_SECONDARY_SPLIT = re.compile(r"\s[-\u2013\u2014|:]\s|\s[(\[{]")

#: Words by which a job title says the worker helps a trade, supervises, or learns it. SOC codes helpers as
#: `Helpers--<trade>`, supervisors and lead workers as `First-Line Supervisors of ...`, apprentices and
#: trainees with their trade (the word is a modifier, see search_terms.MODIFIERS).
HELPER_WORDS = frozenset(terms("helper helpers"))
SUPERVISOR_WORDS = frozenset(terms("supervisor supervisors foreman foremen forewoman forewomen lead leader"))

#: Features of an (query, occupation) pair; the score is their weighted sum (`WEIGHTS`, learned on the
#: development set's tuning part by benchmarks/search_train.py).
FEATURES = (
    "title",
    "head",
    "exact",
    "count",
    "doc",
    "prior",
    "helper_yes",
    "helper_no",
    "super_yes",
    "super_no",
    "official",
    "top3",
    "headp",
    "vote",
    "partial",
)
WEIGHTS = {
    "title": 3.0,
    "head": 0.75,
    "exact": 0.65,
    "count": 0.3,
    "doc": 0.3,
    "prior": 1.05,
    "helper_yes": 1.6,
    "helper_no": -2.5,
    "super_yes": 1.0,
    "super_no": -0.45,
    "official": 0.3,
    "top3": 1.1,
    "headp": 2.35,
    "vote": 1.05,
    "partial": -0.75,
}


@dataclass(frozen=True)
class _Vocab:
    idf: dict[str, float]  # every indexed word
    title_df: dict[str, int]  # number of titles holding it (0: only in descriptions, tasks, technology)


@dataclass(frozen=True)
class Query:
    """Query words with their weights; `core` = the words a matching occupation must hold; `head` = the
    job's head noun (the last word of the main title that is no modifier: "cook" in "Line Cook - Full
    Time", "manager" in "Manager, Forest")."""

    weights: dict[str, float]
    core: list[str]
    primary: frozenset[str]
    family: dict[str, tuple[str, ...]]  # query word -> the other words of its family in the index
    head: str | None = None

    @property
    def key(self) -> str:
        return (
            " ".join(f"{t}:{w:g}" for t, w in self.weights.items())
            + "|"
            + " ".join(self.core)
            + "|"
            + (self.head or "")
        )


@dataclass
class _Index:
    """Everything a query needs, in memory (built once per database file from the search tables)."""

    codes: list[str]
    t_code: list[int]
    t_kind: list[float]
    t_set: list[frozenset[str]]
    t_weight: list[float]
    t_head: list[str | None]
    postings: dict[str, list[int]]  # token -> title ids
    holders: dict[str, frozenset[int]]  # token -> occupations whose document holds it anywhere
    doc: dict[str, dict[int, float]]  # token -> occupation -> bm25 term score (description, tasks, technology)
    helper: frozenset[int]
    supervisor: frozenset[int]
    official: dict[int, frozenset[str]]  # occupation -> tokens of its O*NET title
    grams: dict[str, list[str]]  # letter trigram -> title words holding it (spelling correction)
    by_word: dict[str, dict[int, float]]  # token -> occupation -> share of the titles holding it
    by_head: dict[str, dict[int, float]]  # head noun -> occupation -> share of the titles it heads
    words: list[str]  # title words, sorted (prefix expansion)
    #: Per title, what scoring it reads: (occupation, tokens, kind weight, IDF weight, head noun, tokens that are
    #: no modifier); one lookup.
    t_rec: list[tuple[int, frozenset[str], float, float, str | None, frozenset[str]]]
    #: Per occupation: its 6-digit SOC code, and its place in (title, code) order (the ranking's tie-break).
    soc: list[str]
    order: list[int]


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


def _grams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _head_of(tokens: list[str]) -> str | None:
    """The head noun of a title's tokens: the last one that is not a modifier."""
    for tok in reversed(tokens):
        if tok not in MODIFIERS:
            return tok
    return None


def _shares(codes: Iterable[int]) -> dict[int, float]:
    counts: dict[int, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    total = sum(counts.values())
    return {code: n / total for code, n in counts.items()}


def _index(ctx: Ctx) -> _Index:
    def load() -> _Index:
        names = common.occupations(ctx)
        codes = list(names)
        position = {code: i for i, code in enumerate(codes)}
        t_code: list[int] = []
        t_kind: list[float] = []
        t_set: list[frozenset[str]] = []
        t_weight: list[float] = []
        t_head: list[str | None] = []
        postings: dict[str, list[int]] = {}
        official = {position[c]: frozenset(title_terms(o["title"])) for c, o in names.items()}
        heads = {position[c]: _head_of(title_terms(o["title"].split(",")[0])) for c, o in names.items()}
        for row in ctx.db.all("SELECT code, kind, tokens, weight FROM search_title ORDER BY id"):
            code = position.get(row["code"])
            if code is None:
                continue
            tokens = row["tokens"].split()
            tid = len(t_code)
            t_code.append(code)
            t_kind.append(KINDS.get(row["kind"], 0.8))
            t_set.append(frozenset(tokens))
            t_weight.append(row["weight"])
            # Official titles are inverted ("Cooks, Restaurant"): their head ends the part before the comma.
            t_head.append(heads[code] if row["kind"] == "title" else _head_of(tokens))
            for tok in set(tokens):
                postings.setdefault(tok, []).append(tid)
        holders: dict[str, set[int]] = {}
        tf: dict[str, dict[int, int]] = {}
        lengths: dict[int, int] = {}
        for row in ctx.db.all("SELECT code, title, alternate, description, tasks, technology FROM search_doc"):
            code = position.get(row["code"])
            if code is None:
                continue
            for col in ("title", "alternate", "description", "tasks", "technology"):
                for tok in set((row[col] or "").split()):
                    holders.setdefault(tok, set()).add(code)
            weak = " ".join(row[col] or "" for col in ("description", "tasks", "technology")).split()
            lengths[code] = len(weak)
            for tok in weak:
                counts = tf.setdefault(tok, {})
                counts[code] = counts.get(code, 0) + 1
        avg = sum(lengths.values()) / max(1, len(lengths))
        n = len(codes)
        doc = {}
        for tok, counts in tf.items():
            idf = math.log(1 + (n - len(counts) + 0.5) / (len(counts) + 0.5))
            doc[tok] = {
                c: idf * f * (BM25_K1 + 1) / (f + BM25_K1 * (1 - BM25_B + BM25_B * lengths[c] / avg))
                for c, f in counts.items()
            }
        grams: dict[str, list[str]] = {}
        for tok in postings:
            if tok.isalpha() and len(tok) >= 4:
                for g in _grams(tok):
                    grams.setdefault(g, []).append(tok)
        helper = frozenset(position[c] for c, o in names.items() if o["title"].startswith("Helpers--"))
        supervisor = frozenset(position[c] for c, o in names.items() if o["title"].startswith("First-Line Supervisors"))
        by_word = {tok: _shares(t_code[i] for i in ids) for tok, ids in postings.items()}
        head_ids: dict[str, list[int]] = {}
        for tid, h in enumerate(t_head):
            if h is not None:
                head_ids.setdefault(h, []).append(t_code[tid])
        by_head = {h: _shares(ids) for h, ids in head_ids.items()}
        return _Index(
            codes,
            t_code,
            t_kind,
            t_set,
            t_weight,
            t_head,
            postings,
            {t: frozenset(v) for t, v in holders.items()},
            doc,
            helper,
            supervisor,
            official,
            grams,
            by_word,
            by_head,
            sorted(postings),
            list(zip(t_code, t_set, t_kind, t_weight, t_head, [w - MODIFIERS for w in t_set], strict=True)),
            [code[:7] for code in codes],
            _title_order(codes, names),
        )

    return ctx.db.memo("search.index", load)


def _title_order(codes: list[str], names: dict) -> list[int]:
    """Each occupation's place when sorted by (title, code): equal to comparing the pairs themselves."""
    order = [0] * len(codes)
    for place, i in enumerate(sorted(range(len(codes)), key=lambda i: (names[codes[i]]["title"], codes[i]))):
        order[i] = place
    return order


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (edits, adjacent swaps), stopping early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _correct(ctx: Ctx, vocab: _Vocab, word: str) -> str | None:
    """A word no title uses, corrected to the closest title word (one edit for words of 4-5 letters, two
    from 6: "registerd", "atetndaunt"; candidates share letter trigrams; ties to the most common), or
    expanded when it is the start of title words ("oper" -> "operator": for words under 6 letters the
    commoner of the two readings); None when there is none."""
    if len(word) < 4 or not word.isalpha():
        return None
    index = _index(ctx)
    limit = 1 if len(word) < 6 else 2
    grams = _grams(word)
    need = max(1, len(grams) - 3 * limit)  # an edit changes at most three trigrams
    shared = Counter(chain.from_iterable(index.grams.get(g, ()) for g in grams))
    best: tuple | None = None
    size = len(word)
    close = [(-count, cand) for cand, count in shared.items() if count >= need and abs(len(cand) - size) <= limit]
    for _count, cand in heapq.nsmallest(CORRECTION_CANDIDATES, close):
        # Only a distance up to the best so far can still win: a tighter limit stops the comparison sooner.
        d = _distance(word, cand, limit if best is None else best[0])
        if d <= limit:
            rank = (d, -vocab.title_df.get(cand, 0), cand)
            if best is None or rank < best:
                best = rank
    words = index.words
    i = bisect.bisect_right(words, word)
    prefixed = []
    while i < len(words) and words[i].startswith(word):
        prefixed.append((vocab.title_df.get(words[i], 0), words[i]))
        i += 1
    expansion = max(prefixed) if prefixed else None
    if best is not None and (expansion is None or len(word) >= 6 or -best[1] >= expansion[0]):
        return best[2]
    # A short word is as likely cut short ("oper", "mgmt") as mistyped: the commoner reading wins.
    return expansion[1] if expansion else None


def _corrected(ctx: Ctx, vocab: _Vocab, word: str) -> str | None:
    """`_correct`, remembered per word in the bounded memo (a word is corrected the same way every time: job ads
    repeat their qualifiers, "needed", "weekly", place names)."""
    return ctx.db.memo(("search.correction", word), lambda: _correct(ctx, vocab, word), bounded=True, size=200)


def _split(vocab: _Vocab, word: str) -> list[str] | None:
    """A compound no title uses, as the two title words it joins ("steelworker" -> "steel worker",
    "dishwasher" is a title word itself and stays); the split whose rarer half is most common."""
    if len(word) < 7 or not word.isalpha():
        return None
    best: tuple[int, int] | None = None
    for i in range(3, len(word) - 2):
        left, right = vocab.title_df.get(stem(word[:i]), 0), vocab.title_df.get(stem(word[i:]), 0)
        if left and right and (best is None or min(left, right) > best[0]):
            best = (min(left, right), i)
    return [stem(word[: best[1]]), stem(word[best[1] :])] if best else None


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


#: Endings that turn a trade's word into its worker ("roofing" -> "roofer", "weld" -> "welder") and back.
AGENT_ENDINGS = ("er", "or", "r")


def _agents(vocab: _Vocab, token: str) -> tuple[str, ...]:
    """Title words naming the worker of `token` or the trade of a worker word ("roof" <-> "roofer"): the
    stemmer keeps them apart; a query gets them as words of its family (worth FAMILY of the word)."""
    if len(token) < 3 or not token.isalpha():
        return ()
    found = [token + end for end in AGENT_ENDINGS if vocab.title_df.get(token + end)]
    for end in AGENT_ENDINGS:
        if token.endswith(end) and len(token) - len(end) >= 3 and vocab.title_df.get(token[: -len(end)]):
            found.append(token[: -len(end)])
    return tuple(found)


def parse_query(ctx: Ctx, keyword: str) -> Query | None:
    """Words of the keyword known to the index, weighted by IDF, position (main title, or qualifier after
    " - " or "(") and kind: modifiers ("senior", "part time") and words no title uses weigh little and are
    not required. The main title is the first part holding a word that is not a modifier. Word order does
    not matter ("Manager, Forest" is "Forest Manager"), except for the head noun."""
    vocab = _vocab(ctx)
    parts: list[list[str]] = [[] for _ in range(2)]
    heads: list[str | None] = [None, None]
    for i, part in enumerate(_SECONDARY_SPLIT.split(keyword[:500], maxsplit=1)):
        first = part.split(",")[0]
        for j, chunk in enumerate((first, part[len(first) :])):
            for tok in terms(chunk):
                found = [tok]
                if tok not in vocab.title_df:
                    found = _split(vocab, tok) or [_corrected(ctx, vocab, tok) or tok]
                parts[i].extend(t for t in found if t in vocab.idf)
            if j == 0:
                heads[i] = _head_of(parts[i])
    if not any(t not in MODIFIERS for t in parts[0]) and any(t not in MODIFIERS for t in parts[1]):
        parts.reverse()  # "Now Hiring - Registered Nurse"
        heads.reverse()
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
    core = (
        [t for t in primary if t not in MODIFIERS and vocab.title_df.get(t)]
        or [t for t in primary if t not in MODIFIERS]
        or primary
    )
    known = _families(ctx)
    families = {
        t: tuple(v for v in (*known.get(t, ()), *_agents(vocab, t)) if v not in weights)
        for t in weights
        if t not in MODIFIERS
    }
    head = heads[0] if heads[0] in weights else None
    return Query(weights, list(dict.fromkeys(core)), frozenset(primary), {t: f for t, f in families.items() if f}, head)


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


def _matching(index: _Index, query: Query) -> tuple[set[int], set[int]]:
    """The occupations whose document holds every core word, and (apart) those holding, for every core word,
    the word or a word of its family ("architect": "architectural"). When neither exists, those holding any
    query word."""

    def holding(words: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for word in words:
            found |= index.holders.get(word, frozenset())
        return found

    exact: set[int] | None = None
    for word in query.core:
        holders = index.holders.get(word, frozenset())
        exact = set(holders) if exact is None else exact & holders
    exact = exact or set()
    family: set[int] = set()
    if any(t in query.family for t in query.core):
        family_set: set[int] | None = None
        for word in query.core:
            held = holding((word, *query.family.get(word, ())))
            family_set = held if family_set is None else family_set & held
        family = (family_set or set()) - exact
    if exact or family:
        return exact, family
    return holding(query.weights), set()


def _shared(
    weights: dict[str, float], total: float, table: dict[str, dict[int, float]], among: set[int]
) -> dict[int, float]:
    """occupation -> sum over the query's words of (the word's share of the query's weight) x table[word][occupation],
    for the occupations `among` (walking the shorter of the two: the sums are the same, word by word in order)."""
    found: dict[int, float] = {}
    for word, weight in weights.items():
        values = table.get(word)
        if not values:
            continue
        share = weight / total
        if len(values) <= len(among):
            for code, value in values.items():
                if code in among:
                    found[code] = found.get(code, 0.0) + share * value
        else:
            for code in among:
                held = values.get(code)
                if held is not None:
                    found[code] = found.get(code, 0.0) + share * held
    return found


@dataclass(frozen=True)
class _Columns:
    """The features of a query's candidates, one sparse column per feature (FEATURES order: occupation -> value,
    absent = 0), the occupations matched only through word families, and the candidates."""

    columns: list[dict[int, float]]
    by_family: set[int]
    candidates: set[int]


_NO_COLUMNS = _Columns([], set(), set())


def features(ctx: Ctx, query: Query) -> tuple[dict[int, list[float]], set[int]]:
    """occupation -> feature vector (FEATURES order) for every matching occupation, and the occupations
    matched only through word families (what benchmarks/search_train.py fits the weights on)."""
    found = _columns(ctx, query)
    return {code: [column.get(code, 0.0) for column in found.columns] for code in found.candidates}, found.by_family


def _columns(ctx: Ctx, query: Query) -> _Columns:
    """The candidates' features, column by column (scoring adds the columns that hold a value: see `_scores`)."""
    index, idf = _index(ctx), _vocab(ctx).idf
    exact, by_family = _matching(index, query)
    matching = exact | by_family
    if not matching:
        return _NO_COLUMNS
    weights = query.weights
    total = sum(weights.values())
    core = set(query.core)
    main = {t for t in query.primary if t not in MODIFIERS} or set(query.primary)
    owner = {v: t for t, words in query.family.items() for v in words}
    owner_keys = frozenset(owner)
    # Title candidates: titles holding every core word, or any of the query's less common words, or a word
    # of a query word's family.
    tids: set[int] = set()
    core_ids: set[int] | None = None
    for word in core:
        ids = index.postings.get(word, ())
        core_ids = set(ids) if core_ids is None else core_ids.intersection(ids)
    tids |= core_ids or set()
    for word in list(weights) + list(owner):
        if idf.get(word, 0.0) >= COMMON_IDF or word in owner:
            tids.update(index.postings.get(word, ()))
    title: dict[int, float] = {}
    scores: dict[int, list[float]] = {}
    head: dict[int, float] = {}
    exact_title: set[int] = set()
    # Titles holding every core word, per occupation (counted apart: the scored titles may be capped).
    hits: dict[int, int] = Counter(map(index.t_code.__getitem__, core_ids)) if core_ids else {}
    scored_tids: Iterable[int] = tids
    if len(tids) > MAX_TITLES:
        # A common word alone ("operator"): the shortest titles (least IDF weight) score best; the rest
        # cannot change an occupation's best or top three.
        scored_tids = sorted(tids, key=index.t_weight.__getitem__)[:MAX_TITLES]
    wkeys = frozenset(weights)
    coverage: dict[frozenset, tuple[float, float]] = {}  # matched words -> (query weight, title IDF) held
    qhead = query.head
    t_rec = index.t_rec
    sqrt = math.sqrt
    for tid in scored_tids:
        code, words, kind, tw, thead, tmain = t_rec[tid]
        matched = words & wkeys
        if owner:
            fam = words & owner_keys
            key = matched | fam
            found = coverage.get(key)
            if found is None:
                related = {owner[v] for v in fam} - matched
                found = coverage[key] = (
                    (sum(weights[t] for t in sorted(matched)) + FAMILY * sum(weights[t] for t in sorted(related)))
                    / total,
                    sum(idf[t] for t in sorted(matched)) + sum(idf.get(v, 0.0) for v in sorted(fam)),
                )
        else:
            found = coverage.get(matched)
            if found is None:
                ordered = sorted(matched)  # a fixed order: equal scores stay equal from run to run
                found = coverage[matched] = (sum(weights[t] for t in ordered) / total, sum(idf[t] for t in ordered))
        qcov, explained = found
        tcov = explained / tw if tw and explained < tw else 1.0 if tw else 0.0
        score = kind * qcov * qcov * sqrt(tcov)
        if score > title.get(code, 0.0):
            title[code] = score
        held = scores.get(code)
        if held is None:
            scores[code] = [score]
        else:
            held.append(score)
        if thead == qhead and qhead is not None and qcov > head.get(code, 0.0):
            head[code] = qcov
        if tmain == main and code not in exact_title and core <= words:
            exact_title.add(code)
    # The best three, largest first (as heapq.nlargest gives them: the same sum; sorting a short list is faster).
    top3 = {
        code: sum(sorted(values, reverse=True)[:3]) if len(values) > 1 else values[0] for code, values in scores.items()
    }
    # Occupations holding only part of the query, in their titles, compete too (a held-out or new title
    # rarely has every word in its occupation's text: "Meal Attendant" for flight attendants).
    candidates = matching | title.keys()
    doc = _shared(weights, total, index.doc, candidates)
    top_doc = max(doc.values(), default=0.0) or 1.0
    top_hits = math.log1p(max(hits.values(), default=0)) or 1.0
    priors = _priors(ctx)
    codes = index.codes
    helper_q = bool(HELPER_WORDS & weights.keys())
    super_q = bool(SUPERVISOR_WORDS & weights.keys())
    helpers = {code: 1.0 for code in index.helper & candidates}
    supervisors = {code: 1.0 for code in index.supervisor & candidates}
    officials = index.official
    official: dict[int, float] = {}
    if main:
        for code in candidates:
            shared = len(officials[code] & main)
            if shared:
                official[code] = shared / len(main)
    headp = index.by_head.get(query.head, {}) if query.head else {}
    columns = [
        title,
        head,
        dict.fromkeys(exact_title, 1.0),
        {code: math.log1p(n) / top_hits for code, n in hits.items() if code in candidates},
        {code: value / top_doc for code, value in doc.items()},
        {code: priors.get(codes[code], 0.0) for code in candidates},
        helpers if helper_q else {},
        {} if helper_q else helpers,
        supervisors if super_q else {},
        {} if super_q else supervisors,
        official,
        {code: value / 3 for code, value in top3.items() if code in candidates},
        {code: value for code, value in headp.items() if code in candidates},
        _shared(weights, total, index.by_word, candidates),
        dict.fromkeys(candidates - matching, 1.0),
    ]
    return _Columns(columns, by_family, candidates)


def _scores(found: _Columns, weights: dict[str, float]) -> dict[int, float]:
    """occupation -> the weighted sum of its features, added feature by feature in FEATURES order (a feature it
    lacks adds nothing: x + w * 0 is x), so the sum is the same whichever features an occupation holds."""
    score: dict[int, float] = dict.fromkeys(found.candidates, 0.0)
    for name, column in zip(FEATURES, found.columns, strict=True):
        w = weights[name]
        for code, value in column.items():
            score[code] += w * value
    return score


def ranked(ctx: Ctx, query: Query, weights: dict[str, float] | None = None) -> list[tuple[str, float, bool]]:
    """Every candidate O*NET-SOC code with its score, in the order `/online/search` lists them: those holding the
    query's words first, then those holding only words of their families (fewer exact mentions: "architect" ->
    Architecture Teachers), each group by score, ties by title (then code). Each entry: (code, score, whether it
    holds only words of the families). Bulk coding (services/coding.py) reads the scores."""
    found = _columns(ctx, query)
    if not found.candidates:
        return []
    index = _index(ctx)
    order, soc = index.order, index.soc
    later = found.by_family
    score = _scores(found, weights or WEIGHTS)
    scored = sorted((code in later, -value, order[code], code) for code, value in score.items())
    # Breadth in the first places: an occupation whose 6-digit SOC is already listed higher (an RN specialty
    # after Registered Nurses) gives way by SAME_SOC to the others (neutral on the development set, which
    # scores 6-digit SOC codes; "nurse" lists Licensed Practical Nurses among the first five).
    seen: set[str] = set()
    for i, (fam, neg, place, code) in enumerate(scored):
        if soc[code] in seen:
            scored[i] = (fam, neg + SAME_SOC, place, code)
        seen.add(soc[code])
    scored.sort()
    codes = index.codes
    return [(codes[code], score[code], code in later) for *_, code in scored]


def _rank(ctx: Ctx, query: Query, weights: dict[str, float] | None = None) -> list[str]:
    return [code for code, _score, _later in ranked(ctx, query, weights)]


def search_codes(ctx: Ctx, keyword: str) -> list[str]:
    """Every matching O*NET-SOC code, most relevant first (ties by title). Never raises on odd input."""
    keyword = keyword or ""
    codes = _code_matches(ctx, keyword)
    if codes is not None:
        return codes
    query = parse_query(ctx, keyword)
    if query is None:
        return []
    # Remembered per query in the bounded memo; a ranking holds the index's own code strings (8 bytes each).
    found = ctx.db.memo(("search", query.key), lambda: tuple(_rank(ctx, query)), bounded=True, size=_tuple_bytes)
    return list(found)


def _tuple_bytes(codes: tuple[str, ...]) -> int:
    return 56 + 8 * len(codes)


def search(ctx: Ctx, keyword: str, page: Page) -> dict:
    """`/online/search`: occupations matching the keyword, paged (20 by default). The envelope is the spec's
    (start, end, total, prev?, next?, occupation): no echo of the keyword, which clients generated from the
    official OpenAPI file (extra="forbid") reject."""
    codes = search_codes(ctx, keyword)
    items = [common.occupation_item(ctx, code) for code in page.slice(codes)]
    return ctx.paged(page, len(codes), "occupation", items)
