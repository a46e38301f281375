"""The web UI in a real headless Chromium (the Debian `chromium` package, driven by Playwright for Python; no
browser download). A real server (uvicorn, keys on, `--ui-key`) runs in a thread; every check compares what the
page shows with what the JSON API answers for the same question, waits on elements (no sleeps), and fails on
any console error. Set ONETLOCAL_UI_SCREENSHOTS=DIR to save the README's screenshots (docs/screenshots/).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.keys import KeyStore

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
ANSWERS = "114433552211" * 5  # fixed pattern: strong Social and Investigative, weak Realistic and Conventional
TIMEOUT = 15_000  # ms for any one element to appear
SHOTS = os.environ.get("ONETLOCAL_UI_SCREENSHOTS")

sync_api = pytest.importorskip("playwright.sync_api", reason="install the test extras: pip install -e .[test]")


@pytest.fixture(scope="module")
def server(db_path, tmp_path_factory):
    """A real server on a free port: keys on, the UI calling the API as key 'webui'."""
    keys = tmp_path_factory.mktemp("browserkeys") / "keys.sqlite"
    KeyStore(keys).create("webui")
    yield from _serve(
        create_app(Settings(db_path=db_path, keys_db_path=keys, auth=True, rate_limit=None, ui_key="webui"))
    )


@pytest.fixture(scope="module")
def public_server(public_db_path, tmp_path_factory):
    """The UI on a build of the O*NET release alone (no supplementary folder, no OEWS file), without keys."""
    keys = tmp_path_factory.mktemp("publickeys") / "keys.sqlite"
    yield from _serve(create_app(Settings(db_path=public_db_path, keys_db_path=keys, auth=False, rate_limit=None)))


def _serve(app):
    """Run `app` in a real server (uvicorn, a thread) on a free port; yields its URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: scripts/test.sh installs the Debian package `chromium`")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    """A fresh page; fails the test on any console error or uncaught exception."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=server)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield pg
    context.close()
    assert problems == []


def shot(pg, name: str, full_page: bool = True) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=full_page)


def axe_violations(pg) -> list[str]:
    """axe-core (bundled by axe-playwright-python) on the page as shown: WCAG 2 A/AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(
        pg,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in result.response["violations"]
    ]


def digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text.split(".")[0])


def test_search_registered_nurse_and_open_the_first_result(page, client):
    expected = client.get("/online/search", params={"keyword": "registered nurse", "end": 20}).json()["occupation"]
    page.goto("/ui/")
    page.get_by_label(re.compile("Search careers")).fill("registered nurse")  # found by its label
    links = page.locator("#search-results li a")
    links.first.wait_for()
    assert links.all_inner_texts() == [o["title"] for o in expected]
    first = page.locator("#search-results li").first
    assert expected[0]["code"] in first.inner_text()
    assert ("Bright Outlook" in first.inner_text()) == bool(expected[0]["tags"].get("bright_outlook"))
    assert axe_violations(page) == []
    shot(page, "search")

    links.first.click()
    code = expected[0]["code"]
    overview = client.get(f"/online/occupations/{code}/").json()
    page.locator("h1", has_text=overview["title"]).wait_for()
    assert page.url.endswith(f"#/occupation/{code}")
    skills = client.get(f"/online/occupations/{code}/details/skills", params={"end": 10}).json()["element"]
    bars = page.locator("[data-section=skills] .bars li")
    bars.first.wait_for()
    assert bars.count() == len(skills)
    assert bars.first.inner_text().split("\n")[0] == skills[0]["name"]
    assert (
        page.locator("[data-section=skills] .meter")
        .first.get_attribute("aria-label")
        .endswith(f"{skills[0]['importance']} / 100")
    )
    page.locator("[data-section=related] li a").first.wait_for()
    page.locator("[data-section=wages] table").first.wait_for()
    page.locator("[data-api-links]").wait_for()
    listed = page.locator("[data-api-links] a").all_text_contents()
    assert f"/online/occupations/{code}/" in listed and f"/online/occupations/{code}/summary/tasks?end=10" in listed
    assert axe_violations(page) == []
    shot(page, "occupation")


def test_wages_change_state(page, client, api_key):
    code = client.get("/online/search", params={"keyword": "registered nurse"}).json()["occupation"][0]["code"]
    auth = {"Authorization": f"Bearer {api_key}"}
    page.goto(f"/ui/#/occupation/{code}")
    select = page.get_by_label("Wages in a state")
    for state in ("TX", "CA"):
        expected = client.get(f"/v1/occupation/u/{code}/{state}", params={"wages": "true"}, headers=auth).json()
        wages = {w["RateType"]: w for w in expected["OccupationDetail"][0]["Wages"]["StateWagesList"]}
        select.select_option(state)
        name = select.locator("option:checked").inner_text()
        table = page.locator("[data-section=wages] table").first
        table.locator("th", has_text=name).wait_for()
        median = table.locator("[data-state-wage=Median]")
        assert digits(median.inner_text()) == digits(wages["Annual"]["Median"])
    if SHOTS:
        page.locator("[data-section=wages]").screenshot(path=str(Path(SHOTS) / "wages.png"))


def test_interest_profiler_matches_the_api(page, client):
    questions = client.get("/mnm/interestprofiler/questions", params={"end": 60}).json()["question"]
    assert len(ANSWERS) == len(questions) == 60
    page.goto("/ui/#/profiler")
    progress = page.locator("progress")
    for start in range(0, 60, 12):
        for q in questions[start : start + 12]:
            page.locator(f"input[name=q{q['index']}][value='{ANSWERS[q['index'] - 1]}']").check()
        assert progress.get_attribute("value") == str(start + 12)
        if start == 0:
            assert axe_violations(page) == []
            shot(page, "profiler-questions", full_page=False)
        page.locator("button[data-next]").click()
    page.locator("[data-riasec] li").first.wait_for()
    assert f"answers={ANSWERS}" in page.url

    results = client.get("/mnm/interestprofiler/results", params={"answers": ANSWERS}).json()["result"]
    for r in results:
        row = page.locator(f"[data-riasec] li[data-area={r['code']}]")
        assert row.locator(".num").inner_text() == str(r["score"])

    def shown_careers() -> list[tuple[str, str]]:
        items = page.locator("[data-section=careers] .results li")
        return [
            (li.locator(".code").inner_text(), li.locator(".tag.fit").inner_text().split(" ")[0]) for li in items.all()
        ]

    expected = client.get("/mnm/interestprofiler/careers", params={"answers": ANSWERS, "end": 20}).json()
    page.locator(f"[data-section=careers] [data-count='{expected['total']}']").wait_for()
    assert shown_careers() == [(c["code"], c["fit"]) for c in expected["career"]]
    assert axe_violations(page) == []
    shot(page, "profiler-results")

    for zone in (3, 4):
        expected = client.get(
            "/mnm/interestprofiler/careers", params={"answers": ANSWERS, "zone": zone, "end": 20}
        ).json()
        page.get_by_label(re.compile("Job Zone")).select_option(str(zone))
        page.wait_for_function(f"location.hash.endsWith('zone={zone}')")
        page.locator(f"[data-section=careers] [data-count='{expected['total']}']").wait_for()
        assert shown_careers() == [(c["code"], c["fit"]) for c in expected["career"]]


def test_one_question_at_a_time_by_keyboard(page, client):
    first = client.get("/mnm/interestprofiler/questions", params={"end": 2}).json()["question"]
    page.goto("/ui/#/profiler")
    page.get_by_label("One question at a time").check()
    page.locator("fieldset[data-question]").first.wait_for()
    assert page.locator("fieldset[data-question]").count() == 1
    page.locator("input[name=q1]").first.focus()
    page.keyboard.press("ArrowRight")  # radio group: arrows move and select
    page.keyboard.press("Enter")  # submits the form: next question
    page.locator(f"fieldset[data-question='{first[1]['index']}']").wait_for()
    assert first[1]["text"] in page.locator("fieldset[data-question] legend").inner_text()
    assert page.locator("progress").get_attribute("value") == "1"
    assert axe_violations(page) == []


def test_spanish_toggle_and_veterans(page, client):
    code = client.get("/online/search", params={"keyword": "registered nurse"}).json()["occupation"][0]["code"]
    mpp = client.get(f"/mpp/careers/{code}/").json()
    page.goto(f"/ui/#/occupation/{code}")
    page.locator("[data-section=wages] select").wait_for()
    page.get_by_role("button", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    if mpp.get("text_language", {}).get("title") == "es":
        page.locator("h1[lang=es]", has_text=mpp["title"]).wait_for()
    page.locator("[data-section=wages] select").wait_for()
    assert axe_violations(page) == []
    shot(page, "occupation-es", full_page=False)
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"

    keyword = "mechanic"
    expected = client.get("/veterans/military", params={"keyword": keyword, "end": 20}).json()
    page.goto("/ui/#/veterans")
    page.get_by_label(re.compile("Military job")).fill(keyword)
    page.keyboard.press("Enter")
    page.locator(f"[data-count='{expected['total']}']").wait_for()
    assert page.locator(".results li .code").all_inner_texts() == [c["code"] for c in expected["career"]]
    assert axe_violations(page) == []
    shot(page, "veterans", full_page=False)


def test_code_titles_upload_correct_and_download(page, client, tmp_path):
    """#/code: upload a CSV, the coded rows match POST /onetlocal/code, correct one row, download the result."""
    import csv

    rows = [
        ("1", "Registered Nurse", "6221"),
        ("2", "cook", "6221"),
        ("3", "forklift, driver", ""),
        ("4", "zzqx qqzv", ""),
    ]
    source = tmp_path / "titles.csv"
    with open(source, "w", newline="") as fh:
        csv.writer(fh).writerows([("id", "job_title", "naics"), *rows])
    items = [{"title": t, "industry": n} if n else {"title": t} for _i, t, n in rows]
    expected = client.post("/onetlocal/code", json=items).json()
    page.goto("/ui/#/code")
    page.get_by_label("CSV file").set_input_files(str(source))
    page.get_by_text("4 rows read.").wait_for()  # the file is read asynchronously
    assert page.get_by_label("Column of job titles").input_value() == "1"  # picked by its name
    assert page.get_by_label(re.compile("Column of industry")).input_value() == "2"
    page.get_by_role("button", name="Code the titles").click()
    page.locator("[data-count='4']").wait_for()
    for i, answer in enumerate(expected):
        assert page.locator(f"select[data-row='{i}']").input_value() == (answer["code"] or "")
        row = page.locator("table.coded tbody tr").nth(i)
        assert row.get_attribute("data-review") == ("1" if answer["review"] else "0")
        if answer["code"]:
            assert f"{round(100 * answer['confidence'])}%" in row.inner_text()
    assert expected[3]["code"] is None and expected[1]["code"] == "35-2012.00"  # the hospital's cook
    assert axe_violations(page) == []
    shot(page, "code", full_page=False)

    other = expected[0]["alternatives"][0]["code"]  # correct row 1 to its first alternative
    page.get_by_label("Occupation for Registered Nurse").select_option(other)
    assert "corrected" in (page.locator("table.coded tbody tr").first.get_attribute("class") or "")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    saved = tmp_path / "coded.csv"
    download.value.save_as(saved)
    with open(saved, newline="") as fh:
        out = list(csv.DictReader(fh))
    assert [(r["id"], r["job_title"], r["naics"]) for r in out] == rows
    assert out[0]["onet_code"] == other and out[0]["corrected"] == "true" and out[0]["confidence"] == ""
    for row, answer in zip(out[1:], expected[1:], strict=True):
        assert row["onet_code"] == (answer["code"] or "") and row["corrected"] == "false"
        assert row["review"] == str(answer["review"]).lower()


def test_a_build_from_public_sources_alone_has_the_profiler_and_says_plainly_what_it_lacks(
    browser, public_server, public_client
):
    """Issue 19 item 1: no supplementary folder, no OEWS. The profiler (its items shipped in the package) works end
    to end; a page whose data is missing (the veterans' crosswalk) tells the visitor so in a plain sentence, with
    no operator hint (`onetlocal build`)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=public_server)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    problems: list[str] = []
    expected_422 = "Failed to load resource: the server responded with a status of 422"  # the missing crosswalk
    pg.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and not m.text.startswith(expected_422) else None,
    )
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    try:
        questions = public_client.get("/mnm/interestprofiler/questions", params={"end": 60}).json()["question"]
        assert len(questions) == 60
        pg.goto("/ui/#/profiler")
        for start in range(0, 60, 12):
            for q in questions[start : start + 12]:
                pg.locator(f"input[name=q{q['index']}][value='{ANSWERS[q['index'] - 1]}']").check()
            pg.locator("button[data-next]").click()
        pg.locator("[data-riasec] li").first.wait_for()
        results = public_client.get("/mnm/interestprofiler/results", params={"answers": ANSWERS}).json()["result"]
        for r in results:
            assert pg.locator(f"[data-riasec] li[data-area={r['code']}] .num").inner_text() == str(r["score"])
        careers = public_client.get("/mnm/interestprofiler/careers", params={"answers": ANSWERS}).json()
        assert careers["total"] > 0
        pg.locator(f"[data-section=careers] [data-count='{careers['total']}']").wait_for()
        shown = pg.locator("[data-section=careers] .results li .code").all_inner_texts()
        assert shown == [c["code"] for c in careers["career"]]

        assert public_client.get("/veterans/military", params={"keyword": "mechanic"}).status_code == 422
        pg.goto("/ui/#/veterans")
        pg.get_by_label(re.compile("Military job")).fill("mechanic")
        pg.keyboard.press("Enter")
        notice = pg.locator("[data-plain=no_data]")
        notice.wait_for()
        assert notice.inner_text() == "This information is not available on this site."
        text = pg.locator("main").inner_text()
        assert "onetlocal" not in text and "build" not in text and "missing" not in text
        assert axe_violations(pg) == []
    finally:
        context.close()
    assert problems == []


def test_phone_width_has_no_horizontal_scroll(browser, server, client):
    context = browser.new_context(viewport={"width": 375, "height": 740}, base_url=server, is_mobile=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    code = client.get("/online/search", params={"keyword": "registered nurse"}).json()["occupation"][0]["code"]
    pg.goto(f"/ui/#/occupation/{code}")
    pg.locator("[data-section=wages] table").first.wait_for()
    pg.locator("[data-api-links]").wait_for()
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(pg, "phone", full_page=False)
    context.close()
