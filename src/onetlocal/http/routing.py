"""Endpoints as data: each row of the route table names a path, the service behind it and its documentation.

From that one table come the Starlette routes (with and without trailing slash) and the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.concurrency import iterate_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from onetlocal.context import Ctx, Envelope, paging_envelope
from onetlocal.export import Stream
from onetlocal.http.params import Param, page_of, parse
from onetlocal.memo import MISSING, LruBytes

#: Scope key set when a route answers with a stream (every other answer is complete before it is sent).
STREAMING = "onetlocal.streaming"


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


@dataclass(frozen=True)
class Endpoint:
    path: str  # canonical path as the real API writes it, e.g. "/database/rows/{table_id}"
    service: Callable[..., Any]
    summary: str
    tag: str
    params: tuple[Param, ...] = ()
    list_key: str | None = None  # paged endpoints: the key of the list in the envelope
    page_size: int = 20
    paged: bool | None = None  # takes start/end and gets `page`; default: when it has a list_key
    #: Its statements can scan (user-chosen filters and sorts): the service runs inline for at most a few ms, else
    #: on the database's scan threads, each statement stopped after `Database.scan_cpu` of CPU
    #: (`Database.inline_or_offload`): a slow one never holds the event loop.
    offload: bool = False

    @property
    def path_names(self) -> list[str]:
        return re.findall(r"{(\w+)", self.path)

    @property
    def is_paged(self) -> bool:
        return self.list_key is not None if self.paged is None else self.paged

    def arguments(self, query: list[tuple[str, str]], path_params: dict[str, str]) -> dict[str, Any]:
        """The service's keyword arguments: declared parameters converted and checked, and `page` when paged."""
        values = parse(self.params, query, path_params)
        if self.is_paged:
            values["page"] = page_of(query, self.page_size)
        return values


def base_url(request: Request) -> str:
    """The configured --base-url, else scheme://host of the request."""
    return scope_base_url(request.scope, request.app.state.settings.base_url)


def scope_base_url(scope: Scope, configured: str | None) -> str:
    """`base_url` from the ASGI scope alone (building Starlette URL objects cost more than the rest of a small
    request)."""
    if configured:
        return configured.rstrip("/")
    host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
    if host is None:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}".rstrip("/")


def bind(fn: Callable[..., Any], name: str, doc: str | None, /, *leading: Any, **fixed: Any) -> Callable[..., Any]:
    """`fn` with the arguments after `ctx` that a route row fixes (a browse family, a My Next Move site, a section
    name): the row's service, named `name` (in logs and tracebacks) and documented by `doc`."""

    def service(ctx: Ctx, **arguments: Any) -> Any:
        return fn(ctx, *leading, **fixed, **arguments)

    service.__name__ = name
    service.__doc__ = doc
    return service


#: What answers one route: `await answer(scope, path_params)` gives the response to send.
Answer = Callable[[Scope, dict[str, str]], Awaitable[Response]]


def query_items(scope: Scope) -> list[tuple[str, str]]:
    """The query string as (name, value) pairs, as Starlette's `QueryParams` reads it."""
    raw = scope["query_string"]
    return parse_qsl(raw.decode("latin-1"), keep_blank_values=True) if raw else []


#: Requests parsed (the query's pairs and the service's arguments) by (route, query string, path parameters): the
#: same request again (a client polling a report, a page of a walk) skips parsing its parameters. Bounded like
#: every memo; arguments holding a list (which a service could change) are not kept.
_PARSED = LruBytes(8 << 20)


def _parsed(endpoint: Endpoint, scope: Scope, path_params: dict[str, str]) -> tuple[tuple, dict[str, Any]]:
    raw = scope["query_string"]
    key = (id(endpoint), raw, *path_params.values())
    hit = _PARSED.get(key)
    if hit is not MISSING:
        return hit[0], dict(hit[1])
    query = tuple(query_items(scope))
    arguments = endpoint.arguments(list(query), path_params)
    if not any(isinstance(value, list) for value in arguments.values()):
        _PARSED.put(key, (query, dict(arguments)), 512 + 4 * len(raw))
    return query, arguments


def _answer(endpoint: Endpoint, envelope: Envelope) -> Answer:
    service = endpoint.service
    offload = endpoint.offload

    async def answer(scope: Scope, path_params: dict[str, str]) -> Response:
        query, arguments = _parsed(endpoint, scope, path_params)
        state = scope["app"].state
        ctx = Ctx(
            db=state.db,
            base_url=scope_base_url(scope, state.settings.base_url),
            path=scope["path"],
            params=query,
            envelope=envelope,
        )
        result = await ctx.db.inline_or_offload(service, ctx, **arguments) if offload else service(ctx, **arguments)
        if isinstance(result, Stream):
            scope[STREAMING] = True  # only a stream can fail after its answer began (http.api)
            headers = {"Content-Disposition": f'attachment; filename="{result.filename}"'} if result.filename else {}
            return StreamingResponse(
                iterate_in_threadpool(result.chunks), media_type=result.media_type, headers=headers
            )
        return JSONResponse(result)

    answer.__name__ = service.__name__
    return answer


def _handler(answer: Answer) -> Callable[[Request], Awaitable[Response]]:
    """The same answer as a Starlette request handler (the `Route` rows: documentation, UI, `app.routes` tools)."""

    async def handle(request: Request) -> Response:
        return await answer(request.scope, request.path_params)

    handle.__name__ = answer.__name__
    return handle


def _prefix(path: str) -> tuple[str, ...]:
    """Up to two leading literal segments: ('online', 'occupations'), ('taxonomy',), ('about',)."""
    literal = []
    for segment in path.strip("/").split("/")[:2]:
        if "{" in segment or not segment:
            break
        literal.append(segment)
    return tuple(literal)


class RouteTable:
    """Path -> (answer, path parameters) for one API's GET routes, without Starlette's per-route scan, `Request`
    objects and exception wrappers: literal paths by one dict lookup, templated ones by the regex of each route
    under the same two leading literal segments. `routes` are the same rows as Starlette routes (documentation,
    `app.routes` tools, and every request this table does not answer: other methods get Starlette's 405)."""

    def __init__(self, endpoints: Sequence[Endpoint], envelope: Envelope = paging_envelope):
        self.literal: dict[str, Answer] = {}
        self.templated: dict[tuple[str, ...], list[tuple[re.Pattern[str], Answer]]] = {}
        self.routes: list[Route] = []
        for endpoint in endpoints:
            answer = _answer(endpoint, envelope)
            handler = _handler(answer)
            bare = endpoint.path.rstrip("/") or "/"
            for path in dict.fromkeys([bare, bare + "/" if bare != "/" else bare]):
                route = Route(path, handler, methods=["GET", "HEAD"])
                self.routes.append(route)
                if route.param_convertors:
                    self.templated.setdefault(_prefix(path), []).append((route.path_regex, answer))
                else:
                    self.literal.setdefault(path, answer)
        self.router = PrefixRouter(self.routes)

    def match(self, path: str) -> tuple[Answer, dict[str, str]] | None:
        answer = self.literal.get(path)
        if answer is not None:
            return answer, {}
        segments = path.strip("/").split("/")[:2]
        for n in (2, 1, 0):
            for regex, answer in self.templated.get(tuple(segments[:n]), ()) if len(segments) >= n else ():
                found = regex.match(path)
                if found is not None:
                    return answer, found.groupdict()
        return None


class PrefixRouter:
    """Dispatch on the leading path segments to a Router holding only the routes under them.

    A single Router tries every route in turn (~0.5 µs each; ~100 routes); this keeps each scan short.
    Sub-routers see the unchanged scope, so paths, root_path and 404/405 handling stay Starlette's own.
    """

    def __init__(self, routes: list[Route]):
        from starlette.routing import Router

        self.routes = routes  # what Mount.routes (and so app.routes tools) see
        groups: dict[tuple[str, ...], list[Route]] = {}
        for route in routes:
            groups.setdefault(_prefix(route.path), []).append(route)
        self.routers = {prefix: Router(routes=group, redirect_slashes=False) for prefix, group in groups.items()}
        self.fallback = Router(routes=[], redirect_slashes=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        segments = scope["path"].strip("/").split("/")[:2] if scope["type"] == "http" else []
        for n in (2, 1, 0):
            router = self.routers.get(tuple(segments[:n]))
            if router is not None and len(segments) >= n:
                await router(scope, receive, send)
                return
        await self.fallback(scope, receive, send)
