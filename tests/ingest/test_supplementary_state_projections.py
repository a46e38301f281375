"""Projections Central state projections (Nevada): every CSV row, typed."""

from __future__ import annotations

import csv

from conftest import SHARED

CSV = SHARED / "supplementary" / "projectionscentral-longterm-nv-2024-34" / "nv-longterm-2024-2034.csv"


def test_rows_equal_the_csv(db):
    with open(CSV, encoding="utf-8-sig", newline="") as fh:
        source = {r["OccCode"]: r for r in csv.DictReader(fh)}
    assert db.scalar("SELECT count(*) FROM state_projections") == len(source) == 657
    for row in db.all("SELECT * FROM state_projections"):
        src = source[row["soc_code"]]
        assert (row["base_employment"], row["projected_employment"], row["change"], row["annual_openings"]) == (
            int(src["Base"]),
            int(src["Projected"]),
            int(src["Change"]),
            int(src["AvgAnnualOpenings"]),
        )
        assert row["percent_change"] == float(src["PercentChange"]) and row["title"] == src["Title"]


def test_total_and_quirk(db):
    total = db.one("SELECT * FROM state_projections WHERE state_fips = '32' AND soc_code = '00-0000'")
    assert (total["state_name"], total["base_year"], total["projected_year"]) == ("Nevada", 2024, 2034)
    assert (
        total["base_employment"],
        total["projected_employment"],
        total["change"],
        total["percent_change"],
        total["annual_openings"],
    ) == (1643660, 1816650, 172990, 10.5, 212940)
    logging = db.one("SELECT * FROM state_projections WHERE soc_code = '45-4029'")
    assert (logging["base_employment"], logging["percent_change"]) == (0, 25.0)  # kept as served


def test_visible_through_database_services(client):
    body = client.get("/database/rows/state_projections", params=[("filter", "soc_code.eq.15-1252")]).json()
    assert body["total"] == 1 and body["row"][0]["base_employment"] == 4920
