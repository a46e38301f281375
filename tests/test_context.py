"""Paging (the shared envelope every list uses) and parameter parsing, through the real Database rows route
and directly on `Ctx`."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from conftest import read_release
from onetlocal import urls
from onetlocal.context import MAX_PAGE_ROWS, Page

TOTAL = len(read_release("Occupation Data"))


def _page(client, **params) -> dict:
    response = client.get("/database/rows/occupation_data", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_first_page_defaults(client):
    body = _page(client)
    assert (body["start"], body["end"], body["total"]) == (1, 20, TOTAL)
    assert len(body["row"]) == 20 and "prev" not in body
    assert body["next"] == "http://testserver/database/rows/occupation_data?start=21&end=40"
    assert list(body) == ["start", "end", "total", "next", "row"]


def test_empty_result(client):
    assert _page(client, filter="title.eq.No Such Title") == {"start": 1, "end": 0, "total": 0, "row": []}


def test_last_page_has_no_next(client):
    start = TOTAL - TOTAL % 20 + 1
    body = _page(client, start=start, end=start + 19)
    assert body["end"] == TOTAL and len(body["row"]) == TOTAL - start + 1
    assert "next" not in body
    assert _query(body["prev"]) == [("start", str(start - 20)), ("end", str(start - 1))]


def test_exact_last_page(client):
    body = _page(client, start=TOTAL - 9, end=TOTAL)
    assert body["end"] == TOTAL and "next" not in body and len(body["row"]) == 10


def test_prev_next_keep_the_other_params_and_are_absolute(client):
    body = _page(client, **{"filter": "title.contains.engineer", "sort": "title.descending", "start": 11, "end": 15})
    for link, window in (("next", ("16", "20")), ("prev", ("6", "10"))):
        url = urlsplit(body[link])
        assert (url.scheme, url.netloc, url.path) == ("http", "testserver", "/database/rows/occupation_data")
        assert _query(body[link]) == [
            ("filter", "title.contains.engineer"),
            ("sort", "title.descending"),
            ("start", window[0]),
            ("end", window[1]),
        ]
    engineers = sorted(
        (r["Title"] for r in read_release("Occupation Data") if "engineer" in r["Title"].lower()), reverse=True
    )
    assert [r["title"] for r in body["row"]] == engineers[10:15]
    assert body["total"] == len(engineers)


def test_repeated_params_are_kept_in_links(client):
    response = client.get(
        "/database/rows/skills",
        params=[("filter", "scale_id.eq.IM"), ("filter", "onetsoc_code.startswith.15-"), ("end", "5")],
    )
    query = _query(response.json()["next"])
    assert query == [
        ("filter", "scale_id.eq.IM"),
        ("filter", "onetsoc_code.startswith.15-"),
        ("start", "6"),
        ("end", "10"),
    ]


def test_prev_is_clamped_at_one(client):
    body = _page(client, start=5, end=24)
    assert _query(body["prev"]) == [("start", "1"), ("end", "4")]


def test_start_beyond_total(client):
    """Decision (issue 18): an empty page (200) that keeps the requested `start`, with `end` = start - 1 (no rows:
    the hosted empty answer {start: 1, end: 0} is this rule at start 1), and `prev` back to the last rows."""
    body = _page(client, start=TOTAL + 100, end=TOTAL + 119)
    assert body["row"] == [] and (body["start"], body["end"], body["total"]) == (TOTAL + 100, TOTAL + 99, TOTAL)
    assert "next" not in body
    assert _query(body["prev"]) == [("start", str(TOTAL - 19)), ("end", str(TOTAL))]
    just_past = _page(client, start=TOTAL + 1)
    assert (just_past["start"], just_past["end"], just_past["row"]) == (TOTAL + 1, TOTAL, [])
    empty = _page(client, filter="title.eq.No Such Title", start=41)
    assert "prev" not in empty and (empty["start"], empty["end"], empty["total"]) == (41, 40, 0)


@pytest.mark.parametrize("start", [1, 2, 19, 20, 21, TOTAL - 1, TOTAL, TOTAL + 1, TOTAL + 500])
def test_end_counts_the_rows_sent(client, start):
    """Every page, empty or not: `end` - `start` + 1 rows, `start` as asked."""
    body = _page(client, start=start, end=start + 19)
    assert body["start"] == start and body["end"] - body["start"] + 1 == len(body["row"])


def test_largest_window(client):
    body = _page(client, start=1, end=MAX_PAGE_ROWS)
    assert len(body["row"]) == min(MAX_PAGE_ROWS, TOTAL)


@pytest.mark.parametrize(
    "params,word",
    [
        ({"start": "x"}, "start"),
        ({"start": "0"}, "start"),
        ({"start": "-1"}, "start"),
        ({"start": "1.5"}, "start"),
        ({"start": "١"}, "start"),
        ({"start": "1_0"}, "start"),
        ({"start": "99999999999999999999"}, "start"),
        ({"end": "x"}, "end"),
        ({"end": "0"}, "end"),
        ({"start": "10", "end": "9"}, "end"),
        ({"start": "1", "end": str(MAX_PAGE_ROWS + 1)}, "2000"),
        ({"start": "1", "end": "10000"}, "2000"),
        ({"end": "-99999999999999999999"}, "end"),
    ],
)
def test_invalid_start_end_is_422(client, params, word):
    response = client.get("/database/rows/occupation_data", params=params)
    assert response.status_code == 422
    assert word in response.json()["error"]


def test_blank_start_end_mean_defaults(client):
    body = _page(client, start="", end="")
    assert (body["start"], body["end"]) == (1, 20)
    assert _page(client, start=" 3 ")["start"] == 3


# -- Ctx directly -----------------------------------------------------------------------------------------


def test_paginate_a_computed_list(ctx):
    items = list(range(1, 46))
    body = ctx("/x", start=41).paginate(Page(41, 60), items, "item")
    assert body == {
        "start": 41,
        "end": 45,
        "total": 45,
        "prev": "http://testserver/x?start=21&end=40",
        "item": [41, 42, 43, 44, 45],
    }
    assert ctx("/x", start=46).paginate(Page(46, 65), items, "item") == {
        "start": 46,
        "end": 45,
        "total": 45,
        "prev": "http://testserver/x?start=26&end=45",
        "item": [],
    }
    assert ctx("/x").paginate(Page(1, 20), [], "item") == {"start": 1, "end": 0, "total": 0, "item": []}
    assert ctx("/x").paginate(Page(1, 10), items, "item")["next"] == "http://testserver/x?start=11&end=20"


def test_href_and_url_with(ctx):
    c = ctx("/database/rows/skills", [("filter", "a.eq.b c"), ("start", "3")])
    assert c.href("/about/") == "http://testserver/about/"
    assert c.href("/x", q="a b", none=None) == "http://testserver/x?q=a+b"
    assert c.url_with(start=1) == "http://testserver/database/rows/skills?filter=a.eq.b+c&start=1"
    assert c.link(urls.OCCUPATION, code="15-1252.00") == "http://testserver/online/occupations/15-1252.00/"
    assert c.link(urls.RELATED_ACTIVITIES_RESULTS, {"activities": "4.A.1,4.A.2"}, code="a/b") == (
        "http://testserver/online/related_activities/results/a%2Fb?activities=4.A.1,4.A.2"
    )


def test_configured_base_url_is_used_for_every_href(db_path, tmp_path):
    from starlette.testclient import TestClient

    from onetlocal.app import create_app
    from onetlocal.config import Settings

    base = "https://onet.example.org/api"
    app = create_app(Settings(db_path=db_path, keys_db_path=tmp_path / "k.sqlite", auth=False, base_url=base + "/"))
    with TestClient(app) as c:
        skills = next(t for t in c.get("/database/").json() if t["table_id"] == "skills")
        assert skills["info"] == f"{base}/database/info/skills"
        assert c.get("/database/rows/skills", params={"end": 5}).json()["next"] == (
            f"{base}/database/rows/skills?start=6&end=10"
        )


def test_next_link_keeps_commas_literal_like_the_real_api(client):
    body = client.get("/online/soft_skills/results", params={"skills": "2.B.1.d,2.B.1.c,2.B.1.a"}).json()
    assert "skills=2.B.1.d,2.B.1.c,2.B.1.a&start=21&end=40" in body["next"]
