"""Browse families on the real app, checked against the source files (the STEM seed field for field)."""

from __future__ import annotations

import csv
import re
from collections import defaultdict

import pytest

from conftest import BASE, SHARED, error, ok, read_release

SUPP = SHARED / "supplementary"
OCCUPATION_KEYS = {"href", "code", "title", "tags"}
PAGE_KEYS = {"start", "end", "total", "prev", "next"}


def every(client, url: str, **params) -> list[dict]:
    """All items of a paged occupation list (one page of up to 2000)."""
    body = ok(client, url, start=1, end=2000, **params)
    assert len(body["occupation"]) == body["total"]
    return body["occupation"]


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def stem_rows() -> list[dict]:
    return read_csv(SUPP / "onet-stem-occupations" / "All_STEM_Occupations.csv")


@pytest.fixture(scope="module")
def bright_rows() -> list[dict]:
    return read_csv(SUPP / "onet-bright-outlook" / "All_Bright_Outlook_Occupations.csv")


# -- STEM (seed) ---------------------------------------------------------------------------------------


def test_stem_listing_matches_seed(client):
    body = ok(client, "/online/stem_occupations/")
    assert isinstance(body, list)
    assert [t["title"] for t in body][:2] == ["Managerial", "Postsecondary Teaching"]
    managerial = body[0]
    assert managerial == {
        "href": f"{BASE}/online/stem_occupations/4",
        "code": 4,
        "title": "Managerial",
        "job_family": [
            {"href": f"{BASE}/online/stem_occupations/4?job_family=11-0000", "code": "11-0000", "title": "Management"}
        ],
    }
    assert sorted(t["code"] for t in body) == [1, 2, 3, 4, 5]


def test_stem_type_counts_and_first_items(client, stem_rows):
    per_type = defaultdict(set)
    for row in stem_rows:
        for name in row["Occupation Types"].split(";"):
            per_type[name.strip()].add(row["Code"])
    listing = {t["code"]: t["title"] for t in ok(client, "/online/stem_occupations/")}
    for code, title in listing.items():
        assert ok(client, f"/online/stem_occupations/{code}")["total"] == len(per_type[title])
    body = ok(client, "/online/stem_occupations/1")
    assert body["start"] == 1 and body["end"] == 20 and body["total"] == 187
    assert body["next"] == f"{BASE}/online/stem_occupations/1?start=21&end=40"
    assert body["occupation"][0] == {
        "href": f"{BASE}/online/occupations/17-2011.00/",
        "code": "17-2011.00",
        "title": "Aerospace Engineers",
        "tags": {"bright_outlook": True},
        "job_family": {"code": "17-0000", "title": "Architecture and Engineering"},
    }
    assert body["occupation"][1]["title"] == "Agricultural Engineers"


def test_stem_all_matches_seed(client, stem_rows):
    body = ok(client, "/online/stem_occupations/all")
    assert body["total"] == len(stem_rows) == 287
    assert body["next"] == f"{BASE}/online/stem_occupations/all?start=21&end=40"
    assert body["occupation"][0] == {
        "href": f"{BASE}/online/occupations/15-2011.00/",
        "code": "15-2011.00",
        "title": "Actuaries",
        "tags": {"bright_outlook": True},
        "job_family": {"code": "15-0000", "title": "Computer and Mathematical"},
        "stem_occupation_type": [{"code": 1, "title": "Research, Development, Design, and Practitioners"}],
    }
    two = [r["Code"] for r in stem_rows if ";" in r["Occupation Types"]]
    items = {o["code"]: o for o in every(client, "/online/stem_occupations/all")}
    assert set(items) == {r["Code"] for r in stem_rows}
    assert all(len(items[c]["stem_occupation_type"]) == 2 for c in two)


def test_stem_key_sets_are_the_seeds(client):
    for t in ok(client, "/online/stem_occupations/"):
        assert set(t) == {"href", "code", "title", "job_family"}
        assert all(set(f) == {"href", "code", "title"} for f in t["job_family"])
    body = ok(client, "/online/stem_occupations/2", start=1, end=2000)
    assert set(body) <= PAGE_KEYS | {"occupation"}
    assert all(set(o) == OCCUPATION_KEYS | {"job_family"} for o in body["occupation"])
    body = ok(client, "/online/stem_occupations/all", start=1, end=2000)
    assert set(body) <= PAGE_KEYS | {"occupation"}
    assert all(set(o) == OCCUPATION_KEYS | {"job_family", "stem_occupation_type"} for o in body["occupation"])


def test_stem_job_family_filter_and_sorts(client, stem_rows):
    computing = every(client, "/online/stem_occupations/1", job_family="15-0000")
    expected = {
        r["Code"] for r in stem_rows if r["Code"].startswith("15-") and "Research, Development" in r["Occupation Types"]
    }
    assert {o["code"] for o in computing} == expected
    by_code = every(client, "/online/stem_occupations/2", sort="code")
    assert [o["code"] for o in by_code] == sorted(o["code"] for o in by_code)
    by_title = every(client, "/online/stem_occupations/all", sort="title")
    assert [o["title"].casefold() for o in by_title] == sorted(o["title"].casefold() for o in by_title)
    by_family = every(client, "/online/stem_occupations/all", sort="job_family")
    families = [o["job_family"]["title"] for o in by_family]
    assert families == sorted(families, key=str.casefold)
    by_type = every(client, "/online/stem_occupations/all", sort="stem_occupation_type")
    assert by_type[0]["stem_occupation_type"][0]["title"] == "Managerial"


@pytest.mark.parametrize(
    "path,params",
    [
        ("/online/stem_occupations/0", {}),
        ("/online/stem_occupations/6", {}),
        ("/online/stem_occupations/x", {}),
        ("/online/stem_occupations/1", {"sort": "zone"}),
        ("/online/stem_occupations/1", {"sort": "stem_occupation_type"}),
        ("/online/stem_occupations/all", {"sort": "bogus"}),
        ("/online/stem_occupations/1", {"job_family": "15-1000"}),
        ("/online/stem_occupations/1", {"start": "x"}),
    ],
)
def test_stem_bad_params(client, path, params):
    assert error(client, path, **params)


# -- Bright Outlook ------------------------------------------------------------------------------------


def test_bright_outlook_listing_and_totals(client, bright_rows):
    body = ok(client, "/online/bright_outlook/")
    assert set(body) == {"category"}
    # spec row / evidence §11: category:[{value, title}]; slugs as the hosted service's paths (Part 2 §6)
    assert [(c["value"], c["title"]) for c in body["category"]] == [
        ("grow", "Grow Rapidly"),
        ("openings", "Numerous Job Openings"),
        ("emerging", "New & Emerging"),
    ]
    assert all(set(c) == {"href", "value", "title"} for c in body["category"])
    assert body["category"][2]["href"] == f"{BASE}/online/bright_outlook/emerging"
    assert ok(client, "/online/bright_outlook/all")["total"] == len(bright_rows) == 346
    source = {"grow": "Rapid Growth", "openings": "Numerous Job Openings", "emerging": "New and Emerging"}
    for value, text in source.items():
        expected = {r["Code"] for r in bright_rows if text in r["Categories"]}
        body = ok(client, f"/online/bright_outlook/{value}", start=1, end=500)
        assert set(body) <= {"start", "end", "total", "prev", "next", "category", "occupation"}
        assert body["category"] == {
            "value": value,
            "title": dict(grow="Grow Rapidly", openings="Numerous Job Openings", emerging="New & Emerging")[value],
        }
        assert {o["code"] for o in body["occupation"]} == expected
        assert all(o["tags"] == {"bright_outlook": True} for o in body["occupation"])
    assert ok(client, "/online/bright_outlook/emerging")["total"] > 0


def test_bright_outlook_all_is_plain_occupations(client, bright_rows):
    items = every(client, "/online/bright_outlook/all")
    assert {o["code"] for o in items} == {r["Code"] for r in bright_rows}
    assert all(set(o) == OCCUPATION_KEYS for o in items)


def test_bright_outlook_slugs_are_the_hosted_ones(client):
    evidence = SHARED.parent / "spec" / "evidence.md"
    if not evidence.exists():
        pytest.skip("no ../shared/spec/evidence.md")
    slugs = re.search(r"bright_outlook/\{(\w+(?:\|\w+)+)\}", evidence.read_text(encoding="utf-8")).group(1)
    assert [c["value"] for c in ok(client, "/online/bright_outlook/")["category"]] == slugs.split("|")


@pytest.mark.parametrize("slug", ["new", "Grow", "rapid_growth", "all_"])
def test_bright_outlook_unknown_slug_is_422(client, slug):
    assert "grow, openings, emerging" in error(client, f"/online/bright_outlook/{slug}")


# -- Career Clusters ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster_rows() -> list[tuple[str, str, str, str]]:
    from openpyxl import load_workbook

    book = load_workbook(
        SUPP / "advancecte-career-clusters-2024" / "SOC_Career_Clusters_Crosswalk.xlsx", read_only=True
    )
    rows = [r[:4] for r in book["SOC - CC - Sub-Clusters"].iter_rows(min_row=2, values_only=True) if r[0]]
    book.close()
    return rows


def test_career_cluster_listing(client, cluster_rows):
    body = ok(client, "/online/career_clusters/")
    assert set(body) == {"career_cluster"}
    body = body["career_cluster"]
    assert len(body) == 14 == len({r[2] for r in cluster_rows})
    # 72 names in the workbook, one of them a lower-case duplicate ("water systems" beside "Water Systems")
    assert len({(r[2], r[3]) for r in cluster_rows}) == 72
    assert sum(len(c["sub_cluster"]) for c in body) == 71 == len({(r[2], r[3].casefold()) for r in cluster_rows})
    odd = [r for r in cluster_rows if r[3] == "water systems"]
    water = next(s for c in body for s in c["sub_cluster"] if s["title"].casefold() == "water systems")
    assert water["title"] == "Water Systems"
    members = {o["code"][:7] for o in every(client, f"/online/career_clusters/sub_clusters/{water['code']}")}
    assert {r[0] for r in cluster_rows if r[3].casefold() == "water systems"} <= members and odd
    assert body[0]["code"] == "010100" and body[0]["title"] == "Advanced Manufacturing"
    assert body[0]["href"] == f"{BASE}/online/career_clusters/010100"
    assert body[0]["sub_cluster"][0] == {"code": "010101", "title": "Engineering"}
    for cluster in body:
        assert set(cluster) == {"href", "code", "title", "sub_cluster"}
        assert cluster["code"].endswith("00")
        assert all(set(s) == {"code", "title"} for s in cluster["sub_cluster"])
        assert all(
            s["code"][:4] == cluster["code"][:4] and not s["code"].endswith("00") for s in cluster["sub_cluster"]
        )


def test_career_cluster_summary_and_items(client, cluster_rows):
    """Live shape (evidence Part 2 §6): {summary, occupation:[{..., sub_cluster:[{code, title}]}], paging}."""
    listing = ok(client, "/online/career_clusters/")["career_cluster"]
    for cluster in listing[:3]:
        body = ok(client, f"/online/career_clusters/{cluster['code']}", start=1, end=2000)
        assert set(body) <= PAGE_KEYS | {"summary", "occupation"}
        assert body["summary"] == {"title": cluster["title"]}  # no overview text in any source: not invented
        socs = {r[0] for r in cluster_rows if r[2] == cluster["title"]}
        assert {o["code"][:7] for o in body["occupation"]} <= socs
        for item in body["occupation"]:
            assert set(item) == OCCUPATION_KEYS | {"sub_cluster"}
            assert item["sub_cluster"] and all(s["code"][:4] == cluster["code"][:4] for s in item["sub_cluster"])
        sub = cluster["sub_cluster"][0]
        body = ok(client, f"/online/career_clusters/sub_clusters/{sub['code']}", start=1, end=2000)
        assert set(body) <= PAGE_KEYS | {"summary", "occupation"}
        assert body["summary"] == {"title": sub["title"]}
        for item in body["occupation"]:
            assert set(item) == OCCUPATION_KEYS | {"sub_cluster"}
            assert sub in item["sub_cluster"]
    for item in ok(client, "/online/career_clusters/all")["occupation"]:
        assert set(item) == OCCUPATION_KEYS | {"sub_cluster"}


def test_cluster_membership_of_a_known_soc(client, cluster_rows):
    expected = {(r[2], r[3]) for r in cluster_rows if r[0] == "15-1252"}
    listing = ok(client, "/online/career_clusters/")["career_cluster"]
    codes = {c["title"]: c["code"] for c in listing}
    subs = {(c["title"], s["title"]): s["code"] for c in listing for s in c["sub_cluster"]}
    for cluster, sub in expected:
        members = {o["code"]: o for o in every(client, f"/online/career_clusters/{codes[cluster]}")}
        assert "15-1252.00" in members
        assert {"code": subs[(cluster, sub)], "title": sub} in members["15-1252.00"]["sub_cluster"]
        in_sub = every(client, f"/online/career_clusters/sub_clusters/{subs[(cluster, sub)]}")
        assert "15-1252.00" in {o["code"] for o in in_sub}
    everything = {o["code"]: o for o in every(client, "/online/career_clusters/all")}
    assert {s["title"] for s in everything["15-1252.00"]["sub_cluster"]} == {s for _, s in expected}
    # an O*NET-SOC child of a SOC code belongs with it: 15-1299 -> 15-1299.08 (if the SOC is in a cluster)
    if any(r[0] == "15-1299" for r in cluster_rows):
        assert any(c.startswith("15-1299.0") and c != "15-1299.00" for c in everything)


def test_career_cluster_errors(client):
    assert "cluster code" in error(client, "/online/career_clusters/sub_clusters/010100")
    assert error(client, "/online/career_clusters/999900")
    assert error(client, "/online/career_clusters/sub_clusters/nope")


# -- Job Zones, Job Families ----------------------------------------------------------------------------


def test_job_zones_against_release(client):
    zones = defaultdict(set)
    for r in read_release("Job Zones"):
        zones[int(r["Job Zone"])].add(r["O*NET-SOC Code"])
    reference = {int(r["Job Zone"]): r for r in read_release("Job Zone Reference")}
    body = ok(client, "/online/job_zones/")
    assert set(body) == {"job_zone"}
    listing = body["job_zone"]
    assert [z["code"] for z in listing] == [1, 2, 3, 4, 5]
    assert listing[1] == {"href": f"{BASE}/online/job_zones/2", "code": 2, "title": reference[2]["Name"]}
    for zone in range(1, 6):
        body = ok(client, f"/online/job_zones/{zone}", start=1, end=2000)
        assert set(body) <= PAGE_KEYS | {"occupation"}
        assert {o["code"] for o in body["occupation"]} == zones[zone]
        assert all(set(o) == OCCUPATION_KEYS for o in body["occupation"])
    items = every(client, "/online/job_zones/all")
    assert len(items) == sum(map(len, zones.values()))
    assert all(set(o) == OCCUPATION_KEYS for o in items)
    by_zone = every(client, "/online/job_zones/all", sort="job_zone")
    order = {code: zone for zone, codes in zones.items() for code in codes}
    assert [order[o["code"]] for o in by_zone] == sorted(order[o["code"]] for o in by_zone)
    assert error(client, "/online/job_zones/7")
    assert error(client, "/online/job_zones/all", sort="zone")


def test_job_families(client):
    codes = [r["O*NET-SOC Code"] for r in read_release("Occupation Data")]
    body = ok(client, "/online/job_families/")
    assert set(body) == {"job_family"}
    listing = body["job_family"]
    assert {
        "href": f"{BASE}/online/job_families/15-0000",
        "code": "15-0000",
        "title": "Computer and Mathematical",
    } in listing
    assert all(set(f) == {"href", "code", "title"} for f in listing)
    body = ok(client, "/online/job_families/15-0000", start=1, end=500)
    assert set(body) <= PAGE_KEYS | {"occupation"}
    assert {o["code"] for o in body["occupation"]} == {c for c in codes if c.startswith("15-")}
    assert all(set(o) == OCCUPATION_KEYS for o in body["occupation"])
    assert ok(client, "/online/job_families/all")["total"] == len(codes)
    assert all(set(o) == OCCUPATION_KEYS for o in ok(client, "/online/job_families/all")["occupation"])
    assert error(client, "/online/job_families/15-1200")


# -- Hot technology -------------------------------------------------------------------------------------


def test_hot_technology(client):
    hot = defaultdict(set)
    for r in read_release("Technology Skills"):
        if r["Hot Technology"] == "Y":
            hot[r["Example"]].add(r["O*NET-SOC Code"])
    listing = ok(client, "/online/hot_technology/", start=1, end=2000)
    assert set(listing) <= PAGE_KEYS | {"technology"}
    assert listing["total"] == len(hot)
    assert all(set(t) == {"href", "title"} for t in listing["technology"])  # evidence §11: {title} (+ href)
    by_title = {t["title"]: t for t in listing["technology"]}
    assert set(by_title) == set(hot)
    body = ok(client, by_title["Python"]["href"], start=1, end=2000)
    assert set(body) <= PAGE_KEYS | {"technology", "occupation"}
    assert body["technology"] == {"title": "Python"}
    assert {o["code"] for o in body["occupation"]} == hot["Python"]
    assert all(set(o) == OCCUPATION_KEYS for o in body["occupation"])
    # online/hot_technology/{title} (evidence §11) answers the same
    assert ok(client, "/online/hot_technology/Python", start=1, end=2000) == {
        **body,
        **(
            {"next": body["next"].replace(by_title["Python"]["href"], f"{BASE}/online/hot_technology/Python")}
            if "next" in body
            else {}
        ),
    }
    everything = ok(client, "/online/hot_technology/all")
    assert everything["total"] == len(set().union(*hot.values()))
    assert all(set(o) == OCCUPATION_KEYS for o in everything["occupation"])
    assert error(client, "/online/hot_technology/python")


# -- the O*NET 30.3 layout: four job zones, hot technology from Software Skills ----------------------------------


def test_job_zones_on_a_four_zone_release(current_client, client):
    """Since 30.2 Job Zone Reference has zones 2-5, zone 2 being "Job Zone 1-2": the listing shows the four zones
    and zone 1 answers as the merged zone 2 (the zone now holding every former zone-1 occupation)."""
    from conftest import read_current

    reference = read_current("job_zone_reference")
    listing = ok(current_client, "/online/job_zones/")["job_zone"]
    assert [(z["code"], z["title"]) for z in listing] == [(int(r["Job Zone"]), r["Name"]) for r in reference]
    assert [z["code"] for z in listing] == [2, 3, 4, 5] and listing[0]["title"].startswith("Job Zone 1-2")
    zones = defaultdict(set)
    for r in read_current("job_zones"):
        zones[int(r["Job Zone"])].add(r["O*NET-SOC Code"])
    assert set(zones) == {2, 3, 4, 5}
    for zone in (2, 3, 4, 5):
        assert {o["code"] for o in every(current_client, f"/online/job_zones/{zone}")} == zones[zone]
    assert ok(current_client, "/online/job_zones/1", start=1, end=2000) == {
        **ok(current_client, "/online/job_zones/2", start=1, end=2000)
    }
    assert ok(current_client, "/online/job_zones/1")["next"].endswith("/online/job_zones/1?start=21&end=40")
    assert len(every(current_client, "/online/job_zones/all")) == sum(map(len, zones.values()))
    assert error(current_client, "/online/job_zones/6")
    # 30.1 keeps its five zones, zone 1 its own occupations
    assert [z["code"] for z in ok(client, "/online/job_zones/")["job_zone"]] == [1, 2, 3, 4, 5]
    assert every(client, "/online/job_zones/1") != every(client, "/online/job_zones/2")


def test_hot_technology_on_30_3(current_client):
    from conftest import read_current

    hot = defaultdict(set)
    for r in read_current("software_skills"):
        if r["Hot Technology"] == "Y":
            hot[r["Workplace Example"]].add(r["O*NET-SOC Code"])
    listing = ok(current_client, "/online/hot_technology/", start=1, end=2000)
    assert {t["title"] for t in listing["technology"]} == set(hot)
    python = next(t for t in listing["technology"] if t["title"] == "Python")
    assert {o["code"] for o in every(current_client, python["href"])} == hot["Python"]
