"""My Next Move, Mi Próximo Paso and My Next Move for Veterans: search, career listing, browse and the Interest
Profiler, one set of rows mounted for every site of `services.mnm.SITES` (the career report has its own rows)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from onetlocal import urls
from onetlocal.http.params import Param
from onetlocal.http.routing import Endpoint, bind
from onetlocal.services.mnm import SITES, Site, explore
from onetlocal.services.mnm import interest_profiler as ip
from onetlocal.vocabulary import BRIGHT_OUTLOOK_TITLES
from onetlocal.vocabulary import INTEREST_AREAS as AREAS

#: Job Zones 1-5; since O*NET 30.2 the release has four (1 and 2 merged into "Job Zone 1-2", value 2): there 1 is 2.
_ZONE_DOC = "Job Zone (1-5; on a release with four zones, 1 is the merged zone 1-2, value 2)"
_ZONE = Param("zone", f"return careers only from this {_ZONE_DOC}", "integer", minimum=1, maximum=5)
_ANSWERS = Param(
    "answers",
    "answers to the Interest Profiler questions in question order: 60 digits (Short Form) "
    "or 30 (Mini-IP), each 1 (Strongly Dislike) to 5 (Strongly Like)",
    pattern=ip.ANSWERS_PATTERN,
)
_SCORES = tuple(
    Param(
        area, f"{area.capitalize()} score from the Interest Profiler results (0-40)", "integer", minimum=0, maximum=40
    )
    for area in AREAS
)


def _bind(fn: Callable, site: Site) -> Callable:
    """`fn` answering for one site, named after both."""
    return bind(fn, f"{site.name}_{fn.__name__}", fn.__doc__, site)


def _rows(site: Site) -> list[Endpoint]:
    def row(template: str, fn: Callable, summary: str, tag: str, **kw: Any) -> Endpoint:
        return Endpoint(
            template.replace("{site}", site.name),
            _bind(fn, site),
            f"{site.title}: {summary}",
            f"{site.name}_{tag}",
            **kw,
        )

    return [
        row(
            urls.SEARCH_CAREERS,
            explore.search,
            "careers matching a keyword, by relevance (an O*NET-SOC code returns that career)",
            "search",
            params=(Param("keyword", "search query (word, phrase, job title, or code)", required=True),),
            list_key="career",
        ),
        row(urls.CAREERS, explore.all_careers, "all careers, by title", "careers", list_key="career"),
        # -- browse by industry (OEWS national industry employment) --------------------------------------
        row(urls.INDUSTRIES, explore.industries, "industries (OEWS NAICS sectors)", "browse", list_key="industry"),
        row(
            urls.INDUSTRIES_ALIAS,
            explore.industries,
            "industries (alias of industries/, the v1 path)",
            "browse",
            list_key="industry",
        ),
        row(
            urls.INDUSTRY_MOST_PEOPLE,
            explore.industry_most_people,
            f"careers with at least {explore.MOST_PEOPLE:.0%} of their workers in the industry",
            "browse",
            params=(Param("code", "industry code from the listing", "integer", location="path"),),
            list_key="career",
        ),
        row(
            urls.INDUSTRY_SOME_PEOPLE,
            explore.industry_some_people,
            f"careers with {explore.SOME_PEOPLE:.0%} to under {explore.MOST_PEOPLE:.0%} of their workers in the "
            "industry",
            "browse",
            params=(Param("code", "industry code from the listing", "integer", location="path"),),
            list_key="career",
        ),
        # -- Bright Outlook, career clusters, job preparation ------------------------------------------
        row(urls.BRIGHT_OUTLOOK_CATEGORIES, explore.bright_outlook_categories, "Bright Outlook categories", "browse"),
        row(
            urls.BRIGHT_OUTLOOK_CAREERS,
            explore.bright_outlook_careers,
            "careers in a Bright Outlook category",
            "browse",
            params=(Param("category", "Bright Outlook category", enum=tuple(BRIGHT_OUTLOOK_TITLES), location="path"),),
            list_key="career",
        ),
        row(urls.CAREER_CLUSTERS, explore.career_clusters, "career clusters (Advance CTE 2024)", "browse"),
        row(
            urls.CAREER_CLUSTER,
            explore.career_cluster,
            "careers in a career cluster",
            "browse",
            params=(Param("code", "career cluster code from the listing, e.g. 010100", location="path"),),
            list_key="career",
        ),
        row(urls.JOB_PREPARATION, explore.job_preparation, "job zones (levels of job preparation)", "browse"),
        row(
            urls.JOB_PREPARATION_ZONE,
            explore.job_preparation_careers,
            "careers in a job zone",
            "browse",
            params=(Param("zone", _ZONE_DOC, "integer", minimum=1, maximum=5, location="path"),),
            list_key="career",
        ),
        # -- Interest Profiler ------------------------------------------------------------------------
        row(
            urls.INTEREST_PROFILER_QUESTIONS,
            ip.questions,
            "Interest Profiler Short Form questions (60)",
            "interestprofiler",
            list_key="question",
        ),
        row(
            urls.INTEREST_PROFILER_QUESTIONS_30,
            ip.questions_30,
            "Mini-IP questions (30; derived from the Short Form: the official list is not published)",
            "interestprofiler",
            list_key="question",
        ),
        row(
            urls.INTEREST_PROFILER_RESULTS,
            ip.results,
            "RIASEC raw scores of the answers (not paged)",
            "interestprofiler",
            params=(replace(_ANSWERS, required=True),),
        ),
        row(
            urls.INTEREST_PROFILER_JOB_ZONES,
            explore.job_zone_reference,
            "the release's job zones (five; four since O*NET 30.2)",
            "interestprofiler",
        ),
        row(
            urls.INTEREST_PROFILER_CAREERS,
            ip.matching_careers,
            "careers matching the answers or the six scores (exactly one set), each with its fit",
            "interestprofiler",
            params=(_ANSWERS, *_SCORES, _ZONE),
            list_key="career",
        ),
        row(urls.INTEREST_PROFILER_INTERESTS, ip.interests, "the six RIASEC interest areas", "interestprofiler"),
        row(
            urls.INTEREST_PROFILER_INTEREST,
            ip.interest_careers,
            "careers whose strongest interest (first high-point) is the area",
            "interestprofiler",
            params=(Param("area", "interest area", enum=AREAS, location="path"), _ZONE),
            list_key="career",
        ),
    ]


ENDPOINTS = [row for site in SITES.values() for row in _rows(site)]
