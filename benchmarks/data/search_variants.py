"""How the development set asks a held-out title: the four variant rules (reordered, misspelled, abbreviated,
qualified) beside the title as written.

The rules never read the search's own lexicon (`search_terms.ABBREVIATIONS`, `MODIFIERS`) nor its
normalisation (`terms()`): a variant made with the search's own table only tests that the table is applied.
Abbreviations come from spelling rules (truncation, vowel dropping, initials) over the words the release's titles
use most; qualifiers from a list of job-ad phrasing written for this file; misspellings from a keyboard typo
model. `search_quality.py` prints how much of what they produce the lexicon happens to hold.

Every rule takes the title and a `random.Random` seeded by the title's group, so a title's variants never change
from run to run.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_WORD = re.compile(r"[A-Za-z]+")
_VOWELS = frozenset("aeiouy")
#: Words that join a title's parts; never part of an initials run.
_JOINING = frozenset("and or of the for in on at to with all other except".split())


# -- statistics of the release's titles (which words and pairs job titles use most) --------------------------

#: A word is abbreviated when it is among the ABBREV_TOP most used words of ABBREV_MIN_LEN+ letters in the
#: release's titles (job ads shorten the words they write most, not rare ones).
ABBREV_TOP, ABBREV_MIN_LEN = 250, 5
#: A run of words is written as its initials ("Information Technology Manager" -> "IT Manager") when each
#: adjacent pair of it is used by INITIALS_MIN_DF titles and, in at least INITIALS_MODIFIER of them, is
#: followed by another word (a compound qualifying a head noun, not a whole title: "machine operator" stays).
INITIALS_MIN_DF, INITIALS_MODIFIER = 30, 0.5


@dataclass(frozen=True)
class TitleStats:
    common: frozenset[str]  # lower-case words that get abbreviated
    compounds: frozenset[tuple[str, str]]  # lower-case word pairs that may be written as initials


def title_stats(release: Path) -> TitleStats:
    """Word and word-pair counts over every title of the release (O*NET, alternate, short, reported)."""
    titles: list[str] = []

    def read(name: str, *columns: str) -> None:
        with open(release / f"{name}.txt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                titles.extend(row[c] for c in columns if row[c] and row[c] != "n/a")

    read("Occupation Data", "Title")
    read("Alternate Titles", "Alternate Title", "Short Title")
    read("Sample of Reported Titles", "Reported Job Title")
    words: Counter = Counter()
    pairs: Counter = Counter()
    followed: Counter = Counter()
    for title in titles:
        seq = [w.lower() for w in _WORD.findall(title)]
        words.update(set(seq))
        seen = set()
        for i, pair in enumerate(zip(seq, seq[1:], strict=False)):
            if min(map(len, pair)) >= 3 and not _JOINING & set(pair) and pair not in seen:
                seen.add(pair)
                pairs[pair] += 1
                followed[pair] += i + 2 < len(seq)
    common = [w for w, _n in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])) if len(w) >= ABBREV_MIN_LEN]
    compounds = {p for p, n in pairs.items() if n >= INITIALS_MIN_DF and followed[p] >= INITIALS_MODIFIER * n}
    return TitleStats(frozenset(common[:ABBREV_TOP]), frozenset(compounds))


# -- reordered ----------------------------------------------------------------------------------------------


def reorder(title: str) -> str | None:
    """Inverted the way coding indexes write titles ("Line Cook" -> "Cook, Line")."""
    words = title.split()
    if len(words) < 2 or "," in title or "(" in title:
        return None
    return f"{words[-1]}, {' '.join(words[:-1])}"


# -- misspelled: a keyboard typo model ----------------------------------------------------------------------

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_OFFSET = (0.0, 0.25, 0.75)


def _neighbours() -> dict[str, str]:
    where = {c: (r, i + _OFFSET[r]) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}
    return {
        c: "".join(d for d, (r2, x2) in where.items() if d != c and abs(r2 - r) <= 1 and abs(x2 - x) < 1.3)
        for c, (r, x) in where.items()
    }


NEIGHBOURS = _neighbours()
#: Typo operations and their shares (substitution by a neighbouring key, a letter left out, two letters
#: swapped, a neighbouring key struck too, a letter doubled).
TYPO_OPS = {"substitute": 0.3, "delete": 0.25, "swap": 0.2, "insert": 0.15, "double": 0.1}
#: A misspelt word gets a second typo with this probability per letter (4 letters: 12 %, 10 letters: 30 %;
#: typos come per keystroke); a title gets a second misspelt word with SECOND_WORD.
SECOND_TYPO, SECOND_WORD = 0.03, 0.2
TYPO_MIN_LEN = 4


def _typo(word: str, rng: random.Random) -> str:
    """One keyboard typo anywhere but the first letter (people rarely mistype the first letter)."""
    for _ in range(20):
        i = rng.randrange(1, len(word))
        op = rng.choices(list(TYPO_OPS), weights=list(TYPO_OPS.values()))[0]
        c = word[i].lower()
        if op == "substitute" and c in NEIGHBOURS:
            out = word[:i] + rng.choice(NEIGHBOURS[c]) + word[i + 1 :]
        elif op == "delete":
            out = word[:i] + word[i + 1 :]
        elif op == "swap" and i + 1 < len(word):
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        elif op == "insert" and c in NEIGHBOURS:
            out = word[:i] + rng.choice(NEIGHBOURS[c]) + word[i:]
        elif op == "double":
            out = word[:i] + word[i] + word[i:]
        else:
            continue
        if out.lower() != word.lower():
            return out
    return word


def misspell(title: str, rng: random.Random) -> tuple[str, tuple[str, ...]] | None:
    """One word of TYPO_MIN_LEN+ letters (longer words likelier) mistyped once, sometimes twice (longer words
    likelier); sometimes a second word once. Returns the text and the misspelt words."""
    spans = [m for m in _WORD.finditer(title) if len(m.group()) >= TYPO_MIN_LEN]
    if not spans:
        return None
    chosen = [rng.choices(spans, weights=[len(m.group()) for m in spans])[0]]
    rest = [m for m in spans if m is not chosen[0]]
    if rest and rng.random() < SECOND_WORD:
        chosen.append(rng.choice(rest))
    edits = {}
    for n, m in enumerate(chosen):
        word = _typo(m.group(), rng)
        if n == 0 and rng.random() < SECOND_TYPO * len(m.group()):
            word = _typo(word, rng)
        edits[m.start()] = (m.end(), word)
    out, last = [], 0
    for start in sorted(edits):
        end, word = edits[start]
        out += [title[last:start], word]
        last = end
    text = "".join(out) + title[last:]
    return (text, tuple(w for _e, w in edits.values())) if text != title else None


# -- abbreviated: truncation, vowel dropping, initials ------------------------------------------------------

#: Share of abbreviations made by truncation (else by vowel dropping); of truncations given a full stop; of
#: titles with an initials run written as initials (else as words).
TRUNCATE, FULL_STOP, INITIALS = 0.5, 0.3, 0.5
#: Each common word of a title is abbreviated with this probability (at least one is).
ABBREVIATE_WORD = 0.5


def truncate(word: str, groups: int = 1) -> str | None:
    """The word cut after the consonants (at most two) that follow its `groups`-th vowel group: technician ->
    tech, coordinator -> coord, maintenance -> maint, operator -> (op) oper. None when nothing is cut."""
    low = word.lower()
    i, seen = 0, 0
    while i < len(low) and seen < groups:
        while i < len(low) and (low[i] not in _VOWELS or (i == 0 and low[i] == "y")):
            i += 1
        if i == len(low):
            return None
        while i < len(low) and low[i] in _VOWELS:
            i += 1
        seen += 1
    j = i
    while j < len(low) and low[j] not in _VOWELS and j - i < 2:
        j += 1
    return word[:j] if len(low) - j >= 2 else None


def drop_vowels(word: str, keep: int = 4) -> str | None:
    """The first letter and the consonants after it, repeated letters once, at most `keep` letters:
    manager -> mngr, department -> dprt, assistant -> astn."""
    out = word[0]
    for c in word[1:]:
        if c.lower() not in _VOWELS and c.lower() != out[-1].lower():
            out += c
    out = out[:keep]
    return out if len(out) >= 2 and len(word) - len(out) >= 2 else None


def _abbreviate_word(word: str, rng: random.Random) -> str | None:
    if rng.random() < TRUNCATE:
        form = truncate(word, 1)
        if form is None or len(form) < 3:
            form = truncate(word, 2)
        if form and rng.random() < FULL_STOP:
            form += "."
        if form:
            return form
    return drop_vowels(word)


def abbreviate(title: str, rng: random.Random, stats: TitleStats) -> tuple[str, tuple[str, ...]] | None:
    """A run of common compounds before the head noun written as initials ("Quality Assurance Analyst" -> "QA
    Analyst", "Computer Numerical Control Operator" -> "CNC Operator"), or common words shortened one by one
    by truncation or vowel dropping ("Maintenance Technician" -> "Maint. Tech", "Mngr"). Returns the text and
    the abbreviations written."""
    spans = list(_WORD.finditer(title))
    low = [m.group().lower() for m in spans]
    runs = []
    i = 0
    while i < len(spans) - 1:
        j = i
        while j + 1 < len(spans) and (low[j], low[j + 1]) in stats.compounds:
            j += 1
        if j > i and j + 1 < len(spans):  # a head noun follows
            runs.append((i, j))
        i = max(j, i + 1)
    if runs and rng.random() < INITIALS:
        i, j = rng.choice(runs)
        form = "".join(m.group()[0].upper() for m in spans[i : j + 1])
        return title[: spans[i].start()] + form + title[spans[j].end() :], (form,)
    common = [m for m, w in zip(spans, low, strict=True) if w in stats.common]
    if not common:
        return None
    picked = [m for m in common if rng.random() < ABBREVIATE_WORD] or [rng.choice(common)]
    out, last, forms = [], 0, []
    for m in picked:
        form = _abbreviate_word(m.group(), rng)
        if form:
            out += [title[last : m.start()], form]
            last = m.end()
            forms.append(form)
    text = "".join(out) + title[last:]
    return (text, tuple(forms)) if forms else None


# -- qualified: job-ad phrasing around the title --------------------------------------------------------------

#: Written for this file from how job ads and payroll titles qualify a job (not from the search's list).
SENIORITY = (
    "Senior",
    "Sr.",
    "Junior",
    "Jr.",
    "Lead",
    "Entry-Level",
    "Experienced",
    "Trainee",
    "Mid-Level",
    "Staff",
    "Principal",
    "Intermediate",
    "Associate",
    "Apprentice",
)
LEVELS = ("I", "II", "III", "IV", "1", "2", "3", "Level 1", "Level II", "Grade 5")
TERMS = (
    "Full-Time",
    "Part-Time",
    "Full Time",
    "Part Time",
    "FT",
    "PT",
    "PRN",
    "Per Diem",
    "Temporary",
    "Temp-to-Hire",
    "Contract",
    "Seasonal",
    "On-Call",
    "Nights",
    "Days",
    "Weekends",
    "Night Shift",
    "Day Shift",
    "2nd Shift",
    "3rd Shift",
    "Evening Shift",
    "Overnight",
    "Mon-Fri",
    "40 Hours",
    "Remote",
    "Hybrid",
    "Work From Home",
    "On-Site",
    "Bilingual",
    "Travel",
    "Sign-On Bonus",
    "$2,000 Sign-On Bonus",
    "Up to $24/hr",
    "Weekly Pay",
    "Immediate Start",
    "No Experience Needed",
    "Will Train",
    "Relocation Assistance",
    "Benefits",
)
PLACES = (
    "Chicago, IL",
    "Houston, TX",
    "Phoenix, AZ",
    "Columbus, OH",
    "Denver, CO",
    "Atlanta, GA",
    "Seattle, WA",
    "Raleigh, NC",
    "Boston, MA",
    "Tampa, FL",
)
#: Templates: {s} a seniority word, {l} a level, {t} a term, {p} a place, {} the title.
QUALIFIED = (
    "{s} {}",
    "{s} {}",
    "{} {l}",
    "{} - {t}",
    "{} ({t})",
    "{} - {t}",
    "{} - {p}",
    "{s} {} - {t}",
    "{}, {s}",
    "{} | {t} | {p}",
    "Now Hiring: {}",
    "Hiring {} - {t}",
    "{} Needed",
)


def qualify(title: str, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """The title with one or two qualifiers (seniority, level, schedule or contract, pay, place, a hiring
    call). Returns the text and the qualifier text added."""
    template = rng.choice(QUALIFIED)
    fills = {"s": rng.choice(SENIORITY), "l": rng.choice(LEVELS), "t": rng.choice(TERMS), "p": rng.choice(PLACES)}
    text = template.format(title, **fills)
    added = template.replace("{}", " ").format(**fills)
    return text, (" ".join(added.split()),)
