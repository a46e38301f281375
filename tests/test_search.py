"""Keyword search (`/online/search`, `search_codes`) on the real app and the real release."""

from __future__ import annotations

import pytest

from conftest import read_release

URL = "/online/search"


def search(client, keyword: str, **params) -> dict:
    response = client.get(URL, params={"keyword": keyword, **params})
    assert response.status_code == 200, response.text
    return response.json()


def codes(client, keyword: str, **params) -> list[str]:
    return [o["code"] for o in search(client, keyword, **params)["occupation"]]


@pytest.fixture(scope="module")
def titles() -> dict[str, str]:
    return {r["O*NET-SOC Code"]: r["Title"] for r in read_release("Occupation Data")}


def test_full_code_returns_that_occupation(client, titles):
    body = search(client, "15-1252.00")
    assert body["total"] == 1
    assert body["occupation"] == [{
        "href": "http://testserver/online/occupations/15-1252.00/", "code": "15-1252.00",
        "title": titles["15-1252.00"], "tags": body["occupation"][0]["tags"],
    }]


def test_soc_code_returns_the_occupation_and_its_children(client, titles):
    expected = sorted(c for c in titles if c.startswith("29-1141."))
    assert len(expected) > 1
    assert codes(client, "29-1141") == expected
    assert codes(client, " 15-1252 ") == ["15-1252.00"]


def test_unknown_code_matches_nothing(client):
    assert search(client, "99-9999.00") == {"start": 1, "end": 0, "total": 0, "occupation": []}


@pytest.mark.parametrize("params", [{"end": 5}, {"start": 6, "end": 10}, {"start": 21}, {"start": 5000}])
def test_envelope_has_exactly_the_spec_keys(client, params):
    # Spec §1/§4: start, end, total, optional prev/next, then the list; nothing else (no echo of the keyword:
    # clients generated from the official OpenAPI file use extra="forbid" models).
    body = search(client, "nurse", **params)
    assert {"start", "end", "total", "occupation"} <= body.keys() <= {"start", "end", "total", "prev", "next",
                                                                       "occupation"}
    assert list(body)[-1] == "occupation"
    assert all(set(item) == {"href", "code", "title", "tags"} for item in body["occupation"])


def test_nurse_ranks_registered_nurses_first(client):
    body = search(client, "nurse", start=1, end=5)
    assert body["occupation"][0]["code"] == "29-1141.00"
    assert body["occupation"][0]["title"] == "Registered Nurses"
    assert body["start"] == 1 and body["end"] == 5 and body["total"] > 5
    assert body["next"].startswith("http://testserver/online/search?")


def test_software_developer(client):
    assert codes(client, "software developer")[0] == "15-1252.00"


def test_structural_engineer_ranks_civil_engineers_first(client):
    # Official batch-coder README sample: "Structural Engineer" -> 17-2051.00 Civil Engineers first.
    assert codes(client, "Structural Engineer")[0] == "17-2051.00"


@pytest.mark.parametrize(("one", "other"), [
    ("nurse", "nurses"), ("software developers", "software developer"), ("Secretaries", "secretary"),
])
def test_plural_and_singular_are_equivalent(client, one, other):
    assert codes(client, one, end=50) == codes(client, other, end=50)


def test_abbreviations(client):
    assert codes(client, "rn")[0] == "29-1141.00"
    assert codes(client, "RN") == codes(client, "registered nurse")
    assert codes(client, "sr accountant")[0] == codes(client, "senior accountant")[0]


def test_case_accents_and_punctuation_are_ignored(client):
    assert codes(client, "SOFTWARE DEVELOPER") == codes(client, "software developer")
    assert codes(client, "café") == codes(client, "cafe")


def test_no_match(client):
    body = search(client, "xyzzyqwv")
    assert body == {"start": 1, "end": 0, "total": 0, "occupation": []}


@pytest.mark.parametrize("params", [{}, {"keyword": ""}, {"keyword": "   "}])
def test_missing_keyword(client, params):
    response = client.get(URL, params=params)
    assert response.status_code == 422
    assert response.json() == {"error": "must have required property 'keyword'"}


@pytest.mark.parametrize("keyword", [
    '"', "'", "*", "-", "(", ")", "nurse*", '"nurse', "NEAR(nurse doctor)", "nurse AND", "OR", "NOT nurse",
    "^nurse", "nurse:doctor", "title:nurse", "{nurse}", "nurse + doctor", "-nurse", "a" * 5000,
    "nurse " * 400, "💉 nurse", "\u0000nurse", "护士", "ñandú", "15-1252.0", "15-12", "..", "%", "_", "\\",
])
def test_fts_syntax_and_odd_input_never_fail(client, keyword):
    response = client.get(URL, params={"keyword": keyword})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["total"] == len(set(c for c in codes(client, keyword, end=2000)))


def test_operators_are_plain_words(client):
    assert codes(client, "NEAR(nurse)")[:1] == codes(client, "near nurse")[:1]
    assert codes(client, '"nurse"') == codes(client, "nurse")


def test_paging(client):
    everything = codes(client, "engineer", end=2000)
    total = search(client, "engineer")["total"]
    assert total == len(everything) > 40
    first = search(client, "engineer")
    assert [o["code"] for o in first["occupation"]] == everything[:20]
    assert "prev" not in first and first["end"] == 20
    second = search(client, "engineer", start=21, end=40)
    assert [o["code"] for o in second["occupation"]] == everything[20:40]
    assert second["prev"] == "http://testserver/online/search?keyword=engineer&start=1&end=20"
    assert second["next"] == "http://testserver/online/search?keyword=engineer&start=41&end=60"
    last = search(client, "engineer", start=total, end=total + 5)
    assert last["end"] == total and "next" not in last
    response = client.get(URL, params={"keyword": "engineer", "start": "x"})
    assert response.status_code == 422


def test_results_are_distinct_real_occupations(client, titles):
    body = search(client, "manager", end=2000)
    found = [o["code"] for o in body["occupation"]]
    assert len(found) == len(set(found)) == body["total"]
    assert all(titles[o["code"]] == o["title"] for o in body["occupation"])


def test_search_codes_directly(ctx):
    from onetlocal.services.search import search_codes

    c = ctx()
    assert search_codes(c, "registered nurse")[0] == "29-1141.00"
    assert search_codes(c, "") == []
    assert search_codes(c, "()*\"") == []


@pytest.mark.parametrize(("keyword", "code"), [
    ("Registered Nurse (ICU) - Night Shift", "29-1141.00"),
    ("Senior Software Engineer", "15-1252.00"),
    ("Now Hiring - Registered Nurse", "29-1141.00"),
    ("registerd nurse", "29-1141.00"),
    ("sr. accountant", "13-2011.00"),
    ("HVAC tech", "49-9021.00"),
    ("cna", "31-1131.00"),
])
def test_job_ad_titles(client, keyword, code):
    # Job-ad qualifiers, seniority, a noise prefix and a typo do not hide the occupation (6-digit SOC level:
    # an ICU nurse is rightly 29-1141.03 Critical Care Nurses).
    assert codes(client, keyword)[0][:7] == code[:7]


def test_modifiers_are_not_required(client):
    # "senior" is a modifier: the occupations matched are those of "software engineer".
    assert set(codes(client, "senior software engineer", end=2000)) >= set(codes(client, "software engineer",
                                                                                  end=2000)[:5])


def test_openapi_documents_search(client):
    spec = client.get("/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/online/search"]["get"]["parameters"]}
    assert {"keyword", "start", "end"} <= params
