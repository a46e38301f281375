"""Endpoints as data: each row of the route table names a path, the service behind it and its documentation.

From that one table come the Starlette routes (with and without trailing slash) and the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.concurrency import iterate_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from onetlocal.context import Ctx
from onetlocal.export import Stream


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


@dataclass(frozen=True)
class Param:
    name: str
    description: str = ""
    type: str = "string"  # OpenAPI type: string, integer, boolean
    required: bool = False
    enum: tuple | None = None
    default: Any = None
    repeat: bool = False
    location: str = "query"  # or "path" to document a path parameter's type


@dataclass(frozen=True)
class Endpoint:
    path: str  # canonical path as the real API writes it, e.g. "/database/rows/{table_id}"
    service: Callable[..., Any]
    summary: str
    tag: str
    params: tuple[Param, ...] = ()
    list_key: str | None = None  # paged endpoints: the key of the list in the envelope
    page_size: int = 20

    @property
    def path_names(self) -> list[str]:
        return re.findall(r"{(\w+)", self.path)


def base_url(request: Request) -> str:
    configured = request.app.state.settings.base_url
    return configured.rstrip("/") if configured else str(request.base_url).rstrip("/")


def ctx_for(request: Request) -> Ctx:
    return Ctx(
        db=request.app.state.db,
        base_url=base_url(request),
        path=request.url.path,
        params=request.query_params.multi_items(),
    )


def _handler(endpoint: Endpoint) -> Callable:
    service = endpoint.service

    async def handle(request: Request) -> Response:
        result = service(ctx_for(request), **request.path_params)
        if isinstance(result, Stream):
            headers = {"Content-Disposition": f'attachment; filename="{result.filename}"'} if result.filename else {}
            return StreamingResponse(iterate_in_threadpool(result.chunks), media_type=result.media_type, headers=headers)
        return JSONResponse(result)

    handle.__name__ = service.__name__
    return handle


def to_routes(endpoints: list[Endpoint]) -> list[Route]:
    """Each endpoint answers with and without the trailing slash (no redirects)."""
    routes = []
    for endpoint in endpoints:
        handler = _handler(endpoint)
        bare = endpoint.path.rstrip("/") or "/"
        for path in dict.fromkeys([bare, bare + "/" if bare != "/" else bare]):
            routes.append(Route(path, handler, methods=["GET", "HEAD"]))
    return routes
