"""Geography derived from the raw Census/USPS/OFLC files: counts against the sources, county -> OEWS area equal to
the reference derivation, ZIP -> OEWS area compared with `derived-zip-oews-area/` (a reference only: the build derives
the tables from us-geo-census and oflc-geography; the 7 ZIPs that differ are named and explained below)."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pytest

from conftest import SHARED

SUPP = SHARED / "supplementary"
CENSUS = SUPP / "us-geo-census"
REFERENCE = SUPP / "derived-zip-oews-area"


def _csv(path, delimiter=",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def _top_area(db, zip_code: str) -> dict:
    return db.one("SELECT * FROM geo_zip_oews_area WHERE zip = ? AND rank = 1", (zip_code,))


def test_counts_equal_the_source_files(db):
    assert db.scalar("SELECT count(*) FROM geo_states") == len(_csv(CENSUS / "states.csv")) == 56
    assert db.scalar("SELECT count(*) FROM geo_counties") == 3222
    assert db.scalar("SELECT count(*) FROM geo_places") == len(_csv(CENSUS / "2025_Gaz_place_national.txt", "|"))
    usps = {r["DELIVERY ZIPCODE"] for r in _csv(CENSUS / "ZIP_Locale_Detail.csv")}
    assert db.scalar("SELECT count(*) FROM geo_zip") == len(usps) == 37967
    zctas = {r["ZCTA5"] for r in _csv(CENSUS / "zcta_counties.csv")}
    assert db.scalar("SELECT count(DISTINCT zcta) FROM geo_zcta_county") == len(zctas)


def test_spot_rows(db):
    assert db.one("SELECT * FROM geo_states WHERE state_abbr = 'NV'") == {
        "state_fips": "32",
        "state_abbr": "NV",
        "name": "Nevada",
        "type": "state",
        "region": "West",
        "division": "Mountain",
    }
    county = db.one("SELECT * FROM geo_counties WHERE county_fips = '01001'")
    assert county["name"] == "Autauga County" and county["cbsa_code"] == "33860"
    assert county["land_area_sqmi"] == 594.455
    chicago = db.one("SELECT * FROM geo_places WHERE state_abbr = 'IL' AND city_key = 'chicago'")
    assert chicago["place_geoid"] == "1714000" and chicago["name"] == "Chicago city" and chicago["city"] == "Chicago"
    assert db.one("SELECT city, locale_name, state_abbr, zcta, method FROM geo_zip WHERE zip = '10001'") == {
        "city": "NEW YORK",
        "locale_name": "GREELEY SQUARE",
        "state_abbr": "NY",
        "zcta": "10001",
        "method": "zcta",
    }
    # a PO-box ZIP located through its post office's physical ZIP
    assert db.one("SELECT zcta, method FROM geo_zip WHERE zip = '10008'") == {
        "zcta": "10007",
        "method": "post_office_physical_zip",
    }


def test_every_county_has_the_reference_oews_area(db):
    reference = {
        r["county_fips"]: r["oews_area_code"] for r in _csv(SUPP / "oflc-geography-2025-26" / "county_oews_area.csv")
    }
    ours = {r["county_fips"]: r["oews_area_code"] for r in db.all("SELECT * FROM geo_county_oews_area")}
    assert ours == reference
    assert db.scalar("SELECT count(DISTINCT oews_area_code) FROM geo_county_oews_area") == 528


def test_areas_are_the_oews_metro_and_nonmetro_areas(db):
    oews = {r["area_code"]: r["area_name"] for r in db.all("SELECT * FROM oews_areas WHERE area_type = 'M'")}
    ours = {
        r["oews_area_code"]: r["oews_area_name"]
        for r in db.all("SELECT DISTINCT oews_area_code, oews_area_name FROM geo_county_oews_area")
    }
    assert ours == oews  # names too (OFLC's stray control character in Mayagüez is dropped)


@pytest.mark.parametrize(
    "zip_code,area_code,name",
    [
        ("10001", "0035620", "New York-Newark-Jersey City, NY-NJ"),
        ("06830", "0014860", "Bridgeport-Stamford-Danbury, CT"),
        ("99501", "0011260", "Anchorage, AK"),
        ("89501", "0039900", "Reno, NV"),
    ],
)
def test_known_zips(db, zip_code, area_code, name):
    top = _top_area(db, zip_code)
    assert (top["oews_area_code"], top["oews_area_name"]) == (area_code, name)


def test_shares_sum_to_one_largest_first(db):
    bad = db.all("SELECT zip, sum(share) AS total FROM geo_zip_oews_area GROUP BY zip HAVING abs(total - 1) > 0.0001")
    assert bad == []
    rows = db.all("SELECT zip, share, rank FROM geo_zip_oews_area ORDER BY zip, rank")
    by_zip = defaultdict(list)
    for r in rows:
        by_zip[r["zip"]].append(r["share"])
    assert all(s == sorted(s, reverse=True) for s in by_zip.values())
    assert sum(1 for s in by_zip.values() if len(s) > 1) > 1000  # ZIPs spanning areas keep all of them


def test_connecticut_uses_planning_regions(db):
    counties = {
        r["county_fips"]
        for r in db.all("SELECT DISTINCT county_fips FROM geo_zcta_county WHERE county_fips LIKE '09%'")
    }
    assert counties and all("09110" <= c <= "09190" for c in counties)


def test_agreement_with_the_reference_derivation(db):
    """The build derives ZIP -> OEWS area from the public Census and OFLC files alone; against derived-zip-oews-area
    (made by hand, largest summed land share; no input of the build) every ZIP the reference places is placed here
    too, and all but 7 in the same area (36,704 of 36,711). The 7 are Connecticut ZIPs whose town has no Census place
    of its own: we weight a CT ZCTA's planning regions by the land it shares with places, so 06062 (Plainville, which
    touches 0.018 sq mi of Bristol) takes Bristol's region and 06013 (Burlington, no place land) its old county's;
    the reference maps towns (county subdivisions) to regions, from two us_geo files the build does not fetch. Our
    answer is wrong for those 7, theirs right."""
    by_zcta = defaultdict(Counter)
    for r in _csv(REFERENCE / "zcta_county_oews_area.csv"):
        by_zcta[r["zcta"]][r["oews_area_code"]] += float(r["land_share"])
    ours = {
        r["zip"]: r["oews_area_code"]
        for r in db.all("SELECT zip, oews_area_code FROM geo_zip_oews_area WHERE rank = 1")
    }
    total = 0
    differ = []
    for r in _csv(REFERENCE / "usps_zip_to_zcta.csv"):
        shares = by_zcta.get(r["zcta"])
        if not shares:
            continue
        expected = sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        assert r["zip"] in ours, r["zip"]
        total += 1
        if ours[r["zip"]] != expected:
            differ.append((r["zip"], r["usps_state"]))
    assert total == 36711
    assert sorted(differ) == [(z, "CT") for z in ("06013", "06062", "06371", "06376", "06403", "06478", "06716")]


def test_state_fips_are_those_of_their_counties(db):
    """states.csv gives the U.S. Virgin Islands 74 (the Minor Outlying Islands' code); their counties say 78."""
    fips = {r["state_abbr"]: r["state_fips"] for r in db.all("SELECT * FROM geo_states")}
    assert (fips["VI"], fips["PR"], fips["GU"], fips["DC"], fips["NV"]) == ("78", "72", "66", "11", "32")
    counties = defaultdict(set)
    for r in _csv(CENSUS / "counties.csv"):
        counties[r["State"]].add(r["GEOID"][:2])
    assert all(counties[state] <= {code} for state, code in fips.items())


def test_zip_prefixes(db):
    """One row per prefix of the USPS list, plus the unique-only prefixes; the state and area with most people."""
    rows = {r["prefix"]: r for r in db.all("SELECT * FROM geo_zip_prefix")}
    known = {r["p"] for r in db.all("SELECT DISTINCT substr(zip, 1, 3) AS p FROM geo_zip")}
    assert {p for p, r in rows.items() if r["method"] == "known_zips"} == known
    seed = rows["612"]  # Rock Island / Moline; two of its 46 ZIPs are delivered from Clinton, IA
    assert (seed["state_abbr"], seed["oews_area_code"], seed["zips"]) == ("IL", "0019340", 46)
    assert 0.9 < seed["state_share"] < 1 and 0.5 < seed["area_share"] < 1
    assert (rows["005"]["state_abbr"], rows["005"]["source_prefix"], rows["005"]["method"]) == (
        "NY",
        "117",
        "unique_only",
    )
    assert rows["005"]["oews_area_code"] == rows["117"]["oews_area_code"] == "0035620"
    assert not {"000", "001", "090", "340", "962"} & set(rows)  # unassigned; APO/FPO mail


def test_city_lookup_reaches_an_area(db):
    row = db.one(
        "SELECT a.oews_area_code FROM geo_places p JOIN geo_place_oews_area a USING (place_geoid) "
        "WHERE p.state_abbr = 'IL' AND p.city_key = 'chicago' AND a.rank = 1"
    )
    assert row["oews_area_code"] == "0016980"


def test_visible_through_database_services(client):
    body = client.get("/database/rows/geo_zip_oews_area", params=[("filter", "zip.eq.06830")]).json()
    assert body["total"] == 1 and body["row"][0]["oews_area_code"] == "0014860"


# -- optional and malformed inputs (small copies of the real files) ---------------------------------


def _copy_sources(tmp_path, with_oflc: bool = True):
    """The raw folders as symlinks to the real files (a test replaces the one it breaks)."""
    census = tmp_path / "us-geo-census"
    census.mkdir()
    for file in CENSUS.iterdir():
        (census / file.name).symlink_to(file)
    if with_oflc:
        (tmp_path / "oflc-geography-2025-26").mkdir()
        (tmp_path / "oflc-geography-2025-26" / "Geography.csv").symlink_to(
            SUPP / "oflc-geography-2025-26" / "Geography.csv"
        )
    return census


def _target():
    import sqlite3

    from onetlocal.ingest.tables import META_SCHEMA

    conn = sqlite3.connect(":memory:")
    conn.executescript(META_SCHEMA)
    return conn


def test_without_oflc_the_area_tables_are_left_out(tmp_path):
    from onetlocal.ingest.supplementary.geography import import_geography

    conn = _target()
    import_geography(conn, _copy_sources(tmp_path, with_oflc=False))
    tables = {r[0] for r in conn.execute("SELECT table_id FROM meta_tables")}
    assert {"geo_zip", "geo_zcta_county", "geo_places"} <= tables
    assert not tables & {"geo_county_oews_area", "geo_zip_oews_area", "geo_place_oews_area"}


def test_malformed_file_fails_naming_it(tmp_path):
    from onetlocal.errors import BuildError
    from onetlocal.ingest.supplementary.geography import import_geography

    census = _copy_sources(tmp_path)
    path = census / "zcta_counties.csv"
    path.unlink()
    path.write_text("ZCTA5,County GEOID,Land Area,Water Area\n00601,72001,lots,0\n")
    with pytest.raises(BuildError, match=r"zcta_counties\.csv: not a number"):
        import_geography(_target(), census)
    path.write_text("ZCTA,County\n00601,72001\n")
    with pytest.raises(BuildError, match=r"zcta_counties\.csv: bad header"):
        import_geography(_target(), census)
