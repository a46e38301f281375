"""My Next Move career reports on /mnm/, /mpp/ and /veterans/, checked against the source files (O*NET release,
OEWS SQLite, BLS projections workbook, Bright Outlook CSV, Mi Próximo Paso sample, military crosswalk)."""

from __future__ import annotations

import csv
import gzip
import shutil
import sqlite3

import pytest

from conftest import BASE, SHARED, read_release
from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.ingest.readers import read_xlsx
from onetlocal.services.mnm import MNM, outlook
from onetlocal.services.mnm import careers as report

SUPPLEMENTARY = SHARED / "supplementary"
MPP_TSV = SUPPLEMENTARY / "mpp-spanish-sample" / "mpp_sample_52.tsv"
SECTIONS = (
    "knowledge",
    "skills",
    "abilities",
    "personality",
    "technology",
    "education",
    "job_outlook",
    "check_out_my_state",
    "explore_more",
    "in_the_military",
)


def get(client, path: str, status: int = 200, **params):
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture(scope="module")
def oews_source(tmp_path_factory) -> sqlite3.Connection:
    """The OEWS SQLite as shipped (gunzipped once), read directly."""
    plain = tmp_path_factory.mktemp("oews") / "oews.sqlite"
    with gzip.open(SHARED / "oews" / "oews-2025.sqlite.gz", "rb") as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    conn = sqlite3.connect(plain)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def spanish() -> dict[str, dict]:
    with open(MPP_TSV, encoding="utf-8", newline="") as fh:
        return {r["onetsoc_code"]: r for r in csv.DictReader(fh, delimiter="\t")}


@pytest.fixture(scope="module")
def bright() -> dict[str, str]:
    with open(
        SUPPLEMENTARY / "onet-bright-outlook" / "All_Bright_Outlook_Occupations.csv", encoding="utf-8-sig", newline=""
    ) as fh:
        return {r["Code"]: r["Categories"] for r in csv.DictReader(fh)}


# -- overview ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["15-1252.00", "29-1141.00", "39-5012.00"])
def test_also_called_are_the_reported_titles(client, code):
    rows = [r for r in read_release("Sample of Reported Titles") if r["O*NET-SOC Code"] == code]
    body = get(client, f"/mnm/careers/{code}/")
    assert body["also_called"] == [
        {"title": r["Reported Job Title"], "summary": r["Shown in My Next Move"] == "Y"} for r in rows
    ]
    assert rows and any(r["Shown in My Next Move"] == "Y" for r in rows)


def test_overview_shape_and_texts(client):
    code = "15-1252.00"
    occupation = next(r for r in read_release("Occupation Data") if r["O*NET-SOC Code"] == code)
    body = get(client, f"/veterans/careers/{code}")
    assert list(body) == [
        "code",
        "title",
        "tags",
        "also_called",
        "what_they_do",
        "on_the_job",
        "career_video",
        "contents",
    ]
    assert (body["code"], body["title"], body["what_they_do"]) == (code, occupation["Title"], occupation["Description"])
    core = {
        r["Task"] for r in read_release("Task Statements") if r["O*NET-SOC Code"] == code and r["Task Type"] == "Core"
    }
    assert body["on_the_job"] and set(body["on_the_job"]) <= core and len(body["on_the_job"]) <= 6
    assert body["career_video"] is True and "language" not in str(body)  # a CareerOneStop video (next test)


@pytest.mark.parametrize(
    "code,video",
    [("15-1252.00", True), ("29-1141.00", True), ("11-1021.00", True), ("11-3071.00", False), ("17-3028.00", False)],
)
def test_career_video_is_the_video_list(any_client, code, video):
    """True where CareerOneStop's video list (careeronestop-videos/career-videos.json) names a video for the career
    (also another career's, as 11-1021.00 uses 11-1011.00's), false where it names none; on every site."""
    import json

    listed = json.loads((SHARED / "supplementary" / "careeronestop-videos" / "career-videos.json").read_text())
    key = code[:7] + ("" if code.endswith(".00") else "-" + code[8:])
    assert (key in listed["videos"]) is video
    for site in ("mnm", "mpp", "veterans"):
        assert get(any_client, f"/{site}/careers/{code}/")["career_video"] is video


def test_contents_list_exactly_the_sections_with_data(client):
    code = "15-1252.00"
    for site in ("mnm", "mpp", "veterans"):
        listed = {item["href"]: item["title"] for item in get(client, f"/{site}/careers/{code}/")["contents"]}
        for name in SECTIONS:
            href = f"{BASE}/{site}/careers/{code}/{name}"
            status = client.get(href).status_code
            assert status == (200 if href in listed else 422), (site, name, status)
    # technology is not part of Mi Próximo Paso; in_the_military only of Veterans
    mnm = {i["href"] for i in get(client, f"/mnm/careers/{code}/")["contents"]}
    mpp = {i["href"] for i in get(client, f"/mpp/careers/{code}/")["contents"]}
    veterans = {i["href"] for i in get(client, f"/veterans/careers/{code}/")["contents"]}
    assert f"{BASE}/mnm/careers/{code}/technology" in mnm and not any(h.endswith("/technology") for h in mpp)
    assert f"{BASE}/veterans/careers/{code}/in_the_military" in veterans


# -- sections --------------------------------------------------------------------------------------------------


def test_knowledge_groups_hold_the_important_elements(client):
    code = "15-1252.00"
    rated = {
        r["Element ID"]: float(r["Data Value"])
        for r in read_release("Knowledge")
        if r["O*NET-SOC Code"] == code and r["Scale ID"] == "IM" and r["Recommend Suppress"] != "Y"
    }
    groups = get(client, f"/mnm/careers/{code}/knowledge")
    assert isinstance(groups, list) and groups
    shown = [e["id"] for g in groups for e in g["element"]]
    important = sorted((i for i, v in rated.items() if v >= 3.0), key=lambda i: -rated[i])[:10]
    assert set(shown) == set(important)
    for group in groups:
        assert all(e["id"].startswith(group["id"]) for e in group["element"])


def test_personality_top_interest_is_the_first_high_point(client):
    code = "15-1252.00"
    rows = [r for r in read_release("Interests") if r["O*NET-SOC Code"] == code]
    oi = sorted((r for r in rows if r["Scale ID"] == "OI"), key=lambda r: r["Element ID"])
    first = next(r for r in rows if r["Element ID"] == "1.B.1.g")
    body = get(client, f"/mnm/careers/{code}/personality")
    assert body["top_interest"]["name"] == oi[int(float(first["Data Value"])) - 1]["Element Name"]
    assert body["work_styles"]


def test_education(client):
    code = "15-1252.00"
    zone = next(r for r in read_release("Job Zones") if r["O*NET-SOC Code"] == code)
    body = get(client, f"/mnm/careers/{code}/education")
    assert body["job_zone"]["code"] == int(zone["Job Zone"])
    assert body["education_usually_needed"] and all(t == t.lower() for t in body["education_usually_needed"])


def test_national_salary_equals_oews(client, oews_source):
    for code in ("15-1252.00", "29-1141.00", "11-1011.00"):
        soc = code[:7].replace("-", "")
        key = f"OEUN0000000000000{soc}"
        v11, v13, v15, v08 = oews_source.execute("SELECT v11, v13, v15, v08 FROM cell WHERE key = ?", (key,)).fetchone()
        salary = get(client, f"/mnm/careers/{code}/job_outlook")["salary"]
        assert salary["soc_code"] == code[:7]
        assert (salary["annual_10th_percentile"], salary["annual_median"], salary["annual_90th_percentile"]) == (
            int(v11),
            int(v13),
            int(v15),
        )
        assert salary["hourly_median"] == float(v08)


def test_combined_bls_code_is_used(client, oews_source):
    """O*NET 53-1042 (not published by OEWS) takes OEWS's combined 53-1047."""
    body = get(client, "/mnm/careers/53-1042.01/job_outlook")
    assert body["salary"]["soc_code"] == "53-1047"
    median = oews_source.execute("SELECT v13 FROM cell WHERE key = 'OEUN0000000000000531047'").fetchone()[0]
    assert body["salary"]["annual_median"] == int(median)


def test_every_salary_code_is_the_careers_or_its_bls_combination(client, db, oews_source):
    """For every career with a salary: the SOC code itself when OEWS publishes it, else a code of the same broad
    group that OEWS publishes; the median is OEWS's."""
    published = {
        f"{k[17:19]}-{k[19:23]}": v
        for k, v in oews_source.execute(
            "SELECT key, v13 FROM cell WHERE substr(key, 4, 1) = 'N' AND substr(key, 12, 6) = '000000'"
        )
    }
    careers = [r["O*NET-SOC Code"] for r in read_release("Job Zones")]
    ctx = Ctx(db=db, base_url=BASE)
    checked = 0
    for code in careers:
        try:
            body = report.section(ctx, MNM, code, "job_outlook")
        except InvalidParameter:  # no outlook data at all: 422
            assert code[:7] not in published
            continue
        if body["salary"] is None:
            assert code[:7] not in published
            continue
        soc = body["salary"]["soc_code"]
        assert soc == code[:7] or (code[:7] not in published and soc[:6] == code[:6] and soc in published)
        if body["salary"]["annual_median"] is not None:
            assert body["salary"]["annual_median"] == int(published[soc])
        checked += 1
    assert checked > 850


def test_top_coded_state_wage_uses_over_key(client, oews_source):
    cap_text = oews_source.execute("SELECT footnote_text FROM footnote WHERE footnote_code = '5'").fetchone()[0]
    annual_cap = int(cap_text.split("$")[2].split(" ")[0].replace(",", ""))
    key = oews_source.execute(
        "SELECT key FROM cell WHERE substr(key, 4, 1) = 'S' AND substr(key, 12, 6) = '000000' "
        "AND f15 = '5' ORDER BY key LIMIT 1"
    ).fetchone()[0]
    fips, soc = key[4:6], f"{key[17:19]}-{key[19:23]}"
    code = next(c for c in (r["O*NET-SOC Code"] for r in read_release("Occupation Data")) if c[:7] == soc)
    state = get(client, f"/mnm/careers/{code}/check_out_my_state", location=fips)["state"]
    assert state["salary"]["annual_90th_percentile_over"] == annual_cap
    assert "annual_90th_percentile" not in state["salary"]


def _projection_rows() -> dict[str, float]:
    header, rows = read_xlsx(
        SUPPLEMENTARY / "bls-ep-occupation-2024-34" / "occupation.xlsx",
        "Table 1.2",
        header_when=lambda r: any(c and "National Employment Matrix code" in c for c in r),
    )
    code = next(i for i, h in enumerate(header) if "Matrix code" in h)
    kind = header.index("Occupation type")
    change = next(i for i, h in enumerate(header) if h.startswith("Employment change, percent"))
    return {r[code]: float(r[change]) for r in rows if r[kind] == "Line item" and r[change] not in (None, "—")}


def test_outlook_category_follows_the_thresholds(client, bright):
    projections = _projection_rows()
    codes = [r["O*NET-SOC Code"] for r in read_release("Occupation Data")]
    by_soc: dict[str, list[str]] = {}
    for c in codes:
        by_soc.setdefault(c[:7], []).append(c)
    single = [
        (soc, cs[0])
        for soc, cs in sorted(by_soc.items())
        if len(cs) == 1 and soc in projections and cs[0] not in bright
    ]
    declining = next(c for soc, c in single if projections[soc] <= outlook.BELOW_AVERAGE_CHANGE)
    growing = next(c for soc, c in single if projections[soc] > 1.0)
    assert get(client, f"/mnm/careers/{declining}/job_outlook")["outlook"] == {
        "category": "Below Average",
        "description": outlook.OUTLOOK_TEXT["Below Average"],
    }
    assert get(client, f"/mnm/careers/{growing}/job_outlook")["outlook"]["category"] == "Average"
    shown = get(client, "/mnm/careers/15-1252.00/job_outlook")
    assert "15-1252.00" in bright and shown["outlook"]["category"] == "Bright"
    wanted = {"Rapid Growth": "grow", "Numerous Job Openings": "openings", "New and Emerging": "emerging"}
    assert [b["code"] for b in shown["bright_outlook"]] == [wanted[c.strip()] for c in bright["15-1252.00"].split(";")]
    assert "bright_outlook" not in get(client, f"/mnm/careers/{growing}/job_outlook")


def test_check_out_my_state(client, oews_source):
    body = get(client, "/mnm/careers/15-1252.00/check_out_my_state", location="nv")
    nv = body["state"]
    with open(
        SUPPLEMENTARY / "projectionscentral-longterm-nv-2024-34" / "nv-longterm-2024-2034.csv",
        encoding="utf-8-sig",
        newline="",
    ) as fh:
        row = next(r for r in csv.DictReader(fh) if r["OccCode"] == "15-1252")
    assert (nv["postal_code"], nv["name"]) == ("NV", "Nevada")
    v13, v01, v17 = oews_source.execute(
        "SELECT v13, v01, v17 FROM cell WHERE key = 'OEUS3200000000000151252'"
    ).fetchone()
    assert (nv["salary"]["annual_median"], nv["employment"], nv["location_quotient"]) == (
        int(v13),
        int(v01),
        float(v17),
    )
    assert nv["projections"]["percent_change"] == float(row["PercentChange"])
    assert nv["projections"]["annual_openings"] == int(row["AvgAnnualOpenings"])
    assert all(s["location_quotient"] >= outlook.LQ_ABOVE for s in body["above_average"])
    assert all(s["location_quotient"] < outlook.LQ_BELOW for s in body["below_average"])
    listed = {
        s["postal_code"]: s["location_quotient"]
        for key in ("above_average", "average", "below_average")
        for s in body[key]
    }
    assert listed["NV"] == nv["location_quotient"] and len(listed) >= 50
    other = get(client, "/mnm/careers/15-1252.00/check_out_my_state", location="CA")["state"]
    assert "projections" not in other and other["salary"]["soc_code"] == "15-1252"  # wages only outside NV


@pytest.mark.parametrize("location", ["VI", "vi", "78", "Virgin Islands", "U.S. Virgin Islands"])
def test_check_out_my_state_territories(any_client, location):
    """Every listed state has a postal_code (the Virgin Islands had none: the Census list gives them FIPS 74, OEWS
    78), and each territory is asked for by it, as by its FIPS code or name."""
    body = get(any_client, "/mnm/careers/41-2031.00/check_out_my_state", location=location)
    listed = [s for key in ("above_average", "average", "below_average") for s in body[key]]
    assert all(isinstance(s.get("postal_code"), str) and len(s["postal_code"]) == 2 for s in listed)
    assert {"VI", "PR", "GU", "DC"} <= {s["postal_code"] for s in listed}
    assert (body["state"]["postal_code"], body["state"]["name"]) == ("VI", "Virgin Islands")
    for code in ("PR", "GU"):
        assert (
            get(any_client, "/mnm/careers/41-2031.00/check_out_my_state", location=code)["state"]["postal_code"] == code
        )


def test_explore_more(client):
    code = "15-1252.00"
    careers = {r["O*NET-SOC Code"] for r in read_release("Job Zones")}
    related = [
        r["Related O*NET-SOC Code"]
        for r in read_release("Related Occupations")
        if r["O*NET-SOC Code"] == code
        and r["Relatedness Tier"] == "Primary-Short"
        and r["Related O*NET-SOC Code"] in careers
    ]
    body = get(client, f"/mnm/careers/{code}/explore_more")
    assert [c["code"] for c in body["careers"]] == related
    assert body["careers"][0]["href"] == f"{BASE}/mnm/careers/{related[0]}/"
    assert body["industries"] and all(i["percent_employed"] >= outlook.INDUSTRY_MIN_PERCENT for i in body["industries"])
    # each industry links to the industry's list this career is on, and that list names it
    for industry in body["industries"]:
        if industry["href"] is not None:
            listed = client.get(industry["href"], params={"end": 2000}).json()["career"]
            assert code in [c["code"] for c in listed], industry
    assert any(i["href"] for i in body["industries"])


# -- absent data: the key stays, null or [] (docs/compatibility.md "Absent data") -------------------------------


def _without(build: str, file_30_1: str, file_30_3: str, keep=lambda r: True) -> list[str]:
    """Careers (Job Zones) with no row of a release file that `keep` accepts, in code order."""
    from conftest import read_current

    if build == "30.1":
        zoned, rows = read_release("Job Zones"), read_release(file_30_1)
    else:
        zoned, rows = read_current("job_zones"), read_current(file_30_3)
    having = {r["O*NET-SOC Code"] for r in rows if keep(r)}
    return sorted(r["O*NET-SOC Code"] for r in zoned if r["O*NET-SOC Code"] not in having)


@pytest.fixture(scope="module", params=["30.1", "30.3"])
def build_and_client(request):
    return request.param, request.getfixturevalue("client" if request.param == "30.1" else "current_client")


def test_absent_work_styles_and_education_are_empty_lists(build_and_client):
    """Careers without Work Styles rows (32 on 30.1) answer `work_styles: []`, without a Required Level of Education
    distribution (45 on 30.1) `education_usually_needed: []`: the keys of the shape are always there."""
    build, client = build_and_client
    no_styles = _without(build, "Work Styles", "work_styles")
    no_education = _without(
        build,
        "Education, Training, and Experience",
        "education",
        lambda r: r["Scale ID"] == "RL" and float(r["Data Value"] or 0) > 0,
    )
    assert no_styles and no_education
    for code in no_styles[:5]:
        body = get(client, f"/mnm/careers/{code}/personality")
        assert list(body) == ["code", "title", "top_interest", "work_styles"] and body["work_styles"] == []
    for code in no_education[:5]:
        body = get(client, f"/mnm/careers/{code}/education")
        assert list(body) == ["code", "title", "job_zone", "education_usually_needed"]
        assert body["education_usually_needed"] == []
        assert get(client, f"/mpp/careers/{code}/education")["text_language"]["education_usually_needed"] == "en"


def test_absent_scalars_and_objects_are_null(client):
    """An industry whose list the career is not on: `href: null`; an unpublished wage: `null` (a top-coded one
    keeps the `_over` key instead); no wages at all: `salary: null`."""
    industries = [
        i
        for code in ("15-1252.00", "29-1141.00", "11-1011.00", "41-2031.00", "47-2061.00")
        for i in get(client, f"/mnm/careers/{code}/explore_more")["industries"]
    ]
    assert all(list(i) == ["href", "code", "title", "percent_employed"] for i in industries)
    assert any(i["href"] is None for i in industries) and any(i["href"] for i in industries)
    teachers = get(client, "/mnm/careers/25-2021.00/job_outlook")["salary"]  # OEWS publishes no hourly wages
    assert teachers["annual_median"] and teachers["hourly_median"] is None
    assert [k.removesuffix("_over") for k in teachers] == ["soc_code", *(k for k, _ in outlook.SALARY)]
    legislators = get(client, "/mnm/careers/11-1031.00/job_outlook")  # no OEWS row
    assert legislators["salary"] is None and "outlook" in legislators


# -- Mi Próximo Paso -------------------------------------------------------------------------------------------


def test_spanish_texts_equal_the_sample_file(client, spanish):
    for code in ("15-1252.00", "29-1141.00", "53-3051.00"):
        row = spanish[code]
        body = get(client, f"/mpp/careers/{code}/")
        assert body["title"] == row["title_es"] and body["what_they_do"] == row["what_they_do_es"]
        assert [a["title"] for a in body["also_called"]] == row["also_called_es"].split(" | ")
        assert body["text_language"] == {"title": "es", "what_they_do": "es", "on_the_job": "en"}
        assert all("language" not in a for a in body["also_called"])
        assert all(item["language"] == "en" for item in body["contents"])
        assert get(client, f"/mpp/careers/{code}/education")["title"] == row["title_es"]


def test_mpp_also_called_items_carry_summary_as_on_mnm(any_client, spanish):
    """/mpp/ also-called items have the /mnm/ shape `{title, summary}`; the Spanish file does not say which titles
    Mi Próximo Paso shows in its short list, so every Spanish title is `summary: true` (a client that shows the
    short list shows them rather than none)."""
    for code in ("29-1141.00", "15-1252.00"):
        spanish_items = get(any_client, f"/mpp/careers/{code}/")["also_called"]
        assert spanish_items == [{"title": t, "summary": True} for t in spanish[code]["also_called_es"].split(" | ")]
        english = get(any_client, f"/mnm/careers/{code}/")["also_called"]
        assert {frozenset(i) for i in english} == {frozenset({"title", "summary"})}
        assert all(type(i["summary"]) is bool for i in english)


def test_mpp_falls_back_to_english_and_says_so(client, spanish):
    code = next(
        r["O*NET-SOC Code"]
        for r in read_release("Occupation Data")
        if r["O*NET-SOC Code"] not in spanish
        and r["O*NET-SOC Code"] in {t["O*NET-SOC Code"] for t in read_release("Sample of Reported Titles")}
    )
    body = get(client, f"/mpp/careers/{code}/")
    assert body["text_language"] == {"title": "en", "what_they_do": "en", "on_the_job": "en"}
    assert body["also_called"] and all(a["language"] == "en" for a in body["also_called"])
    related = get(client, f"/mpp/careers/{code}/explore_more")["careers"]
    for career in related:
        assert ("language" in career) == (career["code"] not in spanish)


def test_english_descriptors_are_marked_on_mpp_only(client):
    groups = get(client, "/mpp/careers/15-1252.00/skills")
    assert groups and all(g["language"] == "en" and all(e["language"] == "en" for e in g["element"]) for g in groups)
    assert "language" not in str(get(client, "/mnm/careers/15-1252.00/skills"))
    state = get(client, "/mpp/careers/15-1252.00/check_out_my_state", location="NV")
    assert state["state"]["language"] == "en" and all(s["language"] == "en" for s in state["above_average"])
    assert "language" not in str(get(client, "/mnm/careers/15-1252.00/check_out_my_state", location="NV"))
    outlook_body = get(client, "/mpp/careers/15-1252.00/job_outlook")
    assert outlook_body["outlook"]["language"] == "en" and outlook_body["text_language"] == {"title": "es"}


def test_technology_is_not_on_mpp(client):
    assert get(client, "/mnm/careers/15-1252.00/technology")["category"]
    assert "technology" in get(client, "/mpp/careers/15-1252.00/technology", 422)["error"]


# -- Veterans ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crosswalk() -> list[dict]:
    header, rows = read_xlsx(
        SUPPLEMENTARY / "onet-military-crosswalk" / "milx0724.xlsx", header_when=lambda r: r[0] == "SVC"
    )
    return [dict(zip(header, r, strict=False)) for r in rows]


def test_veterans_military_finds_a_mos(client, crosswalk):
    active = {r["O*NET-SOC Code"] for r in read_release("Job Zones")}  # the careers
    record = next(r for r in crosswalk if r["SVC"] == "A" and r["STATUS"] == "A" and r["ONET1"] in active)
    moc = record["MOC"]
    expected = {
        r[f"ONET{i}"]
        for r in crosswalk
        if r["MOC"] == moc and r["STATUS"] == "A"
        for i in range(1, 5)
        if r.get(f"ONET{i}") in active
    }
    body = get(client, "/veterans/military", keyword=moc, end=200)
    found = {c["code"] for c in body["career"]}
    assert expected <= found
    first = body["career"][0]
    assert first["href"] == f"{BASE}/veterans/careers/{first['code']}/"
    assert any(m["code"] == moc for c in body["career"] for m in c["military"])
    assert get(client, "/veterans/military", 422)["error"] == "must have required property 'keyword'"
    assert client.get("/mnm/military", params={"keyword": moc}).status_code == 404


def test_in_the_military_lists_the_crosswalked_codes(client, crosswalk):
    code = "15-1252.00"
    codes = {r["MOC"] for r in crosswalk if r["STATUS"] == "A" and code in {r.get(f"ONET{i}") for i in range(1, 5)}}
    body = get(client, f"/veterans/careers/{code}/in_the_military")
    assert {m["code"] for m in body["match"]} == codes


# -- errors -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,params,fragment",
    [
        ("/mnm/careers/99-9999.00/", {}, "unknown O*NET-SOC code"),
        ("/mnm/careers/15-1252/", {}, "invalid O*NET-SOC code"),
        ("/mpp/careers/99-9999.00/job_outlook", {}, "unknown O*NET-SOC code"),
        ("/mnm/careers/15-1252.00/wages", {}, "unknown career report section 'wages'"),
        ("/mnm/careers/15-1252.00/in_the_military", {}, "unknown career report section"),
        ("/veterans/careers/15-1252.00/check_out_my_state", {"location": "ZZ"}, "unknown state 'ZZ'"),
        ("/mnm/careers/11-1031.00/explore_more", {}, None),
    ],
)
def test_errors_are_422(client, path, params, fragment):
    """Bad input is 422 with a message naming the problem."""
    response = client.get(path, params=params)
    if fragment is None:  # a career may or may not have data: never a 500
        assert response.status_code in (200, 422)
        return
    assert response.status_code == 422 and fragment in response.json()["error"]


def test_section_without_data_is_422(client, db):
    """Abilities.txt is not in the shared data copy: the section is 422 "no data" and not in contents."""
    has = (
        db.scalar("SELECT count(*) FROM abilities WHERE onetsoc_code = '15-1252.00'")
        if db.table_exists("abilities")
        else 0
    )
    response = client.get("/mnm/careers/15-1252.00/abilities")
    if has:
        assert response.status_code == 200 and response.json()
    else:
        assert response.status_code == 422 and "no data available" in response.json()["error"]


def test_an_occupation_without_data_is_not_a_career(client):
    careers = {r["O*NET-SOC Code"] for r in read_release("Job Zones")}
    code = next(r["O*NET-SOC Code"] for r in read_release("Occupation Data") if r["O*NET-SOC Code"] not in careers)
    for path in (f"/mnm/careers/{code}/", f"/veterans/careers/{code}/job_outlook"):
        response = client.get(path)
        assert response.status_code == 422 and "is not a" in response.json()["error"]


# -- the O*NET 30.3 layout ------------------------------------------------------------------------------------


def test_career_sections_on_30_3(current_client):
    """technology from Software Skills (category = element name), personality from Career Interest Types, education
    with the release's job zones (a former zone-1 career is in "Job Zone 1-2")."""
    from conftest import read_current

    code = "41-2031.00"
    software = [r for r in read_current("software_skills") if r["O*NET-SOC Code"] == code]
    body = get(current_client, f"/mnm/careers/{code}/technology")
    names = {r["Element Name"] for r in software}
    assert body["category"] and {c["title"] for c in body["category"]} <= names
    examples = {(r["Element Name"], r["Workplace Example"]): r["Hot Technology"] == "Y" for r in software}
    assert all(examples[(c["title"], e["name"])] is e["hot_technology"] for c in body["category"] for e in c["example"])
    rows = [r for r in read_current("career_interest_types") if r["O*NET-SOC Code"] == code]
    oi = sorted((r for r in rows if r["Scale ID"] == "OI"), key=lambda r: r["Element ID"])
    first = next(r for r in rows if r["Element ID"] == "1.B.1.g")
    assert (
        get(current_client, f"/mnm/careers/{code}/personality")["top_interest"]["name"]
        == oi[int(float(first["Data Value"])) - 1]["Element Name"]
    )
    zone = next(r for r in read_current("job_zone_reference") if r["Job Zone"] == "2")
    education = get(current_client, "/mnm/careers/35-3023.01/education")  # Baristas: zone 1 up to 30.1
    assert (education["job_zone"]["code"], education["job_zone"]["title"]) == (2, zone["Name"])
    contents = [c["title"] for c in get(current_client, f"/mnm/careers/{code}/")["contents"]]
    assert "Technology" in contents and "Personality" in contents
