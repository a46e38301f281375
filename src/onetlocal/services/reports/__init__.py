"""Occupation reports: `summary/{section}`, `details/{section}`, custom reports and hot technologies.

Every section is one row of `SECTIONS` in `sections.py` (title, details builder, summary builder, which
occupations have data, list key, dated source table), so adding a section is adding a row. A builder returns the
whole unpaged body; `summary()`/`details()` (`views.py`) page the list under `list_key` (default 10 rows, spec
§7), `custom()` (`custom.py`) keeps it whole. The modules, by concern:
- `base.py`: constants, the `Section` type, which occupations have data, scaling, the bounded per-occupation memo;
- `elements.py`: rated Content Model elements (knowledge, skills, abilities, work activities, work context,
  interests, work values, work styles);
- `tasks.py`: tasks and detailed work activities; `technology.py`: technology skills, tools used, hot technology;
- `preparation.py`: job zone, education, related occupations, military;
- `views.py`: summary/details; `custom.py`: custom reports (site-relative links made absolute by `urls.absolute`).

Decisions. Where the spec and the evidence disagree, the evidence (a capture of the hosted service) wins; each
decision is also a row of docs/compatibility.md, "Occupation reports".
- Summary vs details (spec §7): details list every rated item with `importance` (and `level`) on 0–100,
  ordered by importance desc, then level desc, then id. Summary lists the items O*NET OnLine shows by default —
  importance >= 50 (IM >= 3.0, "important"), or the 5 most important when none reaches 50 — *without* ratings
  ("summary has no importance"), in the same order.
- Element items (knowledge, skills, abilities, work activities, work context, interests, work values, work
  styles) are `{id, related, name, description, …}`; `related` = `/online/onet_data/{section}/{id}` (evidence:
  "skills `related` links point at online/onet_data/skills/{id}"), interests by RIASEC letter; that route is
  `services/onet_data.py` (occupations by their rating on the element). Details in `elements.py`.
- tasks (evidence: the capture `{"id":"23222",…,"category":"New","related":…/related/tasks/23222}`): `id` is
  the Task ID as a string; `category` Core/Supplemental, and "New" for Task Type "n/a" (task 23222 is such a
  row); Emerging Tasks have no Task ID and are not listed (no id is invented); order by importance with Task
  Ratings, else Core, Supplemental, New in release order. Summary: the Core tasks (all when none),
  `{id, title, related}` only. Details in `tasks.py`.
- technology_skills (evidence: the captured body): category `related` =
  `/online/occupations/{code}/related/technology_skills/{commodity}` — a route of its own here: the other
  occupations using that commodity, by examples shared; example flags `hot_technology`/`in_demand` appear only
  when true. Categories by hot-technology count, example count, title; examples in demand, hot, then by
  title; summary keeps 5 examples per category; tools_used has no summary (422). hot_technology has no
  `percentage`: job-posting shares are not in the release (never invented). Details in `technology.py`.
- detailed_work_activities: ordered by the number of the occupation's tasks linked (desc), then title; `related`
  links to the related-activities results for that activity. Summary: the activities linked to a Core task.
- work_context (when the table is present): `context` = CX/CT on 0–100, `response` = the CXP/CTP distribution
  in category order with Work Context Categories wording. Summary: context >= 50 (or the top 5) with only the
  most chosen response, as O*NET OnLine prints "NN% responded: ...".
- education: Required Level of Education (scale RL) categories with a non-zero share, by share desc; the
  `title` is the category text before " - " (the full text is in `description` when longer); percentages are
  rounded half up. Summary: the 3 most reported. Not paged.
- interests: `occupational_interest` = OI on 0–100, plus `high_point` (the IH elements) and
  `high_point_code` ("ICR"). work_values: `extent` = EX on 0–100 (v2 names the value after its scale, as
  `occupational_interest`), plus `high_point`. Summaries list the high-point elements in rank order.
- work_styles (O*NET 30.x): `importance` = Work Styles Impact (WI, -3..3) on 0–100 — the rating of how much the
  style matters; `distinctiveness_rank` (DR 1..10, 1 = most distinctive) when ranked. Summary: the ranked
  styles by rank (the 5 highest impact when none is ranked).
- related_occupations: by Index, each with its `tier`; summary: the Primary-Short tier.
- military: from a `military_crosswalk` table (supplementary import) when present. apprenticeship,
  professional_associations and career_summaries have no source in this build: always 422 "no data".
- An unknown section name is 422 (like any bad parameter), not 404: the path exists, the value is wrong.
- A section whose data the loaded release dropped (work_values and tools_used on O*NET 30.3+: the row's `source`)
  is 404 on summary and details, as the hosted API answers work_values since 30.3 (and as any path no route
  serves); the overview does not list it and a custom report treats it as an unknown section (422). On a release
  with the data nothing changes. tools_used: the hosted behaviour is not known; 404 too, for the same reason
  (its data was dropped by the release), rather than a 422 "no data" that suggests another occupation may have it.
"""

from onetlocal.services.reports.base import PAGE_SIZE
from onetlocal.services.reports.custom import CUSTOM, VIEWS, custom, custom_report
from onetlocal.services.reports.sections import SECTIONS, has_data, released
from onetlocal.services.reports.technology import RELATED_PAGE_SIZE, hot_technology, related_technology
from onetlocal.services.reports.views import details, summary

__all__ = [
    "CUSTOM",
    "PAGE_SIZE",
    "RELATED_PAGE_SIZE",
    "SECTIONS",
    "VIEWS",
    "custom",
    "custom_report",
    "details",
    "has_data",
    "hot_technology",
    "related_technology",
    "released",
    "summary",
]
