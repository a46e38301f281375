"""My Next Move career reports on every site (`/mnm/`, `/mpp/`, `/veterans/`) and the Veterans military search.

Per site: the overview, one row per report section the site serves (so each section is documented, and only
`check_out_my_state` declares `location`), then a `{section}` row that answers 422 for any other section name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from onetlocal import urls
from onetlocal.http.params import PATH_DEFAULTS, Param
from onetlocal.http.routing import Endpoint, bind
from onetlocal.services.mnm import SITES, Site, careers, military

_CODE = PATH_DEFAULTS["code"]
_LOCATION = Param(
    "location", "state: USPS code (NV), 2-digit FIPS code (32) or name; without it, states by location quotient only"
)

#: section -> what its body holds (OpenAPI summaries)
_SUMMARIES = {
    "knowledge": "bare array of groups [{id, name, element: [{id, name}]}]: the important knowledge areas",
    "skills": "bare array of groups [{id, name, element: [{id, name}]}]: the important skills",
    "abilities": "bare array of groups [{id, name, element: [{id, name}]}]: the important abilities",
    "personality": "{code, title, top_interest: {id, name, description} | null, work_styles: [{id, name}]}",
    "technology": "{code, title, category: [{title, example: [{name, hot_technology}]}]}",
    "education": "{code, title, job_zone: {code, title, ...} | null, education_usually_needed: [str]}",
    "job_outlook": "{code, title, outlook: {category, description} | null, bright_outlook?: [{code, title}] "
    "(only when Bright), salary: {soc_code, annual_*/hourly_* (null when unpublished; *_over when "
    "top-coded)} | null}",
    "check_out_my_state": "{code, title, soc_code, above_average, average, below_average: [{postal_code, name, "
    "location_quotient}], state?: {postal_code, name, salary, employment, location_quotient, "
    "projections?}} (422 for an unknown state)",
    "explore_more": "{code, title, careers: [{href, code, title, tags}], industries: [{href (null when the "
    "career is on neither industry list), code, title, percent_employed}]}",
    "in_the_military": "{code, title, match: [{code, title}]}: military occupations crosswalked to the career",
}


def _bind(fn: Callable, site: Site, label: str, doc: str, **fixed: Any) -> Callable:
    return bind(fn, f"{site.name}_{label}", doc, site, **fixed)


def _section_path(site: Site, name: str) -> str:
    return urls.CAREER_SECTION.format(site=site.name, code="{code}", section=name)


def _rows(site: Site) -> list[Endpoint]:
    tag = f"{site.name}_careers"
    rows = [
        Endpoint(
            urls.CAREER.format(site=site.name, code="{code}"),
            _bind(careers.overview, site, "career", "career overview"),
            f"{site.title}: career overview {{code, title, tags, also_called, what_they_do, on_the_job, "
            f"career_video, contents}} (contents = the sections with data)",
            tag,
            params=(_CODE,),
        )
    ]
    for name in careers.section_names(site):
        params = (_CODE, _LOCATION) if name == "check_out_my_state" else (_CODE,)
        rows.append(
            Endpoint(
                _section_path(site, name),
                _bind(careers.section, site, f"career_{name}", f"career section {name}", name=name),
                f"{site.title}: {_SUMMARIES[name]}; 422 when the career has no data for it",
                tag,
                params=params,
            )
        )
    rows.append(
        Endpoint(
            urls.CAREER_SECTION.format(site=site.name, code="{code}", section="{name}"),
            _bind(careers.section, site, "career_section", "any other section name: 422"),
            f"{site.title}: a section this site does not serve (422)",
            tag,
            params=(_CODE, Param("name", "report section", location="path")),
        )
    )
    if site.name == "veterans":
        rows.append(
            Endpoint(
                urls.MILITARY.format(site=site.name),
                _bind(military.search, site, "military", "military search"),
                "Careers like your military job: military occupation code or title words -> related "
                "civilian careers [{href, code, title, tags, military: [{code, title}]}]",
                f"{site.name}_military",
                params=(Param("keyword", "military occupation code (e.g. 11B) or title words", required=True),),
                list_key="career",
            )
        )
    return rows


ENDPOINTS = [row for site in SITES.values() for row in _rows(site)]
