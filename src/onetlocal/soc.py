"""SOC codes: the SOC occupation of an O*NET-SOC code, and the code a BLS source publishes that occupation under.
One rule for the importer (the search's employment prior), My Next Move (salary, outlook, states, industries) and
CareerOneStop (wages, projections, attainment).

An O*NET-SOC 2019 code is its SOC 2018 code plus a suffix: `soc_code('15-1299.08') == '15-1299'` (the taxonomy's
crosswalk says the same for every code of O*NET 30.1 and 30.3). BLS sources (OEWS wages, Employment Projections, the
ACS attainment table) publish some SOC occupations only within a combination. `published_code()` gives, in order:
1. the SOC code itself, when the source publishes it;
2. else the one code of its broad group (the same first five digits) that the source publishes and that is no
   detailed occupation: a BLS combination standing for the occupations it does not publish (OEWS 21-1018 "Substance
   Abuse, Behavioral Disorder, and Mental Health Counselors" for O*NET 21-1011 and 21-1014; 53-1047 for 53-1042..49);
3. else the broad group's code (`13-1021` -> `13-1020`), when the source publishes it;
4. else, when the source's titles are given, the one combination of its minor group (the same first three digits)
   whose title names the occupation, every word of the occupation's title in it: a broad group holding several
   combinations does not say which holds the occupation (the ACS table's 15-1256 "Software developers and software
   quality assurance analysts and testers" and 15-1257 "Web developers and digital interface designers"), nor does a
   combination across broad groups (47-5097 "Earth drillers, except oil and gas; and explosives workers, ordnance
   handling experts, and blasters" for 47-5023 and 47-5032), but their titles do;
5. else none: never another occupation's data (Legislators have no OEWS wages; "Top Executives" is no stand-in).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping


def soc_code(onet_code: str) -> str:
    """'15-1252.00' -> '15-1252' (a SOC code is kept as it is)."""
    return onet_code[:7]


def broad_code(soc: str) -> str:
    """'13-1021' -> '13-1020': the broad group holding a SOC detailed occupation."""
    return soc[:6] + "0"


def published_code(
    soc: str, published: Collection[str], detailed: Collection[str], titles: Mapping[str, str] | None = None
) -> str | None:
    """The code under which a source publishing the codes `published` gives the SOC occupation `soc` (rules in the
    module docstring). `detailed`: the SOC codes of detailed occupations, which stand for themselves only (the SOC
    codes of the O*NET occupations: the O*NET-SOC taxonomy covers every SOC detailed occupation). `titles`: the
    titles of the published codes and of `soc` (rule 4)."""
    if soc in published:
        return soc
    broad = broad_code(soc)
    combined = [c for c in published if c[:6] == soc[:6] and c != broad and c not in detailed]
    if len(combined) == 1:
        return combined[0]
    if broad in published:
        return broad
    if not titles:
        return None
    own = _title_words(titles.get(soc, ""))
    named = [c for c in published if c[:4] == soc[:4] and c not in detailed and own <= _title_words(titles.get(c, ""))]
    return named[0] if own and len(named) == 1 else None


_MINOR_WORDS = frozenset({"and", "or", "of", "the", "in", "for"})


def _title_words(title: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", title.lower())) - _MINOR_WORDS
