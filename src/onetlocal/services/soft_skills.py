"""Soft skills search (seed page): list the social and thinking skills, then the occupations that use the
selected ones at a high level.

Which skills: `GROUPS` (data-sources.md): social = Social Skills 2.B.1.*; thinking = Process skills 2.A.2.*,
Complex Problem Solving 2.B.2.i and Systems Skills 2.B.4.*. Listed by title (the seed starts with
Coordination and Active Learning). Examples are the skill's Level Scale Anchors, level on 0–100.

"High-level" (INFERRED, `HIGH_LEVEL`, `MOST_IMPORTANT`): a soft skill is high-level for an occupation when it is one
of the occupation's three most important soft skills (competition rank on the IM rating: skills tied on importance
share a rank, so a tie for third keeps every tied skill), its importance is at least 50 (IM >= 3.0, "important")
and its level at least 48 on 0–100 (LV >= ~3.4 of 7). Ratings flagged Not Relevant or Recommend Suppress never
count. The seed's two rows pin both numbers on the release data (ratings of 41-9091.00 unchanged since 2018,
of 31-2022.00 since 2023):
- 31-2022.00 Physical Therapist Aides: Social Perceptiveness (IM 3.12 -> 53, LV 3.38 -> 48) is matched, shares
  third place on importance (after Monitoring and Service Orientation, IM 3.25): the rank must reach 3. Its other
  soft skills in the top three (Monitoring LV 3.12 -> 44, Service Orientation and Coordination LV 3.00 -> 42) stay
  out of `skills_other`: the level must be above 44.
- 41-9091.00 Door-to-Door Sales Workers: Persuasion (IM 4.00 -> 75, LV 4.00 -> 57) is matched, Negotiation (IM 3.25
  -> 56, LV 3.38 -> 48) is not, though it is selected and rated higher on both scales than the aides' Social
  Perceptiveness. Only a rule relative to the occupation separates them: Negotiation is the occupation's fourth
  most important soft skill (after Persuasion 4.00, Social Perceptiveness 3.75, Service Orientation 3.62; its
  level 44 keeps those two out), so the rank may not reach 4. No importance or level threshold, Not Relevant or
  Recommend Suppress flag (all "N" here) or level anchor (2, 4, 6 for every soft skill) can.
With this rule the seed query (2.B.1.d,2.B.1.c,2.B.1.a) finds 180 occupations on O*NET 30.1; the seed, from an
older release, shows 294 (its total is not a row and is not tuned to). Ties in the default sort go by code, which
keeps the seed's relative order (31-2022.00 before 41-9091.00). The seed's page starts with these two rows; here
fully covered occupations with lower codes come first (e.g. 27-2011.00 Actors, whose Social Perceptiveness, IM 68 /
LV 53, and weaker other soft skills make it at least as covered as the aides under any rule that matches the aides):
the seed's tie order is not one the data can give, and is not imitated.
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
#: ... and its importance rank among the occupation's soft skills (1 = most important; ties share a rank).
MOST_IMPORTANT = 3


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
                {"level": common.scaled(r["anchor_value"], *lv), "description": r["anchor_description"]}
            )
    body: dict[str, list] = {group: [] for group in GROUPS}
    for s in known.values():
        body[s.group].append(
            {"code": s.code, "title": s.title, "description": s.description, "example": examples.get(s.code, [])}
        )
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
    """O*NET-SOC code -> its high-level soft skills (module docstring), most important first."""

    def load() -> dict[str, list[Rated]]:
        known = skills(ctx)
        ranges = _ranges(ctx)
        raw: dict[str, dict[str, dict[str, float]]] = {}  # code -> element -> scale -> rating
        unusable: set[tuple[str, str]] = set()
        for r in ctx.db.all(
            "SELECT onetsoc_code, element_id, scale_id, data_value, recommend_suppress, not_relevant FROM skills "
            "WHERE scale_id IN ('IM', 'LV')"
        ):
            if r["element_id"] not in known or r["data_value"] is None:
                continue
            raw.setdefault(r["onetsoc_code"], {}).setdefault(r["element_id"], {})[r["scale_id"]] = r["data_value"]
            if r["recommend_suppress"] == "Y" or r["not_relevant"] == "Y":
                unusable.add((r["onetsoc_code"], r["element_id"]))
        found: dict[str, list[Rated]] = {}
        for code, rated in raw.items():
            importance = [scales["IM"] for scales in rated.values() if "IM" in scales]
            for element_id, scales in rated.items():
                if "IM" not in scales or "LV" not in scales or (code, element_id) in unusable:
                    continue
                rank = 1 + sum(other > scales["IM"] for other in importance)
                level, importance_ = (common.scaled(scales[scale], *ranges[scale]) for scale in ("LV", "IM"))
                if level is None or importance_ is None:  # a scale without a range: nothing to compare
                    continue
                if rank <= MOST_IMPORTANT and level >= HIGH_LEVEL["LV"] and importance_ >= HIGH_LEVEL["IM"]:
                    found.setdefault(code, []).append(Rated(element_id, known[element_id].title, level, importance_))
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
        occupation_result(
            ctx, m.code, skills_matched=[s.item() for s in m.matched], skills_other=[s.item() for s in m.other]
        )
        for m in page.slice(ordered)
    ]
    return ctx.paged(page, len(ordered), "occupation", items)
