"""The whole API, top to bottom: every family's route table in one list."""

from onetlocal.http.endpoints import about, database
from onetlocal.http.endpoints import advanced
from onetlocal.http.endpoints import occupations
from onetlocal.http.endpoints import search
from onetlocal.http.endpoints import browse, taxonomy

ENDPOINTS = [
    *about.ENDPOINTS,
    *database.ENDPOINTS,
    *advanced.ENDPOINTS,
    *occupations.ENDPOINTS,
    *search.ENDPOINTS,
    *browse.ENDPOINTS,
    *taxonomy.ENDPOINTS,
]
