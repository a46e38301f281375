"""The /docs page: Swagger UI on this server's /openapi.json, offline.

- Swagger UI 5 (it reads OpenAPI 3.1; the 4.x of the `swagger-ui-bundle` package could not), vendored unchanged from
  the npm package `swagger-ui-dist` in `docs_files/swagger-ui/` with its licence (README.md there says which files and
  how to upgrade). No CDN: every file the page loads is served below.
- Nothing from the request is written into the page: every URL in it is relative to the page (`/docs` and `/docs/`
  differ only by that prefix), so the Host header, the base URL and the root path cannot inject markup, and the page
  works under whatever name the browser reached it by. What the page does write (titles, the route table inside
  <noscript> for browsers without JavaScript) comes from the OpenAPI document and is HTML-escaped.
- The page has the web UI's Content-Security-Policy (scripts and styles from this origin only, no inline script or
  style, `connect-src 'self'`): Swagger UI's start-up is `docs_files/docs.js`, which reads the document's URL from the
  page's `data-spec` attribute.
- Assets are named with `?v=` and a hash of their content, so a browser that cached them a day refetches them when an
  upgrade changes them.
"""

from __future__ import annotations

import functools
import hashlib
import html
from collections.abc import Awaitable, Callable
from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

SWAGGER_UI_VERSION = "5.36.0"

#: URL name under /docs/ -> (file under docs_files/, media type): the only files served (exact paths, public).
ASSETS = {
    "swagger-ui-bundle.js": ("swagger-ui/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "swagger-ui.css": ("swagger-ui/swagger-ui.css", "text/css; charset=utf-8"),
    "favicon-32x32.png": ("swagger-ui/favicon-32x32.png", "image/png"),
    "swagger-ui-LICENSE.txt": ("swagger-ui/LICENSE", "text/plain; charset=utf-8"),
    "swagger-ui-NOTICE.txt": ("swagger-ui/NOTICE", "text/plain; charset=utf-8"),
    "swagger-ui-bundle.js.LICENSE.txt": ("swagger-ui/swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=utf-8"),
    "docs.js": ("docs.js", "text/javascript; charset=utf-8"),
    "docs.css": ("docs.css", "text/css; charset=utf-8"),
}

#: The Content-Security-Policy of the pages this server sends (/docs, and the web UI's, `onetlocal.ui`): scripts and
#: styles from this origin only, no inline script or style.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)

PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}


@functools.cache
def asset(name: str) -> tuple[bytes, str, str]:
    """One served file: its bytes, media type and version (a hash of its content), read once per process."""
    file, media_type = ASSETS[name]
    body = resources.files(__package__).joinpath("docs_files", *file.split("/")).read_bytes()
    return body, media_type, hashlib.sha256(body).hexdigest()[:12]


def _route_table(document: dict) -> str:
    rows = []
    for path, item in document["paths"].items():
        for method, op in item.items():  # GET, and POST for /onetlocal/code
            params = ", ".join(
                f"<code>{html.escape(p['name'])}</code>{'*' if p.get('required') else ''}" for p in op["parameters"]
            )
            rows.append(
                f"<tr><td>{html.escape(op['tags'][0])}</td><td><code>{method.upper()} {html.escape(path)}</code></td>"
                f"<td>{html.escape(op['summary'])}</td><td>{params}</td></tr>"
            )
    return f"<table><tr><th>family</th><th>route</th><th>what</th><th>parameters</th></tr>{''.join(rows)}</table>"


def docs_html(document: dict, here: str = "docs/") -> str:
    """The page. `here` is the way from the page to /docs/: "docs/" for the page at /docs, "" for /docs/."""
    if here not in ("docs/", ""):
        raise ValueError(f"here: 'docs/' or '', not {here!r}")
    up = "" if here else "../"  # from the page to the server's root
    title = html.escape(document["info"]["title"])

    def url(name: str) -> str:
        return f"{here}{name}?v={asset(name)[2]}"

    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<link rel="stylesheet" href="{url("swagger-ui.css")}"><link rel="stylesheet" href="{url("docs.css")}">
<link rel="icon" href="{url("favicon-32x32.png")}">
</head><body><header class="intro"><p>Send your key in the <code>X-API-Key</code> header: press <b>Authorize</b>, paste
the key under <b>apiKey</b>, then
<b>Try it out</b> on any route (CareerOneStop routes, under <code>/v1/</code>, take the key as a Bearer token:
<b>careeronestop</b>). Machine-readable: <a href="{up}openapi.json">openapi.json</a>. Create a key with
<code>onetlocal keys create --name NAME</code>.</p></header>
<main id="swagger-ui" data-spec="{up}openapi.json"></main>
<noscript><div class="intro"><h1>{title}</h1><p>* = required.</p>{_route_table(document)}</div></noscript>
<script src="{url("swagger-ui-bundle.js")}"></script>
<script src="{url("docs.js")}"></script>
<footer class="intro"><p>Swagger UI {SWAGGER_UI_VERSION} (Apache License 2.0:
<a href="{here}swagger-ui-LICENSE.txt">licence</a>, <a href="{here}swagger-ui-NOTICE.txt">notice</a>).</p></footer>
</body></html>"""


async def docs_page(request: Request) -> Response:
    here = "" if request.url.path.endswith("/") else "docs/"
    return HTMLResponse(docs_html(request.app.state.openapi, here), headers=PAGE_HEADERS)


def _serve(name: str) -> Callable[[Request], Awaitable[Response]]:
    async def serve_asset(request: Request) -> Response:
        body, media_type, _ = asset(name)
        return Response(
            body,
            media_type=media_type,
            headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
        )

    return serve_asset


#: The page, with and without '/', and its files: public routes (no key).
ROUTES = [
    Route("/docs", docs_page),
    Route("/docs/", docs_page),
    *(Route(f"/docs/{name}", _serve(name)) for name in ASSETS),
]
