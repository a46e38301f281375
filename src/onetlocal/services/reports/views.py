"""`summary/{section}` and `details/{section}`: one section's body, paged (10 per page), links absolute.

A section's whole body with absolute links is kept per (view, section, occupation, base URL) in the bounded
memo: a request then only slices its page out of it (no builder call, no walk over the links). The base URL is
part of the key because links are absolute for the host the client asked.
"""

from __future__ import annotations

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services.reports.base import NO_DATA, Body, Builder, Section, per_occupation
from onetlocal.services.reports.sections import has_data
from onetlocal.services.reports.sections import require_section as find


def builder(ctx: Ctx, code: str, name: str, view: str) -> Builder:
    """The builder of one section's view; 422 for an unknown code or section or when there is no data, 404 for a
    section the loaded release dropped (work_values on O*NET 30.3+)."""
    section = find(ctx, name)
    common.require_occupation(ctx, code)
    build = section.summary if view == "summary" else section.details
    if build is None:
        raise InvalidParameter(f"section {name!r} has no summary report; use details/{name}")
    if not has_data(ctx, code, name):
        why = f" ({section.missing})" if section.missing else ""
        raise InvalidParameter(f"{NO_DATA}: {name} for {code}{why}")
    return build


def body(ctx: Ctx, code: str, name: str, view: str) -> Body:
    """The unpaged body of one section (site-relative links)."""
    return builder(ctx, code, name, view)(ctx, code)


def _absolute_body(ctx: Ctx, code: str, name: str, view: str) -> Body:
    """The unpaged body with absolute links, memoised (shared: never mutated). The checks run first, on every
    request: a 422 is never memoised."""
    build = builder(ctx, code, name, view)
    return per_occupation(
        ctx, f"{view}.{name}.{code}.{ctx.base_url}", lambda: urls.absolute(ctx.base_url, build(ctx, code))
    )


def _paged(ctx: Ctx, section: Section, content: Body, page: Page) -> Body:
    content = dict(content)
    if section.list_key is None:
        return content
    items = content.pop(section.list_key)
    return ctx.paginate(page, items, section.list_key, **content)


def summary(ctx: Ctx, code: str, section: str, page: Page) -> Body:
    """`summary/{section}`: what O*NET OnLine shows by default, without ratings (paged, 10 per page)."""
    return _paged(ctx, find(ctx, section), _absolute_body(ctx, code, section, "summary"), page)


def details(ctx: Ctx, code: str, section: str, page: Page) -> Body:
    """`details/{section}`: every item with its ratings (paged, 10 per page)."""
    return _paged(ctx, find(ctx, section), _absolute_body(ctx, code, section, "details"), page)
