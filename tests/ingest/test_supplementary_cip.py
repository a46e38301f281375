"""CIP 2020 code list and the CIP <-> SOC / O*NET-SOC crosswalks hold the source rows (codes keep leading zeros)."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from conftest import SHARED

SUPP = SHARED / "supplementary"
NCES = SUPP / "nces-cip2020-soc2018-crosswalk"


def test_cip_codes(db):
    with open(NCES / "CIPCode2020.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert db.scalar("SELECT count(*) FROM cip_codes") == len(rows) == 2848
    row = db.one("SELECT * FROM cip_codes WHERE cip_code = '01.0000'")
    assert row["title"] == "Agriculture, General." and row["cip_family"] == "01" and row["code_level"] == 6
    assert db.scalar("SELECT code_level FROM cip_codes WHERE cip_code = '11'") == 2


def test_cip_soc_crosswalk_is_the_nces_pairs(db):
    book = load_workbook(NCES / "CIP2020_SOC2018_Crosswalk.xlsx", read_only=True, data_only=True)
    pairs = {
        (r[0], r[2])
        for r in book["CIP-SOC"].iter_rows(min_row=2, values_only=True)
        if r[0] and r[2] not in ("99-9999",) and r[0] != "99.9999"
    }
    book.close()
    ours = {(r["cip_code"], r["soc_code"]) for r in db.all("SELECT cip_code, soc_code FROM cip_soc_crosswalk")}
    assert ours == pairs and len(ours) == db.scalar("SELECT count(*) FROM cip_soc_crosswalk") == 5723
    assert ("11.0701", "15-1252") in ours


def test_cip_onetsoc_crosswalk(db):
    # PROVENANCE.md: 8,501 pairs, 1,948 CIP codes, 825 O*NET-SOC codes
    assert db.scalar("SELECT count(*) FROM cip_onetsoc_crosswalk") == 8501
    assert db.scalar("SELECT count(DISTINCT cip_code) FROM cip_onetsoc_crosswalk") == 1948
    assert db.scalar("SELECT count(DISTINCT onetsoc_code) FROM cip_onetsoc_crosswalk") == 825
    assert db.one("SELECT * FROM cip_onetsoc_crosswalk WHERE cip_code = '01.0000' ORDER BY onetsoc_code") == {
        "cip_code": "01.0000",
        "cip_title": "Agriculture, General",
        "onetsoc_code": "19-1011.00",
        "onetsoc_title": "Animal Scientists",
    }


def test_visible_through_database_services(client):
    body = client.get("/database/rows/cip_onetsoc_crosswalk", params=[("filter", "onetsoc_code.eq.15-1252.00")])
    assert body.status_code == 200 and body.json()["total"] > 0
