"""Keyword search (`/online/search`, `search_codes`) on the real app and the real release."""

from __future__ import annotations

import re

import pytest

from conftest import read_release

URL = "/online/search"


def search(client, keyword: str, **params) -> dict:
    response = client.get(URL, params={"keyword": keyword, **params})
    assert response.status_code == 200, response.text
    return response.json()


def codes(client, keyword: str, **params) -> list[str]:
    return [o["code"] for o in search(client, keyword, **params)["occupation"]]


@pytest.fixture(scope="module")
def titles() -> dict[str, str]:
    return {r["O*NET-SOC Code"]: r["Title"] for r in read_release("Occupation Data")}


def test_full_code_returns_that_occupation(client, titles):
    body = search(client, "15-1252.00")
    assert body["total"] == 1
    assert body["occupation"] == [
        {
            "href": "http://testserver/online/occupations/15-1252.00/",
            "code": "15-1252.00",
            "title": titles["15-1252.00"],
            "tags": body["occupation"][0]["tags"],
        }
    ]


def test_soc_code_returns_the_occupation_and_its_children(client, titles):
    expected = sorted(c for c in titles if c.startswith("29-1141."))
    assert len(expected) > 1
    assert codes(client, "29-1141") == expected
    assert codes(client, " 15-1252 ") == ["15-1252.00"]


def test_unknown_code_matches_nothing(client):
    assert search(client, "99-9999.00") == {"start": 1, "end": 0, "total": 0, "occupation": []}


@pytest.mark.parametrize("params", [{"end": 5}, {"start": 6, "end": 10}, {"start": 21}, {"start": 5000}])
def test_envelope_has_exactly_the_spec_keys(client, params):
    # Spec §1/§4: start, end, total, optional prev/next, then the list; nothing else (no echo of the keyword:
    # clients generated from the official OpenAPI file use extra="forbid" models).
    body = search(client, "nurse", **params)
    assert (
        {"start", "end", "total", "occupation"}
        <= body.keys()
        <= {"start", "end", "total", "prev", "next", "occupation"}
    )
    assert list(body)[-1] == "occupation"
    assert all(set(item) == {"href", "code", "title", "tags"} for item in body["occupation"])


def test_nurse_ranks_registered_nurses_first(client):
    body = search(client, "nurse", start=1, end=5)
    assert body["occupation"][0]["code"] == "29-1141.00"
    assert body["occupation"][0]["title"] == "Registered Nurses"
    assert body["start"] == 1 and body["end"] == 5 and body["total"] > 5
    assert body["next"].startswith("http://testserver/online/search?")


def test_software_developer(client):
    assert codes(client, "software developer")[0] == "15-1252.00"


#: Release text searched for a word: file -> columns (titles, alternate/short/reported titles, description,
#: tasks, technology examples).
MENTION_SOURCES = {
    "Occupation Data": ("Title", "Description"),
    "Alternate Titles": ("Alternate Title", "Short Title"),
    "Sample of Reported Titles": ("Reported Job Title",),
    "Task Statements": ("Task",),
    "Technology Skills": ("Example",),
}


def mentioning(pattern: str) -> set[str]:
    """The occupations whose release text matches `pattern` (case-insensitive), read from the release files."""
    rx = re.compile(pattern, re.I)
    return {
        row["O*NET-SOC Code"]
        for name, columns in MENTION_SOURCES.items()
        for row in read_release(name)
        if any(rx.search(row[c]) for c in columns)
    }


@pytest.mark.parametrize(
    ("keyword", "forms", "floor"),
    [
        ("nurse", r"\bnurs(e|es|e's|ing)\b", 65),
        ("architect", r"\barchitect(s|ure|ures|ural)?\b", 50),
    ],
)
def test_every_occupation_mentioning_the_word_is_listed(client, keyword, forms, floor):
    # The hosted list is broad: every occupation whose titles, alternate titles or tasks mention the word
    # (119 for "nurse", 63 for "architect"). The release gives 69 and 64 (a form of the word in titles,
    # alternate/reported titles, description, tasks or technology, counted here from the files): all of them
    # are listed. The hosted service also reads titles the release does not carry (O*NET's supplemental
    # alternate titles), hence its larger "nurse" list; `floor` only guards against a narrower search.
    expected = mentioning(forms)
    body = search(client, keyword, end=2000)
    found = [o["code"] for o in body["occupation"]]
    assert body["total"] == len(found) >= len(expected) >= floor
    assert expected <= set(found)


@pytest.mark.parametrize(
    ("keyword", "first", "top5"),
    [
        ("nurse", "29-1141.00", {"29-1141.00", "29-2061.00"}),
        ("architect", "17-1011.00", {"17-1011.00", "15-1299.08", "15-1243.00"}),
    ],
)
def test_broad_lists_keep_the_best_first(client, keyword, first, top5):
    found = codes(client, keyword, end=5)
    assert found[0] == first
    assert top5 <= set(found)


def test_word_forms_come_after_the_word_itself(client):
    # Architecture Teachers (25-1031.00) and Civil Engineers (17-2051.00) mention "architecture" or
    # "architectural", never "architect": listed, after every occupation that mentions the word itself.
    found = codes(client, "architect", end=2000)
    itself = mentioning(r"\barchitects?\b")
    assert not {"25-1031.00", "17-2051.00"} & itself
    assert {"25-1031.00", "17-2051.00"} <= set(found[len(itself) :])
    assert set(found[: len(itself)]) == itself


def test_structural_engineer(client):
    # Official batch-coder README sample output: 17-2051.00 Civil Engineers, 17-2199.10 Wind Energy Engineers,
    # 17-2121.02 Marine Architects. That output predates the 2019 taxonomy (17-2121.02 was merged into
    # 17-2121.00 Marine Engineers and Naval Architects, which holds "Structural Engineer" as an alternate and a
    # reported title). In this release no title, task, description or technology of 17-2199.10 mentions
    # "structural" or "structure" (only "infrastructure" and "Structured query language"): nothing lexical
    # links it to the query, and it is only required once the data does.
    found = codes(client, "Structural Engineer", end=10)
    assert found[0] == "17-2051.00"
    assert "17-2121.00" in found[:5]
    wind = {"17-2199.10"} & mentioning(r"\bstructur(e|es|al)\b")
    assert wind <= set(found)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("nurse", "nurses"),
        ("software developers", "software developer"),
        ("Secretaries", "secretary"),
    ],
)
def test_plural_and_singular_are_equivalent(client, one, other):
    assert codes(client, one, end=50) == codes(client, other, end=50)


def test_abbreviations(client):
    assert codes(client, "rn")[0] == "29-1141.00"
    assert codes(client, "RN") == codes(client, "registered nurse")
    assert codes(client, "sr accountant")[0] == codes(client, "senior accountant")[0]


def test_case_accents_and_punctuation_are_ignored(client):
    assert codes(client, "SOFTWARE DEVELOPER") == codes(client, "software developer")
    assert codes(client, "café") == codes(client, "cafe")


def test_no_match(client):
    body = search(client, "xyzzyqwv")
    assert body == {"start": 1, "end": 0, "total": 0, "occupation": []}


@pytest.mark.parametrize("params", [{}, {"keyword": ""}, {"keyword": "   "}])
def test_missing_keyword(client, params):
    response = client.get(URL, params=params)
    assert response.status_code == 422
    assert response.json() == {"error": "must have required property 'keyword'"}


@pytest.mark.parametrize(
    "keyword",
    [
        '"',
        "'",
        "*",
        "-",
        "(",
        ")",
        "nurse*",
        '"nurse',
        "NEAR(nurse doctor)",
        "nurse AND",
        "OR",
        "NOT nurse",
        "^nurse",
        "nurse:doctor",
        "title:nurse",
        "{nurse}",
        "nurse + doctor",
        "-nurse",
        "a" * 5000,
        "nurse " * 400,
        "💉 nurse",
        "\u0000nurse",
        "护士",
        "ñandú",
        "15-1252.0",
        "15-12",
        "..",
        "%",
        "_",
        "\\",
    ],
)
def test_fts_syntax_and_odd_input_never_fail(client, keyword):
    response = client.get(URL, params={"keyword": keyword})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["total"] == len(set(c for c in codes(client, keyword, end=2000)))


def test_operators_are_plain_words(client):
    assert codes(client, "NEAR(nurse)")[:1] == codes(client, "near nurse")[:1]
    assert codes(client, '"nurse"') == codes(client, "nurse")


def test_paging(client):
    everything = codes(client, "engineer", end=2000)
    total = search(client, "engineer")["total"]
    assert total == len(everything) > 40
    first = search(client, "engineer")
    assert [o["code"] for o in first["occupation"]] == everything[:20]
    assert "prev" not in first and first["end"] == 20
    second = search(client, "engineer", start=21, end=40)
    assert [o["code"] for o in second["occupation"]] == everything[20:40]
    assert second["prev"] == "http://testserver/online/search?keyword=engineer&start=1&end=20"
    assert second["next"] == "http://testserver/online/search?keyword=engineer&start=41&end=60"
    last = search(client, "engineer", start=total, end=total + 5)
    assert last["end"] == total and "next" not in last
    response = client.get(URL, params={"keyword": "engineer", "start": "x"})
    assert response.status_code == 422


def test_results_are_distinct_real_occupations(client, titles):
    body = search(client, "manager", end=2000)
    found = [o["code"] for o in body["occupation"]]
    assert len(found) == len(set(found)) == body["total"]
    assert all(titles[o["code"]] == o["title"] for o in body["occupation"])


def test_search_codes_directly(ctx):
    from onetlocal.services.search import search_codes

    c = ctx()
    assert search_codes(c, "registered nurse")[0] == "29-1141.00"
    assert search_codes(c, "") == []
    assert search_codes(c, '()*"') == []


@pytest.mark.parametrize(
    ("keyword", "code"),
    [
        ("Registered Nurse (ICU) - Night Shift", "29-1141.00"),
        ("Senior Software Engineer", "15-1252.00"),
        ("Now Hiring - Registered Nurse", "29-1141.00"),
        ("registerd nurse", "29-1141.00"),
        ("sr. accountant", "13-2011.00"),
        ("HVAC tech", "49-9021.00"),
        ("cna", "31-1131.00"),
    ],
)
def test_job_ad_titles(client, keyword, code):
    # Job-ad qualifiers, seniority, a noise prefix and a typo do not hide the occupation (6-digit SOC level:
    # an ICU nurse is rightly 29-1141.03 Critical Care Nurses).
    assert codes(client, keyword)[0][:7] == code[:7]


def test_modifiers_are_not_required(client):
    # "senior" is a modifier: the occupations matched are those of "software engineer".
    assert set(codes(client, "senior software engineer", end=2000)) >= set(
        codes(client, "software engineer", end=2000)[:5]
    )


def test_openapi_documents_search(client):
    spec = client.get("/openapi.json").json()
    params = {p["name"] for p in spec["paths"]["/online/search"]["get"]["parameters"]}
    assert {"keyword", "start", "end"} <= params


# -- the development set (benchmarks/data/search_devset.py) and the regression floor on its final part ---------
#: Held-out titles asked (the first groups of the final part, by hash: ~400 titles, ~1,800 queries in five
#: kinds), and the rates the ranker measured on them, less a margin: a change that costs more than the margin
#: fails. The final part is never tuned on nor printed query by query; only these two rates are read.
REGRESSION_GROUPS = 400
REGRESSION_FLOOR = {"top1": 0.47, "top5": 0.71}  # measured 0.499 / 0.739 over 1,834 queries (issue 20)


def _devset():
    import sys
    from pathlib import Path

    bench = str(Path(__file__).resolve().parents[1] / "benchmarks")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    from data import search_devset, search_variants

    return search_devset, search_variants


@pytest.fixture(scope="module")
def regression(db_path, tmp_path_factory):
    from conftest import ONET_DIR
    from onetlocal.context import Ctx
    from onetlocal.db import Database

    devset, _variants = _devset()
    queries, groups = devset.subset(ONET_DIR, "final", REGRESSION_GROUPS)
    held = devset.holdout_db(db_path, tmp_path_factory.mktemp("search") / "holdout.sqlite", ONET_DIR, "final", groups)
    return queries, Ctx(db=Database(held), base_url="http://testserver", path="/", params=[])


def test_held_out_titles_regression(regression):
    # Each query is a title the index was built without (and without its exact duplicates): found through
    # similar titles, head noun, word votes, descriptions and tasks. Scored at 6-digit SOC.
    from onetlocal.services.search import search_codes

    queries, ctx = regression
    top1 = top5 = 0
    for item in queries:
        socs = [code[:7] for code in search_codes(ctx, item.query)[:5]]
        top1 += bool(socs) and socs[0] in item.labels
        top5 += any(soc in item.labels for soc in socs)
    n = len(queries)
    assert n > 1500
    print(f"held-out regression (final part): top-1 {top1 / n:.3f}, top-5 {top5 / n:.3f} over {n}")
    assert top1 / n >= REGRESSION_FLOOR["top1"]
    assert top5 / n >= REGRESSION_FLOOR["top5"]


def test_dev_set_parts_are_disjoint():
    # Issue 20: the pattern part shared 78 groups with the tuning part. No group is scored in two parts, and
    # none in the retired first final part.
    from conftest import ONET_DIR

    devset, _variants = _devset()
    parts = {part: set(devset.part_groups(ONET_DIR, part)) for part in ("tune", "final", "pattern")}
    assert all(len(groups) > 1500 for groups in parts.values())
    assert not parts["tune"] & parts["final"]
    assert not parts["tune"] & parts["pattern"]
    assert not parts["final"] & parts["pattern"]
    assert not any(devset._bucket(key) in devset.RETIRED for groups in parts.values() for key in groups)


def test_dev_set_variants_do_not_read_the_search_lexicon(monkeypatch):
    # Issue 20: abbreviations made from the search's own table (39 of 44) only tested that the table is
    # applied. The variant rules import nothing of onetlocal, and give the same queries with the search's
    # abbreviations, modifiers and stopwords emptied.
    import ast
    from pathlib import Path

    from conftest import ONET_DIR, read_release

    devset, variants = _devset()
    tree = ast.parse(Path(variants.__file__).read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.startswith("onetlocal")]

    titles = [r["Alternate Title"] for r in read_release("Alternate Titles")][::97]

    def made() -> list:
        stats = variants.title_stats(ONET_DIR)
        return [devset.variants(t, f"{devset.SEED}|{t}", stats) for t in titles]

    before = made()
    from onetlocal import search_terms as lexicon

    for name, empty in (("ABBREVIATIONS", {}), ("MODIFIERS", frozenset()), ("STOPWORDS", frozenset())):
        monkeypatch.setattr(lexicon, name, empty)
    assert made() == before
    assert sum(v["abbreviated"] is not None for v in before) > len(titles) / 2


def test_search_quality_shows_misses_of_the_tuning_part_only():
    # The final and pattern parts are for reporting: their queries and answers are never printed.
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "search_quality.py"
    for part in ("final", "pattern"):
        done = subprocess.run(
            [sys.executable, str(script), "--dev", part, "--show", "5", "--db", "/nonexistent"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and "tuning part only" in done.stderr, done.stderr


# -- how SOC codes qualifiers, word order, spelling ------------------------------------------------------


def test_apprentice_is_coded_with_the_trade(client, titles):
    # SOC codes apprentices with their trade (47-2181 Roofers), not as helpers (47-3016 Helpers--Roofers);
    # "roofing" finds the worker word "roofer" (trade <-> worker forms).
    found = codes(client, "roofing apprentice", end=5)
    assert titles[found[0]] == "Roofers"


def test_helper_and_supervisor_words_pick_their_soc_occupations(client, titles):
    assert titles[codes(client, "roofer helper", end=1)[0]].startswith("Helpers--")
    assert titles[codes(client, "carpenter helper", end=1)[0]].startswith("Helpers--")
    assert titles[codes(client, "carpenter supervisor", end=1)[0]].startswith("First-Line Supervisors")
    # ...and without those words, the trade itself comes first.
    assert not titles[codes(client, "roofer", end=1)[0]].startswith(("Helpers--", "First-Line"))


def test_word_order_does_not_matter(client):
    # Coding indexes write titles inverted ("Cook, Line"); the head noun stays the head noun.
    for plain, inverted in (("forest manager", "Manager, Forest"), ("line cook", "Cook, Line")):
        assert codes(client, inverted, end=5) == codes(client, plain, end=5)


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("registerd nurse", "registered nurse"),
        ("custodain", "custodian"),
        ("electrcian", "electrician"),
        ("phlebotomits", "phlebotomist"),
        ("salesclerk", "sales clerk"),
        ("welding oper", "welding operator"),
    ],
)
def test_misspellings_compounds_and_cut_words(client, typo, word):
    # Two letter edits in a long word, a compound of two title words, a word cut short.
    assert codes(client, typo, end=1) == codes(client, word, end=1)


def test_lab_test_technician_is_a_laboratory_technician(client, titles):
    # An issue example: "lab test technician" once ranked Office Clerks first.
    assert "Laboratory" in titles[codes(client, "lab test technician", end=1)[0]]


def test_ranking_in_batches_is_ranking_one_by_one(ctx):
    """`first_by_soc` ranks many queries together (bulk coding): each query's entries, scores included, are exactly
    the ones it gets alone, whatever else its batch holds. Queries: alternate titles of the release, a common word
    alone (its title candidates capped), one whose words and their families need more than 63 mask bits (object
    masks), one nothing matches; in batches that split them unevenly."""
    from onetlocal.services import search

    c = ctx()
    vocab = search._vocab(c)
    alternates = [r["Alternate Title"] for r in read_release("Alternate Titles")]
    queries = [search.parse_query(c, title) for title in alternates[:: max(1, len(alternates) // 300)]]
    queries += [search.parse_query(c, "operator"), search.parse_query(c, "zzzz nurse")]
    nurse = search.parse_query(c, "senior registered nurse manager night shift hospital clinical care unit lead")
    assert nurse is not None
    others = [w for w in sorted(vocab.title_df, key=lambda w: (-vocab.title_df[w], w)) if w not in nurse.weights][:60]
    owners = list(nurse.weights)
    family = {t: tuple(others[i :: len(owners)]) for i, t in enumerate(owners)}
    wide = search.Query(nurse.weights, nurse.core, nurse.primary, family, nurse.head)
    nothing = search.Query({"zzzz": 1.0}, ["zzzz"], frozenset({"zzzz"}), {}, None)
    queries = [q for q in queries if q is not None] + [wide, nothing]
    assert len(search._bits(wide, vocab.idf).words) > 63
    alone = [search.first_by_soc(c, [q], 30)[0] for q in queries]
    assert alone[-1] == [] and all(alone[:-1])
    assert len(alone[queries.index(search.parse_query(c, "operator"))]) == 30
    for batch in (search.BATCH, 7):
        together = []
        for start in range(0, len(queries), batch):
            together += search.first_by_soc(c, queries[start : start + batch], 30)
        assert together == alone
    # Alone, the first entry is /online/search's first code.
    assert [found[0][0] for found in alone[:50]] == [search.ranked(c, q)[0][0] for q in queries[:50]]
