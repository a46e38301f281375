"""CareerOneStop Get Occupation Details: values checked against the source files (the OEWS SQLite opened here, the
O*NET release, the BLS projections workbook rows as imported, the derived ZIP -> OEWS area reference), flags, and
the API's own errors ({"Message"}, 400/401/404) next to O*NET's ({"error"}, 422)."""

from __future__ import annotations

import csv
import gzip
import shutil
import sqlite3

import pytest
from starlette.testclient import TestClient

from conftest import SHARED, SOURCES, read_release, require_source
from onetlocal.services.careeronestop import FLAGS

OEWS_GZ = SOURCES["oews"]
ZIP_REFERENCE = SHARED / "supplementary" / "derived-zip-oews-area" / "usps_zip_to_zcta.csv"
ALL = {flag: "true" for flag in FLAGS}


def url(keyword: str, location: str, user: str = "me") -> str:
    return f"/v1/occupation/{user}/{keyword}/{location}"


@pytest.fixture(scope="module")
def cos(app, api_key: str):
    with TestClient(app, headers={"Authorization": f"Bearer {api_key}"}) as c:
        yield c


@pytest.fixture(scope="module")
def oews(tmp_path_factory) -> sqlite3.Connection:
    require_source("oews")
    plain = tmp_path_factory.mktemp("oews") / "oews.sqlite"
    with gzip.open(OEWS_GZ, "rb") as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    conn = sqlite3.connect(plain)
    conn.row_factory = sqlite3.Row
    return conn


def detail(client: TestClient, keyword: str, location: str, **params) -> dict:
    response = client.get(url(keyword, location), params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["RecordCount"] == 1 and len(body["OccupationDetail"]) == 1
    return body["OccupationDetail"][0]


# -- wages against the OEWS file --------------------------------------------------------------------------------------
def expected_wages(oews: sqlite3.Connection, area_type: str, area: str, soc: str) -> list[dict]:
    """The Annual and Hourly entries as the OEWS cell row publishes them (v11-v15 annual, v06-v10 hourly)."""
    key = f"OEU{area_type}{area}000000{soc.replace('-', '')}"
    row = oews.execute("SELECT * FROM cell WHERE key = ?", (key,)).fetchone()
    assert row is not None, key
    name = oews.execute("SELECT area_name, state_code FROM area WHERE area_code = ?", (area,)).fetchone()
    top = oews.execute("SELECT footnote_text FROM footnote WHERE footnote_code = '5'").fetchone()[0]
    annual_top = top.split("$")[-1].split(" ")[0] + "+"
    out = []
    for rate, columns, top_label in (("Annual", range(11, 16), annual_top), ("Hourly", range(6, 11), "100+")):
        values = []
        for c in columns:
            text, note = row[f"v{c:02d}"], row[f"f{c:02d}"]
            values.append(top_label if note == "5" else (None if text in ("-", "", None) else text))
        if any(v is not None for v in values):
            out.append(
                {
                    "RateType": rate,
                    **dict(zip(["Pct10", "Pct25", "Median", "Pct75", "Pct90"], values, strict=False)),
                    "StFips": name["state_code"],
                    "Area": area,
                    "AreaName": name["area_name"],
                }
            )
    return out


@pytest.mark.parametrize("code,soc", [("15-1252.00", "15-1252"), ("29-1141.00", "29-1141")])
def test_wages_equal_the_oews_file(cos, oews, code, soc):
    # ZIP 60601 is downtown Chicago: Illinois, and the Chicago metro area (OEWS 0016980, CBSA 16980).
    wages = detail(cos, code, "60601", wages="true")["Wages"]
    assert wages["NationalWagesList"] == expected_wages(oews, "N", "0000000", soc)
    assert wages["StateWagesList"] == expected_wages(oews, "S", "1700000", soc)
    assert wages["BLSAreaWagesList"] == expected_wages(oews, "M", "0016980", soc)
    assert wages["SocWageInfo"]["SocCode"] == soc
    assert wages["WageYear"] == oews.execute("SELECT value FROM meta WHERE name = 'release'").fetchone()[0][-4:]
    national = detail(cos, code, "US", wages="true")["Wages"]
    assert national["NationalWagesList"] == wages["NationalWagesList"]
    assert national["StateWagesList"] == [] and national["BLSAreaWagesList"] == []


def test_top_coded_and_unreleased_wages(cos, oews):
    # Anesthesiologists in Alaska: every percentile is top-coded (footnote 5) in May 2025.
    row = oews.execute("SELECT f13 FROM cell WHERE key = 'OEUS0200000000000291211'").fetchone()
    assert row["f13"] == "5"
    state = detail(cos, "29-1211.00", "AK", wages="true")["Wages"]["StateWagesList"]
    assert state == expected_wages(oews, "S", "0200000", "29-1211")
    assert {e["RateType"]: e["Median"] for e in state} == {"Annual": "239,200+", "Hourly": "100+"}


def test_wages_of_an_occupation_published_as_an_oews_aggregate(cos, oews):
    # Mental Health Counselors (21-1014) are published by OEWS only within 21-1018.
    wages = detail(cos, "21-1014.00", "US", wages="true")["Wages"]
    assert wages["SocWageInfo"]["SocCode"] == "21-1018"
    assert (
        wages["SocWageInfo"]["SocTitle"]
        == oews.execute("SELECT occupation_name FROM occupation WHERE occupation_code = '211018'").fetchone()[0]
    )
    assert wages["NationalWagesList"] == expected_wages(oews, "N", "0000000", "21-1018")


def test_teachers_have_no_hourly_row(cos, oews):
    wages = detail(cos, "25-2021.00", "US", wages="true")["Wages"]
    assert [e["RateType"] for e in wages["NationalWagesList"]] == ["Annual"]
    assert wages["NationalWagesList"] == expected_wages(oews, "N", "0000000", "25-2021")


# -- locations ---------------------------------------------------------------------------------------------------------
def reference_areas(zip_code: str) -> set[str]:
    with open(ZIP_REFERENCE, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["zip"] == zip_code:
                return set(row["oews_area_codes"].replace(";", " ").replace("|", " ").split())
    raise AssertionError(zip_code)


@pytest.mark.parametrize("zip_code,state", [("10001", "36"), ("06830", "09"), ("99501", "02")])
def test_zip_resolves_to_the_reference_area(cos, zip_code, state):
    d = detail(cos, "29-1141.00", zip_code, wages="true")
    areas = {e["Area"] for e in d["Wages"]["BLSAreaWagesList"]}
    assert len(areas) == 1 and areas <= reference_areas(zip_code)
    assert d["StFips"] == state and d["Location"] == zip_code


def test_the_seeds_zip_is_answered(cos):
    """61299 (a unique ZIP, in no ZIP file here) is placed by its prefix 612: Illinois, Davenport-Moline-Rock Island."""
    d = detail(cos, "29-1141.00", "61299", wages="true")
    assert d["StFips"] == "17" and d["Location"] == "61299"
    assert {e["Area"] for e in d["Wages"]["BLSAreaWagesList"]} == {"0019340"}
    assert {e["AreaName"] for e in d["Wages"]["StateWagesList"]} == {"Illinois"}


@pytest.mark.parametrize("layout", ["cos", "cos_current"])
@pytest.mark.parametrize("location", ["VI", "vi", "U.S. Virgin Islands", "Virgin Islands"])
def test_virgin_islands(request, layout, location):
    """The territory's FIPS is 78 (OEWS's), though the Census states list says 74."""
    d = detail(request.getfixturevalue(layout), "29-1141.00", location, wages="true")
    assert d["StFips"] == "78"
    assert {(e["Area"], e["AreaName"]) for e in d["Wages"]["StateWagesList"]} == {("7800000", "Virgin Islands")}


@pytest.mark.parametrize("location", ["IL", "il", "Illinois", "illinois"])
def test_state_by_abbreviation_or_name(cos, location):
    d = detail(cos, "29-1141.00", location, wages="true")
    assert d["StFips"] == "17"
    assert {e["AreaName"] for e in d["Wages"]["StateWagesList"]} == {"Illinois"}
    assert d["Wages"]["BLSAreaWagesList"] == []


@pytest.mark.parametrize("location", ["Chicago, IL", "chicago,il", "Chicago IL", "Chicago, Illinois"])
def test_city_state(cos, location):
    d = detail(cos, "29-1141.00", location, wages="true")
    assert d["StFips"] == "17"
    assert {e["Area"] for e in d["Wages"]["BLSAreaWagesList"]} == {"0016980"}


@pytest.mark.parametrize("location", ["0", "US", "us"])
def test_national(cos, location):
    d = detail(cos, "29-1141.00", location, wages="true")
    assert d["StFips"] == "00" and d["Wages"]["StateWagesList"] == []


@pytest.mark.parametrize("location", ["Atlantis", "Nowhere, IL", "00000", "96201", "ZZ", "1234"])
def test_unknown_location_is_400(cos, location):
    response = cos.get(url("29-1141.00", location))
    assert response.status_code == 400
    assert list(response.json()) == ["Message"] and "unknown" in response.json()["Message"]


# -- keyword -----------------------------------------------------------------------------------------------------------
def test_code_soc_and_exact_title_give_the_same_body(cos):
    params = {**ALL, "enableMetaData": "false"}
    by_code = cos.get(url("15-1252.00", "IL"), params=params).json()
    by_soc = cos.get(url("15-1252", "IL"), params=params).json()
    by_title = cos.get(url("software DEVELOPERS", "IL"), params=params).json()
    assert by_code == by_soc == by_title
    assert "MetaData" not in by_code


def test_title_with_a_slash_is_asked_by_code(cos):
    # A path segment cannot hold '/' (even as %2F): such titles are reached by their code.
    assert detail(cos, "17-2051.02", "US")["OnetTitle"] == "Water/Wastewater Engineers"
    assert cos.get(url("Water%2FWastewater Engineers", "US")).status_code == 404


@pytest.mark.parametrize("keyword", ["nurse", "99-9999.00", "Registered Nurse"])
def test_unknown_keyword_is_404(cos, keyword):
    response = cos.get(url(keyword, "US"))
    assert response.status_code == 404
    assert list(response.json()) == ["Message"] and keyword in response.json()["Message"]


# -- flags -------------------------------------------------------------------------------------------------------------
def test_flags_off_leave_blocks_null(cos):
    d = detail(cos, "29-1141.00", "US")
    occupation = next(r for r in read_release("Occupation Data") if r["O*NET-SOC Code"] == "29-1141.00")
    assert (d["OnetCode"], d["OnetTitle"], d["OnetDescription"]) == (
        "29-1141.00",
        occupation["Title"],
        occupation["Description"],
    )
    for key in (
        "Wages",
        "EducationTraining",
        "Tasks",
        "Dwas",
        "AlternateTitles",
        "InterestDataList",
        "Projections",
        "OOHs",
        "StateResourcesLinks",
        "RelatedOnetTitles",
        "SkillsDataList",
        "KnowledgeDataList",
        "AbilityDataList",
        "TrainingPrograms",
        "ToolsAndTechOccupationDetails",
        "WorkValuesOccupationDetails",
        "Video",
    ):
        assert d[key] is None, key
    assert d["SocInfo"]["SocCode"] == "29-1141"


@pytest.mark.parametrize("value", ["true", "TRUE", "True"])
def test_flag_values_any_case(cos, value):
    assert detail(cos, "29-1141.00", "US", tasks=value)["Tasks"]


@pytest.mark.parametrize("value", ["yes", "1", "maybe"])
def test_bad_flag_value_is_400(cos, value):
    response = cos.get(url("29-1141.00", "US"), params={"tasks": value})
    assert response.status_code == 400
    assert list(response.json()) == ["Message"] and "tasks" in response.json()["Message"]


def test_every_flag_switches_its_block_on(cos):
    d = detail(cos, "29-1141.00", "NV", **ALL)
    code = "29-1141.00"
    tasks = [r for r in read_release("Task Statements") if r["O*NET-SOC Code"] == code]
    assert {t["TaskId"] for t in d["Tasks"]} == {r["Task ID"] for r in tasks}
    links = {(r["Task ID"], r["DWA ID"]) for r in read_release("Tasks to DWAs") if r["O*NET-SOC Code"] == code}
    assert {(x["TaskId"], x["DwaId"]) for x in d["Dwas"]} == links
    shown = [
        r["Reported Job Title"]
        for r in read_release("Sample of Reported Titles")
        if r["O*NET-SOC Code"] == code and r["Shown in My Next Move"] == "Y"
    ]
    assert d["AlternateTitles"] == shown
    skills = {
        r["Element ID"]: r["Data Value"]
        for r in read_release("Skills")
        if r["O*NET-SOC Code"] == code and r["Scale ID"] == "IM"
    }
    assert {s["ElementId"]: float(s["DataValue"]) for s in d["SkillsDataList"]} == {
        k: float(v) for k, v in skills.items()
    }
    values = [float(s["DataValue"]) for s in d["SkillsDataList"]]
    assert values == sorted(values, reverse=True)
    assert all(s["ElementDescription"] for s in d["SkillsDataList"])
    knowledge = {r["Element ID"] for r in read_release("Knowledge") if r["O*NET-SOC Code"] == code}
    assert {k["ElementId"] for k in d["KnowledgeDataList"]} == knowledge
    interests = {
        r["Element ID"]: float(r["Data Value"])
        for r in read_release("Interests")
        if r["O*NET-SOC Code"] == code and r["Scale ID"] == "OI"
    }
    assert {i["ElementId"]: float(i["DataValue"]) for i in d["InterestDataList"]} == interests
    abilities = {
        r["Element ID"]: float(r["Data Value"])
        for r in read_release("Abilities")
        if r["O*NET-SOC Code"] == code and r["Scale ID"] == "IM"
    }
    assert {a["ElementId"]: float(a["DataValue"]) for a in d["AbilityDataList"]} == abilities
    related = [r["Related O*NET-SOC Code"] for r in read_release("Related Occupations") if r["O*NET-SOC Code"] == code]
    assert list(d["RelatedOnetTitles"]) == related
    assert d["WorkValuesOccupationDetails"]["WorkValue"] == expected_work_value(code)[0]
    tools = {r["Example"] for r in read_release("Tools Used") if r["O*NET-SOC Code"] == code}
    tt = d["ToolsAndTechOccupationDetails"]
    assert {e["Name"] for c in tt["Tools"]["CategoryList"] for e in c["Examples"]} == tools
    tech = {r["Example"] for r in read_release("Technology Skills") if r["O*NET-SOC Code"] == code}
    assert {e["Name"] for c in tt["Technology"]["CategoryList"] for e in c["Examples"]} == tech
    assert "Registered Nursing/Registered Nurse" in d["TrainingPrograms"]
    assert d["Video"][0]["VideoCode"] == code and d["COSVideoURL"].endswith(f"/{code}.mp4")
    assert d["BrightOutlook"] == "Bright" and d["BrightOutlookCategory"]
    assert d["OOHs"][0]["OOHUrl"].startswith("https://www.bls.gov/ooh/")
    assert d["StateResourcesLinks"]["StateWebResource"][0]["StateName"] == "Nevada"
    assert d["Projections"]["IndustryOccEmplt"]
    assert d["EducationTraining"]["EducationCode"] == "3"  # Bachelor's degree (BLS EP 2024-34)


def test_projections_national_and_nevada(cos, db):
    ep = db.one("SELECT * FROM bls_projections WHERE soc_code = '29-1141'")
    nv = db.one("SELECT * FROM state_projections WHERE state_fips = '32' AND soc_code = '29-1141'")
    projections = detail(cos, "29-1141.00", "Las Vegas, NV", projectedEmployment="true")["Projections"]
    national, state = projections["Projections"]
    assert national["EstimatedEmployment"] == str(round(ep["employment_base_thousands"] * 1000))
    assert national["ProjectedAnnualJobOpening"] == str(round(ep["annual_openings_thousands"] * 1000))
    assert state["Stfips"] == "32" and state["EstimatedEmployment"] == str(nv["base_employment"])
    assert state["ProjectedAnnualJobOpening"] == str(nv["annual_openings"])
    assert "IndustryOccEmplt" not in projections
    # Illinois has no state projections file: the national row only, never an invented one.
    assert len(detail(cos, "29-1141.00", "IL", projectedEmployment="true")["Projections"]["Projections"]) == 1


def test_industry_pattern_from_oews(cos, oews):
    d = detail(cos, "15-1252.00", "US", industryEmpPattern="true")
    assert list(d["Projections"]) == ["IndustryOccEmplt"]  # projectedEmployment off: the industry rows only
    rows = d["Projections"]["IndustryOccEmplt"]
    total = int(oews.execute("SELECT v01 FROM cell WHERE key = 'OEUN0000000000000151252'").fetchone()[0])
    for r in rows[:5]:
        key = f"OEUN0000000{r['MatInCode']}151252"
        employment = oews.execute("SELECT v01 FROM cell WHERE key = ?", (key,)).fetchone()[0]
        assert r["EstimatedEmployment"] == employment
        assert r["Pctestocc"] == f"{100 * int(employment) / total:.1f}"


# -- auth and errors in the API's own shape ----------------------------------------------------------------------------
def test_missing_or_bad_token_is_401(anon, app):
    response = anon.get(url("29-1141.00", "US"))
    assert response.status_code == 401 and list(response.json()) == ["Message"]
    with TestClient(app, headers={"Authorization": "Bearer not-a-key"}) as bad:
        response = bad.get(url("29-1141.00", "US"))
    assert response.status_code == 401 and list(response.json()) == ["Message"]


def test_onet_key_header_is_not_a_bearer_token(client):
    assert client.get(url("29-1141.00", "US")).status_code == 401


def test_unknown_path_under_v1_is_404_in_its_shape(cos):
    response = cos.get("/v1/nothing/here")
    assert response.status_code == 404 and list(response.json()) == ["Message"]


def test_onet_routes_keep_their_shape(client):
    response = client.get("/online/occupations/99-9999.00/")
    assert response.status_code == 422 and list(response.json()) == ["error"]
    assert client.get("/nothing/").json().keys() == {"error"}


def test_metadata(cos, db):
    body = cos.get(url("29-1141.00", "US")).json()
    sources = {s["DataName"]: s for s in body["MetaData"]["DataSource"]}
    assert db.meta()["onet_version"] in sources["O*NET"]["DataVintageOrVersion"]
    assert sources["Wages"]["DataVintageOrVersion"] == db.meta()["oews_release"]


def test_no_wages_rather_than_a_minor_group(cos):
    # Legislators (11-1031) are not published by OEWS; the minor group "Top Executives" is not given instead.
    wages = detail(cos, "11-1031.00", "US", wages="true")["Wages"]
    assert wages["NationalWagesList"] == [] and wages["SocWageInfo"] is None and wages["SocData"] == "No"


@pytest.mark.parametrize(
    "keyword,location,params",
    [
        ("%00", "US", {}),
        ("29-1141.00", "%00", {}),
        ("29-1141.00", "..", {}),
        ("29-1141.00", ",", {}),
        ("29-1141.00", "Chicago,", {}),
        ("29-1141.00", "é, IL", {}),
        ("29-1141.00", "x" * 500, {}),
        ("x" * 500, "US", {}),
        ("29-1141.00", "US", {"wages": ""}),
        ("29-1141.00", "US", {"wages": ["true", "false"]}),
        ("29-1141.00", "AE", {}),
        ("29-1141.00", "09000", {}),
        ("29-1141.00", "PR", {"wages": "true"}),
    ],
)
def test_odd_input_never_500(cos, keyword, location, params):
    response = cos.get(url(keyword, location), params=params)
    assert response.status_code in (200, 400, 404), response.text
    if response.status_code != 200:
        assert list(response.json()) == ["Message"]


def test_other_methods_are_405_in_its_shape(cos):
    response = cos.post(url("29-1141.00", "US"))
    assert response.status_code == 405 and list(response.json()) == ["Message"]


def test_the_route_declares_every_flag():
    from onetlocal.http.endpoints.careeronestop import ENDPOINTS, FLAG_DOCS

    assert set(FLAG_DOCS) == set(FLAGS)
    declared = {p.name: p for p in ENDPOINTS[0].params}
    assert all(declared[f].type == "boolean" and declared[f].default is False for f in FLAGS)
    assert declared["enableMetaData"].default is True


# -- the O*NET 30.3 layout ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cos_current(current_client, api_key: str):
    with TestClient(current_client.app, headers={"Authorization": f"Bearer {api_key}"}) as c:
        yield c


def test_every_flag_on_30_3(cos_current):
    """30.3 dropped Work Values and Tools Used: their blocks keep their keys, empty (never invented); technology is
    Software Skills grouped by category element name; skills are essential + transferable; interests are Career
    Interest Types."""
    from conftest import read_current

    code = "29-1141.00"
    d = detail(cos_current, code, "NV", **ALL)
    assert d["WorkValuesOccupationDetails"] == {"WorkValue": None, "Characteristics": []}
    tt = d["ToolsAndTechOccupationDetails"]
    assert tt["Tools"] == {"CategoryList": []}
    software = [r for r in read_current("software_skills") if r["O*NET-SOC Code"] == code]
    assert {(c["Title"], e["Name"]) for c in tt["Technology"]["CategoryList"] for e in c["Examples"]} == {
        (r["Element Name"], r["Workplace Example"]) for r in software
    }
    skills = {
        r["Element ID"]: float(r["Data Value"])
        for t in ("essential_skills", "transferable_skills")
        for r in read_current(t)
        if r["O*NET-SOC Code"] == code and r["Scale ID"] == "IM"
    }
    assert {s["ElementId"]: float(s["DataValue"]) for s in d["SkillsDataList"]} == skills
    interests = {
        r["Element ID"]: float(r["Data Value"])
        for r in read_current("career_interest_types")
        if r["O*NET-SOC Code"] == code and r["Scale ID"] == "OI"
    }
    assert {i["ElementId"]: float(i["DataValue"]) for i in d["InterestDataList"]} == interests
    assert d["Dwas"] == []  # tasks_to_dwas is not in the 30.3 copy
    assert {t["TaskId"] for t in d["Tasks"]} == {
        r["Task ID"] for r in read_current("task_statements") if r["O*NET-SOC Code"] == code
    }


# -- key spelling: the keys working clients of the live API read (spec §8), on both builds ----------------------------
@pytest.fixture(scope="module", params=["30.1", "30.3"])
def any_cos(request, api_key: str):
    """Get Occupation Details on each layout's build in turn (`.release` names it)."""
    app = request.getfixturevalue("client" if request.param == "30.1" else "current_client").app
    with TestClient(app, headers={"Authorization": f"Bearer {api_key}"}) as c:
        c.release = request.param
        yield c


def expected_work_value(code: str) -> tuple[str | None, list[str]]:
    """O*NET's top work value of the occupation (First Work Value High-Point, 1-6 = 1.B.2.a-f) and the
    descriptions of its needs (the value's Content Model children), from the 30.1 release files."""
    rows = [r for r in read_release("Work Values") if r["O*NET-SOC Code"] == code and r["Element ID"] == "1.B.2.g"]
    if not rows or not int(float(rows[0]["Data Value"])):
        return None, []
    value_id = "1.B.2." + "abcdef"[int(float(rows[0]["Data Value"])) - 1]
    model = read_release("Content Model Reference")
    name = next(r["Element Name"] for r in model if r["Element ID"] == value_id)
    return name, [r["Description"] for r in model if r["Element ID"].startswith(value_id + ".")]


def test_key_spelling_of_working_clients(any_cos):
    code = "29-1141.00"
    d = detail(any_cos, code, "NV", **ALL)
    assert "Dwas" in d and "DWAs" not in d and "ToolsandTechOccupationDetails" not in d
    assert all(list(x) == ["DwaTitle", "DwaId", "DataValue", "TaskId"] for x in d["Dwas"])
    for key in ("InterestDataList", "SkillsDataList", "KnowledgeDataList", "AbilityDataList"):
        assert d[key] and all(
            list(x) == ["ElementId", "ElementName", "ElementDescription", "DataValue", "Importance"] for x in d[key]
        ), key
    projections = d["Projections"]["Projections"]
    assert [p["Stfips"] for p in projections] == ["00", "32"] and not any("StFips" in p for p in projections)
    assert d["StFips"] == "32" and all("StFips" in w for w in d["Wages"]["StateWagesList"])
    assert all(list(v) == ["VideoCode", "VideoTitle", "VideoType"] for v in d["Video"])

    tt = d["ToolsAndTechOccupationDetails"]
    assert list(tt) == ["OnetCode", "OnetTitle", "Technology", "Tools"]
    assert (tt["OnetCode"], tt["OnetTitle"]) == (code, d["OnetTitle"])
    assert list(tt["Tools"]) == ["CategoryList"] and list(tt["Technology"]) == ["CategoryList"]
    if any_cos.release == "30.1":
        tech = {
            (r["Commodity Title"], r["Example"]): (r["Hot Technology"], r["In Demand"])
            for r in read_release("Technology Skills")
            if r["O*NET-SOC Code"] == code
        }
    else:
        from conftest import read_current

        tech = {
            (r["Element Name"], r["Workplace Example"]): (r["Hot Technology"], r["In Demand"])
            for r in read_current("software_skills")
            if r["O*NET-SOC Code"] == code
        }
    served = {
        (c["Title"], e["Name"]): (e["Hot_Technology"], e["In_Demand"])
        for c in tt["Technology"]["CategoryList"]
        for e in c["Examples"]
    }
    assert served == tech and {"Y", "N"} >= {flag for pair in served.values() for flag in pair}
    assert all(list(e) == ["Name"] for c in tt["Tools"]["CategoryList"] for e in c["Examples"])

    work_values = d["WorkValuesOccupationDetails"]
    assert list(work_values) == ["WorkValue", "Characteristics"]
    if any_cos.release == "30.1":
        name, needs = expected_work_value(code)
        assert name and needs
        assert work_values == {"WorkValue": name, "Characteristics": needs}
    else:  # Work Values were dropped in O*NET 30.3: the object's empty shape, never invented
        assert work_values == {"WorkValue": None, "Characteristics": []}


def test_work_values_of_an_occupation_without_them(any_cos):
    # Public Relations Managers have no Work Values rows in 30.1: the same empty shape as on 30.3.
    assert "11-2032.00" not in {r["O*NET-SOC Code"] for r in read_release("Work Values")}
    d = detail(any_cos, "11-2032.00", "US", workValues="true")
    assert d["WorkValuesOccupationDetails"] == {"WorkValue": None, "Characteristics": []}


def test_top_work_value_is_the_first_high_point(cos):
    """Ties of Extent are decided by O*NET's First Work Value High-Point (11-2011.00: four values tie at 5.33;
    the high point is Working Conditions), for every occupation with Work Values."""
    codes = sorted({r["O*NET-SOC Code"] for r in read_release("Work Values")})
    for code in ("11-2011.00", *codes[::60]):
        served = detail(cos, code, "US", workValues="true")["WorkValuesOccupationDetails"]
        assert (served["WorkValue"], served["Characteristics"]) == expected_work_value(code), code
    assert expected_work_value("11-2011.00")[0] == "Working Conditions"


# -- career videos (careeronestop-videos/career-videos.json), on both builds -------------------------------------------
def video_entries() -> dict[str, dict]:
    """O*NET-SOC code -> the video list's entry (key `11-1011` is 11-1011.00, `11-1011-03` is 11-1011.03)."""
    import json

    entries = json.loads((SHARED / "supplementary" / "careeronestop-videos" / "career-videos.json").read_text())
    return {f"{key[:7]}.{key[8:] or '00'}": entry for key, entry in entries["videos"].items()}


@pytest.mark.parametrize(
    "code,video_code,video_title",
    [
        ("29-1141.00", "29-1141.00", "Registered Nurses"),
        ("11-1021.00", "11-1011.00", "Chief Executives"),  # another occupation's video: its code and title
        ("51-9151.00", "51-9131.04", "Film Laboratory Technicians"),  # an O*NET-SOC 2000 code: the taxonomy's title
    ],
)
def test_video_of_the_video_list(any_cos, code, video_code, video_title):
    entry = video_entries()[code]
    d = detail(any_cos, code, "US", videos="true")
    assert d["COSVideoURL"] == entry["videoUrl"]
    assert entry["videoUrl"] == f"https://cdn.careeronestop.org/OccVids/OccupationVideos/{video_code}.mp4"
    assert d["Video"] == [{"VideoCode": video_code, "VideoTitle": video_title, "VideoType": None}]


def test_no_video_is_empty(any_cos):
    assert "11-3071.00" not in video_entries()  # Transportation, Storage, and Distribution Managers
    d = detail(any_cos, "11-3071.00", "US", videos="true")
    assert d["Video"] == [] and d["COSVideoURL"] is None
    d = detail(any_cos, "29-1141.00", "US")  # the flag off: both null, as every block
    assert d["Video"] is None and d["COSVideoURL"] is None


@pytest.mark.parametrize("client", ["cos", "cos_current"])
def test_education_type_of_occupations_bls_publishes_within_a_combination(client, request):
    """Software Developers and QA testers (15-1252, 15-1253) are one row of the ACS attainment table, 15-1256,
    "Software developers and software quality assurance analysts and testers" (its title names them): both answer
    that row's distribution, as education.xlsx Table 5.3 gives it, on a build of each layout (30.1, 30.3)."""
    cos = request.getfixturevalue(client)
    import openpyxl

    from onetlocal.vocabulary import ATTAINMENT_LEVELS

    book = openpyxl.load_workbook(
        require_source("supplementary") / "bls-ep-education-2020-30" / "education.xlsx", read_only=True
    )
    rows = [
        [str(c).strip() if isinstance(c, str) else c for c in row]
        for row in book["Table 5.3"].iter_rows(values_only=True)
    ]
    header = next(r for r in rows if any("National Employment Matrix code" in str(c or "") for c in r))
    row = next(r for r in rows if "15-1256" in r)
    expected = [{"EducationLevel": level, "Value": f"{row[header.index(level)]:.1f}"} for level, _ in ATTAINMENT_LEVELS]
    for code in ("15-1252.00", "15-1253.00"):
        assert detail(cos, code, "US", **ALL)["EducationTraining"]["EducationType"] == expected, code
