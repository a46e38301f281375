"""O*NET data by descriptor: `/online/onet_data/{section}/{id}`, the occupations rated on one Content Model
element, highest first — where the `related` link of every element item of the occupation reports leads
(evidence.md Part 2 §5: "skills `related` links point at `online/onet_data/skills/{id}`").

No body of this route was captured; decided here:
- `{start, end, total, prev?, next?, element: {id, name, description}, occupation: [{href, code, title, tags,
  <rating>}]}`, 20 per page; the rating keys are those of the section's details report: `importance` and
  `level` (knowledge, skills, abilities, work_activities), `importance` (work_styles: impact WI), `context`
  (work_context: CX/CT), `extent` (work_values: EX), `occupational_interest` (interests: OI) — all 0–100,
  truncated. Ordered by the first of them desc, then title; occupations of the active taxonomy only.
- interests are addressed by RIASEC letter (`R`, `I`, …: the form seen live, evidence.md Part 2 §6) or by element
  id (`1.B.1.a`): every occupation rated on that area, by its OI rating. The live route also takes 2–3 letter
  codes (`RI`, `RIA`; evidence.md Part 2 §6), answered from the release's interest high points (Interests / Career
  Interest Types 1.B.1.g/h/i First/Second/Third Interest High-Point, scale IH, 1–6 = R, I, A, S, E, C, 0 = none):
  the occupations whose high-point code **starts with the letters, in order** — `RI` = first high point Realistic
  and second Investigative (any third, or none); `RIA` = exactly R, I, A. Ordered by the OI ratings of the code's
  letters in turn (highest first), then title. Items carry `occupational_interest` (OI of the code's first letter,
  as for the letter alone) and `high_point_code` (the occupation's whole code, "RIC", as `details/interests`);
  `element` = `{id: "RI", name: "Realistic-Investigative", description}`. Letters are case-insensitive; a
  repeated letter, a 4th letter or another character is 422; a code no occupation has is an empty page.
- An element the section does not rate, or a section whose release file was not imported (work activities and
  work context are missing from the data copies here), is 422, as any report section without data.
- A section whose data the loaded release dropped (work_values on O*NET 30.3+) is 404, as its report sections
  (`services/release.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from onetlocal.context import Ctx, Page
from onetlocal.errors import InvalidParameter
from onetlocal.services import common, release
from onetlocal.services.reports.base import elements, per_occupation, scale
from onetlocal.sql import quote


@dataclass(frozen=True)
class Family:
    table: str
    scales: dict[str, str]  # scale id -> key in the occupation item; the first key orders the list


_RATED = {"IM": "importance", "LV": "level"}

FAMILIES: dict[str, Family] = {
    "knowledge": Family("knowledge", _RATED),
    "skills": Family("skills", _RATED),
    "abilities": Family("abilities", _RATED),
    "work_activities": Family("work_activities", _RATED),
    "work_context": Family("work_context", {"CX": "context", "CT": "context"}),
    "work_styles": Family("work_styles", {"WI": "importance"}),
    "work_values": Family("work_values", {"EX": "extent"}),
    "interests": Family("interests", {"OI": "occupational_interest"}),
}

#: Interest areas by RIASEC letter (Content Model 1.B.1.a-f).
RIASEC = {"R": "1.B.1.a", "I": "1.B.1.b", "A": "1.B.1.c", "S": "1.B.1.d", "E": "1.B.1.e", "C": "1.B.1.f"}
#: First, Second and Third Interest High-Point (scale IH: 1-6 = the areas in RIASEC order, 0 = none).
HIGH_POINTS = ("1.B.1.g", "1.B.1.h", "1.B.1.i")


def _ranked(ctx: Ctx, family: Family, element_id: str) -> list[dict]:
    """Every occupation rated on the element, best first: [{code, <keys>}] (memoised, bounded)."""

    def load() -> list[dict]:
        marks = ", ".join("?" for _ in family.scales)
        by_code: dict[str, dict] = {}
        for r in ctx.db.all(
            f"SELECT onetsoc_code, scale_id, data_value FROM {quote(family.table)} "
            f"WHERE element_id = ? AND scale_id IN ({marks})",
            (element_id, *family.scales),
        ):
            by_code.setdefault(r["onetsoc_code"], {})[family.scales[r["scale_id"]]] = scale(
                ctx, r["scale_id"], r["data_value"]
            )
        known = common.occupations(ctx)
        first = next(iter(family.scales.values()))
        keys = list(dict.fromkeys(family.scales.values()))
        items: list[dict[str, Any]] = [
            {"code": code, **{k: ratings.get(k) for k in keys}} for code, ratings in by_code.items() if code in known
        ]
        items.sort(key=lambda i: (-(i[first] or 0), known[i["code"]]["title"], i["code"]))
        return items

    return per_occupation(ctx, f"onet_data.{family.table}.{element_id}", load)


def _interest_codes(ctx: Ctx) -> list[dict]:
    """Every occupation with interest high points: [{code, high_point_code, oi: {letter: raw OI}}] (memoised)."""

    def load() -> list[dict]:
        letters = list(RIASEC)
        area = {element: letter for letter, element in RIASEC.items()}
        found: dict[str, dict] = {}
        for r in ctx.db.all(
            "SELECT onetsoc_code, element_id, scale_id, data_value FROM interests WHERE scale_id IN ('OI', 'IH')"
        ):
            occupation = found.setdefault(r["onetsoc_code"], {"points": {}, "oi": {}})
            if r["scale_id"] == "OI" and r["element_id"] in area:
                occupation["oi"][area[r["element_id"]]] = r["data_value"]
            elif r["scale_id"] == "IH" and r["element_id"] in HIGH_POINTS and 1 <= int(r["data_value"] or 0) <= 6:
                occupation["points"][HIGH_POINTS.index(r["element_id"])] = letters[int(r["data_value"]) - 1]
        known = common.occupations(ctx)
        return [
            {"code": code, "high_point_code": "".join(o["points"][i] for i in sorted(o["points"])), "oi": o["oi"]}
            for code, o in found.items()
            if o["points"] and code in known
        ]

    return ctx.db.memo("onet_data.interest_codes", load)


def _interest_code(ctx: Ctx, letters: str, page: Page) -> dict:
    """2–3 RIASEC letters: occupations whose high-point code starts with them (module docstring)."""
    known = common.occupations(ctx)
    matching = [o for o in _interest_codes(ctx) if o["high_point_code"].startswith(letters)]
    matching.sort(key=lambda o: (*(-(o["oi"].get(x) or 0) for x in letters), known[o["code"]]["title"], o["code"]))
    rows = [
        {
            **common.occupation_item(ctx, o["code"]),
            "occupational_interest": scale(ctx, "OI", o["oi"].get(letters[0])),
            "high_point_code": o["high_point_code"],
        }
        for o in page.slice(matching)
    ]
    names = [elements(ctx).get(RIASEC[x], {}).get("element_name") or x for x in letters]
    ordinals = ("first", "second", "third")
    head = {
        "id": letters,
        "name": "-".join(names),
        "description": "Occupations whose interest high-point code starts with "
        + ", ".join(f"{name} ({ordinals[i]} high point)" for i, name in enumerate(names))
        + ".",
    }
    return ctx.paged(page, len(matching), "occupation", rows, element=head)


def occupations(ctx: Ctx, section: str, element_id: str, page: Page) -> dict:
    """`/online/onet_data/{section}/{id}`: occupations by their rating on one element (module docstring)."""
    family = FAMILIES[section]
    release.require_kept(ctx, family.table, f"the {section} descriptors")
    if section == "interests" and element_id.upper() in RIASEC:
        element_id = RIASEC[element_id.upper()]
    ctx.db.require(f"onet_data/{section}", family.table)
    if section == "interests" and element_id.isalpha():
        letters = element_id.upper()
        if not (2 <= len(letters) <= 3 and set(letters) <= set(RIASEC) and len(set(letters)) == len(letters)):
            raise InvalidParameter(
                f"unknown interest code {element_id!r}: one to three different RIASEC letters "
                "(R, I, A, S, E, C), e.g. RI or RIA, or an element id such as 1.B.1.a"
            )
        return _interest_code(ctx, letters, page)
    items = _ranked(ctx, family, element_id)
    ref = elements(ctx).get(element_id)
    if not items or ref is None:
        raise InvalidParameter(f"no occupation is rated on {section} element {element_id!r}")
    rows = [
        {**common.occupation_item(ctx, i["code"]), **{k: v for k, v in i.items() if k != "code"}}
        for i in page.slice(items)
    ]
    head = {"id": element_id, "name": ref["element_name"], "description": ref["description"]}
    return ctx.paged(page, len(items), "occupation", rows, element=head)
