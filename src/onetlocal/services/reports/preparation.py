"""Sections about entering the occupation and where it leads: `job_zone`, `education`, `related_occupations`,
`military`."""

from __future__ import annotations

from typing import Any

from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services.reports.base import NO_DATA, SUMMARY_EDUCATION, SUMMARY_TOP, Body, percent


def job_zone(ctx: Ctx, code: str) -> Body:
    row = ctx.db.one(
        "SELECT z.job_zone, r.name, r.education, r.experience, r.job_training, r.examples, r.svp_range "
        "FROM job_zones z JOIN job_zone_reference r ON r.job_zone = z.job_zone WHERE z.onetsoc_code = ?",
        (code,),
    )
    if row is None:
        raise InvalidParameter(f"{NO_DATA}: job_zone for {code}")
    return {
        "code": row["job_zone"],
        "title": row["name"],
        "education": row["education"],
        "related_experience": row["experience"],
        "job_training": row["job_training"],
        "job_zone_examples": row["examples"],
        "svp_range": row["svp_range"],
    }


def _ete_labels(ctx: Ctx) -> dict[int, str]:
    return ctx.db.memo(
        "reports.ete_rl",
        lambda: {
            r["category"]: r["category_description"]
            for r in ctx.db.all("SELECT category, category_description FROM ete_categories WHERE scale_id = 'RL'")
        },
    )


def education_details(ctx: Ctx, code: str) -> Body:
    labels = _ete_labels(ctx)
    rows = ctx.db.all(
        "SELECT category, data_value FROM education_training_experience "
        "WHERE onetsoc_code = ? AND scale_id = 'RL' AND data_value > 0",
        (code,),
    )
    rows.sort(key=lambda r: (-r["data_value"], r["category"]))
    response = []
    for r in rows:
        text = labels.get(r["category"], "")
        title = text.split(" - ", 1)[0].strip()
        item: dict[str, Any] = {"code": r["category"], "title": title}
        if text != title:
            item["description"] = text
        item["percentage_of_respondents"] = percent(r["data_value"])
        response.append(item)
    return {"response": response}


def education_summary(ctx: Ctx, code: str) -> Body:
    return {"response": education_details(ctx, code)["response"][:SUMMARY_EDUCATION]}


# -- related occupations, military -------------------------------------------------------------------------


def _related(ctx: Ctx, code: str) -> list[dict]:
    known = common.occupations(ctx)
    return [
        {**common.occupation_item(ctx, r["related_onetsoc_code"]), "tier": r["relatedness_tier"]}
        for r in ctx.db.all(
            "SELECT related_onetsoc_code, relatedness_tier FROM related_occupations "
            "WHERE onetsoc_code = ? ORDER BY related_index",
            (code,),
        )
        if r["related_onetsoc_code"] in known
    ]


def related_details(ctx: Ctx, code: str) -> Body:
    return {"occupation": _related(ctx, code)}


def related_summary(ctx: Ctx, code: str) -> Body:
    items = _related(ctx, code)
    return {"occupation": [i for i in items if i["tier"] == "Primary-Short"] or items[:SUMMARY_TOP]}


def military_details(ctx: Ctx, code: str) -> Body:
    """Active military occupations (status A) crosswalked to `code`: `match: [{code, title, branch?}]`,
    by branch then code (obsolete codes are history, not careers to match)."""
    rows = ctx.db.all(
        "SELECT DISTINCT moc AS code, moc_title AS title, branch FROM military_crosswalk"
        " WHERE onetsoc_code = ? AND status = 'A' ORDER BY coalesce(branch, 'zzz'), moc",
        (code,),
    )
    return {"match": [{k: v for k, v in r.items() if v is not None} for r in rows]}


def no_source(ctx: Ctx, code: str) -> Body:  # never called: `codes` is empty, so the service answers 422
    raise InvalidParameter(NO_DATA)
