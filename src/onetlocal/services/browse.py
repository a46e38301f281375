"""O*NET OnLine browse families: Bright Outlook, Career Clusters (and sub-clusters), STEM occupations, Job Zones,
Job Families, Hot Technology. Each family is one row of `FAMILIES` (its groups, its membership query, its item
extras and sorts); three generic services serve every family: the group listing, the occupations of one group,
and `/all` (every member occupation, carrying its groups).

Shapes (evidence.md wins over the spec; each decision is a row of docs/compatibility.md, "Browse and database").
Every key below is one the seed or the evidence names; nothing else is added (clients generated from the
official OpenAPI file may forbid extra keys):
- Listings: STEM is a bare array (seed); hot technology is paged (`technology`, a live call pages it); the others
  are one object `{<list_key>: [...]}`. Items are `{href, <code>, title}`: `href` links to the group's occupations
  as in the STEM seed (the one client that models the other listings omits `href` for STEM too, so its silence
  is no evidence of absence); the code key is `value` for Bright Outlook (spec row, evidence §11), `code`
  elsewhere (the confirmed `job_zone`/`job_family` shapes `{code, title}` beat the client's job zone `number`),
  none for hot technology (`{title}`, §11). Extras: STEM `job_family` (seed), career clusters
  `sub_cluster: [{code, title}]` (spec §7).
- Occupations of a group: the paging envelope and `occupation` list, preceded by the group where the evidence
  shows one: Bright Outlook `category: {value, title}` and hot technology `technology: {title}` (§11), career
  clusters and sub-clusters `summary: {title}` (live, Part 2 §6; the mnm form is `{title, overview}` (§2), but
  no source here has overview text for the 2024 clusters, so `overview` is left out rather than invented).
  STEM (seed), job zones and job families: no group object.
- Items: `common.occupation_item` (`{href, code, title, tags}`) + STEM `job_family` (+ `stem_occupation_type` in
  /all, seed) and career clusters / sub-clusters `sub_cluster: [{code, title}]` (the occupation's sub-clusters
  in that cluster; all of them in /all; live, §6). /all of the other families lists plain occupations.
- Sorting (`sort`): title (case-folded, then code), code, job_family (family title, then title: this
  reproduces the seed's order, Architecture and Engineering before Computer and Mathematical), and in /all the
  family's group key (first group in listing order, then title). STEM occupations in a type default to
  job_family, everything else to title. `job_family` filters any family but Job Families itself (422 unless a
  known `NN-0000` family). Bad values -> 422.
- Codes: Bright Outlook `grow|openings|emerging`, the hosted slugs (§6; our former `new` was never a hosted
  slug and is gone); career clusters `NN0100` / sub-clusters `NN01MM` (see
  ingest/supplementary/career_clusters.py); STEM types 1-5 (SOC Attachment C order), listed by title as in the
  seed; job zones 1-5 (the release's zones are listed: four since O*NET 30.2, whose zone 2 is "Job Zone 1-2"; there
  zone 1 answers as the zone it was merged into, 2 — `services/release.py`); job families `NN-0000`; hot technology:
  the title, as the client's
  `online/hot_technology/{title}` (§11), or the technology example id of `/online/technology/examples/{id}`
  (slug of the title + 6 hex of its SHA-1: path-safe for titles with '/'), which the listing's `href` uses.
- Career clusters map 6-digit SOC codes to O*NET-SOC codes by their first 7 characters (`15-1252` ->
  `15-1252.00` and any `.xx` child in occupation_data).
- A family whose tables are not in this build answers 422 with a "data not available" message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services.advanced import is_integer_id
from onetlocal.services.release import MERGED_ZONES
from onetlocal.services.technology import example_id
from onetlocal.vocabulary import BRIGHT_OUTLOOK_TITLES

Group = dict[str, Any]


@dataclass
class Membership:
    """A family's groups (listing order) and who belongs where, restricted to the active taxonomy."""

    groups: dict[Any, Group]
    by_group: dict[Any, list[str]]
    by_occupation: dict[str, list[Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    name: str  # path segment under /online/
    title: str
    list_key: str | None  # key of the listing (None: a bare array, as the STEM seed)
    header_key: str | None  # key of the group in a group's occupation list (None: no header)
    all_key: str  # the /all sort that orders by the family's groups
    tables: tuple[str, ...]
    groups: Callable[[Ctx], list[Group]]  # [{code, title}] in listing order
    members_sql: str  # rows (grp, onetsoc_code)
    parse: Callable[[str], Any]  # path text -> group code (raise InvalidParameter)
    code_key: str | None = "code"  # key of a group's code in listing items and the header (None: not shown)
    header_code: bool = True  # False: the header is {title} only (career clusters' `summary`)
    alias: Callable[[Any], Any] | None = None  # another spelling of a parsed group code (hot tech title, merged zone)
    default_sort: str = "title"
    all_sort: str = "title"
    item_extra: Callable[[Ctx, Family, Membership, str, Any], dict] | None = None
    listing_extra: Callable[[Ctx, Family, Membership, Group], dict] | None = None
    listing_extra_keys: tuple[str, ...] = ()  # the keys listing_extra adds (for the route's documentation)
    paged_listing: bool = False
    job_family_filter: bool = True
    listed: bool = True  # False: a family reachable only by group (career sub-clusters)
    group_code: Callable[[Any], Any] | None = None  # members_sql's grp -> group code, when they differ
    path: str = ""  # URL prefix of a group, default /online/<name>/

    @property
    def prefix(self) -> str:
        return self.path or f"/online/{self.name}/"


# -- data -----------------------------------------------------------------------------------------------


def _require_tables(ctx: Ctx, family: Family) -> None:
    ctx.db.require(family.title, *family.tables)


def membership(ctx: Ctx, family: Family) -> Membership:
    _require_tables(ctx, family)

    def load() -> Membership:
        active = common.occupations(ctx)
        groups = {g["code"]: g for g in family.groups(ctx)}
        by_group: dict[Any, list[str]] = {code: [] for code in groups}
        by_occupation: dict[str, list[Any]] = {}
        for row in ctx.db.all(family.members_sql):
            grp, occ = row["grp"], row["onetsoc_code"]
            if family.group_code:
                grp = family.group_code(grp)
            if grp in by_group and occ in active and occ not in by_group[grp]:
                by_group[grp].append(occ)
                by_occupation.setdefault(occ, []).append(grp)
        order = {code: i for i, code in enumerate(groups)}
        for grps in by_occupation.values():
            grps.sort(key=order.__getitem__)
        return Membership(groups, by_group, by_occupation)

    return ctx.db.memo(f"browse.{family.name}", load)


def _brief(group: Group) -> dict:
    return {"code": group["code"], "title": group["title"]}


def listing_keys(family: Family) -> list[str]:
    """The keys of a listing item (for the route's documentation)."""
    return ["href", *([family.code_key] if family.code_key else []), "title", *family.listing_extra_keys]


def public(family: Family, group: Group, with_code: bool = True) -> dict:
    """A group as listings and headers show it: `{<code_key>: code, title}`."""
    code = {family.code_key: group["code"]} if family.code_key and with_code else {}
    return {**code, "title": group["title"]}


# -- sorting and filtering --------------------------------------------------------------------------------


def _title_key(ctx: Ctx, occ: str) -> tuple:
    return (common.occupations(ctx)[occ]["title"].casefold(), occ)


BASE_SORTS = ("job_family", "title", "code")


def sort_names(family: Family, in_all: bool) -> tuple[str, ...]:
    """The `sort` values a route accepts: /all adds the family's group key."""
    return BASE_SORTS + ((family.all_key,) if in_all and family.all_key not in BASE_SORTS else ())


def _sorts(ctx: Ctx, family: Family, m: Membership, in_all: bool) -> dict[str, Callable[[str], Any]]:
    order = {code: i for i, code in enumerate(m.groups)}
    keys: dict[str, Callable[[str], Any]] = {
        "job_family": lambda occ: (common.job_family(occ)["title"].casefold(), *_title_key(ctx, occ)),
        "title": lambda occ: _title_key(ctx, occ),
        "code": lambda occ: occ,
        family.all_key: lambda occ: (order[m.by_occupation[occ][0]], *_title_key(ctx, occ)),
    }
    return {name: keys[name] for name in sort_names(family, in_all)}


def _occupation_page(
    ctx: Ctx,
    family: Family,
    m: Membership,
    codes: list[str],
    group: Any,
    sort: str,
    wanted_family: str | None,
    page: Page,
    **extra: Any,
) -> dict:
    sorts = _sorts(ctx, family, m, group is None)
    if wanted_family:
        codes = [c for c in codes if common.job_family(c)["code"] == wanted_family]
    codes = sorted(codes, key=sorts[sort])
    items = []
    for occ in page.slice(codes):
        item = common.occupation_item(ctx, occ)
        if family.item_extra:
            item.update(family.item_extra(ctx, family, m, occ, group))
        items.append(item)
    return ctx.paged(page, len(codes), "occupation", items, **extra)


# -- the three services, generic over families ----------------------------------------------------------------


def listing(ctx: Ctx, family: Family, page: Page | None = None) -> dict | list:
    m = membership(ctx, family)
    items = []
    for group in m.groups.values():
        item = {"href": ctx.href(family.prefix + urls.segment(group["code"])), **public(family, group)}
        if family.listing_extra:
            item.update(family.listing_extra(ctx, family, m, group))
        items.append(item)
    if page is not None:  # family.paged_listing: the route is paged
        return ctx.paginate(page, items, family.list_key or "group")
    return {family.list_key: items} if family.list_key else items


def group_occupations(
    ctx: Ctx, family: Family, code: str, sort: str, page: Page, job_family: str | None = None
) -> dict:
    m = membership(ctx, family)
    group = family.parse(code)
    if group not in m.groups and family.alias:
        group = family.alias(group)
    if group not in m.groups:
        raise InvalidParameter(f"unknown {family.title} code {code!r}; see {ctx.href(family.prefix)}")
    extra = {family.header_key: public(family, m.groups[group], family.header_code)} if family.header_key else {}
    return _occupation_page(ctx, family, m, m.by_group[group], group, sort, job_family, page, **extra)


def all_occupations(ctx: Ctx, family: Family, sort: str, page: Page, job_family: str | None = None) -> dict:
    m = membership(ctx, family)
    return _occupation_page(ctx, family, m, list(m.by_occupation), None, sort, job_family, page)


# -- family rows: groups, parsers, extras ---------------------------------------------------------------------


def _parse_choice(label: str, choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise InvalidParameter(f"{label} must be one of {', '.join(choices)}; got {raw!r}")
        return raw

    parse.choices = choices  # type: ignore[attr-defined]  # published as the path parameter's enum
    return parse


def _parse_int(label: str, lo: int, hi: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not is_integer_id(raw) or not lo <= int(raw) <= hi:
            raise InvalidParameter(f"{label} must be an integer from {lo} to {hi}; got {raw!r}")
        return int(raw)

    parse.choices = tuple(str(i) for i in range(lo, hi + 1))  # type: ignore[attr-defined]
    return parse


def _parse_text(raw: str) -> str:
    return raw


# Bright Outlook
def _bright_groups(ctx: Ctx) -> list[Group]:
    return [{"code": code, "title": title} for code, title in BRIGHT_OUTLOOK_TITLES.items()]


# STEM
def _stem_groups(ctx: Ctx) -> list[Group]:
    return [
        {"code": r["code"], "title": r["title"]}
        for r in ctx.db.all(
            "SELECT DISTINCT stem_type AS code, stem_type_title AS title FROM stem_occupations ORDER BY title"
        )
    ]


def _stem_listing_extra(ctx: Ctx, family: Family, m: Membership, group: Group) -> dict:
    families = {common.job_family(occ)["code"]: common.job_family(occ) for occ in m.by_group[group["code"]]}
    return {
        "job_family": [
            {"href": ctx.href(family.prefix + urls.segment(group["code"]), job_family=f["code"]), **f}
            for f in sorted(families.values(), key=lambda f: f["title"].casefold())
        ]
    }


def _stem_item(ctx: Ctx, family: Family, m: Membership, occ: str, group: Any) -> dict:
    extra: dict[str, Any] = {"job_family": common.job_family(occ)}
    if group is None:
        extra["stem_occupation_type"] = [_brief(m.groups[g]) for g in sorted(m.by_occupation[occ])]
    return extra


# Career clusters (Advance CTE 2024)
def _cluster_groups(ctx: Ctx) -> list[Group]:
    return [
        {"code": r["code"], "title": r["title"]}
        for r in ctx.db.all(
            "SELECT DISTINCT cluster_code AS code, cluster AS title FROM career_clusters ORDER BY cluster_code"
        )
    ]


def _sub_cluster_groups(ctx: Ctx) -> list[Group]:
    return [
        {"code": r["code"], "title": r["title"]}
        for r in ctx.db.all(
            "SELECT sub_cluster_code AS code, sub_cluster AS title FROM career_clusters ORDER BY sub_cluster_code"
        )
    ]


def _sub_clusters_of(ctx: Ctx) -> tuple[Membership, dict[str, str]]:
    return membership(ctx, SUB_CLUSTERS), ctx.db.memo(
        "browse.sub_cluster_parent",
        lambda: {
            r["sub_cluster_code"]: r["cluster_code"]
            for r in ctx.db.all("SELECT sub_cluster_code, cluster_code FROM career_clusters")
        },
    )


def _cluster_listing_extra(ctx: Ctx, family: Family, m: Membership, group: Group) -> dict:
    subs, parent = _sub_clusters_of(ctx)
    return {"sub_cluster": [_brief(g) for code, g in subs.groups.items() if parent[code] == group["code"]]}


def _cluster_item(ctx: Ctx, family: Family, m: Membership, occ: str, group: Any) -> dict:
    """`sub_cluster`: the occupation's sub-clusters in this cluster (in the sub-cluster route: in its parent
    cluster, "the same shape as career_cluster"); every one of them in /all."""
    subs, parent = _sub_clusters_of(ctx)
    cluster = parent[group] if family is SUB_CLUSTERS else group
    mine = [s for s in subs.by_occupation.get(occ, []) if cluster is None or parent[s] == cluster]
    return {"sub_cluster": [_brief(subs.groups[s]) for s in mine]}


def _parse_sub_cluster(raw: str) -> str:
    if len(raw) == 6 and raw.endswith("00") and is_integer_id(raw):
        raise InvalidParameter(
            f"{raw!r} is a career cluster code; a sub-cluster code ends in 01..99 "
            f"(occupations in a cluster: /online/career_clusters/{raw})"
        )
    return raw


_SOC_TO_ONET = "JOIN occupation_data o ON substr(o.onetsoc_code, 1, 7) = c.soc_code"


# Job zones
def _zone_groups(ctx: Ctx) -> list[Group]:
    return [
        dict(r) for r in ctx.db.all("SELECT job_zone AS code, name AS title FROM job_zone_reference ORDER BY job_zone")
    ]


# Job families
def _family_groups(ctx: Ctx) -> list[Group]:
    present = {code[:2] for code in common.occupations(ctx)}
    return [{"code": code, "title": title} for code, title in common.JOB_FAMILIES.items() if code[:2] in present]


# Hot technology
def _hot_groups(ctx: Ctx) -> list[Group]:
    return [
        {"code": example_id(r["title"]), "title": r["title"]}
        for r in ctx.db.all(
            "SELECT DISTINCT example AS title FROM technology_skills WHERE hot_technology = 'Y' "
            "ORDER BY lower(example), example"
        )
    ]


FAMILIES: dict[str, Family] = {}


def _add(family: Family) -> Family:
    FAMILIES[family.name] = family
    return family


BRIGHT_OUTLOOK = _add(
    Family(
        "bright_outlook",
        "Bright Outlook category",
        "category",
        "category",
        "bright_outlook",
        ("bright_outlook",),
        _bright_groups,
        "SELECT category AS grp, onetsoc_code FROM bright_outlook",
        _parse_choice("a Bright Outlook category", tuple(BRIGHT_OUTLOOK_TITLES)),
        code_key="value",
    )
)
CAREER_CLUSTERS = _add(
    Family(
        "career_clusters",
        "Career Cluster",
        "career_cluster",
        "summary",
        "career_cluster",
        ("career_clusters", "career_cluster_soc"),
        _cluster_groups,
        f"SELECT DISTINCT c.cluster_code AS grp, o.onetsoc_code FROM career_cluster_soc c {_SOC_TO_ONET} "
        "ORDER BY o.onetsoc_code",
        _parse_text,
        header_code=False,
        item_extra=_cluster_item,
        listing_extra=_cluster_listing_extra,
        listing_extra_keys=("sub_cluster",),
    )
)
SUB_CLUSTERS = _add(
    Family(
        "career_sub_clusters",
        "Career Sub-Cluster",
        None,
        "summary",
        "sub_cluster",
        ("career_clusters", "career_cluster_soc"),
        _sub_cluster_groups,
        f"SELECT DISTINCT c.sub_cluster_code AS grp, o.onetsoc_code FROM career_cluster_soc c {_SOC_TO_ONET} "
        "ORDER BY o.onetsoc_code",
        _parse_sub_cluster,
        header_code=False,
        item_extra=_cluster_item,
        listed=False,
        path="/online/career_clusters/sub_clusters/",
    )
)
STEM = _add(
    Family(
        "stem_occupations",
        "STEM occupation type",
        None,
        None,
        "stem_occupation_type",
        ("stem_occupations",),
        _stem_groups,
        "SELECT stem_type AS grp, onetsoc_code FROM stem_occupations",
        _parse_int("a STEM occupation type", 1, 5),
        default_sort="job_family",
        item_extra=_stem_item,
        listing_extra=_stem_listing_extra,
        listing_extra_keys=("job_family",),
    )
)
JOB_ZONES = _add(
    Family(
        "job_zones",
        "Job Zone",
        "job_zone",
        None,
        "job_zone",
        ("job_zones", "job_zone_reference"),
        _zone_groups,
        "SELECT job_zone AS grp, onetsoc_code FROM job_zones",
        _parse_int("a job zone", 1, 5),
        alias=lambda zone: MERGED_ZONES.get(zone, zone),
    )
)
JOB_FAMILIES = _add(
    Family(
        "job_families",
        "Job Family",
        "job_family",
        None,
        "job_family",
        ("occupation_data",),
        _family_groups,
        "SELECT substr(onetsoc_code, 1, 2) || '-0000' AS grp, onetsoc_code FROM occupation_data",
        _parse_text,
        job_family_filter=False,
    )
)
HOT_TECHNOLOGY = _add(
    Family(
        "hot_technology",
        "Hot Technology",
        "technology",
        "technology",
        "technology",
        ("technology_skills",),
        _hot_groups,
        "SELECT example AS grp, onetsoc_code FROM technology_skills WHERE hot_technology = 'Y' ORDER BY onetsoc_code",
        _parse_text,
        code_key=None,
        alias=example_id,
        paged_listing=True,
        group_code=example_id,
    )
)
