"""What a service needs from a request: the database, the absolute base URL, and the query parameters.

Services take a `Ctx` and return plain data, so they run the same under HTTP, in tests and in scripts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from onetlocal.db import Database
from onetlocal.errors import InvalidParameter

#: The real API answers at most 2000 rows per page.
MAX_PAGE_ROWS = 2000

#: An integer parameter: ASCII digits only (int() would also take '١٢' or '1_0'), surrounding blanks allowed.
_INTEGER = re.compile(r"\s*([+-]?([0-9]+))\s*", re.ASCII)


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


@dataclass
class Ctx:
    db: Database
    base_url: str = "http://127.0.0.1:8080"
    path: str = "/"
    params: Sequence[tuple[str, str]] = field(default_factory=list)

    # -- URLs -----------------------------------------------------------------------------------
    def href(self, path: str, **query: Any) -> str:
        """Absolute URL of `path` (which starts with '/') on this server."""
        url = self.base_url.rstrip("/") + path
        query = {k: v for k, v in query.items() if v is not None}
        return f"{url}?{urlencode(query, safe=',')}" if query else url

    def url_with(self, **overrides: Any) -> str:
        """This request's URL with some query parameters replaced (others kept, in order)."""
        kept = [(k, v) for k, v in self.params if k not in overrides]
        kept += [(k, str(v)) for k, v in overrides.items() if v is not None]
        url = self.base_url.rstrip("/") + self.path
        return f"{url}?{urlencode(kept, safe=',')}" if kept else url

    # -- parameters -----------------------------------------------------------------------------
    def get(self, name: str, default: str | None = None) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return default

    def get_all(self, name: str) -> list[str]:
        return [v for k, v in self.params if k == name]

    def required(self, name: str) -> str:
        value = self.get(name)
        if value is None or not value.strip():
            raise InvalidParameter(f"must have required property '{name}'")
        return value.strip()

    def integer(self, name: str, default: int | None = None, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        raw = self.get(name)
        if raw is None or raw == "":
            return default
        match = _INTEGER.fullmatch(raw)
        if match is None:
            raise InvalidParameter(f"parameter '{name}' must be an integer, got {raw!r}")
        if len(match.group(2).lstrip("0")) > 18:  # beyond SQLite's 64-bit integers
            raise InvalidParameter(f"parameter '{name}' is out of range, got {raw!r}")
        value = int(match.group(1))
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"{minimum if minimum is not None else '-∞'}..{maximum if maximum is not None else '∞'}"
            raise InvalidParameter(f"parameter '{name}' must be in {bounds}, got {value}")
        return value

    def choice(self, name: str, choices: Sequence[str], default: str | None = None) -> str | None:
        raw = self.get(name)
        if raw is None or raw == "":
            return default
        if raw not in choices:
            raise InvalidParameter(f"parameter '{name}' must be one of {', '.join(choices)}; got {raw!r}")
        return raw

    # -- paging ---------------------------------------------------------------------------------
    def page(self, default_size: int = 20) -> Page:
        start = self.integer("start", 1)
        if start < 1:
            raise InvalidParameter(f"parameter 'start' must be at least 1, got {start}")
        end = self.integer("end", start + default_size - 1)
        if end < start:
            raise InvalidParameter(f"parameter 'end' must not be less than 'start' ({end} < {start})")
        if end - start + 1 > MAX_PAGE_ROWS:
            raise InvalidParameter(f"at most {MAX_PAGE_ROWS} rows per page (start={start}, end={end})")
        return Page(start, end)

    def paged(self, page: Page, total: int, key: str, items: list, **extra: Any) -> dict:
        """The paging envelope: start, end (clamped; 0 when empty), total, prev/next URLs, then the list."""
        body: dict[str, Any] = {
            "start": page.start,
            "end": page.start + len(items) - 1 if items else 0,
            "total": total,
        }
        if page.start > 1 and total > 0:
            # A window past the end points back to the last rows that exist, not to another empty window.
            prev_end = min(page.start - 1, total)
            body["prev"] = self.url_with(start=max(1, prev_end - page.size + 1), end=prev_end)
        if page.end < total:
            body["next"] = self.url_with(start=page.end + 1, end=page.end + page.size)
        body.update(extra)
        body[key] = items
        return body

    def paginate(self, items: Sequence, key: str, default_size: int = 20, **extra: Any) -> dict:
        """Page an already computed list."""
        page = self.page(default_size)
        return self.paged(page, len(items), key, page.slice(items), **extra)
