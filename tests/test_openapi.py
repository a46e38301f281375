"""/openapi.json describes every served route (iterating the app's own routes, so new families are checked
as they are added). The /docs page that renders it: tests/http/test_docs.py."""

from __future__ import annotations

import re

from starlette.routing import Mount, Route

from onetlocal.http.app import PUBLIC
from onetlocal.http.routes import ENDPOINTS

PUBLIC_PATHS = {route.path for route in PUBLIC}


def _served(app) -> list[Route]:
    """Every Route of the app, looking inside mounts."""
    found, todo = [], list(app.routes)
    while todo:
        route = todo.pop()
        if isinstance(route, Mount):
            todo.extend(route.routes)
        elif isinstance(route, Route):
            found.append(route)
    return found


def _canonical(path: str) -> str:
    """'/database/rows/{table_id}/' and '/database/rows/{table_id}' are one route (served both ways)."""
    return path.rstrip("/") or "/"


def test_document_is_openapi_3_1(anon):
    response = anon.get("/openapi.json")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    doc = response.json()
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["components"]["securitySchemes"]["apiKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert doc["security"] == [{"apiKey": []}]
    operation_ids = []
    for path, item in doc["paths"].items():
        assert path.startswith("/")
        op = item.get("get") or item["post"]  # POST: /onetlocal/code (bulk coding)
        operation_ids.append(op["operationId"])
        assert op["summary"] and op["tags"]
        if op.get("security") == []:  # a public page (/healthz): no key, no parameters
            assert path in PUBLIC_PATHS and "200" in op["responses"]
            continue
        invalid = "400" if path.startswith("/v1/") else "422"  # CareerOneStop answers 400 for a bad parameter
        assert {"200", "401", invalid} <= set(op["responses"])
        declared = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", path)), path
        for param in op["parameters"]:
            assert param["in"] in ("path", "query") and "schema" in param
            assert param["in"] != "path" or param["required"] is True
    assert len(operation_ids) == len(set(operation_ids))


def test_every_served_route_is_documented(app, anon):
    documented = {_canonical(p) for p in anon.get("/openapi.json").json()["paths"] if p not in PUBLIC_PATHS}
    served = {_canonical(r.path) for r in _served(app) if r.path not in PUBLIC_PATHS}
    assert served, "no routes?"
    assert served - documented == set()
    assert documented - served == set()


def test_every_endpoint_row_is_served_with_and_without_slash(app):
    paths = {r.path for r in _served(app)}
    for endpoint in ENDPOINTS:
        bare = endpoint.path.rstrip("/")
        assert bare in paths and bare + "/" in paths, endpoint.path


def test_paged_endpoints_document_start_and_end(anon):
    doc = anon.get("/openapi.json").json()
    for endpoint in ENDPOINTS:
        op = doc["paths"][endpoint.path]["get"]
        names = {p["name"] for p in op["parameters"]}
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        if endpoint.list_key:
            assert {"start", "end"} <= names, endpoint.path
            assert endpoint.list_key in schema["required"]
    rows = doc["paths"]["/database/rows/{table_id}"]["get"]
    assert {"filter", "sort", "format", "start", "end"} <= {p["name"] for p in rows["parameters"]}


def test_healthz_is_documented_public_with_its_real_example(anon):
    healthz = anon.get("/openapi.json").json()["paths"]["/healthz"]["get"]
    assert (
        healthz["security"] == []
        and healthz["responses"]["200"]["content"]["application/json"]["example"] == anon.get("/healthz").json()
    )


def test_the_onet_key_is_the_first_security_scheme(anon):
    """Swagger UI's Authorize lists the schemes in document order: the O*NET key first (issue 18 item 2)."""
    schemes = anon.get("/openapi.json").json()["components"]["securitySchemes"]
    assert list(schemes) == ["apiKey", "careeronestop"]
    assert schemes["apiKey"]["in"] == "header" and schemes["apiKey"]["name"] == "X-API-Key"
    assert schemes["careeronestop"]["scheme"].lower() == "bearer"


def test_the_export_formats_are_documented_with_their_media_types(client):
    """Issue 22 item 7: /database/rows streams CSV, tab-delimited text, Excel and JSON Lines; each is a documented
    200 content type, so a client (or schemathesis) reading the document knows what it may get."""
    from onetlocal.export import FORMATS

    content = client.get("/openapi.json").json()["paths"]["/database/rows/{table_id}"]["get"]["responses"]["200"][
        "content"
    ]
    assert set(content) == {"application/json", *(media.split(";")[0] for media, _, _ in FORMATS.values())}
    for fmt in FORMATS:
        answer = client.get(f"/database/rows/job_zone_reference?format={fmt}")
        assert answer.status_code == 200 and answer.headers["content-type"].split(";")[0] in content, fmt


# -- operation ids (issue 18 item 10) ------------------------------------------------------------------------

#: Published ids: a generated client's method names. Each is a function of the method and path alone, so adding,
#: removing or moving a route renames no other method. Never change one of these.
KNOWN_IDS = {
    "/healthz": "get_healthz",
    "/about/": "get_about",
    "/online/search": "get_online_search",
    "/online/occupations/{code}/summary/{section}": "get_online_occupations_by_code_summary_by_section",
    "/online/hot_technology/{code}": "get_online_hot_technology_by_code",
    "/database/rows/{table_id}": "get_database_rows_by_table_id",
    "/mnm/careers/{code}/": "get_mnm_careers_by_code",
    "/mnm/careers/{code}/{name}": "get_mnm_careers_by_code_by_name",
    "/veterans/interestprofiler/questions_30": "get_veterans_interestprofiler_questions_30",
    "/v1/occupation/{userId}/{keyword}/{location}": "get_v1_occupation_by_userId_by_keyword_by_location",
}


def _ids(apis) -> dict[str, str]:
    from onetlocal.http.openapi import openapi_document

    return {path: item["get"]["operationId"] for path, item in openapi_document(list(apis))["paths"].items()}


def test_operation_ids_are_the_published_ones(anon):
    ops = anon.get("/openapi.json").json()["paths"].items()
    ids = {path: op["operationId"] for path, item in ops for op in item.values()}
    assert {path: ids[path] for path in KNOWN_IDS} == KNOWN_IDS
    assert all(re.fullmatch(r"(get|post)(_[A-Za-z0-9]+)+", i) for i in ids.values()), ids
    assert ids["/onetlocal/code"] == "post_onetlocal_code"  # the rule's id for POST (operation_id)


def test_operation_ids_do_not_depend_on_route_order():
    import dataclasses
    import random

    from onetlocal.http.routes import APIS

    shuffle = random.Random(18).sample
    shuffled = [
        dataclasses.replace(api, endpoints=shuffle(list(api.endpoints), len(api.endpoints))) for api in reversed(APIS)
    ]
    fewer = [dataclasses.replace(api, endpoints=list(api.endpoints)[1::2]) for api in APIS]
    ids = _ids(APIS)
    assert _ids(shuffled) == ids
    assert _ids(fewer) == {path: ids[path] for path in _ids(fewer)}


def test_operation_ids_are_a_function_of_the_path():
    from onetlocal.http.openapi import operation_id

    for path, expected in KNOWN_IDS.items():
        assert operation_id("get", path) == expected
    assert operation_id("get", "/online/occupations/") == operation_id("get", "/online/occupations")
    assert operation_id("head", "/about/") == "head_about"
