"""The search development set, built at run time from the O*NET release (nothing of it is committed).

Labelled titles: every Alternate Title, Short Title and Sample of Reported Titles row (~60k), grouped by their
normalised form (the search's own `terms()`, as a set: word order and duplicates ignored; grouping by the
search's normalisation holds out a title together with every title the search would treat as the same). A
group's label is every 6-digit SOC code holding that form (a title shared by two occupations is right for
either). Groups whose form is an official O*NET occupation title are left out (those are answered by the title
itself).

Parts, pairwise disjoint (`PARTS`; a fixed hash of the normalised form puts each group in one of 100 buckets):

- tune (buckets 0-3): what `search_train.py` fits the weights on and the only part whose queries and answers
  may be printed (`search_quality.py --show`);
- final (buckets 8-11): read only to report figures (`search_quality.py --dev final`, the regression floor in
  tests/test_search.py); never tuned on, never printed query by query. Buckets 4-7 were the final part until
  issue 20: scored while the current ranker was designed, with nothing to stop `--show` on them; they are
  retired (in no part);
- pattern (reporting only, like final): titles unlike any in the files. Every title holding one of a random
  set of words is held out, so the word is unknown to every remaining alternate and reported title; the groups
  scored are those in no other part nor the retired buckets.

Hold-out: scoring a part uses an index built without any title row of that part's groups (for pattern: of
every group holding a chosen word; `holdout_db`), so a title is never found through itself or an exact
duplicate; descriptions and tasks stay (they are not titles).

Each held-out title is asked in up to five kinds (deterministic per title; the rules are in
search_variants.py and never read the search's lexicon):

- exact: the title as written;
- reordered: inverted the way coding indexes write titles ("Line Cook" -> "Cook, Line");
- misspelled: keyboard typos in one or two words;
- abbreviated: common words truncated or without vowels, or a common compound as initials;
- qualified: job-ad qualifiers (seniority, level, schedule, pay, place, a hiring call).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from data.search_variants import TitleStats, abbreviate, misspell, qualify, reorder, title_stats

SEED = "onetlocal-search-dev-1"
PARTS = {"tune": range(0, 4), "final": range(8, 12)}
#: The first final part (see above): in no part.
RETIRED = range(4, 8)
#: Bump when the variant rules change: held-out databases record it with their held-out groups.
VERSION = 2
KINDS = ("exact", "reordered", "misspelled", "abbreviated", "qualified")


@dataclass(frozen=True)
class Item:
    query: str
    labels: frozenset[str]  # 6-digit SOC codes
    source: str  # alternate | short | reported
    kind: str
    title: str  # the held-out title the query was made from
    #: What the variant wrote: the abbreviations, the misspelt words, the qualifier text (none for exact and
    #: reordered).
    added: tuple[str, ...] = field(default=())


def _rows(release: Path, name: str) -> list[dict[str, str]]:
    with open(release / f"{name}.txt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _key(text: str) -> str:
    from onetlocal.search_terms import terms

    return " ".join(sorted(set(terms(text))))


def _bucket(key: str) -> int:
    return int(hashlib.sha1(f"{SEED}|{key}".encode()).hexdigest(), 16) % 100


@functools.lru_cache(maxsize=2)
def labelled_titles(release: Path) -> tuple[dict[str, list[tuple[str, str, str]]], set[str]]:
    """normalised form -> [(source, title, code)], and the normalised official titles (read once per release;
    not to be changed by callers)."""
    groups: dict[str, list[tuple[str, str, str]]] = {}

    def add(source: str, title: str, code: str) -> None:
        if title and title != "n/a":
            key = _key(title)
            if key:
                groups.setdefault(key, []).append((source, title, code))

    for row in _rows(release, "Alternate Titles"):
        add("alternate", row["Alternate Title"], row["O*NET-SOC Code"])
        add("short", row["Short Title"], row["O*NET-SOC Code"])
    for row in _rows(release, "Sample of Reported Titles"):
        add("reported", row["Reported Job Title"], row["O*NET-SOC Code"])
    official = {_key(row["Title"]) for row in _rows(release, "Occupation Data")}
    return groups, official


def part_groups(release: Path, part: str) -> dict[str, list[tuple[str, str, str]]]:
    """The groups scored in `part` (tune, final or pattern)."""
    return _parts(release, part)[0]


def _parts(release: Path, part: str) -> tuple[dict[str, list[tuple[str, str, str]]], set[str]]:
    """The part's scored groups and the groups its index is built without."""
    groups, official = labelled_titles(release)
    if part == "pattern":
        held = _pattern_keys(groups, official)
        taken = set(RETIRED).union(*PARTS.values())
        return {k: groups[k] for k in held if _bucket(k) not in taken}, held
    scored = {k: v for k, v in groups.items() if _bucket(k) in PARTS[part] and k not in official}
    return scored, set(scored)


#: The "pattern" part: every title holding one of a random set of words (PATTERN_SHARE % of the words used by
#: PATTERN_DF titles) is held out, so the word is unknown to every remaining alternate and reported title: an
#: estimate for titles unlike any in the files (coding-index entries that no O*NET file holds, job ads).
#: Official titles keep the word.
PATTERN_SHARE, PATTERN_DF = 3, range(3, 101)


def _pattern_keys(groups: dict, official: set[str]) -> set[str]:
    df: dict[str, int] = {}
    for key in groups:
        for word in key.split():
            df[word] = df.get(word, 0) + 1
    chosen = {w for w, n in df.items() if n in PATTERN_DF and _bucket(f"word|{w}") < PATTERN_SHARE}
    return {k for k in groups if k not in official and chosen & set(k.split())}


def variants(title: str, seed: str, stats: TitleStats) -> dict[str, tuple[str, tuple[str, ...]] | None]:
    """kind -> (query, what the variant added) or None, for one title (the rules: search_variants.py). Each
    rule draws from its own generator (`seed` and the kind): changing one rule never changes another's."""

    def rng(kind: str) -> random.Random:
        return random.Random(f"{seed}|{kind}")

    reordered = reorder(title)
    return {
        "exact": (title, ()),
        "reordered": (reordered, ()) if reordered else None,
        "misspelled": misspell(title, rng("misspelled")),
        "abbreviated": abbreviate(title, rng("abbreviated"), stats),
        "qualified": qualify(title, rng("qualified")),
    }


def items(release: Path, part: str, limit: int | None = None) -> list[Item]:
    """The part's queries, every kind; `limit` keeps the first groups (by hash) only."""
    return subset(release, part, limit)[0]


def subset(release: Path, part: str, limit: int | None = None) -> tuple[list[Item], set[str]]:
    """The queries of the part's first `limit` groups (by hash; all when None), and the groups to hold out
    for them (`holdout_db(..., groups=...)`: those groups; for pattern every group holding a chosen word)."""
    scored, held = _parts(release, part)
    groups = first_groups(scored, limit)
    found = queries(groups, title_stats(release))
    return found, held if part == "pattern" else {key for key, _rows in groups}


def first_groups(scored: dict, limit: int | None) -> list:
    """The first `limit` (key, rows) groups of `scored` by the hash of their key (all when None)."""
    return sorted(scored.items(), key=lambda kv: hashlib.sha1(kv[0].encode()).hexdigest())[:limit]


def queries(groups: list, stats) -> list[Item]:
    """One title drawn per group (seeded by its key), asked in every kind its variants make."""
    found = []
    for key, rows in groups:
        rng = random.Random(f"{SEED}|{key}")
        source, title, _code = rng.choice(sorted(rows))
        labels = frozenset(code[:7] for _s, _t, code in rows)
        made = variants(title, f"{SEED}|{key}", stats)
        for kind in KINDS:
            if made[kind]:
                query, added = made[kind]
                found.append(Item(query, labels, source, kind, title, added))
    return found


#: The tables the search index is built from (oews_wages: national rows only, for the employment prior), and
#: `meta` (a database without it is not served).
SOURCE_TABLES = {
    "meta": "",
    "occupation_data": "",
    "alternate_titles": "",
    "sample_of_reported_titles": "",
    "task_statements": "",
    "technology_skills": "",
    "oews_wages": " WHERE area_type = 'N'",
}


def _fingerprint(held: set[str]) -> str:
    return hashlib.sha1(f"{VERSION}|{SEED}|".encode() + "\n".join(sorted(held)).encode()).hexdigest()


def holdout_db(base: Path, target: Path, release: Path, part: str, groups: set[str] | None = None) -> Path:
    """A small database holding the search's source tables of `base` without the alternate / reported titles
    of the part's held-out groups (or of `groups`), and the search index built from them. Kept when `target`
    is newer than `base` and was built without the same groups (table `devset_holdout`)."""
    held = groups if groups is not None else _parts(release, part)[1]
    fingerprint = _fingerprint(held)
    if target.exists() and target.stat().st_mtime > base.stat().st_mtime:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            if conn.execute("SELECT fingerprint FROM devset_holdout").fetchone() == (fingerprint,):
                return target
        except sqlite3.Error:
            pass
        finally:
            conn.close()
    from onetlocal.ingest.search_index import build_search_index

    tmp = target.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    conn.execute("ATTACH DATABASE ? AS base", (f"file:{base}?mode=ro",))
    present = {r[0] for r in conn.execute("SELECT name FROM base.sqlite_master WHERE type IN ('table', 'view')")}
    for table, where in SOURCE_TABLES.items():
        if table in present:
            conn.execute(f"CREATE TABLE main.{table} AS SELECT * FROM base.{table}{where}")
    conn.commit()
    conn.execute("DETACH DATABASE base")
    conn.create_function("held", 1, lambda t: int(bool(t) and _key(t) in held), deterministic=True)
    conn.execute("DELETE FROM alternate_titles WHERE held(alternate_title) OR held(short_title)")
    conn.execute("DELETE FROM sample_of_reported_titles WHERE held(reported_job_title)")
    build_search_index(conn, None)
    conn.execute("CREATE TABLE devset_holdout (fingerprint TEXT NOT NULL)")
    conn.execute("INSERT INTO devset_holdout VALUES (?)", (fingerprint,))
    conn.commit()
    conn.close()
    tmp.replace(target)
    return target
