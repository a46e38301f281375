"""`summary/{section}` and `details/{section}`: one section's body, paged (10 per page) and made absolute."""

from __future__ import annotations

from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services.reports.base import NO_DATA, Body, Section
from onetlocal.services.reports.links import absolute
from onetlocal.services.reports.sections import has_data, section as find


def body(ctx: Ctx, code: str, name: str, view: str) -> Body:
    """The unpaged body of one section; 422 for an unknown code or section or when there is no data."""
    common.require_occupation(ctx, code)
    section = find(name)
    builder = section.summary if view == "summary" else section.details
    if builder is None:
        raise InvalidParameter(f"section {name!r} has no summary report; use details/{name}")
    if not has_data(ctx, code, name):
        why = f" ({section.missing})" if section.missing else ""
        raise InvalidParameter(f"{NO_DATA}: {name} for {code}{why}")
    return builder(ctx, code)


def _paged(ctx: Ctx, section: Section, content: Body, page: Page) -> Body:
    if section.list_key is None:
        return absolute(ctx, content)
    content = dict(content)
    items = content.pop(section.list_key)
    return absolute(ctx, ctx.paginate(page, items, section.list_key, **content))


def summary(ctx: Ctx, code: str, section: str, page: Page) -> Body:
    """`summary/{section}`: what O*NET OnLine shows by default, without ratings (paged, 10 per page)."""
    return _paged(ctx, find(section), body(ctx, code, section, "summary"), page)


def details(ctx: Ctx, code: str, section: str, page: Page) -> Body:
    """`details/{section}`: every item with its ratings (paged, 10 per page)."""
    return _paged(ctx, find(section), body(ctx, code, section, "details"), page)
