"""Pieces shared by the O*NET OnLine advanced searches (related activities, soft skills, job duties,
technology), and the professional associations search, which this build cannot serve.

The advanced searches all answer a list of occupations with a `job_zone` and a `sort` parameter whose
values map to key functions (a SORTS table in each module, whose names the route declares as the enum), so a new
sort order is a new row, not a new branch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from onetlocal.context import Ctx, Page
from onetlocal.errors import DataNotAvailable, InvalidParameter
from onetlocal.services import common


def is_integer_id(raw: str) -> bool:
    """ASCII digits only: `str.isdigit()` also accepts '²', which `int()` rejects."""
    return raw.isascii() and raw.isdigit()


def check_known(name: str, ids: list, known: Mapping) -> None:
    """422 naming every id of `ids` that is not in `known`."""
    unknown = [str(i) for i in ids if i not in known]
    if unknown:
        raise InvalidParameter(f"parameter '{name}': unknown id(s) {', '.join(unknown)}")


def job_zones(ctx: Ctx) -> dict[str, dict]:
    """O*NET-SOC code -> `{code, title}` job zone (Job Zones + Job Zone Reference)."""

    def load() -> dict[str, dict]:
        titles = {r["job_zone"]: r["name"] for r in ctx.db.all("SELECT job_zone, name FROM job_zone_reference")}
        return {
            r["onetsoc_code"]: {"code": r["job_zone"], "title": titles.get(r["job_zone"], "")}
            for r in ctx.db.all("SELECT onetsoc_code, job_zone FROM job_zones")
        }

    return ctx.db.memo("advanced.job_zones", load)


def zone_of(ctx: Ctx, code: str) -> int:
    """The job zone number for sorting; occupations without one sort after zone 5."""
    zone = job_zones(ctx).get(code)
    return zone["code"] if zone else 99


def occupation_result(ctx: Ctx, code: str, **extra: Any) -> dict:
    """`{href, code, title, tags, job_zone}` + extra: the item every advanced search lists.
    `job_zone` is left out for the few occupations without one (no invented value)."""
    item = common.occupation_item(ctx, code)
    zone = job_zones(ctx).get(code)
    if zone:
        item["job_zone"] = dict(zone)
    item.update(extra)
    return item


def keyword_occupations(ctx: Ctx, keyword: str, page: Page, step: str, has_data: Callable[[str], bool]) -> dict:
    """Step 1 of a multi-step search: the occupation keyword search, keeping only occupations that have
    data for the next step, each linking to it (`step`: a route template of `onetlocal.urls` taking `code`)."""
    from onetlocal.services.search import search_codes  # written alongside; imported late on purpose

    codes = [c for c in search_codes(ctx, keyword) if has_data(c)]
    items = [common.occupation_item(ctx, c, href=ctx.link(step, code=c)) for c in page.slice(codes)]
    return ctx.paged(page, len(codes), "occupation", items)


# -- professional associations --------------------------------------------------------------------


def professional_associations(ctx: Ctx, **_: str) -> dict:
    """Every professional associations route answers 422: O*NET does not publish them in the downloadable
    database nor are they in the supplementary sources, and an empty list would wrongly claim there are none."""
    raise DataNotAvailable("professional associations", ["professional_associations"])
