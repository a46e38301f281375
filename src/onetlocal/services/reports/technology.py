"""Technology sections: `technology_skills` (Technology Skills), `tools_used` (Tools Used), the occupation's
hot technologies (`/online/occupations/{code}/hot_technology`) and the occupations related to it through one
technology category (`/online/occupations/{code}/related/technology_skills/{commodity}`).

Decisions (the capture of the hosted `details/technology_skills` in evidence.md Part 2 §3 wins over the spec):
- A category is `{code, related, title, example: [...]}`; its `related` link is
  `/online/occupations/{code}/related/technology_skills/{commodity}` as captured. There is no `example_more`
  (the capture has none). `code` is the UNSPSC commodity (an integer) up to O*NET 30.2; from 30.3 the category is
  a Software Skills element and `code` its element id, a string ("2.E.5.b"), titled with the element's name: the
  id the release has, not a made-up integer (the capture predates 30.3). The `related` route takes either form.
- An example is `{title, href, hot_technology?: true, in_demand?: true}`: each flag appears only when true, as
  the capture shows (`{"title":"Google Classroom","href":…}`, `{"title":"Nearpod",…,"hot_technology":true}`);
  never `false`. `href` links to this server's technology example search (`/online/technology/examples/{id}`).
- Categories are ordered by hot-technology count, example count (desc), then title; examples in demand first,
  then hot, then by title. Summary keeps the first 5 examples per category. tools_used has no summary (as in
  O*NET OnLine): `summary/tools_used` answers 422.
- `related/technology_skills/{commodity}` (no captured body; decided by the pattern of every other `related`
  link, which leads to occupations — `related/tasks/{id}`, a DWA's related activities): the *other*
  occupations using technology of that UNSPSC commodity, by how many of this occupation's examples in the
  category they share (desc), then title; each `{href, code, title, tags, example: [...]}` with its examples
  in the category (flags only when true); the envelope names the category `{code, title}`. 422 when the
  occupation has no technology in that commodity.
- hot_technology: `{title, href, hot_technology: true, in_demand?: true}`, each hot technology once, in demand
  first, then by title. `percentage` (spec §4, CLIENT) is left out: it is a share of employer job postings that
  O*NET computes from postings data it does not publish — the release's Technology Skills file only carries
  the Y/N Hot Technology and In Demand flags, and no other source here has it. Omitted rather than `null`, so
  typed clients fall back to their default (e.g. `percentage: float = 0`) instead of failing on null; never an
  invented number.
"""

from __future__ import annotations

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services import technology as search
from onetlocal.services.reports.base import SUMMARY_EXAMPLES, Body, per_occupation
from onetlocal.services.technology import example_id

#: Occupations per page of `related/technology_skills/{commodity}` (an occupation list, as `related/tasks`).
RELATED_PAGE_SIZE = 20


def _flags(hot: bool, in_demand: bool) -> dict:
    """The example flags as captured: present only when true."""
    return {**({"hot_technology": True} if hot else {}), **({"in_demand": True} if in_demand else {})}


def _technology_paths(ctx: Ctx, code: str) -> list[dict]:
    """The occupation's technology categories with site-relative links, built once per occupation (the query,
    ids and sorting cost milliseconds for occupations with hundreds of examples)."""

    def load() -> list[dict]:
        categories: dict[int | str, dict] = {}
        for r in ctx.db.all(
            "SELECT example, commodity_code, commodity_title, hot_technology, in_demand FROM technology_skills "
            "WHERE onetsoc_code = ?",
            (code,),
        ):
            if r["commodity_code"] not in categories:
                categories[r["commodity_code"]] = {
                    "code": r["commodity_code"],
                    "title": r["commodity_title"],
                    "related": urls.path(urls.RELATED_TECHNOLOGY, code=code, commodity=r["commodity_code"]),
                    "example": [],
                }
            categories[r["commodity_code"]]["example"].append(
                {
                    "title": r["example"],
                    "href": urls.path(urls.TECHNOLOGY_EXAMPLE, example_id=example_id(r["example"])),
                    **_flags(r["hot_technology"] == "Y", r["in_demand"] == "Y"),
                }
            )
        for cat in categories.values():
            cat["example"].sort(key=lambda e: ("in_demand" not in e, "hot_technology" not in e, e["title"].lower()))
        return sorted(
            categories.values(), key=lambda c: (-len(_hot(c["example"])), -len(c["example"]), c["title"].lower())
        )

    return per_occupation(ctx, f"technology.{code}", load)


def _technology(ctx: Ctx, code: str, examples: int | None = None) -> list[dict]:
    """`_technology_paths`, at most `examples` per category (memoised too: summaries are asked for as often)."""
    categories = _technology_paths(ctx, code)
    if examples is None:
        return categories
    return per_occupation(
        ctx, f"technology.{examples}.{code}", lambda: [{**c, "example": c["example"][:examples]} for c in categories]
    )


def _hot(examples: list[dict]) -> list[dict]:
    return [e for e in examples if "hot_technology" in e]


def _hot_examples(categories: list[dict]) -> list[dict]:
    return [e for cat in categories for e in _hot(cat["example"])]


def _hot_list(ctx: Ctx, code: str) -> list[dict]:
    """The occupation's hot technologies, each once (in demand when it is under any category), in demand first,
    then by title; site-relative links, built once per occupation."""

    def load() -> list[dict]:
        in_demand: dict[str, bool] = {}
        hot: dict[str, dict] = {}
        for e in _hot_examples(_technology_paths(ctx, code)):
            in_demand[e["title"]] = in_demand.get(e["title"], False) or "in_demand" in e
            hot.setdefault(e["title"], e)
        items = [{"title": t, "href": e["href"], **_flags(True, in_demand[t])} for t, e in hot.items()]
        items.sort(key=lambda e: ("in_demand" not in e, e["title"].lower()))
        return items

    return per_occupation(ctx, f"hot.{code}", load)


def _hot_pointer(ctx: Ctx, code: str) -> dict:
    return {"total": len(_hot_list(ctx, code)), "href": urls.path(urls.OCCUPATION_HOT_TECHNOLOGY, code=code)}


def technology_details(ctx: Ctx, code: str) -> Body:
    return {"hot_technology": _hot_pointer(ctx, code), "category": _technology(ctx, code)}


def technology_summary(ctx: Ctx, code: str) -> Body:
    return {"hot_technology": _hot_pointer(ctx, code), "category": _technology(ctx, code, SUMMARY_EXAMPLES)}


def tools_details(ctx: Ctx, code: str) -> Body:
    categories: dict[int | str, dict] = {}
    for r in ctx.db.all(
        "SELECT example, commodity_code, commodity_title FROM tools_used WHERE onetsoc_code = ?", (code,)
    ):
        cat = categories.setdefault(
            r["commodity_code"], {"code": r["commodity_code"], "title": r["commodity_title"], "example": []}
        )
        cat["example"].append({"title": r["example"]})
    for cat in categories.values():
        cat["example"].sort(key=lambda e: e["title"].lower())
    return {"category": sorted(categories.values(), key=lambda c: (-len(c["example"]), c["title"].lower()))}


def hot_technology(ctx: Ctx, code: str, page: Page) -> dict:
    """`/online/occupations/{code}/hot_technology`: the occupation's hot technologies (Hot Technology = Y), in
    demand first, then by title; each once even when listed under two categories (in demand when it is under
    either). No `percentage`: see the module docstring."""
    common.require_occupation(ctx, code)
    items = per_occupation(ctx, f"hot.{code}.{ctx.base_url}", lambda: urls.absolute(ctx.base_url, _hot_list(ctx, code)))
    return ctx.paginate(page, items, "example")


def related_technology(ctx: Ctx, code: str, commodity: str, page: Page) -> dict:
    """`/online/occupations/{code}/related/technology_skills/{commodity}`: the other occupations using technology
    of this category (UNSPSC commodity; Software Skills element from O*NET 30.3; see the module docstring), paged
    (20 per page)."""
    common.require_occupation(ctx, code)
    key = search.category_code(commodity)
    mine = next((c for c in _technology_paths(ctx, code) if c["code"] == key), None)
    if mine is None:
        raise InvalidParameter(f"{code} has no technology in category {commodity}")
    idx = search.index(ctx)
    category = idx.categories[key]
    own = {e["title"] for e in mine["example"]}
    known = common.occupations(ctx)
    ranked = []
    for other, ids in category.occupations.items():
        if other == code or other not in known:
            continue
        examples = sorted((idx.examples[i] for i in set(ids)), key=lambda e: e.folded)
        shared = sum(e.title in own for e in examples)
        ranked.append((-shared, known[other]["title"], other, examples))
    ranked.sort(key=lambda r: r[:3])
    items = []
    for _, _, other, examples in page.slice(ranked):
        item = common.occupation_item(ctx, other)
        item["example"] = [
            {
                "title": e.title,
                "href": ctx.link(urls.TECHNOLOGY_EXAMPLE, example_id=e.id),
                **_flags(e.hot_technology, e.occupations.get(other, False)),
            }
            for e in examples
        ]
        items.append(item)
    return ctx.paged(page, len(ranked), "occupation", items, category={"code": category.code, "title": category.title})
