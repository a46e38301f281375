"""Sections of rated Content Model elements: knowledge, skills, abilities, work activities (IM/LV), work context
(CX/CT + response distribution), interests (OI + high point), work values (EX + high point), work styles (WI/DR).

Every element item is `{id, related, name, description, <ratings>}` (the order of the v2 client fixture in
evidence.md Part 1 §4: `{"id":"2.A.1.a","related":…,"name":…,"description":…,"importance":75}`), in details and
summary alike. `related` links to the O*NET data browse of that descriptor, `/online/onet_data/{section}/{id}`
(evidence.md Part 2 §5: "skills `related` links point at `online/onet_data/skills/{id}`"; the other sections by
the same pattern); interests link by their RIASEC letter, `/online/onet_data/interests/R`, the only form of
that route seen live (evidence.md Part 2 §6). The route is `services/onet_data.py`.
"""

from __future__ import annotations

from onetlocal import urls
from onetlocal.context import Ctx
from onetlocal.services.reports.base import (
    SUMMARY_TOP,
    Body,
    Builder,
    elements,
    per_occupation,
    percent,
    scale,
    top,
    without,
)
from onetlocal.sql import quote


def related(family: str, element_id: str, name: str) -> str:
    """The site-relative `related` link of an element of `family` (see the module docstring)."""
    if family == "interests" and name:
        return urls.path(urls.ONET_DATA, section=family, element_id=name[0].upper())
    return urls.path(urls.ONET_DATA, section=family, element_id=element_id)


def element(ctx: Ctx, family: str, element_id: str, name: str) -> dict:
    ref = elements(ctx).get(element_id)
    return {
        "id": element_id,
        "related": related(family, element_id, name),
        "name": name,
        "description": ref["description"] if ref else "",
    }


# -- knowledge, skills, abilities, work activities -----------------------------------------------------------


def ratings(ctx: Ctx, table: str, code: str) -> list[dict]:
    """Every element rated for `code` with importance (IM) and level (LV) on 0–100, importance desc.
    Built once per occupation and table (site-relative links; shared between requests, read-only)."""

    def load() -> list[dict]:
        by_id: dict[str, dict] = {}
        for r in ctx.db.all(
            f"SELECT element_id, element_name, scale_id, data_value FROM {quote(table)} "
            "WHERE onetsoc_code = ? AND scale_id IN ('IM', 'LV')",
            (code,),
        ):
            item = by_id.setdefault(r["element_id"], element(ctx, table, r["element_id"], r["element_name"]))
            item["importance" if r["scale_id"] == "IM" else "level"] = scale(ctx, r["scale_id"], r["data_value"])
        items = [{**i, "importance": i.get("importance"), "level": i.get("level")} for i in by_id.values()]
        items.sort(key=lambda i: (-(i["importance"] or 0), -(i["level"] or 0), i["id"]))
        return items

    return per_occupation(ctx, f"ratings.{table}.{code}", load)


def rated(table: str) -> tuple[Builder, Builder]:
    """(details, summary) builders of a section rated on IM/LV."""

    def details(ctx: Ctx, code: str) -> Body:
        return {"element": ratings(ctx, table, code)}

    def summary(ctx: Ctx, code: str) -> Body:
        return {"element": without(top(ratings(ctx, table, code), "importance"), "importance", "level")}

    return details, summary


# -- work context ----------------------------------------------------------------------------------------

_CONTEXT_PERCENT = {"CX": "CXP", "CT": "CTP"}


def _context_categories(ctx: Ctx) -> dict[tuple, str]:
    return ctx.db.memo(
        "reports.context_categories",
        lambda: {
            (r["element_id"], r["scale_id"], r["category"]): r["category_description"]
            for r in ctx.db.all(
                "SELECT element_id, scale_id, category, category_description FROM work_context_categories"
            )
        },
    )


def _context(ctx: Ctx, code: str) -> list[dict]:
    labels = _context_categories(ctx)
    by_id: dict[str, dict] = {}
    shares: dict[str, list] = {}
    for r in ctx.db.all(
        "SELECT element_id, element_name, scale_id, category, data_value FROM work_context "
        "WHERE onetsoc_code = ? ORDER BY element_id, scale_id, category",
        (code,),
    ):
        item = by_id.setdefault(r["element_id"], element(ctx, "work_context", r["element_id"], r["element_name"]))
        if r["scale_id"] in _CONTEXT_PERCENT:
            item["context"] = scale(ctx, r["scale_id"], r["data_value"])
        elif r["category"] is not None and r["scale_id"] in _CONTEXT_PERCENT.values():
            shares.setdefault(r["element_id"], []).append(
                {
                    "description": labels.get((r["element_id"], r["scale_id"], r["category"]), str(r["category"])),
                    "percentage_of_respondents": percent(r["data_value"]),
                }
            )
    items = [{**i, "context": i.get("context"), "response": shares.get(i["id"], [])} for i in by_id.values()]
    items.sort(key=lambda i: (-(i["context"] or 0), i["id"]))
    return items


def context_details(ctx: Ctx, code: str) -> Body:
    return {"element": _context(ctx, code)}


def context_summary(ctx: Ctx, code: str) -> Body:
    items = top(_context(ctx, code), "context")
    for item in items:
        best = max(item["response"], key=lambda r: r["percentage_of_respondents"] or 0, default=None)
        item["response"] = [best] if best else []
    return {"element": without(items, "context")}


# -- interests, work values ------------------------------------------------------------------------------


def _profile(ctx: Ctx, table: str, code: str, scale_id: str, key: str, high_scale: str) -> Body:
    """Elements rated on `scale_id` (as `key`, 0–100, desc) and the high-point elements: each high-point row's
    value is the 1-based position of an element among the rated ones in id order (0 = none)."""
    rows = ctx.db.all(
        f"SELECT element_id, element_name, scale_id, data_value FROM {quote(table)} "
        "WHERE onetsoc_code = ? AND scale_id IN (?, ?) ORDER BY element_id",
        (code, scale_id, high_scale),
    )
    rated_rows = [r for r in rows if r["scale_id"] == scale_id]
    items = [
        {**element(ctx, table, r["element_id"], r["element_name"]), key: scale(ctx, scale_id, r["data_value"])}
        for r in rated_rows
    ]
    high = []
    for r in rows:
        position = int(r["data_value"] or 0) if r["scale_id"] == high_scale else 0
        if 1 <= position <= len(rated_rows):
            chosen = rated_rows[position - 1]
            high.append({"id": chosen["element_id"], "name": chosen["element_name"]})
    items.sort(key=lambda i: (-(i[key] or 0), i["id"]))
    return {"element": items, "high_point": high}


def interests_details(ctx: Ctx, code: str) -> Body:
    body = _profile(ctx, "interests", code, "OI", "occupational_interest", "IH")
    body["high_point_code"] = "".join(h["name"][0] for h in body["high_point"])
    return body


def interests_summary(ctx: Ctx, code: str) -> Body:
    return _high_point_summary(interests_details(ctx, code), "occupational_interest")


def values_details(ctx: Ctx, code: str) -> Body:
    return _profile(ctx, "work_values", code, "EX", "extent", "VH")


def values_summary(ctx: Ctx, code: str) -> Body:
    return _high_point_summary(values_details(ctx, code), "extent")


def _high_point_summary(body: Body, key: str) -> Body:
    by_id = {i["id"]: i for i in body["element"]}
    chosen = [by_id[h["id"]] for h in body["high_point"] if h["id"] in by_id] or body["element"][:1]
    return {**body, "element": without(chosen, key)}


# -- work styles -----------------------------------------------------------------------------------------


def _styles(ctx: Ctx, code: str) -> list[dict]:
    by_id: dict[str, dict] = {}
    for r in ctx.db.all(
        "SELECT element_id, element_name, scale_id, data_value FROM work_styles "
        "WHERE onetsoc_code = ? AND scale_id IN ('WI', 'DR')",
        (code,),
    ):
        item = by_id.setdefault(
            r["element_id"], {**element(ctx, "work_styles", r["element_id"], r["element_name"]), "importance": None}
        )
        if r["scale_id"] == "WI":
            item["importance"] = scale(ctx, "WI", r["data_value"])
        elif r["data_value"]:
            item["distinctiveness_rank"] = int(r["data_value"])
    items = list(by_id.values())
    items.sort(key=lambda i: (-(i["importance"] or 0), i["id"]))
    return items


def styles_details(ctx: Ctx, code: str) -> Body:
    return {"element": _styles(ctx, code)}


def styles_summary(ctx: Ctx, code: str) -> Body:
    items = _styles(ctx, code)
    ranked = sorted((i for i in items if "distinctiveness_rank" in i), key=lambda i: i["distinctiveness_rank"])
    return {"element": without(ranked or items[:SUMMARY_TOP], "importance")}
