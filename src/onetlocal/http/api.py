"""One API served by this process, as one object: the paths it owns, its route rows, how its callers present a
key, and how its errors look. O*NET Web Services is the first; CareerOneStop (bearer tokens, its own error body)
and the web UI are mounted the same way, so a new API is a new `Api`, not a second router.

`Dispatcher` picks the API by path prefix (the public pages first), so the APIs never see each other's paths, and
each answers its own 401/404/405/422 in its own shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from onetlocal.context import Envelope, paging_envelope
from onetlocal.http.auth import BearerToken, Guard, HeaderKey
from onetlocal.http.errors import describe
from onetlocal.http.routing import STREAMING, Endpoint, JSONResponse, RouteTable


def error_body(status: int, message: str) -> Any:
    """O*NET Web Services' error body (spec §1): `{"error": "<human message>"}`."""
    return {"error": message}


@dataclass(frozen=True)
class Api:
    name: str
    title: str
    prefix: str  # the paths this API owns ("" = every path no other API owns)
    endpoints: Sequence[Endpoint]
    scheme: HeaderKey | BearerToken = field(default_factory=HeaderKey)
    error_body: Callable[[int, str], Any] = error_body
    envelope: Envelope = paging_envelope  # how its paged answers look (`Ctx.paged`)
    #: Status this API answers instead of the shared one (CareerOneStop: 400 where O*NET answers 422).
    statuses: Mapping[int, int] = field(default_factory=dict)

    def error(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
        status = self.statuses.get(status, status)
        return JSONResponse(self.error_body(status, message), status_code=status, headers=headers)


#: Control characters in a path: 404 from the API owning the path, in its own error shape.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


_READ = frozenset({"GET", "HEAD"})


class ApiApp:
    """ASGI app of one API: key check, then its routes; every error rendered in the API's own shape."""

    def __init__(self, api: Api, guard: Guard | None):
        self.api = api
        self.guard = guard
        self.table = RouteTable(api.endpoints, api.envelope)
        self.routes = self.table.routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if _CONTROL.search(scope["path"]):  # '/about/%0A' would otherwise match '/about/' (regex '$')
                raise HTTPException(404)
            method = scope["method"]
            if self.guard is not None and method != "OPTIONS":
                await self.guard.check(scope)
            found = self.table.match(scope["path"]) if method in _READ else None
            if found is None:  # Starlette's own 404 / 405 (with Allow)
                await self.table.router(scope, receive, send)
                return
            answer, path_params = found
            response = await answer(scope, path_params)
            await response(scope, receive, send)
        except Exception as exc:
            if scope.get(STREAMING):  # the answer had begun (an export): nothing else can be sent
                raise
            await self.api.error(*describe(exc, scope["path"]))(scope, receive, send)


class Mounted(Protocol):
    """What the Dispatcher mounts: an ASGI app owning the paths under `api.prefix` (an `ApiApp`; the web UI)."""

    @property
    def api(self) -> Api: ...

    @property
    def routes(self) -> Sequence[BaseRoute]: ...  # its Starlette routes, for /openapi.json and 404-vs-401

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...


class Dispatcher:
    """Exact public paths first, then the API whose prefix the path starts with (longest prefix first)."""

    def __init__(self, public: Sequence[Route], apps: Sequence[Mounted]):
        self.public = {route.path: route for route in public}
        self.apps = sorted(apps, key=lambda a: len(a.api.prefix), reverse=True)
        self.routes = [*public, *(r for app in self.apps for r in app.routes)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.public.get(scope["path"])  # exact match: a control character never matches a public page
        if route is not None:
            await route.handle(scope, receive, send)
            return
        for app in self.apps:
            if scope["path"].startswith(app.api.prefix):
                await app(scope, receive, send)
                return
        raise HTTPException(404)
