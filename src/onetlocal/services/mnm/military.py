"""My Next Move for Veterans: "find careers like your military job" and the career section `in_the_military`.

Both read the O*NET military crosswalk through `services.taxonomy` (the same matches as
`/online/crosswalks/military`: active records linked to an occupation of the release, titles carrying
"(Service - Category)", a keyword matching a code exactly or every word of a title).

Decisions (the v2 bodies are not evidenced):
- `/veterans/military?keyword=` is paged over **careers** (list key `career`, as every My Next Move list): the
  careers linked to the matching military occupations, those of exact code matches first, then in the order of
  the matches (by code), careers only (occupations with O*NET data); each career `{href, code, title, tags,
  military: [{code, title}]}` names the matching military occupations that lead to it. No match -> the empty
  envelope. The keyword is not echoed (as `/{site}/search` and `/online/search`).
- `in_the_military`: `{code, title, match: [{code, title}]}`, the active military occupations crosswalked to the
  career, by code; none -> 422 (no data for this section).
"""

from __future__ import annotations

from onetlocal.context import Ctx, Page
from onetlocal.services import taxonomy
from onetlocal.services.mnm import Site
from onetlocal.services.mnm.items import career_item, careers
from onetlocal.services.mnm.sections import no_data


def search(ctx: Ctx, site: Site, keyword: str, page: Page) -> dict:
    """Careers linked to the military occupations matching `keyword` (a code such as 11B, or title words)."""
    known = careers(ctx)
    found: dict[str, list[dict]] = {}
    for match in taxonomy.find_military(ctx, keyword):
        for code in match.occupations:
            if code in known:
                found.setdefault(code, []).append({"code": match.code, "title": match.title})
    codes = list(found)
    items = []
    for code in page.slice(codes):
        item = career_item(ctx, site, code)
        item["href"] = ctx.href(item["href"])
        items.append({**item, "military": found[code]})
    return ctx.paged(page, len(codes), "career", items)


def _by_career(ctx: Ctx) -> dict[str, list[dict]]:
    def load() -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for match in taxonomy.military_matches(ctx):
            for code in match.occupations:
                out.setdefault(code, []).append({"code": match.code, "title": match.title})
        return out

    return ctx.db.memo("mnm.military_by_career", load)


def in_the_military(ctx: Ctx, site: Site, code: str) -> dict:
    """`{match: [{code, title}]}`: military occupations crosswalked to the career (422 when none)."""
    if not ctx.db.table_exists("military_crosswalk"):
        raise no_data("in_the_military", code)
    matches = _by_career(ctx).get(code)
    if not matches:
        raise no_data("in_the_military", code)
    return {"match": matches}
