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
- `links.py`: site-relative links made absolute; `views.py`: summary/details; `custom.py`: custom reports.

Decisions where the spec is silent or INFERRED:
- Summary vs details (spec §7): details list every rated item with `importance` (and `level`) on 0–100,
  ordered by importance desc, then level desc, then id. Summary lists the items O*NET OnLine shows by default —
  importance >= 50 (IM >= 3.0, "important"), or the 5 most important when none reaches 50 — *without* ratings
  ("summary has no importance"), in the same order.
- tasks: Task Ratings scale IM gives `importance` when present; without it (this data set) tasks are listed
  without importance, Core first, then by Incumbents Responding desc. Emerging Tasks of category "New" follow as
  category "New" without importance; they have no task id in the release, so they carry no `id`/`related`
  (none is invented). "Revision" rows reword a task already listed and are left out. Summary: the Core tasks
  (all tasks when there are none), `{id, title, related}` only.
- technology_skills: categories ordered by hot-technology count, example count (desc), then title; examples
  in demand first, then hot, then by title; `hot_technology`/`in_demand` are always booleans. Category `related`
  and example `href` link to this server's technology search routes. Summary keeps the first 5 examples per
  category. tools_used has no summary (as in O*NET OnLine): `summary/tools_used` answers 422.
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
"""

from onetlocal.services.reports.base import PAGE_SIZE
from onetlocal.services.reports.custom import CUSTOM, VIEWS, custom, custom_report
from onetlocal.services.reports.sections import SECTIONS, has_data
from onetlocal.services.reports.technology import RELATED_PAGE_SIZE, hot_technology, related_technology
from onetlocal.services.reports.views import details, summary

__all__ = ["CUSTOM", "PAGE_SIZE", "RELATED_PAGE_SIZE", "SECTIONS", "VIEWS", "custom", "custom_report", "details",
           "has_data", "hot_technology", "related_technology", "summary"]
