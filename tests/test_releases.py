"""Both O*NET layouts: the 30.1 build (the layout through 30.2) and the 30.3 build (the layout of the current release).

- every documented GET route answers both builds without a 5xx, in JSON;
- the 30.3 build against its CSV files: Database services list and serve the release's own tables, report sections
  (skills, technology, interests, education, job zone) are made from the new tables, the build records the release;
- the 7 files absent from the shared 30.3 copy, on a tiny release generated in their real layout
  (tests/fixtures/current.py) in the text, CSV and JSON editions, each as a folder and as a zip.
"""

from __future__ import annotations

import csv
import functools
import math
import re
from collections import defaultdict
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from conftest import CURRENT_DIR, error, ok, sql
from conftest import read_current as _read_current
from fixtures import current as fx
from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.errors import BuildError
from onetlocal.ingest import build

SOFTWARE, NURSES = "15-1252.00", "29-1141.00"
CODES = (SOFTWARE, NURSES)

#: Files of the 30.3 layout not in the shared copy (over 4 MiB; see its PROVENANCE.md).
ABSENT_30_3 = {
    "job_titles": "Job Titles",
    "specific_interest_areas": "Specific Interest Areas",
    "task_ratings": "Task Ratings",
    "tasks_to_dwas": "Tasks to DWAs",
    "training_and_experience": "Training and Experience",
    "work_activities": "Work Activities",
    "work_context": "Work Context",
}
#: Table ids of the layout through 30.2 that 30.3 renamed, split or dropped.
LEGACY_ONLY = {
    "skills",
    "technology_skills",
    "interests",
    "alternate_titles",
    "work_values",
    "tools_used",
    "unspsc_reference",
    "dwa_reference",
    "iwa_reference",
    "education_training_experience",
    "ete_categories",
    "riasec_keywords",
    "basic_interests_to_riasec",
    "interests_illus_activities",
    "interests_illus_occupations",
    "skills_to_work_activities",
    "skills_to_work_context",
}
#: Columns the CSV edition adds to the text edition's (dropped on import), unless a table has them as its own data.
CSV_EXTRAS = {"Title", "Scale Name", "Related Title"}
OWN_EXTRAS = {"occupation_data": {"Title"}, "scales_reference": {"Scale Name"}}


@functools.cache
def _rows_of(table_id: str) -> tuple[dict, ...]:
    return tuple(_read_current(table_id))


def read_current(table_id: str) -> list[dict]:
    """Rows of a 30.3 CSV file as dicts of its raw cells (read once per test run)."""
    return list(_rows_of(table_id))


def current_ids() -> list[str]:
    return sorted(p.stem for p in CURRENT_DIR.glob("*.csv"))


def snake(header: str) -> str:
    """The O*NET SQL name of a column ('O*NET-SOC Code' -> onetsoc_code, 'Date' -> date_updated)."""
    special = {
        "O*NET-SOC Code": "onetsoc_code",
        "Related O*NET-SOC Code": "related_onetsoc_code",
        "Date": "date_updated",
        "Source(s)": "sources",
        "Index": "related_index",
    }
    return special.get(header) or re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


def csv_header(table_id: str) -> list[str]:
    with open(CURRENT_DIR / f"{table_id}.csv", encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh))


def served_header(table_id: str) -> list[str]:
    """The CSV header without the columns only the CSV edition carries."""
    keep = OWN_EXTRAS.get(table_id, set())
    return [h for h in csv_header(table_id) if h not in CSV_EXTRAS or h in keep]


def trunc(value: float, low: float, high: float) -> int:
    return math.trunc(round((value - low) / (high - low) * 100, 6))


def same_cell(served: object, cell: str) -> bool:
    """A served value equals the CSV's cell: empty is null, numbers by value, text as is."""
    if cell == "":
        return served is None
    if isinstance(served, (int, float)) and not isinstance(served, bool):
        return float(served) == float(cell)
    return served == cell


# -- every route on both builds -----------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["30.1", "30.3"])
def raw(request, tmp_path_factory):
    """The app on each build, without auth, answering as a server would (exceptions become 500 responses)."""
    db = request.getfixturevalue("db_path" if request.param == "30.1" else "current_db_path")
    keys = tmp_path_factory.mktemp("keys") / "keys.sqlite"
    app = create_app(Settings(db_path=db, keys_db_path=keys, auth=False, rate_limit=None))
    with TestClient(app, raise_server_exceptions=False) as c:
        c.build = request.param
        yield c


#: Plausible values for the path and query parameters the OpenAPI document declares, by name.
ELEMENTS = {
    "knowledge": "2.C.1.a",
    "skills": "2.A.1.a",
    "abilities": "1.A.1.a.1",
    "work_activities": "4.A.1.a.1",
    "work_context": "4.C.1.a.2.c",
    "work_styles": "1.D.1.a",
    "work_values": "1.B.2.a",
    "interests": "1.B.1.a",
}
KEYWORDS = {
    "/online/technology/examples": "spreadsheet",
    "/online/technology/categories": "database",
    "/online/crosswalks/military": "infantry",
    "/veterans/military": "infantry",
    "/online/professional_associations/search": "nurse",
}
DEFAULTS = {
    "table_id": "occupation_data",
    "userId": "onetlocal",
    "location": "US",
    "answers": "3" * 60,
    "skills": "2.B.1.a",
    "name": "no_such_section",
}


def _links(body: object, out: list[str]) -> None:
    """Every link to this server in a JSON body."""
    if isinstance(body, dict):
        for value in body.values():
            _links(value, out)
    elif isinstance(body, list):
        for value in body:
            _links(value, out)
    elif isinstance(body, str) and body.startswith("http://testserver/"):
        out.append(body.removeprefix("http://testserver"))


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/?#]+" if p.startswith("{") else re.escape(p) for p in parts) + r"(\?.*)?")


def _check(response, url: str) -> None:
    assert response.status_code < 500, (url, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), (url, response.headers["content-type"])
    body = response.json()
    if response.status_code >= 400:
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], (url, body)


def _candidates(param: dict) -> list[str] | None:
    """The values to try for a path parameter: every enum value, both occupations; None when it needs an id."""
    schema = param["schema"]
    if "enum" in schema:
        return list(schema["enum"])
    if "[0-9]{2}-[0-9]{4}" in schema.get("pattern", ""):  # an O*NET-SOC code
        return list(CODES)
    return None


def test_every_documented_route_answers_json_without_5xx(raw):
    """Every GET route of /openapi.json with plausible values — two occupations, every section, elements, keywords,
    ids taken from the links other routes answer: never a 5xx, always JSON, a 4xx says why."""
    paths = raw.get("/openapi.json").json()["paths"]
    templates = {p: op["get"].get("parameters", []) for p, op in paths.items() if "get" in op}
    seen: list[str] = []
    statuses: dict[str, int] = {}

    def get(url: str, params: dict | None = None) -> None:
        response = raw.get(url, params=params)
        key = url + (f" {params}" if params else "")
        _check(response, key)
        statuses[key] = response.status_code
        if response.status_code == 200:
            _links(response.json(), seen)

    def first_id(url: str, default: str) -> str:
        body = raw.get(url).json()  # a list, or an error where the build lacks the data (no Tasks to DWAs in 30.3)
        return str(body[0]["id"]) if isinstance(body, list) and body else default

    first_task = first_id(f"/online/job_duties/tasks/{SOFTWARE}", "1")
    first_dwa = first_id(f"/online/related_activities/activities/{SOFTWARE}", "4.A.1.a.1.a.1")
    needs_ids = []
    for template, params in templates.items():  # first the routes whose path takes codes and enums only
        path_params = [p for p in params if p["in"] == "path"]
        if any(_candidates(p) is None for p in path_params):
            needs_ids.append((template, path_params))
            continue
        fills: list[dict[str, str]] = [{}]
        for p in path_params:
            fills = [{**f, p["name"]: v} for f in fills for v in _candidates(p)]
        query = {}
        for p in params:
            if p["in"] == "query" and (p.get("required") or p["name"] == "answers"):
                query[p["name"]] = {
                    "keyword": KEYWORDS.get(template.rstrip("/"), "nurse"),
                    "tasks": first_task,
                    "activities": first_dwa,
                }.get(p["name"], DEFAULTS.get(p["name"], "1"))
        for fill in fills:
            get(re.sub(r"\{(\w+)\}", lambda m, fill=fill: fill[m[1]], template), query or None)
    for template, path_params in needs_ids:  # then the others, with ids from the links answered so far
        if template == "/online/onet_data/{section}/{element_id}":
            for section, element in ELEMENTS.items():
                get(f"/online/onet_data/{section}/{element}")
            continue
        found = next((link for link in seen if _pattern(template).fullmatch(link)), None)
        if found is None:  # no route links it: a default (a 4xx is fine, a 5xx is not)
            fill = {p["name"]: (_candidates(p) or [DEFAULTS.get(p["name"], "1")])[0] for p in path_params}
            if template.startswith("/v1/occupation/"):
                fill["keyword"] = NURSES
            found = re.sub(r"\{(\w+)\}", lambda m, fill=fill: fill[m[1]], template)
        get(found)
    ok_share = sum(1 for s in statuses.values() if s == 200) / len(statuses)
    print(f"{raw.build}: {len(statuses)} requests, {ok_share:.0%} answered 200")
    assert len(statuses) > len(templates) and ok_share > 0.8, {u: s for u, s in statuses.items() if s != 200}


# -- the 30.3 build against its CSV files ------------------------------------------------------------------------


def test_database_list_is_the_release_own_ids(current_client, client, db_path):
    listed = [t["table_id"] for t in ok(current_client, "/database/")]
    assert set(current_ids()) <= set(listed)
    assert not set(listed) & LEGACY_ONLY and not set(listed) & set(ABSENT_30_3)
    for table_id in (
        "essential_skills",
        "transferable_skills",
        "software_skills",
        "career_interest_types",
        "gwas_to_iwas_to_dwas",
        "education",
        "training_and_experience_categories",
    ):
        assert table_id in listed
    # besides the release's tables, the same (supplementary) tables as on the 30.1 build
    legacy = [t["table_id"] for t in ok(client, "/database/")]
    release_30_1 = {r[0] for r in sql(db_path, "SELECT table_id FROM meta_tables WHERE source = 'onet'")}
    hosted_30_1 = {"essential_skills", "transferable_skills", "software_skills"}
    assert hosted_30_1 <= set(legacy)
    assert set(listed) - set(current_ids()) == set(legacy) - release_30_1 - hosted_30_1


@pytest.mark.parametrize("table_id", current_ids() if CURRENT_DIR else [])
def test_info_columns_are_the_csv_header_without_edition_extras(current_client, table_id):
    body = ok(current_client, f"/database/info/{table_id}")
    header = served_header(table_id)
    assert [c["column_id"] for c in body["column"]] == [snake(h) for h in header]
    assert [c["title"] for c in body["column"]] == header
    assert body["rows"] == f"http://testserver/database/rows/{table_id}"
    assert body["data_dictionary"] == f"https://onetcenter.org/dictionary/30.3/mssql/{table_id}.html"


def test_first_rows_of_every_table_are_the_csv_rows(current_client):
    for table_id in current_ids():
        header = served_header(table_id)
        source = read_current(table_id)[:5]
        rows = ok(current_client, f"/database/rows/{table_id}", end=5)["row"]
        assert len(rows) == len(source), table_id
        for row, line in zip(rows, source, strict=False):
            assert list(row) == [snake(h) for h in header], table_id
            mismatched = [h for h in header if not same_cell(row[snake(h)], line[h])]
            assert not mismatched, (table_id, mismatched, row, line)


def test_essential_skills_rows_equal_the_csv(current_client):
    url = "/database/rows/essential_skills?filter=onetsoc_code.eq.15-1252.00&filter=scale_id.eq.IM&end=100"
    body = ok(current_client, url)
    source = [r for r in read_current("essential_skills") if r["O*NET-SOC Code"] == SOFTWARE and r["Scale ID"] == "IM"]
    assert body["total"] == len(source) == 10
    header = served_header("essential_skills")
    for row, line in zip(body["row"], source, strict=False):
        assert all(same_cell(row[snake(h)], line[h]) for h in header), (row, line)


@pytest.mark.parametrize(
    "old,successors",
    [
        ("skills", ["essential_skills", "transferable_skills"]),
        ("technology_skills", ["software_skills"]),
        ("alternate_titles", ["job_titles"]),
        ("interests", ["career_interest_types"]),
        ("dwa_reference", ["gwas_to_iwas_to_dwas"]),
        ("education_training_experience", ["education", "training_and_experience"]),
        ("work_values", ["dropped"]),
        ("tools_used", ["dropped"]),
    ],
)
def test_a_30_1_id_on_30_3_names_its_successors(current_client, old, successors):
    for route in ("info", "rows"):
        message = error(current_client, f"/database/{route}/{old}")
        assert repr(old) in message and "30.3" in message
        assert all(s in message for s in successors), message


@pytest.mark.parametrize(
    "new,named",
    [
        ("specific_interest_areas", "new"),
        ("job_titles", "alternate_titles"),
        ("career_interest_types", "interests"),
        ("gwas_to_iwas", "iwa_reference"),
        ("training_and_experience", "education_training_experience"),
    ],
)
def test_a_30_3_id_on_30_1_names_its_predecessor(client, new, named):
    message = error(client, f"/database/info/{new}")
    assert repr(new) in message and "30.3" in message and named in message, message


def test_an_absent_file_is_named(current_client):
    for table_id, name in ABSENT_30_3.items():
        assert f"no '{name}' file" in error(current_client, f"/database/info/{table_id}")


def _ratings(code: str, *tables: str) -> list[tuple[str, int, int]]:
    by_id: dict[str, dict] = defaultdict(dict)
    for table in tables:
        for r in read_current(table):
            if r["O*NET-SOC Code"] == code:
                by_id[r["Element ID"]][r["Scale ID"]] = float(r["Data Value"])
    items = [(eid, trunc(v["IM"], 1, 5), trunc(v["LV"], 0, 7)) for eid, v in by_id.items()]
    return sorted(items, key=lambda i: (-i[1], -i[2], i[0]))


@pytest.mark.parametrize("code", CODES)
def test_details_skills_are_essential_and_transferable(current_client, code):
    expected = _ratings(code, "essential_skills", "transferable_skills")
    assert len(expected) == 35
    body = ok(current_client, f"/online/occupations/{code}/details/skills", end=100)
    assert body["total"] == 35
    assert [(e["id"], e["importance"], e["level"]) for e in body["element"]] == expected
    assert {e["id"][:3] for e in body["element"]} == {"2.A", "2.B"}
    names = {r["Element ID"]: r["Element Name"] for r in read_current("transferable_skills")[:100]}
    names |= {r["Element ID"]: r["Element Name"] for r in read_current("essential_skills")[:100]}
    assert all(e["name"] == names[e["id"]] for e in body["element"])


@pytest.mark.parametrize("code", CODES)
def test_details_interests_are_career_interest_types(current_client, code):
    rows = [r for r in read_current("career_interest_types") if r["O*NET-SOC Code"] == code]
    oi = {r["Element ID"]: trunc(float(r["Data Value"]), 1, 7) for r in rows if r["Scale ID"] == "OI"}
    body = ok(current_client, f"/online/occupations/{code}/details/interests")
    assert {e["id"]: e["occupational_interest"] for e in body["element"]} == oi and len(oi) == 6
    names = [r["Element Name"] for r in rows if r["Scale ID"] == "OI"]
    high = [int(float(r["Data Value"])) for r in rows if r["Scale ID"] == "IH"]
    assert body["high_point_code"] == "".join(names[h - 1][0] for h in high if h)


@pytest.mark.parametrize("code", CODES)
def test_details_education_is_education_csv(current_client, code):
    rows = [
        r
        for r in read_current("education")
        if r["O*NET-SOC Code"] == code and r["Scale ID"] == "RL" and float(r["Data Value"]) > 0
    ]
    rows.sort(key=lambda r: (-float(r["Data Value"]), int(r["Category"])))
    titles = {
        int(r["Category"]): r["Category Description"].split(" - ")[0]
        for r in read_current("education_categories")
        if r["Scale ID"] == "RL"
    }
    body = ok(current_client, f"/online/occupations/{code}/details/education")
    assert [(e["code"], e["title"], e["percentage_of_respondents"]) for e in body["response"]] == [
        (int(r["Category"]), titles[int(r["Category"])], math.floor(float(r["Data Value"]) + 0.5)) for r in rows
    ]


@pytest.mark.parametrize("code", CODES)
def test_details_job_zone_is_job_zones_csv(current_client, code):
    zone = next(int(r["Job Zone"]) for r in read_current("job_zones") if r["O*NET-SOC Code"] == code)
    ref = next(r for r in read_current("job_zone_reference") if int(r["Job Zone"]) == zone)
    body = ok(current_client, f"/online/occupations/{code}/details/job_zone")
    assert body == {
        "code": zone,
        "title": ref["Name"],
        "education": ref["Education"],
        "related_experience": ref["Experience"],
        "job_training": ref["Job Training"],
        "job_zone_examples": ref["Examples"],
        "svp_range": ref["SVP Range"],
    }


def test_job_zone_reference_has_four_zones(current_client):
    """30.2 merged Job Zones 1 and 2 ("Job Zone 1-2", value 2)."""
    assert sorted(int(r["Job Zone"]) for r in read_current("job_zone_reference")) == [2, 3, 4, 5]
    assert ok(current_client, "/database/rows/job_zone_reference")["total"] == 4


@pytest.mark.parametrize("keyword,code", [("registered nurse", NURSES), ("software developer", SOFTWARE)])
def test_search_finds_occupations_on_both(any_client, keyword, code):
    body = ok(any_client, "/online/search", keyword=keyword)
    assert body["occupation"][0]["code"] == code


def test_build_meta_records_the_release(current_db_path):
    meta = dict(sql(current_db_path, "SELECT key, value FROM meta"))
    assert meta["onet_version"] == "30.3" and meta["onet_release_date"] == "May 2026"
    assert (meta["onet_layout"], meta["onet_edition"]) == ("current", "csv")
    assert set(meta["onet_absent_files"].split(",")) == set(ABSENT_30_3.values())
    assert meta["onet_unknown_files"] == ""
    assert set(meta["onet_tables"].split(",")) == set(current_ids())


def test_row_counts_of_every_table_are_the_csv_rows(current_db_path):
    registered = dict(sql(current_db_path, "SELECT table_id, row_count FROM meta_tables WHERE source = 'onet'"))
    assert sorted(registered) == current_ids()
    for table_id in current_ids():
        with open(CURRENT_DIR / f"{table_id}.csv", encoding="utf-8-sig", newline="") as fh:
            expected = sum(1 for _ in csv.reader(fh)) - 1
        assert registered[table_id] == expected, table_id
        assert sql(current_db_path, f'SELECT count(*) FROM "{table_id}"') == [(expected,)], table_id
    for table_id in ABSENT_30_3:  # kept (empty) for the services, not listed
        assert sql(current_db_path, f'SELECT count(*) FROM "{table_id}"') == [(0,)]


# -- the 30.3 layout in every edition and container (generated fixture) ---------------------------------------

CONTAINERS = [(edition, zipped) for edition in fx.EDITIONS for zipped in (False, True)]


@pytest.fixture(scope="module")
def fixture_builds(tmp_path_factory) -> dict[tuple[str, bool], Path]:
    """The fixture release built from each edition, as a folder and as a zip."""
    root = tmp_path_factory.mktemp("current-editions")
    out = {}
    for edition, zipped in CONTAINERS:
        source = fx.write_release(root / f"{edition}-{'zip' if zipped else 'folder'}", edition, zipped)
        target = root / f"{edition}-{zipped}.sqlite"
        meta = build(target, {"onet": str(source)})
        assert (meta["onet_version"], meta["onet_release_date"]) == (fx.VERSION, fx.RELEASE_DATE)
        assert (meta["onet_layout"], meta["onet_edition"]) == ("current", edition)
        out[(edition, zipped)] = target
    return out


def _contents(db: Path) -> dict[str, list]:
    """Everything a build holds that the editions could change: registered tables, their columns, every row (as
    repr, so 4 and 4.0 differ), the service tables and the search index."""
    out: dict[str, list] = {
        "meta_tables": sql(
            db, "SELECT table_id, title, description, source, row_count, position FROM meta_tables ORDER BY position"
        ),
        "meta_columns": sql(db, "SELECT * FROM meta_columns ORDER BY table_id, position"),
    }
    tables = [
        r[0]
        for r in sql(
            db,
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT IN ('meta')",
        )
    ]
    for table in tables:
        out[table] = [repr(r) for r in sql(db, f'SELECT * FROM "{table}"')]
    return out


def test_fixture_has_the_absent_files_in_their_layout():
    assert set(fx.ABSENT_FROM_SHARED) == set(ABSENT_30_3) <= set(fx.BY_ID)
    assert fx.BY_ID["job_titles"].header == ("O*NET-SOC Code", "Title", "Job Title", "Short Title", "Source(s)")
    assert fx.BY_ID["tasks_to_dwas"].header == (
        "O*NET-SOC Code",
        "Title",
        "Task ID",
        "Task",
        "DWA Element ID",
        "DWA Element Name",
        "Date",
        "Domain Source",
    )
    assert fx.BY_ID["specific_interest_areas"].header == tuple(csv_header("career_interest_types"))
    assert fx.BY_ID["training_and_experience"].header == tuple(csv_header("education"))
    assert fx.BY_ID["work_activities"].header == tuple(csv_header("abilities"))
    assert fx.BY_ID["work_context"].header == tuple(
        csv_header("abilities")[:6] + ["Category"] + csv_header("abilities")[6:]
    )
    for table in fx.TABLES:  # the generated files of the shared ones have the shared files' headers
        if (CURRENT_DIR / f"{table.table_id}.csv").exists():
            assert list(table.header) == csv_header(table.table_id), table.table_id
    text = fx.release_files("text")
    assert text["Job Titles.txt"].startswith(b"O*NET-SOC Code\tJob Title\tShort Title\tSource(s)\r\n")
    assert b"\tn/a\t" in text["Job Titles.txt"]
    csv_files = fx.release_files("csv")
    assert b'"Developer, Applications"' in csv_files["job_titles.csv"]
    assert b'"Fixture task: review ""legacy"" code."' in csv_files["task_ratings.csv"]


@pytest.mark.parametrize(
    "edition,zipped", CONTAINERS[1:], ids=[f"{e}-{'zip' if z else 'folder'}" for e, z in CONTAINERS[1:]]
)
def test_every_edition_and_container_builds_the_same_database(fixture_builds, edition, zipped):
    reference = _contents(fixture_builds[("text", False)])
    other = _contents(fixture_builds[(edition, zipped)])
    assert list(other) == list(reference)
    for key in reference:
        assert other[key] == reference[key], key


def test_fixture_tables_have_the_fixture_rows(fixture_builds):
    db = fixture_builds[("csv", True)]
    registered = dict(sql(db, "SELECT table_id, row_count FROM meta_tables"))
    # besides the release's tables, the two lists shipped in the package (a build with no supplementary folder)
    packaged = {"ip_questions": 60, "mpp_careers": 52, "mpp_also_called": 459}
    assert {k: registered.pop(k, None) for k in packaged} == packaged
    assert registered == {t.table_id: len(t.rows) for t in fx.TABLES}
    titles = sql(db, "SELECT onetsoc_code, job_title, short_title, sources FROM job_titles")
    assert titles == [(r[0], r[1], r[2] or None, r[3]) for r in fx.BY_ID["job_titles"].rows]
    assert sql(db, "SELECT title FROM meta_columns WHERE table_id = 'task_ratings' ORDER BY position")[:4] == [
        ("O*NET-SOC Code",),
        ("Task ID",),
        ("Scale ID",),
        ("Category",),
    ]  # Title, Task, Scale Name dropped
    assert sql(db, "SELECT date_updated FROM specific_interest_areas LIMIT 1") == [("02/2026",)]


@pytest.fixture(scope="module")
def fixture_client(fixture_builds, tmp_path_factory):
    keys = tmp_path_factory.mktemp("fixture-keys") / "keys.sqlite"
    app = create_app(Settings(db_path=fixture_builds[("json", True)], keys_db_path=keys, auth=False, rate_limit=None))
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize(
    "keyword,code",
    [("Zephyrware", SOFTWARE), ("quillfeather nurse", NURSES), ("head honcho", "11-1011.00"), ("app dev", SOFTWARE)],
)
def test_job_titles_feed_search(fixture_client, keyword, code):
    body = ok(fixture_client, "/online/search", keyword=keyword)
    assert [o["code"] for o in body["occupation"]][:1] == [code]


def test_tasks_to_dwas_feed_detailed_work_activities(fixture_client):
    links = [r for r in fx.BY_ID["tasks_to_dwas"].rows if r[0] == SOFTWARE]
    body = ok(fixture_client, f"/online/occupations/{SOFTWARE}/details/detailed_work_activities")
    assert sorted((a["id"], a["title"]) for a in body["activity"]) == sorted((r[2], r[3]) for r in links)
    activities = ok(fixture_client, f"/online/related_activities/activities/{SOFTWARE}")
    assert sorted(a["id"] for a in activities) == sorted(r[2] for r in links)
    related = ok(fixture_client, f"/online/related_activities/results/{NURSES}", activities="4.A.1.a.1.a.1")
    assert related["total"] == 0  # no other occupation does it
    assert ok(fixture_client, "/database/rows/tasks_to_dwas")["total"] == len(fx.BY_ID["tasks_to_dwas"].rows)


def test_tasks_to_dwas_is_the_task_dwas_service_table(fixture_builds):
    db = fixture_builds[("text", False)]
    assert sql(db, "SELECT onetsoc_code, task_id, dwa_id FROM task_dwas ORDER BY task_id") == [
        (r[0], int(r[1]), r[2]) for r in fx.BY_ID["tasks_to_dwas"].rows
    ]


def test_task_ratings_work_activities_and_context_feed_reports(fixture_client):
    tasks = ok(fixture_client, f"/online/occupations/{SOFTWARE}/details/tasks")["task"]
    assert [(t["id"], t["importance"]) for t in tasks] == [("90001", trunc(4.5, 1, 5)), ("90002", trunc(3.25, 1, 5))]
    activities = ok(fixture_client, f"/online/occupations/{SOFTWARE}/details/work_activities")["element"]
    assert [(e["id"], e["importance"], e["level"]) for e in activities] == [
        ("4.A.3.b.1", trunc(4.9, 1, 5), trunc(5.8, 0, 7)),
        ("4.A.1.a.1", trunc(4.1, 1, 5), trunc(4.4, 0, 7)),
    ]
    context = ok(fixture_client, f"/online/occupations/{SOFTWARE}/details/work_context")["element"][0]
    assert context["context"] == trunc(2.1, 1, 5)
    assert [r["percentage_of_respondents"] for r in context["response"]] == [30, 40, 30]


def test_dropped_sections_answer_404_on_the_current_layout(fixture_client):
    for section in ("work_values", "tools_used"):
        response = fixture_client.get(f"/online/occupations/{SOFTWARE}/details/{section}")
        assert response.status_code == 404 and "30.3" in response.json()["error"]


# -- a folder mixing the two layouts -------------------------------------------------------------------------


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_a_mixed_folder_fails_and_keeps_the_previous_database(tmp_path, zipped):
    target = tmp_path / "db" / "onet.sqlite"
    build(target, {"onet": str(fx.write_release(tmp_path / "good", "csv"))})
    before = target.read_bytes()
    files = fx.release_files("csv")
    files["skills.csv"] = files["essential_skills.csv"]  # a 30.1 table beside the 30.3 ones
    files["technology_skills.csv"] = b"O*NET-SOC Code,Example,Commodity Code,Commodity Title,Hot Technology\r\n"
    mixed = fx.write_release(tmp_path / "mixed", "csv", zipped, files)
    with pytest.raises(BuildError) as err:
        build(target, {"onet": str(mixed)})
    message = str(err.value)
    assert "two layouts" in message and "skills" in message and "essential_skills" in message, message
    assert target.read_bytes() == before
    assert list(target.parent.glob(f".{target.name}.tmp-*")) == []
