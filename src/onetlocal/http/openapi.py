"""The OpenAPI 3.1 document, generated from the route table so it cannot drift from what is served (the /docs page
that renders it: http/docs.py)."""

from __future__ import annotations

import re

from onetlocal import API_VERSION, __version__
from onetlocal.export import FORMATS
from onetlocal.http.api import Api
from onetlocal.http.params import PAGE_PARAMS, Param, path_param
from onetlocal.http.routing import Endpoint

_ERRORS = {
    "401": "Missing or invalid API key",
    "404": "No such resource",
    "422": "Invalid parameter, unknown code, or no data for this section",
    "429": "Rate limit exceeded (see Retry-After)",
}


#: The largest integer a parameter takes (params._integer: at most 18 digits).
INTEGER_LIMIT = 10**18 - 1


def _schema(param: Param) -> dict:
    schema: dict = {"type": param.type}
    if param.enum:
        schema["enum"] = list(param.enum)
    if param.pattern:
        schema["pattern"] = f"^(?:{param.pattern})$"
    if param.type == "integer":  # more than 18 digits is out of range (SQLite integers are 64-bit)
        schema["minimum"] = param.minimum if param.minimum is not None else -INTEGER_LIMIT
        schema["maximum"] = param.maximum if param.maximum is not None else INTEGER_LIMIT
    else:
        if param.minimum is not None:
            schema["minimum"] = param.minimum
        if param.maximum is not None:
            schema["maximum"] = param.maximum
    if param.default is not None and not param.many:
        schema["default"] = param.default
    if param.required and param.type == "string" and not param.pattern and not param.enum:
        # a blank value counts as not sent: a required one needs a non-blank character (after the comma split)
        schema["pattern"] = r"[^\s,]" if param.split else r"\S"
    if param.many:
        schema = {"type": "array", "items": schema}
        if param.required:
            schema["minItems"] = 1
        if param.max_items is not None:
            schema["maxItems"] = param.max_items
    return schema


def _parameters(endpoint: Endpoint) -> list[dict]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": (path_param(endpoint.params, name) or Param(name)).description,
            "schema": _schema(path_param(endpoint.params, name) or Param(name)),
        }
        for name in endpoint.path_names
    ]
    query = [p for p in endpoint.params if p.location == "query"]
    if endpoint.is_paged:
        query += list(PAGE_PARAMS)
    for p in query:
        entry = {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": p.description,
            "schema": _schema(p),
        }
        if p.many:  # repeated (explode); a list parameter also takes one comma-separated value
            entry["explode"] = True
        if not p.required and (p.split or not p.many):  # `end=` is the default, as if not sent (params.py)
            entry["allowEmptyValue"] = True
        params.append(entry)
    return params


def _response_schema(endpoint: Endpoint) -> dict:
    if not endpoint.list_key:
        return {"type": ["object", "array"]}
    return {
        "type": "object",
        "properties": {
            "start": {"type": "integer"},
            "end": {"type": "integer"},
            "total": {"type": "integer"},
            "prev": {"type": "string", "format": "uri"},
            "next": {"type": "string", "format": "uri"},
            endpoint.list_key: {"type": "array", "items": {"type": "object"}},
        },
        "required": ["start", "end", "total", endpoint.list_key],
    }


def _export_content(endpoint: Endpoint) -> dict:
    """The download media types of a route whose `format` parameter names export formats (export.FORMATS)."""
    fmt = next((p for p in endpoint.params if p.name == "format" and p.enum), None)
    names = [name for name in (fmt.enum or () if fmt else ()) if name in FORMATS]
    return {
        FORMATS[name][0].split(";")[0]: {"schema": {"type": "string", "description": f"format={name}"}}
        for name in names
    }


def _error_schema(api: Api) -> dict:
    """The API's own error body (`{"error"}` for O*NET, `{"Message"}` for CareerOneStop), read off its renderer."""
    keys = list(api.error_body(400, ""))
    return {"type": "object", "properties": {k: {"type": "string"} for k in keys}, "required": keys}


def _scheme_name(api: Api) -> str:
    """The API that owns the root keeps the name `apiKey`; the others are named after themselves."""
    return "apiKey" if api.prefix == "" else api.name


#: The public pages documented beside the API routes (no key, no rate limit).
_HEALTHZ = {
    "get": {
        "summary": "Health check: 200 when the database is in place (for load balancers and container health checks)",
        "tags": ["service"],
        "operationId": "get_healthz",  # operation_id("get", "/healthz")
        "parameters": [],
        "security": [],
        "responses": {
            "200": {
                "description": "Serving",
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}},
                        "example": {"status": "ok"},
                    }
                },
            },
            "503": {
                "description": "No usable database (none built yet, or unreadable)",
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"status": {"type": "string"}}},
                        "example": {"status": "no usable database"},
                    }
                },
            },
        },
    }
}


def operation_id(method: str, path: str) -> str:
    """The operation's id, a pure function of its method and path, so no route renames another's method in a
    generated client: 'get' + the path's segments, a parameter as `by_<name>` ("/online/occupations/{code}/summary/
    {section}" -> "get_online_occupations_by_code_summary_by_section"). Published: never change the rule."""
    words = [re.sub(r"^{(\w+)}$", r"by_\1", segment) for segment in path.strip("/").split("/") if segment]
    return "_".join([method.lower(), *(re.sub(r"[^A-Za-z0-9_]+", "_", w) for w in words)])


def openapi_document(apis: list[Api]) -> dict:
    """One document for every API served; each operation is secured by its own API's scheme."""
    paths: dict = {}
    for api, endpoint in ((a, e) for a in apis for e in a.endpoints):
        responses = {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": _response_schema(endpoint)}, **_export_content(endpoint)},
            }
        }
        for status, text in _ERRORS.items():
            status = str(api.statuses.get(int(status), status))
            responses[status] = {"description": text, "content": {"application/json": {"schema": _error_schema(api)}}}
        paths[endpoint.path] = {
            "get": {
                "summary": endpoint.summary,
                "tags": [endpoint.tag],
                "operationId": operation_id("get", endpoint.path),
                "parameters": _parameters(endpoint),
                "responses": responses,
                **({"security": [{_scheme_name(api): []}]} if api.prefix else {}),
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "onetlocal — O*NET Web Services v2 compatible API",
            "version": API_VERSION,
            "description": f"Served by onetlocal {__version__} from the public O*NET database.",
        },
        # the root API's key first: Swagger UI's Authorize lists the schemes in this order (issue 18 item 2)
        "components": {
            "securitySchemes": {
                _scheme_name(api): api.scheme.openapi() for api in sorted(apis, key=lambda api: api.prefix != "")
            }
        },
        "security": [{"apiKey": []}],
        "paths": {"/healthz": _HEALTHZ, **paths},
    }
