"""What every section builder shares: constants, the `Section`/`Builder` types, which occupations have data,
Content Model lookups, 0–100 scaling, and the per-occupation memo.

Per-occupation bodies are memoised with `per_occupation()` (a bounded LRU in `Database.memo`), never with the
unbounded memo: a client walking every occupation and section must not grow memory without limit (nor one
sending many Host headers: `views.py` keys absolute bodies by base URL). Builders memoise with site-relative links
('/online/…'); `views.py` memoises each section's body made absolute (`urls.absolute()`) per base URL.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from onetlocal.context import Ctx
from onetlocal.services import common
from onetlocal.sql import quote

#: Default rows per page for report sections (spec §7).
PAGE_SIZE = 10
#: Summary threshold on the 0–100 scale, and how many top items a summary keeps when none reaches it.
SUMMARY_MIN = 50
SUMMARY_TOP = 5
SUMMARY_EXAMPLES = 5
SUMMARY_EDUCATION = 3
NO_DATA = "no data available for this section"

Body = dict[str, Any]
Builder = Callable[[Ctx, str], Body]
Codes = Callable[[Ctx], frozenset[str]]
T = TypeVar("T")


@dataclass(frozen=True)
class Section:
    title: str
    details: Builder
    summary: Builder | None  # None: details only (tools_used)
    codes: Codes  # the occupations with data for this section
    list_key: str | None = None  # the paged list; None: a plain object (job_zone, education)
    table: str | None = None  # the release table whose dates/sources feed the overview's `updated`
    missing: str | None = None  # why there is never data (source not in this build)
    #: The release table the section shows, named where a later layout dropped it (work_values, tools_used: O*NET
    #: 30.3; `releases.CORRESPONDENCES`): on such a release the section does not exist (404, `release.dropped`).
    source: str | None = None


def per_occupation(ctx: Ctx, key: str, compute: Callable[[], T]) -> T:
    """`compute()` memoised under `reports.<key>` in the bounded (LRU) memo; the value is shared: never mutate it."""
    return ctx.db.memo(f"reports.{key}", compute, bounded=True)


# -- which occupations have data (memoised per database file) -----------------------------------------------


def codes_in(table: str, where: str = "") -> Codes:
    """Occupations with rows in `table` (one scan, memoised); an absent table has none. `where` is a constant
    SQL condition written in this package, never user input."""

    def codes(ctx: Ctx) -> frozenset[str]:
        def load() -> frozenset[str]:
            columns = {r["name"] for r in ctx.db.all("SELECT name FROM pragma_table_info(?)", (table,))}
            if "onetsoc_code" not in columns:  # table absent (not imported) or not per occupation
                return frozenset()
            sql = f"SELECT DISTINCT onetsoc_code FROM {quote(table)} {where}"
            return frozenset(r["onetsoc_code"] for r in ctx.db.all(sql))

        return ctx.db.memo(f"reports.codes.{table}.{where}", load)

    return codes


def union(*fns: Codes) -> Codes:
    return lambda ctx: frozenset().union(*(f(ctx) for f in fns))


def no_codes(ctx: Ctx) -> frozenset[str]:
    return frozenset()


# -- Content Model elements, scales ------------------------------------------------------------------------


def elements(ctx: Ctx) -> dict[str, dict]:
    """Content Model element id -> {element_id, element_name, description}."""
    sql = "SELECT element_id, element_name, description FROM content_model_reference"
    return ctx.db.memo("reports.elements", lambda: {r["element_id"]: r for r in ctx.db.all(sql)})


def scale(ctx: Ctx, scale_id: str, value: float | None) -> int | None:
    bounds = common.scales(ctx).get(scale_id)
    return common.scaled(value, *bounds) if bounds and value is not None else None


def percent(value: float | None) -> int | None:
    """A share in percent, rounded half up (a percentage, not a rating: not truncated)."""
    return None if value is None else math.floor(value + 0.5)


# -- list helpers ------------------------------------------------------------------------------------------


def top(items: list[dict], key: str, minimum: int = SUMMARY_MIN, count: int = SUMMARY_TOP) -> list[dict]:
    """The items rated >= minimum, or the `count` best when none is (items already ordered best first)."""
    kept = [i for i in items if (i.get(key) or 0) >= minimum]
    return kept or items[:count]


def without(items: list[dict], *keys: str) -> list[dict]:
    return [{k: v for k, v in i.items() if k not in keys} for i in items]
