"""O*NET data by descriptor (`/online/onet_data/{section}/{id}`), where report element items link; checked
against the release files."""

from __future__ import annotations

import pytest

from conftest import read_release
from test_reports import BASE, error, ok, trunc


def test_onet_data_ranks_occupations_by_the_element(client):
    rows = [r for r in read_release("Skills") if r["Element ID"] == "2.A.1.a" and r["Scale ID"] == "IM"]
    level = {r["O*NET-SOC Code"]: trunc(float(r["Data Value"]), 0, 7) for r in read_release("Skills")
             if r["Element ID"] == "2.A.1.a" and r["Scale ID"] == "LV"}
    link = ok(client, f"{BASE}/details/skills", end=100)["element"][0]["related"]
    body = ok(client, "/online/onet_data/skills/2.A.1.a", end=2000)
    assert body["element"]["id"] == "2.A.1.a" and body["element"]["name"] == "Reading Comprehension"
    assert body["total"] == len(rows)
    importance = [o["importance"] for o in body["occupation"]]
    assert importance == sorted(importance, reverse=True)
    expected = {r["O*NET-SOC Code"]: trunc(float(r["Data Value"]), 1, 5) for r in rows}
    assert {o["code"]: o["importance"] for o in body["occupation"]} == expected
    assert all(o["level"] == level[o["code"]] for o in body["occupation"])
    assert ok(client, link.removeprefix("http://testserver"))["end"] == 20  # the report link answers


def test_onet_data_interests_by_letter(client):
    rows = [r for r in read_release("Interests") if r["Element ID"] == "1.B.1.a" and r["Scale ID"] == "OI"]
    body = ok(client, "/online/onet_data/interests/R", end=2000)
    assert body["element"]["name"] == "Realistic" and body["total"] == len(rows)
    assert body["occupation"][0]["occupational_interest"] == max(trunc(float(r["Data Value"]), 1, 7) for r in rows)
    assert ok(client, "/online/onet_data/interests/1.B.1.a")["total"] == len(rows)


@pytest.mark.parametrize("url", ["/online/onet_data/skills/9.Z", "/online/onet_data/bogus/2.A.1.a",
                                 "/online/onet_data/work_activities/4.A.1.a.1", "/online/onet_data/interests/RI"])
def test_onet_data_422(client, url):
    assert error(client, url)


def test_onet_data_abilities_from_the_release(client):
    rows = [r for r in read_release("Abilities") if r["Element ID"] == "1.A.1.a.1" and r["Scale ID"] == "IM"
            and r["Not Relevant"] != "Y"]
    body = ok(client, "/online/onet_data/abilities/1.A.1.a.1", end=2000)
    assert body["element"]["name"] == "Oral Comprehension"
    assert 0 < body["total"] <= len(rows)


def test_every_element_link_is_served(client):
    for section in ("skills", "knowledge", "work_styles", "work_values", "interests"):
        for e in ok(client, f"/online/occupations/11-1011.00/details/{section}", end=100)["element"]:
            assert client.get(e["related"].removeprefix("http://testserver")).status_code == 200, e["related"]


def test_onet_data_is_documented(client):
    assert "/online/onet_data/{section}/{element_id}" in client.get("/openapi.json").json()["paths"]


def test_onet_data_work_values_is_404_on_30_3(client, current_client):
    """30.3 dropped Work Values: the descriptor route answers as its report sections (404); 30.1 keeps it."""
    message = error(current_client, "/online/onet_data/work_values/1.B.2.a", 404)
    assert message.startswith("no such resource: /online/onet_data/work_values/1.B.2.a")
    assert ok(client, "/online/onet_data/work_values/1.B.2.a")["total"] > 0


def test_onet_data_on_30_3_reads_the_renamed_tables(current_client):
    from conftest import read_current

    skills = [r for r in read_current("transferable_skills") if r["Element ID"] == "2.B.3.e" and r["Scale ID"] == "IM"]
    assert ok(current_client, "/online/onet_data/skills/2.B.3.e")["total"] == len(skills)
    interests = [r for r in read_current("career_interest_types") if r["Element ID"] == "1.B.1.c" and r["Scale ID"] == "OI"]
    body = ok(current_client, "/online/onet_data/interests/A", end=2000)
    assert {o["code"]: o["occupational_interest"] for o in body["occupation"]} == {
        r["O*NET-SOC Code"]: trunc(float(r["Data Value"]), 1, 7) for r in interests}
    for section in ("skills", "knowledge", "work_styles", "interests"):
        for e in ok(current_client, f"/online/occupations/11-1011.00/details/{section}", end=100)["element"]:
            assert current_client.get(e["related"].removeprefix("http://testserver")).status_code == 200
