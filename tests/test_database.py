"""Database services (`/database/...`) on the real release: list, info, rows with filters/sorts, export,
and hostile input (injection attempts answer 422 or a correct empty result; the data never changes)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from urllib.parse import quote

import orjson
import pytest

from conftest import ONET_DIR, SHARED, read_release
from onetlocal.releases import LEGACY, files_of

TABLE_FILES = {spec.table_id: spec.name for spec in files_of(LEGACY) if (ONET_DIR / f"{spec.name}.txt").exists()}


def _ym(date: str) -> tuple[int, int]:
    month, year = date.split("/")
    return int(year), int(month)


def _rows(client, table: str, params: list[tuple[str, str]] | None = None, **kw) -> dict:
    response = client.get(f"/database/rows/{table}", params=list(params or []) + list(kw.items()))
    assert response.status_code == 200, response.text
    return response.json()


def _all_rows(client, table: str, params: list[tuple[str, str]]) -> list[dict]:
    """Every matching row, walking pages of 2000 through the `next` links."""
    body = _rows(client, table, params + [("end", "2000")])
    rows = body["row"]
    while "next" in body:
        body = client.get(body["next"]).json()
        rows += body["row"]
    assert len(rows) == body["total"]
    return rows


def _error(response, status: int = 422) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()["error"]


# -- list and info -----------------------------------------------------------------------------------


LIST_KEYS = {"info", "rows", "table_id", "title", "description"}  # evidence Part 2 §3 (captured)
INFO_KEYS = {"table_id", "title", "description", "rows", "data_dictionary", "download", "column"}  # ditto
COLUMN_KEYS = {"column_id", "title", "type", "optional", "description"}  # + format on Date columns (spec §6)


def test_list_is_a_top_level_array_of_tables(client):
    body = client.get("/database/").json()
    assert isinstance(body, list)
    by_id = {t["table_id"]: t for t in body}
    assert len(by_id) == len(body)
    for entry in body:
        assert set(entry) == LIST_KEYS
        assert list(entry) == ["info", "rows", "table_id", "title", "description"]  # the captured order
    for table, name in TABLE_FILES.items():
        entry = by_id[table]
        assert entry["title"] == name
        assert entry["info"] == f"http://testserver/database/info/{table}"
        assert entry["rows"] == f"http://testserver/database/rows/{table}"
        assert _rows(client, table, end="1")["total"] == len(read_release(name))
    assert client.get("/database").json() == body


def test_list_has_the_hosted_ids_after_the_release_tables(client):
    """On a release before 30.3 the hosted ids it can answer (releases.ALIASES) follow the release's own tables."""
    ids = [t["table_id"] for t in client.get("/database/").json()]
    hosted = [ids.index(t) for t in ("essential_skills", "transferable_skills", "software_skills")]
    assert hosted == sorted(hosted) and hosted[0] > max(ids.index(t) for t in TABLE_FILES)
    entry = next(t for t in client.get("/database/").json() if t["table_id"] == "essential_skills")
    # the captured list entry, on our base URL
    assert entry == {
        "info": "http://testserver/database/info/essential_skills",
        "rows": "http://testserver/database/rows/essential_skills",
        "table_id": "essential_skills",
        "title": "Essential Skills",
        "description": "Provide essential skills ratings.",
    }


@pytest.mark.parametrize("table", [*TABLE_FILES, "essential_skills", "software_skills", "bright_outlook"])
def test_info_has_exactly_the_captured_keys(client, table):
    body = client.get(f"/database/info/{table}").json()
    assert set(body) == INFO_KEYS
    assert list(body) == ["table_id", "title", "description", "rows", "data_dictionary", "download", "column"]
    assert list(body["download"]) == ["excel", "text"]  # spec-derived pair (Part 2 §5); the capture shows excel
    for column in body["column"]:
        assert set(column) == COLUMN_KEYS | ({"format"} if column["type"] == "Date" else set())


def test_info_links(client):
    skills = client.get("/database/info/skills").json()
    assert skills["data_dictionary"] == "https://onetcenter.org/dictionary/30.1/mssql/skills.html"
    assert skills["download"] == {
        "excel": "http://testserver/database/rows/skills?format=excel",
        "text": "http://testserver/database/rows/skills?format=text",
    }
    hosted = client.get("/database/info/essential_skills").json()
    # captured: "data_dictionary":"https://onetcenter.org/dictionary/api/essential_skills"
    assert hosted["data_dictionary"] == "https://onetcenter.org/dictionary/api/essential_skills"
    assert hosted["title"] == "Essential Skills" and hosted["description"] == "Provide essential skills ratings."
    supplementary = client.get("/database/info/bright_outlook").json()
    assert supplementary["data_dictionary"] == "http://testserver/database/info/bright_outlook"


def test_download_text_is_the_release_file_layout(client):
    url = client.get("/database/info/job_zones").json()["download"]["text"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/tab-separated-values")
    assert 'filename="job_zones.txt"' in response.headers["content-disposition"]
    lines = response.text.splitlines()
    source = (ONET_DIR / "Job Zones.txt").read_text(encoding="utf-8-sig").splitlines()
    assert lines == source  # text and integers only: byte for byte


def test_download_excel_is_a_workbook_of_every_row(client):
    from openpyxl import load_workbook

    url = client.get("/database/info/task_statements").json()["download"]["excel"]
    assert url == "http://testserver/database/rows/task_statements?format=excel"
    url += "&filter=onetsoc_code.startswith.15-"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="task_statements.xlsx"' in response.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    source = [r for r in read_release("Task Statements") if r["O*NET-SOC Code"].startswith("15-")]
    assert list(rows[0]) == list(source[0])  # the release's column titles
    assert len(rows) - 1 == len(source)
    assert [(r[0], r[1], r[2], r[4]) for r in rows[1:]] == [
        (
            s["O*NET-SOC Code"],
            int(s["Task ID"]),
            s["Task"],
            None if s["Incumbents Responding"] == "n/a" else float(s["Incumbents Responding"]),
        )
        for s in source
    ]
    empty = client.get(url.replace("onetsoc_code.startswith.15-", "task.eq.none"))
    empty_book = load_workbook(io.BytesIO(empty.content), read_only=True)
    assert list(empty_book.active.iter_rows(values_only=True)) == [rows[0]]


# -- against the capture's text (evidence.md Part 2 §3) ---------------------------------------------------

EVIDENCE = SHARED.parent / "spec" / "evidence.md"
HOSTED = "https://api-v2.onetcenter.org"


def _captured(after: str) -> str:
    """The JSON line following the evidence bullet that starts with `after`."""
    if not EVIDENCE.exists():
        pytest.skip("no ../shared/spec/evidence.md")
    lines = EVIDENCE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(after))
    return next(line for line in lines[start + 1 :] if line.startswith(("[", "{")))


def test_list_entry_equals_the_captured_one(client):
    text = _captured('- `GET database` ("Captured')
    captured = orjson.loads(text.replace(", ...]", "]"))[0]
    ours = next(t for t in client.get("/database/").json() if t["table_id"] == captured["table_id"])
    assert list(ours) == list(captured)
    assert ours == {k: v.replace(HOSTED, "http://testserver") for k, v in captured.items()}


def test_info_keys_equal_the_captured_ones(client):
    text = _captured("- `GET database/info/essential_skills`")
    top = re.sub(r":\{[^{}]*\}", ":0", text.split('"column"')[0])  # nested objects (download) out
    captured_keys = re.findall(r'[{,]"(\w+)":', top) + ["column"]
    body = client.get("/database/info/essential_skills").json()
    assert list(body) == captured_keys
    for key in ("table_id", "title", "description", "data_dictionary"):
        assert f'"{key}":"{body[key]}"' in text
    assert f'"rows":"{body["rows"].replace("http://testserver", HOSTED)}"' in text


# -- hosted v2 table ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hosted,branch", [("essential_skills", "2.A."), ("transferable_skills", "2.B.")])
def test_essential_and_transferable_skills_are_the_branches_of_skills(client, hosted, branch):
    """30.3 split Skills by element branch: on 30.1 the hosted ids answer the 2.A / 2.B rows of skills."""
    skills = client.get("/database/info/skills").json()["column"]
    assert client.get(f"/database/info/{hosted}").json()["column"] == skills
    f = [("filter", "onetsoc_code.eq.15-1252.00"), ("filter", "scale_id.eq.IM"), ("sort", "data_value.descending")]
    rows = _all_rows(client, hosted, f)
    assert rows == [r for r in _all_rows(client, "skills", f) if r["element_id"].startswith(branch)]
    source = [
        r
        for r in read_release("Skills")
        if r["O*NET-SOC Code"] == "15-1252.00" and r["Scale ID"] == "IM" and r["Element ID"].startswith(branch)
    ]
    assert sorted((r["element_id"], r["data_value"]) for r in rows) == sorted(
        (r["Element ID"], float(r["Data Value"])) for r in source
    )
    in_branch = sum(1 for r in read_release("Skills") if r["Element ID"].startswith(branch))
    assert _rows(client, hosted, end="1")["total"] == in_branch > 0
    assert _rows(client, hosted, filter=f"element_id.startswith.{'2.B' if branch == '2.A.' else '2.A'}")["total"] == 0


def test_the_two_skill_ids_together_are_skills(client):
    total = _rows(client, "skills", end="1")["total"]
    assert total == len(read_release("Skills"))
    assert (
        _rows(client, "essential_skills", end="1")["total"] + _rows(client, "transferable_skills", end="1")["total"]
        == total
    )


def test_software_skills_uses_the_hosted_column_names(client):
    columns = [c["column_id"] for c in client.get("/database/info/software_skills").json()["column"]]
    # evidence Part 2 §7: {onetsoc_code, workplace_example, element_name (category), hot_technology, in_demand};
    # the 30.3 file's columns (releases.ALIASES): the category's id is element_id (a UNSPSC code on 30.1)
    assert columns == ["onetsoc_code", "workplace_example", "element_id", "element_name", "hot_technology", "in_demand"]
    assert (
        _rows(client, "software_skills", filter="element_id.eq.43232306")["total"]
        == sum(1 for r in read_release("Technology Skills") if r["Commodity Code"] == "43232306")
        > 0
    )
    source = [
        r
        for r in read_release("Technology Skills")
        if r["O*NET-SOC Code"] == "29-1141.00" and r["Hot Technology"] == "Y"
    ]
    rows = _all_rows(
        client,
        "software_skills",
        [
            ("filter", "onetsoc_code.eq.29-1141.00"),
            ("filter", "hot_technology.eq.Y"),
            ("sort", "element_name"),
            ("sort", "workplace_example.descending"),
        ],
    )
    expected = sorted(source, key=lambda r: r["Example"], reverse=True)
    expected = sorted(expected, key=lambda r: r["Commodity Title"])
    assert [(r["workplace_example"], r["element_name"], r["hot_technology"], r["in_demand"]) for r in rows] == [
        (r["Example"], r["Commodity Title"], r["Hot Technology"], r["In Demand"]) for r in expected
    ]
    assert {
        r["in_demand"] for r in _all_rows(client, "software_skills", [("filter", "onetsoc_code.eq.15-1252.00")])
    } <= {"Y", "N"}
    body = _rows(client, "software_skills", [("filter", "workplace_example.contains.excel")])
    assert body["total"] == sum(1 for r in read_release("Technology Skills") if "excel" in r["Example"].lower())


def test_software_skills_rejects_the_release_column_names(client):
    assert "example" in _error(client.get("/database/rows/software_skills", params={"filter": "example.eq.x"}))
    assert "commodity_title" in _error(client.get("/database/rows/software_skills", params={"sort": "commodity_title"}))
    assert "commodity_code" in _error(
        client.get("/database/rows/software_skills", params={"filter": "commodity_code.eq.43232306"})
    )
    # ...which still work on the release id
    assert _rows(client, "technology_skills", filter="example.eq.Python")["total"] > 0


def test_software_skills_exports_with_hosted_names(client):
    response = client.get(
        "/database/rows/software_skills", params={"format": "csv", "filter": "onetsoc_code.eq.15-1252.00"}
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [
        "onetsoc_code",
        "workplace_example",
        "element_id",
        "element_name",
        "hot_technology",
        "in_demand",
    ]
    assert len(rows) == sum(1 for r in read_release("Technology Skills") if r["O*NET-SOC Code"] == "15-1252.00")
    assert 'filename="software_skills.csv"' in response.headers["content-disposition"]


@pytest.mark.parametrize("table", ["skills", "task_statements", "job_zones", "technology_skills", "occupation_data"])
def test_info_lists_columns_with_types(client, table):
    body = client.get(f"/database/info/{table}").json()
    header = (ONET_DIR / f"{TABLE_FILES[table]}.txt").read_text(encoding="utf-8-sig").splitlines()[0].split("\t")
    assert [c["title"] for c in body["column"]] == header
    assert body["table_id"] == table and body["rows"].endswith(f"/database/rows/{table}")
    for column in body["column"]:
        assert column["type"] in ("Text", "Number", "Date")
        assert isinstance(column["optional"], bool)
        assert (column.get("format") == "MM/YYYY") == (column["type"] == "Date")


def test_info_types_and_optional_flags(client):
    skills = {c["column_id"]: c for c in client.get("/database/info/skills").json()["column"]}
    assert skills["data_value"]["type"] == "Number"
    assert skills["onetsoc_code"]["type"] == "Text"
    assert skills["date_updated"]["type"] == "Date"
    assert skills["not_relevant"]["optional"] is True  # 'n/a' for IM rows
    assert skills["scale_id"]["optional"] is False
    tasks = {c["column_id"]: c for c in client.get("/database/info/task_statements").json()["column"]}
    assert tasks["task_id"]["type"] == "Number"
    assert tasks["incumbents_responding"]["optional"] is True


@pytest.mark.parametrize(
    "table",
    [
        "work_activities",
        "nope",
        "skills;DROP TABLE skills",
        "meta",
        "meta_tables",
        "sqlite_master",
        "Skills",
        "skills ",
    ],
)
def test_unknown_or_internal_table_is_422(client, table):
    assert "table" in _error(client.get(f"/database/info/{table}"))
    assert "table" in _error(client.get(f"/database/rows/{table}"))


# -- rows: filters ---------------------------------------------------------------------------------------

Pred = Callable[[dict], bool]

FILTER_CASES: list[tuple[str, list[str], Pred]] = [
    (
        "skills",
        ["onetsoc_code.eq.15-1252.00", "scale_id.eq.IM"],
        lambda r: r["O*NET-SOC Code"] == "15-1252.00" and r["Scale ID"] == "IM",
    ),
    ("skills", ["scale_id.ne.IM"], lambda r: r["Scale ID"] != "IM"),
    (
        "skills",
        ["data_value.gt.4.5", "scale_id.eq.LV"],
        lambda r: float(r["Data Value"]) > 4.5 and r["Scale ID"] == "LV",
    ),
    ("skills", ["data_value.ge.4.5"], lambda r: float(r["Data Value"]) >= 4.5),
    ("skills", ["data_value.lt.1"], lambda r: float(r["Data Value"]) < 1),
    (
        "skills",
        ["data_value.le.1", "element_id.startswith.2.B"],
        lambda r: float(r["Data Value"]) <= 1 and r["Element ID"].startswith("2.B"),
    ),
    ("skills", ["not_relevant.eq.Y"], lambda r: r["Not Relevant"] == "Y"),
    ("task_statements", ["task.contains.PATIENT"], lambda r: "patient" in r["Task"].lower()),
    (
        "task_statements",
        ["task_type.eq.Supplemental", "onetsoc_code.startswith.29-"],
        lambda r: r["Task Type"] == "Supplemental" and r["O*NET-SOC Code"].startswith("29-"),
    ),
    ("task_statements", ["task_id.le.8000"], lambda r: int(r["Task ID"]) <= 8000),
    (
        "task_statements",
        ["incumbents_responding.ge.90"],
        lambda r: r["Incumbents Responding"] != "n/a" and float(r["Incumbents Responding"]) >= 90,
    ),
    ("task_statements", ["date_updated.ge.08/2023"], lambda r: _ym(r["Date"]) >= (2023, 8)),
    ("task_statements", ["date_updated.lt.1/2010"], lambda r: _ym(r["Date"]) < (2010, 1)),
    (
        "task_statements",
        ["date_updated.eq.08/2023", "task_type.eq.Core"],
        lambda r: r["Date"] == "08/2023" and r["Task Type"] == "Core",
    ),
    ("job_zones", ["job_zone.eq.5"], lambda r: r["Job Zone"] == "5"),
    ("job_zones", ["job_zone.ne.5", "job_zone.gt.2"], lambda r: 2 < int(r["Job Zone"]) != 5),
    (
        "technology_skills",
        ["hot_technology.eq.Y", "in_demand.eq.Y"],
        lambda r: r["Hot Technology"] == "Y" and r["In Demand"] == "Y",
    ),
    ("technology_skills", ["example.contains.excel"], lambda r: "excel" in r["Example"].lower()),
    (
        "technology_skills",
        ["commodity_code.ge.43232600", "commodity_code.lt.43232700"],
        lambda r: 43232600 <= int(r["Commodity Code"]) < 43232700,
    ),
    ("occupation_data", ["title.startswith.software"], lambda r: r["Title"].lower().startswith("software")),
    ("occupation_data", ["title.endswith.Developers"], lambda r: r["Title"].lower().endswith("developers")),
    ("occupation_data", ["description.contains.100%"], lambda r: "100%" in r["Description"]),
    ("occupation_data", ["title.contains._"], lambda r: "_" in r["Title"]),  # LIKE wildcards are literal
    ("occupation_data", ["onetsoc_code.eq.15-1252.00"], lambda r: r["O*NET-SOC Code"] == "15-1252.00"),
]


@pytest.mark.parametrize("table,filters,pred", FILTER_CASES, ids=[" & ".join(c[1]) for c in FILTER_CASES])
def test_filter_counts_match_the_source_file(client, table, filters, pred):
    expected = sum(1 for r in read_release(TABLE_FILES[table]) if pred(r))
    body = _rows(client, table, [("filter", f) for f in filters])
    assert body["total"] == expected
    assert len(body["row"]) == min(20, expected)
    assert body["end"] == min(20, expected)


def test_rows_envelope_keys(client):
    first = _rows(client, "skills", end="2")
    assert list(first) == ["start", "end", "total", "next", "row"]
    middle = _rows(client, "skills", start="3", end="4")
    assert list(middle) == ["start", "end", "total", "prev", "next", "row"]
    assert set(middle["row"][0]) == {c["column_id"] for c in client.get("/database/info/skills").json()["column"]}


def test_filtered_rows_are_the_source_rows(client):
    source = [r for r in read_release("Task Statements") if r["O*NET-SOC Code"] == "15-1252.00"]
    rows = _all_rows(client, "task_statements", [("filter", "onetsoc_code.eq.15-1252.00")])
    assert [(r["task_id"], r["task"], r["task_type"], r["date_updated"]) for r in rows] == [
        (int(s["Task ID"]), s["Task"], None if s["Task Type"] == "n/a" else s["Task Type"], s["Date"]) for s in source
    ]


def test_numbered_filter_and_sort_are_ignored_like_any_unknown_parameter(client):
    """Decision (issue 18): `filter1=`/`sort1=` (one v2 script's spelling, unverified, its result unused) are not
    `filter`/`sort`: ignored as every undeclared parameter is, and kept in `next` as sent."""
    plain = _rows(client, "job_zones", end="5")
    numbered = _rows(client, "job_zones", filter1="onetsoc_code.eq.15-1252.00", sort1="job_zone.descending", end="5")
    assert numbered["row"] == plain["row"] and numbered["total"] == plain["total"] > 1
    assert numbered["next"].endswith("?filter1=onetsoc_code.eq.15-1252.00&sort1=job_zone.descending&start=6&end=10")


# -- rows: sort -----------------------------------------------------------------------------------------


def test_sort_descending_and_ascending_numbers(client):
    source = sorted(float(r["Data Value"]) for r in read_release("Skills") if r["O*NET-SOC Code"] == "15-1252.00")
    f = [("filter", "onetsoc_code.eq.15-1252.00")]
    desc = _all_rows(client, "skills", f + [("sort", "data_value.descending")])
    asc = _all_rows(client, "skills", f + [("sort", "data_value.ascending")])
    plain = _all_rows(client, "skills", f + [("sort", "data_value")])
    assert [r["data_value"] for r in desc] == source[::-1]
    assert [r["data_value"] for r in asc] == source == [r["data_value"] for r in plain]


def test_sort_is_numeric_for_number_columns(client):
    ids = sorted(int(r["Task ID"]) for r in read_release("Task Statements"))
    body = _rows(client, "task_statements", sort="task_id", end="2000")
    assert [r["task_id"] for r in body["row"]] == ids[:2000]
    body = _rows(client, "task_statements", sort="task_id.descending", end="5")
    assert [r["task_id"] for r in body["row"]] == ids[::-1][:5]


def test_multiple_sorts(client):
    source = [r for r in read_release("Skills") if r["O*NET-SOC Code"] == "29-1141.00"]
    expected = sorted(source, key=lambda r: (r["Scale ID"], -float(r["Data Value"])))
    rows = _all_rows(
        client,
        "skills",
        [("filter", "onetsoc_code.eq.29-1141.00"), ("sort", "scale_id"), ("sort", "data_value.descending")],
    )
    assert [(r["scale_id"], r["data_value"]) for r in rows] == [
        (r["Scale ID"], float(r["Data Value"])) for r in expected
    ]


def test_sort_dates_chronologically(client):
    dates = sorted({_ym(r["Date"]) for r in read_release("Task Statements")})
    first = _rows(client, "task_statements", sort="date_updated", end="1")["row"][0]
    last = _rows(client, "task_statements", sort="date_updated.descending", end="1")["row"][0]
    assert _ym(first["date_updated"]) == dates[0]
    assert _ym(last["date_updated"]) == dates[-1]


def test_sort_text(client):
    titles = sorted((r["Title"] for r in read_release("Occupation Data")), reverse=True)
    body = _rows(client, "occupation_data", sort="title.descending", end="10")
    assert [r["title"] for r in body["row"]] == titles[:10]


# -- bad filters and sorts ------------------------------------------------------------------------------

BAD = [
    ("filter", "onetsoc_code"),  # no operator
    ("filter", "onetsoc_code.eq"),  # no value
    ("filter", "nope.eq.1"),
    ("filter", "onetsoc_code.like.15%"),
    ("filter", "onetsoc_code.lt.15-1252.00"),  # ordering ops are for numbers and dates
    ("filter", "data_value.eq.high"),
    ("filter", "data_value.gt."),
    ("filter", "date_updated.eq.2023-08"),
    ("filter", "date_updated.ge.13"),
    ("sort", "nope"),
    ("sort", "title.sideways"),
    ("sort", ""),
    ("format", "xml"),
    ("format", "CSV"),
]


@pytest.mark.parametrize("name,value", BAD, ids=[f"{n}={v}" for n, v in BAD])
def test_bad_filter_sort_format_is_422(client, name, value):
    table = "skills" if "data_value" in value or "date" in value else "occupation_data"
    message = _error(client.get(f"/database/rows/{table}", params={name: value}))
    assert name in message


# -- injection attempts ----------------------------------------------------------------------------------

INJECTIONS_422 = [
    ("/database/rows/skills;DROP TABLE skills", {}),
    ("/database/rows/skills%20--", {}),
    ('/database/rows/"x" UNION SELECT 1', {}),
    ("/database/rows/occupation_data", {"filter": '"x" UNION SELECT * FROM meta.eq.1'}),
    ("/database/rows/occupation_data", {"filter": "title; DROP TABLE occupation_data.eq.x"}),
    ("/database/rows/occupation_data", {"filter": "title.eq or 1=1.x"}),
    ("/database/rows/occupation_data", {"sort": "title; DROP TABLE occupation_data"}),
    ("/database/rows/occupation_data", {"sort": '"x" UNION SELECT 1'}),
    ("/database/rows/occupation_data", {"sort": "title.descending, rowid"}),
    ("/database/rows/occupation_data", {"sort": "rowid"}),
    ("/database/rows/occupation_data", {"sort": "(SELECT 1)"}),
    ("/database/rows/skills", {"filter": "data_value.gt.0 OR 1=1"}),
]

INJECTIONS_EMPTY = [
    "onetsoc_code.eq.' OR 1=1--",
    'onetsoc_code.eq." OR ""="',
    "title.contains.%' OR '1'='1",
    "title.startswith.x'; DROP TABLE occupation_data;--",
    'title.eq.x" UNION SELECT key, value, 1 FROM meta--',
    "description.endswith.%",
]


@pytest.mark.parametrize("path,params", INJECTIONS_422)
def test_injection_in_names_is_422_and_data_unchanged(client, db, path, params):
    before = db.scalar("SELECT count(*) FROM occupation_data"), db.scalar("SELECT count(*) FROM skills")
    _error(client.get(path, params=params))
    assert (db.scalar("SELECT count(*) FROM occupation_data"), db.scalar("SELECT count(*) FROM skills")) == before


@pytest.mark.parametrize("value", INJECTIONS_EMPTY)
def test_injection_in_values_is_just_a_value(client, db, value):
    before = db.scalar("SELECT count(*) FROM occupation_data")
    body = _rows(client, "occupation_data", filter=value)
    assert body == {"start": 1, "end": 0, "total": 0, "row": []}
    assert db.scalar("SELECT count(*) FROM occupation_data") == before
    assert db.table_exists("occupation_data")


# -- export ------------------------------------------------------------------------------------------------


def test_export_csv_streams_every_matching_row(client):
    expected = [r for r in read_release("Skills") if r["Scale ID"] == "IM" and float(r["Data Value"]) >= 3]
    response = client.get(
        "/database/rows/skills", params=[("filter", "scale_id.eq.IM"), ("filter", "data_value.ge.3"), ("format", "csv")]
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="skills.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(expected) > 2000
    assert rows[0]["onetsoc_code"] == expected[0]["O*NET-SOC Code"]
    assert float(rows[0]["data_value"]) == float(expected[0]["Data Value"])
    assert list(rows[0]) == [c["column_id"] for c in client.get("/database/info/skills").json()["column"]]


def test_export_jsonl_whole_table_with_sort(client):
    source = read_release("Occupation Data")
    response = client.get("/database/rows/occupation_data", params={"format": "jsonl", "sort": "title"})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = [orjson.loads(line) for line in response.content.splitlines()]
    assert len(rows) == len(source)
    assert [r["title"] for r in rows] == sorted(r["Title"] for r in source)
    assert rows[0].keys() == {"onetsoc_code", "title", "description"}


def test_export_empty_result(client):
    response = client.get("/database/rows/occupation_data", params={"format": "csv", "filter": "title.eq.zzz"})
    assert response.status_code == 200
    assert response.text.strip() == "onetsoc_code,title,description"
    response = client.get("/database/rows/occupation_data", params={"format": "jsonl", "filter": "title.eq.zzz"})
    assert response.content == b""


def test_export_validates_filters_before_streaming(client):
    _error(client.get("/database/rows/skills", params={"format": "csv", "filter": "nope.eq.1"}))


# -- never a 500 ------------------------------------------------------------------------------------------

ODD_VALUES = [
    "",
    " ",
    "ü",
    "Ω≈ç√",
    "😀",
    "%00",
    "\x00",
    "a\x00b",
    "'",
    '"',
    "\\",
    "%",
    "_",
    "*",
    "..",
    "...",
    "x" * 5000,
    "9" * 400,
    "-0",
    "1e999",
    "nan",
    "²",
    "١٢",
    "\t\r\n",
    "<script>",
    "NULL",
    "true",
]
ODD_PARAMS = [
    *[("filter", f"title.contains.{v}") for v in ODD_VALUES],
    *[("filter", f"data_value.gt.{v}") for v in ODD_VALUES],
    *[("filter", f"date_updated.le.{v}") for v in ODD_VALUES],
    *[("filter", f"{v}.eq.1") for v in ODD_VALUES],
    *[("filter", f"title.{v}.x") for v in ODD_VALUES],
    *[("sort", v) for v in ODD_VALUES],
    *[("sort", f"title.{v}") for v in ODD_VALUES],
    *[("start", v) for v in ODD_VALUES],
    *[("end", v) for v in ODD_VALUES],
    *[("format", v) for v in ODD_VALUES],
]
ODD_PATHS = ["/database/rows/{}", "/database/info/{}"]


@pytest.fixture(scope="module")
def raw(app, api_key):
    """The real app answering as a server would (exceptions become responses instead of test errors)."""
    from starlette.testclient import TestClient

    with TestClient(app, headers={"X-API-Key": api_key}, raise_server_exceptions=False) as c:
        yield c


def _json_not_500(response) -> None:
    assert response.status_code != 500, response.text[:300]
    assert response.status_code < 500 or response.status_code == 503
    if response.headers.get("content-type", "").startswith("application/json"):
        response.json()
    else:  # only exports stream something else
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            ("text/csv", "application/x-ndjson")
        )


@pytest.mark.parametrize("table", ["skills", "occupation_data", "task_statements"])
def test_odd_query_params_never_500(raw, table):
    for name, value in ODD_PARAMS:
        response = raw.get(f"/database/rows/{table}", params=[(name, value)])
        _json_not_500(response)
        if response.status_code != 200:
            assert response.status_code == 422 and response.json()["error"], (name, value)


def test_odd_table_ids_never_500(raw):
    for template in ODD_PATHS:
        for value in ODD_VALUES:
            _json_not_500(raw.get(template.format(quote(value, safe=""))))
    _json_not_500(raw.get("/database/rows/%ff%fe"))
    _json_not_500(raw.get("/database/info/" + "%00" * 100))


def test_repeated_and_combined_params_never_500(raw):
    params = [
        ("start", "1"),
        ("start", "x"),
        ("end", "2"),
        ("end", "3"),
        ("sort", "title"),
        ("sort", "title"),
        ("filter", "title.contains.a"),
    ] * 20
    _json_not_500(raw.get("/database/rows/occupation_data", params=params))
    _json_not_500(raw.get("/database/rows/occupation_data?start&end&filter&sort"))
    _json_not_500(raw.get("/database/rows/occupation_data?filter=title.contains.%C0%AF&sort=%E2%80%AE"))
    _json_not_500(raw.get("/database/rows/occupation_data", params={"filter": "title.contains." + "%" * 16000}))
    _json_not_500(raw.get("/database/rows/occupation_data", params={"filter": "title.contains." + "é" * 7000}))


@pytest.mark.parametrize("path", ["/about/", "/about", "/database/", "/database"])
def test_unparameterised_routes_ignore_odd_params(raw, path):
    for value in ODD_VALUES:
        response = raw.get(path, params=[("x", value), ("start", value), ("x", value)])
        _json_not_500(response)
        assert response.status_code == 200


def test_no_database_yet_is_503_json(tmp_path):
    from starlette.testclient import TestClient

    from onetlocal.app import create_app
    from onetlocal.config import Settings

    app = create_app(Settings(db_path=tmp_path / "none.sqlite", keys_db_path=tmp_path / "keys.sqlite", auth=False))
    with TestClient(app) as c:
        for path in ("/database/", "/database/rows/skills", "/about/", "/healthz"):
            response = c.get(path)
            assert response.status_code == 503 and response.headers["content-type"].startswith("application/json")
        assert "onetlocal build" in c.get("/about/").json()["error"]


def test_missing_optional_data_has_one_message(db_path, tmp_path):
    """Every route whose source was not imported says so the same way (issue 8: one helper, one message)."""
    from onetlocal.db import Database
    from onetlocal.errors import DataNotAvailable

    database = Database(db_path)
    database.require("occupations", "occupation_data")  # present: no error
    with pytest.raises(DataNotAvailable, match=r"^widgets: data not available in this build \(missing no_such_table; "):
        database.require("widgets", "occupation_data", "no_such_table")
