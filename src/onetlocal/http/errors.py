"""The one place where exceptions become errors: (status, message, headers), never a traceback.

Each API renders them in its own body shape (`Api.error`); the app-level handlers below cover the public pages
and use O*NET's `{"error": ...}`.

A 503 about the database (`DatabaseMissing`, `SchemaMismatch`) names no file: its message, written for the
operator, holds the database's absolute path, which callers (with or without a key) have no business knowing.
The body keeps the message without the path; the server log keeps it whole, once per distinct message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.responses import Response

from onetlocal.errors import ApiError, DatabaseMissing
from onetlocal.http.routing import JSONResponse

log = logging.getLogger("onetlocal")

_HTTP_MESSAGES = {405: "method not allowed: this API answers GET only"}

#: Where db.py and SchemaMismatch name the file: "the database at PATH is/was ...", "no database at PATH: run",
#: and the rebuild command's "--db PATH" (shell-quoted when it holds spaces).
_AT_PATH = re.compile(r" at (?:'[^']*'|.+?)(?=: | \(| is | was |$)")
_DB_OPTION = re.compile(r" --db (?:'[^']*'|\S+?)(?=`|\s|$)")
#: Anything else that looks like an absolute path (POSIX or Windows), as a last resort.
_ABSOLUTE = re.compile(r"(?<![\w.:/])(?:/|[A-Za-z]:\\)[^\s'\"`()]+")
_logged: set[str] = set()


def public_message(exc: ApiError) -> str:
    """What a client is told: the message, without the database file's path for a database 503."""
    if not isinstance(exc, DatabaseMissing):
        return exc.message
    if exc.message not in _logged and len(_logged) < 100:
        _logged.add(exc.message)
        log.warning("503: %s", exc.message)
    return _ABSOLUTE.sub("(path in the server log)", _AT_PATH.sub("", _DB_OPTION.sub("", exc.message)))


def describe(exc: Exception, path: str) -> tuple[int, str, Mapping[str, str] | None]:
    """What an exception means for the client: status, message and extra headers."""
    if isinstance(exc, ApiError):
        return exc.status, public_message(exc), exc.headers
    if isinstance(exc, HTTPException):
        if exc.status_code == 404:
            return 404, f"no such resource: {path}", exc.headers
        return exc.status_code, _HTTP_MESSAGES.get(exc.status_code) or exc.detail or "error", exc.headers
    log.error("unexpected error on %s", path, exc_info=exc)
    return 500, "internal error", None


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse({"error": message}, status_code=status, headers=headers)
