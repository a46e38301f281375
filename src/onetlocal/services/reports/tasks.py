"""Task sections: `tasks` (Task Statements, Task Ratings) and `detailed_work_activities` (Tasks to DWAs).

tasks (decided from the capture of the hosted service in evidence.md Part 2 §6, which wins over the spec):
- Every task is `{id, title, importance?, category, related}`; `id` is the Task ID of Task Statements as a
  *string* (the capture: `"id":"23222"`), `related` links to `/online/occupations/{code}/related/tasks/{id}`.
- `category` is the Task Type: "Core" or "Supplemental"; a task whose Task Type is empty ("n/a" in the release:
  845 tasks, all from analysts, not yet rated by incumbents) is "New". The capture shows exactly this: task
  23222 of 41-3091.00 is served as category "New" without importance, and it is a Task Type "n/a" row of Task
  Statements.
- Emerging Tasks are *not* listed: they are candidate statements with no Task ID in the release ("Original
  Task ID" is n/a for category New) and every task in the capture carries an id and a `related` link; an item
  without an id would break clients that require one (ids are never invented). They remain readable as the
  `emerging_tasks` table of the database services.
- Order: with Task Ratings, importance (IM on 0–100) desc, then Core, Supplemental, New, then release order; the
  unrated (New) tasks follow the rated ones. Without Task Ratings (the data copy here lacks that file): Core,
  then Supplemental, then New, each group in release order — Task Statements lists each group by importance,
  the order the hosted service is reported to serve (evidence.md Part 2 §7).
- Summary: the Core tasks (all tasks when there are none), `{id, title, related}` only.
"""

from __future__ import annotations

from typing import Any

from onetlocal import urls
from onetlocal.context import Ctx
from onetlocal.services.reports.base import Body, codes_in, per_occupation, scale, without

rated_tasks = codes_in("task_ratings")

#: Task Type -> category, in report order; an empty Task Type ("n/a") is a new, unrated task.
CATEGORIES = {"Core": 0, "Supplemental": 1, "New": 2}


def _tasks(ctx: Ctx, code: str) -> list[dict]:
    """The occupation's tasks in report order, with site-relative links; built once per occupation."""
    return per_occupation(ctx, f"tasks.{code}", lambda: _load_tasks(ctx, code))


def _load_tasks(ctx: Ctx, code: str) -> list[dict]:
    rows = ctx.db.all(
        "SELECT task_id, task, task_type FROM task_statements WHERE onetsoc_code = ? ORDER BY rowid", (code,)
    )
    importance = (
        {
            r["task_id"]: scale(ctx, "IM", r["data_value"])
            for r in ctx.db.all(
                "SELECT task_id, data_value FROM task_ratings WHERE onetsoc_code = ? AND scale_id = 'IM'", (code,)
            )
        }
        if code in rated_tasks(ctx)
        else {}
    )
    ranked = []
    for position, r in enumerate(rows):
        category = r["task_type"] if r["task_type"] in CATEGORIES else "New"
        task: dict[str, Any] = {"id": str(r["task_id"]), "title": r["task"]}
        rating = importance.get(r["task_id"])
        if rating is not None:
            task["importance"] = rating
        task["category"] = category
        task["related"] = urls.path(urls.RELATED_TASK, code=code, task_id=r["task_id"])
        ranked.append(((rating is None, -(rating or 0), CATEGORIES[category], position), task))
    ranked.sort(key=lambda p: p[0])
    return [task for _, task in ranked]


def tasks_details(ctx: Ctx, code: str) -> Body:
    return {"task": _tasks(ctx, code)}


def tasks_summary(ctx: Ctx, code: str) -> Body:
    every = _tasks(ctx, code)
    core = [t for t in every if t["category"] == "Core"] or every
    return {"task": [{"id": t["id"], "title": t["title"], "related": t["related"]} for t in core]}


# -- detailed work activities ----------------------------------------------------------------------------


def _dwa_titles(ctx: Ctx) -> dict[str, str]:
    return ctx.db.memo(
        "reports.dwa_titles",
        lambda: {r["dwa_id"]: r["dwa_title"] for r in ctx.db.all("SELECT dwa_id, dwa_title FROM dwa_reference")},
    )


def _activities(ctx: Ctx, code: str) -> list[dict]:
    titles = _dwa_titles(ctx)
    rows = ctx.db.all(
        "SELECT d.dwa_id, count(DISTINCT d.task_id) AS tasks, max(t.task_type = 'Core') AS core "
        "FROM task_dwas d LEFT JOIN task_statements t ON t.onetsoc_code = d.onetsoc_code AND t.task_id = d.task_id "
        "WHERE d.onetsoc_code = ? GROUP BY d.dwa_id",
        (code,),
    )
    rows.sort(key=lambda r: (-r["tasks"], titles.get(r["dwa_id"], "").lower()))
    return [
        {
            "id": r["dwa_id"],
            "title": titles.get(r["dwa_id"], ""),
            "related": ctx.link(urls.RELATED_ACTIVITIES_RESULTS, {"activities": r["dwa_id"]}, code=code),
            "_core": bool(r["core"]),
        }
        for r in rows
    ]


def dwa_details(ctx: Ctx, code: str) -> Body:
    return {"activity": without(_activities(ctx, code), "_core")}


def dwa_summary(ctx: Ctx, code: str) -> Body:
    items = _activities(ctx, code)
    return {"activity": without([a for a in items if a["_core"]] or items, "_core")}
