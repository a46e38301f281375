"""BLS Employment Projections (Table 1.2, with the OOH hyperlinks) and educational attainment (Table 5.3): the
tables hold the workbook values."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from conftest import SHARED

SUPP = SHARED / "supplementary"
OCCUPATION = SUPP / "bls-ep-occupation-2024-34" / "occupation.xlsx"
EDUCATION = SUPP / "bls-ep-education-2020-30" / "education.xlsx"


@pytest.fixture(scope="module")
def table_1_2() -> dict[str, tuple]:
    """Code -> (row values, OOH hyperlink) read with openpyxl in normal mode (the way that exposes hyperlinks)."""
    book = load_workbook(OCCUPATION, data_only=True)
    out = {}
    for row in book["Table 1.2"].iter_rows(min_row=3):
        if row[1].value and re.fullmatch(r"\d{2}-\d{4}", str(row[1].value)):
            out[row[1].value] = ([c.value for c in row], row[15].hyperlink.target if row[15].hyperlink else None)
    return out


def test_projection_rows_and_links(db, table_1_2):
    assert db.scalar("SELECT count(*) FROM bls_projections") == len(table_1_2) == 1113
    assert db.scalar("SELECT count(*) FROM bls_projections WHERE occupation_type = 'Line item'") == 832
    assert db.scalar("SELECT count(ooh_url) FROM bls_projections") == 603
    ours = {r["soc_code"]: r["ooh_url"] for r in db.all("SELECT soc_code, ooh_url FROM bls_projections")}
    assert ours == {code: link for code, (_, link) in table_1_2.items()}


def test_software_developers(db, table_1_2):
    row = db.one("SELECT * FROM bls_projections WHERE soc_code = '15-1252'")
    values, link = table_1_2["15-1252"]
    assert row["title"] == values[0].strip() == "Software developers"
    assert [
        row[c]
        for c in (
            "employment_base_thousands",
            "employment_projected_thousands",
            "employment_change_thousands",
            "employment_change_percent",
            "annual_openings_thousands",
            "median_annual_wage",
        )
    ] == [values[3], values[4], values[7], values[8], values[10], values[11]]
    assert (row["typical_education"], row["work_experience"], row["on_the_job_training"]) == (
        "Bachelor's degree",
        "None",
        "None",
    )
    assert (
        row["ooh_url"] == link == "https://www.bls.gov/ooh/computer-and-information-technology/software-developers.htm"
    )
    assert (row["base_year"], row["projected_year"], row["median_wage_top_coded"]) == (2024, 2034, 0)


def test_top_coded_wage_and_summary_rows(db, table_1_2):
    row = db.one("SELECT * FROM bls_projections WHERE soc_code = '29-1211'")
    assert table_1_2["29-1211"][0][11] == ">=$239,200"
    assert (row["median_annual_wage"], row["median_wage_top_coded"]) == (239200, 1)
    total = db.one("SELECT * FROM bls_projections WHERE soc_code = '00-0000'")
    assert total["employment_base_thousands"] == 169956.1 and total["level"] == 0
    assert total["typical_education"] is None  # "—" in the workbook
    assert db.scalar("SELECT count(*) FROM bls_projections WHERE median_wage_top_coded = 1") == sum(
        1 for values, _ in table_1_2.values() if str(values[11]).startswith(">=")
    )


def test_attainment(db):
    book = load_workbook(EDUCATION, read_only=True, data_only=True)
    rows = {
        r[1]: r
        for r in book["Table 5.3"].iter_rows(min_row=3, values_only=True)
        if r[1] and re.fullmatch(r"\d{2}-\d{4}", str(r[1]))
    }
    book.close()
    assert db.scalar("SELECT count(*) FROM bls_education_attainment") == len(rows) == 791
    chief = db.one("SELECT * FROM bls_education_attainment WHERE soc_code = '11-1011'")
    assert chief["title"] == "Chief executives" and chief["acs_exact_match"] == 0
    assert (
        [
            chief[c]
            for c in (
                "less_than_high_school_percent",
                "high_school_percent",
                "some_college_percent",
                "associate_percent",
                "bachelor_percent",
                "master_percent",
                "doctoral_percent",
            )
        ]
        == list(rows["11-1011"][2:9])
        == [1.5, 8.3, 14.2, 5.1, 40.5, 23.7, 6.7]
    )
    assert db.scalar("SELECT acs_exact_match FROM bls_education_attainment WHERE soc_code = '11-1021'") == 1


def test_visible_through_database_services(client):
    body = client.get("/database/rows/bls_projections", params=[("filter", "soc_code.eq.15-1252")]).json()
    assert body["total"] == 1 and body["row"][0]["median_annual_wage"] == 133080
