"""U.S. geography for locations: states, counties, places, USPS ZIP codes, and each ZIP's OEWS area(s), derived here
from the raw Census/OMB/USPS files (`us-geo-census/`) and DOL OFLC's list of the counties in every OEWS area
(`oflc-geography-2025-26/Geography.csv`).

The chain is ZIP -> ZCTA -> county (land-area shares) -> OEWS metro/nonmetro area:
- ZIP -> ZCTA: the ZIP itself when it is a ZCTA; else Census's ZIP->ZCTA fold list; else (PO box / unique ZIPs)
  the ZCTA of the delivering post office's physical ZIP; else the USPS city matched to a Census place.
- County -> OEWS area: OFLC's (state, county name) matched to county FIPS by name (case, accents and punctuation
  ignored; Census and GNIS spellings); a county OFLC does not list falls back to its OMB CBSA when that is an area.
- Connecticut: the ZCTA relationship file uses the 2020 counties, OEWS the 2022 planning regions. A CT ZCTA's
  regions are weighted by the land it shares with Census places (each place lies in one region); a ZCTA without
  place land takes the region of its primary town (learned from the other ZCTAs of that town), else of its primary
  place, else the region most of its old county's ZCTAs fall in.
- ZIP -> OEWS areas (the rule): every area the ZIP's ZCTA reaches, with the share of the ZCTA's land in it; rank 1
  is the largest share (ties: lower area code). City-matched ZIPs weight the place's ZCTAs by shared land.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from operator import itemgetter
from pathlib import Path
from typing import Any

from onetlocal.errors import BuildError
from onetlocal.ingest.readers import require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.supplementary.typed import typed_rows
from onetlocal.ingest.supplementary.zip_prefixes import prefix_rows
from onetlocal.ingest.tables import Column, write_table
from onetlocal.places import name_key

CENSUS = "us-geo-census"
OFLC = "oflc-geography-2025-26/Geography.csv"

#: Census place-name suffixes (legal/statistical area descriptions), longest first, stripped to get a city name.
PLACE_SUFFIXES = (
    "consolidated government (balance)",
    "metropolitan government (balance)",
    "unified government (balance)",
    "metro government (balance)",
    "city and borough",
    "consolidated government",
    "metropolitan government",
    "unified government",
    "urban county",
    "city (balance)",
    "(balance)",
    "municipality",
    "zona urbana",
    "comunidad",
    "corporation",
    "borough",
    "village",
    "city",
    "town",
    "CDP",
)


def city_name(place_name: str) -> str:
    """'Abbeville city' -> 'Abbeville'; 'Milford city (balance)' -> 'Milford'."""
    for suffix in PLACE_SUFFIXES:
        if place_name.endswith(" " + suffix):
            return place_name[: -len(suffix) - 1].strip()
    return place_name


def _read(folder: Path, name: str, expected: list[str], delimiter: str = ",") -> list[dict[str, str]]:
    """The `expected` columns of a raw file as dicts of raw text (empty = ""). Plain `csv` rather than
    `readers.read_delimited`, which cleans every cell of these 420k-row files (~5 s instead of ~1 s)."""
    path = folder / name
    if not path.exists():
        raise BuildError(f"{name}: missing from {folder.name}/ (needed to derive the geography tables)")
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = [h.strip() for h in next(reader, [])]
        require_columns(name, header, expected)
        pick = itemgetter(*[header.index(e) for e in expected])
        width = len(header)
        rows = []
        for row in reader:
            if len(row) < width:
                if not any(c.strip() for c in row):
                    continue
                raise BuildError(f"{name}: line {reader.line_num} has {len(row)} fields, expected {width}")
            rows.append(dict(zip(expected, pick(row) if len(expected) > 1 else (pick(row),), strict=True)))
        return rows


def _float(name: str, text: str | None) -> float:
    try:
        return float(text or 0)
    except ValueError:
        raise BuildError(f"{name}: not a number: {text!r}") from None


class Geography:
    """The raw files, read once, and the derived relations."""

    def __init__(self, census: Path, oflc: Path):
        self.oflc_path = oflc
        self.states = _read(census, "states.csv", ["Name", "Code", "Type", "FIPS", "Region", "Division"])
        self.gaz_counties = _read(
            census,
            "2025_Gaz_counties_national.txt",
            ["USPS", "GEOID", "NAME", "ALAND_SQMI", "INTPTLAT", "INTPTLONG"],
            "|",
        )
        self.counties = {
            r["GEOID"]: r
            for r in _read(
                census, "counties.csv", ["GEOID", "Name", "Short Name", "State", "CBSA", "Metropolitan Division"]
            )
        }
        self.places = _read(
            census,
            "2025_Gaz_place_national.txt",
            ["USPS", "GEOID", "NAME", "LSAD", "FUNCSTAT", "ALAND_SQMI", "INTPTLAT", "INTPTLONG"],
            "|",
        )
        for place in self.places:
            place["city"] = city_name(place["NAME"] or "")
        self.place_counties = _read(census, "place_counties.csv", ["Place GEOID", "County GEOID"])
        self.zctas = {
            r["ZCTA5"]: r
            for r in _read(
                census,
                "zctas.csv",
                [
                    "ZCTA5",
                    "Primary County",
                    "Primary County Subdivision",
                    "Primary Place",
                    "Population",
                    "Land Area",
                    "Water Area",
                ],
            )
        }
        self.zcta_counties = _read(census, "zcta_counties.csv", ["ZCTA5", "County GEOID", "Land Area", "Water Area"])
        self.zcta_places = _read(census, "zcta_places.csv", ["ZCTA5", "Place GEOID", "Land Area"])
        self.zcta_mappings = {
            r["ZIP Code"]: r["Active ZCTA5"] for r in _read(census, "zcta_mappings.csv", ["ZIP Code", "Active ZCTA5"])
        }
        self.usps = _read(
            census,
            "ZIP_Locale_Detail.csv",
            ["DELIVERY ZIPCODE", "LOCALE NAME", "PHYSICAL CITY", "PHYSICAL STATE", "PHYSICAL ZIP"],
        )
        self.oflc = (
            _read(oflc.parent, oflc.name, ["Area", "AreaName", "StateAb", "CountyTownName"]) if oflc.exists() else []
        )
        self.region_of_place = self._place_regions()

    def state_fips(self) -> dict[str, str]:
        """USPS state -> FIPS code: states.csv's, unless every county counties.csv lists for the state starts with
        one other code (states.csv gives the U.S. Virgin Islands 74, the Minor Outlying Islands' code; their
        counties, and OEWS, use 78)."""
        of_counties: dict[str, set[str]] = defaultdict(set)
        for fips, county in self.counties.items():
            of_counties[county["State"] or ""].add(fips[:2])
        out = {}
        for state in self.states:
            found = of_counties.get(state["Code"] or "", set())
            out[state["Code"]] = next(iter(found)) if len(found) == 1 else state["FIPS"]
        return out

    # -- counties and OEWS areas ----------------------------------------------------------------------
    def county_areas(self) -> tuple[list[list], dict[str, tuple[str, str]]]:
        """Rows of geo_county_oews_area, and county FIPS -> (OEWS area code, name)."""
        keys: dict[tuple[str, str], set[str]] = defaultdict(set)
        for county in self.gaz_counties:
            extra = self.counties.get(county["GEOID"], {})
            names = {county["NAME"], extra.get("Name") or "", extra.get("Short Name") or ""}
            for name in filter(None, names):
                key = name_key(name)
                keys[county["USPS"], key].add(county["GEOID"])
                keys[county["USPS"], key.removesuffix(" municipio")].add(county["GEOID"])
        area_of: dict[str, tuple[str, str, str]] = {}
        areas: dict[str, str] = {}
        for row in self.oflc:
            code = (row["Area"] or "").strip()
            if not code.isdigit():
                raise BuildError(f"{self.oflc_path.name}: bad area code {row['Area']!r}")
            code = code.zfill(7)
            areas[code] = "".join(c for c in (row["AreaName"] or "") if unicodedata.category(c) != "Cc")
            key = name_key(row["CountyTownName"] or "")
            matches = keys.get((row["StateAb"], key)) or keys.get((row["StateAb"], key.removesuffix(" municipio")))
            if matches and len(matches) == 1:
                area_of[next(iter(matches))] = (code, areas[code], "oflc")
        metro = {code[2:]: code for code in areas if code.startswith("00")}
        out, lookup = [], {}
        for county in self.gaz_counties:
            fips = county["GEOID"]
            found = area_of.get(fips)
            cbsa = (self.counties.get(fips, {}).get("CBSA") or "").strip()
            if found is None and cbsa in metro:
                found = (metro[cbsa], areas[metro[cbsa]], "cbsa")
            if found is None:
                continue
            code, name, how = found
            lookup[fips] = (code, name)
            out.append(
                [
                    fips,
                    county["USPS"],
                    county["NAME"],
                    code,
                    name,
                    "metro" if code.startswith("00") else "nonmetro",
                    cbsa or None,
                    how,
                ]
            )
        return out, lookup

    # -- Connecticut planning regions -----------------------------------------------------------------
    def _place_regions(self) -> dict[str, str]:
        """Place GEOID -> its one 2023 county, for places within a single county."""
        by_place: dict[str, set[str]] = defaultdict(set)
        for row in self.place_counties:
            by_place[row["Place GEOID"]].add(row["County GEOID"])
        return {p: next(iter(c)) for p, c in by_place.items() if len(c) == 1}

    def _connecticut(self, old: dict[str, list[tuple[str, float]]]) -> dict[str, dict[str, float]]:
        """CT ZCTA -> {planning region FIPS: weight} (see the module docstring for the rule)."""
        regions: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for row in self.zcta_places:
            zcta, place = row["ZCTA5"], row["Place GEOID"]
            region = self.region_of_place.get(place)
            land = _float("zcta_places.csv", row["Land Area"])
            if zcta in old and region and region.startswith("09") and land > 0:
                regions[zcta][region] += land
        town_votes: dict[str, Counter] = defaultdict(Counter)
        county_votes: dict[str, Counter] = defaultdict(Counter)
        for zcta, weights in regions.items():
            info = self.zctas.get(zcta, {})
            top = max(weights, key=weights.__getitem__)  # the first of the largest, as Counter.most_common
            town_votes[(info.get("Primary County Subdivision") or "")[-5:]][top] += 1
            county_votes[max(old[zcta], key=lambda c: c[1])[0]][top] += 1
        out: dict[str, dict[str, float]] = {}
        for zcta, counties in old.items():
            if regions.get(zcta):
                out[zcta] = dict(regions[zcta])
                continue
            info = self.zctas.get(zcta, {})
            town = (info.get("Primary County Subdivision") or "")[-5:]
            place_region = self.region_of_place.get(info.get("Primary Place") or "")
            if town_votes.get(town):
                out[zcta] = {town_votes[town].most_common(1)[0][0]: 1.0}
            elif place_region and place_region.startswith("09"):
                out[zcta] = {place_region: 1.0}
            elif county_votes.get(max(counties, key=lambda c: c[1])[0]):
                out[zcta] = {county_votes[max(counties, key=lambda c: c[1])[0]].most_common(1)[0][0]: 1.0}
        return out

    # -- ZCTA -> county ------------------------------------------------------------------------------
    def zcta_counties_shares(self, current: set[str]) -> list[list]:
        """Rows (zcta, county_fips, land_share, method): the share of each ZCTA's land in each (current) county;
        water-only ZCTAs use water area."""
        land: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
        for row in self.zcta_counties:
            land[row["ZCTA5"]].append(
                (
                    row["County GEOID"],
                    _float("zcta_counties.csv", row["Land Area"]),
                    _float("zcta_counties.csv", row["Water Area"]),
                )
            )
        old_ct = {
            z: [(c, a) for c, a, _ in parts]
            for z, parts in land.items()
            if any(c.startswith("09") and c not in current for c, _, _ in parts)
        }
        ct = self._connecticut(old_ct)
        out = []
        for zcta in sorted(land):
            if zcta in old_ct:
                weights, method = ct.get(zcta, {}), "ct_planning_region"
            else:
                weights = {c: a for c, a, _ in land[zcta]}
                if not sum(weights.values()):
                    weights = {c: w for c, _, w in land[zcta]}
                method = "census_relationship"
            total = sum(weights.values())
            for county, weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])):
                share = weight / total if total else 1 / len(weights)
                out.append([zcta, county, f"{share:.6f}", method])
        return out

    # -- ZIP -> ZCTA ---------------------------------------------------------------------------------
    def zips(self, zcta_known: set[str], place_of_city: dict[tuple[str, str], str]) -> list[list]:
        """Rows (zip, city, city key, locale, state, zcta, place_geoid, method): one per USPS delivery ZIP (its
        first row in the USPS file). The city is that of the delivering post office's address (e.g. NEW YORK),
        the locale its facility name (e.g. GREELEY SQUARE)."""

        def zcta_for(code: str | None) -> str | None:
            if code in zcta_known:
                return code
            mapped = self.zcta_mappings.get(code or "")
            return mapped if mapped in zcta_known else None

        seen, out = set(), []
        for row in self.usps:
            code = (row["DELIVERY ZIPCODE"] or "").strip()
            if not re.fullmatch(r"\d{5}", code):
                raise BuildError(f"ZIP_Locale_Detail.csv: bad ZIP code {row['DELIVERY ZIPCODE']!r}")
            if code in seen:
                continue
            seen.add(code)
            city, state = (row["PHYSICAL CITY"] or "").strip(), (row["PHYSICAL STATE"] or "").strip()
            locale = (row["LOCALE NAME"] or "").strip()
            place = None
            zcta: str | None
            if code in zcta_known:
                zcta, method = code, "zcta"
            elif (zcta := zcta_for(code)) is not None:
                method = "zcta_mappings"
            elif (zcta := zcta_for((row["PHYSICAL ZIP"] or "").strip())) is not None:
                method = "post_office_physical_zip"
            elif (
                place := place_of_city.get((state, name_key(city))) or place_of_city.get((state, name_key(locale)))
            ) is not None:
                method = "city_place"
            else:
                method = "unresolved"
            out.append([code, city, name_key(city), locale, state, zcta, place, method])
        return out

    def place_of_city(self) -> dict[tuple[str, str], str]:
        """(state, city key) -> place GEOID; when names repeat in a state, the place with the most land."""
        best: dict[tuple[str, str], tuple[float, str]] = {}
        for place in self.places:
            key = (place["USPS"], name_key(place["city"]))
            land = _float("2025_Gaz_place_national.txt", place["ALAND_SQMI"])
            if key not in best or land > best[key][0]:
                best[key] = (land, place["GEOID"])
        return {k: v for k, (_, v) in best.items()}


def _share_rows(
    zip_rows: list[list],
    zcta_area: dict[str, dict[str, float]],
    place_area: dict[str, dict[str, float]],
    names: dict[str, str],
) -> list[list]:
    out = []
    for code, _, _, _, _, zcta, place, method in zip_rows:
        shares = zcta_area.get(zcta or "") or place_area.get(place or "") or {}
        total = sum(shares.values())
        ranked = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))
        for rank, (area, share) in enumerate(ranked, 1):
            if share <= 0 and rank > 1:
                continue
            out.append(
                [code, area, names[area], f"{share / total if total else 1 / len(ranked):.6f}", str(rank), method]
            )
    return out


def import_geography(conn: sqlite3.Connection, census: Path) -> int:
    """Write the geo_* tables; without the OFLC file (optional) the three OEWS area tables are left out."""
    geo = Geography(census, census.parent / OFLC)
    total = 0

    def area_table(*args: Any, **kwargs: Any) -> int:
        return write_table(*args, **kwargs) if geo.oflc else 0

    fips = geo.state_fips()
    states = [[fips[s["Code"]], s["Code"], s["Name"], s["Type"], s["Region"], s["Division"]] for s in geo.states]
    total += write_table(
        conn,
        "geo_states",
        "States",
        "States, DC and territories (Census).",
        [
            Column("state_fips", "State FIPS", "TEXT", "2-digit state FIPS code (that of the state's counties)"),
            Column("state_abbr", "State", "TEXT", "USPS state abbreviation"),
            Column("name", "Name", "TEXT", "State name"),
            Column("type", "Type", "TEXT", "state, district or territory"),
            Column("region", "Region", "TEXT", "Census region"),
            Column("division", "Division", "TEXT", "Census division"),
        ],
        states,
        source="supplementary",
        indexes=[("state_fips",), ("state_abbr",)],
    )

    county_columns = [
        Column("county_fips", "County FIPS", "TEXT", "5-digit county FIPS (2023+ counties; CT planning regions)"),
        Column("state_abbr", "State", "TEXT", "USPS state abbreviation"),
        Column("name", "Name", "TEXT", "County name (Census Gazetteer)"),
        Column("short_name", "Short Name", "TEXT", "Name without the county type (GNIS style)"),
        Column("cbsa_code", "CBSA Code", "TEXT", "July 2023 OMB CBSA (metro or micro), empty when none"),
        Column("metro_division_code", "Metropolitan Division", "TEXT", "OMB metropolitan division, when any"),
        Column("land_area_sqmi", "Land Area", "REAL", "Land area, square miles"),
        Column("latitude", "Latitude", "REAL", "Internal point latitude"),
        Column("longitude", "Longitude", "REAL", "Internal point longitude"),
    ]
    counties = [
        [
            c["GEOID"],
            c["USPS"],
            c["NAME"],
            geo.counties.get(c["GEOID"], {}).get("Short Name"),
            geo.counties.get(c["GEOID"], {}).get("CBSA"),
            geo.counties.get(c["GEOID"], {}).get("Metropolitan Division"),
            c["ALAND_SQMI"],
            c["INTPTLAT"],
            c["INTPTLONG"],
        ]
        for c in geo.gaz_counties
    ]
    total += write_table(
        conn,
        "geo_counties",
        "Counties",
        "Counties and equivalents (Census 2025 Gazetteer, OMB July 2023 CBSAs).",
        county_columns,
        typed_rows("2025_Gaz_counties_national.txt", county_columns, counties),
        source="supplementary",
        indexes=[("county_fips",), ("state_abbr",)],
    )

    area_rows, county_area = geo.county_areas()
    names = {code: name for code, name in county_area.values()}
    total += area_table(
        conn,
        "geo_county_oews_area",
        "County to OEWS Area",
        "The OEWS metropolitan or nonmetropolitan area of each county (DOL OFLC area definitions "
        "matched to county FIPS by name).",
        [
            Column("county_fips", "County FIPS", "TEXT", "5-digit county FIPS"),
            Column("state_abbr", "State", "TEXT", "USPS state abbreviation"),
            Column("county_name", "County", "TEXT", "County name (Census Gazetteer)"),
            Column("oews_area_code", "OEWS Area Code", "TEXT", "7-digit OEWS area code"),
            Column("oews_area_name", "OEWS Area Name", "TEXT", "OEWS area name (OFLC)"),
            Column("area_kind", "Area Kind", "TEXT", "metro or nonmetro"),
            Column("cbsa_code", "CBSA Code", "TEXT", "The county's July 2023 OMB CBSA, when any"),
            Column("match", "Match", "TEXT", "oflc (listed by OFLC) or cbsa (fallback by CBSA)"),
        ],
        area_rows,
        source="supplementary",
        indexes=[("county_fips",), ("oews_area_code",)],
    )

    current = {c["GEOID"] for c in geo.gaz_counties}
    zcta_rows = geo.zcta_counties_shares(current)
    state_of = {c["GEOID"]: c["USPS"] for c in geo.gaz_counties}
    zcta_columns = [
        Column("zcta", "ZCTA", "TEXT", "ZIP Code Tabulation Area (Census 2020)"),
        Column("county_fips", "County FIPS", "TEXT", "County (2023+ counties; CT planning regions)"),
        Column("state_abbr", "State", "TEXT", "USPS state abbreviation of the county"),
        Column("land_share", "Land Share", "REAL", "Share (0-1) of the ZCTA's land area in the county"),
        Column("method", "Method", "TEXT", "census_relationship, or ct_planning_region (see the importer)"),
    ]
    zcta_rows = [[z, c, state_of.get(c), s, m] for z, c, s, m in zcta_rows]
    total += write_table(
        conn,
        "geo_zcta_county",
        "ZCTA to County",
        "Counties of each ZIP Code Tabulation Area with land-area shares (Census 2020 relationship "
        "file; Connecticut re-based on planning regions).",
        zcta_columns,
        typed_rows("zcta_counties.csv", zcta_columns, zcta_rows),
        source="supplementary",
        indexes=[("zcta",), ("county_fips",)],
    )

    zcta_area: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for zcta, county, _, share, _ in zcta_rows:
        if county in county_area:
            zcta_area[zcta][county_area[county][0]] += float(share)
    place_area: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in geo.zcta_places:
        land = _float("zcta_places.csv", row["Land Area"])
        for area, share in zcta_area.get(row["ZCTA5"], {}).items():
            place_area[row["Place GEOID"]][area] += land * share
    by_county: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in geo.place_counties:  # places sharing no land with a ZCTA: their counties, equally weighted
        if row["County GEOID"] in county_area:
            by_county[row["Place GEOID"]][county_area[row["County GEOID"]][0]] += 1.0
    for place, shares in by_county.items():
        if not sum(place_area.get(place, {}).values()):
            place_area[place] = shares

    places = [
        [
            p["GEOID"],
            p["USPS"],
            p["NAME"],
            p["city"],
            name_key(p["city"]),
            p["LSAD"],
            p["FUNCSTAT"],
            p["ALAND_SQMI"],
            p["INTPTLAT"],
            p["INTPTLONG"],
        ]
        for p in geo.places
    ]
    place_columns = [
        Column("place_geoid", "Place GEOID", "TEXT", "7-digit Census place code (state FIPS + place)"),
        Column("state_abbr", "State", "TEXT", "USPS state abbreviation"),
        Column("name", "Name", "TEXT", "Census place name with its type (e.g. Abbeville city)"),
        Column("city", "City", "TEXT", "Name without the place type (e.g. Abbeville)"),
        Column("city_key", "City Key", "TEXT", "City lower-cased, without accents or punctuation (for lookups)"),
        Column("lsad", "LSAD", "TEXT", "Census legal/statistical area description code"),
        Column("funcstat", "Functional Status", "TEXT", "Census functional status code"),
        Column("land_area_sqmi", "Land Area", "REAL", "Land area, square miles"),
        Column("latitude", "Latitude", "REAL", "Internal point latitude"),
        Column("longitude", "Longitude", "REAL", "Internal point longitude"),
    ]
    total += write_table(
        conn,
        "geo_places",
        "Places",
        "Census places (cities, towns, CDPs; 2025 Gazetteer).",
        place_columns,
        typed_rows("2025_Gaz_place_national.txt", place_columns, places),
        source="supplementary",
        indexes=[("place_geoid",), ("state_abbr", "city_key")],
    )
    place_rows = []
    gazetteer = {p["GEOID"] for p in geo.places}
    for place, shares in sorted((p, s) for p, s in place_area.items() if p in gazetteer):
        total_share = sum(shares.values())
        for rank, (area, share) in enumerate(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])), 1):
            if share > 0 or rank == 1:
                place_rows.append(
                    [place, area, names[area], round(share / total_share, 6) if total_share else 1 / len(shares), rank]
                )
    total += area_table(
        conn,
        "geo_place_oews_area",
        "Place to OEWS Area",
        "Every OEWS metro/nonmetro area a Census place (city) reaches, with the share of its land "
        "there (through the ZCTAs it overlaps; else its counties, equally); rank 1 = largest.",
        [
            Column("place_geoid", "Place GEOID", "TEXT", "7-digit Census place code (geo_places)"),
            Column("oews_area_code", "OEWS Area Code", "TEXT", "7-digit OEWS area code"),
            Column("oews_area_name", "OEWS Area Name", "TEXT", "OEWS area name"),
            Column("share", "Share", "REAL", "Share (0-1) of the place's land in the area"),
            Column("rank", "Rank", "INTEGER", "1 = the area with the largest share"),
        ],
        place_rows,
        source="supplementary",
        indexes=[("place_geoid", "rank"), ("oews_area_code",)],
    )

    zip_rows = geo.zips(set(geo.zctas), geo.place_of_city())
    total += write_table(
        conn,
        "geo_zip",
        "ZIP Codes",
        "USPS delivery ZIP codes with their city, state and the ZCTA (or Census place) used to locate them.",
        [
            Column("zip", "ZIP", "TEXT", "5-digit USPS ZIP code"),
            Column("city", "City", "TEXT", "City of the delivering post office (USPS, upper case)"),
            Column("city_key", "City Key", "TEXT", "City lower-cased, no punctuation (lookups)"),
            Column("locale_name", "Locale Name", "TEXT", "USPS delivery facility (locale) name"),
            Column("state_abbr", "State", "TEXT", "USPS state abbreviation"),
            Column("zcta", "ZCTA", "TEXT", "ZCTA used for the ZIP, when found"),
            Column(
                "place_geoid",
                "Place GEOID",
                "TEXT",
                "Census place matched by city and state (only when no ZCTA is found)",
            ),
            Column(
                "method", "Method", "TEXT", "zcta, zcta_mappings, post_office_physical_zip, city_place or unresolved"
            ),
        ],
        zip_rows,
        source="supplementary",
        indexes=[("zip",), ("zcta",), ("state_abbr", "city_key")],
    )
    total += area_table(
        conn,
        "geo_zip_oews_area",
        "ZIP to OEWS Area",
        "Every OEWS metro/nonmetro area a ZIP code reaches, with the share of its land there; rank 1 = largest share.",
        [
            Column("zip", "ZIP", "TEXT", "5-digit USPS ZIP code"),
            Column("oews_area_code", "OEWS Area Code", "TEXT", "7-digit OEWS area code"),
            Column("oews_area_name", "OEWS Area Name", "TEXT", "OEWS area name"),
            Column("share", "Share", "REAL", "Share (0-1) of the ZIP's ZCTA (or place) land in the area"),
            Column("rank", "Rank", "INTEGER", "1 = the area with the largest share"),
            Column("method", "Method", "TEXT", "How the ZIP was located (as in geo_zip)"),
        ],
        _share_rows(zip_rows, zcta_area, place_area, names),
        source="supplementary",
        indexes=[("zip", "rank"), ("oews_area_code",)],
    )
    population = {z: _float("zctas.csv", r["Population"]) for z, r in geo.zctas.items()}
    total += write_table(
        conn,
        "geo_zip_prefix",
        "ZIP Prefixes",
        "The state and likeliest OEWS area of each 3-digit "
        "ZIP prefix (sectional center), for ZIP codes not in geo_zip (see zip_prefixes.py).",
        [
            Column("prefix", "Prefix", "TEXT", "First three digits of a ZIP code"),
            Column("state_abbr", "State", "TEXT", "USPS state holding most of the prefix's people"),
            Column(
                "state_share", "State Share", "REAL", "Share (0-1) of the prefix's population (or ZIPs) in the state"
            ),
            Column("oews_area_code", "OEWS Area Code", "TEXT", "Likeliest OEWS area in the state"),
            Column("oews_area_name", "OEWS Area Name", "TEXT", "OEWS area name"),
            Column(
                "area_share",
                "Area Share",
                "REAL",
                "Share (0-1) of the state's part of the prefix (population, or ZIPs) in the area",
            ),
            Column("zips", "ZIPs", "INTEGER", "Number of ZIP codes geo_zip has with the prefix"),
            Column("source_prefix", "Source Prefix", "TEXT", "Prefix whose ZIPs gave the row"),
            Column(
                "method",
                "Method",
                "TEXT",
                "known_zips, or unique_only (a prefix of unique ZIPs only, placed as its city's prefix)",
            ),
        ],
        prefix_rows(zip_rows, population, zcta_area, place_area, names),
        source="supplementary",
        indexes=[("prefix",)],
    )
    return total


IMPORTERS = [
    SupplementaryImporter("geography", CENSUS, import_geography),
]
