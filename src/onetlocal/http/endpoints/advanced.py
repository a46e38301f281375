"""O*NET OnLine advanced searches: related activities, soft skills, job duties, technology skills,
professional associations (422: no data in this build)."""

from collections.abc import Iterable

from onetlocal import urls
from onetlocal.context import MAX_PAGE_ROWS
from onetlocal.http.params import Param
from onetlocal.http.routing import Endpoint
from onetlocal.services import advanced, job_duties, related_activities, soft_skills, technology

_KEYWORD = Param("keyword", "search query (word, phrase, title, or code)", required=True)
_OCCUPATION_SORT = "sort order; ties by title"


def _sort(names: Iterable[str], default: str, description: str = _OCCUPATION_SORT) -> Param:
    return Param("sort", description, enum=tuple(names), default=default)


_TAG = "advanced"

ENDPOINTS = [
    # -- related activities (seed) -----------------------------------------------------------
    Endpoint(
        "/online/related_activities/search",
        related_activities.search,
        "Related activities step 1: occupation search",
        _TAG,
        params=(_KEYWORD,),
        list_key="occupation",
    ),
    Endpoint(
        urls.RELATED_ACTIVITIES_ACTIVITIES,
        related_activities.activities,
        "Related activities step 2: detailed work activities of an occupation (bare array)",
        _TAG,
        paged=True,
    ),
    Endpoint(
        urls.RELATED_ACTIVITIES_RESULTS,
        related_activities.results,
        "Related activities step 3: occupations sharing the selected activities",
        _TAG,
        params=(
            Param("activities", "DWA ids to match, comma-separated or repeated", required=True, split=True),
            _sort([*related_activities.SORTS, "zone"], "shared"),
        ),
        list_key="occupation",
    ),
    # -- soft skills (seed) ------------------------------------------------------------------
    Endpoint("/online/soft_skills/", soft_skills.listing, "Soft skills: social and thinking skills", _TAG),
    Endpoint(
        "/online/soft_skills/results",
        soft_skills.results,
        "Soft skills: occupations using the selected skills",
        _TAG,
        params=(
            Param("skills", "Skill codes to match, comma-separated or repeated", required=True, split=True),
            _sort([*soft_skills.SORTS, "zone"], "skills_covered", "sort order; ties by code"),
        ),
        list_key="occupation",
    ),
    # -- job duties --------------------------------------------------------------------------
    Endpoint(
        "/online/job_duties/search",
        job_duties.search,
        "Job duties step 1: occupation search",
        _TAG,
        params=(_KEYWORD,),
        list_key="occupation",
    ),
    Endpoint(
        urls.JOB_DUTIES_TASKS,
        job_duties.tasks,
        "Job duties step 2: task statements of an occupation (bare array, all by default)",
        _TAG,
        paged=True,
        page_size=MAX_PAGE_ROWS,
    ),
    Endpoint(
        "/online/job_duties/results",
        job_duties.results,
        "Job duties step 3: occupations related to the tasks",
        _TAG,
        params=(
            Param("tasks", "Task ids, comma-separated or repeated", "integer", required=True, split=True),
            _sort([*job_duties.SORTS, "zone"], "closely_related"),
        ),
        list_key="occupation",
    ),
    Endpoint(
        urls.RELATED_TASK,
        job_duties.related_to_task,
        "Occupations related to one task of an occupation",
        _TAG,
        params=(
            Param("task_id", "Task ID", "integer", location="path"),
            _sort([*job_duties.SORTS, "zone"], "closely_related"),
        ),
        list_key="occupation",
    ),
    # -- technology skills -------------------------------------------------------------------
    Endpoint(
        "/online/technology/examples",
        technology.search_examples,
        "Technology examples matching a keyword",
        _TAG,
        params=(_KEYWORD,),
        list_key="example",
    ),
    Endpoint(
        urls.TECHNOLOGY_EXAMPLE,
        technology.example_occupations,
        "Occupations using a technology example",
        _TAG,
        params=(Param("example_id", "example id from the example search", location="path"),),
        list_key="occupation",
    ),
    Endpoint(
        "/online/technology/categories",
        technology.search_categories,
        "Technology categories matching a keyword: UNSPSC commodities (integer code) up to O*NET 30.2, Software "
        "Skills elements (element id code, e.g. 2.E.5.b) from 30.3",
        _TAG,
        params=(_KEYWORD,),
        list_key="category",
    ),
    Endpoint(
        urls.TECHNOLOGY_CATEGORY,
        technology.category_occupations,
        "Occupations using technology of a category",
        _TAG,
        params=(
            Param(
                "code",
                technology.CATEGORY_DOC,
                location="path",
                pattern=technology.CATEGORY_PATTERN,
                mismatch=technology.CATEGORY_MISMATCH,
            ),
        ),
        list_key="occupation",
    ),
    # -- professional associations: no data in this build -> 422 ------------------------------
    Endpoint(
        "/online/professional_associations/search",
        advanced.professional_associations,
        "Professional associations step 1 (not available: 422)",
        _TAG,
        params=(_KEYWORD,),
    ),
    Endpoint(
        "/online/professional_associations/all",
        advanced.professional_associations,
        "Associations across all occupations (not available: 422)",
        _TAG,
    ),
    Endpoint(
        "/online/professional_associations/{code}",
        advanced.professional_associations,
        "Associations for an occupation (not available: 422)",
        _TAG,
    ),
]
