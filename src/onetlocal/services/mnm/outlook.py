"""Career report sections built on BLS data: `job_outlook` and `check_out_my_state`; the BLS code of a career.

From an O*NET-SOC code to a BLS code: the one rule of `onetlocal.soc` (via `services.bls.bls_code`). OEWS and the
Employment Projections publish some SOC codes only combined (O*NET 21-1011 and 21-1014 -> OEWS 21-1018; 53-1042..44
-> 53-1047; 13-1021..23 -> 13-1020); a career none of whose codes a source publishes has none of its data
(Legislators have no OEWS wages: no salary, never an invented one). The code used is what `salary.soc_code` says.

Decisions (spec §3/§7 give the shape, not these rules):
- outlook.category: **Bright** when the career is on O*NET's Bright Outlook list (the same list as `tags`);
  otherwise from BLS Employment Projections (Table 1.2) employment change over the decade: **Below Average**
  when the change is -1.0 % or lower (BLS "decline"; -0.9..+0.9 % is "little or no change"), else **Average**.
  A career neither on the list nor in the projections has no `outlook`. Descriptions: the Bright text is the v1
  record's; the two others follow My Next Move's wording for those categories.
- bright_outlook (only when Bright): `[{code: grow|openings|emerging, title}]`, the career's Bright Outlook
  categories (codes = the `/{site}/bright_outlook/{category}` slugs).
- salary: OEWS national cross-industry wages (May release). A value BLS top-codes (footnote 5) is given under
  `<key>_over` with the cap read from the footnote text ($239,200 a year / $115.00 an hour) instead of `<key>`
  (spec §7); an unpublished value (footnotes 4, 8, "-") is `null` (teachers have no hourly wages); no published
  value at all -> `salary: null`. Likewise `outlook: null` for a career neither Bright nor in the projections:
  a key of the shape is always there (docs/compatibility.md "Absent data"); `bright_outlook` is the exception the
  evidence gives, present only when Bright.
- check_out_my_state: `location` = a state's USPS code (`NV`, `VI`), 2-digit FIPS code (`32`) or name (OEWS's
  `Virgin Islands` or Census's `U.S. Virgin Islands`), case-insensitive; DC and territories included, each with its
  `postal_code` (a state area the Census list lacks would have none); anything else is 422. Without `location`
  the body lists every state by OEWS location quotient,
  `above_average` (LQ >= 1.2), `average` (0.8 <= LQ < 1.2), `below_average` (LQ < 0.8), as the v1 map legend did
  (the v1 cut points are not published; these are ours). With `location` it adds `state: {postal_code, name,
  salary, employment, location_quotient, projections?}`; `projections` (base/projected year and employment,
  percent change, annual openings) only where a state projections file was imported (Nevada in this build):
  other states answer wages only, never an invented outlook.
- industries of `explore_more` (`explore.career_industries`, from the same shares as the `/{site}/industries/`
  lists): the OEWS national sectors employing at least INDUSTRY_MIN_PERCENT of the career's workers,
  `{href?, code, title, percent_employed}`, most workers first; `href` = the industry list the career is on
  (most/some people), absent below the some-people share.
"""

from __future__ import annotations

from typing import Any

from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.oews_footnotes import TOP_CODED
from onetlocal.services import bls
from onetlocal.vocabulary import BRIGHT_OUTLOOK_TITLES

BELOW_AVERAGE_CHANGE = -1.0  # percent change over the projection decade at or below which outlook is Below Average
LQ_ABOVE, LQ_BELOW = 1.2, 0.8
INDUSTRY_MIN_PERCENT = 5

OUTLOOK_TEXT = {
    "Bright": "New job opportunities are very likely in the future.",
    "Average": "New job opportunities are likely in the future.",
    "Below Average": "New job opportunities are less likely in the future.",
}

#: salary key -> OEWS column, in the v1 record's order.
SALARY = (
    ("annual_10th_percentile", "annual_pct10"),
    ("annual_median", "annual_median"),
    ("annual_90th_percentile", "annual_pct90"),
    ("hourly_10th_percentile", "hourly_pct10"),
    ("hourly_median", "hourly_median"),
    ("hourly_90th_percentile", "hourly_pct90"),
)


# -- wages ---------------------------------------------------------------------------------------------------


def salary(ctx: Ctx, row: dict[str, Any]) -> dict | None:
    """`{soc_code, annual_10th_percentile, ..., hourly_90th_percentile}` from one OEWS row; top-coded values
    under `<key>_over` (instead of `<key>`), unpublished ones null; None when nothing is published."""
    body: dict[str, Any] = {"soc_code": row["soc_code"]}
    caps = bls.oews_caps(ctx)
    for key, column in SALARY:
        value, footnote = row[column], row[f"{column}_footnote"]
        if footnote == TOP_CODED:
            cap = value if value is not None else caps.get(column.split("_")[0])
            if cap is not None:
                body[f"{key}_over"] = cap
                continue
            value = None
        body[key] = value
    return body if any(v is not None for k, v in body.items() if k != "soc_code") else None


def _national(ctx: Ctx) -> dict[str, dict]:
    """OEWS national cross-industry rows by SOC code."""

    def load() -> dict[str, dict]:
        if not ctx.db.table_exists("oews_wages"):
            return {}
        return {r["soc_code"]: r for r in ctx.db.all("SELECT * FROM oews_wages WHERE area_type = 'N'")}

    return ctx.db.memo("mnm.oews_national", load)


def national_row(ctx: Ctx, code: str) -> dict | None:
    rows = _national(ctx)
    soc = bls.bls_code(ctx, "oews", code, rows)
    return rows[soc] if soc else None


# -- projections and outlook ---------------------------------------------------------------------------------


def _projections(ctx: Ctx) -> dict[str, dict]:
    def load() -> dict[str, dict]:
        if not ctx.db.table_exists("bls_projections"):
            return {}
        return {
            r["soc_code"]: r
            for r in ctx.db.all(
                "SELECT soc_code, employment_change_percent, annual_openings_thousands FROM bls_projections"
            )
        }

    return ctx.db.memo("mnm.bls_projections", load)


def _bright(ctx: Ctx) -> dict[str, list[str]]:
    """O*NET-SOC code -> its Bright Outlook category ids."""

    def load() -> dict[str, list[str]]:
        if not ctx.db.table_exists("bright_outlook"):
            return {}
        out: dict[str, list[str]] = {}
        for r in ctx.db.all("SELECT onetsoc_code, category FROM bright_outlook ORDER BY rowid"):
            if r["category"] not in out.setdefault(r["onetsoc_code"], []):
                out[r["onetsoc_code"]].append(r["category"])
        return out

    return ctx.db.memo("mnm.bright", load)


def outlook_category(ctx: Ctx, code: str) -> str | None:
    """Bright | Average | Below Average (thresholds in the module docstring); None without data."""
    if code in _bright(ctx):
        return "Bright"
    rows = _projections(ctx)
    soc = bls.bls_code(ctx, "ep", code, rows)
    change = rows[soc]["employment_change_percent"] if soc else None
    if change is None:
        return None
    return "Below Average" if change <= BELOW_AVERAGE_CHANGE else "Average"


def job_outlook(ctx: Ctx, code: str) -> dict:
    """`{outlook, bright_outlook (only when Bright), salary}` (`null` where there is no data); 422 when neither
    outlook nor salary has data."""
    body: dict[str, Any] = {"outlook": None}
    category = outlook_category(ctx, code)
    if category:
        body["outlook"] = {"category": category, "description": OUTLOOK_TEXT[category]}
    if category == "Bright":
        body["bright_outlook"] = [{"code": c, "title": BRIGHT_OUTLOOK_TITLES.get(c, c)} for c in _bright(ctx)[code]]
    row = national_row(ctx, code)
    body["salary"] = salary(ctx, row) if row else None
    if body["outlook"] is None and body["salary"] is None:
        raise InvalidParameter(f"no data available for this section: job_outlook for {code}")
    return body


# -- states ----------------------------------------------------------------------------------------------------


def _states(ctx: Ctx) -> dict[str, dict]:
    """OEWS state areas by FIPS: {fips, area_code, postal_code?, name, census_name?}."""

    def load() -> dict[str, dict]:
        if not ctx.db.table_exists("oews_areas"):
            return {}
        postal = {}
        if ctx.db.table_exists("geo_states"):
            postal = {r["state_fips"]: r for r in ctx.db.all("SELECT state_fips, state_abbr, name FROM geo_states")}
        states = {}
        for r in ctx.db.all(
            "SELECT area_code, state_fips, area_name FROM oews_areas WHERE area_type = 'S' ORDER BY area_name"
        ):
            ref = postal.get(r["state_fips"])
            state = {"fips": r["state_fips"], "area_code": r["area_code"], "name": r["area_name"]}
            if ref:
                state["postal_code"], state["census_name"] = ref["state_abbr"], ref["name"]
            states[r["state_fips"]] = state
        return states

    return ctx.db.memo("mnm.states", load)


def find_state(ctx: Ctx, location: str) -> dict:
    """The OEWS state for a USPS code, FIPS code or name (case-insensitive); 422 otherwise."""
    lookup = ctx.db.memo(
        "mnm.state_lookup",
        lambda: {
            key.upper(): state
            for state in _states(ctx).values()
            for key in (state["fips"], state["name"], state.get("census_name"), state.get("postal_code"))
            if key
        },
    )
    state = lookup.get(location.strip().upper())
    if state is not None:
        return state
    raise InvalidParameter(
        f"unknown state {location!r} in parameter 'location': expected a USPS state code such "
        "as NV (or its 2-digit FIPS code or name)"
    )


def state_socs(ctx: Ctx) -> frozenset[str]:
    """SOC codes with state OEWS rows (a career without any has no `check_out_my_state`)."""

    def load() -> frozenset[str]:
        if not ctx.db.table_exists("oews_wages"):
            return frozenset()
        return frozenset(
            r["soc_code"] for r in ctx.db.all("SELECT DISTINCT soc_code FROM oews_wages WHERE area_type = 'S'")
        )

    return ctx.db.memo("mnm.state_socs", load)


def _state_item(state: dict) -> dict:
    item = {"postal_code": state["postal_code"]} if "postal_code" in state else {}
    return {**item, "name": state["name"]}


def _state_projection(ctx: Ctx, code: str, fips: str) -> dict | None:
    if not ctx.db.table_exists("state_projections"):
        return None
    published = ctx.db.memo(
        f"mnm.state_projection_socs.{fips}",
        lambda: frozenset(
            r["soc_code"] for r in ctx.db.all("SELECT soc_code FROM state_projections WHERE state_fips = ?", (fips,))
        ),
    )
    soc = bls.bls_code(ctx, f"state_projections.{fips}", code, published)
    if soc is None:
        return None
    r = ctx.db.one("SELECT * FROM state_projections WHERE state_fips = ? AND soc_code = ?", (fips, soc))
    if r is None:
        return None
    return {
        "soc_code": soc,
        "base_year": r["base_year"],
        "projected_year": r["projected_year"],
        "base_employment": r["base_employment"],
        "projected_employment": r["projected_employment"],
        "percent_change": r["percent_change"],
        "annual_openings": r["annual_openings"],
    }


def _groups(ctx: Ctx, soc: str) -> dict[str, list]:
    """States by location quotient for one SOC code, highest first (memoised)."""

    def load() -> dict[str, list]:
        groups: dict[str, list] = {"above_average": [], "average": [], "below_average": []}
        states = {s["area_code"]: s for s in _states(ctx).values()}
        rows = ctx.db.all(
            "SELECT area_code, location_quotient FROM oews_wages WHERE soc_code = ? AND area_type = 'S'", (soc,)
        )
        for r in sorted(rows, key=lambda r: -(r["location_quotient"] or 0)):
            lq, area = r["location_quotient"], states.get(r["area_code"])
            if lq is None or area is None:
                continue
            key = "above_average" if lq >= LQ_ABOVE else "below_average" if lq < LQ_BELOW else "average"
            groups[key].append({**_state_item(area), "location_quotient": lq})
        return groups

    return ctx.db.memo(("mnm.state_groups", soc), load, bounded=True)


def _state_block(ctx: Ctx, code: str, soc: str, chosen: dict) -> dict:
    """One state's wages, employment and (where imported) projections for the career (memoised)."""

    def load() -> dict:
        row = ctx.db.one("SELECT * FROM oews_wages WHERE area_code = ? AND soc_code = ?", (chosen["area_code"], soc))
        state: dict[str, Any] = _state_item(chosen)
        if row:
            pay = salary(ctx, row)
            if pay:
                state["salary"] = pay
            for key in ("employment", "location_quotient"):
                if row[key] is not None:
                    state[key] = row[key]
        projection = _state_projection(ctx, code, chosen["fips"])
        if projection:
            state["projections"] = projection
        return state

    return ctx.db.memo(("mnm.state_block", code, chosen["fips"]), load, bounded=True)


def check_out_my_state(ctx: Ctx, code: str, location: str | None) -> dict:
    """States grouped by location quotient, plus the chosen state's wages and projections."""
    soc = bls.bls_code(ctx, "oews_states", code, state_socs(ctx))
    if soc is None:
        raise InvalidParameter(f"no data available for this section: check_out_my_state for {code}")
    body: dict[str, Any] = {"soc_code": soc, **_groups(ctx, soc)}
    if location:
        body["state"] = _state_block(ctx, code, soc, find_state(ctx, location))
    return body
