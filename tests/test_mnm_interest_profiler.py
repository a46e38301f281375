"""The Interest Profiler on every My Next Move site, checked against the source files: the Short Form items
(supplementary/interest-profiler), Interests.txt (OI profiles, high-points), Job Zones.txt, the Content Model
Reference — and the matching-careers seed page. Expected values are computed here from the rule, never copied
from our output."""

from __future__ import annotations

import csv
import random
import statistics
from collections import defaultdict

import pytest

from conftest import BASE, SHARED, error, ok, read_release

SITES = ("mnm", "mpp", "veterans")
AREAS = ("realistic", "investigative", "artistic", "social", "enterprising", "conventional")
ELEMENTS = dict(zip(("1.B.1.a", "1.B.1.b", "1.B.1.c", "1.B.1.d", "1.B.1.e", "1.B.1.f"), AREAS, strict=True))
SEED_ANSWERS = "553421321134342523523523254115342111351145453111231155343444"
BANDS = ((0.729, "Best"), (0.608, "Great"), (0.5, "Good"))


def every(client, url: str, **params) -> list[dict]:
    body = ok(client, url, start=1, end=2000, **params)
    assert len(body["career"]) == body["total"]
    return body["career"]


@pytest.fixture(scope="module")
def short_form() -> list[dict]:
    path = SHARED / "supplementary" / "interest-profiler" / "ip-short-form-60.tsv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [{"index": int(r["index"]), "area": r["area"].lower(), "text": r["text"]} for r in rows]


@pytest.fixture(scope="module")
def mini(short_form) -> list[dict]:
    """The documented derivation: each area's first five Short Form items, one at a time R, I, A, S, E, C."""
    by_area = defaultdict(list)
    for q in short_form:
        by_area[q["area"]].append(q)
    return [
        {"index": i * 6 + k + 1, "area": area, "text": by_area[area][i]["text"]}
        for i in range(5)
        for k, area in enumerate(AREAS)
    ]


@pytest.fixture(scope="module")
def careers() -> dict[str, str]:
    """Careers = occupations with a Job Zone; code -> title."""
    zoned = {r["O*NET-SOC Code"] for r in read_release("Job Zones")}
    return {r["O*NET-SOC Code"]: r["Title"] for r in read_release("Occupation Data") if r["O*NET-SOC Code"] in zoned}


@pytest.fixture(scope="module")
def zones() -> dict[str, int]:
    return {r["O*NET-SOC Code"]: int(r["Job Zone"]) for r in read_release("Job Zones")}


@pytest.fixture(scope="module")
def profiles(careers) -> dict[str, list[float]]:
    out: dict[str, list] = {}
    for r in read_release("Interests"):
        if r["Scale ID"] == "OI" and r["Element ID"] in ELEMENTS and r["O*NET-SOC Code"] in careers:
            out.setdefault(r["O*NET-SOC Code"], [0.0] * 6)[AREAS.index(ELEMENTS[r["Element ID"]])] = float(
                r["Data Value"]
            )
    return out


def scores_of(answers: str, items: list[dict]) -> list[int]:
    totals = dict.fromkeys(AREAS, 0)
    for item, digit in zip(items, answers, strict=True):
        totals[item["area"]] += int(digit) - 1
    return [totals[a] for a in AREAS]


def expected_matches(scores, profiles, careers) -> list[tuple[str, str]]:
    """Pearson r (statistics.correlation) per career, banded; by band then title (case-folded), then code."""
    found = []
    for code, profile in profiles.items():
        r = statistics.correlation(scores, profile)
        fit = next((f for low, f in BANDS if r >= low), None)
        if fit:
            found.append((code, fit))
    rank = {f: i for i, (_, f) in enumerate(BANDS)}
    found.sort(key=lambda cf: (rank[cf[1]], careers[cf[0]].casefold(), cf[0]))
    return found


# -- questions ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_short_form_questions_paged_with_answer_options(client, short_form, site):
    first = ok(client, f"/{site}/interestprofiler/questions")
    assert (first["start"], first["end"], first["total"]) == (1, 20, 60)
    assert first["next"] == f"{BASE}/{site}/interestprofiler/questions?start=21&end=40"
    assert [(o["value"], o["name"]) for o in first["answer_option"]] == [
        (1, "Strongly Dislike"),
        (2, "Dislike"),
        (3, "Unsure"),
        (4, "Like"),
        (5, "Strongly Like"),
    ]
    assert list(first)[-2:] == ["answer_option", "question"]
    served = first["question"] + ok(client, f"/{site}/interestprofiler/questions", start=21, end=60)["question"]
    assert [{k: q[k] for k in ("index", "area", "text")} for q in served] == short_form
    # pair cycle: R R I I A A S S E E C C, five times
    assert [q["area"] for q in served] == [AREAS[(i // 2) % 6] for i in range(60)]
    # /mpp/: the data holds no Spanish item texts, so each English item says so
    marked = {q.get("language") for q in served} | {o.get("language") for o in first["answer_option"]}
    assert marked == ({"en"} if site == "mpp" else {None})


@pytest.mark.parametrize("site", SITES)
def test_mini_ip_questions_cycle_one_at_a_time(client, mini, site):
    body = ok(client, f"/{site}/interestprofiler/questions_30", end=30)
    assert body["total"] == 30 and "next" not in body
    served = [{k: q[k] for k in ("index", "area", "text")} for q in body["question"]]
    assert served == mini
    assert served[0]["text"] == "Build kitchen cabinets" and served[1]["text"] == "Develop a new medicine"
    assert ok(client, f"/{site}/interestprofiler/questions_30")["end"] == 20


# -- results ------------------------------------------------------------------------------------------------


def _answers(n: int, seed: int) -> str:
    """A fixed pseudo-random answers string (not a flat profile)."""
    return "".join(random.Random(seed).choices("12345", k=n))


@pytest.mark.parametrize("site", SITES)
def test_results_are_raw_scores_computed_by_the_rule(client, short_form, site):
    answers = _answers(60, 7)
    body = ok(client, f"/{site}/interestprofiler/results", answers=answers)
    assert set(body) == {"careers", "result"}  # not paged
    assert body["careers"] == f"{BASE}/{site}/interestprofiler/careers?answers={answers}"
    cmr = {r["Element ID"]: r for r in read_release("Content Model Reference")}
    expected = scores_of(answers, short_form)
    assert [r["code"] for r in body["result"]] == list(AREAS)
    assert [r["score"] for r in body["result"]] == expected
    for item, element in zip(body["result"], ELEMENTS, strict=True):
        assert item["title"] == cmr[element]["Element Name"]
        assert item["description"] == cmr[element]["Description"]
        assert item["href"] == f"{BASE}/{site}/interestprofiler/interests/{item['code']}"


def test_results_seed_answers(client):
    body = ok(client, "/mnm/interestprofiler/results", answers=SEED_ANSWERS)
    assert [r["score"] for r in body["result"]] == [27, 13, 23, 25, 14, 14]  # spec §3, checked by hand


def test_results_of_thirty_answers(client, mini):
    answers = _answers(30, 3)
    body = ok(client, "/mnm/interestprofiler/results", answers=answers)
    assert [r["score"] for r in body["result"]] == scores_of(answers, mini)
    assert all(0 <= r["score"] <= 20 for r in body["result"])


@pytest.mark.parametrize(
    "answers",
    ["", "1" * 59, "1" * 61, "1" * 31, "1" * 29, "0" + "1" * 59, "6" * 60, "a" * 60, "1" * 30 + "x" * 30, "1" * 90],
)
def test_results_reject_malformed_answers(client, answers):
    message = error(client, "/mnm/interestprofiler/results", answers=answers)
    assert "answers" in message


# -- matching careers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", ("mnm", "veterans"))
def test_seed_example_first_two_careers(client, site):
    body = ok(client, f"/{site}/interestprofiler/careers", answers=SEED_ANSWERS)
    assert (body["start"], body["end"]) == (1, 20)
    first, second = body["career"][:2]
    assert (first["code"], first["title"], first["fit"]) == ("27-2031.00", "Dancers", "Best")
    assert (second["code"], second["title"], second["fit"]) == ("39-5094.00", "Skincare Specialists", "Best")
    assert first["href"] == f"{BASE}/{site}/careers/27-2031.00/"
    assert set(first) == {"href", "code", "title", "tags", "fit"}


def test_seed_example_on_mpp_orders_a_band_by_the_site_titles(client):
    """Skincare Specialists has a Spanish title in the imported sample ("Especialistas ..."), Dancers not:
    the two Best careers are ordered by the titles /mpp/ shows."""
    body = ok(client, "/mpp/interestprofiler/careers", answers=SEED_ANSWERS)
    best = [c for c in body["career"] if c["fit"] == "Best"]
    assert {c["code"] for c in best} == {"27-2031.00", "39-5094.00"}
    assert [c["title"].casefold() for c in best] == sorted(c["title"].casefold() for c in best)
    by_code = {c["code"]: c for c in best}
    assert by_code["27-2031.00"]["title"] == "Dancers" and by_code["27-2031.00"]["language"] == "en"
    assert by_code["39-5094.00"]["title"] != "Skincare Specialists" and "language" not in by_code["39-5094.00"]


def test_matching_careers_follow_the_rule(client, short_form, profiles, careers):
    for answers in (SEED_ANSWERS, _answers(60, 7), _answers(60, 3)):
        expected = expected_matches(scores_of(answers, short_form), profiles, careers)
        assert expected, answers  # a profile that matches something
        served = every(client, "/mnm/interestprofiler/careers", answers=answers)
        assert [(c["code"], c["fit"]) for c in served] == expected
        assert all(c["title"] == careers[c["code"]] for c in served)


def test_thirty_answers_match_by_the_mini_ip_scores(client, mini, profiles, careers):
    answers = _answers(30, 2)
    expected = expected_matches(scores_of(answers, mini), profiles, careers)
    assert expected
    assert [(c["code"], c["fit"]) for c in every(client, "/mnm/interestprofiler/careers", answers=answers)] == expected


def test_six_scores_equal_answers(client):
    by_answers = every(client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS)
    scores = dict(zip(AREAS, (27, 13, 23, 25, 14, 14), strict=True))
    assert every(client, "/mnm/interestprofiler/careers", **scores) == by_answers


def test_zone_filter(client, zones, short_form, profiles, careers):
    expected = expected_matches(scores_of(SEED_ANSWERS, short_form), profiles, careers)
    for zone in range(1, 6):
        served = every(client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS, zone=zone)
        assert [(c["code"], c["fit"]) for c in served] == [cf for cf in expected if zones[cf[0]] == zone]


def test_matching_careers_paging(client):
    whole = every(client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS)
    page = ok(client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS, start=5, end=9)
    assert page["career"] == whole[4:9] and page["total"] == len(whole)
    assert page["next"] == f"{BASE}/mnm/interestprofiler/careers?answers={SEED_ANSWERS}&start=10&end=14"
    assert page["prev"] == f"{BASE}/mnm/interestprofiler/careers?answers={SEED_ANSWERS}&start=1&end=4"
    past = ok(client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS, start=1000, end=1010)
    assert past["career"] == [] and (past["start"], past["end"]) == (1000, 999)


def test_flat_profile_matches_nothing(client):
    body = ok(client, "/mnm/interestprofiler/careers", answers="3" * 60)
    assert (body["total"], body["career"]) == (0, [])


@pytest.mark.parametrize(
    "params, words",
    [
        ({}, ["answers", "realistic"]),
        ({"answers": SEED_ANSWERS, "social": 10}, ["either", "social"]),
        ({"realistic": 1, "social": 2}, ["missing", "investigative", "conventional"]),
        ({"answers": "1" * 59}, ["answers"]),
        ({"answers": "7" * 60}, ["answers"]),
        ({"answers": SEED_ANSWERS, "zone": 0}, ["zone"]),
        ({"answers": SEED_ANSWERS, "zone": 6}, ["zone"]),
        ({"answers": SEED_ANSWERS, "zone": "two"}, ["zone"]),
        ({**dict.fromkeys(AREAS, 10), "social": 41}, ["social"]),
        ({**dict.fromkeys(AREAS, 10), "social": -1}, ["social"]),
    ],
)
def test_careers_bad_parameters_are_422(client, params, words):
    message = error(client, "/mnm/interestprofiler/careers", **params)
    assert all(w in message for w in words), message


def test_unknown_parameter_is_ignored(client):
    body = ok(client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS, job_zone=1)
    assert body["total"] == len(every(client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS))


# -- job zones and interests --------------------------------------------------------------------------------


def test_job_zones(client):
    reference = read_release("Job Zone Reference")
    body = ok(client, "/veterans/interestprofiler/job_zones")
    assert [(z["value"], z["title"], z["education"], z["svp_range"]) for z in body["job_zone"]] == [
        (int(r["Job Zone"]), r["Name"], r["Education"], r["SVP Range"]) for r in reference
    ]


@pytest.mark.parametrize("site", SITES)
def test_interest_areas(client, site):
    cmr = {r["Element ID"]: r for r in read_release("Content Model Reference")}
    body = ok(client, f"/{site}/interestprofiler/interests/")
    assert [(a["code"], a["title"], a["description"]) for a in body["interest"]] == [
        (area, cmr[e]["Element Name"], cmr[e]["Description"]) for e, area in ELEMENTS.items()
    ]
    assert body["interest"][0]["href"] == f"{BASE}/{site}/interestprofiler/interests/realistic"


def test_careers_of_one_interest(client, careers, zones):
    high = {
        r["O*NET-SOC Code"]: int(float(r["Data Value"]))
        for r in read_release("Interests")
        if r["Element ID"] == "1.B.1.g"
    }
    for number, area in enumerate(AREAS, 1):
        expected = sorted((c for c in careers if high.get(c) == number), key=lambda c: (careers[c].casefold(), c))
        served = every(client, f"/mnm/interestprofiler/interests/{area}")
        assert [c["code"] for c in served] == expected
        zoned = every(client, f"/mnm/interestprofiler/interests/{area}", zone=3)
        assert [c["code"] for c in zoned] == [c for c in expected if zones[c] == 3]
    assert "area" in error(client, "/mnm/interestprofiler/interests/blue")


# -- the O*NET 30.3 layout: Career Interest Types, four job zones -------------------------------------------------


@pytest.fixture(scope="module")
def current_careers() -> dict[str, str]:
    from conftest import read_current

    zoned = {r["O*NET-SOC Code"] for r in read_current("job_zones")}
    return {r["O*NET-SOC Code"]: r["Title"] for r in read_current("occupation_data") if r["O*NET-SOC Code"] in zoned}


@pytest.fixture(scope="module")
def current_profiles(current_careers) -> dict[str, list[float]]:
    from conftest import read_current

    out: dict[str, list] = {}
    for r in read_current("career_interest_types"):
        if r["Scale ID"] == "OI" and r["Element ID"] in ELEMENTS and r["O*NET-SOC Code"] in current_careers:
            out.setdefault(r["O*NET-SOC Code"], [0.0] * 6)[AREAS.index(ELEMENTS[r["Element ID"]])] = float(
                r["Data Value"]
            )
    return out


def test_results_and_careers_on_30_3_match_on_career_interest_types(
    current_client, short_form, current_profiles, current_careers
):
    body = ok(current_client, "/mnm/interestprofiler/results", answers=SEED_ANSWERS)
    assert [r["score"] for r in body["result"]] == [27, 13, 23, 25, 14, 14]
    expected = expected_matches(scores_of(SEED_ANSWERS, short_form), current_profiles, current_careers)
    served = every(current_client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS)
    assert [(c["code"], c["fit"]) for c in served] == expected


def test_seed_example_moves_on_30_3_as_documented(client, current_client):
    """docs/compatibility.md, "Interest Profiler on 30.3": the re-estimated Career Interest Types keep Dancers and
    Skincare Specialists as the only Best fits; in the Great band Baristas and Park Naturalists replace Childcare
    Workers and Makeup Artists (both now Good); 43 careers match on 30.1, 45 on 30.3."""
    old = {c["title"]: c["fit"] for c in every(client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS)}
    new = {c["title"]: c["fit"] for c in every(current_client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS)}
    assert (len(old), len(new)) == (43, 45)
    best = ["Dancers", "Skincare Specialists"]
    assert [t for t, f in old.items() if f == "Best"] == best == [t for t, f in new.items() if f == "Best"]
    great_old = {t for t, f in old.items() if f == "Great"}
    great_new = {t for t, f in new.items() if f == "Great"}
    assert great_old - great_new == {"Childcare Workers", "Makeup Artists, Theatrical and Performance"}
    assert great_new - great_old == {"Baristas", "Park Naturalists"}
    assert set(old) - set(new) == {
        "Adapted Physical Education Specialists",
        "Musical Instrument Repairers and Tuners",
        "Recreational Therapists",
    }
    assert set(new) - set(old) == {
        "Baristas",
        "Carpet Installers",
        "Etchers and Engravers",
        "Helpers--Carpenters",
        "Preschool Teachers, Except Special Education",
    }


def test_zone_filter_on_a_four_zone_release(current_client):
    """zone=1 is the merged zone "Job Zone 1-2" (value 2) there: the same careers as zone=2."""
    from conftest import read_current

    zones = {r["O*NET-SOC Code"]: int(r["Job Zone"]) for r in read_current("job_zones")}
    whole = every(current_client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS)
    merged = every(current_client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS, zone=1)
    assert merged and merged == [c for c in whole if zones[c["code"]] == 2]
    assert merged == every(current_client, "/mnm/interestprofiler/careers", answers=SEED_ANSWERS, zone=2)
    realistic = every(current_client, "/mnm/interestprofiler/interests/realistic", zone=1)
    assert realistic and realistic == every(current_client, "/mnm/interestprofiler/interests/realistic", zone=2)
    reference = read_current("job_zone_reference")
    assert [(z["value"], z["title"]) for z in ok(current_client, "/mnm/interestprofiler/job_zones")["job_zone"]] == [
        (int(r["Job Zone"]), r["Name"]) for r in reference
    ]
