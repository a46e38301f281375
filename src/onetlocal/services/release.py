"""How the services meet the differences between O*NET releases: the loaded release's layout, the data a layout
dropped, the Job Zones a release merged, and the activity ids a release re-keyed.

The tables the services read are the same on every release (`ingest.model`); what differs is answered here, from
data — `releases.CORRESPONDENCES`, the release's Job Zone Reference and the build's activity id crosswalk — never
from a version number typed in code. Decisions (also in docs/compatibility.md, "Releases"):

- Dropped data (work values, tools used, UNSPSC: O*NET 30.3): a route that shows only that data does not exist on
  such a release: 404 `{"error": "no such resource: ..."}`, the answer of a path no route serves, as the hosted API
  answers `summary|details/work_values` since 30.3. On a release that has the data it answers as before.
- Job Zones: O*NET 30.2 merged Job Zone 1 into 2 ("Job Zone 1-2: Very Little to Some Preparation Needed", value 2).
  On such a release zone 1 is the merged zone: a route given zone 1 answers as for zone 2 (the zone that now holds
  every former zone-1 occupation), so a client's "zone 1" link or filter keeps finding those occupations; listings
  show the zones the release has (four).
- Activity ids: O*NET 30.3 re-keyed every DWA and IWA (`4.A.1.a.1.I01.D01` -> `4.A.1.a.1.a.1`). A route that takes
  activity ids takes the previous release's ids too (mapped through `activity_id_crosswalk`, filled when the build
  is given the previous release) and answers with the loaded release's ids. On a release of the old layout the
  crosswalk is empty: nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from onetlocal.context import Ctx
from onetlocal.errors import NotFound
from onetlocal.releases import CROSSWALK, CURRENT, LEGACY, counterparts

#: Job Zones that a release merged into another: O*NET 30.2 made Job Zone 1 part of Job Zone 2 ("Job Zone 1-2").
MERGED_ZONES = {1: 2}


def layout(ctx: Ctx) -> str:
    """The layout of the loaded release (`releases.LEGACY` up to O*NET 30.2, `releases.CURRENT` from 30.3)."""
    return ctx.db.meta().get("onet_layout", LEGACY)


def version(ctx: Ctx) -> str:
    return ctx.db.meta().get("onet_version") or "unknown"


# -- dropped data ---------------------------------------------------------------------------------------------


def dropped(ctx: Ctx, table: str) -> str | None:
    """Why the loaded release has no `table` nor any successor of it (`releases.CORRESPONDENCES`: "dropped in
    30.3"), or None when it has the table or its successors."""
    here = layout(ctx)
    correspondence = counterparts(table, here)
    if correspondence is None:
        return None
    successors = correspondence.current if here == CURRENT else correspondence.legacy
    return None if successors else (correspondence.note or f"not in the layout of O*NET {version(ctx)}")


def require_kept(ctx: Ctx, table: str, what: str) -> None:
    """404, as for a path no route serves, when the loaded release's layout dropped `table` (see `dropped`)."""
    why = dropped(ctx, table)
    if why is not None:
        raise NotFound(f"no such resource: {ctx.path} ({what}: {why}; the loaded release is O*NET {version(ctx)})")


# -- job zones --------------------------------------------------------------------------------------------------


def job_zones(ctx: Ctx) -> frozenset[int]:
    """The Job Zones of the loaded release (Job Zone Reference): 1-5 up to O*NET 30.1, 2-5 since 30.2."""

    def load() -> frozenset[int]:
        if not ctx.db.table_exists("job_zone_reference"):
            return frozenset()
        return frozenset(r["job_zone"] for r in ctx.db.all("SELECT job_zone FROM job_zone_reference"))

    return ctx.db.memo("release.job_zones", load)


def job_zone(ctx: Ctx, zone: int) -> int:
    """The loaded release's Job Zone holding `zone`: `zone` itself, or the zone it was merged into when the release
    has no such zone (1 -> 2 since O*NET 30.2); unchanged when neither exists (the caller's unknown-zone answer)."""
    zones = job_zones(ctx)
    if zone in zones:
        return zone
    merged = MERGED_ZONES.get(zone)
    return merged if merged in zones else zone


# -- re-keyed activity ids --------------------------------------------------------------------------------------


def _crosswalk(ctx: Ctx) -> dict[str, str]:
    def load() -> dict[str, str]:
        if not ctx.db.table_exists(CROSSWALK):
            return {}
        return {r["old_id"]: r["new_id"] for r in ctx.db.all(f"SELECT old_id, new_id FROM {CROSSWALK}")}

    return ctx.db.memo("release.activity_crosswalk", load)


def activity_id(ctx: Ctx, activity: str) -> str:
    """The loaded release's id of a DWA or IWA given by its own id or by a previous release's id."""
    return _crosswalk(ctx).get(activity, activity)


def activity_ids(ctx: Ctx, ids: Iterable[str]) -> list[str]:
    """`ids` in the loaded release's ids (see `activity_id`), in order, each once (an old id and its new one sent
    together are one activity)."""
    crosswalk = _crosswalk(ctx)
    return list(dict.fromkeys(crosswalk.get(i, i) for i in ids))
