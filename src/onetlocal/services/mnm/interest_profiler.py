"""The O*NET Interest Profiler for every site: questions, RIASEC scores, job zones, matching careers, and careers
by single interest (spec §3 and §7; the matching-careers seed page).

Method (verified on O*NET 30.1: the seed's answers give R 27, I 13, A 23, S 25, E 14, C 14, and Skincare
Specialists 0.786, Dancers 0.769 as the only "Best" fits):
- `answers` holds one digit per question in question order, 1 = Strongly Dislike ... 5 = Strongly Like. The Short
  Form's 60 questions (table `ip_questions`, imported from supplementary/interest-profiler) cycle through the areas in
  pairs (R R I I A A S S E E C C, five times); an area's raw score is the sum of (digit - 1) over its items (0-40).
- The Mini-IP (`questions_30`, 30 digits) is not in any public file. We derive it from the Short Form and say so:
  the first five Short Form items of each area (Short Form order), presented one at a time R, I, A, S, E, C, six
  times (item 1 "Build kitchen cabinets", item 2 "Develop a new medicine", as the real Mini-IP). Scores 0-20. The
  item texts are the Short Form's own; the selection is ours and may differ from O*NET's.
- Matching: Pearson correlation between the six scores and each career's six Occupational Interest values
  (table `interests`, scale OI: Interests up to O*NET 30.2, Career Interest Types from 30.3, whose re-estimated
  ratings move some careers between bands; docs/compatibility.md, "Interest Profiler on 30.3"). Fit bands: Best >=
  0.729, Great >= 0.608, Good >= 0.5; a lower correlation is no
  match. Order: fit band, then title (case-folded, then code), as the seed lists Dancers before Skincare
  Specialists (on /mpp/ the site's titles order a band: Spanish where imported). A flat profile (six equal scores)
  correlates with nothing: no careers (total 0). The matches of
  recent score profiles are kept (the database's bounded memo), so paging through one result does not recompute it.
- `careers` takes exactly one of `answers` or all six scores (0-40 each); anything else is 422 naming the problem.
  `zone` 1-5 keeps careers of that Job Zone; on a release with four zones (O*NET 30.2+) zone 1 is the merged zone
  "Job Zone 1-2" (value 2), so `zone=1` and `zone=2` keep the same careers there.
- Area titles and descriptions come from the Content Model Reference (1.B.1.a-f). `results` items are
  `{href, code, title, description, score}` (href -> careers for that single interest), not paged.
- `interests/` is `{interest: [{href, code, title, description}]}`; `interests/{area}`: careers whose first interest
  high-point (Interests, 1.B.1.g) is that area, by title, optionally of one Job Zone (no group object).
- Questions pages hold 20 by default, with `answer_option` (1-5: Strongly Dislike, Dislike, Unsure, Like, Strongly
  Like) before the `question` list.
- Mi Próximo Paso: no Spanish item texts exist in the data, so `/mpp/` serves the English texts with `language: "en"`
  on every item (see `explore.marked`): never English presented as Spanish.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from onetlocal import urls
from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import advanced, release
from onetlocal.services.mnm import Site
from onetlocal.services.mnm.explore import by_title, career_page, careers, marked
from onetlocal.vocabulary import INTEREST_AREAS as AREAS

#: Content Model element of each area, in RIASEC order.
AREA_ELEMENTS = dict(zip(AREAS, ("1.B.1.a", "1.B.1.b", "1.B.1.c", "1.B.1.d", "1.B.1.e", "1.B.1.f"), strict=True))
FIRST_HIGH_POINT = "1.B.1.g"

ANSWER_OPTIONS = ("Strongly Dislike", "Dislike", "Unsure", "Like", "Strongly Like")

#: (minimum correlation, fit), best first; below the last: no match.
FIT_BANDS = ((0.729, "Best"), (0.608, "Great"), (0.5, "Good"))

#: `answers`: 60 digits (Short Form) or 30 (Mini-IP), each 1-5.
ANSWERS_PATTERN = "[1-5]{60}|[1-5]{30}"
SHORT_FORM, MINI = 60, 30
MINI_PER_AREA = MINI // len(AREAS)


# -- questions ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    index: int
    area: str
    text: str


def short_form(ctx: Ctx) -> list[Question]:
    """The 60 Short Form items in administration order."""

    def load() -> list[Question]:
        ctx.db.require("Interest Profiler questions", "ip_questions")
        rows = ctx.db.all('SELECT "index", area, text FROM ip_questions ORDER BY "index"')
        questions = [Question(r["index"], r["area"], r["text"]) for r in rows]
        if len(questions) != SHORT_FORM:
            raise InvalidParameter(
                f"Interest Profiler questions: the build holds {len(questions)} items, "
                f"not the Short Form's {SHORT_FORM}"
            )
        return questions

    return ctx.db.memo("mnm.ip.short_form", load)


def mini_ip(ctx: Ctx) -> list[Question]:
    """The 30 Mini-IP items as derived here: each area's first five Short Form items, cycling R, I, A, S, E, C."""

    def load() -> list[Question]:
        per_area = {area: [q for q in short_form(ctx) if q.area == area] for area in AREAS}
        short = [area for area, items in per_area.items() if len(items) < MINI_PER_AREA]
        if short:
            raise InvalidParameter(f"Mini-IP: fewer than {MINI_PER_AREA} Short Form items for {', '.join(short)}")
        return [
            Question(i * len(AREAS) + k + 1, area, per_area[area][i].text)
            for i in range(MINI_PER_AREA)
            for k, area in enumerate(AREAS)
        ]

    return ctx.db.memo("mnm.ip.mini", load)


def _questions_page(ctx: Ctx, site: Site, questions: list[Question], page: Page) -> dict:
    options = [marked(site, {"value": value, "name": name}) for value, name in enumerate(ANSWER_OPTIONS, 1)]
    items = [marked(site, {"index": q.index, "area": q.area, "text": q.text}) for q in page.slice(questions)]
    return ctx.paged(page, len(questions), "question", items, answer_option=options)


def questions(ctx: Ctx, site: Site, page: Page) -> dict:
    """The 60-item Short Form."""
    return _questions_page(ctx, site, short_form(ctx), page)


def questions_30(ctx: Ctx, site: Site, page: Page) -> dict:
    """The 30-item Mini-IP (derived from the Short Form: see the module docstring)."""
    return _questions_page(ctx, site, mini_ip(ctx), page)


# -- scores -------------------------------------------------------------------------------------------------


def _positions(ctx: Ctx, length: int) -> tuple[int, ...]:
    """Per question of the form answered with `length` digits: the position of its area in AREAS."""

    def load() -> tuple[int, ...]:
        items = short_form(ctx) if length == SHORT_FORM else mini_ip(ctx)
        return tuple(AREAS.index(q.area) for q in items)

    return ctx.db.memo(f"mnm.ip.positions.{length}", load)


def raw_scores(ctx: Ctx, answers: str) -> tuple[int, ...]:
    """RIASEC raw scores of an answers string (60 or 30 digits 1-5, checked by the route): sum of (digit - 1)."""
    totals = [0] * len(AREAS)
    for position, digit in zip(_positions(ctx, len(answers)), answers, strict=True):
        totals[position] += ord(digit) - 49  # "1" -> 0 ... "5" -> 4
    return tuple(totals)


def areas(ctx: Ctx) -> dict[str, dict]:
    """area code -> {code, title, description} from the Content Model Reference."""

    def load() -> dict[str, dict]:
        ctx.db.require("Interest areas", "content_model_reference")
        rows = {
            r["element_id"]: r
            for r in ctx.db.all(
                "SELECT element_id, element_name, description FROM content_model_reference WHERE element_id IN "
                f"({', '.join('?' * len(AREAS))})",
                tuple(AREA_ELEMENTS.values()),
            )
        }
        return {
            area: {
                "code": area,
                "title": rows[e]["element_name"] if e in rows else area.capitalize(),
                "description": rows[e]["description"] if e in rows else "",
            }
            for area, e in AREA_ELEMENTS.items()
        }

    return ctx.db.memo("mnm.ip.areas", load)


def results(ctx: Ctx, site: Site, answers: str) -> dict:
    """The six raw scores, with a link to the matching careers (not paged)."""
    scores = raw_scores(ctx, answers)
    return {
        "careers": ctx.link(urls.INTEREST_PROFILER_CAREERS, {"answers": answers}, site=site.name),
        "result": [
            marked(
                site,
                {
                    "href": ctx.link(urls.INTEREST_PROFILER_INTEREST, site=site.name, area=area),
                    **areas(ctx)[area],
                    "score": score,
                },
            )
            for area, score in zip(AREAS, scores, strict=True)
        ],
    }


# -- matching -----------------------------------------------------------------------------------------------


def _standardized(values: Sequence[float]) -> tuple[float, ...] | None:
    """Values centred and scaled to unit length (None when all equal): Pearson r is then a dot product."""
    mean = sum(values) / len(values)
    centred = [v - mean for v in values]
    norm = math.sqrt(sum(c * c for c in centred))
    if norm == 0:
        return None
    return tuple(c / norm for c in centred)


def profiles(ctx: Ctx) -> list[tuple[str, tuple[float, ...]]]:
    """(career, standardized OI profile) for every career with all six OI values."""

    def load() -> list[tuple[str, tuple[float, ...]]]:
        ctx.db.require("Interest Profiler matching", "interests")
        position = {e: i for i, e in enumerate(AREA_ELEMENTS.values())}
        raw: dict[str, list] = {}
        for r in ctx.db.all("SELECT onetsoc_code, element_id, data_value FROM interests WHERE scale_id = 'OI'"):
            if r["element_id"] in position and r["data_value"] is not None:
                raw.setdefault(r["onetsoc_code"], [None] * len(AREAS))[position[r["element_id"]]] = r["data_value"]
        known = careers(ctx)
        out = []
        for code in known:  # title order, so equal fits keep it
            values = raw.get(code)
            z = _standardized(values) if values and None not in values else None
            if z is not None:
                out.append((code, z))
        return out

    return ctx.db.memo("mnm.ip.profiles", load)


#: Float error of the dot product (~1e-16) must not move a career across a band edge: compare with this slack.
_SLACK = 1e-9


def matches(ctx: Ctx, scores: tuple[int, ...]) -> tuple[tuple[str, str], ...]:
    """(career, fit) of every matching career, by fit band then title; remembered per score profile (paging
    through one result asks again with the same answers)."""
    return ctx.db.memo(("mnm.ip.matches", scores), lambda: _matches(ctx, scores), bounded=True)


def _matches(ctx: Ctx, scores: tuple[int, ...]) -> tuple[tuple[str, str], ...]:
    """Every career's Pearson r as one dot product, banded (profiles are in title order, so each band is too)."""
    user = _standardized(scores)
    if user is None:
        return ()
    u0, u1, u2, u3, u4, u5 = user
    (best, best_fit), (great, great_fit), (good, good_fit) = ((low - _SLACK, fit) for low, fit in FIT_BANDS)
    bands: tuple[list, list, list] = ([], [], [])
    for code, (a, b, c, d, e, f) in profiles(ctx):
        r = a * u0 + b * u1 + c * u2 + d * u3 + e * u4 + f * u5
        if r >= good:
            if r >= best:
                bands[0].append((code, best_fit))
            elif r >= great:
                bands[1].append((code, great_fit))
            else:
                bands[2].append((code, good_fit))
    return tuple(bands[0] + bands[1] + bands[2])


def _scores_from(answers: str | None, given: dict[str, int | None], ctx: Ctx) -> tuple[int, ...]:
    """The one parameter set given: `answers` or all six scores (422 naming what is wrong otherwise)."""
    present = [area for area in AREAS if given[area] is not None]
    if answers is not None and present:
        raise InvalidParameter(
            f"give either 'answers' or the six interest scores, not both (got answers and {', '.join(present)})"
        )
    if answers is not None:
        return raw_scores(ctx, answers)
    if not present:
        raise InvalidParameter(
            f"must have required property 'answers' (or all six interest scores: {', '.join(AREAS)})"
        )
    scores = tuple(score for area in AREAS if (score := given[area]) is not None)
    if len(scores) < len(AREAS):
        missing = [area for area in AREAS if given[area] is None]
        raise InvalidParameter(f"missing interest score(s): {', '.join(missing)} (give all six scores, or 'answers')")
    return scores


def matching_careers(
    ctx: Ctx,
    site: Site,
    page: Page,
    answers: str | None = None,
    realistic: int | None = None,
    investigative: int | None = None,
    artistic: int | None = None,
    social: int | None = None,
    enterprising: int | None = None,
    conventional: int | None = None,
    zone: int | None = None,
) -> dict:
    """Careers matching the answers or the six scores, each with its fit, optionally of one Job Zone."""
    given = {
        "realistic": realistic,
        "investigative": investigative,
        "artistic": artistic,
        "social": social,
        "enterprising": enterprising,
        "conventional": conventional,
    }
    found: Sequence[tuple[str, str]] = matches(ctx, _scores_from(answers, given, ctx))
    if site.language != "en":  # within a band, by the site's titles (Spanish where imported), not the English ones
        rank = {fit: i for i, (_, fit) in enumerate(FIT_BANDS)}
        order = {code: i for i, code in enumerate(by_title(ctx, site, [code for code, _ in found]))}
        found = sorted(found, key=lambda cf: (rank[cf[1]], order[cf[0]]))
    if zone is not None:
        found = [(code, fit) for code, fit in found if code in _in_zone(ctx, zone)]
    fits = dict(found)
    return career_page(ctx, site, [code for code, _ in found], page, lambda code: {"fit": fits[code]})


def _in_zone(ctx: Ctx, zone: int) -> frozenset[str]:
    """The occupations of Job Zone `zone` on the loaded release (zone 1 is the merged zone 2 since O*NET 30.2)."""
    zone = release.job_zone(ctx, zone)
    return ctx.db.memo(
        f"mnm.ip.zone.{zone}",
        lambda: frozenset(code for code, z in advanced.job_zones(ctx).items() if z["code"] == zone),
    )


# -- interest areas -----------------------------------------------------------------------------------------


def interests(ctx: Ctx, site: Site) -> dict:
    """The six RIASEC areas, each linking to its careers."""
    return {
        "interest": [
            marked(site, {"href": ctx.link(urls.INTEREST_PROFILER_INTEREST, site=site.name, area=a), **areas(ctx)[a]})
            for a in AREAS
        ]
    }


def first_high_points(ctx: Ctx) -> dict[str, list[str]]:
    """area -> careers whose first interest high-point is that area, by title."""

    def load() -> dict[str, list[str]]:
        ctx.db.require("Careers by interest", "interests")
        rows = ctx.db.all("SELECT onetsoc_code, data_value FROM interests WHERE element_id = ?", (FIRST_HIGH_POINT,))
        point = {r["onetsoc_code"]: r["data_value"] for r in rows}
        out: dict[str, list[str]] = {area: [] for area in AREAS}
        for code in careers(ctx):
            value = point.get(code)
            if value is not None and value == int(value) and 1 <= value <= len(AREAS):
                out[AREAS[int(value) - 1]].append(code)
        return out

    return ctx.db.memo("mnm.ip.first_high_points", load)


def interest_careers(ctx: Ctx, site: Site, area: str, page: Page, zone: int | None = None) -> dict:
    """Careers whose strongest interest is `area`, optionally of one Job Zone."""
    codes = by_title(ctx, site, first_high_points(ctx)[area])
    if zone is not None:
        codes = [c for c in codes if c in _in_zone(ctx, zone)]
    return career_page(ctx, site, codes, page)
