"""Occupation reports: `summary/{section}`, `details/{section}`, custom reports and hot technologies.

Every section is one row of `SECTIONS` (title, details builder, summary builder, which occupations have data,
list key, dated source table), so adding a section is adding a row. A builder returns the whole unpaged body;
`summary()`/`details()` page the list under `list_key` (default 10 rows, spec §7), `custom()` keeps it whole.

Decisions where the spec is silent or INFERRED:
- Summary vs details (spec §7): details list every rated item with `importance` (and `level`) on 0–100,
  ordered by importance desc, then level desc, then id. Summary lists the items O*NET OnLine shows by default —
  importance >= 50 (IM >= 3.0, "important"), or the 5 most important when none reaches 50 — *without* ratings
  ("summary has no importance"), in the same order.
- tasks: Task Ratings scale IM gives `importance` when present; without it (this data set) tasks are listed
  without importance, Core first, then by Incumbents Responding desc. Emerging Tasks of category "New" follow as
  category "New" without importance; they have no task id in the release, so they carry no `id`/`related`
  (none is invented). "Revision" rows reword a task already listed and are left out. Summary: the Core tasks
  (all tasks when there are none), `{id, title, related}` only.
- technology_skills: categories ordered by hot-technology count, example count (desc), then title; examples
  in demand first, then hot, then by title; `hot_technology`/`in_demand` are always booleans. Category `related`
  and example `href` link to this server's technology search routes. Summary keeps the first 5 examples per
  category. tools_used has no summary (as in O*NET OnLine): `summary/tools_used` answers 422.
- detailed_work_activities: ordered by the number of the occupation's tasks linked (desc), then title; `related`
  links to the related-activities results for that activity. Summary: the activities linked to a Core task.
- work_context (when the table is present): `context` = CX/CT on 0–100, `response` = the CXP/CTP distribution
  in category order with Work Context Categories wording. Summary: context >= 50 (or the top 5) with only the
  most chosen response, as O*NET OnLine prints "NN% responded: ...".
- education: Required Level of Education (scale RL) categories with a non-zero share, by share desc; the
  `title` is the category text before " - " (the full text is in `description` when longer); percentages are
  rounded half up. Summary: the 3 most reported. Not paged.
- interests: `occupational_interest` = OI on 0–100, plus `high_point` (the IH elements) and
  `high_point_code` ("ICR"). work_values: `extent` = EX on 0–100 (v2 names the value after its scale, as
  `occupational_interest`), plus `high_point`. Summaries list the high-point elements in rank order.
- work_styles (O*NET 30.x): `importance` = Work Styles Impact (WI, -3..3) on 0–100 — the rating of how much the
  style matters; `distinctiveness_rank` (DR 1..10, 1 = most distinctive) when ranked. Summary: the ranked
  styles by rank (the 5 highest impact when none is ranked).
- related_occupations: by Index, each with its `tier`; summary: the Primary-Short tier.
- military: from a `military_crosswalk` table (supplementary import) when present. apprenticeship,
  professional_associations and career_summaries have no source in this build: always 422 "no data".
- An unknown section name is 422 (like any bad parameter), not 404: the path exists, the value is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from onetlocal.ingest.tables import quote
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services.technology import example_id

#: Default rows per page for report sections (spec §7).
PAGE_SIZE = 10
#: Summary threshold on the 0–100 scale, and how many top items a summary keeps when none reaches it.
SUMMARY_MIN = 50
SUMMARY_TOP = 5
SUMMARY_EXAMPLES = 5
SUMMARY_EDUCATION = 3
NO_DATA = "no data available for this section"

Body = dict[str, Any]
Builder = Callable[[Ctx, str], Body]


@dataclass(frozen=True)
class Section:
    title: str
    details: Builder
    summary: Builder | None  # None: details only (tools_used)
    codes: Callable[[Ctx], frozenset[str]]  # the occupations with data for this section
    list_key: str | None = None  # the paged list; None: a plain object (job_zone, education)
    table: str | None = None  # the release table whose dates/sources feed the overview's `updated`
    missing: str | None = None  # why there is never data (source not in this build)


# -- shared lookups (memoised per database file) ---------------------------------------------------------


def _codes_in(table: str, where: str = "") -> Callable[[Ctx], frozenset[str]]:
    """Occupations with rows in `table` (one scan, memoised); an absent table has none."""

    def codes(ctx: Ctx) -> frozenset[str]:
        def load() -> frozenset[str]:
            columns = {r["name"] for r in ctx.db.all("SELECT name FROM pragma_table_info(?)", (table,))}
            if "onetsoc_code" not in columns:  # table absent (not imported) or not per occupation
                return frozenset()
            sql = f"SELECT DISTINCT onetsoc_code FROM {quote(table)} {where}"
            return frozenset(r["onetsoc_code"] for r in ctx.db.all(sql))

        return ctx.db.memo(f"reports.codes.{table}.{where}", load)

    return codes


def _union(*fns: Callable[[Ctx], frozenset[str]]) -> Callable[[Ctx], frozenset[str]]:
    return lambda ctx: frozenset().union(*(f(ctx) for f in fns))


def _none(ctx: Ctx) -> frozenset[str]:
    return frozenset()


def _elements(ctx: Ctx) -> dict[str, dict]:
    """Content Model element id -> {name, description}."""
    return ctx.db.memo("reports.elements", lambda: {
        r["element_id"]: r for r in ctx.db.all("SELECT element_id, element_name, description FROM content_model_reference")
    })


def _scale(ctx: Ctx, scale_id: str, value: float | None) -> int | None:
    bounds = common.scales(ctx).get(scale_id)
    return common.scaled(value, *bounds) if bounds and value is not None else None


def _element(ctx: Ctx, element_id: str, name: str) -> dict:
    ref = _elements(ctx).get(element_id)
    return {"id": element_id, "name": name, "description": ref["description"] if ref else ""}


def _top(items: list[dict], key: str, minimum: int = SUMMARY_MIN, top: int = SUMMARY_TOP) -> list[dict]:
    """The items rated >= minimum, or the `top` best when none is (items already ordered best first)."""
    kept = [i for i in items if (i.get(key) or 0) >= minimum]
    return kept or items[:top]


def _without(items: list[dict], *keys: str) -> list[dict]:
    return [{k: v for k, v in i.items() if k not in keys} for i in items]


# -- rated descriptors: knowledge, skills, abilities, work activities ---------------------------------------


def _ratings(ctx: Ctx, table: str, code: str) -> list[dict]:
    """Every element rated for `code` with importance (IM) and level (LV) on 0–100, importance desc.
    Built once per occupation and table (no links in it, so the same list serves every request; read-only)."""

    def load() -> list[dict]:
        by_id: dict[str, dict] = {}
        for r in ctx.db.all(
            f"SELECT element_id, element_name, scale_id, data_value FROM {quote(table)} "
            "WHERE onetsoc_code = ? AND scale_id IN ('IM', 'LV')", (code,)
        ):
            item = by_id.setdefault(r["element_id"], _element(ctx, r["element_id"], r["element_name"]))
            item["importance" if r["scale_id"] == "IM" else "level"] = _scale(ctx, r["scale_id"], r["data_value"])
        items = [{**i, "importance": i.get("importance"), "level": i.get("level")} for i in by_id.values()]
        items.sort(key=lambda i: (-(i["importance"] or 0), -(i["level"] or 0), i["id"]))
        return items

    return ctx.db.memo(f"reports.ratings.{table}.{code}", load)


def _rated(table: str) -> tuple[Builder, Builder]:
    def details(ctx: Ctx, code: str) -> Body:
        return {"element": _ratings(ctx, table, code)}

    def summary(ctx: Ctx, code: str) -> Body:
        return {"element": _without(_top(_ratings(ctx, table, code), "importance"), "importance", "level")}

    return details, summary


# -- tasks ------------------------------------------------------------------------------------------------


_rated_tasks = _codes_in("task_ratings")


def _tasks(ctx: Ctx, code: str) -> list[dict]:
    """The occupation's tasks in report order, with site-relative links; built once per occupation."""
    return ctx.db.memo(f"reports.tasks.{code}", lambda: _load_tasks(ctx, code))


def _load_tasks(ctx: Ctx, code: str) -> list[dict]:
    rows = ctx.db.all(
        "SELECT task_id, task, task_type, incumbents_responding FROM task_statements WHERE onetsoc_code = ?", (code,)
    )
    importance = {
        r["task_id"]: _scale(ctx, "IM", r["data_value"])
        for r in ctx.db.all("SELECT task_id, data_value FROM task_ratings WHERE onetsoc_code = ? AND scale_id = 'IM'",
                            (code,))
    } if code in _rated_tasks(ctx) else {}
    tasks = []
    for r in rows:
        task: dict[str, Any] = {"id": r["task_id"], "title": r["task"]}
        if r["task_id"] in importance:
            task["importance"] = importance[r["task_id"]]
        if r["task_type"]:
            task["category"] = r["task_type"]
        task["related"] = f"/online/occupations/{code}/related/tasks/{r['task_id']}"
        tasks.append((r, task))
    if importance:
        tasks.sort(key=lambda p: (-(p[1].get("importance") or -1), p[0]["task_type"] != "Core", p[0]["task_id"]))
    else:
        tasks.sort(key=lambda p: (p[0]["task_type"] != "Core", -(p[0]["incumbents_responding"] or -1), p[0]["task_id"]))
    new = [{"title": r["task"], "category": "New"} for r in ctx.db.all(
        "SELECT task FROM emerging_tasks WHERE onetsoc_code = ? AND category = 'New' ORDER BY rowid", (code,))]
    return [t for _, t in tasks] + new


def tasks_details(ctx: Ctx, code: str) -> Body:
    return {"task": _tasks(ctx, code)}


def tasks_summary(ctx: Ctx, code: str) -> Body:
    rated = [t for t in _tasks(ctx, code) if "id" in t]
    core = [t for t in rated if t.get("category") == "Core"] or rated
    return {"task": [{"id": t["id"], "title": t["title"], "related": t["related"]} for t in core]}


# -- technology skills, tools used, hot technology ---------------------------------------------------------


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

    return ctx.db.memo(f"reports.technology.{code}", load)


def _technology(ctx: Ctx, code: str, examples: int | None = None) -> list[dict]:
    """`_technology_paths`, at most `examples` per category."""
    categories = _technology_paths(ctx, code)
    return categories if examples is None else [{**c, "example": c["example"][:examples]} for c in categories]


def _hot(categories: list[dict]) -> list[dict]:
    return [e for cat in categories for e in cat["example"] if e["hot_technology"]]


def _hot_pointer(ctx: Ctx, code: str, categories: list[dict]) -> dict:
    total = ctx.db.memo(f"reports.hot_total.{code}", lambda: len({e["title"] for e in _hot(categories)}))
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


def hot_technology(ctx: Ctx, code: str, page: Page) -> dict:
    """`/online/occupations/{code}/hot_technology`: the occupation's hot technologies (Hot Technology = Y), in
    demand first, then by title; each once even when listed under two categories. `percentage` (share of job
    postings) is not in the release files and is left out rather than invented."""
    common.require_occupation(ctx, code)
    seen: dict[str, dict] = {}
    for e in _hot(_technology(ctx, code)):
        prev = seen.get(e["title"])
        seen[e["title"]] = {**e, "in_demand": e["in_demand"] or bool(prev and prev["in_demand"])}
    items = sorted(seen.values(), key=lambda e: (not e["in_demand"], e["title"].lower()))
    return _absolute(ctx, ctx.paginate(page, items, "example"))


# -- detailed work activities ----------------------------------------------------------------------------


def _dwa_titles(ctx: Ctx) -> dict[str, str]:
    return ctx.db.memo("reports.dwa_titles", lambda: {
        r["dwa_id"]: r["dwa_title"] for r in ctx.db.all("SELECT dwa_id, dwa_title FROM dwa_reference")})


def _activities(ctx: Ctx, code: str) -> list[dict]:
    titles = _dwa_titles(ctx)
    rows = ctx.db.all(
        "SELECT d.dwa_id, count(DISTINCT d.task_id) AS tasks, max(t.task_type = 'Core') AS core "
        "FROM tasks_to_dwas d LEFT JOIN task_statements t ON t.onetsoc_code = d.onetsoc_code AND t.task_id = d.task_id "
        "WHERE d.onetsoc_code = ? GROUP BY d.dwa_id", (code,))
    rows.sort(key=lambda r: (-r["tasks"], titles.get(r["dwa_id"], "").lower()))
    return [{
        "id": r["dwa_id"],
        "title": titles.get(r["dwa_id"], ""),
        "related": ctx.href(f"/online/related_activities/results/{code}", activities=r["dwa_id"]),
        "_core": bool(r["core"]),
    } for r in rows]


def dwa_details(ctx: Ctx, code: str) -> Body:
    return {"activity": _without(_activities(ctx, code), "_core")}


def dwa_summary(ctx: Ctx, code: str) -> Body:
    items = _activities(ctx, code)
    return {"activity": _without([a for a in items if a["_core"]] or items, "_core")}


# -- work context ----------------------------------------------------------------------------------------

_CONTEXT_PERCENT = {"CX": "CXP", "CT": "CTP"}


def _context_categories(ctx: Ctx) -> dict[tuple, str]:
    return ctx.db.memo("reports.context_categories", lambda: {
        (r["element_id"], r["scale_id"], r["category"]): r["category_description"]
        for r in ctx.db.all("SELECT element_id, scale_id, category, category_description FROM work_context_categories")
    })


def _context(ctx: Ctx, code: str) -> list[dict]:
    labels = _context_categories(ctx)
    by_id: dict[str, dict] = {}
    shares: dict[str, list] = {}
    for r in ctx.db.all("SELECT element_id, element_name, scale_id, category, data_value FROM work_context "
                        "WHERE onetsoc_code = ? ORDER BY element_id, scale_id, category", (code,)):
        item = by_id.setdefault(r["element_id"], _element(ctx, r["element_id"], r["element_name"]))
        if r["scale_id"] in _CONTEXT_PERCENT:
            item["context"] = _scale(ctx, r["scale_id"], r["data_value"])
        elif r["category"] is not None and r["scale_id"] in _CONTEXT_PERCENT.values():
            shares.setdefault(r["element_id"], []).append({
                "description": labels.get((r["element_id"], r["scale_id"], r["category"]), str(r["category"])),
                "percentage_of_respondents": _percent(r["data_value"]),
            })
    items = [{**i, "context": i.get("context"), "response": shares.get(i["id"], [])} for i in by_id.values()]
    items.sort(key=lambda i: (-(i["context"] or 0), i["id"]))
    return items


def context_details(ctx: Ctx, code: str) -> Body:
    return {"element": _context(ctx, code)}


def context_summary(ctx: Ctx, code: str) -> Body:
    items = _top(_context(ctx, code), "context")
    for item in items:
        best = max(item["response"], key=lambda r: r["percentage_of_respondents"] or 0, default=None)
        item["response"] = [best] if best else []
    return {"element": _without(items, "context")}


# -- job zone, education --------------------------------------------------------------------------------


def _percent(value: float | None) -> int | None:
    """A share in percent, rounded half up (a percentage, not a rating: not truncated)."""
    return None if value is None else math.floor(value + 0.5)


def job_zone(ctx: Ctx, code: str) -> Body:
    row = ctx.db.one(
        "SELECT z.job_zone, r.name, r.education, r.experience, r.job_training, r.examples, r.svp_range "
        "FROM job_zones z JOIN job_zone_reference r ON r.job_zone = z.job_zone WHERE z.onetsoc_code = ?", (code,))
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
    return ctx.db.memo("reports.ete_rl", lambda: {
        r["category"]: r["category_description"]
        for r in ctx.db.all("SELECT category, category_description FROM ete_categories WHERE scale_id = 'RL'")})


def education_details(ctx: Ctx, code: str) -> Body:
    labels = _ete_labels(ctx)
    rows = ctx.db.all("SELECT category, data_value FROM education_training_experience "
                      "WHERE onetsoc_code = ? AND scale_id = 'RL' AND data_value > 0", (code,))
    rows.sort(key=lambda r: (-r["data_value"], r["category"]))
    response = []
    for r in rows:
        text = labels.get(r["category"], "")
        title = text.split(" - ", 1)[0].strip()
        item: dict[str, Any] = {"code": r["category"], "title": title}
        if text != title:
            item["description"] = text
        item["percentage_of_respondents"] = _percent(r["data_value"])
        response.append(item)
    return {"response": response}


def education_summary(ctx: Ctx, code: str) -> Body:
    return {"response": education_details(ctx, code)["response"][:SUMMARY_EDUCATION]}


# -- interests, work values, work styles ---------------------------------------------------------------


def _profile(ctx: Ctx, table: str, code: str, scale_id: str, key: str, high_scale: str) -> Body:
    """Elements rated on `scale_id` (as `key`, 0–100, desc) and the high-point elements: each high-point row's
    value is the 1-based position of an element among the rated ones in id order (0 = none)."""
    rows = ctx.db.all(f"SELECT element_id, element_name, scale_id, data_value FROM {quote(table)} "
                      "WHERE onetsoc_code = ? AND scale_id IN (?, ?) ORDER BY element_id", (code, scale_id, high_scale))
    rated = [r for r in rows if r["scale_id"] == scale_id]
    items = [{**_element(ctx, r["element_id"], r["element_name"]), key: _scale(ctx, scale_id, r["data_value"])}
             for r in rated]
    high = []
    for r in rows:
        position = int(r["data_value"] or 0) if r["scale_id"] == high_scale else 0
        if 1 <= position <= len(rated):
            high.append({"id": rated[position - 1]["element_id"], "name": rated[position - 1]["element_name"]})
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
    return {**body, "element": _without(chosen, key)}


def _styles(ctx: Ctx, code: str) -> list[dict]:
    by_id: dict[str, dict] = {}
    for r in ctx.db.all("SELECT element_id, element_name, scale_id, data_value FROM work_styles "
                        "WHERE onetsoc_code = ? AND scale_id IN ('WI', 'DR')", (code,)):
        item = by_id.setdefault(r["element_id"], {**_element(ctx, r["element_id"], r["element_name"]),
                                                  "importance": None})
        if r["scale_id"] == "WI":
            item["importance"] = _scale(ctx, "WI", r["data_value"])
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
    return {"element": _without(ranked or items[:SUMMARY_TOP], "importance")}


# -- related occupations, military -------------------------------------------------------------------------


def _related(ctx: Ctx, code: str) -> list[dict]:
    known = common.occupations(ctx)
    return [
        {**common.occupation_item(ctx, r["related_onetsoc_code"]), "tier": r["relatedness_tier"]}
        for r in ctx.db.all("SELECT related_onetsoc_code, relatedness_tier FROM related_occupations "
                            "WHERE onetsoc_code = ? ORDER BY related_index", (code,))
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
        " WHERE onetsoc_code = ? AND status = 'A' ORDER BY coalesce(branch, 'zzz'), moc", (code,))
    return {"match": [{k: v for k, v in r.items() if v is not None} for r in rows]}


def _no_source(ctx: Ctx, code: str) -> Body:  # never called: `codes` is empty, so the service answers 422
    raise InvalidParameter(NO_DATA)


# -- the section table -----------------------------------------------------------------------------------

_knowledge, _knowledge_summary = _rated("knowledge")
_skills, _skills_summary = _rated("skills")
_abilities, _abilities_summary = _rated("abilities")
_activities_d, _activities_summary = _rated("work_activities")

SECTIONS: dict[str, Section] = {
    "tasks": Section("Tasks", tasks_details, tasks_summary,
                     _union(_codes_in("task_statements"), _codes_in("emerging_tasks", "WHERE category = 'New'")),
                     "task", "task_statements"),
    "technology_skills": Section("Technology Skills", technology_details, technology_summary,
                                 _codes_in("technology_skills"), "category"),
    "tools_used": Section("Tools Used", tools_details, None, _codes_in("tools_used"), "category"),
    "work_activities": Section("Work Activities", _activities_d, _activities_summary,
                               _codes_in("work_activities"), "element", "work_activities"),
    "detailed_work_activities": Section("Detailed Work Activities", dwa_details, dwa_summary,
                                        _codes_in("tasks_to_dwas"), "activity", "tasks_to_dwas"),
    "work_context": Section("Work Context", context_details, context_summary, _codes_in("work_context"),
                            "element", "work_context"),
    "job_zone": Section("Job Zone", job_zone, job_zone, _codes_in("job_zones"), None, "job_zones"),
    "apprenticeship": Section("Apprenticeship", _no_source, _no_source, _none,
                              missing="apprenticeship (RAPIDS) data is not part of this build"),
    "skills": Section("Skills", _skills, _skills_summary, _codes_in("skills"), "element", "skills"),
    "knowledge": Section("Knowledge", _knowledge, _knowledge_summary, _codes_in("knowledge"), "element", "knowledge"),
    "education": Section("Education", education_details, education_summary,
                         _codes_in("education_training_experience", "WHERE scale_id = 'RL' AND data_value > 0"),
                         None, "education_training_experience"),
    "abilities": Section("Abilities", _abilities, _abilities_summary, _codes_in("abilities"), "element", "abilities"),
    "interests": Section("Interests", interests_details, interests_summary,
                         _codes_in("interests", "WHERE scale_id = 'OI'"), "element", "interests"),
    "work_values": Section("Work Values", values_details, values_summary,
                           _codes_in("work_values", "WHERE scale_id = 'EX'"), "element", "work_values"),
    "work_styles": Section("Work Styles", styles_details, styles_summary,
                           _codes_in("work_styles", "WHERE scale_id = 'WI'"), "element", "work_styles"),
    "related_occupations": Section("Related Occupations", related_details, related_summary,
                                   _codes_in("related_occupations"), "occupation"),
    "professional_associations": Section("Professional Associations", _no_source, _no_source, _none,
                                         missing="professional associations are not in the O*NET release files"),
    "military": Section("Military Occupations", military_details, military_details,
                        _codes_in("military_crosswalk", "WHERE status = 'A'"), "match"),
    "career_summaries": Section("Career Summaries", _no_source, _no_source, _none,
                                missing="career summaries are not part of this build"),
}


def _section(name: str) -> Section:
    section = SECTIONS.get(name)
    if section is None:
        raise InvalidParameter(f"unknown report section {name!r}; one of {', '.join(SECTIONS)}")
    return section


def has_data(ctx: Ctx, code: str, name: str) -> bool:
    return code in SECTIONS[name].codes(ctx)


def _body(ctx: Ctx, code: str, name: str, view: str) -> Body:
    """The unpaged body of one section; 422 for an unknown code or section or when there is no data."""
    common.require_occupation(ctx, code)
    section = _section(name)
    builder = section.summary if view == "summary" else section.details
    if builder is None:
        raise InvalidParameter(f"section {name!r} has no summary report; use details/{name}")
    if not has_data(ctx, code, name):
        why = f" ({section.missing})" if section.missing else ""
        raise InvalidParameter(f"{NO_DATA}: {name} for {code}{why}")
    return builder(ctx, code)


_LINK_KEYS = frozenset({"href", "related"})


def _absolute(ctx: Ctx, value: Any) -> Any:
    """A copy of `value` whose site-relative links ('/online/…') are absolute for this request. Section bodies
    are memoised with relative links, so only the page that is sent pays for absolute ones."""
    base = ctx.base_url.rstrip("/")
    nested = (dict, list)

    def walk(v: Any) -> Any:
        if type(v) is list:
            return [walk(x) if type(x) in nested else x for x in v]
        return {k: base + x if k in _LINK_KEYS and type(x) is str and x[:1] == "/"
                else walk(x) if type(x) in nested else x
                for k, x in v.items()}

    return walk(value) if type(value) in nested else value


def _paged(ctx: Ctx, section: Section, body: Body, page: Page) -> Body:
    if section.list_key is None:
        return _absolute(ctx, body)
    body = dict(body)
    items = body.pop(section.list_key)
    return _absolute(ctx, ctx.paginate(page, items, section.list_key, **body))


def summary(ctx: Ctx, code: str, section: str, page: Page) -> Body:
    """`summary/{section}`: what O*NET OnLine shows by default, without ratings (paged, 10 per page)."""
    return _paged(ctx, _section(section), _body(ctx, code, section, "summary"), page)


def details(ctx: Ctx, code: str, section: str, page: Page) -> Body:
    """`details/{section}`: every item with its ratings (paged, 10 per page)."""
    return _paged(ctx, _section(section), _body(ctx, code, section, "details"), page)


# -- custom reports ------------------------------------------------------------------------------------


def _outline(ctx: Ctx, code: str) -> Body:
    """Work activities grouped under their Content Model category (4.A.1 Information Input, …), each group's
    elements by importance desc with importance and level."""
    elements = _elements(ctx)
    groups: dict[str, dict] = {}
    for item in _ratings(ctx, "work_activities", code):
        group_id = ".".join(item["id"].split(".")[:3])
        group = groups.setdefault(group_id, {
            "id": group_id, "name": (elements.get(group_id) or {}).get("element_name", ""), "element": []})
        group["element"].append(item)
    return {"group": [groups[k] for k in sorted(groups)]}


@dataclass(frozen=True)
class CustomReport:
    title: str
    build: Builder
    codes: Callable[[Ctx], frozenset[str]]


CUSTOM: dict[str, CustomReport] = {
    "work_activities_outline": CustomReport("Work Activities Outline", _outline, _codes_in("work_activities")),
}

VIEWS = ("details", "summary")


def custom(ctx: Ctx, code: str, section: list[str], display: str) -> Body:
    """`custom/?section=a&section=b[&display=details|summary]`: several sections in one unpaged response,
    `{code, title, <section>: <that section's body>, …, no_data?: [names]}`. `section` is repeatable or
    comma-separated, in the caller's order; without it every section is included. Sections without data for
    the occupation (or without a summary in summary display) are left out and named in `no_data`; an unknown
    section name is 422."""
    occupation = common.require_occupation(ctx, code)
    view = display
    names = section or list(SECTIONS)
    body: Body = {"code": code, "title": occupation["title"]}
    missing = []
    for name in names:
        builder = SECTIONS[name].summary if view == "summary" else SECTIONS[name].details
        if builder is None or not has_data(ctx, code, name):
            missing.append(name)
            continue
        body[name] = builder(ctx, code)
    if missing:
        body["no_data"] = missing
    return _absolute(ctx, body)


def custom_report(ctx: Ctx, code: str, report: str) -> Body:
    """`custom/{report}`: a named custom report (`work_activities_outline`), unpaged `{code, title, group}`."""
    occupation = common.require_occupation(ctx, code)
    spec = CUSTOM.get(report)
    if spec is None:
        raise InvalidParameter(f"unknown custom report {report!r}; one of {', '.join(CUSTOM)}")
    if code not in spec.codes(ctx):
        raise InvalidParameter(f"{NO_DATA}: {report} for {code}")
    return _absolute(ctx, {"code": code, "title": occupation["title"], **spec.build(ctx, code)})
