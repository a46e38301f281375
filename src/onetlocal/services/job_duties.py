"""Job duties search (spec §4/§7, INFERRED): pick an occupation, pick some of its task statements, see the
occupations whose tasks are related — the related-activities pattern over tasks.

Relatedness goes through the detailed work activities (Tasks to DWAs), since task statements are written
per occupation and are never shared as such:
- a task of another occupation is `closely_related` when it is linked to a DWA that a selected task is
  linked to;
- `less_related` when it is not, but one of its DWAs is in the same IWA (DWA Reference `iwa_id`) as a DWA of a
  selected task;
- `full` is every task of the occupation.
An occupation is listed when it has at least one closely related task (as related activities list only
occupations sharing a selected DWA); the occupations the selected tasks belong to are left out. Tasks are
`{id, title}` in Task Statements order (most important first); `id` is the release's Task ID as a *string*, the
type `details/tasks` carries (captured: `"id":"23222"`), so one task has one id everywhere. `tasks=` and the
`related/tasks/{id}` path still take it as the integer it spells.
"""

from __future__ import annotations

from dataclasses import dataclass

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services.advanced import check_known, keyword_occupations, occupation_result, zone_of


@dataclass(frozen=True)
class Task:
    id: int
    title: str
    code: str
    dwas: frozenset[str]
    iwas: frozenset[str]

    def item(self) -> dict:
        return {"id": str(self.id), "title": self.title}


@dataclass(frozen=True)
class Index:
    tasks: dict[int, Task]
    by_occupation: dict[str, list[Task]]  # in Task Statements order
    occupations_of_dwa: dict[str, set[str]]


def index(ctx: Ctx) -> Index:
    def load() -> Index:
        iwa_of = {r["dwa_id"]: r["iwa_id"] for r in ctx.db.all("SELECT dwa_id, iwa_id FROM dwa_reference")}
        dwas_of: dict[int, set[str]] = {}
        for r in ctx.db.all("SELECT task_id, dwa_id FROM task_dwas"):
            dwas_of.setdefault(r["task_id"], set()).add(r["dwa_id"])
        tasks: dict[int, Task] = {}
        by_occupation: dict[str, list[Task]] = {}
        occupations_of_dwa: dict[str, set[str]] = {}
        for r in ctx.db.all("SELECT onetsoc_code, task_id, task FROM task_statements ORDER BY rowid"):
            dwas = frozenset(dwas_of.get(r["task_id"], ()))
            task = Task(
                r["task_id"], r["task"], r["onetsoc_code"], dwas, frozenset(iwa_of[d] for d in dwas if d in iwa_of)
            )
            tasks[task.id] = task
            by_occupation.setdefault(task.code, []).append(task)
            for d in dwas:
                occupations_of_dwa.setdefault(d, set()).add(task.code)
        return Index(tasks, by_occupation, occupations_of_dwa)

    return ctx.db.memo("job_duties.index", load)


def search(ctx: Ctx, keyword: str, page: Page) -> dict:
    """Step 1: occupations matching the keyword that have task statements, linking to step 2."""
    idx = index(ctx)
    return keyword_occupations(ctx, keyword, page, urls.JOB_DUTIES_TASKS, idx.by_occupation.__contains__)


def tasks(ctx: Ctx, code: str, page: Page) -> list[dict]:
    """Step 2: the occupation's task statements, a bare array of `{id, title}` (spec §7). All of them by
    default (a user picks from the whole list); start/end narrow it."""
    common.require_occupation(ctx, code)
    found = index(ctx).by_occupation.get(code)
    if not found:
        raise InvalidParameter(f"no task statements for {code}")
    return page.slice([t.item() for t in found])


@dataclass(frozen=True)
class Match:
    code: str
    title: str
    closely: list[Task]
    less: list[Task]


#: sort=<name> -> key; default closely_related. Ties by title.
SORTS = {
    "closely_related": lambda m: (-len(m.closely), -len(m.less), m.title),
    "less_related": lambda m: (-len(m.less), -len(m.closely), m.title),
    "title": lambda m: (m.title, m.code),
    "code": lambda m: m.code,
}


def _related(ctx: Ctx, selected: list[Task], exclude: set[str], sort: str, page: Page) -> dict:
    """The paged occupations related to the `selected` tasks (definitions in the module docstring)."""
    idx = index(ctx)
    dwas = frozenset().union(*(t.dwas for t in selected))
    iwas = frozenset().union(*(t.iwas for t in selected))
    titles = common.occupations(ctx)
    candidates = set().union(*(idx.occupations_of_dwa.get(d, set()) for d in dwas)) & titles.keys() - exclude
    matches = []
    for code in candidates:
        own = idx.by_occupation[code]
        closely = [t for t in own if t.dwas & dwas]
        less = [t for t in own if not t.dwas & dwas and t.iwas & iwas]
        matches.append(Match(code, titles[code]["title"], closely, less))
    sorts = {**SORTS, "zone": lambda m: (zone_of(ctx, m.code), m.title)}
    ordered = sorted(matches, key=sorts[sort])
    items = [
        occupation_result(
            ctx,
            m.code,
            tasks={
                "closely_related": [t.item() for t in m.closely],
                "less_related": [t.item() for t in m.less],
                "full": [t.item() for t in idx.by_occupation[m.code]],
            },
        )
        for m in page.slice(ordered)
    ]
    return ctx.paged(page, len(ordered), "occupation", items)


def results(ctx: Ctx, tasks: list[int], sort: str, page: Page) -> dict:
    """Step 3: occupations related to the selected tasks (`tasks=<comma-separated task ids>`)."""
    idx = index(ctx)
    check_known("tasks", tasks, idx.tasks)
    selected = [idx.tasks[i] for i in tasks]
    return _related(ctx, selected, {t.code for t in selected}, sort, page)


def related_to_task(ctx: Ctx, code: str, task_id: int, sort: str, page: Page) -> dict:
    """`/online/occupations/{code}/related/tasks/{task_id}`: occupations related to one task of `code`."""
    common.require_occupation(ctx, code)
    task = index(ctx).tasks.get(task_id)
    if task is None or task.code != code:
        raise InvalidParameter(f"task {str(task_id)!r} is not a task statement of {code}")
    return _related(ctx, [task], {code}, sort, page)
