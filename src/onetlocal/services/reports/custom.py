"""Custom reports: several sections in one response (`custom/`) and named reports (`custom/{report}`)."""

from __future__ import annotations

from dataclasses import dataclass

from onetlocal import urls
from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.services import common, release
from onetlocal.services.reports.base import NO_DATA, Body, Builder, Codes, codes_in, elements
from onetlocal.services.reports.elements import ratings
from onetlocal.services.reports.sections import SECTIONS, has_data, released

VIEWS = ("details", "summary")


def _outline(ctx: Ctx, code: str) -> Body:
    """Work activities grouped under their Content Model category (4.A.1 Information Input, …), each group's
    elements by importance desc with importance and level."""
    reference = elements(ctx)
    groups: dict[str, dict] = {}
    for item in ratings(ctx, "work_activities", code):
        group_id = ".".join(item["id"].split(".")[:3])
        group = groups.setdefault(
            group_id, {"id": group_id, "name": (reference.get(group_id) or {}).get("element_name", ""), "element": []}
        )
        group["element"].append(item)
    return {"group": [groups[k] for k in sorted(groups)]}


@dataclass(frozen=True)
class CustomReport:
    title: str
    build: Builder
    codes: Codes


CUSTOM: dict[str, CustomReport] = {
    "work_activities_outline": CustomReport("Work Activities Outline", _outline, codes_in("work_activities")),
}


def custom(ctx: Ctx, code: str, section: list[str], display: str) -> Body:
    """`custom/?section=a&section=b[&display=details|summary]`: several sections in one unpaged response,
    `{code, title, <section>: <that section's body>, …, no_data?: [names]}`. `section` is repeatable or
    comma-separated, in the caller's order; without it every section is included. Sections without data for
    the occupation (or without a summary in summary display) are left out and named in `no_data`; an unknown
    section name is 422 (the route declares both parameters: names and display arrive checked). A section the
    loaded release dropped (work_values on O*NET 30.3+) is an unknown name there: 422 with the route's own list of
    names, and not part of the default."""
    sections = released(ctx)
    unknown = [name for name in section if name not in sections]
    if unknown:
        why = release.dropped(ctx, SECTIONS[unknown[0]].source or unknown[0])
        raise InvalidParameter(
            f"unknown section {unknown[0]!r} on this release ({why}): parameter 'section' must be "
            f"one of {', '.join(sections)}"
        )
    occupation = common.require_occupation(ctx, code)
    names = section or list(sections)
    body: Body = {"code": code, "title": occupation["title"]}
    missing = []
    for name in names:
        builder = sections[name].summary if display == "summary" else sections[name].details
        if builder is None or not has_data(ctx, code, name):
            missing.append(name)
            continue
        body[name] = builder(ctx, code)
    if missing:
        body["no_data"] = missing
    return urls.absolute(ctx.base_url, body)


def custom_report(ctx: Ctx, code: str, report: str) -> Body:
    """`custom/{report}`: a named custom report (`work_activities_outline`), unpaged `{code, title, group}`."""
    occupation = common.require_occupation(ctx, code)
    spec = CUSTOM.get(report)
    if spec is None:
        raise InvalidParameter(f"unknown custom report {report!r}; one of {', '.join(CUSTOM)}")
    if code not in spec.codes(ctx):
        raise InvalidParameter(f"{NO_DATA}: {report} for {code}")
    return urls.absolute(ctx.base_url, {"code": code, "title": occupation["title"], **spec.build(ctx, code)})
