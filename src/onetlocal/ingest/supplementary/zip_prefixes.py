"""3-digit ZIP prefixes (the USPS sectional centers) -> the state and OEWS area of a ZIP code the ZIP tables lack.

The USPS list imported here (ZIP_Locale_Detail: the delivery ZIPs and their post offices) has no unique ZIP codes (a
firm's or an agency's own, e.g. 61299 Rock Island Arsenal, 00501 IRS Holtsville) and misses some PO-box ZIPs. Such a
ZIP is placed by its first three digits, from the ZIP codes the list has with that prefix (geo_zip):

- weight: the population (Census 2020, zctas.csv) of the distinct ZCTAs the prefix's ZIPs are located in; a ZIP
  located through a Census place, or not at all, weighs no population. The number of ZIPs breaks ties, and decides
  alone in a prefix without population.
- state: the USPS state of the prefix's ZIPs with the largest weight.
- OEWS area: among that state's ZIPs, the area holding the largest weight (a ZCTA's population is split by its land
  shares, as in geo_zip_oews_area); ties go to the lower area code.
- A prefix that USPS gives only to unique ZIPs is in no row of the list at all: the few whose city is public (the
  addresses of IRS service centers and federal agencies, UNIQUE_ONLY) take the row of that city's prefix. Any other
  prefix absent from the list (unassigned; APO/FPO military mail, which is in no state) places nothing.
"""

from __future__ import annotations

from collections import defaultdict

#: Prefixes USPS assigns only to unique ZIPs (so absent from the delivery list) -> the prefix of the city in their
#: address: IRS service centers (Holtsville NY 00501, Andover MA 05501, Philadelphia PA 19255, Memphis TN 37501,
#: Atlanta GA 39901, Cincinnati OH 45999, Kansas City MO 64999, Austin TX 73301, Ogden UT 84201, Fresno CA 93888)
#: and the federal agencies of Washington DC (20201 HHS ... 20500 White House, 20510 Senate).
UNIQUE_ONLY = {
    "005": "117",
    "055": "018",
    "192": "191",
    "202": "200",
    "203": "200",
    "204": "200",
    "205": "200",
    "375": "381",
    "399": "303",
    "459": "452",
    "649": "641",
    "733": "787",
    "842": "844",
    "938": "937",
}


def prefix_rows(
    zip_rows: list[list],
    population: dict[str, float],
    zcta_area: dict[str, dict[str, float]],
    place_area: dict[str, dict[str, float]],
    names: dict[str, str],
) -> list[list]:
    """Rows (prefix, state, state_share, area_code, area_name, area_share, zips, source_prefix, method), one per
    prefix; `zip_rows` are geo_zip's (zip, city, city key, locale, state, zcta, place, method)."""
    # prefix -> state -> [population by ZCTA, ZIP count, area -> population, area -> ZIP share]
    stats: dict[str, dict[str, list]] = defaultdict(dict)
    for code, _, _, _, state, zcta, place, _ in zip_rows:
        entry = stats[code[:3]].setdefault(state, [{}, 0, defaultdict(float), defaultdict(float)])
        entry[1] += 1
        shares = zcta_area.get(zcta or "") or place_area.get(place or "") or {}
        total = sum(shares.values())
        for area, share in shares.items():
            entry[3][area] += share / total if total else 0.0
        if zcta and zcta not in entry[0]:
            entry[0][zcta] = people = population.get(zcta, 0.0)
            for area, share in shares.items():
                entry[2][area] += people * share / total if total else 0.0

    def best(weights: dict[str, tuple[float, float]]) -> tuple[str, float]:
        key, (people, count) = min(weights.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
        total_people, total_count = (sum(w[i] for w in weights.values()) for i in (0, 1))
        return key, people / total_people if total_people else count / total_count if total_count else 1.0

    placed: dict[str, list] = {}
    for prefix, by_state in stats.items():
        state, state_share = best({s: (sum(e[0].values()), e[1]) for s, e in by_state.items()})
        _, zips, people, counts = by_state[state]
        top: tuple[str | None, float | None] = (
            best({a: (people.get(a, 0.0), counts[a]) for a in counts}) if counts else (None, None)
        )
        top_area, area_share = top
        placed[prefix] = [
            state,
            round(state_share, 6),
            top_area,
            names.get(top_area or ""),
            None if area_share is None else round(area_share, 6),
            sum(e[1] for e in by_state.values()),
        ]
    out = [[prefix, *row, prefix, "known_zips"] for prefix, row in placed.items()]
    out += [
        [prefix, *placed[source][:5], 0, source, "unique_only"]
        for prefix, source in UNIQUE_ONLY.items()
        if prefix not in placed and source in placed
    ]
    return sorted(out)
