"""The HTTP application: every API mounted with its own key scheme, the public pages, request limits, CORS and one
error mapping. `onetlocal.app` composes it with the web UI into the server's application.

Public pages (no key): `/` (index), `/healthz` (200 when the database is there and of this version's schema, else
503; for load balancers and container health checks), `/openapi.json`, and `/docs` (http/docs.py): Swagger UI 5
served by this server (no CDN: the page works offline), with an Authorize button for the key and a try-it for
every route.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from onetlocal.config import Settings
from onetlocal.db import Database
from onetlocal.http import docs
from onetlocal.http.api import Api, ApiApp, Dispatcher, Mounted
from onetlocal.http.auth import BadKeyThrottle, Guard, HeaderKey, KeyLookup, Limiter, TokenBucket
from onetlocal.http.coding import CodingApp, add_to_openapi
from onetlocal.http.errors import describe, error_response
from onetlocal.http.front import Front
from onetlocal.http.limits import Preflight, Render
from onetlocal.http.openapi import openapi_document
from onetlocal.http.routes import APIS
from onetlocal.http.routing import JSONResponse, base_url
from onetlocal.keys import KeyVerifier


async def index(request: Request) -> Response:
    root = base_url(request)
    return JSONResponse(
        {
            "name": "onetlocal",
            "about": f"{root}/about/",
            "openapi": f"{root}/openapi.json",
            "docs": f"{root}/docs",
            "auth": "send your API key in the X-API-Key header",
        }
    )


async def healthz(request: Request) -> Response:
    db: Database = request.app.state.db
    ok = db.healthy()
    return JSONResponse({"status": "ok" if ok else "no usable database"}, status_code=200 if ok else 503)


async def openapi_json(request: Request) -> Response:
    return JSONResponse(request.app.state.openapi)


#: Pages anyone may read without a key.
PUBLIC = [Route("/", index), Route("/healthz", healthz), Route("/openapi.json", openapi_json), *docs.ROUTES]


class DispatchRouter(Router):
    """The application's router: lifespan as Starlette's, every HTTP request straight to the `Dispatcher` (no route
    scan, no child scope). Its one row, `Mount("", dispatcher)`, is what `app.routes` tools see. An HTTPException
    that reaches it (a path no API owns; a public page refusing) is rendered by `render` in the owning API's shape."""

    def __init__(self, dispatcher: Dispatcher, render: Render):
        super().__init__(routes=[Mount("", app=dispatcher)], redirect_slashes=False)
        self.dispatcher = dispatcher
        self.render = render

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(scope, receive, send)
            return
        try:
            await self.dispatcher(scope, receive, send)
        except HTTPException as exc:
            status, message, headers = describe(exc, scope["path"])
            response = self.render(scope["path"], status, message)
            response.headers.update(headers or {})
            await response(scope, receive, send)


class ServerApp(Starlette):
    """Starlette with `Front` (which also answers the 500s) in front of the router and nothing else: every API renders
    its own errors (`http.api.ApiApp`), so Starlette's ExceptionMiddleware and ServerErrorMiddleware (four more
    layers and two send wrappers per request) have nothing to do."""

    def build_middleware_stack(self) -> ASGIApp:
        app: ASGIApp = self.router
        for cls, args, kwargs in reversed(self.user_middleware):
            app = cls(app, *args, **kwargs)
        return app


def _matcher(routes: Sequence[BaseRoute]) -> Callable[[Scope], bool]:
    """Whether any of `routes` could answer the request's path (any method): for the Guard's 404-vs-401."""

    def known(scope: Scope) -> bool:
        probe = {**scope, "type": "http", "method": "GET"}
        return any(route.matches(probe)[0] != Match.NONE for route in routes)

    return known


def _renderer(apis: Sequence[Api]) -> Render:
    """An error for `path` in the shape of the API owning it (public pages: O*NET's `{"error"}`), for refusals
    made before routing (host, header size, CORS preflight)."""
    by_prefix = sorted((a for a in apis if a.prefix), key=lambda a: len(a.prefix), reverse=True)

    def render(path: str, status: int, message: str) -> Response:
        api = next((a for a in by_prefix if path.startswith(a.prefix)), None)
        return api.error(status, message) if api else error_response(status, message)

    return render


def key_stores(
    settings: Settings, keys: KeyLookup | None = None, limiter: Limiter | None = None
) -> tuple[KeyLookup | None, Limiter | None]:
    """The key lookup and the rate limiter the APIs check (when `settings.auth`): `keys` and `limiter` when given,
    else the keys file and a token bucket (per process, or shared by this machine's workers through
    `settings.rate_file`), or Redis-backed ones shared across nodes (`--redis-url`)."""
    if not settings.auth:
        return keys, limiter
    if settings.redis_url and (keys is None or (limiter is None and settings.rate_limit)):
        from onetlocal.http import redis_store

        client = redis_store.connect(settings.redis_url)
        keys = keys or redis_store.RedisKeys(client)
        if settings.rate_limit:
            limiter = limiter or redis_store.RedisLimiter(client, settings.rate_limit)
    keys = keys or KeyVerifier(settings.keys_db_path)
    if limiter is None and settings.rate_limit:
        limiter = _shared_bucket(settings.rate_file, settings.rate_limit) if settings.rate_file else None
        limiter = limiter or TokenBucket(settings.rate_limit)
    return keys, limiter


def _shared_bucket(path: Path, rate: float) -> Limiter | None:
    """The workers' shared table (`http.shared_bucket`); None, logged, when it cannot be opened (removed from
    /dev/shm while serving, say): this worker then counts on its own rather than not start."""
    from onetlocal.http.shared_bucket import SharedTokenBucket

    try:
        return SharedTokenBucket(path, rate)
    except (OSError, ValueError) as exc:
        logging.getLogger("onetlocal").warning("rate limit counted by this worker alone: %s", exc)
        return None


def http_app(
    settings: Settings,
    keys: KeyLookup | None,
    limiter: Limiter | None,
    apis: Sequence[Api] = APIS,
    mounts: Sequence[Mounted] = (),
) -> Starlette:
    """Every API of `apis` behind its key check (`keys`, `limiter`: see `key_stores`), and `mounts` (apps owning
    other prefixes, checking their own callers: the web UI), behind the public pages and the request limits."""
    render = _renderer(apis)
    preflight = Preflight(
        render,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["X-API-Key", "Authorization", "Accept", "Content-Type"],
        max_age=86400,
    )
    front = Middleware(Front, render, preflight, allowed_hosts=settings.allowed_hosts, fmt=settings.access_log)
    apps = [ApiApp(api, None) for api in apis]
    throttle = BadKeyThrottle()  # one per process, shared by every API
    if settings.auth:
        assert keys is not None, "key_stores() gives the key lookup when settings.auth"
        for api_app in apps:
            api_app.guard = Guard(api_app.api.scheme, keys, limiter, known=_matcher(api_app.routes), throttle=throttle)

    app = ServerApp(middleware=[front])
    # Bulk coding (/onetlocal/code): the same keys; its limiter charges one token per title (http/coding.py).
    guard = Guard(HeaderKey(), keys, None, throttle=throttle) if settings.auth and keys is not None else None
    coder = CodingApp(guard, limiter if settings.auth else None)
    app.router = DispatchRouter(Dispatcher(PUBLIC, [*apps, coder, *mounts]), render)
    app.state.settings = settings
    app.state.bad_keys = throttle
    app.state.db = Database(settings.db_path)
    app.state.openapi = openapi_document(list(apis))
    add_to_openapi(app.state.openapi)
    return app
