from onetlocal.http.routing import Endpoint
from onetlocal.services import about

ENDPOINTS = [
    Endpoint("/about/", about.about, "API and database version info", "about"),
]
