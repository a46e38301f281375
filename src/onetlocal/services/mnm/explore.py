"""My Next Move career exploration for every site: keyword search, all careers, and browsing by industry, Bright
Outlook, career cluster and job preparation (spec §3). The report of one career lives in its own module.

Decisions where the spec is silent (also in docs/compatibility.md, "My Next Move: search, browse, Interest
Profiler"). As for O*NET OnLine, a listing, header or item carries only keys the spec or the evidence names
(clients generated from the official OpenAPI file may reject others), plus `href` on listing items:
- Careers are those of the career report (`items.careers`: the occupations with a Job Zone, 923 in O*NET 30.1).
  "All Other" occupations without data are not careers; search and browse leave them out, a code keyword for one
  of them finds nothing.
- Career items are `{href, code, title, tags}` with href -> `/{site}/careers/{code}/`; lists are ordered by the
  title the site shows (case-folded, then code), paged 20 by default. On `/mpp/` the title is the imported Spanish
  one where the Mi Próximo Paso file has it; an item whose text is English carries `language: "en"`, so English is
  never passed off as Spanish (the one key added on purpose; `language.py`).
- Search: the spec's envelope (start, end, total, prev?, next?, career), no echo of the keyword (as /online/search).
  On `/mpp/` the careers whose Spanish titles match (accents, gender and number folded: `spanish.py`) come first.
- Listings are one object: `category: [{href, value, title}]` (Bright Outlook, `value` as /online/),
  `career_cluster: [{href, code, title}]`, `job_zone: [{href, value, title, experience, education, job_training,
  examples, svp_range}]` (v1 and a v2 client name these keys); `industry` is paged (20 sectors fit one default
  page). Job zones are those of the release's Job Zone Reference: four since O*NET 30.2 (2 = "Job Zone 1-2");
  there `job_preparation/1` lists the careers of the merged zone 2 (`services/release.py`). A group's careers: the
  paging envelope and `career`, after `summary: {title}` for a career cluster
  (spec-derived `{title, overview}`; no overview text exists here) and `category: {value, title}` for Bright
  Outlook (as /online/); no group object for industries and job zones.
- Bright Outlook categories `grow`, `openings`, `emerging`; members, career clusters and job zones come from the
  O*NET OnLine browse families (`services.browse.FAMILIES`), restricted to careers.
- Industries are the 20 OEWS NAICS sectors (national industry estimates, May release), `code` = the sector's
  first NAICS digits as an integer (31 = Manufacturing 31-33, 99 = government except state and local schools and
  hospitals, which OEWS counts under 61 and 62), title as BLS writes it without its "Sector NN - " prefix. A
  career's share in a sector = the sector's employment of the career's SOC code / the SOC code's cross-industry
  employment (the 20 sectors add up to the cross-industry total). `most_people`: the sector employs at least half
  of the career's workers (`MOST_PEOPLE` = 0.5: "most people in this career work here"); `some_people`: at least
  `SOME_PEOPLE` = 10 % but less than half. A career's SOC code is the first 7 characters of its O*NET-SOC code;
  when OEWS publishes only the broad group (13-1021 -> 13-1020) its shares are used; with neither (Legislators,
  11-1031) the career is in no industry list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import bls, browse, common, release
from onetlocal.services.mnm import Site, items, language, spanish
from onetlocal.services.mnm.outlook import INDUSTRY_MIN_PERCENT
from onetlocal.services.search import search_codes

#: Share of a career's national employment an industry must hold for the "most people" / "some people" lists.
MOST_PEOPLE = 0.5
SOME_PEOPLE = 0.1

CROSS_INDUSTRY = "000000"
_SECTOR_PREFIX = re.compile(r"^Sectors?\s+[0-9, and]+\s+-\s+")


# -- careers and their items --------------------------------------------------------------------------------


def careers(ctx: Ctx) -> dict[str, str]:
    """code -> English title of every career (`items.careers`: the occupations with a Job Zone), by title."""

    def load() -> dict[str, str]:
        known = items.careers(ctx)
        rows = [r for code, r in common.occupations(ctx).items() if code in known]
        rows.sort(key=lambda r: (r["title"].casefold(), r["code"]))
        return {r["code"]: r["title"] for r in rows}

    return ctx.db.memo("mnm.careers", load)


def _titles(ctx: Ctx, site: Site) -> dict[str, tuple[str, str]]:
    """career -> (title, language) on `site` (Spanish on /mpp/ where imported), in the order of those titles."""

    def load() -> dict[str, tuple[str, str]]:
        titled = [(code, language.title(ctx, site, code)) for code in careers(ctx)]
        titled.sort(key=lambda item: (item[1][0].casefold(), item[0]))
        return dict(titled)

    return ctx.db.memo(f"mnm.titles.{site.name}", load)


def by_title(ctx: Ctx, site: Site, codes: Iterable[str]) -> list[str]:
    """Careers among `codes`, by their title on `site` (case-folded, then code)."""
    order = ctx.db.memo(f"mnm.career_order.{site.name}", lambda: {c: i for i, c in enumerate(_titles(ctx, site))})
    return sorted((c for c in codes if c in order), key=order.__getitem__)


def marked(site: Site, item: dict) -> dict:
    """`item` with `language: "en"` on a Spanish site: its text is English (the data has no Spanish for it)."""
    return language.mark(site, item)


def _career_paths(ctx: Ctx, site: Site) -> dict[str, str]:
    """career -> path of its report on `site` (filled once: quoting per item cost more than the rest of a page)."""
    return ctx.db.memo(
        f"mnm.career_paths.{site.name}",
        lambda: {code: urls.path(urls.CAREER, site=site.name, code=code) for code in careers(ctx)},
    )


def _item_maker(ctx: Ctx, site: Site) -> Callable[..., dict]:
    """A function code -> career item, with the per-site tables looked up once (not once per item)."""
    base, paths, titles = ctx.base_url.rstrip("/"), _career_paths(ctx, site), _titles(ctx, site)

    def make(code: str, **extra: Any) -> dict:
        title, lang = titles[code]
        item = {"href": base + paths[code], "code": code, "title": title, "tags": common.tags(ctx, code), **extra}
        return language.mark(site, item, lang)

    return make


def career_item(ctx: Ctx, site: Site, code: str, **extra: Any) -> dict:
    """`{href, code, title, tags}` linking to the site's career report, the title in the site's language where
    the data has it (+ `extra`; `language: "en"` on /mpp/ for an English title)."""
    return _item_maker(ctx, site)(code, **extra)


def career_page(
    ctx: Ctx, site: Site, codes: list[str], page: Page, extra: Callable[[str], dict] | None = None, **envelope: Any
) -> dict:
    """A paged `career` list of `codes` (already ordered); `extra(code)` adds keys to an item (`fit`)."""
    make = _item_maker(ctx, site)
    items_ = [make(code, **(extra(code) if extra else {})) for code in page.slice(codes)]
    return ctx.paged(page, len(codes), "career", items_, **envelope)


# -- search and listing -------------------------------------------------------------------------------------


def search(ctx: Ctx, site: Site, keyword: str, page: Page) -> dict:
    """Careers matching the keyword by relevance (the O*NET OnLine engine; a code answers that career). On a
    Spanish site the careers whose Spanish titles match come first (`spanish.py`: accents, gender, number)."""
    known = careers(ctx)
    codes = [code for code in search_codes(ctx, keyword) if code in known]
    if site.language == language.ES:
        found = [(rank, code) for rank, code in spanish.matches(ctx, keyword) if code in known]
        first = [code for rank in (0, 1, 2) for code in by_title(ctx, site, [c for r, c in found if r == rank])]
        seen = set(first)
        codes = first + [code for code in codes if code not in seen]
    return career_page(ctx, site, codes, page)


def all_careers(ctx: Ctx, site: Site, page: Page) -> dict:
    """Every career, by its title on the site."""
    return career_page(ctx, site, list(_titles(ctx, site)), page)


# -- browse families from O*NET OnLine's membership data ----------------------------------------------------


def bright_outlook_categories(ctx: Ctx, site: Site) -> dict:
    """`{category: [{href, value, title}]}`: the three categories (value as in /online/bright_outlook/)."""
    m = browse.membership(ctx, browse.BRIGHT_OUTLOOK)
    return {
        "category": [
            marked(
                site,
                {
                    "href": ctx.link(urls.BRIGHT_OUTLOOK_CAREERS, site=site.name, category=g["code"]),
                    "value": g["code"],
                    "title": g["title"],
                },
            )
            for g in m.groups.values()
        ]
    }


def bright_outlook_careers(ctx: Ctx, site: Site, category: str, page: Page) -> dict:
    m = browse.membership(ctx, browse.BRIGHT_OUTLOOK)
    group = m.groups[category]
    return career_page(
        ctx,
        site,
        by_title(ctx, site, m.by_group[category]),
        page,
        category=marked(site, {"value": category, "title": group["title"]}),
    )


def career_clusters(ctx: Ctx, site: Site) -> dict:
    """`{career_cluster: [{href, code, title}]}` (Advance CTE 2024 clusters)."""
    m = browse.membership(ctx, browse.CAREER_CLUSTERS)
    return {
        "career_cluster": [
            marked(
                site,
                {
                    "href": ctx.link(urls.CAREER_CLUSTER, site=site.name, code=g["code"]),
                    "code": g["code"],
                    "title": g["title"],
                },
            )
            for g in m.groups.values()
        ]
    }


def career_cluster(ctx: Ctx, site: Site, code: str, page: Page) -> dict:
    """The careers of one cluster, after `summary: {title}` (no overview text exists in the data)."""
    m = browse.membership(ctx, browse.CAREER_CLUSTERS)
    group = m.groups.get(code)
    if group is None:
        raise InvalidParameter(
            f"unknown career cluster code {code!r}; see {ctx.link(urls.CAREER_CLUSTERS, site=site.name)}"
        )
    return career_page(
        ctx, site, by_title(ctx, site, m.by_group[code]), page, summary=marked(site, {"title": group["title"]})
    )


def _zone_reference(ctx: Ctx) -> list[dict]:
    """The job zones of Job Zone Reference: `{value, title, experience, education, job_training, examples,
    svp_range}` (the key names of v1 and of a v2 client; the columns of the release table)."""
    ctx.db.require("Job Zone Reference", "job_zone_reference")
    return ctx.db.memo(
        "mnm.job_zones",
        lambda: [
            dict(r)
            for r in ctx.db.all(
                "SELECT job_zone AS value, name AS title, experience, education, job_training, examples, svp_range "
                "FROM job_zone_reference ORDER BY job_zone"
            )
        ],
    )


def job_preparation(ctx: Ctx, site: Site) -> dict:
    """The release's job zones (five up to O*NET 30.1, four since 30.2), each linking to its careers."""
    return {
        "job_zone": [
            marked(site, {"href": ctx.link(urls.JOB_PREPARATION_ZONE, site=site.name, zone=z["value"]), **z})
            for z in _zone_reference(ctx)
        ]
    }


def job_zone_reference(ctx: Ctx, site: Site) -> dict:
    """The release's job zones with their descriptions, for the Interest Profiler."""
    return {"job_zone": [marked(site, dict(z)) for z in _zone_reference(ctx)]}


def job_preparation_careers(ctx: Ctx, site: Site, zone: int, page: Page) -> dict:
    """The careers of one job zone; zone 1 on a release that merged it (O*NET 30.2+) is the merged zone 2."""
    m = browse.membership(ctx, browse.JOB_ZONES)
    zone = release.job_zone(ctx, zone)
    if zone not in m.groups:
        raise InvalidParameter(f"Job Zone {zone}: data not available in this build (not in Job Zone Reference)")
    return career_page(ctx, site, by_title(ctx, site, m.by_group[zone]), page)


# -- industries (OEWS national industry employment) ---------------------------------------------------------


def industries_data(ctx: Ctx) -> dict[int, dict]:
    """Sector code -> {code, title, industry_code, shares: {career: share}, most_people, some_people} (shares of
    the careers' national employment, from OEWS; careers without OEWS data absent)."""
    ctx.db.require("Industries", "oews_industries", "oews_industry_wages")

    def load() -> dict[int, dict]:
        sectors: dict[str, dict] = {}
        for row in ctx.db.all(
            "SELECT industry_code, title FROM oews_industries WHERE industry_code GLOB '[0-9][0-9]-*' "
            "ORDER BY industry_code"
        ):
            code = int(row["industry_code"][:2])
            sectors[row["industry_code"]] = {
                "code": code,
                "title": _SECTOR_PREFIX.sub("", row["title"]),
                "industry_code": row["industry_code"],
                "shares": {},
            }
        totals = {
            r["soc_code"]: r["employment"]
            for r in ctx.db.all(
                "SELECT soc_code, employment FROM oews_industry_wages WHERE industry_code = ? AND employment > 0",
                (CROSS_INDUSTRY,),
            )
        }
        by_soc: dict[str, dict[str, int]] = {}
        for r in ctx.db.all(
            "SELECT industry_code, soc_code, employment FROM oews_industry_wages "
            "WHERE industry_code GLOB '[0-9][0-9]-*' AND employment IS NOT NULL"
        ):
            by_soc.setdefault(r["soc_code"], {})[r["industry_code"]] = r["employment"]
        for career in careers(ctx):
            soc = bls.bls_code(ctx, "oews_industries", career, totals)
            if soc is None:
                continue
            for industry_code, employment in by_soc.get(soc, {}).items():
                if industry_code in sectors and employment:
                    sectors[industry_code]["shares"][career] = employment / totals[soc]
        for sector in sectors.values():  # the two lists, by title
            shares = sector["shares"]
            sector["most_people"] = [c for c, share in shares.items() if share >= MOST_PEOPLE]
            sector["some_people"] = [c for c, share in shares.items() if SOME_PEOPLE <= share < MOST_PEOPLE]
        return {s["code"]: s for s in sectors.values()}

    return ctx.db.memo("mnm.industries", load)


def career_industries(ctx: Ctx, site: Site, code: str) -> list[dict]:
    """The sectors employing at least INDUSTRY_MIN_PERCENT of a career's workers, most first, each linking to the
    industry's list the career is on (most/some people; `href: null` below SOME_PEOPLE): `explore_more.industries`."""
    if not (ctx.db.table_exists("oews_industries") and ctx.db.table_exists("oews_industry_wages")):
        return []
    found = []
    for sector in industries_data(ctx).values():
        share = sector["shares"].get(code)
        if share is None or share * 100 < INDUSTRY_MIN_PERCENT:
            continue
        page = (
            urls.INDUSTRY_MOST_PEOPLE
            if share >= MOST_PEOPLE
            else (urls.INDUSTRY_SOME_PEOPLE if share >= SOME_PEOPLE else None)
        )
        found.append(
            {
                "href": ctx.link(page, site=site.name, code=sector["code"]) if page else None,
                "code": sector["code"],
                "title": sector["title"],
                "percent_employed": int(share * 100 + 0.5),
            }
        )
    return sorted(found, key=lambda i: (-i["percent_employed"], i["code"]))


def industries(ctx: Ctx, site: Site, page: Page) -> dict:
    """The OEWS sectors, each linking to the careers most of whose workers it employs."""
    items = [
        marked(
            site,
            {
                "href": ctx.link(urls.INDUSTRY_MOST_PEOPLE, site=site.name, code=s["code"]),
                "code": s["code"],
                "title": s["title"],
            },
        )
        for s in industries_data(ctx).values()
    ]
    return ctx.paginate(page, items, "industry")


def _industry(ctx: Ctx, site: Site, code: int) -> dict:
    sector = industries_data(ctx).get(code)
    if sector is None:
        raise InvalidParameter(f"unknown industry code {code}; see {ctx.link(urls.INDUSTRIES, site=site.name)}")
    return sector


def _industry_careers(ctx: Ctx, site: Site, code: int, page: Page, key: str) -> dict:
    sector = _industry(ctx, site, code)
    codes = ctx.db.memo(f"mnm.industry.{site.name}.{sector['code']}.{key}", lambda: by_title(ctx, site, sector[key]))
    return career_page(ctx, site, codes, page)


def industry_most_people(ctx: Ctx, site: Site, code: int, page: Page) -> dict:
    """Careers with at least half of their workers in this industry (`MOST_PEOPLE`)."""
    return _industry_careers(ctx, site, code, page, "most_people")


def industry_some_people(ctx: Ctx, site: Site, code: int, page: Page) -> dict:
    """Careers with 10 % (`SOME_PEOPLE`) to under half of their workers in this industry."""
    return _industry_careers(ctx, site, code, page, "some_people")
