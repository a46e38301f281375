"""Pieces shared by the O*NET OnLine advanced searches (related activities, soft skills, job duties,
technology), and the professional associations search, which this build cannot serve.

The advanced searches all answer a list of occupations with a `job_zone` and a `sort` parameter whose
values map to key functions (`sorted_by`), so a new sort order is a new row, not a new branch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.services import common


def id_list(ctx: Ctx, name: str) -> list[str]:
    """A required comma-separated parameter as a list of distinct ids (order kept); empty -> 422."""
    raw = ctx.required(name)
    ids = list(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if not ids:
        raise InvalidParameter(f"parameter '{name}' must list at least one id (comma-separated)")
    return ids


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


def sorted_by(ctx: Ctx, items: list, sorts: Mapping[str, Callable[[Any], Any]], default: str) -> list:
    """`items` ordered by the key function named by the `sort` parameter (422 for an unknown name)."""
    name = ctx.choice("sort", list(sorts), default)
    return sorted(items, key=sorts[name])


def keyword_occupations(ctx: Ctx, step_href: str, has_data: Callable[[str], bool]) -> dict:
    """Step 1 of a multi-step search: the occupation keyword search, keeping only occupations that have
    data for the next step, each linking to it (`step_href` formatted with the code)."""
    from onetlocal.services.search import search_codes  # written alongside; imported late on purpose

    keyword = ctx.required("keyword")
    page = ctx.page()
    codes = [c for c in search_codes(ctx, keyword) if has_data(c)]
    items = [common.occupation_item(ctx, c, href=ctx.href(step_href.format(code=c))) for c in page.slice(codes)]
    return ctx.paged(page, len(codes), "occupation", items)


def bare_page(ctx: Ctx, items: list, default_size: int) -> list:
    """Bare-array answers (activities, tasks for an occupation) still honour start/end, without an envelope."""
    return ctx.page(default_size).slice(items)


# -- professional associations --------------------------------------------------------------------

PROFESSIONAL_ASSOCIATIONS_MISSING = (
    "professional associations data is not available in this build "
    "(O*NET does not publish it in the downloadable database)"
)


def professional_associations(ctx: Ctx, **_: str) -> dict:
    """Every professional associations route answers 422: the data is not in the O*NET release files
    nor in the supplementary sources, and an empty list would wrongly claim there are none."""
    raise InvalidParameter(PROFESSIONAL_ASSOCIATIONS_MISSING)
