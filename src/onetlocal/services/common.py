"""Shapes and lookups shared by every O*NET family: occupation items, tags, job families, 0–100 ratings."""

from __future__ import annotations

import math
import re

from onetlocal import urls
from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter

CODE_RE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")

#: SOC 2018 major groups = O*NET OnLine job families (titles without the trailing word "Occupations").
JOB_FAMILIES: dict[str, str] = {
    "11-0000": "Management",
    "13-0000": "Business and Financial Operations",
    "15-0000": "Computer and Mathematical",
    "17-0000": "Architecture and Engineering",
    "19-0000": "Life, Physical, and Social Science",
    "21-0000": "Community and Social Service",
    "23-0000": "Legal",
    "25-0000": "Educational Instruction and Library",
    "27-0000": "Arts, Design, Entertainment, Sports, and Media",
    "29-0000": "Healthcare Practitioners and Technical",
    "31-0000": "Healthcare Support",
    "33-0000": "Protective Service",
    "35-0000": "Food Preparation and Serving Related",
    "37-0000": "Building and Grounds Cleaning and Maintenance",
    "39-0000": "Personal Care and Service",
    "41-0000": "Sales and Related",
    "43-0000": "Office and Administrative Support",
    "45-0000": "Farming, Fishing, and Forestry",
    "47-0000": "Construction and Extraction",
    "49-0000": "Installation, Maintenance, and Repair",
    "51-0000": "Production",
    "53-0000": "Transportation and Material Moving",
    "55-0000": "Military Specific",
}


def job_family(code: str) -> dict:
    family = f"{code[:2]}-0000"
    return {"code": family, "title": JOB_FAMILIES.get(family, "")}


def occupations(ctx: Ctx) -> dict[str, dict]:
    """Every occupation of the active taxonomy by code: {code: {code, title, description}}."""
    return ctx.db.memo(
        "common.occupations",
        lambda: {
            r["code"]: r
            for r in ctx.db.all(
                "SELECT onetsoc_code AS code, title, description FROM occupation_data ORDER BY onetsoc_code"
            )
        },
    )


def require_occupation(ctx: Ctx, code: str) -> dict:
    """The occupation row, or 422 as the real API answers for an unknown or obsolete code."""
    occupation = occupations(ctx).get(code)
    if occupation is None:
        if not CODE_RE.match(code or ""):
            raise InvalidParameter(f"invalid O*NET-SOC code {code!r}: expected a code like 15-1252.00")
        raise InvalidParameter(f"unknown O*NET-SOC code {code!r} (not in the active O*NET-SOC taxonomy)")
    return occupation


def bright_outlook_codes(ctx: Ctx) -> frozenset[str]:
    def load() -> frozenset[str]:
        if not ctx.db.table_exists("bright_outlook"):
            return frozenset()
        return frozenset(r["onetsoc_code"] for r in ctx.db.all("SELECT DISTINCT onetsoc_code FROM bright_outlook"))

    return ctx.db.memo("common.bright_outlook", load)


def tags(ctx: Ctx, code: str) -> dict:
    """A tag appears only when true (`{}` when none)."""
    return {"bright_outlook": True} if code in bright_outlook_codes(ctx) else {}


def occupation_item(ctx: Ctx, code: str, title: str | None = None, href: str | None = None) -> dict:
    """`{href, code, title, tags}`: the common occupation shape; href defaults to the O*NET OnLine overview."""
    if title is None:
        title = occupations(ctx)[code]["title"]
    return {
        "href": href or ctx.link(urls.OCCUPATION, code=code),
        "code": code,
        "title": title,
        "tags": tags(ctx, code),
    }


def scaled(value: float | None, minimum: float, maximum: float) -> int | None:
    """A rating on 0–100, truncated like O*NET OnLine: (value-min)/(max-min)*100, guarded against float error."""
    if value is None or maximum == minimum:
        return None
    return math.trunc(round((value - minimum) / (maximum - minimum) * 100, 6))


def scales(ctx: Ctx) -> dict[str, tuple[float, float]]:
    """Scale id -> (minimum, maximum) from Scales Reference."""
    return ctx.db.memo(
        "common.scales",
        lambda: {r["scale_id"]: (r["minimum"], r["maximum"]) for r in ctx.db.all("SELECT * FROM scales_reference")},
    )
