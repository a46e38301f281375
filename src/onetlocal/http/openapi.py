"""The OpenAPI 3.1 document, generated from the route table so it cannot drift from what is served,
and a self-contained /docs page (no CDN: the server works offline)."""

from __future__ import annotations

import html

from onetlocal import API_VERSION, __version__
from onetlocal.http.api import Api
from onetlocal.http.params import PAGE_PARAMS, Param
from onetlocal.http.routing import Endpoint

_ERRORS = {
    "401": "Missing or invalid API key",
    "404": "No such resource",
    "422": "Invalid parameter, unknown code, or no data for this section",
    "429": "Rate limit exceeded (see Retry-After)",
}


def _schema(param: Param) -> dict:
    schema: dict = {"type": param.type}
    if param.enum:
        schema["enum"] = list(param.enum)
    if param.pattern:
        schema["pattern"] = f"^(?:{param.pattern})$"
    if param.minimum is not None:
        schema["minimum"] = param.minimum
    if param.maximum is not None:
        schema["maximum"] = param.maximum
    if param.default is not None and not param.many:
        schema["default"] = param.default
    if param.many:
        schema = {"type": "array", "items": schema}
        if param.max_items is not None:
            schema["maxItems"] = param.max_items
    return schema


def _parameters(endpoint: Endpoint) -> list[dict]:
    declared = {p.name: p for p in endpoint.params}
    params = [
        {"name": name, "in": "path", "required": True,
         "description": declared.get(name, Param(name)).description,
         "schema": _schema(declared.get(name, Param(name)))}
        for name in endpoint.path_names
    ]
    query = [p for p in endpoint.params if p.location == "query"]
    if endpoint.is_paged:
        query += list(PAGE_PARAMS)
    for p in query:
        entry = {"name": p.name, "in": "query", "required": p.required, "description": p.description,
                 "schema": _schema(p)}
        if p.many:  # repeated (explode); a list parameter also takes one comma-separated value
            entry["explode"] = True
        params.append(entry)
    return params


def _response_schema(endpoint: Endpoint) -> dict:
    if not endpoint.list_key:
        return {"type": ["object", "array"]}
    return {
        "type": "object",
        "properties": {
            "start": {"type": "integer"}, "end": {"type": "integer"}, "total": {"type": "integer"},
            "prev": {"type": "string", "format": "uri"}, "next": {"type": "string", "format": "uri"},
            endpoint.list_key: {"type": "array", "items": {"type": "object"}},
        },
        "required": ["start", "end", "total", endpoint.list_key],
    }


def _error_schema(api: Api) -> dict:
    """The API's own error body (`{"error"}` for O*NET, `{"Message"}` for CareerOneStop), read off its renderer."""
    keys = list(api.error_body(400, ""))
    return {"type": "object", "properties": {k: {"type": "string"} for k in keys}, "required": keys}


def _scheme_name(api: Api) -> str:
    """The API that owns the root keeps the name `apiKey`; the others are named after themselves."""
    return "apiKey" if api.prefix == "" else api.name


def openapi_document(apis: list[Api]) -> dict:
    """One document for every API served; each operation is secured by its own API's scheme."""
    paths: dict = {}
    for api, endpoint in ((api, e) for api in apis for e in api.endpoints):
        responses = {"200": {"description": "OK", "content": {"application/json": {"schema": _response_schema(endpoint)}}}}
        for status, text in _ERRORS.items():
            status = str(api.statuses.get(int(status), status))
            responses[status] = {"description": text, "content": {"application/json": {"schema": _error_schema(api)}}}
        paths[endpoint.path] = {
            "get": {
                "summary": endpoint.summary,
                "tags": [endpoint.tag],
                "operationId": f"{endpoint.tag}_{endpoint.service.__name__}_{len(paths)}",
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
        "components": {"securitySchemes": {_scheme_name(api): api.scheme.openapi() for api in apis}},
        "security": [{"apiKey": []}],
        "paths": paths,
    }


def docs_html(document: dict) -> str:
    rows = []
    for path, item in document["paths"].items():
        op = item["get"]
        params = ", ".join(
            f"<code>{html.escape(p['name'])}</code>{'*' if p.get('required') else ''}" for p in op["parameters"]
        )
        rows.append(
            f"<tr><td>{html.escape(op['tags'][0])}</td><td><code>GET {html.escape(path)}</code></td>"
            f"<td>{html.escape(op['summary'])}</td><td>{params}</td></tr>"
        )
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(document['info']['title'])}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}}code{{font-size:.9em}}</style>
</head><body><h1>{html.escape(document['info']['title'])}</h1>
<p>Send your key in the <code>X-API-Key</code> header. Machine-readable: <a href="openapi.json">openapi.json</a>.
* = required.</p>
<table><tr><th>family</th><th>route</th><th>what</th><th>parameters</th></tr>{''.join(rows)}</table></body></html>"""
