"""Occupation listing and overview on the real app, checked against the release files."""

from __future__ import annotations

import csv
import importlib.util

import pytest

from conftest import SHARED, ok, read_release

CODE = "15-1252.00"
BRIGHT_CSV = SHARED / "supplementary" / "onet-bright-outlook" / "All_Bright_Outlook_Occupations.csv"


@pytest.fixture(scope="module")
def occupations() -> list[dict]:
    return read_release("Occupation Data")


def test_listing_is_every_occupation_by_code(client, occupations):
    codes = sorted(r["O*NET-SOC Code"] for r in occupations)
    first = ok(client, "/online/occupations/")
    assert first["total"] == len(codes) == 1016
    assert (first["start"], first["end"]) == (1, 20)
    assert [o["code"] for o in first["occupation"]] == codes[:20]
    assert first["next"].endswith("/online/occupations/?start=21&end=40")
    item = first["occupation"][0]
    assert set(item) == {"href", "code", "title", "tags"}
    assert item["href"] == f"http://testserver/online/occupations/{item['code']}/"
    last = ok(client, "/online/occupations", start=1001, end=2000)
    assert [o["code"] for o in last["occupation"]] == codes[1000:]
    assert "next" not in last and last["end"] == 1016
    titles = {r["O*NET-SOC Code"]: r["Title"] for r in occupations}
    assert all(o["title"] == titles[o["code"]] for o in last["occupation"])


@pytest.mark.skipif(
    importlib.util.find_spec("onetlocal.services.search") is None, reason="onetlocal.services.search not written yet"
)
def test_listing_keyword_filter_uses_the_search(client, occupations):
    found = ok(client, "/online/occupations/", keyword="software developers")
    assert found["total"] >= 1
    assert CODE in [o["code"] for o in found["occupation"]]


def test_overview_fields_come_from_the_release(client, occupations):
    body = ok(client, f"/online/occupations/{CODE}/")
    row = next(r for r in occupations if r["O*NET-SOC Code"] == CODE)
    assert (body["code"], body["title"], body["description"]) == (CODE, row["Title"], row["Description"])
    reported = [r for r in read_release("Sample of Reported Titles") if r["O*NET-SOC Code"] == CODE]
    expected = [r["Reported Job Title"] for r in reported if r["Shown in My Next Move"] == "Y"] + [
        r["Reported Job Title"] for r in reported if r["Shown in My Next Move"] != "Y"
    ]
    assert body["sample_of_reported_titles"] == expected
    zone = next(int(r["Job Zone"]) for r in read_release("Job Zones") if r["O*NET-SOC Code"] == CODE)
    zone_title = next(r["Name"] for r in read_release("Job Zone Reference") if int(r["Job Zone"]) == zone)
    assert body["job_zone"] == {"code": zone, "title": zone_title}
    skill_years = [int(r["Date"][-4:]) for r in read_release("Skills") if r["O*NET-SOC Code"] == CODE]
    skills_entry = next(c for c in body["updated"]["contents"] if c["title"] == "Skills")
    assert skills_entry["year"] == max(skill_years)
    assert body["updated"]["year"] == max(c["year"] for c in body["updated"]["contents"])


def test_overview_contents_list_only_sections_with_data(client):
    body = ok(client, f"/online/occupations/{CODE}/")
    base = f"http://testserver/online/occupations/{CODE}"
    details = {c["href"] for c in body["details_contents"]}
    summary = {c["href"] for c in body["summary_contents"]}
    assert f"{base}/details/skills" in details and f"{base}/details/tools_used" in details
    assert f"{base}/details/abilities" in details  # Abilities.txt is in this data set
    assert f"{base}/details/work_activities" not in details  # Work Activities.txt is not
    assert f"{base}/details/apprenticeship" not in details
    assert f"{base}/summary/tools_used" not in summary and f"{base}/summary/tasks" in summary
    for entry in body["details_contents"][:5]:  # every listed section answers
        assert client.get(entry["href"]).status_code == 200
    assert body["custom_contents"][0]["href"] == f"{base}/custom/"


def test_also_see_is_the_same_soc_code(client, occupations):
    code = "11-1011.00"
    body = ok(client, f"/online/occupations/{code}/")
    expected = sorted(
        r["O*NET-SOC Code"] for r in occupations if r["O*NET-SOC Code"][:7] == code[:7] and r["O*NET-SOC Code"] != code
    )
    assert [o["code"] for o in body["also_see"]] == expected and expected


@pytest.mark.skipif(not BRIGHT_CSV.exists(), reason="no Bright Outlook file")
def test_bright_outlook_categories(client):
    with open(BRIGHT_CSV, encoding="utf-8-sig", newline="") as fh:
        rows = {r["Code"]: r["Categories"] for r in csv.DictReader(fh)}
    titles = {
        "Rapid Growth": "Grow Rapidly",
        "Numerous Job Openings": "Numerous Job Openings",
        "New and Emerging": "New & Emerging",
    }
    body = ok(client, f"/online/occupations/{CODE}/")
    expected = [titles[c.strip()] for c in rows[CODE].split(";") if c.strip()]
    assert [b["title"] for b in body["bright_outlook"]] == expected
    assert body["tags"] == {"bright_outlook": True}
    not_bright = next(c for c in ("11-1011.03", "45-2091.00", "53-7064.00") if c not in rows)
    plain = ok(client, f"/online/occupations/{not_bright}/")
    assert "bright_outlook" not in plain and plain["tags"] == {}


@pytest.mark.parametrize("code", ["99-9999.00", "15-1252", "15-1252.0", "abc", "15-1252.00x"])
def test_unknown_or_malformed_code_is_422(client, code):
    response = client.get(f"/online/occupations/{code}/")
    assert response.status_code == 422
    assert "error" in response.json()


def test_routes_answer_with_and_without_trailing_slash(client):
    assert client.get(f"/online/occupations/{CODE}").json()["code"] == CODE
    assert client.get("/online/occupations").json()["total"] == 1016
