"""Derived build step: the keyword-search index over the imported O*NET tables.

Everything is normalised once by `search_terms.terms()` (the query goes through the same function), so the tables
hold canonical tokens; the search loads them into memory once per database file (`services.search._index`):

- `search_title`: one row per distinct title string of an occupation (O*NET title, alternate titles, short
  titles, sample of reported titles) with its kind, token count and IDF weight.
- `search_doc`: one row per occupation, its tokens by column: title / alternate / description / tasks /
  technology (the search holds them in memory: matching set, bm25 over description, tasks and technology).
- `search_prior`: a 0..1 prior per occupation from its national employment (OEWS), a tie-breaker between
  occupations whose titles match equally well ("server": waiters before computer occupations).
- `search_term`: every indexed token with its title-level document frequency and IDF (for IDF-weighted
  coverage) and the number of occupations using it anywhere (a query ignores unknown words).
- `search_family`: pairs of words of one family ("architect", "architectural", "architectur(e)") that the
  occupations use together, so that a query word also finds the occupations using another form of it.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable

from onetlocal.search_terms import KINDS, terms, title_terms
from onetlocal.soc import published_code, soc_code

#: A parenthesised part of a title ("Chief Executive Officer (CEO)"), indexed as a title of its own.
_PAREN = re.compile(r"\(([^()]*)\)")


#: Endings that make another word of the same family from a stem: the inflection "-ed" (not stemmed), adjectives
#: in "-al", "-ic", "-ical", and "-ure" nouns whose final e the stemmer drops (architect -> architectur(e) ->
#: architectural). Only for stems of FAMILY_MIN_STEM letters or more: shorter ones collide with unrelated words
#: (spin/spinal, sand/sandal, stat/static, anim/animal).
FAMILY_ENDINGS = ("ed", "al", "ic", "ical", "ur", "ural")
FAMILY_MIN_STEM = 6
#: A pair is kept when the occupations use both words together: at least FAMILY_SHARED occupations hold both,
#: and holding one makes holding the other FAMILY_LIFT times likelier than on average. This keeps
#: architect/architectural (lift 7), structure/structural (4), mechanic/mechanical (3.5) and drops forms that
#: went their own way: person/personal (2.1), practice/practical (1.6), structure/structured (1.4, "Structured
#: query language"), intern/internal (0.6).
FAMILY_SHARED, FAMILY_LIFT = 3, 3.0


def _build_families(conn: sqlite3.Connection, doc_tokens: dict[str, set[str]]) -> None:
    """`search_family` (both directions) from the occupations' document tokens (code -> tokens)."""
    conn.executescript(
        "DROP TABLE IF EXISTS search_family;"
        "CREATE TABLE search_family (token TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (token, word))"
        " WITHOUT ROWID;"
    )
    holders: dict[str, set[str]] = defaultdict(set)
    for code, tokens in doc_tokens.items():
        for tok in tokens:
            holders[tok].add(code)
    n = max(1, len(doc_tokens))
    pairs = []
    for stem_ in sorted(holders):
        if len(stem_) < FAMILY_MIN_STEM or not stem_.isalpha():
            continue
        for ending in FAMILY_ENDINGS:
            other = holders.get(stem_ + ending)
            if not other:
                continue
            shared = len(holders[stem_] & other)
            if shared >= FAMILY_SHARED and shared * n >= FAMILY_LIFT * len(holders[stem_]) * len(other):
                pairs += [(stem_, stem_ + ending), (stem_ + ending, stem_)]
    conn.executemany("INSERT OR IGNORE INTO search_family VALUES (?, ?)", pairs)


def _text(tokens: list[str]) -> str:
    return " ".join(tokens)


def _build_prior(conn: sqlite3.Connection, codes: list[str], have_oews: bool) -> None:
    """`search_prior`: each occupation's national employment (OEWS, by the code OEWS publishes its SOC occupation
    under, `soc.published_code`: a SOC code OEWS publishes only within a combination such as 21-1018 or the broad
    group 13-1020 gets an equal share of it with the others it stands for; else the median), as a 0..1 prior on its
    log. Without OEWS data every prior is 0 (no effect on ranking)."""
    conn.executescript(
        "DROP TABLE IF EXISTS search_prior;"
        "CREATE TABLE search_prior (code TEXT PRIMARY KEY, employment INTEGER, prior REAL NOT NULL) WITHOUT ROWID;"
    )
    national = {}
    if have_oews:
        national = dict(
            conn.execute("SELECT soc_code, employment FROM oews_wages WHERE area_type = 'N' AND employment IS NOT NULL")
        )
    socs = frozenset(soc_code(c) for c in codes)
    published = {soc: published_code(soc, national, socs) for soc in sorted(socs)}
    sharing = Counter(published.values())  # how many SOC occupations each published code stands for
    employment: dict[str, float] = {soc: national[code] / sharing[code] for soc, code in published.items() if code}
    rows = []
    if employment:
        logs = sorted(math.log10(max(v, 10)) for v in employment.values())
        low, high, median = logs[0], logs[-1], logs[len(logs) // 2]
        for code in codes:
            value = employment.get(soc_code(code))
            log = math.log10(max(value, 10)) if value is not None else median
            rows.append((code, round(value) if value is not None else None, (log - low) / ((high - low) or 1)))
    else:
        rows = [(code, None, 0.0) for code in codes]
    conn.executemany("INSERT INTO search_prior VALUES (?, ?, ?)", rows)


def build_search_index(
    conn: sqlite3.Connection, _source: object, progress: Callable[[str, int, int], None] | None = None
) -> dict:
    """Create the search tables from occupation_data, alternate_titles, sample_of_reported_titles,
    task_statements and technology_skills (the optional ones may be missing)."""
    # Views too: on a 30.3+ release alternate_titles and technology_skills are views of job_titles/software_skills.
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}

    def rows(table: str, sql: str) -> list[tuple]:
        return conn.execute(sql).fetchall() if table in tables else []

    occupations = rows("occupation_data", "SELECT onetsoc_code, title, description FROM occupation_data")
    titles: dict[tuple[str, str], str] = {}  # (code, token text) -> best kind

    def add_title(code: str, text: str | None, kind: str, tokens: list[str] | None = None) -> None:
        if not text:
            return
        if tokens is None and "(" in text:  # "Chief Executive Officer (CEO)": both parts, each a title
            for inner in _PAREN.findall(text):
                add_title(code, inner, kind)
            text = _PAREN.sub(" ", text)
        key = (code, _text(tokens if tokens is not None else terms(text)))
        if not key[1]:
            return
        best = titles.get(key)
        if best is None or KINDS[kind] > KINDS[best]:
            titles[key] = kind

    docs: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for code, title, description in occupations:
        add_title(code, title, "title", title_terms(title))
        docs[code]["title"].append(title)
        docs[code]["description"].append(description or "")
    for code, alt, short in rows(
        "alternate_titles", "SELECT onetsoc_code, alternate_title, short_title FROM alternate_titles"
    ):
        add_title(code, alt, "alternate")
        add_title(code, short, "short")
        docs[code]["alternate"].append(alt or "")
        docs[code]["alternate"].append(short or "")
    for code, reported in rows(
        "sample_of_reported_titles", "SELECT onetsoc_code, reported_job_title FROM sample_of_reported_titles"
    ):
        add_title(code, reported, "reported")
        docs[code]["alternate"].append(reported or "")
    for code, task in rows("task_statements", "SELECT onetsoc_code, task FROM task_statements"):
        docs[code]["tasks"].append(task or "")
    for code, example in rows("technology_skills", "SELECT onetsoc_code, example FROM technology_skills"):
        docs[code]["technology"].append(example or "")

    conn.executescript(
        """
        DROP TABLE IF EXISTS search_title; DROP TABLE IF EXISTS search_title_fts;
        DROP TABLE IF EXISTS search_doc_fts; DROP TABLE IF EXISTS search_doc; DROP TABLE IF EXISTS search_term;
        DROP TABLE IF EXISTS search_token_code;
        CREATE TABLE search_title (id INTEGER PRIMARY KEY, code TEXT NOT NULL, kind TEXT NOT NULL,
                                   tokens TEXT NOT NULL, ntok INTEGER NOT NULL, weight REAL NOT NULL DEFAULT 0);
        CREATE TABLE search_doc (code TEXT PRIMARY KEY, title TEXT NOT NULL, alternate TEXT NOT NULL,
                                 description TEXT NOT NULL, tasks TEXT NOT NULL, technology TEXT NOT NULL)
                                 WITHOUT ROWID;
        CREATE TABLE search_term (token TEXT PRIMARY KEY, df INTEGER NOT NULL, idf REAL NOT NULL,
                                  docs INTEGER NOT NULL) WITHOUT ROWID;
        """
    )
    ordered = sorted(titles.items())
    conn.executemany(
        "INSERT INTO search_title (id, code, kind, tokens, ntok) VALUES (?, ?, ?, ?, ?)",
        [(i, code, kind, text, len(text.split())) for i, ((code, text), kind) in enumerate(ordered, start=1)],
    )
    conn.execute("CREATE INDEX ix_search_title_code ON search_title (code)")

    df: Counter = Counter()
    for (_code, text), _kind in ordered:
        df.update(set(text.split()))
    columns = ("title", "alternate", "description", "tasks", "technology")
    doc_rows = []
    doc_df: Counter = Counter()
    doc_tokens: dict[str, set[str]] = {}
    for code, parts in sorted(docs.items()):
        if not parts.get("title"):
            continue
        texts = [
            _text(title_terms(parts[col][0]) if col == "title" else terms(" ; ".join(parts[col]))) for col in columns
        ]
        doc_tokens[code] = set(" ".join(texts).split())
        doc_df.update(doc_tokens[code])
        doc_rows.append((code, *texts))
    conn.executemany(
        "INSERT INTO search_doc (code, title, alternate, description, tasks, technology) VALUES (?, ?, ?, ?, ?, ?)",
        doc_rows,
    )
    n = max(1, len(ordered))
    idf = {tok: math.log(1 + n / max(1, df[tok])) for tok in doc_df}
    conn.executemany(
        "INSERT INTO search_term VALUES (?, ?, ?, ?)",
        [(tok, df[tok], idf[tok], count) for tok, count in doc_df.items()],
    )
    conn.executemany(
        "UPDATE search_title SET weight = ? WHERE id = ?",
        [
            (sum(idf.get(tok, 0.0) for tok in set(text.split())), i)
            for i, ((_code, text), _kind) in enumerate(ordered, start=1)
        ],
    )
    _build_families(conn, doc_tokens)
    _build_prior(conn, [code for code, *_ in occupations], "oews_wages" in tables)
    if progress:
        progress("search index", 1, 1)
    return {"search_titles": str(len(ordered))}
