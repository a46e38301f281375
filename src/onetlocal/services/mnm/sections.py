"""Career report sections built on O*NET descriptors: knowledge, skills, abilities, personality, technology, education.

My Next Move shows a short plain-language digest of the O*NET ratings; its reworded element names ("thinking about
the pros and cons ...") are not in the release files, so elements carry their Content Model names. Decisions:
- knowledge / skills / abilities: the elements rated important — importance (IM) >= 3.0, i.e. >= 50 on 0–100 as
  O*NET OnLine's summary — at most the 10 most important (the 5 most important when none reaches 3.0); rows flagged
  Recommend Suppress are left out. They are grouped under their Content Model ancestor as the v1 record groups
  them: knowledge by category (`2.C.1` Business and Management; an element that is itself a category, `2.C.6`
  Education and Training, is its own group), skills `2.A` Basic Skills as one group and cross-functional skills by
  category (`2.B.1` Social Skills ...), abilities by sub-category (`1.A.1.a` Verbal Abilities). Groups come in
  the order of their most important element; elements by importance. The body is a bare array (spec §7).
- personality: `top_interest` = the first interest high point (Interests IH; the highest OI rating when there is
  none) with its Content Model description; `work_styles` = the styles ranked distinctive (Work Styles DR, rank
  order), or the 5 with the highest impact (WI) when none is ranked.
- technology: the categories holding a Hot Technology (the 10 with the most hot examples, then most examples), or
  the 10 largest categories when none is hot; each with at most 5 examples, hot ones first, then in-demand, then by
  name; `hot_technology` is always a boolean. Not served on Mi Próximo Paso (spec §3).
- education: `job_zone` (Job Zone Reference: code, title, education, related_experience, job_training,
  job_zone_examples, svp_range) and `education_usually_needed`: the Required Level of Education (RL) categories
  reported by at least 25 % of respondents, most reported first (the most reported one when none reaches 25 %),
  as the lower-case category name without its explanation ("master's degree", "high school diploma").
- Absent data (one rule for every career report body, docs/compatibility.md "Absent data"): a key of the shape is
  always there — `null` for a missing object or value (`top_interest`, `job_zone`), `[]` for a missing list
  (`work_styles` on 32 careers of O*NET 30.1, `education_usually_needed` on 45); a section with none of its data
  at all is 422, as before.
"""

from __future__ import annotations

from typing import Any

from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services.mnm import Site
from onetlocal.services.mnm.language import mark, mark_all
from onetlocal.sql import quote

NO_DATA = "no data available for this section"
IMPORTANT = 50  # 0–100 (IM 3.0)
MOST, FALLBACK = 10, 5
TECH_CATEGORIES, TECH_EXAMPLES = 10, 5
EDUCATION_SHARE = 25.0

#: descriptor section -> its release table
DESCRIPTORS = {"knowledge": "knowledge", "skills": "skills", "abilities": "abilities"}


def no_data(name: str, code: str) -> InvalidParameter:
    return InvalidParameter(f"{NO_DATA}: {name} for {code}")


def _elements(ctx: Ctx) -> dict[str, dict]:
    return ctx.db.memo(
        "mnm.content_model",
        lambda: {
            r["element_id"]: r
            for r in ctx.db.all("SELECT element_id, element_name, description FROM content_model_reference")
        },
    )


def _group_id(section: str, element_id: str) -> str:
    parts = element_id.split(".")
    if section == "skills" and parts[:2] == ["2", "A"]:
        depth = 2
    else:
        depth = 4 if section == "abilities" else 3
    return ".".join(parts[:depth])


def descriptors(ctx: Ctx, site: Site, name: str, code: str) -> list[dict]:
    """`[{id, name, element: [{id, name}]}]`: the important elements grouped (rules in the module docstring)."""
    table = DESCRIPTORS[name]
    if not ctx.db.table_exists(table):
        raise no_data(name, code)
    bounds = common.scales(ctx).get("IM", (1.0, 5.0))
    rows = ctx.db.all(
        f"SELECT element_id, element_name, data_value FROM {quote(table)} WHERE onetsoc_code = ? "
        "AND scale_id = 'IM' AND coalesce(recommend_suppress, '') != 'Y' "
        "ORDER BY data_value DESC, element_id",
        (code,),
    )
    if not rows:
        raise no_data(name, code)
    chosen = [r for r in rows if (common.scaled(r["data_value"], *bounds) or 0) >= IMPORTANT][:MOST] or rows[:FALLBACK]
    elements = _elements(ctx)
    groups: dict[str, dict] = {}
    for r in chosen:
        group_id = _group_id(name, r["element_id"])
        group = groups.get(group_id)
        if group is None:
            ref = elements.get(group_id) or {}
            group = groups[group_id] = mark(
                site, {"id": group_id, "name": ref.get("element_name", r["element_name"]), "element": []}
            )
        group["element"].append(mark(site, {"id": r["element_id"], "name": r["element_name"]}))
    return list(groups.values())


def personality(ctx: Ctx, site: Site, code: str) -> dict[str, Any]:
    """`{top_interest: {id, name, description} | null, work_styles: [{id, name}]}`; 422 when both are empty."""
    elements = _elements(ctx)
    body: dict[str, Any] = {"top_interest": None, "work_styles": []}
    rows = ctx.db.all(
        "SELECT element_id, element_name, scale_id, data_value FROM interests WHERE onetsoc_code = ? "
        "AND scale_id IN ('OI', 'IH') ORDER BY element_id",
        (code,),
    )
    rated = [r for r in rows if r["scale_id"] == "OI"]
    first = next((r for r in rows if r["scale_id"] == "IH"), None)
    position = int(first["data_value"] or 0) if first else 0
    top = (
        rated[position - 1]
        if 1 <= position <= len(rated)
        else max(rated, key=lambda r: r["data_value"] or 0, default=None)
    )
    if top is not None:
        ref = elements.get(top["element_id"]) or {}
        body["top_interest"] = mark(
            site, {"id": top["element_id"], "name": top["element_name"], "description": ref.get("description", "")}
        )
    styles: dict[str, dict] = {}
    for r in ctx.db.all(
        "SELECT element_id, element_name, scale_id, data_value FROM work_styles "
        "WHERE onetsoc_code = ? AND scale_id IN ('WI', 'DR')",
        (code,),
    ):
        item = styles.setdefault(r["element_id"], {"id": r["element_id"], "name": r["element_name"]})
        item[r["scale_id"]] = r["data_value"] or 0
    ranked = sorted((s for s in styles.values() if s.get("DR", 0) > 0), key=lambda s: (s["DR"], s["id"]))
    chosen = ranked or sorted(styles.values(), key=lambda s: (-s.get("WI", 0), s["id"]))[:FALLBACK]
    body["work_styles"] = mark_all(site, [{"id": s["id"], "name": s["name"]} for s in chosen])
    if body["top_interest"] is None and not body["work_styles"]:
        raise no_data("personality", code)
    return body


def technology(ctx: Ctx, site: Site, code: str) -> dict[str, Any]:
    """`{category: [{title, example: [{name, hot_technology}]}]}` (categories: UNSPSC commodities up to O*NET 30.2,
    Software Skills elements from 30.3, titled with their names)."""
    categories: dict[int | str, dict] = {}
    for r in ctx.db.all(
        "SELECT example, commodity_code, commodity_title, hot_technology, in_demand "
        "FROM technology_skills WHERE onetsoc_code = ?",
        (code,),
    ):
        cat = categories.setdefault(r["commodity_code"], {"title": r["commodity_title"], "examples": []})
        cat["examples"].append((r["hot_technology"] != "Y", r["in_demand"] != "Y", r["example"].lower(), r["example"]))
    if not categories:
        raise no_data("technology", code)
    ordered = sorted(
        categories.values(),
        key=lambda c: (-sum(not e[0] for e in c["examples"]), -len(c["examples"]), c["title"].lower()),
    )
    hot = [c for c in ordered if any(not e[0] for e in c["examples"])]
    out = []
    for cat in (hot or ordered)[:TECH_CATEGORIES]:
        examples = [{"name": e[3], "hot_technology": not e[0]} for e in sorted(cat["examples"])[:TECH_EXAMPLES]]
        out.append(mark(site, {"title": cat["title"], "example": mark_all(site, examples)}))
    return {"category": out}


def _education_label(description: str) -> str:
    return description.split(" - ", 1)[0].split(" (", 1)[0].strip().lower()


def education(ctx: Ctx, site: Site, code: str) -> dict[str, Any]:
    """`{job_zone: {...} | null, education_usually_needed: [str]}`; 422 when both are empty."""
    body: dict[str, Any] = {"job_zone": None, "education_usually_needed": []}
    zone = ctx.db.one(
        "SELECT r.* FROM job_zones z JOIN job_zone_reference r ON r.job_zone = z.job_zone WHERE z.onetsoc_code = ?",
        (code,),
    )
    if zone:
        body["job_zone"] = mark(
            site,
            {
                "code": zone["job_zone"],
                "title": zone["name"],
                "education": zone["education"],
                "related_experience": zone["experience"],
                "job_training": zone["job_training"],
                "job_zone_examples": zone["examples"],
                "svp_range": zone["svp_range"],
            },
        )
    rows = ctx.db.all(
        "SELECT e.category, e.data_value, c.category_description FROM education_training_experience e "
        "JOIN ete_categories c ON c.scale_id = 'RL' AND c.category = e.category "
        "WHERE e.onetsoc_code = ? AND e.scale_id = 'RL' AND e.data_value > 0 "
        "ORDER BY e.data_value DESC, e.category",
        (code,),
    )
    if rows:
        chosen = [r for r in rows if r["data_value"] >= EDUCATION_SHARE] or rows[:1]
        body["education_usually_needed"] = [_education_label(r["category_description"]) for r in chosen]
    if body["job_zone"] is None and not body["education_usually_needed"]:
        raise no_data("education", code)
    return body
