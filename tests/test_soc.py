"""The one O*NET -> BLS code rule (`onetlocal.soc`): what the search's employment prior, My Next Move (salary,
outlook, states, industries) and CareerOneStop (wages, projections, attainment) all use."""

from __future__ import annotations

import pytest

from onetlocal.services import bls
from onetlocal.services.careeronestop import resolve, wages
from onetlocal.services.mnm import outlook
from onetlocal.soc import broad_code, published_code, soc_code

#: SOC detailed occupations of a few broad groups (as the O*NET occupations give them).
DETAILED = frozenset(
    {
        "11-1011",
        "11-1021",
        "11-1031",
        "13-1021",
        "13-1022",
        "13-1023",
        "15-1251",
        "15-1252",
        "15-1253",
        "15-1254",
        "15-1255",
        "21-1011",
        "21-1012",
        "21-1013",
        "21-1014",
        "21-1015",
        "21-1019",
    }
)
#: What OEWS publishes of them: 21-1011 and 21-1014 only within 21-1018, 13-102x only as the broad group.
OEWS = frozenset(
    {"11-1000", "11-1011", "11-1021", "13-1020", "21-1010", "21-1012", "21-1013", "21-1015", "21-1018", "21-1019"}
)


def test_soc_code():
    assert soc_code("15-1252.00") == soc_code("15-1252") == "15-1252"
    assert soc_code("15-1299.08") == "15-1299"
    assert broad_code("13-1021") == "13-1020"


def test_the_code_itself_first():
    assert published_code("21-1012", OEWS, DETAILED) == "21-1012"


def test_then_the_one_combination_of_its_broad_group():
    assert published_code("21-1011", OEWS, DETAILED) == published_code("21-1014", OEWS, DETAILED) == "21-1018"


def test_then_the_broad_group():
    assert published_code("13-1022", OEWS, DETAILED) == "13-1020"


def test_never_another_occupation_nor_the_minor_group():
    assert published_code("11-1031", OEWS, DETAILED) is None  # Legislators: no "Top Executives" (11-1000) wages
    # A detailed occupation the source publishes stands for itself only, never for its neighbours.
    assert published_code("21-1014", {"21-1012", "21-1015"}, DETAILED) is None


ACS_TITLES = {
    "15-1251": "Computer programmers",
    "15-1256": "Software developers and software quality assurance analysts and testers",
    "15-1257": "Web developers and digital interface designers",
    "15-1252": "Software Developers",
    "15-1253": "Software Quality Assurance Analysts and Testers",
    "15-1254": "Web Developers",
    "15-1255": "Web and Digital Interface Designers",
    "21-1011": "Substance Abuse and Behavioral Disorder Counselors",
}


def test_two_combinations_in_the_broad_group_are_told_apart_by_their_titles_only():
    """The ACS attainment table publishes 15-1256 (software developers and QA testers) and 15-1257 (web developers
    and digital interface designers): the codes do not say which holds which occupation (none without titles); the
    combination whose title holds every word of the occupation's title does."""
    acs = {"15-1251", "15-1256", "15-1257"}
    assert published_code("15-1251", acs, DETAILED, ACS_TITLES) == "15-1251"
    for soc in ("15-1252", "15-1253", "15-1254", "15-1255"):
        assert published_code(soc, acs, DETAILED) is None
    assert [published_code(s, acs, DETAILED, ACS_TITLES) for s in ("15-1252", "15-1253", "15-1254", "15-1255")] == [
        "15-1256",
        "15-1256",
        "15-1257",
        "15-1257",
    ]
    # A title no combination names, or named by two: none.
    assert published_code("21-1011", {"21-1012", "21-1098"}, DETAILED, {**ACS_TITLES, "21-1098": "Counselors"}) is None
    both = {**ACS_TITLES, "15-1258": "Web developers, all other"}
    assert published_code("15-1254", acs | {"15-1258"}, DETAILED, both) is None


# -- on the release ---------------------------------------------------------------------------------------------------


def test_the_crosswalk_says_the_same_soc_code(db):
    rows = db.all("SELECT onetsoc_code, soc_code FROM taxonomy_soc_crosswalk WHERE taxonomy = '2019'")
    assert len(rows) > 1000
    assert all(soc_code(r["onetsoc_code"]) == r["soc_code"] for r in rows)


@pytest.fixture(scope="module")
def oews_national(db) -> frozenset[str]:
    return frozenset(r["soc_code"] for r in db.all("SELECT soc_code FROM oews_wages WHERE area_type = 'N'"))


def test_oews_combinations_on_the_release(ctx, db, oews_national):
    c = ctx()
    detailed = bls.occupation_socs(c)
    found = {
        code: published_code(soc_code(code), oews_national, detailed)
        for code in (r["onetsoc_code"] for r in db.all("SELECT onetsoc_code FROM occupation_data"))
    }
    combined = {
        code: bls_code
        for code, bls_code in found.items()
        if bls_code and bls_code != soc_code(code) and bls_code != broad_code(bls_code)
    }
    assert combined == {
        "21-1011.00": "21-1018",
        "21-1014.00": "21-1018",
        "25-2055.00": "25-2052",
        "25-2056.00": "25-2052",
        "25-9042.00": "25-9045",
        "25-9043.00": "25-9045",
        "25-9049.00": "25-9045",
        "51-2022.00": "51-2028",
        "51-2023.00": "51-2028",
        "53-1042.00": "53-1047",
        "53-1042.01": "53-1047",
        "53-1043.00": "53-1047",
        "53-1044.00": "53-1047",
        "53-1049.00": "53-1047",
    }
    assert found["11-1031.00"] is None and found["55-1011.00"] is None  # Legislators, military: none


def test_my_next_move_and_careeronestop_give_the_same_oews_code(ctx, db):
    c = ctx()
    for code in (r["onetsoc_code"] for r in db.all("SELECT onetsoc_code FROM occupation_data")):
        row = outlook.national_row(c, code)
        assert (row["soc_code"] if row else None) == wages.oews_code(c, resolve.soc_of(c, code)["code"]), code


def test_attainment_of_combinations_named_by_their_titles(ctx, db):
    """On the release and the ACS table: the occupations the table publishes only within a combination its title
    names (two in one broad group, or across broad groups: 47-5097) get that combination; military occupations,
    which the table does not cover, none."""
    c = ctx()
    sql = "SELECT soc_code AS code, title FROM bls_education_attainment"
    published, titles = (
        resolve.codes(c, "bls_education_attainment", sql),
        resolve.titles(c, "bls_education_attainment", sql),
    )
    assert {"15-1256", "15-1257", "47-5097", "47-5098"} <= published
    expected = {
        "15-1252.00": "15-1256",
        "15-1253.00": "15-1256",
        "15-1254.00": "15-1257",
        "15-1255.00": "15-1257",
        "15-1255.01": "15-1257",
        "47-5023.00": "47-5097",
        "47-5032.00": "47-5097",
        "47-5049.00": "47-5098",
        "47-5099.00": "47-5098",
        "15-1251.00": "15-1251",
        "55-1011.00": None,
    }
    assert {code: bls.bls_code(c, "attainment", code, published, titles) for code in expected} == expected


def test_the_search_prior_shares_a_combination(db):
    employment = {
        r["soc_code"]: r["employment"]
        for r in db.all("SELECT soc_code, employment FROM oews_wages WHERE area_type = 'N'")
    }
    prior = {r["code"]: r["employment"] for r in db.all("SELECT code, employment FROM search_prior")}
    assert prior["21-1011.00"] == prior["21-1014.00"] == round(employment["21-1018"] / 2)
    assert prior["13-1022.00"] == round(employment["13-1020"] / 3)
    assert prior["15-1252.00"] == employment["15-1252"]
