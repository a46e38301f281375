"""Every error the API can answer, as exceptions carrying their HTTP status.

Services raise these; `onetlocal.http.errors` turns them into JSON responses in one place.
"""

from __future__ import annotations

import shlex


class OnetLocalError(Exception):
    """Base class for all onetlocal errors."""


class ConfigError(OnetLocalError):
    """Bad configuration given on the command line or in the environment."""


class BuildError(OnetLocalError):
    """A build could not be completed; the previous database is left untouched."""


class ApiError(OnetLocalError):
    status = 500

    def __init__(self, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class InvalidParameter(ApiError):
    """A missing or invalid parameter, an unknown O*NET-SOC code, or a section without data (422)."""

    status = 422


class BadRequest(ApiError):
    """A request the API cannot read (CareerOneStop: a bad flag value or an unknown location) (400)."""

    status = 400


#: Header on a "data not available" answer, naming the missing tables: how the web UI tells it from other 422s
#: (and shows its visitors a plain sentence instead of the operator's hint in the message).
NO_DATA_HEADER = "X-Onetlocal-No-Data"


class DataNotAvailable(InvalidParameter):
    """A route whose source data was not imported into this build (422, one message for every such route)."""

    def __init__(self, what: str, missing: list[str] | tuple[str, ...]):
        super().__init__(
            f"{what}: data not available in this build (missing {', '.join(missing)}; "
            "import its source with `onetlocal build`)",
            headers={NO_DATA_HEADER: ",".join(missing)},
        )


class NotFound(ApiError):
    status = 404


class Unauthorized(ApiError):
    status = 401


class RateLimited(ApiError):
    status = 429

    def __init__(self, retry_after: int):
        super().__init__("rate limit exceeded; retry later", headers={"Retry-After": str(retry_after)})


class QueryTimeout(ApiError):
    """A statement ran past the database time limit (a scan the indexes cannot serve)."""

    status = 503


class Busy(ApiError):
    """Too many slow database queries already running or waiting in this process (503, retry after a second)."""

    status = 503

    def __init__(self, message: str):
        super().__init__(message, headers={"Retry-After": "1"})


class DatabaseMissing(ApiError):
    """The server runs but no database has been built yet."""

    status = 503


class SchemaMismatch(DatabaseMissing):
    """The database was built by an older or newer onetlocal: its tables are not the ones this code reads, so it
    is refused (503, one line naming the rebuild) instead of failing route by route with "no such table"."""

    def __init__(self, path: object, found: str | None, expected: str, program: str = "onetlocal"):
        self.path, self.found, self.expected = path, found, expected
        by = "another"
        if found is not None and found.isdigit() and expected.isdigit():
            older, newer = int(found) < int(expected), int(found) > int(expected)
            by = "an older" if older else "a newer" if newer else by
        super().__init__(
            f"the database at {path} was built by {by} onetlocal version (schema {found or 'unknown'}, "
            f"this one reads {expected}): rebuild it with `{program} build --db {shlex.quote(str(path))}`"
        )
