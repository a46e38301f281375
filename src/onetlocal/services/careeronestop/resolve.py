"""What a Get Occupation Details request names: the occupation (`keyword`), the place (`location`), and the codes
of the other taxonomies the occupation's data is published under (SOC, OEWS, BLS Employment Projections).

keyword: an O*NET-SOC code (`15-1252.00`), a SOC code written without the O*NET suffix (`15-1252` = `.00`), or an
exact O*NET title, case and surrounding blanks ignored. Anything else is 404 (CareerOneStop's "Not found").

location (resolution order, the first that matches wins):
- `0` or `US` (any case): the nation; no state, no area.
- a ZIP code (`60601`, also `60601-1234`): its USPS state and the OEWS metro/nonmetro area holding the largest share
  of the ZIP's land (geo_zip_oews_area rank 1; a ZIP spanning two areas is given one, as a person lives in one).
  A ZIP the USPS list lacks (unique and some PO-box ZIPs, e.g. the seed's 61299) is placed by its 3-digit prefix:
  the state and likeliest area of the prefix's known ZIPs by population (geo_zip_prefix; the rule is in
  ingest/supplementary/zip_prefixes.py). A prefix that places nothing (unassigned, APO/FPO) is 400.
- a state: USPS abbreviation (`IL`) or name (`Illinois`; also its OEWS name: `Virgin Islands`).
- `City, ST` (also `City ST`, `City, State name`): the Census place of that name in the state (a city before a CDP
  or town of the same name, then the largest), its OEWS area of largest land share; a USPS city name not matched
  to a Census place falls back to the area of the city's first ZIP code.
- anything else: 400. A known state with an unknown city is also 400 (never silently the state).

SOC / OEWS / EP codes: the one rule of `onetlocal.soc` (via `services.bls.bls_code`): an O*NET-SOC code's SOC is its
first seven characters (the O*NET-SOC 2019 -> SOC 2018 crosswalk gives the title); OEWS, the Employment Projections
matrix and the attainment table publish some SOC occupations only as an aggregate: the SOC code itself, else the one
BLS combination of its broad group (`21-1011` -> `21-1018`), else the broad group (`31-1122` -> `31-1120`); none
(Legislators, military occupations) means no wages or projections, never the minor group's ("Top Executives" is no
stand-in for Legislators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from onetlocal.context import Ctx
from onetlocal.errors import BadRequest, NotFound
from onetlocal.places import name_key
from onetlocal.services import common
from onetlocal.soc import soc_code

_SOC_ONLY = re.compile(r"\d{2}-\d{4}")
_ZIP = re.compile(r"(\d{5})(?:-\d{4})?")
NATIONAL = {"0", "us"}


@dataclass(frozen=True)
class Area:
    code: str  # 7-digit OEWS area code
    name: str


@dataclass(frozen=True)
class Place:
    """A resolved location: the state (None = national) and the OEWS areas within it that the request names."""

    text: str
    state_fips: str | None = None
    state_abbr: str | None = None
    state_name: str | None = None
    areas: tuple[Area, ...] = ()

    @property
    def fips(self) -> str:
        return self.state_fips or "00"


# -- keyword --------------------------------------------------------------------------------------------------------
def _titles(ctx: Ctx) -> dict[str, str]:
    return ctx.db.memo(
        "cos.titles", lambda: {o["title"].strip().casefold(): code for code, o in common.occupations(ctx).items()}
    )


def occupation(ctx: Ctx, keyword: str) -> dict:
    """The O*NET occupation row the keyword names, or 404."""
    text = keyword.strip()
    occupations = common.occupations(ctx)
    code = text + ".00" if _SOC_ONLY.fullmatch(text) else text
    if code not in occupations:
        code = _titles(ctx).get(" ".join(text.split()).casefold(), "")
    if code not in occupations:
        raise NotFound(
            f"no occupation matches {keyword!r}: give an O*NET-SOC code (e.g. 15-1252.00) "
            f"or an exact O*NET occupation title (e.g. Software Developers)"
        )
    return occupations[code]


# -- taxonomies ------------------------------------------------------------------------------------------------------
def soc_of(ctx: Ctx, onet_code: str) -> dict:
    """{code, title} of the SOC 2018 occupation an O*NET-SOC 2019 code belongs to (`soc.soc_code`; the title from
    the taxonomy crosswalk, "" without it)."""

    def load() -> dict[str, str]:
        if not ctx.db.table_exists("taxonomy_soc_crosswalk"):
            return {}
        rows = ctx.db.all("SELECT soc_code, soc_title FROM taxonomy_soc_crosswalk WHERE taxonomy = '2019'")
        return {r["soc_code"]: r["soc_title"] for r in rows}

    code = soc_code(onet_code)
    return {"code": code, "title": ctx.db.memo("cos.soc_titles", load).get(code, "")}


def soc_details(ctx: Ctx) -> dict[str, tuple[str, str, str]]:
    """SOC 2018 code -> (group, title, definition) from the SOC definitions file."""

    def load() -> dict[str, tuple[str, str, str]]:
        if not ctx.db.table_exists("soc_definitions"):
            return {}
        return {
            r["soc_code"]: (r["soc_group"], r["soc_title"], r["soc_definition"] or "")
            for r in ctx.db.all("SELECT soc_group, soc_code, soc_title, soc_definition FROM soc_definitions")
        }

    return ctx.db.memo("cos.soc_details", load)


def codes(ctx: Ctx, table: str, sql: str) -> frozenset[str]:
    """The codes (column `code` of `sql`) a source table publishes; empty when the table was not imported."""
    return ctx.db.memo(
        f"cos.codes.{table}",
        lambda: frozenset(r["code"] for r in ctx.db.all(sql)) if ctx.db.table_exists(table) else frozenset(),
    )


def titles(ctx: Ctx, table: str, sql: str) -> dict[str, str]:
    """The titles (column `title` of `sql`, by `code`) of the codes a source table publishes (`soc.published_code`
    rule 4); empty when the table was not imported."""
    return ctx.db.memo(
        f"cos.titles.{table}",
        lambda: {r["code"]: r["title"] for r in ctx.db.all(sql)} if ctx.db.table_exists(table) else {},
    )


# -- location --------------------------------------------------------------------------------------------------------
def _states(ctx: Ctx) -> dict[str, dict]:
    """Abbreviation, name and OEWS state-area name (casefolded) -> state row."""

    def load() -> dict[str, dict]:
        out: dict[str, dict] = {}
        if ctx.db.table_exists("geo_states"):
            by_fips = {}
            for r in ctx.db.all("SELECT state_fips, state_abbr, name FROM geo_states"):
                out[r["state_abbr"].casefold()] = out[r["name"].casefold()] = by_fips[r["state_fips"]] = r
            if ctx.db.table_exists("oews_areas"):
                for r in ctx.db.all("SELECT state_fips, area_name FROM oews_areas WHERE area_type = 'S'"):
                    if r["state_fips"] in by_fips:
                        out.setdefault(r["area_name"].casefold(), by_fips[r["state_fips"]])
        return out

    return ctx.db.memo("cos.states", load)


def _place(state: dict, text: str, areas: list[dict]) -> Place:
    return Place(
        text,
        state["state_fips"],
        state["state_abbr"],
        state["name"],
        tuple(Area(a["oews_area_code"], a["oews_area_name"]) for a in areas),
    )


def _zip(ctx: Ctx, text: str, code: str) -> Place:
    row = (
        ctx.db.one("SELECT state_abbr FROM geo_zip WHERE zip = ?", (code,)) if ctx.db.table_exists("geo_zip") else None
    )
    if row is None:
        return _zip_prefix(ctx, text, code)
    state = _states(ctx).get((row or {}).get("state_abbr", "").casefold()) if row else None
    if state is None:
        raise BadRequest(f"unknown ZIP code {code!r}")
    areas = (
        ctx.db.all("SELECT oews_area_code, oews_area_name FROM geo_zip_oews_area WHERE zip = ? AND rank = 1", (code,))
        if ctx.db.table_exists("geo_zip_oews_area")
        else []
    )
    return _place(state, text, areas)


def _zip_prefix(ctx: Ctx, text: str, code: str) -> Place:
    """A ZIP the USPS list lacks, placed by its 3-digit prefix (sectional center), or 400."""
    row = (
        ctx.db.one(
            "SELECT state_abbr, oews_area_code, oews_area_name FROM geo_zip_prefix WHERE prefix = ?", (code[:3],)
        )
        if ctx.db.table_exists("geo_zip_prefix")
        else None
    )
    state = _states(ctx).get(row["state_abbr"].casefold()) if row else None
    if row is None or state is None:
        raise BadRequest(f"unknown ZIP code {code!r}: no ZIP code with prefix {code[:3]} is known")
    return _place(state, text, [row] if row["oews_area_code"] else [])


def _city(ctx: Ctx, text: str, city: str, state: dict) -> Place:
    key = name_key(city)
    areas: list[dict] = []
    if ctx.db.table_exists("geo_places"):
        # A city (LSAD 25) before other incorporated places, then CDPs (57); the largest first among equals.
        place = ctx.db.one(
            "SELECT place_geoid FROM geo_places WHERE state_abbr = ? AND city_key = ? "
            "ORDER BY lsad = '25' DESC, lsad = '57', land_area_sqmi DESC LIMIT 1",
            (state["state_abbr"], key),
        )
        if place is not None:
            areas = ctx.db.all(
                "SELECT oews_area_code, oews_area_name FROM geo_place_oews_area WHERE place_geoid = ? AND rank = 1",
                (place["place_geoid"],),
            )
            return _place(state, text, areas)
    if ctx.db.table_exists("geo_zip"):
        row = ctx.db.one(
            "SELECT zip FROM geo_zip WHERE state_abbr = ? AND city_key = ? ORDER BY zip LIMIT 1",
            (state["state_abbr"], key),
        )
        if row is not None:
            return _zip(ctx, text, row["zip"])
    raise BadRequest(f"unknown city {city!r} in {state['name']}: give 'City, ST', a state, a ZIP code, or 0/US")


def location(ctx: Ctx, text: str) -> Place:
    """The place a location string names (see the module docstring), or 400; remembered per database (the
    bounded memo; unknown ones are not kept)."""
    return ctx.db.memo(("cos.locations", text), lambda: _location(ctx, text), bounded=True)


def _location(ctx: Ctx, text: str) -> Place:
    raw = " ".join(text.split())
    if raw.casefold() in NATIONAL:
        return Place(raw)
    # States, ZIP codes and cities are named by the Census files: without them only the nation can be placed.
    ctx.db.require("locations other than the nation (a state, ZIP code or city)", "geo_states")
    if (zip_match := _ZIP.fullmatch(raw)) is not None:
        return _zip(ctx, raw, zip_match.group(1))
    states = _states(ctx)
    if (state := states.get(raw.casefold())) is not None:
        return _place(state, raw, [])
    city, sep, rest = raw.rpartition(",")
    if sep and city.strip() and (state := states.get(rest.strip().casefold())) is not None:
        return _city(ctx, raw, city.strip(), state)
    city, sep, rest = raw.rpartition(" ")
    if sep and city.strip() and (state := states.get(rest.strip().casefold())) is not None:
        return _city(ctx, raw, city.strip(), state)
    raise BadRequest(
        f"unknown location {text!r}: give 'City, ST' (Chicago, IL), a state (IL or Illinois), "
        f"a ZIP code (60601), or 0/US for national data"
    )
