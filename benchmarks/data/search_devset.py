"""The search development set, built at run time from the O*NET release (nothing of it is committed).

Labelled titles: every Alternate Title, Short Title and Sample of Reported Titles row (~60k), grouped by their
normalised form (the search's own `terms()`, as a set: word order and duplicates ignored). A group's label is
every 6-digit SOC code holding that form (a title shared by two occupations is right for either). Groups whose
form is an official O*NET occupation title are left out (those are answered by the title itself).

Split: a fixed hash of the normalised form puts each group in one of 100 buckets; buckets 0-3 are the tuning
part, 4-7 the final part (looked at only when reporting). A third part, "pattern" (reporting only), holds out
every title holding one of a random set of words (`_pattern_groups`). Hold-out: scoring a part uses an index built without
any title row of that part's groups (`holdout_db`), so a title is never found through itself or an exact
duplicate; descriptions and tasks stay (they are not titles).

Each held-out title is asked in up to five kinds (deterministic per title):

- exact: the title as written;
- reordered: inverted the way coding indexes write titles ("Line Cook" -> "Cook, Line");
- misspelled: two letter edits in its longest word of 6+ letters;
- abbreviated: words replaced by common job-ad abbreviations (a list of its own, not the search's table);
- qualified: a seniority / schedule qualifier added ("Senior ...", "... - Full Time", "... II").
"""

from __future__ import annotations

import csv
import hashlib
import random
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SEED = "onetlocal-search-dev-1"
PARTS = {"tune": range(0, 4), "final": range(4, 8)}
KINDS = ("exact", "reordered", "misspelled", "abbreviated", "qualified")

#: Abbreviations as job ads write them (independent of the search's own table, which it partly tests).
ABBREV = {
    "manager": "mgr", "management": "mgmt", "assistant": "asst", "associate": "assoc", "senior": "sr",
    "junior": "jr", "technician": "tech", "technologist": "tech", "engineer": "engr", "engineering": "eng",
    "representative": "rep", "specialist": "spec", "coordinator": "coord", "supervisor": "supv",
    "director": "dir", "department": "dept", "administrative": "admin", "administrator": "admin",
    "maintenance": "maint", "operations": "ops", "operator": "oper", "service": "svc", "services": "svcs",
    "accounting": "acctg", "accountant": "acct", "mechanic": "mech", "electrical": "elec",
    "equipment": "equip", "manufacturing": "mfg", "production": "prod", "marketing": "mktg",
    "development": "dev", "developer": "dev", "executive": "exec", "laboratory": "lab",
    "information technology": "IT", "human resources": "HR", "quality assurance": "QA",
    "registered nurse": "RN", "licensed practical nurse": "LPN", "vice president": "VP",
    "general manager": "GM", "customer service representative": "CSR", "pharmacy": "pharm",
}
QUALIFIERS = ("Senior {}", "Junior {}", "Experienced {}", "Entry Level {}", "{} II", "{} - Full Time",
              "{} (Night Shift)", "{} - Part Time")

_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Item:
    query: str
    labels: frozenset[str]  # 6-digit SOC codes
    source: str  # alternate | short | reported
    kind: str
    title: str  # the held-out title the query was made from


def _rows(release: Path, name: str) -> list[dict[str, str]]:
    with open(release / f"{name}.txt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _key(text: str) -> str:
    from onetlocal.search_terms import terms

    return " ".join(sorted(set(terms(text))))


def _bucket(key: str) -> int:
    return int(hashlib.sha1(f"{SEED}|{key}".encode()).hexdigest(), 16) % 100


def labelled_titles(release: Path) -> tuple[dict[str, list[tuple[str, str, str]]], set[str]]:
    """normalised form -> [(source, title, code)], and the normalised official titles."""
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
    groups, official = labelled_titles(release)
    if part == "pattern":
        return _pattern_groups(groups, official)
    return {k: v for k, v in groups.items() if _bucket(k) in PARTS[part] and k not in official}


#: The "pattern" part (reporting only, never tuned on): every title holding one of a random set of words
#: (PATTERN_SHARE % of the words used by PATTERN_DF titles), so the word is unknown to every remaining
#: alternate and reported title: an estimate for titles unlike any in the files (coding-index entries that
#: no O*NET file holds, job ads). Official titles keep the word.
PATTERN_SHARE, PATTERN_DF = 3, range(3, 101)


def _pattern_groups(groups: dict, official: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    df: dict[str, int] = {}
    for key in groups:
        for word in key.split():
            df[word] = df.get(word, 0) + 1
    chosen = {w for w, n in df.items() if n in PATTERN_DF and _bucket(f"word|{w}") < PATTERN_SHARE}
    return {k: v for k, v in groups.items() if k not in official and chosen & set(k.split())}


def _reorder(title: str) -> str | None:
    words = title.split()
    if len(words) < 2 or "," in title or "(" in title:
        return None
    return f"{words[-1]}, {' '.join(words[:-1])}"


def _misspell(title: str, rng: random.Random) -> str | None:
    words = _WORD.findall(title)
    longest = max(words, key=len, default="")
    if len(longest) < 6:
        return None
    word = longest.lower()
    for _ in range(2):
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("delete", "swap", "replace", "insert"))
        if op == "delete":
            word = word[:i] + word[i + 1:]
        elif op == "swap":
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif op == "replace":
            word = word[:i] + rng.choice("aeiounrst") + word[i + 1:]
        else:
            word = word[:i] + rng.choice("aeiounrst") + word[i:]
    return title.replace(longest, word, 1)


def _abbreviate(title: str) -> str | None:
    out = title
    for full in sorted(ABBREV, key=len, reverse=True):
        out = re.sub(rf"\b{re.escape(full)}\b", ABBREV[full], out, flags=re.I)
    return out if out != title else None


def _qualify(title: str, rng: random.Random) -> str:
    return rng.choice(QUALIFIERS).format(title)


def items(release: Path, part: str, limit: int | None = None) -> list[Item]:
    """The part's queries, every kind; `limit` keeps the first groups (by hash) only."""
    return subset(release, part, limit)[0]


def subset(release: Path, part: str, limit: int | None = None) -> tuple[list[Item], set[str]]:
    """The queries of the part's first `limit` groups (by hash; all when None), and those groups' keys (to
    hold out only them: `holdout_db(..., groups=keys)`)."""
    found = []
    groups = sorted(part_groups(release, part).items(), key=lambda kv: hashlib.sha1(kv[0].encode()).hexdigest())
    for key, rows in groups[:limit]:
        rng = random.Random(f"{SEED}|{key}")
        source, title, _code = rng.choice(sorted(rows))
        labels = frozenset(code[:7] for _s, _t, code in rows)
        variants = {"exact": title, "reordered": _reorder(title), "misspelled": _misspell(title, rng),
                    "abbreviated": _abbreviate(title), "qualified": _qualify(title, rng)}
        for kind in KINDS:
            if variants[kind]:
                found.append(Item(variants[kind], labels, source, kind, title))
    return found, {key for key, _rows in groups[:limit]}


#: The tables the search index is built from (oews_wages: national rows only, for the employment prior), and
#: `meta` (a database without it is not served).
SOURCE_TABLES = {"meta": "", "occupation_data": "", "alternate_titles": "", "sample_of_reported_titles": "",
                 "task_statements": "", "technology_skills": "", "oews_wages": " WHERE area_type = 'N'"}


def holdout_db(base: Path, target: Path, release: Path, part: str, groups: set[str] | None = None) -> Path:
    """A small database holding the search's source tables of `base` without the alternate / reported titles
    of the part's groups (or of `groups`), and the search index built from them (kept when `target` is newer
    than `base`)."""
    if target.exists() and target.stat().st_mtime > base.stat().st_mtime:
        return target
    from onetlocal.ingest.search_index import build_search_index

    held = groups if groups is not None else set(part_groups(release, part))
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
    conn.commit()
    conn.close()
    tmp.replace(target)
    return target
