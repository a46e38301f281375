"""/docs in a real headless Chromium (Debian's `chromium`, driven by Playwright as in tests/test_ui_browser.py): the
page renders this server's OpenAPI 3.1 document (every operation listed, no "Unable to render this definition"),
Authorize offers the O*NET key first, and "Try it out" with a real key gets a 200. Fails on any console error,
which includes every Content-Security-Policy violation. ONETLOCAL_UI_SCREENSHOTS=DIR saves docs.png there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fixtures import running_server
from onetlocal.app import create_app
from onetlocal.config import Settings

CHROMIUM = os.environ.get("ONETLOCAL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT = 30_000  # ms for any one element to appear (the bundle parses ~1.8 MB)
SHOTS = os.environ.get("ONETLOCAL_UI_SCREENSHOTS")

sync_api = pytest.importorskip("playwright.sync_api", reason="install the test extras: pip install -e .[test]")


@pytest.fixture(scope="module")
def server(db_path, keys_path):
    """A real server on 127.0.0.1, keys on (the session's key store: `api_key` is valid here)."""
    app = create_app(Settings(db_path=db_path, keys_db_path=keys_path, auth=True, rate_limit=None))
    with running_server(app) as url:
        yield url


@pytest.fixture()
def page(server):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: scripts/test.sh installs the Debian package `chromium`")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
        # every refusal by the Content-Security-Policy becomes a console error (Chromium logs most already)
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP refused ' + e.blockedURI + ' (' + e.violatedDirective + ')'))"
        )
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT)
        problems: list[str] = []
        pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        outside: list[str] = []
        pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
        yield pg
        context.close()
        browser.close()
    assert problems == []
    assert outside == []  # offline: nothing but this server


#: Scroll the page from top to bottom, collecting the path of every operation rendered on the way (Swagger UI 5.3x
#: renders only the operations near the viewport).
SCROLL_THROUGH = """async () => {
  const seen = new Set();
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let i = 0; i < 5000; i++) {
    document.querySelectorAll(".opblock-summary-path[data-path]").forEach(e => seen.add(e.getAttribute("data-path")));
    if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2) break;
    window.scrollBy(0, window.innerHeight / 2);
    await frame();
  }
  window.scrollTo(0, 0);
  await frame();
  return [...seen];
}"""


def test_docs_lists_every_operation_and_try_it_out_with_a_key_gets_200(page, anon, api_key):
    paths = anon.get("/openapi.json").json()["paths"]
    page.goto("/docs")
    blocks = page.locator(".opblock")
    blocks.first.wait_for()
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("onetlocal")
    assert "Unable to render" not in page.content()
    assert page.evaluate("window.ui.specSelectors.operations().size") == sum(len(item) for item in paths.values())
    assert sorted(page.evaluate(SCROLL_THROUGH)) == sorted(paths)  # every operation shown, scrolling down the page

    page.locator(".auth-wrapper button.authorize").click()
    schemes = page.locator(".modal-ux .auth-container")
    schemes.first.wait_for()
    assert "apiKey" in schemes.first.locator("h4").inner_text()  # the O*NET key first, CareerOneStop's Bearer next
    assert "careeronestop" in schemes.nth(1).locator("h4").inner_text()
    assert "X-API-Key" in schemes.first.inner_text()
    schemes.first.locator("input").fill(api_key)
    schemes.first.locator("button.authorize").click()
    schemes.first.get_by_role("button", name="Remove authorization").wait_for()  # authorized: Logout
    assert "Authorized" in schemes.first.inner_text()
    schemes.first.locator("button.btn-done").click()
    page.locator(".modal-ux").wait_for(state="detached")

    about = blocks.filter(has=page.locator('.opblock-summary-path[data-path="/about/"]'))
    about.locator(".opblock-summary").click()
    about.locator("button.try-out__btn").click()
    about.locator("button.execute").click()
    status = about.locator(".live-responses-table tr.response .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert (
        '"api_version"'
        in about.locator(".live-responses-table tr.response .response-col_description").first.inner_text()
    )
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        about.locator(".live-responses-table").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS) / "docs.png"))
