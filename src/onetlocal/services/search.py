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
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np

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
#: Rows (title candidates) up to which a run's best three are found by sorting (`_best_three`).
SORTED_ROWS = 1024
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
    def exact_key(self) -> tuple:
        """Every field, hashable: queries with equal exact keys are ranked alike ("Nurse, Registered" and
        "registered nurse", or titles differing only in words the index does not hold)."""
        return (tuple(self.weights.items()), tuple(self.core), self.primary, tuple(self.family.items()), self.head)

    @property
    def key(self) -> str:
        return (
            " ".join(f"{t}:{w:g}" for t, w in self.weights.items())
            + "|"
            + " ".join(self.core)
            + "|"
            + (self.head or "")
        )


#: An empty id array (a word no title holds).
_NONE = np.zeros(0, dtype=np.intp)

#: A sparse column: (occupation ids, values).
_Sparse = tuple[np.ndarray, np.ndarray]


@dataclass
class _Index:
    """Everything a query needs, in memory (built once per database file from the search tables). What the ranking
    reads per title and per occupation is held as numpy arrays (ids are positions): scoring a query's ~230 title
    candidates and ~95 occupations is a few dozen array operations instead of thousands of dict lookups, the same
    IEEE operations in the same order, so the scores are the ones the plain Python loops gave, bit for bit. Bulk
    coding ranks 64 queries in each of those operations (`first_by_soc`): a query's scores are the same alone or in
    any batch."""

    codes: list[str]
    postings: dict[str, np.ndarray]  # token -> title ids, ascending
    holders: dict[str, frozenset[int]]  # token -> occupations whose document holds it anywhere
    words: list[str]  # title words, sorted (prefix expansion); a word's id is its place here
    word_ids: dict[str, int]
    # Spelling correction: the title words of 4 letters or more (sorted: an id order is the words' order), per
    # letter trigram the ids of the words holding it, each word's length and letter counts (`_letters`).
    spelt: list[str]
    grams: dict[str, np.ndarray]
    spelt_len: np.ndarray
    spelt_letters: np.ndarray
    # Per title: occupation, kind weight, IDF weight, head noun id (-1: none), id of its tokens that are no modifier.
    t_code: np.ndarray
    t_kind: np.ndarray
    t_weight: np.ndarray
    t_head: np.ndarray
    t_main: np.ndarray
    # Per title, the ids of its words: those of title i are t_tok[t_tok_ptr[i] : t_tok_ptr[i + 1]].
    t_tok_ptr: np.ndarray
    t_tok: np.ndarray
    head_ids: dict[str, int]
    main_ids: dict[frozenset[str], int]
    doc: dict[str, _Sparse]  # token -> occupations' bm25 term scores (description, tasks, technology)
    by_word: dict[str, _Sparse]  # token -> occupations' share of the titles holding it
    by_head: dict[str, _Sparse]  # head noun -> occupations' share of the titles it heads
    official: dict[str, np.ndarray]  # token -> occupations whose O*NET title holds it
    # Per occupation: Helpers--, First-Line Supervisors, employment prior, 6-digit SOC id, place in (title, code)
    # order (the ranking's tie-break).
    helper: np.ndarray
    supervisor: np.ndarray
    prior: np.ndarray
    soc: np.ndarray
    soc_count: int
    order: np.ndarray
    #: math.log1p(n) for every count of titles an occupation can have (numpy's log1p may differ in the last bit).
    log1p: np.ndarray


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


def _letters(word: str) -> list[int]:
    """How many of each letter a-z the word holds, and of any other letter (one count for all: still a lower
    bound of the edit distance, see `_correct`)."""
    counts = [0] * 27
    for ch in word:
        counts[ord(ch) - 97 if "a" <= ch <= "z" else 26] += 1
    return counts


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


def _sparse(values: dict[int, float]) -> _Sparse:
    return np.fromiter(values.keys(), np.intp, len(values)), np.fromiter(values.values(), np.float64, len(values))


def _index(ctx: Ctx) -> _Index:
    def load() -> _Index:
        names = common.occupations(ctx)
        codes = list(names)
        position = {code: i for i, code in enumerate(codes)}
        t_code: list[int] = []
        t_kind: list[float] = []
        t_weight: list[float] = []
        t_head: list[str | None] = []
        t_main: list[frozenset[str]] = []
        postings: dict[str, list[int]] = {}
        heads = {position[c]: _head_of(title_terms(o["title"].split(",")[0])) for c, o in names.items()}
        # By occupation (the ranker reads the titles of one occupation as one run of rows), then as built.
        for row in ctx.db.all("SELECT code, kind, tokens, weight FROM search_title ORDER BY code, id"):
            code = position.get(row["code"])
            if code is None:
                continue
            tokens = row["tokens"].split()
            tid = len(t_code)
            t_code.append(code)
            t_kind.append(KINDS.get(row["kind"], 0.8))
            t_weight.append(row["weight"])
            t_main.append(frozenset(tokens) - MODIFIERS)
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
            named = " ".join(row[col] or "" for col in ("title", "alternate")).split()
            weak = " ".join(row[col] or "" for col in ("description", "tasks", "technology")).split()
            for tok in {*named, *weak}:
                holders.setdefault(tok, set()).add(code)
            lengths[code] = len(weak)
            for tok, count in Counter(weak).items():
                tf.setdefault(tok, {})[code] = count
        avg = sum(lengths.values()) / max(1, len(lengths))
        n = len(codes)
        doc = {}
        for tok, counts in tf.items():
            idf = math.log(1 + (n - len(counts) + 0.5) / (len(counts) + 0.5))
            doc[tok] = _sparse(
                {
                    c: idf * f * (BM25_K1 + 1) / (f + BM25_K1 * (1 - BM25_B + BM25_B * lengths[c] / avg))
                    for c, f in counts.items()
                }
            )
        spelt = sorted(tok for tok in postings if tok.isalpha() and len(tok) >= 4)
        grams: dict[str, list[int]] = {}
        for i, tok in enumerate(spelt):
            for g in _grams(tok):
                grams.setdefault(g, []).append(i)
        official: dict[str, list[int]] = {}
        for c, o in names.items():
            for tok in set(title_terms(o["title"])):
                official.setdefault(tok, []).append(position[c])
        head_ids: dict[str, list[int]] = {}
        for tid, h in enumerate(t_head):
            if h is not None:
                head_ids.setdefault(h, []).append(t_code[tid])
        head_id = {h: i for i, h in enumerate(head_ids)}
        main_id: dict[frozenset[str], int] = {}
        for held in t_main:
            main_id.setdefault(held, len(main_id))
        socs = [code[:7] for code in codes]
        soc_id = {soc: i for i, soc in enumerate(dict.fromkeys(socs))}
        priors = _priors(ctx)
        words = sorted(postings)
        word_ids = {tok: i for i, tok in enumerate(words)}
        # Each title's word ids (ascending), from the postings: (title, word) pairs sorted by title.
        pair_title = np.concatenate([np.array(postings[tok], dtype=np.intp) for tok in words]) if words else _NONE
        pair_word = np.repeat(np.arange(len(words)), [len(postings[tok]) for tok in words])
        by_title = np.lexsort((pair_word, pair_title))
        return _read_only(
            _Index(
                codes,
                {tok: np.array(ids, dtype=np.intp) for tok, ids in postings.items()},
                {t: frozenset(v) for t, v in holders.items()},
                words,
                word_ids,
                spelt,
                {g: np.array(ids, dtype=np.intp) for g, ids in grams.items()},
                np.array([len(tok) for tok in spelt], dtype=np.intp),
                np.array([_letters(tok) for tok in spelt], dtype=np.intp).reshape(len(spelt), 27),
                np.array(t_code, dtype=np.intp),
                np.array(t_kind, dtype=np.float64),
                np.array(t_weight, dtype=np.float64),
                np.array([-1 if h is None else head_id[h] for h in t_head], dtype=np.intp),
                np.array([main_id[held] for held in t_main], dtype=np.intp),
                np.concatenate(([0], np.cumsum(np.bincount(pair_title, minlength=len(t_code))))),
                pair_word[by_title],
                head_id,
                main_id,
                doc,
                {tok: _sparse(_shares(t_code[i] for i in ids)) for tok, ids in postings.items()},
                {h: _sparse(_shares(ids)) for h, ids in head_ids.items()},
                {tok: np.array(ids, dtype=np.intp) for tok, ids in official.items()},
                np.array([o["title"].startswith("Helpers--") for o in names.values()], dtype=np.float64),
                np.array([o["title"].startswith("First-Line Supervisors") for o in names.values()], dtype=np.float64),
                np.array([priors.get(code, 0.0) for code in codes], dtype=np.float64),
                np.array([soc_id[soc] for soc in socs], dtype=np.intp),
                len(soc_id),
                np.array(_title_order(codes, names), dtype=np.intp),
                np.array([math.log1p(k) for k in range(len(t_code) + 1)], dtype=np.float64),
            )
        )

    return ctx.db.memo("search.index", load)


def _read_only(index: _Index) -> _Index:
    """The index with every array made read-only: requests on several threads (and forked coding workers) share it,
    so a query that wrote into one by mistake fails at once instead of changing the others' answers."""

    def freeze(value: object) -> None:
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
        elif isinstance(value, tuple):
            for item in value:
                freeze(item)
        elif isinstance(value, dict):
            for item in value.values():
                freeze(item)

    for name in index.__dataclass_fields__:
        freeze(getattr(index, name))
    return index


def _title_order(codes: list[str], names: dict) -> list[int]:
    """Each occupation's place when sorted by (title, code): equal to comparing the pairs themselves."""
    order = [0] * len(codes)
    for place, i in enumerate(sorted(range(len(codes)), key=lambda i: (names[codes[i]]["title"], codes[i]))):
        order[i] = place
    return order


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (edits, adjacent swaps) when at most `limit`, else more than `limit`. Only
    cells within `limit` of the diagonal are computed (one further off holds more than `limit` edits: it counts as
    limit + 1, which still makes every cell it leads to exceed `limit`); stops early when a row does."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    over = limit + 1
    size = len(b)
    prev2: list[int] = []
    prev = [j if j <= limit else over for j in range(size + 1)]
    for i in range(1, len(a) + 1):
        cur = [over] * (size + 1)
        if i <= limit:
            cur[0] = i
        here = a[i - 1]
        for j in range(max(1, i - limit), min(size, i + limit) + 1):
            value = prev[j - 1] + (here != b[j - 1])
            if prev[j] + 1 < value:
                value = prev[j] + 1
            if cur[j - 1] + 1 < value:
                value = cur[j - 1] + 1
            if i > 1 and j > 1 and here == b[j - 2] and a[i - 2] == b[j - 1] and prev2[j - 2] + 1 < value:
                value = prev2[j - 2] + 1
            cur[j] = value
        if min(cur) > limit:
            return over
        prev2, prev = prev, cur
    return min(prev[size], over)


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
    held = [index.grams[g] for g in grams if g in index.grams]
    shared = np.bincount(np.concatenate(held), minlength=len(index.spelt)) if held else np.zeros(0, dtype=np.intp)
    close = np.flatnonzero(shared >= need)
    close = close[np.abs(index.spelt_len[close] - len(word)) <= limit]
    # The most shared trigrams first, ties by word (ids are in word order).
    close = close[np.lexsort((close, -shared[close]))[:CORRECTION_CANDIDATES]]
    # A lower bound of the distance: the letters one word has more of than the other (an edit changes one letter
    # of each, a swap none); most candidates fail it without an alignment.
    excess = index.spelt_letters[close] - np.array(_letters(word))
    more = np.maximum(excess, 0).sum(axis=1)
    bound = np.maximum(more, more - excess.sum(axis=1))  # letters it has more of, letters it has fewer of
    best: tuple | None = None
    for cand, low in zip([index.spelt[i] for i in close.tolist()], bound.tolist(), strict=True):
        # Only a distance up to the best so far can still win: a tighter limit stops the comparison sooner.
        within = limit if best is None else best[0]
        if low > within:
            continue
        d = _distance(word, cand, within)
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


def _matching(index: _Index, query: Query) -> tuple[AbstractSet[int], AbstractSet[int]]:
    """The occupations whose document holds every core word, and (apart) those holding, for every core word,
    the word or a word of its family ("architect": "architectural"). When neither exists, those holding any
    query word."""

    def holding(words: Iterable[str]) -> set[int]:
        found: set[int] = set()
        for word in words:
            found |= index.holders.get(word, frozenset())
        return found

    exact: AbstractSet[int] | None = None
    for word in query.core:
        holders = index.holders.get(word, frozenset())
        exact = holders if exact is None else exact & holders  # never changed in place: no copy
    exact = exact or frozenset()
    family: AbstractSet[int] = frozenset()
    if any(t in query.family for t in query.core):
        family_set: set[int] | None = None
        for word in query.core:
            held = holding((word, *query.family.get(word, ())))
            family_set = held if family_set is None else family_set & held
        family = (family_set or set()) - exact
    if exact or family:
        return exact, family
    return holding(query.weights), set()


def _union(arrays: list[np.ndarray]) -> np.ndarray:
    """The ids in any of `arrays` (each ascending), ascending (a stable sort merges the ascending runs)."""
    if len(arrays) <= 1:
        return arrays[0] if arrays else _NONE
    ids = np.sort(np.concatenate(arrays), kind="stable")
    return ids[np.concatenate(([True], ids[1:] != ids[:-1]))]


def _held(ids: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """Which of `ids` are in `pool` (both ascending): a binary search per id, whatever the pool's size."""
    if not len(pool):
        return np.zeros(len(ids), dtype=bool)
    at = np.searchsorted(pool, ids)
    np.minimum(at, len(pool) - 1, out=at)
    return pool[at] == ids


def _spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ... of each span, spans one after another."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - ends + lengths, lengths) + np.arange(ends[-1] if len(ends) else 0)


@dataclass(frozen=True)
class _Bits:
    """A query's words as the bits of a title's mask: the query words in word order (`weight`, `idf`), then the
    family words in word order (`family_idf`; `owner`: the bit of the query word each belongs to). Summing a mask's
    values bit by bit adds them in word order: a fixed order, so equal scores stay equal from run to run."""

    words: list[str]
    weight: list[float]
    idf: list[float]
    family_idf: list[float]
    owner: list[int]


def _bits(query: Query, idf: dict[str, float]) -> _Bits:
    weights = query.weights
    owner = {v: t for t, words in query.family.items() for v in words}
    words, family = sorted(weights), sorted(owner)
    return _Bits(
        words + family,
        [weights[t] for t in words],
        [idf[t] for t in words],
        [idf.get(v, 0.0) for v in family],
        [words.index(owner[v]) for v in family],
    )


def _coverage(bits: _Bits, total: float, mask: int) -> tuple[float, float]:
    """(share of the query's weight, IDF weight) a title holding the words whose bits are set in `mask` holds: a
    query word counts in full, a word of its family for FAMILY of its query word (when that one is missing)."""
    held: float = 0  # as sum() starts
    explained: float = 0
    n = len(bits.weight)
    for i in range(n):
        if mask >> i & 1:
            held += bits.weight[i]
            explained += bits.idf[i]
    if not bits.owner:
        return held / total, explained
    related: set[int] = set()
    family: float = 0
    for j, value in enumerate(bits.family_idf):
        if mask >> (n + j) & 1:
            family += value
            related.add(bits.owner[j])
    missing: float = 0
    for i in sorted(related):
        if not mask >> i & 1:
            missing += bits.weight[i]
    return (held + FAMILY * missing) / total, explained + family


@dataclass(frozen=True)
class _Plan:
    """What a query reads of the index, looked up in plain Python before its batch's array operations: the
    occupations holding its words (`_matching`), its title candidates' id arrays (`fetched`; `core`: the titles
    holding every core word), its words as mask bits, and the ids its head noun and main words have in the index
    (-1: none)."""

    query: Query
    exact: AbstractSet[int]
    by_family: AbstractSet[int]
    core: np.ndarray | None
    fetched: list[np.ndarray]
    bits: _Bits
    total: float
    main: set[str]
    head: int
    main_id: int
    core_bits: int
    helper: bool
    supervisor: bool


def _plan(index: _Index, idf: dict[str, float], query: Query) -> _Plan | None:
    """None when no occupation holds the query's words."""
    exact, by_family = _matching(index, query)
    if not exact and not by_family:
        return None
    weights = query.weights
    owner = {v: t for t, words in query.family.items() for v in words}
    # Title candidates: titles holding every core word, or any of the query's less common words, or a word
    # of a query word's family.
    core: np.ndarray | None = None
    for ids in sorted((index.postings.get(word, _NONE) for word in query.core), key=len):
        core = ids if core is None else core[_held(core, ids)]
    fetched = [core if core is not None else _NONE]
    fetched += [index.postings.get(w, _NONE) for w in list(weights) + list(owner) if idf.get(w, 0.0) >= COMMON_IDF]
    fetched += [index.postings.get(w, _NONE) for w in owner if idf.get(w, 0.0) < COMMON_IDF]
    bits = _bits(query, idf)
    main = {t for t in query.primary if t not in MODIFIERS} or set(query.primary)
    main_id = index.main_ids.get(frozenset(main), -1)
    return _Plan(
        query,
        exact,
        by_family,
        core,
        [ids for ids in fetched if len(ids)],
        bits,
        sum(weights.values()),
        main,
        index.head_ids.get(query.head, -1) if query.head else -1,
        main_id,
        sum(1 << bits.words.index(t) for t in set(query.core)) if main_id >= 0 else 0,
        bool(HELPER_WORDS & weights.keys()),
        bool(SUPERVISOR_WORDS & weights.keys()),
    )


@dataclass(frozen=True)
class _Columns:
    """The features of a batch of queries' candidates: the candidates as (`query`: place in the batch, `ids`:
    occupation) pairs, ascending; per feature (FEATURES order) its value for each; whether each matched only through
    word families (`later`)."""

    query: np.ndarray
    ids: np.ndarray
    columns: list[np.ndarray]
    later: np.ndarray


def features(ctx: Ctx, query: Query) -> tuple[dict[int, list[float]], set[int]]:
    """occupation -> feature vector (FEATURES order) for every matching occupation, and the occupations
    matched only through word families (what benchmarks/search_train.py fits the weights on)."""
    found = _columns(ctx, [query])
    values = [column.tolist() for column in found.columns]
    codes = found.ids.tolist()
    return (
        {code: [column[i] for column in values] for i, code in enumerate(codes)},
        {code for code, later in zip(codes, found.later.tolist(), strict=True) if later},
    )


def _best_three(score: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per run of rows (each starting at `starts`): its best score, and its best three scores summed largest first
    (0.0 + a + b + c, as summing a sorted list does). A few rows (one query's) are sorted by (run, score); more by
    three passes that each take out one best row per run, cheaper than a sort of a batch's thousands of rows."""
    best = total = np.zeros(len(starts))
    if not len(starts):
        return best, total
    lengths = np.diff(np.append(starts, len(score)))
    if len(score) <= SORTED_ROWS:
        run = np.repeat(np.arange(len(starts)), lengths)
        ranked = score[np.lexsort((-score, run))]
        top = np.arange(len(score)) - starts[run] < 3
        return ranked[starts], np.bincount(run[top], weights=ranked[top], minlength=len(starts))
    rest = score.copy()
    positions = np.arange(len(score))
    for k in range(3):
        top = np.maximum.reduceat(rest, starts)
        if k == 0:
            best = top
        total = np.where(top > -np.inf, total + top, total)
        if k < 2:
            first = np.minimum.reduceat(np.where(rest == np.repeat(top, lengths), positions, len(score)), starts)
            rest[first] = -np.inf  # scores are >= 0; a run already emptied gives one of its rows again
    return best, total


def _by_word(plans: list[tuple[int, _Plan]], table: dict[str, _Sparse], n: int, size: int) -> np.ndarray:
    """(query x occupation) -> sum over the query's words of (the word's share of the query's weight) x
    table[word][occupation], flat: bincount adds the words in query order (0.0 + a + b, as a dict summing them
    would)."""
    keys, values, scale = [], [], []
    for q, plan in plans:
        for word, weight in plan.query.weights.items():
            held = table.get(word)
            if held is not None:
                keys.append(held[0] + q * n if q else held[0])
                values.append(held[1])
                scale.append(weight / plan.total)
    if not keys:
        return np.zeros(size)
    lengths = [len(k) for k in keys]
    weights = np.repeat(np.array(scale), lengths) * np.concatenate(values)
    return np.bincount(np.concatenate(keys), weights=weights, minlength=size)


def _ids(found: Iterable[tuple[int, np.ndarray]], width: int) -> np.ndarray:
    """The arrays' ids, each moved into its query's block of `width` ids (query q: + q * width), one after another."""
    arrays = [ids + q * width if q else ids for q, ids in found]
    return np.concatenate(arrays) if len(arrays) > 1 else arrays[0] if arrays else _NONE


def _masks(index: _Index, plans: list[tuple[int, _Plan]], rq: np.ndarray, rt: np.ndarray) -> np.ndarray:
    """Per candidate row (query rq, title rt): the bits of the query's words the title holds. In a batch, each title's
    words are looked up in one sorted table of (query, word) keys."""
    wide = any(len(plan.bits.words) >= 63 for _q, plan in plans)
    masks = np.zeros(len(rt), dtype=object if wide else np.int64)
    if len(plans) == 1:
        # One query (a search): a binary search per word in its postings takes fewer calls than the table.
        for i, word in enumerate(plans[0][1].bits.words):
            np.bitwise_or(masks, 1 << i, out=masks, where=_held(rt, index.postings.get(word, _NONE)))
        return masks
    width = len(index.words)
    keys, bits = [], []
    for q, plan in plans:
        for i, word in enumerate(plan.bits.words):
            wid = index.word_ids.get(word)
            if wid is not None:
                keys.append(q * width + wid)
                bits.append(1 << i)
    if not keys or not len(rt):
        return masks
    table = np.array(keys, dtype=np.int64)
    order = np.argsort(table)
    table, values = table[order], np.array(bits, dtype=masks.dtype)[order]
    starts = index.t_tok_ptr[rt]
    lengths = index.t_tok_ptr[rt + 1] - starts
    row = np.repeat(np.arange(len(rt)), lengths)
    wanted = rq[row] * width + index.t_tok[_spans(starts, lengths)]
    at = np.searchsorted(table, wanted)
    np.minimum(at, len(table) - 1, out=at)
    hit = table[at] == wanted
    np.bitwise_or.at(masks, row[hit], values[at[hit]])
    return masks


def _columns(ctx: Ctx, queries: list[Query]) -> _Columns:
    """The candidates' features of a batch of queries, column by column, computed on arrays (see `_Index`) for the
    whole batch at once (per-call costs are paid once per batch, not per query). Rows are (query, title candidate)
    pairs: the query words a title holds are bits of a mask; the few distinct (query, mask) pairs get their coverage
    in plain Python (sums in a fixed word order), every row its score by array arithmetic; per (query, occupation)
    the best title, its best three (summed largest first), its best head-noun match and exact titles are reductions
    by a combined id. Scores are the same, bit for bit, whatever the batch."""
    index, idf = _index(ctx), _vocab(ctx).idf
    n, nt, nq = len(index.codes), len(index.t_code), len(queries)
    size = nq * n
    found = [(q, p) for q, p in enumerate(_plan(index, idf, query) for query in queries) if p is not None]
    # Rows: (query, title) as q * nt + title, ascending.
    rows = _union([ids + q * nt if q else ids for q, plan in found for ids in plan.fetched])
    rq, rt = np.divmod(rows, nt)
    counts = np.bincount(rq, minlength=nq)
    if counts.max(initial=0) > MAX_TITLES:
        # A common word alone ("operator"): the shortest titles (least IDF weight) score best; the rest
        # cannot change an occupation's best or top three.
        keep = np.ones(len(rows), dtype=bool)
        starts = np.cumsum(counts) - counts
        for q in np.flatnonzero(counts > MAX_TITLES).tolist():
            span = slice(starts[q], starts[q] + counts[q])
            keep[starts[q] + np.argsort(index.t_weight[rt[span]], kind="stable")[MAX_TITLES:]] = False
        rq, rt = rq[keep], rt[keep]
    masks = _masks(index, found, rq, rt)
    # The distinct (query, mask) pairs, and each row's.
    order = np.lexsort((masks, rq))
    sq, sm = rq[order], masks[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (sq[1:] != sq[:-1]) | (sm[1:] != sm[:-1])
    which = np.empty(len(order), dtype=np.intp)
    which[order] = np.cumsum(new) - 1
    plans = dict(found)
    covered = [
        _coverage(plans[q].bits, plans[q].total, m) for q, m in zip(sq[new].tolist(), sm[new].tolist(), strict=True)
    ]
    qcov = np.array([c[0] for c in covered], dtype=np.float64)[which]
    explained = np.array([c[1] for c in covered], dtype=np.float64)[which]
    # The share of the title's weight the query explains: 1 when it explains all of it, 0 for a weightless title.
    tw = index.t_weight[rt]
    tcov = np.divide(explained, tw, out=np.ones(len(tw)), where=explained < tw)
    tcov[tw == 0] = 0.0
    score = index.t_kind[rt] * qcov * qcov * np.sqrt(tcov)
    # Per (query, occupation) its best title and best three. Titles are stored by occupation: the rows of one
    # (query, occupation) follow one another.
    owners = rq * n + index.t_code[rt]
    starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1]))) if len(owners) else _NONE
    title, top3 = np.zeros(size), np.zeros(size)
    title[owners[starts]], top3[owners[starts]] = _best_three(score, starts)
    per_query = np.array([[-1, -1, 0, 1, 0, 0]] * nq, dtype=masks.dtype)  # head, main id, core bits, len(main), ...
    for q, plan in found:
        per_query[q] = (plan.head, plan.main_id, plan.core_bits, len(plan.main) or 1, plan.helper, plan.supervisor)
    head = np.zeros(size)
    qhead = per_query[rq, 0].astype(np.intp)
    headed = (qhead >= 0) & (index.t_head[rt] == qhead)
    np.maximum.at(head, owners[headed], qcov[headed])
    exact_title = np.zeros(size)
    main_id, core_bits = per_query[rq, 1].astype(np.intp), per_query[rq, 2]
    exact_title[owners[(main_id >= 0) & (index.t_main[rt] == main_id) & (masks & core_bits == core_bits)]] = 1.0
    # Titles holding every core word, per occupation (counted apart: the scored titles may be capped).
    hits = np.bincount(_ids(((q, index.t_code[p.core]) for q, p in found if p.core is not None), n), minlength=size)
    # Occupations holding only part of the query, in their titles, compete too (a held-out or new title
    # rarely has every word in its occupation's text: "Meal Attendant" for flight attendants).
    held_all = np.zeros(size, dtype=bool)
    held_all[_ids(((q, np.fromiter(p.exact, np.intp, len(p.exact))) for q, p in found), n)] = True
    later = np.zeros(size, dtype=bool)
    later[_ids(((q, np.fromiter(p.by_family, np.intp, len(p.by_family))) for q, p in found), n)] = True
    held_all |= later
    # From here on, the candidates' values only.
    candidates = np.flatnonzero((title > 0) | held_all)
    cq, ids = np.divmod(candidates, n)
    doc = _by_word(found, index.doc, n, size)[candidates]
    top_doc = np.zeros(nq)
    np.maximum.at(top_doc, cq, doc)
    top_doc[top_doc == 0] = 1.0
    top_hits = index.log1p[hits.reshape(nq, n).max(axis=1)]
    top_hits[top_hits == 0] = 1.0
    shared = np.bincount(
        _ids(((q, index.official.get(word, _NONE)) for q, p in found for word in p.main), n), minlength=size
    )
    headp = np.zeros(size)
    for q, plan in found:
        if plan.query.head and plan.query.head in index.by_head:
            headed_codes, shares = index.by_head[plan.query.head]
            headp[headed_codes + q * n if q else headed_codes] = shares
    helper_q, super_q = per_query[cq, 4].astype(bool), per_query[cq, 5].astype(bool)
    helpers, supervisors = index.helper[ids], index.supervisor[ids]
    columns = [
        title[candidates],
        head[candidates],
        exact_title[candidates],
        index.log1p[hits[candidates]] / top_hits[cq],
        doc / top_doc[cq],
        index.prior[ids],
        np.where(helper_q, helpers, 0.0),
        np.where(helper_q, 0.0, helpers),
        np.where(super_q, supervisors, 0.0),
        np.where(super_q, 0.0, supervisors),
        shared[candidates] / per_query[cq, 3].astype(np.intp),
        top3[candidates] / 3,
        headp[candidates],
        _by_word(found, index.by_word, n, size)[candidates],
        (~held_all[candidates]).astype(np.float64),
    ]
    return _Columns(cq, ids, columns, later[candidates])


@dataclass(frozen=True)
class _Sorted:
    """A batch's candidates by (query, family-only last, score, title order), before SAME_SOC: `query` (position in
    the batch), `ids` (occupations), their scores, whether each holds only words of the families, and whether its
    6-digit SOC is listed higher for the same query."""

    query: np.ndarray
    ids: np.ndarray
    score: np.ndarray
    later: np.ndarray
    repeated: np.ndarray


def _sorted(ctx: Ctx, queries: list[Query], weights: dict[str, float] | None) -> _Sorted:
    """The weighted sum of each candidate's features, added feature by feature in FEATURES order (a feature it
    lacks adds w * 0.0, which changes no sum), then the candidates sorted."""
    found = _columns(ctx, queries)
    index = _index(ctx)
    weights = weights or WEIGHTS
    score = np.zeros(len(found.ids))
    for name, column in zip(FEATURES, found.columns, strict=True):
        score += weights[name] * column
    first = np.lexsort((index.order[found.ids], -score, found.later, found.query))
    qs, ids = found.query[first], found.ids[first]
    socs = qs * index.soc_count + index.soc[ids]
    place = np.arange(len(ids))
    earliest = np.full(len(queries) * index.soc_count, len(ids))
    np.minimum.at(earliest, socs, place)
    return _Sorted(qs, ids, score[first], found.later[first], earliest[socs] != place)


def ranked(ctx: Ctx, query: Query, weights: dict[str, float] | None = None) -> list[tuple[str, float, bool]]:
    """Every candidate O*NET-SOC code with its score, in the order `/online/search` lists them: those holding the
    query's words first, then those holding only words of their families (fewer exact mentions: "architect" ->
    Architecture Teachers), each group by score, ties by title (then code). Each entry: (code, score, whether it
    holds only words of the families)."""
    found = _sorted(ctx, [query], weights)
    index, ids = _index(ctx), found.ids
    # Breadth in the first places: an occupation whose 6-digit SOC is already listed higher (an RN specialty
    # after Registered Nurses) gives way by SAME_SOC to the others (neutral on the development set, which
    # scores 6-digit SOC codes; "nurse" lists Licensed Practical Nurses among the first five).
    neg = -found.score
    neg = np.where(found.repeated, neg + SAME_SOC, neg)
    final = np.lexsort((index.order[ids], neg, found.later))
    codes = index.codes
    return [
        (codes[code], value, fam)
        for code, value, fam in zip(
            ids[final].tolist(), found.score[final].tolist(), found.later[final].tolist(), strict=True
        )
    ]


#: Queries ranked together by `first_by_soc` (a batch's arrays are queries x occupations: ~64 fit in cache).
BATCH = 64


def first_by_soc(ctx: Ctx, queries: list[Query], limit: int) -> list[list[tuple[str, float, bool]]]:
    """Per query, the entries of `ranked()` that are the first of their 6-digit SOC code, the first `limit` of them
    (what bulk coding reads: services/coding.py), without ranking the rest; queries are ranked BATCH at a time.
    SAME_SOC only lowers a code listed after another of its SOC, so it never moves a first one: these are the first
    of their SOC before it, in the same order."""
    codes = _index(ctx).codes
    out: list[list[tuple[str, float, bool]]] = []
    for start in range(0, len(queries), BATCH):
        batch = queries[start : start + BATCH]
        found = _sorted(ctx, batch, None)
        first = np.flatnonzero(~found.repeated)
        qs = found.query[first]
        kept = np.arange(len(qs)) - np.searchsorted(qs, qs) < limit
        first = first[kept]
        bounds = np.searchsorted(qs[kept], np.arange(len(batch) + 1)).tolist()
        names = [codes[i] for i in found.ids[first].tolist()]
        entries = list(zip(names, found.score[first].tolist(), found.later[first].tolist(), strict=True))
        out += [entries[a:b] for a, b in itertools.pairwise(bounds)]
    return out


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
