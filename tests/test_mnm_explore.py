"""My Next Move search, career listing and browse on every site, checked against the source files: Job Zones.txt
(which occupations are careers), the Bright Outlook CSV, and the published OEWS database (industry shares)."""

from __future__ import annotations

import csv
import gzip
import sqlite3

import pytest

from conftest import BASE, SHARED, SOURCES, error, ok, read_release, require_source

SITES = ("mnm", "mpp", "veterans")
MOST, SOME = 0.5, 0.1  # the documented thresholds (services/mnm/explore.py)


def every(client, url: str, key: str = "career", **params) -> list[dict]:
    body = ok(client, url, start=1, end=2000, **params)
    assert len(body[key]) == body["total"]
    return body[key]


@pytest.fixture(scope="module")
def careers() -> dict[str, str]:
    zoned = {r["O*NET-SOC Code"] for r in read_release("Job Zones")}
    return {r["O*NET-SOC Code"]: r["Title"] for r in read_release("Occupation Data") if r["O*NET-SOC Code"] in zoned}


def by_title(codes, careers) -> list[str]:
    return sorted(codes, key=lambda c: (careers[c].casefold(), c))


@pytest.fixture(scope="module")
def spanish() -> dict[str, str]:
    """code -> Spanish title from the Mi Próximo Paso sample (what /mpp/ shows where it has one)."""
    with open(
        SHARED / "supplementary" / "mpp-spanish-sample" / "mpp_sample_52.tsv", encoding="utf-8", newline=""
    ) as fh:
        return {r["onetsoc_code"]: r["title_es"] for r in csv.DictReader(fh, delimiter="\t")}


def titles_on(site: str, careers: dict, spanish: dict) -> dict[str, str]:
    return {c: spanish.get(c, t) if site == "mpp" else t for c, t in careers.items()}


# -- search and listing -------------------------------------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_search_answers_careers_of_the_site(client, careers, spanish, site):
    body = ok(client, f"/{site}/search", keyword="registered nurse")
    assert set(body) <= {"start", "end", "total", "prev", "next", "career"}
    assert set(body["career"][0]) == {"href", "code", "title", "tags"}
    first = body["career"][0]
    assert (first["code"], first["title"]) == ("29-1141.00", titles_on(site, careers, spanish)["29-1141.00"])
    assert first["href"] == f"{BASE}/{site}/careers/29-1141.00/"
    assert first["tags"] == {"bright_outlook": True}
    found = every(client, f"/{site}/search", keyword="nurse")
    assert all(item["code"] in careers for item in found)
    # /mpp/: Spanish titles where imported (Registered Nurses has one), others marked English
    assert "language" not in first
    assert {item.get("language") for item in found if item["code"] not in spanish} == (
        {"en"} if site == "mpp" else {None}
    )


def test_search_by_code_and_paging(client, careers):
    assert [c["code"] for c in ok(client, "/mnm/search", keyword="15-1252.00")["career"]] == ["15-1252.00"]
    whole = every(client, "/mnm/search", keyword="engineer")
    page = ok(client, "/mnm/search", keyword="engineer", start=3, end=4)
    assert page["career"] == whole[2:4] and page["total"] == len(whole) > 4
    # an occupation without data (no Job Zone) is not a career
    not_career = next(
        r["O*NET-SOC Code"] for r in read_release("Occupation Data") if r["O*NET-SOC Code"] not in careers
    )
    assert ok(client, "/mnm/search", keyword=not_career)["total"] == 0
    assert "keyword" in error(client, "/mnm/search")


# -- Mi Próximo Paso search: Spanish titles, accents, gender and number ----------------------------------------


@pytest.fixture(scope="module")
def spanish_rows() -> list[dict]:
    with open(
        SHARED / "supplementary" / "mpp-spanish-sample" / "mpp_sample_52.tsv", encoding="utf-8", newline=""
    ) as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _codes(client, site: str, keyword: str) -> list[str]:
    return [c["code"] for c in every(client, f"/{site}/search", keyword=keyword)]


@pytest.mark.parametrize(
    "keyword", ["enfermera", "enfermero", "enfermeras", "Enfermeros", "ENFERMEROS graduados", "enfermeras graduadas"]
)
def test_mpp_search_folds_gender_number_and_case(any_client, keyword):
    """The title is "Enfermeros Graduados" (29-1141.00): every gender/number form of its words finds it first."""
    codes = _codes(any_client, "mpp", keyword)
    assert codes[0] == "29-1141.00", codes[:5]
    assert len(codes) == len(set(codes))


def test_mpp_search_folds_accents_and_punctuation(any_client, spanish_rows):
    """`ENFERMERÍA?` = enfermería: the title "Asistentes de Enfermería" first, then careers whose also-called titles
    hold the word ("Director de Enfermería"), never the nurses' "Enfermeros" (another word)."""
    codes = _codes(any_client, "mpp", "ENFERMERÍA?")
    assert codes[0] == "31-1131.00"
    assert "11-9111.00" in codes and "29-1141.00" not in codes[:2]
    assert _codes(any_client, "mpp", "enfermeria") == codes == _codes(any_client, "mpp", "Enfermerías")


def test_mpp_search_tecnico_finds_tecnicos(any_client, spanish_rows):
    """'tecnico' (no accent, singular) finds the title "Técnicos y Mecánicos de Servicio Automotriz" and every
    career whose Spanish title or also-called title holds técnico/técnica/técnicos."""
    import unicodedata

    def plain(text: str) -> str:
        return "".join(ch for ch in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(ch))

    titled = {
        r["onetsoc_code"] for r in spanish_rows if any(w.startswith("tecnic") for w in plain(r["title_es"]).split())
    }
    called = {
        r["onetsoc_code"]
        for r in spanish_rows
        if any(
            w.strip("().") in ("tecnico", "tecnica", "tecnicos", "tecnicas")
            for t in r["also_called_es"].split(" | ")
            for w in plain(t).split()
        )
    }
    for keyword in ("tecnico", "técnicos", "TÉCNICA", "tecnicas"):
        codes = _codes(any_client, "mpp", keyword)
        assert set(codes[: len(titled)]) == titled, keyword  # title matches first
        assert titled | called <= set(codes)
    assert "49-3023.00" in titled and "43-3031.00" in called  # "Técnicos y Mecánicos…"; "Técnico Contable"


def test_mpp_search_by_an_also_called_title(any_client):
    """An also-called title in another gender: "Directora Clínica" ~ "Director Clínico" (11-9111.00)."""
    assert _codes(any_client, "mpp", "directora clinica")[0] == "11-9111.00"
    assert _codes(any_client, "mpp", "gerente de enfermeras")[0] == "11-9111.00"  # "Gerente de Enfermeros"


def test_mpp_search_keeps_english_and_codes(any_client):
    """English keywords and codes still answer on /mpp/ (after any Spanish match); /mnm/ is unchanged."""
    assert _codes(any_client, "mpp", "29-1141.00") == ["29-1141.00"]
    assert _codes(any_client, "mpp", "registered nurse")[0] == "29-1141.00"
    assert _codes(any_client, "mnm", "enfermera") == []


@pytest.mark.parametrize("site", SITES)
def test_all_careers_by_title(client, careers, spanish, site):
    titles = titles_on(site, careers, spanish)
    served = every(client, f"/{site}/careers/")
    assert [c["code"] for c in served] == by_title(careers, titles)
    assert all(c["title"] == titles[c["code"]] for c in served)
    if site == "mpp":
        assert all(("language" in c) is (c["code"] not in spanish) for c in served)
        assert sum(c["code"] in spanish for c in served) == len(set(spanish) & set(careers)) > 0
    first = ok(client, f"/{site}/careers/")
    assert (first["end"], first["total"], first["next"]) == (
        20,
        len(careers),
        f"{BASE}/{site}/careers/?start=21&end=40",
    )


# -- industries ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oews():
    """National employment by sector and SOC from the published OEWS database: ({sector: title},
    {(industry, soc): employment})."""
    require_source("oews")
    conn = sqlite3.connect(":memory:")
    with gzip.open(SOURCES["oews"], "rb") as fh:
        conn.deserialize(fh.read())
    sectors = {
        code: name for code, name in conn.execute("SELECT industry_code, industry_name FROM industry") if "-" in code
    }
    employment = {}
    for key, value in conn.execute("SELECT key, v01 FROM cell WHERE key LIKE 'OEUN%'"):
        industry, soc = key[11:17], key[17:]
        if value and value.replace(".", "").isdigit():
            employment[(industry, f"{soc[:2]}-{soc[2:]}")] = float(value)
    return sectors, employment


def expected_shares(oews, careers) -> dict[int, dict[str, float]]:
    sectors, employment = oews
    out = {int(code[:2]): {} for code in sectors}
    published = {soc for industry, soc in employment if industry == "000000"}
    used = {r["O*NET-SOC Code"][:7] for r in read_release("Occupation Data")}
    for career in careers:
        soc = career[:7]
        if soc not in published:  # the one combined code of its group no O*NET code uses, else the broad group
            combined = [c for c in published if c[:6] == soc[:6] and c[-1] != "0" and c not in used]
            soc = combined[0] if len(combined) == 1 else soc[:6] + "0"
        total = employment.get(("000000", soc))
        if not total:
            continue
        for code in sectors:
            value = employment.get((code, soc))
            if value:
                out[int(code[:2])][career] = value / total
    return out


@pytest.mark.parametrize("site", SITES)
def test_industry_listing_and_alias(client, oews, site):
    sectors, _ = oews
    body = ok(client, f"/{site}/industries/")
    assert body["total"] == len(sectors) == 20
    assert [i["code"] for i in body["industry"]] == sorted(int(c[:2]) for c in sectors)
    titles = {int(c[:2]): name for c, name in sectors.items()}
    for item in body["industry"]:
        assert titles[item["code"]].endswith(" - " + item["title"])
        assert item["href"] == f"{BASE}/{site}/industries/{item['code']}/most_people"
    assert ok(client, f"/{site}/browse/") == body


def test_industry_thresholds_follow_oews(client, oews, careers):
    shares = expected_shares(oews, careers)
    assert sum(1 for s in shares.values() for v in s.values() if v >= MOST) > 500  # the lists are not empty
    for code, by_career in shares.items():
        most = every(client, f"/mnm/industries/{code}/most_people")
        some = every(client, f"/mnm/industries/{code}/some_people")
        assert [c["code"] for c in most] == by_title([c for c, v in by_career.items() if v >= MOST], careers)
        assert [c["code"] for c in some] == by_title([c for c, v in by_career.items() if SOME <= v < MOST], careers)
        assert set(ok(client, f"/mnm/industries/{code}/some_people", end=1)) <= {
            "start",
            "end",
            "total",
            "next",
            "career",
        }


def test_industry_examples(client):
    """Registered nurses: about 86 % of them work in health care and social assistance (OEWS May 2025)."""
    assert "29-1141.00" in {c["code"] for c in every(client, "/mnm/industries/62/most_people")}
    assert "29-1141.00" not in {c["code"] for c in every(client, "/mnm/industries/62/some_people")}


def test_industry_bad_codes(client):
    assert "industry" in error(client, "/mnm/industries/7/most_people")
    assert "code" in error(client, "/mnm/industries/abc/some_people")


# -- Bright Outlook, career clusters, job preparation -------------------------------------------------------


@pytest.mark.parametrize("site", SITES)
def test_bright_outlook(client, careers, spanish, site):
    with open(
        SHARED / "supplementary" / "onet-bright-outlook" / "All_Bright_Outlook_Occupations.csv",
        encoding="utf-8-sig",
        newline="",
    ) as fh:
        rows = list(csv.DictReader(fh))
    listing = ok(client, f"/{site}/bright_outlook/")["category"]
    assert [(c["value"], c["title"]) for c in listing] == [
        (c["value"], c["title"]) for c in ok(client, "/online/bright_outlook/")["category"]
    ]
    assert [c["value"] for c in listing] == ["grow", "openings", "emerging"]
    assert listing[2]["href"] == f"{BASE}/{site}/bright_outlook/emerging"
    for code, text in (
        ("grow", "Rapid Growth"),
        ("openings", "Numerous Job Openings"),
        ("emerging", "New and Emerging"),
    ):
        expected = by_title(
            {r["Code"] for r in rows if text in r["Categories"] and r["Code"] in careers},
            titles_on(site, careers, spanish),
        )
        assert [c["code"] for c in every(client, f"/{site}/bright_outlook/{code}")] == expected
        assert ok(client, f"/{site}/bright_outlook/{code}", end=1)["category"]["value"] == code
    assert "category" in error(client, f"/{site}/bright_outlook/new")


def test_career_clusters_are_online_clusters_restricted_to_careers(client, careers):
    listing = ok(client, "/mnm/career_clusters/")["career_cluster"]
    online = ok(client, "/online/career_clusters/")["career_cluster"]
    assert [(c["code"], c["title"]) for c in listing] == [(c["code"], c["title"]) for c in online]
    code = listing[0]["code"]
    expected = {o["code"] for o in every(client, f"/online/career_clusters/{code}", "occupation")} & set(careers)
    body = ok(client, f"/mnm/career_clusters/{code}", end=2000)
    assert body["summary"] == {"title": listing[0]["title"]}
    assert [c["code"] for c in body["career"]] == by_title(expected, careers)
    assert "cluster" in error(client, "/mnm/career_clusters/999999")


def test_job_preparation(client, careers):
    zones = {r["O*NET-SOC Code"]: int(r["Job Zone"]) for r in read_release("Job Zones")}
    reference = read_release("Job Zone Reference")
    listing = ok(client, "/veterans/job_preparation/")["job_zone"]
    assert [
        {k: z[k] for k in ("value", "title", "experience", "education", "job_training", "examples", "svp_range")}
        for z in listing
    ] == [
        {
            "value": int(r["Job Zone"]),
            "title": r["Name"],
            "experience": r["Experience"],
            "education": r["Education"],
            "job_training": r["Job Training"],
            "examples": r["Examples"],
            "svp_range": r["SVP Range"],
        }
        for r in reference
    ]
    assert listing[0]["href"] == f"{BASE}/veterans/job_preparation/1"
    for zone in range(1, 6):
        expected = by_title([c for c in careers if zones[c] == zone], careers)
        assert [c["code"] for c in every(client, f"/veterans/job_preparation/{zone}")] == expected
    for zone in ("0", "6", "x"):
        assert "zone" in error(client, f"/mnm/job_preparation/{zone}")


def test_job_preparation_on_a_four_zone_release(current_client):
    """30.3 (as 30.2) has four zones, zone 2 being "Job Zone 1-2": listed as the release has them; zone 1 lists the
    careers of the merged zone 2."""
    from conftest import read_current

    reference = read_current("job_zone_reference")
    listing = ok(current_client, "/mnm/job_preparation/")["job_zone"]
    assert [(z["value"], z["title"], z["svp_range"]) for z in listing] == [
        (int(r["Job Zone"]), r["Name"], r["SVP Range"]) for r in reference
    ]
    assert listing[0]["href"] == f"{BASE}/mnm/job_preparation/2" and len(listing) == 4
    zone_2 = {r["O*NET-SOC Code"] for r in read_current("job_zones") if r["Job Zone"] == "2"}
    merged = every(current_client, "/mnm/job_preparation/1")
    assert {c["code"] for c in merged} == zone_2
    assert merged == every(current_client, "/mnm/job_preparation/2")
    assert "zone" in error(current_client, "/mnm/job_preparation/6")


def test_mpp_marks_english_texts(client):
    assert all(i["language"] == "en" for i in ok(client, "/mpp/industries/")["industry"])
    assert all(i["language"] == "en" for i in ok(client, "/mpp/career_clusters/")["career_cluster"])
    assert all("language" not in i for i in ok(client, "/mnm/career_clusters/")["career_cluster"])
