"""O*NET OnLine browse families: one listing, one group and one `/all` route per row of `browse.FAMILIES`."""

from __future__ import annotations

from collections.abc import Callable

from onetlocal.http.params import Param
from onetlocal.http.routing import Endpoint, bind
from onetlocal.services import browse, common

_TAG = "browse"


def _bind(fn: Callable, family: browse.Family, suffix: str, doc: str) -> Callable:
    return bind(fn, f"{family.name}_{suffix}", doc, family)


def _params(family: browse.Family, in_all: bool) -> tuple[Param, ...]:
    sorts = browse.sort_names(family, in_all)
    default = family.all_sort if in_all else family.default_sort
    params = [Param("sort", "sort order (ties by code)", enum=sorts, default=default)]
    if family.job_family_filter:
        params.append(
            Param("job_family", "filter by job family (SOC major group), e.g. 15-0000", enum=tuple(common.JOB_FAMILIES))
        )
    return tuple(params)


def _code_doc(family: browse.Family) -> str:
    if family.alias:
        return f"{family.title} title, or the id its listing href carries"
    return f"{family.title} code from the listing"


def _rows(family: browse.Family) -> list[Endpoint]:
    rows = []
    if family.listed:
        listing = "paged" if family.paged_listing else ("bare array" if family.list_key is None else "object")
        rows.append(
            Endpoint(
                family.prefix,
                _bind(browse.listing, family, "listing", "groups of the family"),
                f"{family.title} listing ({listing}: {', '.join(browse.listing_keys(family))})",
                _TAG,
                list_key=family.list_key if family.paged_listing else None,
                paged=family.paged_listing,
            )
        )
        rows.append(
            Endpoint(
                f"{family.prefix}all",
                _bind(browse.all_occupations, family, "all", "all members"),
                f"Occupations in any {family.title}",
                _TAG,
                params=_params(family, True),
                list_key="occupation",
            )
        )
    rows.append(
        Endpoint(
            f"{family.prefix}{{code}}",
            _bind(browse.group_occupations, family, "group", "one group"),
            f"Occupations in one {family.title} (422 for an unknown code)",
            _TAG,
            params=(
                Param("code", _code_doc(family), location="path", enum=getattr(family.parse, "choices", None)),
                *_params(family, False),
            ),
            list_key="occupation",
        )
    )
    return rows


ENDPOINTS = [row for family in browse.FAMILIES.values() for row in _rows(family)]
