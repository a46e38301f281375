"""Code lists of the data that the importers write and the services read: one definition each.

- `BRIGHT_OUTLOOK_EXPORT`: O*NET OnLine's Bright Outlook export text -> (v2 category id, title); the ids are the
  hosted service's path slugs `grow|openings|emerging` (evidence.md Part 2 §6). `BRIGHT_OUTLOOK_TITLES`: id -> title.
- `INTEREST_AREAS`: the six RIASEC areas of the Interest Profiler, in O*NET's order (ids as stored in `ip_questions`).
- `ATTAINMENT_LEVELS`: the seven educational attainment levels of BLS Employment Projections Table 5.3, lowest first,
  as (source header, column id of `bls_education_attainment`).
"""

from __future__ import annotations

BRIGHT_OUTLOOK_EXPORT = {
    "Rapid Growth": ("grow", "Grow Rapidly"),
    "Numerous Job Openings": ("openings", "Numerous Job Openings"),
    "New and Emerging": ("emerging", "New & Emerging"),
}
BRIGHT_OUTLOOK_TITLES = dict(BRIGHT_OUTLOOK_EXPORT.values())

INTEREST_AREAS = ("realistic", "investigative", "artistic", "social", "enterprising", "conventional")

ATTAINMENT_LEVELS = [
    ("Less than high school diploma", "less_than_high_school_percent"),
    ("High school diploma or equivalent", "high_school_percent"),
    ("Some college, no degree", "some_college_percent"),
    ("Associate's degree", "associate_percent"),
    ("Bachelor's degree", "bachelor_percent"),
    ("Master's degree", "master_percent"),
    ("Doctoral or professional degree", "doctoral_percent"),
]
