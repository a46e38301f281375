"""Importer for the O*NET text release: every release file becomes one table named as in O*NET's SQL release."""

from __future__ import annotations

import csv
import re
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass

from onetlocal.ingest.source import ProgressFn, ReleaseSource, open_release
from onetlocal.ingest.tables import column_id, typed_columns, write_table
from onetlocal.errors import BuildError

_RATING = [
    "O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "N", "Standard Error",
    "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Not Relevant", "Date", "Domain Source",
]


@dataclass(frozen=True)
class ReleaseFile:
    name: str  # file name without .txt
    table_id: str
    description: str
    header: tuple[str, ...]  # the columns a valid file must have (any order; extra columns are kept)
    required: bool = False


def _f(name, table_id, description, header, required=False) -> ReleaseFile:
    return ReleaseFile(name, table_id, description, tuple(header), required)


#: The 40 files of the O*NET 30.x text release. Only Occupation Data is required.
RELEASE_FILES: tuple[ReleaseFile, ...] = (
    _f("Occupation Data", "occupation_data", "O*NET-SOC codes, titles and descriptions of every occupation.",
       ["O*NET-SOC Code", "Title", "Description"], required=True),
    _f("Content Model Reference", "content_model_reference", "Element IDs, names and descriptions of the O*NET Content Model.",
       ["Element ID", "Element Name", "Description"]),
    _f("Job Zone Reference", "job_zone_reference", "The five Job Zones: experience, education, training, examples and SVP range.",
       ["Job Zone", "Name", "Experience", "Education", "Job Training", "Examples", "SVP Range"]),
    _f("Scales Reference", "scales_reference", "Scale IDs, names and their minimum and maximum values.",
       ["Scale ID", "Scale Name", "Minimum", "Maximum"]),
    _f("Education, Training, and Experience Categories", "ete_categories",
       "Category descriptions for the Education, Training, and Experience scales.",
       ["Element ID", "Element Name", "Scale ID", "Category", "Category Description"]),
    _f("Level Scale Anchors", "level_scale_anchors", "Anchor descriptions for the Level scale of each descriptor.",
       ["Element ID", "Element Name", "Scale ID", "Anchor Value", "Anchor Description"]),
    _f("Occupation Level Metadata", "occupation_level_metadata", "Data collection metadata per occupation.",
       ["O*NET-SOC Code", "Item", "Response", "N", "Percent", "Date"]),
    _f("Survey Booklet Locations", "survey_booklet_locations", "Survey item numbers of Content Model elements.",
       ["Element ID", "Element Name", "Survey Item Number", "Scale ID"]),
    _f("Task Categories", "task_categories", "Category descriptions for the task frequency scale.",
       ["Scale ID", "Category", "Category Description"]),
    _f("Work Context Categories", "work_context_categories", "Category descriptions for Work Context items.",
       ["Element ID", "Element Name", "Scale ID", "Category", "Category Description"]),
    _f("Abilities", "abilities", "Ability ratings (importance and level) per occupation.", _RATING),
    _f("Education, Training, and Experience", "education_training_experience",
       "Distribution of required education, experience and training per occupation.",
       ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Category", "Data Value", "N",
        "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Date", "Domain Source"]),
    _f("Interests", "interests", "Occupational interest (RIASEC) ratings and high-point codes per occupation.",
       ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "Date", "Domain Source"]),
    _f("Job Zones", "job_zones", "Job Zone of each occupation.", ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"]),
    _f("Knowledge", "knowledge", "Knowledge ratings (importance and level) per occupation.", _RATING),
    _f("Skills", "skills", "Skill ratings (importance and level) per occupation.", _RATING),
    _f("Task Statements", "task_statements", "Task statements per occupation, core or supplemental.",
       ["O*NET-SOC Code", "Task ID", "Task", "Task Type", "Incumbents Responding", "Date", "Domain Source"]),
    _f("Task Ratings", "task_ratings", "Frequency, importance and relevance ratings of task statements.",
       ["O*NET-SOC Code", "Task ID", "Scale ID", "Category", "Data Value", "N", "Standard Error",
        "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Date", "Domain Source"]),
    _f("Work Activities", "work_activities", "Work activity ratings (importance and level) per occupation.", _RATING),
    _f("Work Context", "work_context", "Work context ratings and response distributions per occupation.",
       _RATING[:4] + ["Category"] + _RATING[4:]),
    _f("Work Styles", "work_styles", "Work style ratings per occupation.",
       ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "Date", "Domain Source"]),
    _f("Work Values", "work_values", "Work value ratings and high-point values per occupation.",
       ["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value", "Date", "Domain Source"]),
    _f("IWA Reference", "iwa_reference", "Intermediate Work Activities.", ["Element ID", "IWA ID", "IWA Title"]),
    _f("DWA Reference", "dwa_reference", "Detailed Work Activities.", ["Element ID", "IWA ID", "DWA ID", "DWA Title"]),
    _f("Tasks to DWAs", "tasks_to_dwas", "Links of task statements to Detailed Work Activities.",
       ["O*NET-SOC Code", "Task ID", "DWA ID", "Date", "Domain Source"]),
    _f("Emerging Tasks", "emerging_tasks", "New and revised tasks reported by incumbents.",
       ["O*NET-SOC Code", "Task", "Category", "Original Task ID", "Original Task", "Date", "Domain Source"]),
    _f("Alternate Titles", "alternate_titles", "Alternate job titles per occupation.",
       ["O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"]),
    _f("Sample of Reported Titles", "sample_of_reported_titles", "Job titles reported by incumbents.",
       ["O*NET-SOC Code", "Reported Job Title", "Shown in My Next Move"]),
    _f("Technology Skills", "technology_skills", "Software and technology examples per occupation.",
       ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"]),
    _f("Tools Used", "tools_used", "Tools and equipment examples per occupation.",
       ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title"]),
    _f("UNSPSC Reference", "unspsc_reference", "UNSPSC commodity, class, family and segment codes and titles.",
       ["Commodity Code", "Commodity Title", "Class Code", "Class Title", "Family Code", "Family Title",
        "Segment Code", "Segment Title"]),
    _f("Abilities to Work Activities", "abilities_to_work_activities", "Links of abilities to work activities.",
       ["Abilities Element ID", "Abilities Element Name", "Work Activities Element ID", "Work Activities Element Name"]),
    _f("Abilities to Work Context", "abilities_to_work_context", "Links of abilities to work context items.",
       ["Abilities Element ID", "Abilities Element Name", "Work Context Element ID", "Work Context Element Name"]),
    _f("Skills to Work Activities", "skills_to_work_activities", "Links of skills to work activities.",
       ["Skills Element ID", "Skills Element Name", "Work Activities Element ID", "Work Activities Element Name"]),
    _f("Skills to Work Context", "skills_to_work_context", "Links of skills to work context items.",
       ["Skills Element ID", "Skills Element Name", "Work Context Element ID", "Work Context Element Name"]),
    _f("RIASEC Keywords", "riasec_keywords", "Action and object keywords for each RIASEC interest.",
       ["Element ID", "Element Name", "Keyword", "Keyword Type"]),
    _f("Basic Interests to RIASEC", "basic_interests_to_riasec", "Links of basic interests to RIASEC interests.",
       ["Basic Interests Element ID", "Basic Interests Element Name", "RIASEC Element ID", "RIASEC Element Name"]),
    _f("Interests Illustrative Activities", "interests_illus_activities", "Illustrative activities per interest.",
       ["Element ID", "Element Name", "Interest Type", "Activity"]),
    _f("Interests Illustrative Occupations", "interests_illus_occupations", "Illustrative occupations per interest.",
       ["Element ID", "Element Name", "Interest Type", "O*NET-SOC Code"]),
    _f("Related Occupations", "related_occupations", "Related occupations per occupation, by relatedness tier.",
       ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"]),
)

#: What each column holds (O*NET data dictionary wording, shortened).
COLUMN_DESCRIPTIONS = {
    "onetsoc_code": "O*NET-SOC code of the occupation",
    "title": "Occupation title",
    "description": "Description",
    "element_id": "Content Model element identifier",
    "element_name": "Content Model element name",
    "scale_id": "Scale identifier (see scales_reference)",
    "data_value": "Rating on the scale",
    "n": "Sample size",
    "standard_error": "Standard error of the rating",
    "lower_ci_bound": "Lower 95% confidence interval bound",
    "upper_ci_bound": "Upper 95% confidence interval bound",
    "recommend_suppress": "Y: low precision, suppression recommended",
    "not_relevant": "Y: rated not relevant for the occupation",
    "date_updated": "Month and year of the last update (MM/YYYY)",
    "domain_source": "Source of the data (Incumbent, Analyst, …)",
    "category": "Category of the scale",
    "task_id": "Task identifier",
    "task": "Task statement",
    "task_type": "Core or Supplemental",
    "incumbents_responding": "Percent of incumbents who reported the task as relevant",
    "job_zone": "Job Zone (1–5)",
    "commodity_code": "UNSPSC commodity code",
    "commodity_title": "UNSPSC commodity title",
    "example": "Example name",
    "hot_technology": "Y: a hot technology",
    "in_demand": "Y: in demand in job postings",
    "dwa_id": "Detailed Work Activity identifier",
    "dwa_title": "Detailed Work Activity title",
    "iwa_id": "Intermediate Work Activity identifier",
    "iwa_title": "Intermediate Work Activity title",
    "alternate_title": "Alternate job title",
    "short_title": "Short form of the alternate title",
    "sources": "Source codes of the title",
    "reported_job_title": "Job title reported by incumbents",
    "shown_in_my_next_move": "Y: shown in My Next Move",
    "related_onetsoc_code": "O*NET-SOC code of the related occupation",
    "relatedness_tier": "Relatedness tier (Primary-Short, Primary-Long, Supplemental)",
    "related_index": "Rank of the related occupation",
}

_INTEGER_HINTS = {"task_id", "category", "job_zone", "commodity_code", "n", "related_index"}
_REAL_HINTS = {"data_value", "standard_error", "lower_ci_bound", "upper_ci_bound"}
_TYPE_HINTS = {**{c: "INTEGER" for c in _INTEGER_HINTS}, **{c: "REAL" for c in _REAL_HINTS}}


def release_version(source: ReleaseSource) -> str:
    """'30.1' from the read-me's first line ('O*NET 30.1 Database') or from a folder name like db_30_1_text."""
    if source.has("Read Me.txt"):
        with source.open_text("Read Me.txt") as fh:
            match = re.search(r"O\*NET\s+(\d+\.\d+)", fh.read(4096))
            if match:
                return match.group(1)
    match = re.search(r"db_(\d+)_(\d+)", source.label)
    return f"{match.group(1)}.{match.group(2)}" if match else "unknown"


def read_release_file(source: ReleaseSource, spec: ReleaseFile) -> tuple[list[str], list[list[str | None]]]:
    """Header and rows of one file, checked against its expected layout; 'n/a' and '' become None."""
    file_name = f"{spec.name}.txt"
    try:
        with source.open_text(file_name) as fh:
            reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = [h.strip() for h in next(reader, [])]
            missing = [h for h in spec.header if h.lower() not in {x.lower() for x in header}]
            if missing:
                raise BuildError(f"{file_name}: bad header, missing column(s) {', '.join(missing)}")
            rows = []
            for line_no, row in enumerate(reader, start=2):
                if not row:
                    continue
                if len(row) != len(header):
                    raise BuildError(f"{file_name}: line {line_no} has {len(row)} fields, header has {len(header)}")
                rows.append([None if v in ("", "n/a") else v for v in row])
    except (csv.Error, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        # An oversized field (csv's 128 KiB limit) or a corrupt zip member: name the file, not a traceback.
        raise BuildError(f"{file_name}: unreadable ({exc})") from exc
    return header, rows


def import_from(conn: sqlite3.Connection, location: str, progress: ProgressFn | None = None) -> dict:
    """The build step: open the release at `location` (folder, zip or URL), import it. The checksum is of the
    release's files (a download has no local path to hash)."""
    with open_release(location, progress) as source:
        return {**import_release(conn, source, progress), "checksum": source.checksum()}


def import_release(conn: sqlite3.Connection, source: ReleaseSource, progress: ProgressFn | None = None) -> dict:
    """Import every release file present; absent optional files become empty, unregistered tables."""
    for spec in RELEASE_FILES:
        if spec.required and not source.has(f"{spec.name}.txt"):
            raise BuildError(f"{spec.name}.txt: required file missing from {source.label}")
    imported, absent = [], []
    total = sum(source.has(f"{spec.name}.txt") for spec in RELEASE_FILES)  # the files there are, not 40
    done = 0
    for spec in RELEASE_FILES:
        if progress and source.has(f"{spec.name}.txt"):
            progress(spec.name, done, total)
            done += 1
        if source.has(f"{spec.name}.txt"):
            header, rows = read_release_file(source, spec)
            imported.append(spec.table_id)
        else:
            # Keep the table so services can query it (and answer "no data"), but don't list it.
            header, rows = list(spec.header), []
            absent.append(spec.name)
        columns = typed_columns(header, rows, COLUMN_DESCRIPTIONS, _TYPE_HINTS)
        write_table(
            conn, spec.table_id, spec.name, spec.description, columns, rows,
            source="onet", register=bool(rows) or source.has(f"{spec.name}.txt"),
        )
    if progress:
        progress("O*NET release", total, total)
    known = {f"{s.name}.txt" for s in RELEASE_FILES} | {"Read Me.txt"}
    return {
        "onet_version": release_version(source),
        "onet_tables": ",".join(imported),
        "onet_absent_files": ",".join(absent),
        "onet_unknown_files": ",".join(n for n in source.names() if n not in known),
        "source_label": source.label,
    }


__all__ = ["RELEASE_FILES", "import_from", "import_release", "release_version", "column_id"]
