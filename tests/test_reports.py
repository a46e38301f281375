"""Occupation report sections (summary/details/custom, hot technology) on the real app, checked against the
release files; the four big files missing from the shared data are exercised on the hand-written fixture
release (tests/fixtures/release)."""

from __future__ import annotations

import math
from collections import defaultdict

import pytest
from starlette.testclient import TestClient

from conftest import error, ok, read_release
from fixtures import RELEASE
from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.ingest import build

CODE = "15-1252.00"
BASE = f"/online/occupations/{CODE}"


def trunc(value: float, low: float, high: float) -> int:
    return math.trunc(round((value - low) / (high - low) * 100, 6))


def rows_for(name: str, code: str = CODE) -> list[dict]:
    return [r for r in read_release(name) if r["O*NET-SOC Code"] == code]


# -- tasks ------------------------------------------------------------------------------------------


CATEGORY = {"Core": 0, "Supplemental": 1, "n/a": 2}


def test_details_tasks_match_task_statements(client):
    rows = rows_for("Task Statements")
    # No Task Ratings in this copy: Core, Supplemental, then New (Task Type n/a), each in release order.
    expected = sorted(rows, key=lambda r: CATEGORY[r["Task Type"]])  # stable: release order within a group
    body = ok(client, f"{BASE}/details/tasks", end=100)
    assert body["total"] == len(rows)  # Emerging Tasks (no Task ID) are not listed
    assert [t["id"] for t in body["task"]] == [r["Task ID"] for r in expected]  # ids are strings
    assert [t["title"] for t in body["task"]] == [r["Task"] for r in expected]
    assert all(t["category"] == r["Task Type"] for t, r in zip(body["task"], expected, strict=False))
    assert all("importance" not in t for t in body["task"])
    assert all(t["related"] == f"http://testserver{BASE}/related/tasks/{t['id']}" for t in body["task"])
    assert list(body["task"][0]) == ["id", "title", "category", "related"]


def test_details_tasks_new_category_as_captured(client):
    """evidence.md Part 2 §6: 41-3091.00 task 23222 is served as
    {"id":"23222","title":"Answer customers' questions ...","category":"New","related":".../related/tasks/23222"}."""
    code = "41-3091.00"
    row = next(r for r in rows_for("Task Statements", code) if r["Task ID"] == "23222")
    assert row["Task Type"] == "n/a"
    body = ok(client, f"/online/occupations/{code}/details/tasks", end=100)
    task = next(t for t in body["task"] if t["id"] == "23222")
    assert task == {
        "id": "23222",
        "title": row["Task"],
        "category": "New",
        "related": f"http://testserver/online/occupations/{code}/related/tasks/23222",
    }
    assert ok(client, task["related"].removeprefix("http://testserver"))["total"] >= 0  # the link answers
    assert len(ok(client, f"/online/occupations/{code}/summary/tasks", end=100)["task"]) == body["total"]


def test_summary_tasks_are_the_core_tasks_without_ratings(client):
    core = [r["Task ID"] for r in rows_for("Task Statements") if r["Task Type"] == "Core"]
    body = ok(client, f"{BASE}/summary/tasks", end=100)
    assert [t["id"] for t in body["task"]] == core
    assert all(set(t) == {"id", "title", "related"} for t in body["task"])


# -- rated descriptors ----------------------------------------------------------------------------------


def _expected_ratings(name: str) -> list[tuple[str, int, int]]:
    by_id: dict[str, dict] = defaultdict(dict)
    for r in rows_for(name):
        by_id[r["Element ID"]][r["Scale ID"]] = float(r["Data Value"])
    items = [(eid, trunc(v["IM"], 1, 5), trunc(v["LV"], 0, 7)) for eid, v in by_id.items()]
    return sorted(items, key=lambda i: (-i[1], -i[2], i[0]))


def test_details_skills_importance_and_level_from_skills_txt(client):
    expected = _expected_ratings("Skills")
    first = ok(client, f"{BASE}/details/skills")
    assert (first["start"], first["end"], first["total"]) == (1, 10, len(expected))  # default page: 10
    assert first["next"].endswith(f"{BASE}/details/skills?start=11&end=20")
    every = ok(client, f"{BASE}/details/skills", end=len(expected))["element"]
    assert [(e["id"], e["importance"], e["level"]) for e in every] == expected
    importances = [e["importance"] for e in every]
    assert importances == sorted(importances, reverse=True)
    names = {r["Element ID"]: r["Element Name"] for r in rows_for("Skills")}
    assert all(e["name"] == names[e["id"]] and e["description"] for e in every)
    second = ok(client, f"{BASE}/details/skills", start=11)
    assert [e["id"] for e in second["element"]] == [e[0] for e in expected[10:20]]


def test_summary_skills_are_the_important_ones_without_ratings(client):
    expected = [eid for eid, importance, _ in _expected_ratings("Skills") if importance >= 50]
    body = ok(client, f"{BASE}/summary/skills", end=100)
    assert [e["id"] for e in body["element"]] == expected and expected
    assert all(set(e) == {"id", "related", "name", "description"} for e in body["element"])


def test_details_knowledge_ordering(client):
    expected = _expected_ratings("Knowledge")
    body = ok(client, f"{BASE}/details/knowledge", end=100)
    assert [(e["id"], e["importance"], e["level"]) for e in body["element"]] == expected


@pytest.mark.parametrize("section", ["skills", "knowledge", "work_styles", "work_values", "interests"])
@pytest.mark.parametrize("view", ["details", "summary"])
def test_element_items_link_to_onet_data(client, section, view):
    """Spec §7 / evidence.md: element items are {id, related, name, description, ...}; `related` points at
    online/onet_data/{section}/{id} (interests: by RIASEC letter)."""
    code = "11-1011.00"  # has every one of these sections
    body = ok(client, f"/online/occupations/{code}/{view}/{section}", end=100)
    assert body["element"]
    for e in body["element"]:
        assert list(e)[:4] == ["id", "related", "name", "description"]
        tail = e["name"][0] if section == "interests" else e["id"]
        assert e["related"] == f"http://testserver/online/onet_data/{section}/{tail}"


# -- technology, tools, hot technology ---------------------------------------------------------------------


def test_technology_categories_and_flags(client):
    rows = rows_for("Technology Skills")
    body = ok(client, f"{BASE}/details/technology_skills", end=1000)
    assert {c["code"] for c in body["category"]} == {int(r["Commodity Code"]) for r in rows}
    served = {(c["code"], e["title"]): e for c in body["category"] for e in c["example"]}
    assert len(served) == len(rows)
    for r in rows:  # flags as captured: present (true) only when Y, never false
        e = served[(int(r["Commodity Code"]), r["Example"])]
        assert e.get("hot_technology") is (True if r["Hot Technology"] == "Y" else None)
        assert e.get("in_demand") is (True if r["In Demand"] == "Y" else None)
    assert "false" not in client.get(f"{BASE}/details/technology_skills", params={"end": 1000}).text
    for c in body["category"]:  # the captured category shape and link
        assert list(c) == ["code", "title", "related", "example"]
        assert c["related"] == f"http://testserver{BASE}/related/technology_skills/{c['code']}"
    hot = {r["Example"] for r in rows if r["Hot Technology"] == "Y"}
    assert body["hot_technology"] == {"total": len(hot), "href": f"http://testserver{BASE}/hot_technology"}


def test_hot_technology_of_an_occupation(client):
    rows = rows_for("Technology Skills")
    hot = {r["Example"] for r in rows if r["Hot Technology"] == "Y"}
    in_demand = {r["Example"] for r in rows if r["Hot Technology"] == "Y" and r["In Demand"] == "Y"}
    listed = ok(client, f"{BASE}/hot_technology", end=1000)
    assert listed["total"] == len(hot) and {e["title"] for e in listed["example"]} == hot
    assert all(e["hot_technology"] is True and "percentage" not in e for e in listed["example"])
    assert {e["title"] for e in listed["example"] if e.get("in_demand")} == in_demand
    assert [e["title"] for e in listed["example"][: len(in_demand)]] == sorted(
        in_demand, key=str.lower
    )  # in demand first, then by title
    assert all(e["href"].startswith("http://testserver/online/technology/examples/") for e in listed["example"])
    assert ok(client, f"{BASE}/hot_technology")["end"] == 10


def test_related_technology_skills_route(client):
    """Every category's `related` link answers: the other occupations using that UNSPSC commodity."""
    rows = read_release("Technology Skills")
    body = ok(client, f"{BASE}/details/technology_skills", end=1000)
    category = next(c for c in body["category"] if c["code"] == 43232306)  # Data base user interface and query
    mine = {r["Example"] for r in rows if r["O*NET-SOC Code"] == CODE and r["Commodity Code"] == "43232306"}
    users: dict[str, set] = defaultdict(set)
    for r in rows:
        if r["Commodity Code"] == "43232306" and r["O*NET-SOC Code"] != CODE:
            users[r["O*NET-SOC Code"]].add(r["Example"])
    related = ok(client, category["related"].removeprefix("http://testserver"), end=2000)
    assert related["total"] == len(users) and related["category"]["code"] == 43232306
    codes = [o["code"] for o in related["occupation"]]
    assert set(codes) == set(users) and CODE not in codes
    shared = [len(users[c] & mine) for c in codes]
    assert shared == sorted(shared, reverse=True) and shared[0] > 0
    first = related["occupation"][0]
    assert {e["title"] for e in first["example"]} == users[first["code"]]
    assert ok(client, category["related"].removeprefix("http://testserver"))["end"] == 20  # default page
    assert error(client, f"{BASE}/related/technology_skills/99999999")  # not a category of this occupation
    assert error(client, f"{BASE}/related/technology_skills/abc")


def test_tools_used_details_only(client):
    rows = rows_for("Tools Used")
    body = ok(client, f"{BASE}/details/tools_used", end=1000)
    assert sorted((c["code"], e["title"]) for c in body["category"] for e in c["example"]) == sorted(
        (int(r["Commodity Code"]), r["Example"]) for r in rows
    )
    assert "summary" in error(client, f"{BASE}/summary/tools_used")


# -- job zone, education ----------------------------------------------------------------------------------


def test_job_zone_from_job_zone_reference(client):
    zone = int(rows_for("Job Zones")[0]["Job Zone"])
    ref = next(r for r in read_release("Job Zone Reference") if int(r["Job Zone"]) == zone)
    body = ok(client, f"{BASE}/details/job_zone")
    assert body == {
        "code": zone,
        "title": ref["Name"],
        "education": ref["Education"],
        "related_experience": ref["Experience"],
        "job_training": ref["Job Training"],
        "job_zone_examples": ref["Examples"],
        "svp_range": ref["SVP Range"],
    }
    assert ok(client, f"{BASE}/summary/job_zone") == body


def test_education_percentages_from_the_file(client):
    rows = [
        r
        for r in rows_for("Education, Training, and Experience")
        if r["Scale ID"] == "RL" and float(r["Data Value"]) > 0
    ]
    rows.sort(key=lambda r: (-float(r["Data Value"]), int(r["Category"])))
    body = ok(client, f"{BASE}/details/education")
    assert set(body) == {"response"}  # not paged
    assert [(e["code"], e["percentage_of_respondents"]) for e in body["response"]] == [
        (int(r["Category"]), math.floor(float(r["Data Value"]) + 0.5)) for r in rows
    ]
    assert body["response"][0]["title"] == "Bachelor's Degree"
    assert ok(client, f"{BASE}/summary/education")["response"] == body["response"][:3]


# -- interests, values, styles ---------------------------------------------------------------------------


def test_interests_with_high_point_code(client):
    rows = rows_for("Interests")
    oi = {r["Element ID"]: trunc(float(r["Data Value"]), 1, 7) for r in rows if r["Scale ID"] == "OI"}
    body = ok(client, f"{BASE}/details/interests")
    assert {e["id"]: e["occupational_interest"] for e in body["element"]} == oi
    names = [r["Element Name"] for r in rows if r["Scale ID"] == "OI"]
    high = [int(float(r["Data Value"])) for r in rows if r["Scale ID"] == "IH"]
    assert body["high_point_code"] == "".join(names[h - 1][0] for h in high if h)
    summary = ok(client, f"{BASE}/summary/interests")
    assert [e["name"][0] for e in summary["element"]] == list(body["high_point_code"])


def test_work_styles_importance_is_impact(client):
    rows = rows_for("Work Styles")
    wi = {r["Element ID"]: trunc(float(r["Data Value"]), -3, 3) for r in rows if r["Scale ID"] == "WI"}
    ranks = {
        r["Element ID"]: int(float(r["Data Value"]))
        for r in rows
        if r["Scale ID"] == "DR" and float(r["Data Value"]) > 0
    }
    body = ok(client, f"{BASE}/details/work_styles", end=100)
    assert {e["id"]: e["importance"] for e in body["element"]} == wi
    summary = ok(client, f"{BASE}/summary/work_styles", end=100)
    assert [e["id"] for e in summary["element"]] == sorted(ranks, key=ranks.get)


def test_work_values_extent(client):
    code = "11-1011.00"
    rows = rows_for("Work Values", code)
    ex = {r["Element ID"]: trunc(float(r["Data Value"]), 1, 7) for r in rows if r["Scale ID"] == "EX"}
    body = ok(client, f"/online/occupations/{code}/details/work_values")
    assert {e["id"]: e["extent"] for e in body["element"]} == ex
    assert len(body["high_point"]) == sum(1 for r in rows if r["Scale ID"] == "VH" and float(r["Data Value"]) > 0)


# -- related, DWAs ------------------------------------------------------------------------------------------


def test_related_occupations_in_index_order(client):
    rows = sorted(rows_for("Related Occupations"), key=lambda r: int(r["Index"]))
    body = ok(client, f"{BASE}/details/related_occupations", end=100)
    assert [(o["code"], o["tier"]) for o in body["occupation"]] == [
        (r["Related O*NET-SOC Code"], r["Relatedness Tier"]) for r in rows
    ]
    summary = ok(client, f"{BASE}/summary/related_occupations", end=100)
    assert [o["code"] for o in summary["occupation"]] == [
        r["Related O*NET-SOC Code"] for r in rows if r["Relatedness Tier"] == "Primary-Short"
    ]


def test_detailed_work_activities(client):
    dwas = {r["DWA ID"] for r in rows_for("Tasks to DWAs")}
    body = ok(client, f"{BASE}/details/detailed_work_activities", end=100)
    assert {a["id"] for a in body["activity"]} == dwas
    assert body["activity"][0]["related"].startswith(f"http://testserver/online/related_activities/results/{CODE}")


# -- errors, custom, OpenAPI -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}/details/work_activities",
        f"{BASE}/summary/work_activities",
        f"{BASE}/details/work_context",
        f"{BASE}/details/apprenticeship",
        f"{BASE}/details/professional_associations",
        f"{BASE}/details/career_summaries",
        f"{BASE}/details/bogus",
        "/online/occupations/99-9999.00/details/skills",
        "/online/occupations/15-1252/details/skills",
        f"{BASE}/details/skills?start=0",
        f"{BASE}/custom/work_activities_outline",
        f"{BASE}/custom/?section=bogus",
        f"{BASE}/custom/nope",
    ],
)
def test_422(client, url):
    assert error(client, url)


def test_military_lists_active_crosswalked_codes(client, db):
    expected = {
        (r["moc"], r["moc_title"])
        for r in db.all(
            "SELECT moc, moc_title FROM military_crosswalk WHERE onetsoc_code = ? AND status = 'A'", (CODE,)
        )
    }
    body = ok(client, f"{BASE}/details/military", end=500)
    assert expected and {(m["code"], m["title"]) for m in body["match"]} == expected
    assert body["total"] == len(body["match"])


def test_no_data_message(client):
    assert error(client, f"{BASE}/details/work_context").startswith("no data available for this section")


def test_custom_report_combines_sections(client):
    body = ok(client, f"{BASE}/custom/", section=["skills", "work_context"], display="details")
    skills = ok(client, f"{BASE}/details/skills", end=100)
    assert body["code"] == CODE and body["skills"]["element"] == skills["element"]
    assert body["no_data"] == ["work_context"]
    combined = ok(client, f"{BASE}/custom/", section="knowledge,job_zone", display="summary")
    assert list(combined)[2:] == ["knowledge", "job_zone"]
    assert "importance" not in combined["knowledge"]["element"][0]


def test_openapi_documents_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/online/occupations/",
        "/online/occupations/{code}/",
        "/online/occupations/{code}/summary/{section}",
        "/online/occupations/{code}/details/{section}",
        "/online/occupations/{code}/hot_technology",
        "/online/occupations/{code}/custom/",
        "/online/occupations/{code}/custom/{report}",
        "/online/occupations/{code}/related/technology_skills/{commodity}",
    ):
        assert path in paths


# -- the big four files, on the fixture release ------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    target = folder / "fixture.sqlite"
    build(target, {"onet": str(RELEASE)})
    app = create_app(Settings(db_path=target, keys_db_path=folder / "keys.sqlite", auth=False, rate_limit=None))
    with TestClient(app) as c:
        yield c


def test_fixture_abilities_and_work_activities(fixture_client):
    body = ok(fixture_client, f"{BASE}/details/abilities")
    assert body["element"] == [
        {
            "id": "1.A.1.a.2",
            "related": "http://testserver/online/onet_data/abilities/1.A.1.a.2",
            "name": "Written Comprehension",
            "description": "",
            "importance": trunc(3.88, 1, 5),
            "level": trunc(4.0, 0, 7),
        }
    ]
    outline = ok(fixture_client, f"{BASE}/custom/work_activities_outline")
    assert outline["group"][0]["id"] == "4.A.1"
    assert outline["group"][0]["element"][0]["importance"] == trunc(4.4, 1, 5)
    assert ok(fixture_client, f"{BASE}/summary/work_activities")["element"][0]["id"] == "4.A.1.a.1"


def test_fixture_work_context_distribution(fixture_client):
    body = ok(fixture_client, f"{BASE}/details/work_context")
    element = body["element"][0]
    assert element["context"] == trunc(2.10, 1, 5)
    assert [r["percentage_of_respondents"] for r in element["response"]] == [30, 40, 30]
    summary = ok(fixture_client, f"{BASE}/summary/work_context")  # below 50: the top item, its modal answer
    assert summary["element"][0]["response"] == [element["response"][1]]


def test_fixture_task_importance_from_task_ratings(fixture_client):
    body = ok(fixture_client, f"{BASE}/details/tasks")
    assert body["task"][0] == {
        "id": "90001",
        "title": "Fixture task: write code.",
        "importance": trunc(4.5, 1, 5),
        "category": "Core",
        "related": f"http://testserver{BASE}/related/tasks/90001",
    }
    # unrated tasks follow the rated ones: Supplemental, then New (Task Type n/a)
    assert [(t["id"], t["category"]) for t in body["task"][1:]] == [("90002", "Supplemental"), ("90004", "New")]
    assert all("importance" not in t for t in body["task"][1:])
    overview = ok(fixture_client, f"{BASE}/")
    assert "bright_outlook" not in overview  # no Bright Outlook table in a release-only build
    assert any(c["title"] == "Abilities" for c in overview["details_contents"])


@pytest.mark.parametrize("view", ["details", "summary"])
def test_every_link_is_absolute(client, view):
    """Section bodies are memoised with site-relative links; every response must carry absolute ones."""
    from onetlocal.services.reports import SECTIONS

    for name in SECTIONS:
        for _ in range(2):  # the second call is served from the memo
            text = client.get(f"{BASE}/{view}/{name}", params={"end": 50}).text
            assert '":"/' not in text, (name, text[:300])
    text = client.get(f"{BASE}/custom/", params={"display": view}).text
    assert '":"/' not in text


def test_links_follow_the_host_asked(client):
    """Bodies are memoised with absolute links per base URL: another Host gets its own links, not the first's."""
    for url in (f"{BASE}/details/tasks", f"{BASE}/details/technology_skills", f"{BASE}/hot_technology"):
        first = client.get(url).json()
        other = client.get(url, headers={"host": "other.example:8123"}).json()
        assert "http://testserver/" in str(first) and "http://testserver/" not in str(other)
        assert str(other).count("http://other.example:8123/") == str(first).count("http://testserver/")


# -- the O*NET 30.3 layout (current_client): dropped sections, technology from Software Skills -------------------

DROPPED = ("work_values", "tools_used")


@pytest.mark.parametrize("view", ["summary", "details"])
@pytest.mark.parametrize("name", DROPPED)
def test_dropped_sections_are_404_on_30_3(current_client, name, view):
    """The hosted API answers 404 for work_values since 30.3 dropped the data; tools_used was dropped with it."""
    message = error(current_client, f"/online/occupations/11-1011.00/{view}/{name}", 404)
    assert message.startswith("no such resource: /online/occupations/11-1011.00/") and "30.3" in message


def test_dropped_sections_keep_working_on_30_1(client):
    code = "11-1011.00"
    assert ok(client, f"/online/occupations/{code}/details/work_values")["element"]
    assert ok(client, f"/online/occupations/{code}/summary/work_values")["element"]
    assert ok(client, f"/online/occupations/{code}/details/tools_used")["category"]
    titles = [c["title"] for c in ok(client, f"/online/occupations/{code}/")["details_contents"]]
    assert "Work Values" in titles and "Tools Used" in titles


def test_overview_on_30_3_does_not_list_dropped_sections(current_client):
    body = ok(current_client, "/online/occupations/11-1011.00/")
    for key in ("summary_contents", "details_contents"):
        titles = [c["title"] for c in body[key]]
        assert "Work Values" not in titles and "Tools Used" not in titles
        assert "Skills" in titles and "Technology Skills" in titles and "Interests" in titles
    assert all(c["title"] != "Work Values" for c in body.get("updated", {}).get("contents", []))


def test_custom_report_on_30_3_treats_dropped_sections_as_unknown(current_client, client):
    for section in ("work_values", "skills,tools_used"):
        message = error(current_client, "/online/occupations/11-1011.00/custom/", section=section)
        assert message.startswith("unknown section") and "dropped in 30.3" in message
        assert "parameter 'section' must be one of" in message and "work_values," not in message
    whole = ok(current_client, "/online/occupations/11-1011.00/custom/")
    assert not set(DROPPED) & (set(whole) | set(whole.get("no_data", [])))
    assert {"skills", "interests", "technology_skills"} <= set(whole)
    assert "work_values" in ok(client, "/online/occupations/11-1011.00/custom/", section="work_values")


def test_skills_on_30_3_are_essential_and_transferable(current_client):
    """details/skills keeps its name and lists both 30.3 tables' elements (IM/LV on 0-100 as on 30.1)."""
    from conftest import read_current

    rows = [
        r
        for t in ("essential_skills", "transferable_skills")
        for r in read_current(t)
        if r["O*NET-SOC Code"] == CODE and r["Scale ID"] == "IM"
    ]
    body = ok(current_client, f"{BASE}/details/skills", end=100)
    assert {e["id"]: e["importance"] for e in body["element"]} == {
        r["Element ID"]: trunc(float(r["Data Value"]), 1, 5) for r in rows
    }
    assert {e["id"][:3] for e in body["element"]} == {"2.A", "2.B"}


def test_technology_on_30_3_categories_are_software_skills_elements(current_client):
    """A category's code is the 2.E element id of Software Skills (a string: what the release has), its title the
    element's name; its `related` link answers."""
    from conftest import read_current

    rows = [r for r in read_current("software_skills") if r["O*NET-SOC Code"] == CODE]
    names = {r["Element ID"]: r["Element Name"] for r in read_current("content_model_reference")}
    body = ok(current_client, f"{BASE}/details/technology_skills", end=1000)
    assert {c["code"]: c["title"] for c in body["category"]} == {r["Element ID"]: r["Element Name"] for r in rows}
    assert all(
        isinstance(c["code"], str) and c["code"].startswith("2.E.") and c["title"] == names[c["code"]]
        for c in body["category"]
    )
    served = {(c["code"], e["title"]): e for c in body["category"] for e in c["example"]}
    assert len(served) == len(rows)
    for r in rows:
        e = served[(r["Element ID"], r["Workplace Example"])]
        assert e.get("hot_technology") is (True if r["Hot Technology"] == "Y" else None)
        assert e.get("in_demand") is (True if r["In Demand"] == "Y" else None)
    assert body["hot_technology"]["total"] == len({r["Workplace Example"] for r in rows if r["Hot Technology"] == "Y"})
    category = body["category"][0]
    users = {r["O*NET-SOC Code"] for r in read_current("software_skills") if r["Element ID"] == category["code"]}
    related = ok(current_client, category["related"].removeprefix("http://testserver"), end=2000)
    assert related["category"] == {"code": category["code"], "title": category["title"]}
    assert {o["code"] for o in related["occupation"]} == users - {CODE}
    summary = ok(current_client, f"{BASE}/summary/technology_skills", end=1000)
    assert all(len(c["example"]) <= 5 for c in summary["category"])
    hot = {r["Workplace Example"] for r in rows if r["Hot Technology"] == "Y"}
    assert {e["title"] for e in ok(current_client, f"{BASE}/hot_technology", end=1000)["example"]} == hot


def test_related_technology_takes_either_code_form(client, current_client):
    assert error(current_client, f"{BASE}/related/technology_skills/43232306")  # a UNSPSC code: not on 30.3
    assert error(client, f"{BASE}/related/technology_skills/2.E.5.b")  # an element id: not on 30.1
    assert "category code" in error(current_client, f"{BASE}/related/technology_skills/2..E")
