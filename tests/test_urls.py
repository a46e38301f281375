"""Links the server writes (`urls`, `Ctx.link`, `Ctx.url_with`): every value they interpolate is percent-encoded
once, so a client can follow `next` from any page — walked to the end here for titles holding '#', '/', '+',
'?', '&', '%', spaces and accents (issue 18 item 1)."""

from __future__ import annotations

import http.client
from urllib.parse import quote, unquote, urlsplit

import httpx
import pytest

from conftest import BASE, ok
from onetlocal import urls
from onetlocal.services.technology import example_id

#: Characters a link may hold: RFC 3986 unreserved, reserved and '%' (no space, no raw non-ASCII, no '#').
_URI_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?[]@!$&'()*+,;=%")


def _checked(link: str, path: str) -> str:
    """`link` is a clean absolute URL of decoded path `path` that urllib and httpx read alike; it is returned."""
    assert set(link) <= _URI_CHARS, link
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.fragment) == ("http", "testserver", ""), link
    assert unquote(parts.path) == path, link
    http.client.HTTPConnection("testserver")._validate_path(parts.path)  # what urlopen refuses (a raw space)
    url = httpx.URL(link)
    assert (url.raw_path.decode().split("?")[0], url.fragment) == (parts.path, ""), link
    assert str(url) == link  # httpx sends it as written: nothing left for it to encode
    return link


def _walk(client, path: str, size: int, **params) -> tuple[list[dict], list[dict]]:
    """Every page of `path`, following `next` from a first page of `size` rows: (pages, the whole list at once)."""
    first = client.get(path, params={**params, "end": size})
    assert first.status_code == 200, first.text[:300]
    pages = [first.json()]
    while "next" in pages[-1]:
        link = _checked(pages[-1]["next"], unquote(urlsplit(str(first.url)).path))
        response = client.get(link)
        assert response.status_code == 200, (link, response.text[:300])
        pages.append(response.json())
        prev = _checked(pages[-1]["prev"], unquote(urlsplit(str(first.url)).path))
        assert client.get(prev).json() == pages[-2]
    whole = ok(client, path, **params, start=1, end=2000)
    return pages, whole


def _same_list(pages: list[dict], whole: dict, key: str, header: str | None = None) -> None:
    """The pages hold the whole list once, in order, each with the same header and total as the first."""
    assert [item for page in pages for item in page[key]] == whole[key]
    for page in pages:
        assert page["total"] == whole["total"] == len(whole[key])
        assert page["end"] - page["start"] + 1 == len(page[key])
        if header:
            assert page[header] == whole[header]


def test_next_of_the_issue_example_is_encoded(client):
    body = ok(client, "/online/hot_technology/C%23?end=1")
    assert body["technology"] == {"title": "C#"}
    assert body["next"] == f"{BASE}/online/hot_technology/C%23?start=2&end=2"
    assert client.get(body["next"]).json()["technology"] == {"title": "C#"}  # not technology "C"


@pytest.mark.parametrize("title", ["C#", "C++", "Microsoft Excel", "Oracle PL/SQL"])
def test_hot_technology_pages_walk_to_the_end(client, title):
    """By title where a path segment can carry it, else ('/': see docs/compatibility.md) by the listing's id."""
    listing = ok(client, "/online/hot_technology/", start=1, end=2000)["technology"]
    href = next(t["href"] for t in listing if t["title"] == title)
    segment = example_id(title) if "/" in title else title
    assert href == f"{BASE}/online/hot_technology/{example_id(title)}"
    pages, whole = _walk(client, urls.path("/online/hot_technology/{t}", t=segment), size=7)
    assert len(pages) > 1 and whole["technology"] == {"title": title}
    _same_list(pages, whole, "occupation", header="technology")


@pytest.mark.parametrize(
    "path,keyword,key,size",
    [
        ("/online/technology/examples", "C#", "example", 1),
        ("/online/technology/examples", "C++", "example", 1),
        ("/online/technology/examples", "&", "example", 10),
        ("/online/search", "nurse?", "occupation", 10),
        ("/online/search", "nurse & aide", "occupation", 20),
        ("/online/search", "nurse 100%", "occupation", 20),
        ("/online/search", "café", "occupation", 2),
        ("/mpp/search", "niñera", "career", 10),
        ("/mnm/search", "nurse#1", "career", 10),
    ],
)
def test_query_values_survive_the_walk(client, path, keyword, key, size):
    pages, whole = _walk(client, path, size=size, keyword=keyword)
    assert len(pages) > 1
    _same_list(pages, whole, key)
    for page in pages[1:]:
        assert dict(httpx.URL(page["prev"]).params) == {
            "keyword": keyword,
            "start": str(page["start"] - size),
            "end": str(page["start"] - 1),
        }


@pytest.mark.parametrize(
    "decoded",
    [
        "/online/hot_technology/C#",
        "/online/hot_technology/Microsoft Excel",
        "/online/hot_technology/100% ?",
        "/mpp/search/Enfermería",
        "/x/a+b&c=d;e",
    ],
)
def test_url_with_encodes_the_request_path_once(ctx, decoded):
    link = ctx(decoded, [("keyword", "a b#%é")]).url_with(start=2, end=2)
    _checked(link, decoded)
    assert link == f"{BASE}{quote(decoded)}?keyword=a+b%23%25%C3%A9&start=2&end=2"


def test_path_encodes_each_value_as_one_segment():
    assert urls.path(urls.ONET_DATA, section="a b", element_id="x/y#?%é") == (
        "/online/onet_data/a%20b/x%2Fy%23%3F%25%C3%A9"
    )
    assert urls.path(urls.CAREER, site="mnm", code="15-1252.00") == "/mnm/careers/15-1252.00/"
    assert urls.encode_path("/online/occupations/15-1252.00/") == "/online/occupations/15-1252.00/"


def test_absolute_makes_the_site_relative_links_of_a_body_absolute():
    """`urls.absolute`: the one rule turning the site-relative links of memoised bodies (reports, career sections)
    into links of the base URL the client asked; other values, and the memoised body itself, are left alone."""
    body = {
        "href": "/online/x",
        "related": "/online/y",
        "code": "/not-a-link-key",
        "next": "/kept",
        "items": [{"href": "/a#b"}, "plain", [{"related": "/b"}], None],
        "elsewhere": {"href": "https://other.example/x", "related": None},
        "count": 3,
    }
    out = urls.absolute("http://h:8080/", body)
    assert out == {
        "href": "http://h:8080/online/x",
        "related": "http://h:8080/online/y",
        "code": "/not-a-link-key",
        "next": "/kept",
        "items": [{"href": "http://h:8080/a#b"}, "plain", [{"related": "http://h:8080/b"}], None],
        "elsewhere": {"href": "https://other.example/x", "related": None},
        "count": 3,
    }
    assert body["href"] == "/online/x" and body["items"][0] == {"href": "/a#b"}  # a copy: the memo is unchanged
    assert urls.absolute("http://h/ui/api", [{"href": "/mnm/careers/"}]) == [{"href": "http://h/ui/api/mnm/careers/"}]
    assert urls.absolute("http://h", "/online/x") == "/online/x"  # only values under a link key are links
