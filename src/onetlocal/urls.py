"""Path templates of the routes that answers link to: one name per route, used by the route table (the path it
serves) and by the services (the links they write), so a link cannot point at a path nobody serves.

`path()` fills a template (Starlette's `url_path_for` is the model); `Ctx.link()` makes it absolute. Every value a
link interpolates is percent-encoded here, once: path segments by `segment()`, the request's own path (the
`prev`/`next` links) by `encode_path()`; query strings by `urlencode` in `Ctx`. `absolute()` makes the
site-relative links of a memoised body absolute for the answer being sent.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar
from urllib.parse import quote

T = TypeVar("T")

# -- O*NET OnLine ------------------------------------------------------------------------------------------
OCCUPATIONS = "/online/occupations/"
OCCUPATION = "/online/occupations/{code}/"
SUMMARY = "/online/occupations/{code}/summary/{section}"
DETAILS = "/online/occupations/{code}/details/{section}"
CUSTOM = "/online/occupations/{code}/custom/"
CUSTOM_REPORT = "/online/occupations/{code}/custom/{report}"
OCCUPATION_HOT_TECHNOLOGY = "/online/occupations/{code}/hot_technology"
RELATED_TASK = "/online/occupations/{code}/related/tasks/{task_id}"
RELATED_TECHNOLOGY = "/online/occupations/{code}/related/technology_skills/{commodity}"
ONET_DATA = "/online/onet_data/{section}/{element_id}"
RELATED_ACTIVITIES_ACTIVITIES = "/online/related_activities/activities/{code}"
RELATED_ACTIVITIES_RESULTS = "/online/related_activities/results/{code}"
JOB_DUTIES_TASKS = "/online/job_duties/tasks/{code}"
TECHNOLOGY_EXAMPLE = "/online/technology/examples/{example_id}"
TECHNOLOGY_CATEGORY = "/online/technology/categories/{code}"

# -- My Next Move, Mi Próximo Paso, Veterans (`site` = mnm | mpp | veterans) ------------------------------------
CAREERS = "/{site}/careers/"
CAREER = "/{site}/careers/{code}/"
CAREER_SECTION = "/{site}/careers/{code}/{section}"
MILITARY = "/{site}/military"
INTEREST_PROFILER_CAREERS = "/{site}/interestprofiler/careers"
SEARCH_CAREERS = "/{site}/search"
INDUSTRIES = "/{site}/industries/"
INDUSTRIES_ALIAS = "/{site}/browse/"
INDUSTRY_MOST_PEOPLE = "/{site}/industries/{code}/most_people"
INDUSTRY_SOME_PEOPLE = "/{site}/industries/{code}/some_people"
BRIGHT_OUTLOOK_CATEGORIES = "/{site}/bright_outlook/"
BRIGHT_OUTLOOK_CAREERS = "/{site}/bright_outlook/{category}"
CAREER_CLUSTERS = "/{site}/career_clusters/"
CAREER_CLUSTER = "/{site}/career_clusters/{code}"
JOB_PREPARATION = "/{site}/job_preparation/"
JOB_PREPARATION_ZONE = "/{site}/job_preparation/{zone}"
INTEREST_PROFILER_QUESTIONS = "/{site}/interestprofiler/questions"
INTEREST_PROFILER_QUESTIONS_30 = "/{site}/interestprofiler/questions_30"
INTEREST_PROFILER_RESULTS = "/{site}/interestprofiler/results"
INTEREST_PROFILER_JOB_ZONES = "/{site}/interestprofiler/job_zones"
INTEREST_PROFILER_INTERESTS = "/{site}/interestprofiler/interests/"
INTEREST_PROFILER_INTEREST = "/{site}/interestprofiler/interests/{area}"

# -- Database services -------------------------------------------------------------------------------------
DATABASE_INFO = "/database/info/{table_id}"
DATABASE_ROWS = "/database/rows/{table_id}"

# -- CareerOneStop -----------------------------------------------------------------------------------------
#: One path segment each: the 12 O*NET titles holding '/' ("Water/Wastewater Engineers") are asked for by code.
COS_OCCUPATION = "/v1/occupation/{userId}/{keyword}/{location}"


#: Values made only of these need no percent-encoding (codes, ids, slugs): the common case skips quote().
_PLAIN = re.compile(r"[A-Za-z0-9._~-]*").fullmatch
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~/-]*").fullmatch


def segment(value: Any) -> str:
    """`value` percent-encoded as one path segment ('C#' -> 'C%23', 'PL/SQL' -> 'PL%2FSQL')."""
    value = str(value)
    return value if _PLAIN(value) else quote(value, safe="")


def path(template: str, **params: Any) -> str:
    """`template` with its `{name}` segments filled (each value percent-encoded as one path segment)."""
    return template.format_map({name: segment(value) for name, value in params.items()})


def encode_path(decoded: str) -> str:
    """A decoded request path (ASGI `path`: '/online/hot_technology/C#') percent-encoded for a link, once; '/'
    separates segments (a decoded path cannot tell an encoded '/' from a separator, and no route takes one)."""
    return decoded if _PLAIN_PATH(decoded) else quote(decoded, safe="/")


#: Keys whose value is a link: `href` (items, industries, examples) and `related` (report sections).
LINK_KEYS = frozenset({"href", "related"})


def absolute(base_url: str, value: T) -> T:
    """A copy of `value` (dicts and lists, nested) whose site-relative links (a `LINK_KEYS` value starting with '/')
    are absolute on `base_url`; anything else is kept, the same objects. Bodies are memoised with site-relative links
    so that one body serves every base URL (Host); only the answer that is sent pays for absolute ones."""
    base = base_url.rstrip("/")
    nested = (dict, list)

    def walk(v: Any) -> Any:
        if type(v) is list:
            return [walk(x) if type(x) in nested else x for x in v]
        return {
            k: base + x if k in LINK_KEYS and type(x) is str and x[:1] == "/" else walk(x) if type(x) in nested else x
            for k, x in v.items()
        }

    return walk(value) if type(value) in nested else value
