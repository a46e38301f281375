"""The `Wages` block: OEWS (May release) percentile wages of the occupation's SOC code (or the OEWS aggregate that
publishes it, see `onetlocal.soc`) for the nation, the requested state and the requested area(s).

Each list holds one object per rate type, `Annual` then `Hourly`, with the values as strings the way OEWS
publishes them (hourly with two decimals, annual in whole dollars, no thousands separator). A value at or above
the OEWS top-coding cap (footnote 5) is the label the CareerOneStop documentation gives: `100+` for hourly and
`<annual cap>+` (`239,200+` in May 2025, read from the footnote text) for annual. A value OEWS did not release is
null. A rate type with no value at all (e.g. hourly wages of teachers, footnote 4) is left out of the list.
"""

from __future__ import annotations

from typing import Any

from onetlocal.context import Ctx
from onetlocal.oews_footnotes import TOP_CODED
from onetlocal.services import bls
from onetlocal.services.careeronestop import resolve
from onetlocal.services.careeronestop.resolve import Place

#: CareerOneStop's label for a top-coded hourly wage (its documentation: "'100+' indicates the hourly wage is equal
#: to or greater than $115.00").
HOURLY_TOP = "100+"
#: Fallback when the footnote text has no annual cap (the May 2025 cap).
ANNUAL_TOP = "239,200+"
PERCENTILES = (("Pct10", "pct10"), ("Pct25", "pct25"), ("Median", "median"), ("Pct75", "pct75"), ("Pct90", "pct90"))
RATES = (("Annual", "annual"), ("Hourly", "hourly"))
_COLUMNS = ", ".join(f"w.{rate}_{p}, w.{rate}_{p}_footnote" for _, rate in RATES for _, p in PERCENTILES)


def oews_codes(ctx: Ctx) -> frozenset[str]:
    return resolve.codes(ctx, "oews_wages", "SELECT DISTINCT soc_code AS code FROM oews_wages WHERE area_type = 'N'")


def oews_code(ctx: Ctx, soc: str | None) -> str | None:
    """The OEWS occupation code whose wages stand for the SOC occupation (None when OEWS has none, e.g. military)."""
    return bls.bls_code(ctx, "oews", soc, oews_codes(ctx)) if soc else None


def _annual_top(ctx: Ctx) -> str:
    """The label of a top-coded annual wage: the cap of the OEWS footnote, `239,200+`."""
    cap = bls.oews_caps(ctx).get("annual")
    return f"{int(cap):,}+" if cap is not None else ANNUAL_TOP


def _value(rate: str, value: Any, footnote: str | None, annual_top: str) -> str | None:
    if footnote == TOP_CODED:
        return HOURLY_TOP if rate == "hourly" else annual_top
    if value is None:
        return None
    return f"{value:.2f}" if rate == "hourly" else str(int(value))


def _entries(row: dict, annual_top: str) -> list[dict]:
    out = []
    for rate_type, rate in RATES:
        values = {
            key: _value(rate, row[f"{rate}_{p}"], row[f"{rate}_{p}_footnote"], annual_top) for key, p in PERCENTILES
        }
        if any(v is not None for v in values.values()):
            out.append(
                {
                    "RateType": rate_type,
                    **values,
                    "StFips": row["state_fips"],
                    "Area": row["area_code"],
                    "AreaName": row["area_name"],
                }
            )
    return out


def _rows(ctx: Ctx, code: str, area_codes: list[str]) -> dict[str, dict]:
    if not area_codes:
        return {}
    marks = ", ".join("?" * len(area_codes))
    rows = ctx.db.all(
        f"SELECT a.area_code, a.state_fips, a.area_name, {_COLUMNS} FROM oews_wages w "
        f"JOIN oews_areas a ON a.area_code = w.area_code WHERE w.soc_code = ? AND w.area_code IN ({marks})",
        (code, *area_codes),
    )
    return {r["area_code"]: r for r in rows}


def state_area_code(state_fips: str) -> str:
    """OEWS area code of a state: its FIPS code followed by five zeros."""
    return f"{state_fips}00000"


def block(ctx: Ctx, soc: dict | None, place: Place) -> dict:
    """{NationalWagesList, StateWagesList, BLSAreaWagesList, WageYear, SocData, SocWageInfo}."""
    code = oews_code(ctx, soc["code"] if soc else None)
    national, state = "0000000", state_area_code(place.state_fips) if place.state_fips else None
    areas = [a.code for a in place.areas]
    rows = _rows(ctx, code, [national, *([state] if state else []), *areas]) if code else {}
    top = _annual_top(ctx)
    info = None
    if code:
        title = ctx.db.scalar("SELECT title FROM oews_occupations WHERE soc_code = ?", (code,)) or ""
        info = {"SocCode": code, "SocTitle": title, "SocDescription": None}
    release = ctx.db.meta().get("oews_release", "")
    return {
        "NationalWagesList": _entries(rows[national], top) if national in rows else [],
        "StateWagesList": _entries(rows[state], top) if state in rows else [],
        "BLSAreaWagesList": [e for a in areas if a in rows for e in _entries(rows[a], top)],
        "WageYear": release.split()[-1] if release else None,
        "SocData": "Yes" if code else "No",
        "SocWageInfo": info,
    }
