"""The one place where exceptions become errors: (status, message, headers), never a traceback.

Each API renders them in its own body shape (`Api.error`); the app-level handlers below cover the public pages
and use O*NET's `{"error": ...}`.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from onetlocal.errors import ApiError
from onetlocal.http.routing import JSONResponse

log = logging.getLogger("onetlocal")

_HTTP_MESSAGES = {405: "method not allowed: this API answers GET only"}


def describe(exc: Exception, path: str) -> tuple[int, str, dict[str, str] | None]:
    """What an exception means for the client: status, message and extra headers."""
    if isinstance(exc, ApiError):
        return exc.status, exc.message, exc.headers
    if isinstance(exc, HTTPException):
        if exc.status_code == 404:
            return 404, f"no such resource: {path}", exc.headers
        return exc.status_code, _HTTP_MESSAGES.get(exc.status_code) or exc.detail or "error", exc.headers
    log.error("unexpected error on %s", path, exc_info=exc)
    return 500, "internal error", None


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def _handle(request: Request, exc: Exception) -> Response:
    return error_response(*describe(exc, request.url.path))


#: App-level handlers, for the public pages and paths no API owns. ApiError is deliberately absent: Starlette
#: would apply an app-level handler inside every route, before the route's API could render its own body.
HANDLERS = {HTTPException: _handle, Exception: _handle}
