"""/docs (onetlocal.http.docs): Swagger UI 5 on /openapi.json, every file served by this server, nothing from the
request written into the page, the web UI's Content-Security-Policy. In a real browser: test_docs_browser.py."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from starlette.testclient import TestClient

from onetlocal import ui
from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.http import docs
from onetlocal.http.routes import ENDPOINTS

HOSTILE = 'localhost:"><script>alert(1)</script>'


def _references(page: str) -> list[str]:
    """Every URL the page loads or links to (src, href, data-spec)."""
    return re.findall(r'(?:src|href|data-spec)="([^"]*)"', page)


def test_docs_renders_html_listing_the_routes(anon):
    response = anon.get("/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<table>" in response.text and "X-API-Key" in response.text  # the <noscript> table
    for endpoint in ENDPOINTS:
        assert endpoint.path.replace("&", "&amp;") in response.text
    assert anon.get("/docs/").status_code == 200


@pytest.mark.parametrize("page_path", ["/docs", "/docs/"])
def test_every_file_of_the_page_is_served_here_and_the_spec_is_openapi_json(anon, page_path):
    """Relative URLs only (never a CDN, never the Host): each resolves, from the page, to a file this server serves."""
    page = anon.get(page_path).text
    refs = _references(page)
    assert sum(r.split("?")[0].endswith(("swagger-ui-bundle.js", "docs.js")) for r in refs) == 2
    for ref in refs:
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//|^/", ref, re.I), ref  # no scheme, no host, no absolute path
        url = urljoin(f"http://testserver{page_path}", ref)
        served = anon.get(url)
        assert served.status_code == 200 and len(served.content) > 50, url
    spec = re.search(r'data-spec="([^"]*)"', page).group(1)
    assert urljoin(f"http://testserver{page_path}", spec) == "http://testserver/openapi.json"


def test_the_bundle_is_swagger_ui_5_which_reads_openapi_3_1(anon):
    bundle = anon.get("/docs/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert docs.SWAGGER_UI_VERSION.startswith("5.") and "OpenAPI31" in bundle.text  # the 3.1 plugin
    assert anon.get("/openapi.json").json()["openapi"].startswith("3.1")
    licence = anon.get("/docs/swagger-ui-LICENSE.txt")
    assert licence.status_code == 200 and "Apache License" in licence.text


def test_the_page_has_the_ui_content_security_policy_and_no_inline_code(anon):
    response = anon.get("/docs")
    assert response.headers["content-security-policy"] == ui.CSP
    assert "script-src 'self'" in ui.CSP and "'unsafe-inline'" not in ui.CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    page = response.text
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", page))  # no inline script
    assert re.findall(r"<script\b[^>]*>([^<]+)</script>", page) == []
    assert "<style" not in page and not re.search(r"<[^>]*\s(?:style|on\w+)=", page)  # no inline style, no handlers


def test_the_request_never_reaches_the_page(db_path, keys_path):
    """Host header, configured base URL, root path: the page is the same bytes whatever they are (so a hostile
    Host cannot land in it, issue 22 item 5), and the Host is never echoed."""
    plain = TestClient(create_app(Settings(db_path=db_path, keys_db_path=keys_path, auth=False))).get("/docs").text
    hostile_base = create_app(
        Settings(
            db_path=db_path, keys_db_path=keys_path, auth=False, base_url='http://x.example/"><script>alert(2)</script>'
        )
    )
    assert TestClient(hostile_base).get("/docs").text == plain
    behind_proxy = TestClient(
        create_app(Settings(db_path=db_path, keys_db_path=keys_path, auth=False)), root_path="/onet"
    )
    assert behind_proxy.get("/docs").text == plain
    any_host = create_app(Settings(db_path=db_path, keys_db_path=keys_path, auth=False, allowed_hosts=("*",)))
    response = TestClient(any_host).get("/docs", headers={"Host": HOSTILE})
    assert "<script>alert" not in response.text and "alert(1)" not in response.text
    assert response.status_code == 400 or response.text == plain  # refused by the Host check, or the same page
    assert TestClient(any_host).get("/docs", headers={"Host": "elsewhere.example:8443"}).text == plain
    assert "alert" not in docs.docs_html({"info": {"title": "t"}, "paths": {}}, "")


def test_what_the_page_writes_from_the_document_is_escaped():
    document = {
        "info": {"title": '<img src=x onerror="alert(3)">'},
        "paths": {
            '/a/{x}"<u>': {
                "get": {
                    "tags": ["<i>"],
                    "summary": "</noscript><script>alert(4)</script>",
                    "parameters": [{"name": '"><svg onload=alert(5)>', "required": True}],
                }
            }
        },
    }
    page = docs.docs_html(document)
    for raw in ("<img", "<u>", "<i>", "<script>alert", "<svg"):
        assert raw not in page, raw
    assert "&lt;img src=x onerror=&quot;alert(3)&quot;&gt;" in page
    with pytest.raises(ValueError):
        docs.docs_html(document, '"><script>')
