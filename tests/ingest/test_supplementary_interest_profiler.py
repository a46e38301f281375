"""Interest Profiler Short Form items: the 60 rows of the TSV in administration order."""

from __future__ import annotations

import csv

from conftest import SHARED

TSV = SHARED / "supplementary" / "interest-profiler" / "ip-short-form-60.tsv"


def test_items_are_the_source_rows(db):
    with open(TSV, encoding="utf-8", newline="") as fh:
        source = [(int(r["index"]), r["area"].lower(), r["text"]) for r in csv.DictReader(fh, delimiter="\t")]
    ours = [(r["index"], r["area"], r["text"]) for r in db.all('SELECT * FROM ip_questions ORDER BY "index"')]
    assert ours == source and len(ours) == 60
    assert ours[0] == (1, "realistic", "Build kitchen cabinets")
    assert ours[2] == (3, "investigative", "Develop a new medicine")


def test_pair_cycle_of_areas(db):
    areas = [r["area"] for r in db.all('SELECT area FROM ip_questions ORDER BY "index"')]
    cycle = [
        a
        for a in ("realistic", "investigative", "artistic", "social", "enterprising", "conventional")
        for _ in range(2)
    ]
    assert areas == cycle * 5


def test_visible_through_database_services(client):
    body = client.get("/database/rows/ip_questions", params=[("filter", "area.eq.social")]).json()
    assert body["total"] == 10
