"""The OpenAPI 3.1 document, generated from the route table so it cannot drift from what is served,
and the /docs page: Swagger UI from the `swagger-ui-bundle` package's files, served by us (no CDN: the server
works offline), with the route table inside <noscript> for browsers without JavaScript."""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path

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
        {"name": name, "in": "path", "required": True,
         "description": (path_param(endpoint.params, name) or Param(name)).description,
         "schema": _schema(path_param(endpoint.params, name) or Param(name))}
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
            "start": {"type": "integer"}, "end": {"type": "integer"}, "total": {"type": "integer"},
            "prev": {"type": "string", "format": "uri"}, "next": {"type": "string", "format": "uri"},
            endpoint.list_key: {"type": "array", "items": {"type": "object"}},
        },
        "required": ["start", "end", "total", endpoint.list_key],
    }


def _export_content(endpoint: Endpoint) -> dict:
    """The download media types of a route whose `format` parameter names export formats (export.FORMATS)."""
    fmt = next((p for p in endpoint.params if p.name == "format" and p.enum), None)
    names = [name for name in (fmt.enum if fmt else ()) if name in FORMATS]
    return {FORMATS[name][0].split(";")[0]: {"schema": {"type": "string", "description": f"format={name}"}}
            for name in names}


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
        "operationId": "service_healthz",
        "parameters": [],
        "security": [],
        "responses": {
            "200": {"description": "Serving", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}},
                "example": {"status": "ok"}}}},
            "503": {"description": "No usable database (none built yet, or unreadable)", "content": {"application/json": {
                "schema": {"type": "object", "properties": {"status": {"type": "string"}}},
                "example": {"status": "no usable database"}}}},
        },
    }
}


def openapi_document(apis: list[Api]) -> dict:
    """One document for every API served; each operation is secured by its own API's scheme."""
    paths: dict = {}
    for api, endpoint in ((api, e) for api in apis for e in api.endpoints):
        responses = {"200": {"description": "OK", "content": {"application/json": {"schema": _response_schema(endpoint)},
                                                              **_export_content(endpoint)}}}
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
        "paths": {"/healthz": _HEALTHZ, **paths},
    }


#: Files of the Swagger UI bundle served under /docs/ (exact paths, public).
DOCS_ASSETS = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript",
               "swagger-ui-standalone-preset.js": "text/javascript", "favicon-32x32.png": "image/png"}


@functools.cache
def _asset_bytes(name: str) -> bytes:
    import swagger_ui_bundle

    return (Path(swagger_ui_bundle.swagger_ui_path) / name).read_bytes()


def docs_asset(name: str) -> tuple[bytes, str]:
    """One Swagger UI file and its media type (read once per process)."""
    return _asset_bytes(name), DOCS_ASSETS[name]


def _route_table(document: dict) -> str:
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
    return f"<table><tr><th>family</th><th>route</th><th>what</th><th>parameters</th></tr>{''.join(rows)}</table>"


def docs_html(document: dict, root: str = "") -> str:
    """Swagger UI on this server's /openapi.json; `root` is the absolute base of this server."""
    title = html.escape(document["info"]["title"])
    spec_url = json.dumps(f"{root}/openapi.json").replace("</", "<\\/")
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{root}/docs/swagger-ui.css"><link rel="icon" href="{root}/docs/favicon-32x32.png">
<style>body{{margin:0;font-family:system-ui,sans-serif}}.intro{{padding:1rem 2rem 0}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}}</style>
</head><body><div class="intro"><h1>{title}</h1>
<p>Send your key in the <code>X-API-Key</code> header: press <b>Authorize</b>, paste the key, then <b>Try it out</b> on
any route. Machine-readable: <a href="{root}/openapi.json">openapi.json</a>. Create a key with
<code>onetlocal keys create --name NAME</code>.</p></div>
<div id="swagger-ui"></div>
<noscript><div class="intro"><p>* = required.</p>{_route_table(document)}</div></noscript>
<script src="{root}/docs/swagger-ui-bundle.js"></script>
<script src="{root}/docs/swagger-ui-standalone-preset.js"></script>
<script>window.ui = SwaggerUIBundle({{url: {spec_url}, dom_id: "#swagger-ui", deepLinking: true,
  persistAuthorization: true, tryItOutEnabled: false, displayRequestDuration: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "BaseLayout"}});</script>
</body></html>"""
