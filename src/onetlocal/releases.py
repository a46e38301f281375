"""The two layouts of the O*NET database release, file by file, and how their tables correspond.

O*NET 30.3 (May 2026) changed the content model and the file set (40 files became 45); 31.0 keeps that layout.
This module is the one place that knows both: the importer reads the files it lists, the Database services list
their table ids and name a table's successor or predecessor, and the services learn from `Layout` what the loaded
release can answer. Data only: it imports nothing of the importer or of the services.

A release's layout is told from its files (`detect_layout`), never from its version number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Pre-30.3 DWA and IWA ids (`4.A.1.a.1.I01.D01`) -> the 30.3 ids (`4.A.1.a.1.a.1`): the table the build fills
#: from a previous release (`ingest.previous`) and the services look old ids up in.
CROSSWALK = "activity_id_crosswalk"

LEGACY = "legacy"  # O*NET up to 30.2: Skills, Technology Skills, Interests, Alternate Titles, DWA Reference ...
CURRENT = "current"  # O*NET 30.3 and later: Essential/Transferable Skills, Software Skills, Job Titles, GWAs ...

_RATING = (
    "O*NET-SOC Code",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Not Relevant",
    "Date",
    "Domain Source",
)
_RATED_CATEGORY = (
    "O*NET-SOC Code",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Category",
    "Data Value",
    "N",
    "Standard Error",
    "Lower CI Bound",
    "Upper CI Bound",
    "Recommend Suppress",
    "Date",
    "Domain Source",
)
_PLAIN_RATING = ("O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "Date", "Domain Source")
_CATEGORIES = ("Element ID", "Element Name", "Scale ID", "Category", "Category Description")

#: Columns the CSV and JSON editions add to a table that the text edition leaves out (the occupation's title, the
#: scale's name, ...): dropped on import, so a database is the same whichever edition it was built from.
EDITION_EXTRAS = frozenset({"Title", "Scale Name", "Related Title", "Task"})


@dataclass(frozen=True)
class ReleaseFile:
    name: str  # the text edition's file name, without .txt
    table_id: str  # the table's id in Database services
    description: str
    header: tuple[str, ...]  # the text edition's columns (any order; other columns are kept, EDITION_EXTRAS dropped)
    required: bool = False
    layouts: tuple[str, ...] = (LEGACY, CURRENT)

    @property
    def feeds(self) -> str:
        """What answers "no data" without this file (besides its own Database services table)."""
        return FEEDS.get(self.table_id, "")


def _f(
    name: str, table_id: str, description: str, header: Iterable[str], *layouts: str, required: bool = False
) -> ReleaseFile:
    return ReleaseFile(name, table_id, description, tuple(header), required, layouts or (LEGACY, CURRENT))


#: Release table -> the routes that need it: what the build and the server banner name when the file is absent.
FEEDS = {
    "abilities": "details/abilities, My Next Move abilities, CareerOneStop AbilityDataList",
    "knowledge": "details/knowledge, My Next Move knowledge, CareerOneStop KnowledgeDataList",
    "skills": "details/skills, soft skills, My Next Move skills, CareerOneStop SkillsDataList",
    "essential_skills": "details/skills (basic skills), soft skills, My Next Move skills",
    "transferable_skills": "details/skills (cross-functional skills), soft skills, My Next Move skills",
    "task_ratings": "task importance and frequency in details/tasks and CareerOneStop Tasks",
    "work_activities": "details/work_activities, onet_data/work_activities",
    "work_context": "details/work_context, onet_data/work_context",
    "work_styles": "details/work_styles, My Next Move personality",
    "interests": "details/interests, the Interest Profiler's careers, CareerOneStop InterestDataList",
    "career_interest_types": "details/interests, the Interest Profiler's careers, CareerOneStop InterestDataList",
    "tasks_to_dwas": "details/detailed_work_activities, related activities, job duties' activities, CareerOneStop Dwas",
    "dwa_reference": "details/detailed_work_activities, related activities",
    "gwas_to_iwas_to_dwas": "details/detailed_work_activities, related activities",
    "alternate_titles": "search by alternate titles, also-called titles, CareerOneStop AlternateTitles",
    "job_titles": "search by job titles, also-called titles, CareerOneStop AlternateTitles",
    "technology_skills": "details/technology_skills, hot technology, My Next Move technology",
    "software_skills": "details/technology_skills, hot technology, My Next Move technology",
    "education_training_experience": "details/education, My Next Move education",
    "education": "details/education, My Next Move education",
    "training_and_experience": "experience and training in details/education",
    "job_zones": "details/job_zone, job zone browse, the Interest Profiler's job zones",
    "task_statements": "details/tasks, job duties",
    "related_occupations": "details/related_occupations, My Next Move explore_more careers",
}


#: Every file of both layouts (40 up to 30.2, 45 from 30.3). Only Occupation Data is required.
RELEASE_FILES: tuple[ReleaseFile, ...] = (
    # -- in both layouts ------------------------------------------------------------------------------------
    _f(
        "Occupation Data",
        "occupation_data",
        "O*NET-SOC codes, titles and descriptions of every occupation.",
        ["O*NET-SOC Code", "Title", "Description"],
        required=True,
    ),
    _f(
        "Content Model Reference",
        "content_model_reference",
        "Element IDs, names and descriptions of the O*NET Content Model.",
        ["Element ID", "Element Name", "Description"],
    ),
    _f(
        "Job Zone Reference",
        "job_zone_reference",
        "The Job Zones: experience, education, training, examples and SVP range.",
        ["Job Zone", "Name", "Experience", "Education", "Job Training", "Examples", "SVP Range"],
    ),
    _f(
        "Scales Reference",
        "scales_reference",
        "Scale IDs, names and their minimum and maximum values.",
        ["Scale ID", "Scale Name", "Minimum", "Maximum"],
    ),
    _f(
        "Level Scale Anchors",
        "level_scale_anchors",
        "Anchor descriptions for the Level scale of each descriptor.",
        ["Element ID", "Element Name", "Scale ID", "Anchor Value", "Anchor Description"],
    ),
    _f(
        "Occupation Level Metadata",
        "occupation_level_metadata",
        "Data collection metadata per occupation.",
        ["O*NET-SOC Code", "Item", "Response", "N", "Percent", "Date"],
    ),
    _f(
        "Survey Booklet Locations",
        "survey_booklet_locations",
        "Survey item numbers of Content Model elements.",
        ["Element ID", "Element Name", "Survey Item Number", "Scale ID"],
    ),
    _f(
        "Task Categories",
        "task_categories",
        "Category descriptions for the task frequency scale.",
        ["Scale ID", "Category", "Category Description"],
    ),
    _f(
        "Work Context Categories",
        "work_context_categories",
        "Category descriptions for Work Context items.",
        _CATEGORIES,
    ),
    _f("Abilities", "abilities", "Ability ratings (importance and level) per occupation.", _RATING),
    _f(
        "Job Zones",
        "job_zones",
        "Job Zone of each occupation.",
        ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"],
    ),
    _f("Knowledge", "knowledge", "Knowledge ratings (importance and level) per occupation.", _RATING),
    _f(
        "Task Statements",
        "task_statements",
        "Task statements per occupation, core or supplemental.",
        ["O*NET-SOC Code", "Task ID", "Task", "Task Type", "Incumbents Responding", "Date", "Domain Source"],
    ),
    _f(
        "Task Ratings",
        "task_ratings",
        "Frequency, importance and relevance ratings of task statements.",
        [
            "O*NET-SOC Code",
            "Task ID",
            "Scale ID",
            "Category",
            "Data Value",
            "N",
            "Standard Error",
            "Lower CI Bound",
            "Upper CI Bound",
            "Recommend Suppress",
            "Date",
            "Domain Source",
        ],
    ),
    _f("Work Activities", "work_activities", "Work activity ratings (importance and level) per occupation.", _RATING),
    _f(
        "Work Context",
        "work_context",
        "Work context ratings and response distributions per occupation.",
        _RATING[:4] + ("Category",) + _RATING[4:],
    ),
    _f("Work Styles", "work_styles", "Work style ratings per occupation.", _PLAIN_RATING),
    _f(
        "Emerging Tasks",
        "emerging_tasks",
        "New and revised tasks reported by incumbents.",
        ["O*NET-SOC Code", "Task", "Category", "Original Task ID", "Original Task", "Date", "Domain Source"],
    ),
    _f(
        "Sample of Reported Titles",
        "sample_of_reported_titles",
        "Job titles reported by incumbents.",
        ["O*NET-SOC Code", "Reported Job Title", "Shown in My Next Move"],
    ),
    _f(
        "Abilities to Work Activities",
        "abilities_to_work_activities",
        "Links of abilities to work activities.",
        [
            "Abilities Element ID",
            "Abilities Element Name",
            "Work Activities Element ID",
            "Work Activities Element Name",
        ],
    ),
    _f(
        "Abilities to Work Context",
        "abilities_to_work_context",
        "Links of abilities to work context items.",
        ["Abilities Element ID", "Abilities Element Name", "Work Context Element ID", "Work Context Element Name"],
    ),
    _f(
        "Related Occupations",
        "related_occupations",
        "Related occupations per occupation, by relatedness tier.",
        ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"],
    ),
    # -- up to 30.2 -----------------------------------------------------------------------------------------
    _f("Skills", "skills", "Skill ratings (importance and level) per occupation.", _RATING, LEGACY),
    _f(
        "Education, Training, and Experience Categories",
        "ete_categories",
        "Category descriptions for the Education, Training, and Experience scales.",
        _CATEGORIES,
        LEGACY,
    ),
    _f(
        "Education, Training, and Experience",
        "education_training_experience",
        "Distribution of required education, experience and training per occupation.",
        _RATED_CATEGORY,
        LEGACY,
    ),
    _f(
        "Interests",
        "interests",
        "Occupational interest (RIASEC) ratings and high-point codes per occupation.",
        _PLAIN_RATING,
        LEGACY,
    ),
    _f("Work Values", "work_values", "Work value ratings and high-point values per occupation.", _PLAIN_RATING, LEGACY),
    _f(
        "IWA Reference", "iwa_reference", "Intermediate Work Activities.", ["Element ID", "IWA ID", "IWA Title"], LEGACY
    ),
    _f(
        "DWA Reference",
        "dwa_reference",
        "Detailed Work Activities.",
        ["Element ID", "IWA ID", "DWA ID", "DWA Title"],
        LEGACY,
    ),
    _f(
        "Tasks to DWAs",
        "tasks_to_dwas",
        "Links of task statements to Detailed Work Activities.",
        ["O*NET-SOC Code", "Task ID", "DWA ID", "Date", "Domain Source"],
        LEGACY,
    ),
    _f(
        "Alternate Titles",
        "alternate_titles",
        "Alternate job titles per occupation.",
        ["O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"],
        LEGACY,
    ),
    _f(
        "Technology Skills",
        "technology_skills",
        "Software and technology examples per occupation.",
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"],
        LEGACY,
    ),
    _f(
        "Tools Used",
        "tools_used",
        "Tools and equipment examples per occupation.",
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title"],
        LEGACY,
    ),
    _f(
        "UNSPSC Reference",
        "unspsc_reference",
        "UNSPSC commodity, class, family and segment codes and titles.",
        [
            "Commodity Code",
            "Commodity Title",
            "Class Code",
            "Class Title",
            "Family Code",
            "Family Title",
            "Segment Code",
            "Segment Title",
        ],
        LEGACY,
    ),
    _f(
        "Skills to Work Activities",
        "skills_to_work_activities",
        "Links of skills to work activities.",
        ["Skills Element ID", "Skills Element Name", "Work Activities Element ID", "Work Activities Element Name"],
        LEGACY,
    ),
    _f(
        "Skills to Work Context",
        "skills_to_work_context",
        "Links of skills to work context items.",
        ["Skills Element ID", "Skills Element Name", "Work Context Element ID", "Work Context Element Name"],
        LEGACY,
    ),
    _f(
        "RIASEC Keywords",
        "riasec_keywords",
        "Action and object keywords for each RIASEC interest.",
        ["Element ID", "Element Name", "Keyword", "Keyword Type"],
        LEGACY,
    ),
    _f(
        "Basic Interests to RIASEC",
        "basic_interests_to_riasec",
        "Links of basic interests to RIASEC interests.",
        ["Basic Interests Element ID", "Basic Interests Element Name", "RIASEC Element ID", "RIASEC Element Name"],
        LEGACY,
    ),
    _f(
        "Interests Illustrative Activities",
        "interests_illus_activities",
        "Illustrative activities per interest.",
        ["Element ID", "Element Name", "Interest Type", "Activity"],
        LEGACY,
    ),
    _f(
        "Interests Illustrative Occupations",
        "interests_illus_occupations",
        "Illustrative occupations per interest.",
        ["Element ID", "Element Name", "Interest Type", "O*NET-SOC Code"],
        LEGACY,
    ),
    # -- from 30.3 ------------------------------------------------------------------------------------------
    _f("Essential Skills", "essential_skills", "Provide essential skills ratings.", _RATING, CURRENT),
    _f("Transferable Skills", "transferable_skills", "Provide transferable skills ratings.", _RATING, CURRENT),
    _f(
        "Essential Skills to Work Activities",
        "essential_skills_to_work_activities",
        "Links of essential skills to work activities.",
        [
            "Essential Skills Element ID",
            "Essential Skills Element Name",
            "Work Activities Element ID",
            "Work Activities Element Name",
        ],
        CURRENT,
    ),
    _f(
        "Essential Skills to Work Context",
        "essential_skills_to_work_context",
        "Links of essential skills to work context items.",
        [
            "Essential Skills Element ID",
            "Essential Skills Element Name",
            "Work Context Element ID",
            "Work Context Element Name",
        ],
        CURRENT,
    ),
    _f(
        "Transferable Skills to Work Activities",
        "transferable_skills_to_work_activities",
        "Links of transferable skills to work activities.",
        [
            "Transferable Skills Element ID",
            "Transferable Skills Element Name",
            "Work Activities Element ID",
            "Work Activities Element Name",
        ],
        CURRENT,
    ),
    _f(
        "Transferable Skills to Work Context",
        "transferable_skills_to_work_context",
        "Links of transferable skills to work context items.",
        [
            "Transferable Skills Element ID",
            "Transferable Skills Element Name",
            "Work Context Element ID",
            "Work Context Element Name",
        ],
        CURRENT,
    ),
    _f(
        "Work Styles to Work Activities",
        "work_styles_to_work_activities",
        "Links of work styles to work activities.",
        [
            "Work Styles Element ID",
            "Work Styles Element Name",
            "Work Activities Element ID",
            "Work Activities Element Name",
        ],
        CURRENT,
    ),
    _f(
        "Work Styles to Work Context",
        "work_styles_to_work_context",
        "Links of work styles to work context items.",
        ["Work Styles Element ID", "Work Styles Element Name", "Work Context Element ID", "Work Context Element Name"],
        CURRENT,
    ),
    _f(
        "Software Skills",
        "software_skills",
        "Software examples per occupation, by Software Skills category, with hot technology and in-demand flags.",
        ["O*NET-SOC Code", "Workplace Example", "Element ID", "Element Name", "Hot Technology", "In Demand"],
        CURRENT,
    ),
    _f(
        "Career Interest Types",
        "career_interest_types",
        "Career interest type (RIASEC) ratings and high-point codes per occupation.",
        _PLAIN_RATING,
        CURRENT,
    ),
    _f(
        "Specific Interest Areas",
        "specific_interest_areas",
        "Specific interest area ratings per occupation.",
        _PLAIN_RATING,
        CURRENT,
    ),
    _f(
        "Specific Interest Areas to Career Interest Types",
        "specific_interest_areas_to_career_interest_types",
        "Links of specific interest areas to career interest types.",
        [
            "Specific Interest Areas Element ID",
            "Specific Interest Areas Element Name",
            "Career Interest Types Element ID",
            "Career Interest Types Element Name",
        ],
        CURRENT,
    ),
    _f(
        "Career Interest Type Keywords",
        "career_interest_type_keywords",
        "Action and object keywords for each career interest type.",
        ["Element ID", "Element Name", "Keyword", "Keyword Type"],
        CURRENT,
    ),
    _f(
        "Interests Illustrative Activities",
        "interests_illustrative_activities",
        "Illustrative activities per interest.",
        ["Element ID", "Element Name", "Interest Type", "Activity"],
        CURRENT,
    ),
    _f(
        "Interests Illustrative Occupations",
        "interests_illustrative_occupations",
        "Illustrative occupations per interest.",
        ["Element ID", "Element Name", "Interest Type", "O*NET-SOC Code"],
        CURRENT,
    ),
    _f(
        "Job Titles",
        "job_titles",
        "Job titles per occupation.",
        ["O*NET-SOC Code", "Job Title", "Short Title", "Source(s)"],
        CURRENT,
    ),
    _f("Education", "education", "Distribution of required education per occupation.", _RATED_CATEGORY, CURRENT),
    _f(
        "Education Categories",
        "education_categories",
        "Category descriptions for the education scales.",
        _CATEGORIES,
        CURRENT,
    ),
    _f(
        "Training and Experience",
        "training_and_experience",
        "Distribution of required experience and training per occupation.",
        _RATED_CATEGORY,
        CURRENT,
    ),
    _f(
        "Training and Experience Categories",
        "training_and_experience_categories",
        "Category descriptions for the training and experience scales.",
        _CATEGORIES,
        CURRENT,
    ),
    _f(
        "GWAs to IWAs",
        "gwas_to_iwas",
        "Intermediate Work Activities under each Generalized Work Activity.",
        ["GWA Element ID", "GWA Element Name", "IWA Element ID", "IWA Element Name"],
        CURRENT,
    ),
    _f(
        "GWAs to IWAs to DWAs",
        "gwas_to_iwas_to_dwas",
        "Detailed Work Activities under each Intermediate and Generalized Work Activity.",
        [
            "GWA Element ID",
            "GWA Element Name",
            "IWA Element ID",
            "IWA Element Name",
            "DWA Element ID",
            "DWA Element Name",
        ],
        CURRENT,
    ),
    _f(
        "Tasks to DWAs",
        "tasks_to_dwas",
        "Links of task statements to Detailed Work Activities.",
        ["O*NET-SOC Code", "Task ID", "DWA Element ID", "DWA Element Name", "Date", "Domain Source"],
        CURRENT,
    ),
)

#: Files that tell a layout: a release with any of the first set is of the legacy layout, any of the second current.
LAYOUT_MARKERS = {
    LEGACY: frozenset(
        {
            "skills",
            "technology_skills",
            "interests",
            "dwa_reference",
            "iwa_reference",
            "alternate_titles",
            "work_values",
            "tools_used",
        }
    ),
    CURRENT: frozenset(
        {
            "essential_skills",
            "transferable_skills",
            "software_skills",
            "career_interest_types",
            "gwas_to_iwas",
            "gwas_to_iwas_to_dwas",
            "job_titles",
            "education",
        }
    ),
}


def files_of(layout: str) -> tuple[ReleaseFile, ...]:
    return tuple(f for f in RELEASE_FILES if layout in f.layouts)


def absent_files(layout: str, absent_names: str) -> list[ReleaseFile]:
    """The files of `layout` named in a build's `onet_absent_files` meta value (comma-separated file names)."""
    names = set(filter(None, absent_names.split(",")))
    return [f for f in files_of(layout) if f.name in names]


def absent_summary(layout: str, absent_names: str) -> list[str]:
    """A line per absent file that routes need (its name and what has no data without it), then one line for
    the rest (only their own Database services tables are missing)."""
    files = absent_files(layout, absent_names)
    lines = [f"'{f.name}' file: no data for {f.feeds}" for f in files if f.feeds]
    others = [f.name for f in files if not f.feeds]
    if others:
        lines.append(
            f"{len(others)} other file{'s' if len(others) > 1 else ''} ({', '.join(others)}): "
            "no Database services table"
        )
    return lines


def file_keys(spec: ReleaseFile) -> tuple[str, ...]:
    """The `file_key`s a table's file may have: its text name in snake case, or its table id (CSV/JSON names)."""
    import re

    return tuple(dict.fromkeys((re.sub(r"[^a-z0-9]+", "_", spec.name.lower()).strip("_"), spec.table_id)))


def detect_layout(keys: set[str]) -> str:
    """The layout of a release with files `keys` (`file_key`s). Neither marker (a partial release): legacy,
    whose common files read the same. Both: ValueError, a mix of two releases."""
    legacy = {k for k in keys if k in LAYOUT_MARKERS[LEGACY]}
    current = {k for k in keys if k in LAYOUT_MARKERS[CURRENT]}
    if legacy and current:
        raise ValueError(
            f"files of two layouts in one release ({', '.join(sorted(legacy))} of O*NET 30.2 and "
            f"earlier; {', '.join(sorted(current))} of 30.3 and later)"
        )
    return CURRENT if current else LEGACY


@dataclass(frozen=True)
class Correspondence:
    """Tables of one layout and their counterparts in the other (`legacy` -> `current`)."""

    legacy: tuple[str, ...]
    current: tuple[str, ...]
    note: str = ""


#: What became of each table that 30.3 renamed, split, merged or dropped; the Database services name a table's
#: successor (or predecessor) from here, and serve the `aliases` below on a legacy release.
CORRESPONDENCES: tuple[Correspondence, ...] = (
    Correspondence(("skills",), ("essential_skills", "transferable_skills"), "split by element branch 2.A / 2.B"),
    Correspondence(
        ("skills_to_work_activities",),
        ("essential_skills_to_work_activities", "transferable_skills_to_work_activities"),
    ),
    Correspondence(
        ("skills_to_work_context",), ("essential_skills_to_work_context", "transferable_skills_to_work_context")
    ),
    Correspondence(("technology_skills",), ("software_skills",), "UNSPSC commodities replaced by 2.E categories"),
    Correspondence(("interests",), ("career_interest_types",)),
    Correspondence(("riasec_keywords",), ("career_interest_type_keywords",)),
    Correspondence(("basic_interests_to_riasec",), ("specific_interest_areas_to_career_interest_types",)),
    Correspondence(("interests_illus_activities",), ("interests_illustrative_activities",)),
    Correspondence(("interests_illus_occupations",), ("interests_illustrative_occupations",)),
    Correspondence(("alternate_titles",), ("job_titles",)),
    Correspondence(("education_training_experience",), ("education", "training_and_experience")),
    Correspondence(("ete_categories",), ("education_categories", "training_and_experience_categories")),
    Correspondence(("iwa_reference",), ("gwas_to_iwas",), "IWA ids re-keyed"),
    Correspondence(("dwa_reference",), ("gwas_to_iwas_to_dwas",), "DWA ids re-keyed"),
    Correspondence(("work_values",), (), "dropped in 30.3"),
    Correspondence(("tools_used",), (), "dropped in 30.3"),
    Correspondence(("unspsc_reference",), (), "dropped in 30.3"),
    Correspondence((), ("specific_interest_areas",), "new in 30.3"),
    Correspondence((), ("work_styles_to_work_activities",), "new in 30.3"),
    Correspondence((), ("work_styles_to_work_context",), "new in 30.3"),
)


def counterparts(table_id: str, layout: str) -> Correspondence | None:
    """The correspondence naming `table_id` as a table of the *other* layout than `layout`."""
    for c in CORRESPONDENCES:
        if table_id in (c.current if layout == LEGACY else c.legacy):
            return c
    return None


@dataclass(frozen=True)
class Alias:
    """A current-layout table id answered on a legacy release from a legacy table: the rows `where` picks (a
    condition on the legacy table's own columns, written here, never from user text), columns renamed."""

    table_id: str
    source: str
    title: str
    description: str
    where: str = ""
    renames: tuple[tuple[str, str], ...] = ()


#: The hosted service's ids that a legacy release can answer too (clients of the hosted API send them).
ALIASES: tuple[Alias, ...] = (
    Alias(
        "essential_skills", "skills", "Essential Skills", "Provide essential skills ratings.", "element_id LIKE '2.A.%'"
    ),
    Alias(
        "transferable_skills",
        "skills",
        "Transferable Skills",
        "Provide transferable skills ratings.",
        "element_id LIKE '2.B.%'",
    ),
    Alias(
        "software_skills",
        "technology_skills",
        "Software Skills",
        "Software and technology examples per occupation, with hot technology and in-demand flags "
        "(on a release before 30.3: technology_skills, categories are UNSPSC commodities).",
        renames=(
            ("example", "workplace_example"),
            ("commodity_code", "element_id"),
            ("commodity_title", "element_name"),
        ),
    ),
)
