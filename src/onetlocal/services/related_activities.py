"""Related activities search (seed page): pick your occupation, pick some of its detailed work activities
(DWAs), see the occupations that share them.

Definitions (the seed's Radiologists example holds with them on O*NET 30.1):
- An occupation's activities are its DWAs through Tasks to DWAs, in the order of the first task linking
  them (Task Statements lists an occupation's tasks most important first), ties by title.
- `shared`: the occupation's DWAs among the selected ones. Only occupations sharing at least one are
  listed ("occupations ... which share one or more of the selected detailed work activities"); the user's
  own occupation is left out.
- `similar`: the occupation's other DWAs in the same IWA (DWA Reference `iwa_id`, the DWA id minus its last
  segment) as a selected DWA.
- `full`: all the occupation's DWAs.
Selected ids must be known DWA ids (DWA Reference), else 422; they need not be the user's occupation's own.
On a release that re-keyed the DWAs (O*NET 30.3) the previous release's ids are taken too (`4.A.1.a.1.I01.D01`,
mapped by `release.activity_ids`); answers always carry the loaded release's ids. Without task-DWA links (a build
lacking Tasks to DWAs) no occupation has activities: step 1 lists none, step 2 is 422, step 3 an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common, release
from onetlocal.services.advanced import check_known, keyword_occupations, occupation_result, zone_of


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    iwa: str

    def item(self) -> dict:
        return {"id": self.id, "title": self.title}


@dataclass(frozen=True)
class Index:
    dwas: dict[str, Activity]  # DWA Reference by id
    by_occupation: dict[str, list[Activity]]  # code -> its activities, in order
    occupations_of: dict[str, set[str]]  # DWA id -> codes


def index(ctx: Ctx) -> Index:
    def load() -> Index:
        dwas = {
            r["dwa_id"]: Activity(r["dwa_id"], r["dwa_title"], r["iwa_id"])
            for r in ctx.db.all("SELECT dwa_id, dwa_title, iwa_id FROM dwa_reference")
        }
        rows = ctx.db.all(
            """SELECT t.onetsoc_code AS code, t.dwa_id AS dwa_id, MIN(COALESCE(s.rowid, 1e12)) AS rank
               FROM task_dwas t
               LEFT JOIN task_statements s ON s.onetsoc_code = t.onetsoc_code AND s.task_id = t.task_id
               GROUP BY t.onetsoc_code, t.dwa_id"""
        )
        rows.sort(key=lambda r: (r["code"], r["rank"], dwas[r["dwa_id"]].title if r["dwa_id"] in dwas else ""))
        by_occupation: dict[str, list[Activity]] = {}
        occupations_of: dict[str, set[str]] = {}
        for r in rows:
            activity = dwas.get(r["dwa_id"])
            if activity is None:
                continue
            by_occupation.setdefault(r["code"], []).append(activity)
            occupations_of.setdefault(activity.id, set()).add(r["code"])
        return Index(dwas, by_occupation, occupations_of)

    return ctx.db.memo("related_activities.index", load)


def search(ctx: Ctx, keyword: str, page: Page) -> dict:
    """Step 1: occupations matching the keyword that have activities, linking to step 2."""
    idx = index(ctx)
    return keyword_occupations(ctx, keyword, page, urls.RELATED_ACTIVITIES_ACTIVITIES, idx.by_occupation.__contains__)


def activities(ctx: Ctx, code: str, page: Page) -> list[dict]:
    """Step 2: the occupation's DWAs `[{id, title}]` — a bare array, first 20 by default (seed)."""
    common.require_occupation(ctx, code)
    acts = index(ctx).by_occupation.get(code)
    if not acts:
        raise InvalidParameter(f"no detailed work activities for {code}")
    return page.slice([a.item() for a in acts])


@dataclass(frozen=True)
class Match:
    code: str
    title: str
    shared: list[Activity]
    similar: list[Activity]


#: sort=<name> -> key; default "shared" (seed). Ties by title.
SORTS = {
    "shared": lambda m: (-len(m.shared), -len(m.similar), m.title),
    "similar": lambda m: (-len(m.similar), -len(m.shared), m.title),
    "title": lambda m: (m.title, m.code),
    "code": lambda m: m.code,
}


def results(ctx: Ctx, code: str, activities: list[str], sort: str, page: Page) -> dict:
    """Step 3: occupations sharing the selected activities, with shared / similar / full activity lists."""
    common.require_occupation(ctx, code)
    idx = index(ctx)
    selected = release.activity_ids(ctx, activities)
    check_known("activities", selected, idx.dwas)
    chosen = set(selected)
    iwas = {idx.dwas[d].iwa for d in selected}
    titles = common.occupations(ctx)
    candidates = set().union(*(idx.occupations_of.get(d, set()) for d in selected)) & titles.keys() - {code}
    matches = []
    for other in candidates:
        acts = idx.by_occupation[other]
        matches.append(
            Match(
                other,
                titles[other]["title"],
                [a for a in acts if a.id in chosen],
                [a for a in acts if a.id not in chosen and a.iwa in iwas],
            )
        )
    sorts = {**SORTS, "zone": lambda m: (zone_of(ctx, m.code), m.title)}
    ordered = sorted(matches, key=sorts[sort])
    items = [
        occupation_result(
            ctx,
            m.code,
            activities={
                "shared": [a.item() for a in m.shared],
                "similar": [a.item() for a in m.similar],
                "full": [a.item() for a in idx.by_occupation[m.code]],
            },
        )
        for m in page.slice(ordered)
    ]
    return ctx.paged(page, len(ordered), "occupation", items)
