"""Crosswalks: O*NET-SOC taxonomies (`/taxonomy/{from}/{to}/{code}`, spec §5) and military occupations
(`/online/crosswalks/military`), from the official O*NET crosswalk files (supplementary import).

Taxonomies. `2010` and `2019` are the O*NET-SOC listings of the taxonomy package; `active` is the occupations of
the loaded release (O*NET 30.x uses O*NET-SOC 2019, so 2019 <-> active is the identity for current codes). Every
direction goes through 2019: 2010 -> 2019 is the official crosswalk (one-to-many kept), 2019 -> 2010 the same
table read backwards, 2019 -> active keeps the codes present in the release. A code absent from the `from`
taxonomy -> 422; an unknown taxonomy name or from == to -> 422 (the path exists, a value is wrong). A valid code
with no counterpart answers an empty `occupation` list. Items: `{code, title}` (titles of the target taxonomy),
plus `href` when the target is active; ordered by code.

Military. Matches are the active records (status A) of the military crosswalk linked to at least one occupation of
the release, one per service + code + title; a keyword matches a military code exactly (case-insensitive) or
occurs in the title (every word, case-insensitive; "infantry" finds "Infantryman"). Exact code matches first,
then by code and service. The title carries "(Service - Category)" as in the captured v2 body: Army, Navy, Air
Force, Marine Corps, Coast Guard (other DMDC code sets have no certain name and get only the category); the
category is Enlisted / Commissioned Officer / Warrant Officer, with " only" when the same service code also exists
in another category in the file (the captured "Basic Infantry Officer (Marine Corps - Commissioned Officer only)":
0301 is also an obsolete warrant-officer code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common

TAXONOMIES = ("2010", "2019", "active")
_CATEGORIES = {"E": "Enlisted", "O": "Commissioned Officer", "W": "Warrant Officer"}


def _require(ctx: Ctx, *tables: str) -> None:
    ctx.db.require("taxonomy crosswalk", *tables)


def _listing(ctx: Ctx, taxonomy: str) -> dict[str, dict]:
    if taxonomy == "active":
        return common.occupations(ctx)
    _require(ctx, "taxonomy_occupations")
    return ctx.db.memo(
        f"taxonomy.{taxonomy}",
        lambda: {
            r["code"]: r
            for r in ctx.db.all(
                "SELECT onetsoc_code AS code, title, description FROM taxonomy_occupations WHERE taxonomy = ? "
                "ORDER BY onetsoc_code",
                (taxonomy,),
            )
        },
    )


def _links_2010_2019(ctx: Ctx) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(2010 code -> 2019 codes, 2019 code -> 2010 codes) from the official crosswalk."""
    _require(ctx, "taxonomy_crosswalks")

    def load():
        forward: dict[str, list[str]] = {}
        backward: dict[str, list[str]] = {}
        for r in ctx.db.all(
            "SELECT from_code, to_code FROM taxonomy_crosswalks WHERE from_taxonomy = '2010' "
            "AND to_taxonomy = '2019' ORDER BY from_code, to_code"
        ):
            forward.setdefault(r["from_code"], []).append(r["to_code"])
            backward.setdefault(r["to_code"], []).append(r["from_code"])
        return forward, backward

    return ctx.db.memo("taxonomy.links", load)


def _taxonomy(name: str, role: str) -> str:
    if name not in TAXONOMIES:
        raise InvalidParameter(f"unknown {role} taxonomy {name!r}: expected one of {', '.join(TAXONOMIES)}")
    return name


def map_codes(ctx: Ctx, source: str, target: str, code: str) -> list[str]:
    """Codes of `target` for `code` of `source` (both validated), through O*NET-SOC 2019."""
    codes_2019 = _links_2010_2019(ctx)[0].get(code, []) if source == "2010" else [code]
    if source == "active":
        codes_2019 = [c for c in codes_2019 if c in _listing(ctx, "2019")]
    if target == "2010":
        backward = _links_2010_2019(ctx)[1]
        return sorted({old for c in codes_2019 for old in backward.get(c, [])})
    known = _listing(ctx, target)
    return sorted(c for c in dict.fromkeys(codes_2019) if c in known)


def crosswalk(ctx: Ctx, source: str, target: str, code: str) -> dict:
    """`{code, title, description?, occupation: [{href?, code, title}]}` for `code` of taxonomy `source`."""
    source, target = _taxonomy(source, "from"), _taxonomy(target, "to")
    if source == target:
        raise InvalidParameter(f"from and to are both {source!r}: choose two different taxonomies")
    if not common.CODE_RE.match(code or ""):
        raise InvalidParameter(f"invalid O*NET-SOC code {code!r}: expected a code like 15-1252.00")
    occupation = _listing(ctx, source).get(code)
    if occupation is None:
        raise InvalidParameter(f"unknown O*NET-SOC code {code!r} in the {source} taxonomy")
    titles = _listing(ctx, target)
    items = []
    for new in map_codes(ctx, source, target, code):
        item = {"code": new, "title": titles[new]["title"]}
        items.append({"href": ctx.link(urls.OCCUPATION, code=new), **item} if target == "active" else item)
    body = {"code": code, "title": occupation["title"]}
    if occupation.get("description"):
        body["description"] = occupation["description"]
    body["occupation"] = items
    return body


# -- military crosswalk -----------------------------------------------------------------------------------------


@dataclass
class Match:
    svc: str
    code: str
    title: str
    folded: str
    occupations: list[str] = field(default_factory=list)


def military_matches(ctx: Ctx) -> list[Match]:
    """Every active military occupation linked to an occupation of the release (memoised)."""
    ctx.db.require("military crosswalk", "military_crosswalk")

    def load() -> list[Match]:
        active = common.occupations(ctx)
        every: dict[tuple[str, str], set[str]] = {}
        for r in ctx.db.all("SELECT DISTINCT svc, moc, mpc FROM military_crosswalk WHERE moc IS NOT NULL"):
            every.setdefault((r["svc"], r["moc"]), set()).add(r["mpc"])
        groups: dict[tuple, dict] = {}
        for r in ctx.db.all(
            "SELECT svc, branch, mpc, moc, moc_title, onetsoc_code FROM military_crosswalk "
            "WHERE status = 'A' AND onetsoc_code IS NOT NULL AND moc IS NOT NULL ORDER BY record"
        ):
            if r["onetsoc_code"] not in active:
                continue
            g = groups.setdefault(
                (r["svc"], r["moc"], r["moc_title"] or ""), {"branch": r["branch"], "mpc": set(), "occ": []}
            )
            g["mpc"].add(r["mpc"])
            if r["onetsoc_code"] not in g["occ"]:
                g["occ"].append(r["onetsoc_code"])
        matches = []
        for (svc, moc, title), g in groups.items():
            kinds = [_CATEGORIES[k] for k in _CATEGORIES if k in g["mpc"]]
            label = " and ".join(kinds)
            if label and every.get((svc, moc), set()) - g["mpc"] - {None, "-"}:
                label += " only"
            suffix = " - ".join(p for p in (g["branch"], label) if p)
            full = f"{title} ({suffix})" if suffix else title
            matches.append(Match(svc, moc, full, title.casefold(), g["occ"]))
        matches.sort(key=lambda m: (m.code, m.svc, m.title))
        return matches

    return ctx.db.memo("taxonomy.military", load)


def find_military(ctx: Ctx, keyword: str) -> list[Match]:
    """The military occupations whose code is `keyword` (first) or whose title holds its every word (shared with
    My Next Move for Veterans' military search)."""
    matches = military_matches(ctx)
    folded = keyword.casefold()
    words = folded.split()
    exact = [m for m in matches if m.code.casefold() == folded]
    return exact + [m for m in matches if m.code.casefold() != folded and all(w in m.folded for w in words)]


def military(ctx: Ctx, keyword: str, page: Page) -> dict:
    """Military occupations whose code or title matches `keyword`, each with its civilian O*NET occupations."""
    found = find_military(ctx, keyword)
    items = [
        {"code": m.code, "title": m.title, "occupation": [common.occupation_item(ctx, c) for c in m.occupations]}
        for m in page.slice(found)
    ]
    return ctx.paged(page, len(found), "match", items)
