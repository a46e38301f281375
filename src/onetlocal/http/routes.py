"""Every API this server answers, each one mount: its families' route tables, top to bottom.

A new route family is a services module, an endpoints rows file, and one line in its API's list here.
"""

from onetlocal.http.api import Api
from onetlocal.http.endpoints import about, advanced, browse, database, mnm, occupations, search, taxonomy

ONET = Api(
    name="onet",
    title="O*NET Web Services v2",
    prefix="",
    endpoints=[
        *about.ENDPOINTS,
        *database.ENDPOINTS,
        *advanced.ENDPOINTS,
        *occupations.ENDPOINTS,
        *search.ENDPOINTS,
        *browse.ENDPOINTS,
        *taxonomy.ENDPOINTS,
        *mnm.ENDPOINTS,
    ],
)

APIS = [ONET]

#: Every route row of every API (documentation, tests, benchmarks).
ENDPOINTS = [endpoint for api in APIS for endpoint in api.endpoints]
