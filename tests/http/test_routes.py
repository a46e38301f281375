"""Every route of the route table answers on both layouts' builds (O*NET 30.1 and 30.3): called with plausible
values of each declared parameter, none answers 5xx — a 422 "no data", a 404 for dropped data, an empty list are
all answers; a traceback is not."""

from __future__ import annotations

import pytest

from onetlocal.http.params import PATH_DEFAULTS
from onetlocal.http.routes import ENDPOINTS
from onetlocal.http.routing import Endpoint

CODES = ("15-1252.00", "29-1141.00", "41-2031.00", "11-9199.00")  # 11-9199.00: an "All Other" without data
#: Plausible values of path parameters by name (where the row declares no enum), both layouts' ids.
PATH_VALUES = {
    "element_id": ("2.A.1.a", "2.B.3.e", "1.B.1.a", "R", "1.A.1.a.1", "4.A.1.a.1", "1.B.2.a"),
    "task_id": ("21662", "1841"),
    "commodity": ("43232110", "2.E.5.b"),
    "example_id": ("microsoft-excel-000000",),
    "table_id": ("skills", "essential_skills", "work_values", "software_skills", "tasks_to_dwas"),
    "userId": ("tests",),
    "keyword": ("29-1141.00", "Registered Nurses"),
    "location": ("US", "NV", "Chicago, IL"),
    "zone": ("1", "2", "5"),
    "name": ("work_values", "bogus"),
}
#: Path parameters named `code` that are not O*NET-SOC codes, by a segment of the path.
OTHER_CODES = {"/technology/": ("43232110", "2.E.5.b"), "/career_clusters/": ("010100", "010101"),
               "/industries/": ("31", "62")}
QUERY_VALUES = {
    "keyword": ("nurse",), "activities": ("4.A.4.a.1.I05.D01", "4.A.4.a.1.e.1"), "tasks": ("1808",),
    "skills": ("2.B.1.a",), "answers": ("553421321134342523523523254115342111351145453111231155343444",),
}


def _path_values(endpoint: Endpoint, name: str) -> tuple[str, ...]:
    param = next((p for p in endpoint.params if p.name == name and p.location == "path"), None)
    if param is not None and param.enum:
        return tuple(str(v) for v in param.enum)[:8]
    if name == "code":
        other = next((v for segment, v in OTHER_CODES.items() if segment in endpoint.path), None)
        if other or (param is not None and param is not PATH_DEFAULTS["code"] and param.pattern is None):
            return other or ("1",)
        return CODES
    return PATH_VALUES.get(name, ("1",))


def _requests(endpoint: Endpoint) -> list[tuple[str, dict]]:
    urls = [endpoint.path]
    for name in endpoint.path_names:
        urls = [u.replace(f"{{{name}}}", v) for u in urls for v in _path_values(endpoint, name)]
    query: dict = {}
    for param in endpoint.params:
        if param.location != "query":
            continue
        if param.type == "boolean":
            query[param.name] = "true"  # CareerOneStop: every block on
        elif param.required:
            query[param.name] = QUERY_VALUES.get(param.name, ("1",))[0]
    return [(url, query) for url in urls[:40]]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_no_route_answers_5xx_on_either_layout(any_client, api_key, endpoint):
    headers = {"Authorization": f"Bearer {api_key}"} if endpoint.path.startswith("/v1/") else {}
    statuses = set()
    for url, query in _requests(endpoint):
        response = any_client.get(url, params=query, headers=headers)
        assert response.status_code < 500, (url, query, response.text[:300])
        assert response.headers["content-type"].startswith("application/json"), url
        statuses.add(response.status_code)
    assert statuses - {401}, "every call was refused: the sweep tested nothing"
