"""O*NET OnLine occupations: listing, overview, summary/details report sections, custom reports, hot technology."""

from onetlocal.http.routing import Endpoint, Param
from onetlocal.services import occupations, reports

_TAG = "occupations"
_CODE = Param("code", "O*NET-SOC code, e.g. 15-1252.00", location="path")
_SECTION = Param("section", "report section", enum=tuple(reports.SECTIONS), location="path")
_PAGE = (
    Param("start", "Index of first returned item (1-based)", "integer", default=1),
    Param("end", "Index of last returned item (default start+9)", "integer"),
)

ENDPOINTS = [
    Endpoint("/online/occupations/", occupations.listing,
             "All occupations by code; with keyword, those the keyword search finds, by relevance", _TAG,
             params=(Param("keyword", "optional: filter by keyword search"),), list_key="occupation"),
    Endpoint("/online/occupations/{code}/", occupations.overview,
             "Occupation overview: description, reported titles, also see, Bright Outlook, updated, job zone, "
             "and the report sections with data", _TAG, params=(_CODE,)),
    Endpoint("/online/occupations/{code}/summary/{section}", reports.summary,
             "Summary report section: the items O*NET OnLine shows by default, without ratings "
             "(422 when the occupation has no data for it; job_zone and education are not paged)", _TAG,
             params=(_CODE, _SECTION, *_PAGE), page_size=reports.PAGE_SIZE),
    Endpoint("/online/occupations/{code}/details/{section}", reports.details,
             "Details report section: every item with importance/level (0-100), by importance desc "
             "(422 when the occupation has no data for it; job_zone and education are not paged)", _TAG,
             params=(_CODE, _SECTION, *_PAGE), page_size=reports.PAGE_SIZE),
    Endpoint("/online/occupations/{code}/hot_technology", reports.hot_technology,
             "Hot technologies of an occupation: example [{title, href, hot_technology, in_demand?}], in demand "
             "first (no percentage: job-posting shares are not in the release)", _TAG,
             params=(_CODE, *_PAGE), list_key="example", page_size=reports.PAGE_SIZE),
    Endpoint("/online/occupations/{code}/related/technology_skills/{commodity}", reports.related_technology,
             "Other occupations using technology of one UNSPSC commodity (a category of the occupation's "
             "technology skills), by examples shared, each with its examples in the category", _TAG,
             params=(_CODE, Param("commodity", "UNSPSC commodity code of one of the occupation's technology "
                                  "categories", "integer", location="path"),
                     Param("start", "Index of first returned item (1-based)", "integer", default=1),
                     Param("end", "Index of last returned item (default start+19)", "integer")),
             list_key="occupation", page_size=reports.RELATED_PAGE_SIZE),
    Endpoint("/online/occupations/{code}/custom/", reports.custom,
             "Custom report: the chosen sections in one unpaged response {code, title, <section>: <body>, "
             "no_data?: [sections without data]}", _TAG,
             params=(_CODE,
                     Param("section", "section name, repeatable or comma-separated; default: every section",
                           enum=tuple(reports.SECTIONS), repeat=True),
                     Param("display", "details (with ratings) or summary", enum=reports.VIEWS, default="details"))),
    Endpoint("/online/occupations/{code}/custom/{report}", reports.custom_report,
             "Named custom report: work_activities_outline = work activities grouped by Content Model category "
             "{code, title, group: [{id, name, element}]}", _TAG,
             params=(_CODE, Param("report", "custom report name", enum=tuple(reports.CUSTOM), location="path"))),
]
