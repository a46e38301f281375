"""O*NET OnLine occupations: listing, overview, summary/details report sections, custom reports, hot technology,
related occupations through a technology category."""

from onetlocal import urls
from onetlocal.http.params import PATH_DEFAULTS, Param
from onetlocal.http.routing import Endpoint
from onetlocal.services import occupations, reports, technology

_TAG = "occupations"
_CODE = PATH_DEFAULTS["code"]
_SECTION = Param("section", "report section", enum=tuple(reports.SECTIONS), location="path")

ENDPOINTS = [
    Endpoint(
        urls.OCCUPATIONS,
        occupations.listing,
        "All occupations by code; with keyword, those the keyword search finds, by relevance",
        _TAG,
        params=(Param("keyword", "optional: filter by keyword search"),),
        list_key="occupation",
    ),
    Endpoint(
        urls.OCCUPATION,
        occupations.overview,
        "Occupation overview: description, reported titles, also see, Bright Outlook, updated, job zone, "
        "and the report sections with data",
        _TAG,
        params=(_CODE,),
    ),
    Endpoint(
        urls.SUMMARY,
        reports.summary,
        "Summary report section: the items O*NET OnLine shows by default, without ratings "
        "(422 when the occupation has no data for it; 404 for a section the release dropped: work_values, "
        "tools_used from O*NET 30.3; job_zone and education are not paged)",
        _TAG,
        params=(_CODE, _SECTION),
        page_size=reports.PAGE_SIZE,
        paged=True,
    ),
    Endpoint(
        urls.DETAILS,
        reports.details,
        "Details report section: every item with importance/level (0-100), by importance desc "
        "(422 when the occupation has no data for it; 404 for a section the release dropped: work_values, "
        "tools_used from O*NET 30.3; job_zone and education are not paged)",
        _TAG,
        params=(_CODE, _SECTION),
        page_size=reports.PAGE_SIZE,
        paged=True,
    ),
    Endpoint(
        urls.OCCUPATION_HOT_TECHNOLOGY,
        reports.hot_technology,
        "Hot technologies of an occupation: example [{title, href, hot_technology, in_demand?}], in demand "
        "first (no percentage: job-posting shares are not in the release)",
        _TAG,
        params=(_CODE,),
        list_key="example",
        page_size=reports.PAGE_SIZE,
    ),
    Endpoint(
        urls.RELATED_TECHNOLOGY,
        reports.related_technology,
        "Other occupations using technology of one category of the occupation's technology skills (a UNSPSC "
        "commodity; from O*NET 30.3 a Software Skills element), by examples shared, each with its examples in "
        "the category",
        _TAG,
        params=(
            _CODE,
            Param(
                "commodity",
                f"{technology.CATEGORY_DOC}: one of the occupation's categories",
                location="path",
                pattern=technology.CATEGORY_PATTERN,
                mismatch=technology.CATEGORY_MISMATCH,
            ),
        ),
        list_key="occupation",
        page_size=reports.RELATED_PAGE_SIZE,
    ),
    Endpoint(
        urls.CUSTOM,
        reports.custom,
        "Custom report: the chosen sections in one unpaged response {code, title, <section>: <body>, "
        "no_data?: [sections without data]}",
        _TAG,
        params=(
            _CODE,
            Param(
                "section",
                "section name, repeatable or comma-separated; default: every section",
                enum=tuple(reports.SECTIONS),
                split=True,
            ),
            Param("display", "details (with ratings) or summary", enum=reports.VIEWS, default="details"),
        ),
    ),
    Endpoint(
        urls.CUSTOM_REPORT,
        reports.custom_report,
        "Named custom report: work_activities_outline = work activities grouped by Content Model category "
        "{code, title, group: [{id, name, element}]}",
        _TAG,
        params=(_CODE, Param("report", "custom report name", enum=tuple(reports.CUSTOM), location="path")),
    ),
]
