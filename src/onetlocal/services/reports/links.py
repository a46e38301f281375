"""Links in report bodies: memoised site-relative ('/online/…'), made absolute for the page that is sent."""

from __future__ import annotations

from typing import Any

from onetlocal.context import Ctx

LINK_KEYS = frozenset({"href", "related"})


def absolute(ctx: Ctx, value: Any) -> Any:
    """A copy of `value` whose site-relative links ('/online/…') are absolute for this request. Section bodies
    are memoised with relative links, so only the page that is sent pays for absolute ones."""
    base = ctx.base_url.rstrip("/")
    nested = (dict, list)

    def walk(v: Any) -> Any:
        if type(v) is list:
            return [walk(x) if type(x) in nested else x for x in v]
        return {k: base + x if k in LINK_KEYS and type(x) is str and x[:1] == "/"
                else walk(x) if type(x) in nested else x
                for k, x in v.items()}

    return walk(value) if type(value) in nested else value
