"""Technology sections: `technology_skills` (Technology Skills), `tools_used` (Tools Used), and the
occupation's hot technologies (`/online/occupations/{code}/hot_technology`)."""

from __future__ import annotations

from onetlocal.context import Ctx
from onetlocal.services import common
from onetlocal.services.reports.base import PAGE_SIZE, SUMMARY_EXAMPLES, Body, per_occupation
from onetlocal.services.reports.links import absolute
from onetlocal.services.technology import example_id


def _technology_paths(ctx: Ctx, code: str) -> list[dict]:
    """The occupation's technology categories with site-relative links, built once per occupation (the query,
    ids and sorting cost milliseconds for occupations with hundreds of examples)."""

    def load() -> list[dict]:
        categories: dict[int, dict] = {}
        for r in ctx.db.all(
            "SELECT example, commodity_code, commodity_title, hot_technology, in_demand FROM technology_skills "
            "WHERE onetsoc_code = ?", (code,)
        ):
            if r["commodity_code"] not in categories:
                categories[r["commodity_code"]] = {
                    "code": r["commodity_code"],
                    "title": r["commodity_title"],
                    "related": f"/online/technology/categories/{r['commodity_code']}",
                    "example": [],
                }
            categories[r["commodity_code"]]["example"].append({
                "title": r["example"],
                "href": f"/online/technology/examples/{example_id(r['example'])}",
                "hot_technology": r["hot_technology"] == "Y",
                "in_demand": r["in_demand"] == "Y",
            })
        for cat in categories.values():
            cat["example"].sort(key=lambda e: (not e["in_demand"], not e["hot_technology"], e["title"].lower()))
        return sorted(categories.values(), key=lambda c: (
            -sum(e["hot_technology"] for e in c["example"]), -len(c["example"]), c["title"].lower()))

    return per_occupation(ctx, f"technology.{code}", load)


def _technology(ctx: Ctx, code: str, examples: int | None = None) -> list[dict]:
    """`_technology_paths`, at most `examples` per category."""
    categories = _technology_paths(ctx, code)
    return categories if examples is None else [{**c, "example": c["example"][:examples]} for c in categories]


def _hot(categories: list[dict]) -> list[dict]:
    return [e for cat in categories for e in cat["example"] if e["hot_technology"]]


def _hot_pointer(ctx: Ctx, code: str, categories: list[dict]) -> dict:
    total = per_occupation(ctx, f"hot_total.{code}", lambda: len({e["title"] for e in _hot(categories)}))
    return {"total": total, "href": f"/online/occupations/{code}/hot_technology"}


def technology_details(ctx: Ctx, code: str) -> Body:
    categories = _technology(ctx, code)
    return {"hot_technology": _hot_pointer(ctx, code, categories), "category": categories}


def technology_summary(ctx: Ctx, code: str) -> Body:
    return {"hot_technology": _hot_pointer(ctx, code, _technology_paths(ctx, code)),
            "category": _technology(ctx, code, SUMMARY_EXAMPLES)}


def tools_details(ctx: Ctx, code: str) -> Body:
    categories: dict[int, dict] = {}
    for r in ctx.db.all("SELECT example, commodity_code, commodity_title FROM tools_used WHERE onetsoc_code = ?",
                        (code,)):
        cat = categories.setdefault(r["commodity_code"],
                                    {"code": r["commodity_code"], "title": r["commodity_title"], "example": []})
        cat["example"].append({"title": r["example"]})
    for cat in categories.values():
        cat["example"].sort(key=lambda e: e["title"].lower())
    return {"category": sorted(categories.values(), key=lambda c: (-len(c["example"]), c["title"].lower()))}


def hot_technology(ctx: Ctx, code: str) -> dict:
    """`/online/occupations/{code}/hot_technology`: the occupation's hot technologies (Hot Technology = Y), in
    demand first, then by title; each once even when listed under two categories. `percentage` (share of job
    postings) is not in the release files and is left out rather than invented."""
    common.require_occupation(ctx, code)
    seen: dict[str, dict] = {}
    for e in _hot(_technology(ctx, code)):
        prev = seen.get(e["title"])
        seen[e["title"]] = {**e, "in_demand": e["in_demand"] or bool(prev and prev["in_demand"])}
    items = sorted(seen.values(), key=lambda e: (not e["in_demand"], e["title"].lower()))
    return absolute(ctx, ctx.paginate(items, "example", PAGE_SIZE))
