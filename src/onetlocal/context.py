"""What a service needs from a request: the database, the absolute base URL, and the query (for paging links).

Parameters are not read here: the route's declaration (`http.params`) converts and checks them and hands the
service typed keyword arguments, `page` included for paged routes.

Services take a `Ctx` and return plain data, so they run the same under HTTP, in tests and in scripts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from onetlocal import urls
from onetlocal.db import Database

#: The real API answers at most 2000 rows per page.
MAX_PAGE_ROWS = 2000


@dataclass(frozen=True)
class Page:
    start: int
    end: int

    @property
    def size(self) -> int:
        return self.end - self.start + 1

    @property
    def offset(self) -> int:
        return self.start - 1

    @property
    def limit(self) -> int:
        return self.size

    def slice(self, items: Sequence) -> list:
        return list(items[self.offset : self.end])


def paging_envelope(ctx: Ctx, page: Page, total: int, key: str, items: list, **extra: Any) -> dict:
    """O*NET's paging envelope (spec §1): start (as asked), end (start + rows sent - 1: {start: 1, end: 0} for
    no rows, as the hosted API answers; start - 1 for a page past the end), total, prev/next URLs that keep
    the other query parameters, then any extra keys, then the list."""
    body: dict[str, Any] = {
        "start": page.start,
        "end": page.start + len(items) - 1,
        "total": total,
    }
    if page.start > 1 and total > 0:
        # A window past the end points back to the last rows that exist, not to another empty window.
        prev_end = min(page.start - 1, total)
        body["prev"] = ctx.url_with(start=max(1, prev_end - page.size + 1), end=prev_end)
    if page.end < total:
        body["next"] = ctx.url_with(start=page.end + 1, end=page.end + page.size)
    body.update(extra)
    body[key] = items
    return body


Envelope = Callable[..., dict]


@dataclass
class Ctx:
    db: Database
    base_url: str = "http://127.0.0.1:8080"
    path: str = "/"  # the request's path, decoded (ASGI `path`); `url_with` encodes it
    params: Sequence[tuple[str, str]] = field(default_factory=list)
    envelope: Envelope = paging_envelope  # the paging envelope of the API the request belongs to

    # -- URLs -----------------------------------------------------------------------------------
    def href(self, path: str, **query: Any) -> str:
        """Absolute URL of `path` (which starts with '/') on this server."""
        url = self.base_url.rstrip("/") + path
        query = {k: v for k, v in query.items() if v is not None}
        return f"{url}?{urlencode(query, safe=',')}" if query else url

    def link(self, template: str, query: dict[str, Any] | None = None, **path_params: Any) -> str:
        """Absolute URL of a route (a template of `onetlocal.urls`) with its path and query parameters."""
        if query:
            return self.href(urls.path(template, **path_params), **query)
        return self.base_url.rstrip("/") + urls.path(template, **path_params)

    def url_with(self, **overrides: Any) -> str:
        """This request's URL with some query parameters replaced (others kept, in order)."""
        kept = [(k, v) for k, v in self.params if k not in overrides]
        kept += [(k, str(v)) for k, v in overrides.items() if v is not None]
        url = self.base_url.rstrip("/") + urls.encode_path(self.path)
        return f"{url}?{urlencode(kept, safe=',')}" if kept else url

    # -- paging ---------------------------------------------------------------------------------
    def paged(self, page: Page, total: int, key: str, items: list, **extra: Any) -> dict:
        """One page of `total` items in this API's envelope."""
        return self.envelope(self, page, total, key, items, **extra)

    def paginate(self, page: Page, items: Sequence, key: str, **extra: Any) -> dict:
        """Page an already computed list."""
        return self.paged(page, len(items), key, page.slice(items), **extra)
