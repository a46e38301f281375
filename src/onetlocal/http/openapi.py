"""The OpenAPI 3.1 document, generated from the route table so it cannot drift from what is served,
and a self-contained /docs page (no CDN: the server works offline)."""

from __future__ import annotations

import html

from onetlocal import API_VERSION, __version__
from onetlocal.http.routing import Endpoint, Param

_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
_ERRORS = {
    "401": "Missing or invalid API key",
    "404": "No such resource",
    "422": "Invalid parameter, unknown code, or no data for this section",
    "429": "Rate limit exceeded (see Retry-After)",
}
PAGE_PARAMS = (
    Param("start", "Index of first returned result (1-based)", "integer", default=1),
    Param("end", "Index of last returned result (default start + page size - 1; at most 2000 rows)", "integer"),
)


def _schema(param: Param) -> dict:
    schema: dict = {"type": param.type}
    if param.enum:
        schema["enum"] = list(param.enum)
    if param.default is not None:
        schema["default"] = param.default
    if param.repeat:
        schema = {"type": "array", "items": schema}
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
    if endpoint.list_key:
        query += list(PAGE_PARAMS)
    for p in query:
        entry = {"name": p.name, "in": "query", "required": p.required, "description": p.description,
                 "schema": _schema(p)}
        if p.repeat:
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


def openapi_document(endpoints: list[Endpoint]) -> dict:
    paths: dict = {}
    for endpoint in endpoints:
        responses = {"200": {"description": "OK", "content": {"application/json": {"schema": _response_schema(endpoint)}}}}
        for status, text in _ERRORS.items():
            responses[status] = {"description": text, "content": {"application/json": {"schema": _ERROR}}}
        paths[endpoint.path] = {
            "get": {
                "summary": endpoint.summary,
                "tags": [endpoint.tag],
                "operationId": f"{endpoint.tag}_{endpoint.service.__name__}_{len(paths)}",
                "parameters": _parameters(endpoint),
                "responses": responses,
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "onetlocal — O*NET Web Services v2 compatible API",
            "version": API_VERSION,
            "description": f"Served by onetlocal {__version__} from the public O*NET database.",
        },
        "components": {"securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}},
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
