"""O*NET OnLine keyword search."""

from onetlocal.http.params import Param
from onetlocal.http.routing import Endpoint
from onetlocal.services import search

ENDPOINTS = [
    Endpoint(
        "/online/search",
        search.search,
        "Keyword search: occupations by relevance over titles, alternate and reported titles, descriptions, "
        "tasks and technology; an O*NET-SOC code (15-1252.00) or SOC code (15-1252) returns that occupation",
        "search",
        params=(Param("keyword", "search query (word, phrase, job title, or code)", required=True),),
        list_key="occupation",
    ),
]
