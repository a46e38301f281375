"""The one place where exceptions become responses: JSON `{"error": ...}`, never a traceback."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from onetlocal.errors import ApiError
from onetlocal.http.routing import JSONResponse

log = logging.getLogger("onetlocal")

_HTTP_MESSAGES = {404: "no such resource", 405: "method not allowed: this API answers GET only"}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def api_error(request: Request, exc: ApiError) -> Response:
    return error_response(exc.status, exc.message, exc.headers)


async def http_error(request: Request, exc: HTTPException) -> Response:
    message = _HTTP_MESSAGES.get(exc.status_code) or exc.detail or "error"
    if exc.status_code == 404:
        message = f"no such resource: {request.url.path}"
    return error_response(exc.status_code, message, getattr(exc, "headers", None))


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path)
    return error_response(500, "internal error")


HANDLERS = {ApiError: api_error, HTTPException: http_error, Exception: unexpected_error}
