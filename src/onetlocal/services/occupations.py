"""O*NET OnLine occupations: the paged list of every occupation and the occupation overview (spec §4, §7).

Overview decisions (spec §7 shape; the values come from the data):
- `sample_of_reported_titles`: every reported title, those shown in My Next Move first (as O*NET OnLine
  lists them), each group in file order.
- `also_see`: the other occupations of the same 6-digit SOC code (the .00 parent and its .xx specialties).
- `bright_outlook`: `[{code: grow|openings|emerging, title}]` from the Bright Outlook table; absent when not bright
  or when the table is not imported.
- `updated`: `{year, contents: [{title, source, year}]}` — per section with dated data, the latest year of its
  rows for this occupation and that row's Domain Source; `year` is the latest of them.
- `job_zone`: `{code, title}`; absent for the few occupations without one.
- `summary_contents` / `details_contents` / `custom_contents`: only the sections (custom reports) that have
  data for this occupation, in the report's section order (never a section the loaded release dropped, such as
  work_values on O*NET 30.3+); `custom_contents` starts with the custom report
  itself (`custom/`, sections chosen with `?section=`).
"""

from __future__ import annotations

from typing import Any

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.services import advanced, common, reports
from onetlocal.sql import quote
from onetlocal.vocabulary import BRIGHT_OUTLOOK_TITLES


def _search_codes(ctx: Ctx, keyword: str) -> list[str]:
    from onetlocal.services.search import search_codes  # the search family; imported late on purpose

    return search_codes(ctx, keyword)


def listing(ctx: Ctx, keyword: str | None, page: Page) -> dict:
    """`/online/occupations/`: every occupation of Occupation Data by code (20 per page); with `keyword`, only
    the occupations the keyword search finds, in its relevance order."""
    known = common.occupations(ctx)
    codes = [c for c in _search_codes(ctx, keyword) if c in known] if keyword else list(known)
    items = [common.occupation_item(ctx, c) for c in page.slice(codes)]
    return ctx.paged(page, len(codes), "occupation", items)


def _reported_titles(ctx: Ctx, code: str) -> list[str]:
    rows = ctx.db.all(
        "SELECT reported_job_title, shown_in_my_next_move FROM sample_of_reported_titles "
        "WHERE onetsoc_code = ? ORDER BY rowid",
        (code,),
    )
    rows.sort(key=lambda r: r["shown_in_my_next_move"] != "Y")  # stable: file order within each group
    return [r["reported_job_title"] for r in rows]


def _also_see(ctx: Ctx, code: str) -> list[dict]:
    return [common.occupation_item(ctx, c) for c in common.occupations(ctx) if c[:7] == code[:7] and c != code]


def _bright(ctx: Ctx, code: str) -> list[dict]:
    def load() -> dict[str, list[dict]]:
        if not ctx.db.table_exists("bright_outlook"):
            return {}
        out: dict[str, list[dict]] = {}
        for r in ctx.db.all("SELECT onetsoc_code, category FROM bright_outlook ORDER BY rowid"):
            if r["category"] in BRIGHT_OUTLOOK_TITLES:
                out.setdefault(r["onetsoc_code"], []).append(
                    {"code": r["category"], "title": BRIGHT_OUTLOOK_TITLES[r["category"]]}
                )
        return out

    return ctx.db.memo("occupations.bright", load).get(code, [])


def _dates(ctx: Ctx, table: str) -> dict[str, dict]:
    """code -> {year, source} of the latest dated row of `table` (one grouped scan, memoised)."""

    def load() -> dict[str, dict]:
        columns = {r["name"] for r in ctx.db.all("SELECT name FROM pragma_table_info(?)", (table,))}
        if not {"date_updated", "domain_source", "onetsoc_code"} <= columns:
            return {}
        out = {}
        for r in ctx.db.all(
            f"SELECT onetsoc_code, max(substr(date_updated, 4, 4)) AS year, domain_source "
            f"FROM {quote(table)} WHERE date_updated IS NOT NULL GROUP BY onetsoc_code"
        ):
            if r["year"] and r["year"].isdigit():
                out[r["onetsoc_code"]] = {"year": int(r["year"]), "source": r["domain_source"]}
        return out

    return ctx.db.memo(f"occupations.dates.{table}", load)


def _updated(ctx: Ctx, code: str) -> dict | None:
    contents = []
    for section in reports.released(ctx).values():
        dated = _dates(ctx, section.table).get(code) if section.table else None
        if dated:
            contents.append({"title": section.title, "source": dated["source"], "year": dated["year"]})
    if not contents:
        return None
    return {"year": max(c["year"] for c in contents), "contents": contents}


def _contents(ctx: Ctx, code: str) -> dict[str, list[dict]]:
    available = [(name, s) for name, s in reports.released(ctx).items() if code in s.codes(ctx)]
    custom = [{"href": ctx.link(urls.CUSTOM, code=code), "title": "Custom Report"}]
    custom += [
        {"href": ctx.link(urls.CUSTOM_REPORT, code=code, report=name), "title": r.title}
        for name, r in reports.CUSTOM.items()
        if code in r.codes(ctx)
    ]
    return {
        "summary_contents": [
            {"href": ctx.link(urls.SUMMARY, code=code, section=n), "title": s.title}
            for n, s in available
            if s.summary is not None
        ],
        "details_contents": [
            {"href": ctx.link(urls.DETAILS, code=code, section=n), "title": s.title} for n, s in available
        ],
        "custom_contents": custom,
    }


def overview(ctx: Ctx, code: str) -> dict:
    """`/online/occupations/{code}/`: the occupation overview (shape of spec §7); 422 for an unknown code."""
    occupation = common.require_occupation(ctx, code)
    body: dict[str, Any] = {
        "code": code,
        "title": occupation["title"],
        "tags": common.tags(ctx, code),
        "description": occupation["description"],
        "sample_of_reported_titles": _reported_titles(ctx, code),
        "also_see": _also_see(ctx, code),
    }
    bright = _bright(ctx, code)
    if bright:
        body["bright_outlook"] = bright
    updated = _updated(ctx, code)
    if updated:
        body["updated"] = updated
    zone = advanced.job_zones(ctx).get(code)
    if zone:
        body["job_zone"] = dict(zone)
    body.update(_contents(ctx, code))
    return body
