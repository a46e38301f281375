"""Search terms: how a title (when the index is built) and a query (when it is searched) become the same canonical
tokens, and what each kind of title is worth. The build (`ingest.search_index`) and the search (`services.search`)
both read them from here, so the index and the query cannot drift apart.

`terms()` folds accents and case, expands generic abbreviations ("rn" -> "registered nurse"), drops stopwords and
stems lightly (`stem()`: nurses/nursing/nurse -> nurs). `title_terms()` also drops an O*NET title's exclusion
clause ("Architects, Except Landscape and Naval"). `MODIFIERS` are the words of a job ad that qualify a job without
naming the occupation.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Title kinds, best first; the weight says how much a match on that kind of title is worth.
KINDS = {"title": 1.0, "reported": 0.92, "alternate": 0.92, "short": 0.85}

#: Words carrying no meaning in a job title.
STOPWORDS = frozenset(
    "a an and or of the in on at to for with by from as is are be all other others except not "
    "etc i my me job jobs position career work".split()
)

#: Generic abbreviations and variant spellings -> canonical words (applied to index and query alike).
#: A value may be several words ("rn" -> "registered nurse"). Not a title-to-code table.
ABBREVIATIONS: dict[str, str] = {
    "rn": "registered nurse",
    "rns": "registered nurse",
    "lpn": "licensed practical nurse",
    "lvn": "licensed vocational nurse",
    "cna": "certified nursing assistant",
    "np": "nurse practitioner",
    "crna": "certified registered nurse anesthetist",
    "emt": "emergency medical technician",
    "pa": "physician assistant",
    "pt": "physical therapist",
    "ot": "occupational therapist",
    "slp": "speech language pathologist",
    "md": "physician",
    "dds": "dentist",
    "dr": "doctor",
    "cpa": "certified public accountant",
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "asst": "assistant",
    "assoc": "associate",
    "admin": "administrative",
    "administrator": "administrative",
    "administration": "administrative",
    "eng": "engineer",
    "engr": "engineer",
    "dev": "developer",
    "devs": "developer",
    "tech": "technician",
    "techs": "technician",
    "coord": "coordinator",
    "rep": "representative",
    "reps": "representative",
    "spec": "specialist",
    "supv": "supervisor",
    "supvr": "supervisor",
    "svc": "service",
    "svcs": "service",
    "ops": "operations",
    "hr": "human resources",
    "it": "information technology",
    "vp": "vice president",
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
    "cio": "chief information officer",
    "qa": "quality assurance",
    "qc": "quality control",
    "acct": "accountant",
    "acctg": "accounting",
    "mktg": "marketing",
    "maint": "maintenance",
    "exec": "executive",
    "dept": "department",
    "sw": "software",
    "swe": "software engineer",
    "sde": "software development engineer",
    "dba": "database administrative",
    "sysadmin": "system administrative",
    "gm": "general manager",
    "ar": "accounts receivable",
    "ap": "accounts payable",
    "csr": "customer service representative",
    "lmt": "licensed massage therapist",
    "cdl": "commercial driver",
    "hvac": "heating air conditioning",
    "hvacr": "heating air conditioning refrigeration",
    "mech": "mechanic",
    "elec": "electrical",
    "e-commerce": "ecommerce",
    "ui": "user interface",
    "ux": "user experience",
    "pm": "project manager",
    "bi": "business intelligence",
    "ml": "machine learning",
    "ai": "artificial intelligence",
    "k-12": "k12",
    "pharm": "pharmacy",
    "lab": "laboratory",
    "labs": "laboratory",
}

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_EXCEPT = re.compile(r",?\s+except\b[^,;()]*", re.I)


def fold(text: str) -> str:
    """Lower case, accents removed (ASCII text has none: lower-cased only, most job titles)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light stemmer for job titles: plurals, -ing, final e (nurses/nursing/nurse -> nurs). Remembered per word
    (job titles reuse few words: bulk coding stems each of them thousands of times)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("men") and len(word) > 5:
        word = word[:-3] + "man"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
        if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


#: Words of a job ad that qualify a job without naming the occupation (seniority, schedule, contract); a
#: query needs no title holding them and they weigh little.
MODIFIERS = frozenset(
    stem(w)
    for w in (
        "senior junior lead staff entry level trainee apprentice experienced new grad graduate ii iii iv v vi "
        "1 2 3 4 5 1st 2nd 3rd part full time remote hybrid onsite temporary temp contract contractor "
        "seasonal shift shifts night nights weekend weekends overnight prn per diem weekly local "
        "regional hiring immediate immediately urgent urgently needed wanted now opening openings apply today "
        "hourly salary paid daily".split()
    )
)


def _canonical_words(text: str) -> list[str]:
    words: list[str] = []
    for raw in _WORD.findall(fold(text)):
        raw = raw.replace("'", "")
        expanded = ABBREVIATIONS.get(raw)
        if expanded is None and "-" in raw:
            parts = raw.split("-")
            expanded = " ".join(ABBREVIATIONS.get(p, p) for p in parts)
        words.extend((expanded or raw).split())
    return words


def terms(text: str) -> list[str]:
    """The canonical tokens of `text` (index and query alike): folded, abbreviations expanded, stemmed,
    stopwords dropped. Safe for any input: the output holds only [a-z0-9] tokens."""
    out = []
    for word in _canonical_words(text):
        if word in STOPWORDS:
            continue
        out.append(stem(word))
    return out


def title_terms(title: str) -> list[str]:
    """Tokens of an O*NET title with its exclusion clause dropped ("Architects, Except Landscape and Naval")."""
    return terms(_EXCEPT.sub("", title))
