"""Soft skills search (seed page): list the social and thinking skills, then the occupations that use the
selected ones at a high level.

Which skills: `GROUPS` (data-sources.md): social = Social Skills 2.B.1.*; thinking = Process skills 2.A.2.*,
Complex Problem Solving 2.B.2.i and Systems Skills 2.B.4.*. Listed by title (the seed starts with
Coordination and Active Learning). Examples are the skill's Level Scale Anchors, level on 0–100.

"High-level" (INFERRED, `HIGH_LEVEL`): a soft skill is high-level for an occupation when its importance is at
least 50 (IM >= 3.0, "important") and its level at least 48 on 0–100 (LV >= ~3.4 of 7, about the top 30% of
all soft-skill level ratings). 48 is the lowest level that keeps the seed's two examples exactly as shown on
O*NET 30.1: Social Perceptiveness for 31-2022.00 (IM 53, LV 48) is matched and its other soft skills (Monitoring,
Service Orientation, Coordination: LV 42–44) are not high-level, so `skills_other` stays empty; Persuasion for
41-9091.00 (IM 75, LV 57) is matched. Ratings flagged Not Relevant are ignored. With this rule the seed query
(2.B.1.d,2.B.1.c,2.B.1.a) finds 336 occupations; the seed, from an older release, shows 294.
"""

from __future__ import annotations

from dataclasses import dataclass

from onetlocal.context import Ctx, Page
from onetlocal.errors import DataNotAvailable
from onetlocal.services import common
from onetlocal.services.advanced import check_known, occupation_result, zone_of

#: group -> Content Model element id prefixes (a full id matches itself).
GROUPS: dict[str, tuple[str, ...]] = {
    "social": ("2.B.1.",),
    "thinking": ("2.A.2.", "2.B.2.i", "2.B.4."),
}

#: Minimum 0–100 ratings for a soft skill to count as high-level for an occupation.
HIGH_LEVEL = {"IM": 50, "LV": 48}


@dataclass(frozen=True)
class Skill:
    code: str
    title: str
    description: str
    group: str


def _ranges(ctx: Ctx) -> dict[str, tuple[float, float]]:
    """The IM and LV scale ranges; 422 when Scales Reference was not imported."""
    ranges = common.scales(ctx)
    if not {"IM", "LV"} <= ranges.keys():
        raise DataNotAvailable("soft skills", ["scales_reference"])
    return ranges


def _group(element_id: str) -> str | None:
    for group, prefixes in GROUPS.items():
        if any(element_id == p or (p.endswith(".") and element_id.startswith(p)) for p in prefixes):
            return group
    return None


def skills(ctx: Ctx) -> dict[str, Skill]:
    """The soft skills rated in Skills, by code, in title order."""

    def load() -> dict[str, Skill]:
        rows = ctx.db.all(
            """SELECT c.element_id, c.element_name, c.description FROM content_model_reference c
               WHERE c.element_id IN (SELECT DISTINCT element_id FROM skills) ORDER BY c.element_name"""
        )
        found = {}
        for r in rows:
            group = _group(r["element_id"])
            if group:
                found[r["element_id"]] = Skill(r["element_id"], r["element_name"], r["description"], group)
        return found

    return ctx.db.memo("soft_skills.skills", load)


_skills = skills  # results() takes a parameter of the same name


def listing(ctx: Ctx) -> dict:
    """`{social: [...], thinking: [...]}`, each skill `{code, title, description, example: [{level, description}]}`."""
    known = skills(ctx)
    if not known:
        raise DataNotAvailable("soft skills", ["skills"])
    lv = _ranges(ctx)["LV"]
    examples: dict[str, list[dict]] = {}
    for r in ctx.db.all(
        "SELECT element_id, anchor_value, anchor_description FROM level_scale_anchors "
        "WHERE scale_id = 'LV' ORDER BY element_id, anchor_value"
    ):
        if r["element_id"] in known:
            examples.setdefault(r["element_id"], []).append(
                {"level": common.scaled(r["anchor_value"], *lv), "description": r["anchor_description"]})
    body: dict[str, list] = {group: [] for group in GROUPS}
    for s in known.values():
        body[s.group].append({"code": s.code, "title": s.title, "description": s.description,
                              "example": examples.get(s.code, [])})
    return body


@dataclass(frozen=True)
class Rated:
    code: str
    title: str
    level: int
    importance: int

    def item(self) -> dict:
        return {"code": self.code, "title": self.title, "level": self.level, "importance": self.importance}


def high_level(ctx: Ctx) -> dict[str, list[Rated]]:
    """O*NET-SOC code -> its high-level soft skills, most important first."""

    def load() -> dict[str, list[Rated]]:
        known = skills(ctx)
        ranges = _ranges(ctx)
        ratings: dict[tuple[str, str], dict[str, int]] = {}
        for r in ctx.db.all(
            "SELECT onetsoc_code, element_id, scale_id, data_value FROM skills "
            "WHERE scale_id IN ('IM', 'LV') AND (not_relevant IS NULL OR not_relevant != 'Y')"
        ):
            if r["element_id"] in known:
                ratings.setdefault((r["onetsoc_code"], r["element_id"]), {})[r["scale_id"]] = common.scaled(
                    r["data_value"], *ranges[r["scale_id"]])
        found: dict[str, list[Rated]] = {}
        for (code, element_id), rated in ratings.items():
            if all(rated.get(scale, -1) >= minimum for scale, minimum in HIGH_LEVEL.items()):
                found.setdefault(code, []).append(Rated(element_id, known[element_id].title, rated["LV"], rated["IM"]))
        for rated_list in found.values():
            rated_list.sort(key=lambda s: (-s.importance, -s.level, s.title))
        return found

    return ctx.db.memo("soft_skills.high_level", load)


@dataclass(frozen=True)
class Match:
    code: str
    title: str
    matched: list[Rated]
    other: list[Rated]

    @property
    def covered(self) -> float:
        """Share of the occupation's high-level soft skills that the user selected."""
        return len(self.matched) / (len(self.matched) + len(self.other))


#: sort=<name> -> key; default skills_covered (seed). Ties by code, as the seed lists 31-2022.00 before
#: 41-9091.00 (both fully covered).
SORTS = {
    "skills_covered": lambda m: (-m.covered, m.code),
    "my_matches": lambda m: (-len(m.matched), -m.covered, m.code),
    "title": lambda m: (m.title, m.code),
    "code": lambda m: m.code,
}


def results(ctx: Ctx, skills: list[str], sort: str, page: Page) -> dict:
    """Occupations with at least one selected skill at a high level, with `skills_matched` / `skills_other`."""
    selected = skills
    check_known("skills", selected, _skills(ctx))
    chosen = set(selected)
    titles = common.occupations(ctx)
    matches = []
    for code, rated in high_level(ctx).items():
        matched = [s for s in rated if s.code in chosen]
        if matched and code in titles:
            matches.append(Match(code, titles[code]["title"], matched, [s for s in rated if s.code not in chosen]))
    sorts = {**SORTS, "zone": lambda m: (zone_of(ctx, m.code), -m.covered, m.code)}
    ordered = sorted(matches, key=sorts[sort])
    items = [
        occupation_result(ctx, m.code, skills_matched=[s.item() for s in m.matched],
                          skills_other=[s.item() for s in m.other])
        for m in page.slice(ordered)
    ]
    return ctx.paged(page, len(ordered), "occupation", items)
