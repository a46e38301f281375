"""Every API this server answers, each one mount: its families' route tables, top to bottom.

A new route family is a services module, an endpoints rows file, and one line in its API's list here.
"""

from onetlocal.http.api import Api
from onetlocal.http.auth import BearerToken
from onetlocal.http.endpoints import (
    about,
    advanced,
    browse,
    careeronestop,
    database,
    mnm,
    mnm_careers,
    occupations,
    onet_data,
    search,
    taxonomy,
)

ONET = Api(
    name="onet",
    title="O*NET Web Services v2",
    prefix="",
    endpoints=[
        *about.ENDPOINTS,
        *database.ENDPOINTS,
        *advanced.ENDPOINTS,
        *occupations.ENDPOINTS,
        *onet_data.ENDPOINTS,
        *search.ENDPOINTS,
        *browse.ENDPOINTS,
        *taxonomy.ENDPOINTS,
        *mnm.ENDPOINTS,
        *mnm_careers.ENDPOINTS,
    ],
)


def careeronestop_error(status: int, message: str) -> dict:
    """CareerOneStop's error body: ASP.NET Web API's `{"Message": ...}` (clients test `Message`; evidence §7)."""
    return {"Message": message}


CAREERONESTOP = Api(
    name="careeronestop",
    title="CareerOneStop Get Occupation Details",
    prefix="/v1/",
    endpoints=careeronestop.ENDPOINTS,
    scheme=BearerToken(),
    error_body=careeronestop_error,
    statuses={422: 400},  # every bad parameter is 400 Bad Request there
)

APIS = [CAREERONESTOP, ONET]

#: Every route row of every API (documentation, tests, benchmarks).
ENDPOINTS = [endpoint for api in APIS for endpoint in api.endpoints]
