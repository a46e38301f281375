"""O*NET data by descriptor (`/online/onet_data/{section}/{id}`), where report element items link; checked
against the release files."""

from __future__ import annotations

import pytest

from conftest import read_release
from test_reports import BASE, error, ok, trunc


def test_onet_data_ranks_occupations_by_the_element(client):
    rows = [r for r in read_release("Skills") if r["Element ID"] == "2.A.1.a" and r["Scale ID"] == "IM"]
    level = {
        r["O*NET-SOC Code"]: trunc(float(r["Data Value"]), 0, 7)
        for r in read_release("Skills")
        if r["Element ID"] == "2.A.1.a" and r["Scale ID"] == "LV"
    }
    link = ok(client, f"{BASE}/details/skills", end=100)["element"][0]["related"]
    body = ok(client, "/online/onet_data/skills/2.A.1.a", end=2000)
    assert body["element"]["id"] == "2.A.1.a" and body["element"]["name"] == "Reading Comprehension"
    assert body["total"] == len(rows)
    importance = [o["importance"] for o in body["occupation"]]
    assert importance == sorted(importance, reverse=True)
    expected = {r["O*NET-SOC Code"]: trunc(float(r["Data Value"]), 1, 5) for r in rows}
    assert {o["code"]: o["importance"] for o in body["occupation"]} == expected
    assert all(o["level"] == level[o["code"]] for o in body["occupation"])
    assert ok(client, link.removeprefix("http://testserver"))["end"] == 20  # the report link answers


def test_onet_data_interests_by_letter(client):
    rows = [r for r in read_release("Interests") if r["Element ID"] == "1.B.1.a" and r["Scale ID"] == "OI"]
    body = ok(client, "/online/onet_data/interests/R", end=2000)
    assert body["element"]["name"] == "Realistic" and body["total"] == len(rows)
    assert body["occupation"][0]["occupational_interest"] == max(trunc(float(r["Data Value"]), 1, 7) for r in rows)
    assert ok(client, "/online/onet_data/interests/1.B.1.a")["total"] == len(rows)


@pytest.mark.parametrize(
    "url",
    [
        "/online/onet_data/skills/9.Z",
        "/online/onet_data/bogus/2.A.1.a",
        "/online/onet_data/work_activities/4.A.1.a.1",
        "/online/onet_data/interests/RR",
        "/online/onet_data/interests/RIAS",
        "/online/onet_data/interests/RX",
        "/online/onet_data/interests/1.B.1.g",
    ],
)
def test_onet_data_422(client, url):
    assert error(client, url)


# -- interest high-point codes (2–3 letters) ---------------------------------------------------------------


def _interest_rows(build: str) -> list[dict]:
    from conftest import read_current

    return read_release("Interests") if build == "30.1" else read_current("career_interest_types")


def _high_points(build: str) -> tuple[dict[str, str], dict[str, dict[str, float]], dict[str, str]]:
    """From the release file alone: code -> high-point code ("RIC"; IH 1-6 = R, I, A, S, E, C; 0 = none),
    code -> letter -> OI, code -> title."""
    letters, positions = "RIASEC", {"1.B.1.g": 0, "1.B.1.h": 1, "1.B.1.i": 2}
    ranks: dict[str, dict[int, str]] = {}
    oi: dict[str, dict[str, float]] = {}
    titles = {}
    for r in _interest_rows(build):
        code = r["O*NET-SOC Code"]
        titles[code] = r.get("Title") or code
        if r["Scale ID"] == "IH" and r["Element ID"] in positions and int(float(r["Data Value"])):
            ranks.setdefault(code, {})[positions[r["Element ID"]]] = letters[int(float(r["Data Value"])) - 1]
        if r["Scale ID"] == "OI":
            oi.setdefault(code, {})[
                "RIASEC"["1.B.1.a 1.B.1.b 1.B.1.c 1.B.1.d 1.B.1.e 1.B.1.f".split().index(r["Element ID"])]
            ] = float(r["Data Value"])
    codes = {code: "".join(v for _, v in sorted(points.items())) for code, points in ranks.items()}
    return codes, oi, titles


@pytest.fixture(scope="module", params=["30.1", "30.3"])
def build_and_client(request):
    return request.param, request.getfixturevalue("client" if request.param == "30.1" else "current_client")


@pytest.mark.parametrize("letters", ["RI", "SE", "ec", "AES", "CER"])
def test_onet_data_interest_codes_are_high_point_prefixes(build_and_client, letters):
    """`RI` = first high point Realistic and second Investigative (any third); `AES` = exactly A, E, S. Ordered by
    the OI ratings of the code's letters in turn (highest first), then title; checked against the release file."""
    build, client = build_and_client
    codes, oi, _ = _high_points(build)
    wanted = letters.upper()
    expected = [c for c, hp in codes.items() if hp.startswith(wanted)]
    body = ok(client, f"/online/onet_data/interests/{letters}", end=2000)
    served = [o["code"] for o in body["occupation"]]
    assert set(served) == set(expected) and body["total"] == len(expected) > 0
    keys = [tuple(-oi[c][x] for x in wanted) for c in served]
    assert keys == sorted(keys)
    assert all(
        o["high_point_code"].startswith(wanted) and o["high_point_code"] == codes[o["code"]] for o in body["occupation"]
    )
    assert all(o["occupational_interest"] == trunc(oi[o["code"]][wanted[0]], 1, 7) for o in body["occupation"])
    assert body["element"]["id"] == wanted
    assert body["element"]["name"] == "-".join(
        {
            "R": "Realistic",
            "I": "Investigative",
            "A": "Artistic",
            "S": "Social",
            "E": "Enterprising",
            "C": "Conventional",
        }[x]
        for x in wanted
    )


def test_onet_data_interest_code_items_and_paging(client):
    body = ok(client, "/online/onet_data/interests/RI", end=5)
    first = body["occupation"][0]
    assert set(first) == {"href", "code", "title", "tags", "occupational_interest", "high_point_code"}
    assert body["next"].endswith("/online/onet_data/interests/RI?start=6&end=10")
    # one letter stays the element's full ranking (every occupation rated on it), as the report links use it
    assert ok(client, "/online/onet_data/interests/R")["total"] > ok(client, "/online/onet_data/interests/RI")["total"]
    assert "high_point_code" not in ok(client, "/online/onet_data/interests/R")["occupation"][0]


def test_onet_data_interest_code_nobody_has_is_an_empty_page(client):
    codes, _, _ = _high_points("30.1")
    triples = {a + b + c for a in "RIASEC" for b in "RIASEC" for c in "RIASEC" if len({a, b, c}) == 3}
    unused = sorted(triples - set(codes.values()))[0]
    body = ok(client, f"/online/onet_data/interests/{unused}")
    assert body == {"start": 1, "end": 0, "total": 0, "element": body["element"], "occupation": []}
    assert body["element"]["id"] == unused
