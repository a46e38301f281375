"""The section table: every report section is one row here (title, details builder, summary builder, which
occupations have data, list key, dated source table, the release table a later layout dropped) — the one place a
section is declared.

A section whose release table the loaded release's layout dropped (`source`: work values and tools used are not in
O*NET 30.3 and later) does not exist there: `summary|details/<name>` answer 404 as the hosted API does for
work_values, the overview does not list it, and a custom report treats its name as unknown (422)."""

from __future__ import annotations

from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.services import release
from onetlocal.services.reports import elements, preparation, tasks, technology
from onetlocal.services.reports.base import Section, codes_in, no_codes

_knowledge = elements.rated("knowledge")
_skills = elements.rated("skills")
_abilities = elements.rated("abilities")
_activities = elements.rated("work_activities")
_none = preparation.no_source

SECTIONS: dict[str, Section] = {
    "tasks": Section(
        "Tasks", tasks.tasks_details, tasks.tasks_summary, codes_in("task_statements"), "task", "task_statements"
    ),
    "technology_skills": Section(
        "Technology Skills",
        technology.technology_details,
        technology.technology_summary,
        codes_in("technology_skills"),
        "category",
    ),
    "tools_used": Section(
        "Tools Used", technology.tools_details, None, codes_in("tools_used"), "category", source="tools_used"
    ),
    "work_activities": Section(
        "Work Activities", *_activities, codes_in("work_activities"), "element", "work_activities"
    ),
    "detailed_work_activities": Section(
        "Detailed Work Activities", tasks.dwa_details, tasks.dwa_summary, codes_in("task_dwas"), "activity", "task_dwas"
    ),
    "work_context": Section(
        "Work Context",
        elements.context_details,
        elements.context_summary,
        codes_in("work_context"),
        "element",
        "work_context",
    ),
    "job_zone": Section(
        "Job Zone", preparation.job_zone, preparation.job_zone, codes_in("job_zones"), None, "job_zones"
    ),
    "apprenticeship": Section(
        "Apprenticeship", _none, _none, no_codes, missing="apprenticeship (RAPIDS) data is not part of this build"
    ),
    "skills": Section("Skills", *_skills, codes_in("skills"), "element", "skills"),
    "knowledge": Section("Knowledge", *_knowledge, codes_in("knowledge"), "element", "knowledge"),
    "education": Section(
        "Education",
        preparation.education_details,
        preparation.education_summary,
        codes_in("education_training_experience", "WHERE scale_id = 'RL' AND data_value > 0"),
        None,
        "education_training_experience",
    ),
    "abilities": Section("Abilities", *_abilities, codes_in("abilities"), "element", "abilities"),
    "interests": Section(
        "Interests",
        elements.interests_details,
        elements.interests_summary,
        codes_in("interests", "WHERE scale_id = 'OI'"),
        "element",
        "interests",
    ),
    "work_values": Section(
        "Work Values",
        elements.values_details,
        elements.values_summary,
        codes_in("work_values", "WHERE scale_id = 'EX'"),
        "element",
        "work_values",
        source="work_values",
    ),
    "work_styles": Section(
        "Work Styles",
        elements.styles_details,
        elements.styles_summary,
        codes_in("work_styles", "WHERE scale_id = 'WI'"),
        "element",
        "work_styles",
    ),
    "related_occupations": Section(
        "Related Occupations",
        preparation.related_details,
        preparation.related_summary,
        codes_in("related_occupations"),
        "occupation",
    ),
    "professional_associations": Section(
        "Professional Associations",
        _none,
        _none,
        no_codes,
        missing="professional associations are not in the O*NET release files",
    ),
    "military": Section(
        "Military Occupations",
        preparation.military_details,
        preparation.military_details,
        codes_in("military_crosswalk", "WHERE status = 'A'"),
        "match",
    ),
    "career_summaries": Section(
        "Career Summaries", _none, _none, no_codes, missing="career summaries are not part of this build"
    ),
}


def section(name: str) -> Section:
    """The row of section `name`; 422 for an unknown name."""
    found = SECTIONS.get(name)
    if found is None:
        raise InvalidParameter(f"unknown report section {name!r}; one of {', '.join(SECTIONS)}")
    return found


def exists(ctx: Ctx, name: str) -> bool:
    """Whether the loaded release has section `name` (its `source` table or a successor of it)."""
    source = SECTIONS[name].source
    return source is None or release.dropped(ctx, source) is None


def released(ctx: Ctx) -> dict[str, Section]:
    """The sections the loaded release has, in report order."""
    return {name: s for name, s in SECTIONS.items() if exists(ctx, name)}


def require_section(ctx: Ctx, name: str) -> Section:
    """The row of section `name`: 422 for an unknown name, 404 for a section the loaded release dropped."""
    found = section(name)
    if found.source is not None:
        release.require_kept(ctx, found.source, f"the {name} section")
    return found


def has_data(ctx: Ctx, code: str, name: str) -> bool:
    return code in SECTIONS[name].codes(ctx)
