"""The ASGI application: route table + public pages, CORS, authentication, one error mapping."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route

from onetlocal.config import Settings
from onetlocal.db import Database
from onetlocal.http.api import Api, ApiApp, Dispatcher
from onetlocal.http.auth import Guard, KeyLookup, Limiter, TokenBucket
from onetlocal.http.errors import HANDLERS
from onetlocal.http.openapi import docs_html, openapi_document
from onetlocal.http.routes import APIS
from onetlocal.http.routing import JSONResponse, base_url
from onetlocal.keys import KeyVerifier
from onetlocal import ui

log = logging.getLogger("onetlocal")


async def index(request: Request) -> Response:
    root = base_url(request)
    return JSONResponse({
        "name": "onetlocal",
        "about": f"{root}/about/",
        "openapi": f"{root}/openapi.json",
        "docs": f"{root}/docs",
        "auth": "send your API key in the X-API-Key header",
    })


async def healthz(request: Request) -> Response:
    db: Database = request.app.state.db
    ok = db.healthy()
    return JSONResponse({"status": "ok" if ok else "no usable database"}, status_code=200 if ok else 503)


async def openapi_json(request: Request) -> Response:
    return JSONResponse(request.app.state.openapi)


async def docs(request: Request) -> Response:
    return HTMLResponse(docs_html(request.app.state.openapi))


#: Pages anyone may read without a key.
PUBLIC = [Route("/", index), Route("/healthz", healthz), Route("/openapi.json", openapi_json),
          Route("/docs", docs), Route("/docs/", docs)]


def create_app(settings: Settings, keys: KeyLookup | None = None, limiter: Limiter | None = None,
               apis: Sequence[Api] = APIS) -> Starlette:
    """The server: every API of `apis` mounted with its own key scheme. `keys` and `limiter` default to the
    keys file and a per-process token bucket; pass shared ones (e.g. Redis-backed) to share across nodes."""
    middleware = [
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "OPTIONS"],
                   allow_headers=["X-API-Key", "Authorization", "Accept", "Content-Type"], max_age=86400),
    ]
    if settings.auth:
        keys = keys or KeyVerifier(settings.keys_db_path)
        limiter = limiter or (TokenBucket(settings.rate_limit) if settings.rate_limit else None)
    apps = [ApiApp(api, Guard(api.scheme, keys, limiter) if settings.auth else None) for api in apis]
    ui_key = ui.NamedKey(settings.keys_db_path, settings.ui_key) if settings.ui_key else None
    apps.append(ui.UiApp(list(apis), settings.auth, ui_key, limiter, settings.base_url))  # web UI at /ui/
    app = Starlette(routes=[Mount("", app=Dispatcher(PUBLIC, apps))], middleware=middleware,
                    exception_handlers=HANDLERS)
    app.router.redirect_slashes = False  # every route answers with and without '/'; nothing to redirect
    app.state.settings = settings
    app.state.db = Database(settings.db_path)
    app.state.openapi = openapi_document(list(apis))
    return app


def app_from_env() -> Starlette:
    """uvicorn factory (`--factory onetlocal.http.app:app_from_env`) for multi-worker serving."""
    return create_app(Settings.from_env())
