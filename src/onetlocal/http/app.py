"""The ASGI application: route table + public pages, CORS, authentication, one error mapping.

Public pages (no key): `/` (index), `/healthz` (200 when the database is there and of this version's schema, else 503; for load balancers and
container health checks), `/openapi.json`, and `/docs` (http/docs.py): Swagger UI 5 served by this server (no CDN: the page
works offline), with an Authorize button for the key and a try-it for every route.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount, Route
from starlette.types import Scope

from onetlocal.config import Settings
from onetlocal.db import Database
from onetlocal.errors import DatabaseMissing
from onetlocal.http.access import AccessLog, configure_logging
from onetlocal.http.api import Api, ApiApp, Dispatcher
from onetlocal.http.auth import BadKeyThrottle, Guard, KeyLookup, Limiter, TokenBucket
from onetlocal.http.errors import HANDLERS, describe, error_response
from onetlocal.http.limits import JsonCORSMiddleware, RequestLimits
from onetlocal.http import docs
from onetlocal.http.openapi import openapi_document
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


#: Pages anyone may read without a key.
PUBLIC = [Route("/", index), Route("/healthz", healthz), Route("/openapi.json", openapi_json),
          *docs.ROUTES]


def _matcher(routes: Sequence[Route]):
    """Whether any of `routes` could answer the request's path (any method): for the Guard's 404-vs-401."""

    def known(scope: Scope) -> bool:
        probe = {**scope, "type": "http", "method": "GET"}
        return any(route.matches(probe)[0] != Match.NONE for route in routes)

    return known


def _renderer(apis: Sequence[Api]):
    """An error for `path` in the shape of the API owning it (public pages: O*NET's `{"error"}`), for refusals
    made before routing (host, header size, CORS preflight)."""
    by_prefix = sorted((a for a in apis if a.prefix), key=lambda a: len(a.prefix), reverse=True)

    def render(path: str, status: int, message: str) -> Response:
        api = next((a for a in by_prefix if path.startswith(a.prefix)), None)
        return api.error(status, message) if api else error_response(status, message)

    return render


def create_app(settings: Settings, keys: KeyLookup | None = None, limiter: Limiter | None = None,
               apis: Sequence[Api] = APIS) -> Starlette:
    """The server: every API of `apis` mounted with its own key scheme. `keys` and `limiter` default to the
    keys file and a per-process token bucket; pass shared ones (e.g. Redis-backed) to share across nodes."""
    render = _renderer(apis)
    middleware = [
        Middleware(AccessLog, fmt=settings.access_log),
        Middleware(RequestLimits, allowed_hosts=settings.allowed_hosts, render=render),
        Middleware(JsonCORSMiddleware, render=render, allow_origins=["*"], allow_methods=["GET", "HEAD", "OPTIONS"],
                   allow_headers=["X-API-Key", "Authorization", "Accept", "Content-Type"], max_age=86400),
    ]
    if settings.auth:
        if settings.redis_url and (keys is None or (limiter is None and settings.rate_limit)):
            from onetlocal.http import redis_store

            client = redis_store.connect(settings.redis_url)
            keys = keys or redis_store.RedisKeys(client)
            if settings.rate_limit:
                limiter = limiter or redis_store.RedisLimiter(client, settings.rate_limit)
        keys = keys or KeyVerifier(settings.keys_db_path)
        limiter = limiter or (TokenBucket(settings.rate_limit) if settings.rate_limit else None)
    apps = [ApiApp(api, None) for api in apis]
    throttle = BadKeyThrottle()  # one per process, shared by every API
    if settings.auth:
        for api_app in apps:
            api_app.guard = Guard(api_app.api.scheme, keys, limiter, known=_matcher(api_app.routes),
                                  throttle=throttle)
    apps.append(ui.UiApp(list(apis), settings.auth, ui.ui_key_check(settings), limiter, settings.base_url))
    async def not_routed(request: Request, exc: Exception) -> Response:
        # Mount("")'s pattern does not match a path holding a newline: its 404 comes from here, not from the API
        # owning the path, so render it in that API's shape (CareerOneStop `{"Message"}`).
        status, message, headers = describe(exc, request.url.path)
        response = render(request.scope["path"], status, message)
        response.headers.update(headers or {})
        return response

    app = Starlette(routes=[Mount("", app=Dispatcher(PUBLIC, apps))], middleware=middleware,
                    exception_handlers={**HANDLERS, HTTPException: not_routed})
    app.router.redirect_slashes = False  # every route answers with and without '/'; nothing to redirect
    app.state.settings = settings
    app.state.bad_keys = throttle
    app.state.db = Database(settings.db_path)
    app.state.openapi = openapi_document(list(apis))
    return app


def app_from_env() -> Starlette:
    """App factory for the server processes (`onetlocal serve` passes its settings through the environment)."""
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    app = create_app(settings)
    warm(app.state.db)
    return app


def warm(db: Database) -> None:
    """Load what the first requests would otherwise build (the search index takes seconds) before the worker
    accepts connections. Nothing to do without a usable database: the routes answer 503 until there is one."""
    from onetlocal.context import Ctx
    from onetlocal.services.search import search_codes

    if not db.healthy():
        return
    started = time.perf_counter()
    try:
        search_codes(Ctx(db=db), "registered nurse")
    except DatabaseMissing:  # replaced meanwhile (by a file of another schema, say): 503 until a good build
        return
    log.info("search index loaded in %.1f s", time.perf_counter() - started)
