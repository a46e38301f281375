"""Task sections: `tasks` (Task Statements, Task Ratings) and `detailed_work_activities` (Tasks to DWAs)."""

from __future__ import annotations

from typing import Any

from onetlocal.context import Ctx
from onetlocal.services.reports.base import Body, codes_in, per_occupation, scale, without

rated_tasks = codes_in("task_ratings")


def _tasks(ctx: Ctx, code: str) -> list[dict]:
    """The occupation's tasks in report order, with site-relative links; built once per occupation."""
    return per_occupation(ctx, f"tasks.{code}", lambda: _load_tasks(ctx, code))


def _load_tasks(ctx: Ctx, code: str) -> list[dict]:
    rows = ctx.db.all(
        "SELECT task_id, task, task_type, incumbents_responding FROM task_statements WHERE onetsoc_code = ?", (code,)
    )
    importance = {
        r["task_id"]: scale(ctx, "IM", r["data_value"])
        for r in ctx.db.all("SELECT task_id, data_value FROM task_ratings WHERE onetsoc_code = ? AND scale_id = 'IM'",
                            (code,))
    } if code in rated_tasks(ctx) else {}
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
    return {"activity": without(_activities(ctx, code), "_core")}


def dwa_summary(ctx: Ctx, code: str) -> Body:
    items = _activities(ctx, code)
    return {"activity": without([a for a in items if a["_core"]] or items, "_core")}
