"""Bulk occupation coding (issue 21): the coder (services/coding.py) on the real database, and `onetlocal code` run as
a subprocess on CSV, TSV, XLSX and JSON Lines files written here. The HTTP route: tests/http/test_coding_route.py."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import read_release, sql
from onetlocal.coding.run import ADDED
from onetlocal.errors import InvalidParameter
from onetlocal.services import coding, search


@pytest.fixture()
def coder(ctx):
    return coding.Coder(ctx())


def _alternate_titles(n: int) -> list[str]:
    rows = read_release("Alternate Titles")
    return [r["Alternate Title"] for r in rows[:: max(1, len(rows) // n)]][:n]


# -- the coder ------------------------------------------------------------------------------------------------


def test_first_code_is_the_searchs_first_code(ctx, coder):
    """Without an industry the answer is /online/search's first code (the same ranker), typos and inverted titles
    included."""
    titles = _alternate_titles(40) + ["registerd nurse", "Manager, Forest", "cook - full time", "steelworker"]
    for title in titles:
        expected = search.search_codes(ctx(), title)
        coded = coder.code(title)
        assert (coded.choice.code if coded.choice else None) == (expected[0] if expected else None), title


def test_confidence_is_a_probability_and_alternatives_are_other_soc_occupations(coder, db_path):
    names = dict(sql(db_path, "SELECT onetsoc_code, title FROM occupation_data"))
    for title in _alternate_titles(40):
        coded = coder.code(title)
        choices = [coded.choice, *coded.alternatives]
        assert all(0.0 <= c.confidence <= 1.0 for c in choices)
        assert sum(c.confidence for c in choices) <= 1.0 + 1e-3  # they exclude one another
        assert len({c.code[:7] for c in choices}) == len(choices)  # distinct 6-digit SOC occupations
        assert all(names[c.code] == c.title for c in choices)
        assert len(coded.alternatives) <= coding.MAX_ALTERNATIVES  # fewer when fewer occupations match
        assert coded.review == (coded.choice.confidence < coding.REVIEW_BELOW)


def test_confidence_never_falls_as_the_score_rises():
    """The shipped models (fitted by benchmarks/coding_calibrate.py) are monotone in the answer's score."""
    for industry in (False, True):
        last = -1.0
        for step in range(60):
            found = [coding.Candidate("a", 1.0 + step * 0.1, False), coding.Candidate("b", 1.0, False)]
            found += [coding.Candidate(f"c{i}", 0.5 - 0.05 * i, False) for i in range(5)]
            conf = coding.confidences(found, industry)[0]
            assert 0.0 <= conf <= 1.0
            assert conf >= last - 1e-9
            last = conf
        assert last > 0.5  # a far better first candidate is likely right


def test_identical_titles_are_coded_once(coder):
    answers = [coder.code(t) for t in ["welder", "welder", "cashier", "welder", "cashier"]]
    assert coder.coded == 2
    assert answers[0] == answers[1] == answers[3]
    assert coder.code("welder", "3329") != answers[0] or coder.coded == 3  # another industry is another input


def test_a_code_is_certain_and_unreadable_text_is_flagged(coder):
    assert coder.code("15-1252").choice.code == "15-1252.00"
    assert coder.code("15-1252").choice.confidence == 1.0
    nothing = coder.code("zzqx qqzv")
    assert nothing.choice is None and nothing.review
    # the description is read when the title gives nothing
    assert coder.code("zzqx", description="drives a forklift in a warehouse").choice is not None


def test_industry_codes_and_lift_from_the_staffing_patterns(ctx, db_path):
    c = ctx()
    assert coding.industry_code(c, "6221") == "622100"
    assert coding.industry_code(c, "622110") == "622100"  # the most specific level OEWS publishes
    assert coding.industry_code(c, "62") == "62--63"
    assert coding.industry_code(c, "33") == "31--34"
    for bad in ("6", "abc", "1234567", "00"):
        with pytest.raises(InvalidParameter):
            coding.industry_code(c, bad)
    # Registered nurses are a far larger share of hospital employment than of all employment; roofers are not there.
    (hospital_rn,) = sql(
        db_path, "SELECT employment FROM oews_industry_wages WHERE industry_code = '622100' AND soc_code = '29-1141'"
    )[0]
    assert hospital_rn > 1_000_000
    assert coding.lift(c, "622100", "29-1141.00") > 1.0
    assert coding.lift(c, "622100", "47-2181.00") < 0.0


def test_industry_shifts_the_ranking(coder):
    """A cook in a hospital cooks for an institution; in a restaurant, for the restaurant."""
    assert coder.code("cook", "6221").choice.code == "35-2012.00"  # Cooks, Institution and Cafeteria
    assert coder.code("cook", "7225").choice.code == "35-2014.00"  # Cooks, Restaurant
    assert coder.code("driver", "4853").choice.code == "53-3053.00"  # taxi and limousine: Shuttle Drivers/Chauffeurs


# -- the CLI ------------------------------------------------------------------------------------------------


def _run(db_path: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "onetlocal", "code", *args, "--db", str(db_path), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        **kw,
    )


ROWS = [
    {"id": "1", "job_title": "Registered Nurse", "naics": "6221"},
    {"id": "2", "job_title": "registerd nurse", "naics": ""},
    {"id": "3", "job_title": "cook", "naics": "6221"},
    {"id": "4", "job_title": "Registered Nurse", "naics": "6221"},
    {"id": "5", "job_title": "zzqx qqzv", "naics": ""},
]


def _write_table(path: Path, rows: list[dict]) -> None:
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
        book.save(path)
    elif path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    else:
        with open(path, "w", newline="") as fh:
            writer = csv.DictWriter(fh, list(rows[0]), delimiter="\t" if path.suffix == ".tsv" else ",")
            writer.writeheader()
            writer.writerows(rows)


def _read_table(path: Path) -> list[dict]:
    if path.suffix == ".xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(path).worksheets[0]
        header, *rows = list(sheet.iter_rows(values_only=True))
        return [dict(zip(header, ("" if v is None else str(v) for v in row), strict=True)) for row in rows]
    if path.suffix == ".jsonl":
        return [{k: "" if v is None else str(v) for k, v in json.loads(line).items()} for line in path.open()]
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t" if path.suffix == ".tsv" else ","))


@pytest.mark.parametrize("ext", [".csv", ".tsv", ".xlsx", ".jsonl"])
def test_cli_codes_each_format_into_the_same_format(ext, tmp_path, db_path, ctx):
    source = tmp_path / f"titles{ext}"
    _write_table(source, ROWS)
    done = _run(db_path, str(source), "--column", "job_title", "--industry-column", "naics", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "5 rows (4 distinct)" in done.stderr and "1 flagged for review" in done.stderr
    written = tmp_path / f"titles.coded{ext}"
    assert written.stat().st_mode & 0o777 == source.stat().st_mode & 0o777  # the umask's, not mkstemp's 0600
    out = _read_table(written)
    assert [r["id"] for r in out] == ["1", "2", "3", "4", "5"]
    assert list(out[0]) == ["id", "job_title", "naics", *ADDED]
    c = ctx()
    assert out[1]["onet_code"] == search.search_codes(c, "registerd nurse")[0] == "29-1141.00"
    assert out[0]["onet_code"] == "29-1141.00" and out[0]["onet_title"] == "Registered Nurses"
    assert out[2]["onet_code"] == "35-2012.00"  # the hospital's cook
    assert {**out[0], "id": "4"} == out[3]  # the same title and industry: the same answer
    assert out[4]["onet_code"] == "" and out[4]["review"] == "True" and float(out[4]["confidence"]) == 0.0
    assert 0 < float(out[0]["confidence"]) <= 1 and out[0]["alt1_code"][:7] != "29-1141"


def test_cli_review_below_sets_the_flag(tmp_path, db_path):
    source = tmp_path / "t.csv"
    _write_table(source, ROWS)
    for threshold, flagged in (("1", {"True"}), ("0", {"False"})):
        out = tmp_path / f"out{threshold}.csv"
        done = _run(db_path, str(source), "-o", str(out), "--column", "job_title", "--review-below", threshold)
        assert done.returncode == 0, done.stderr
        rows = _read_table(out)
        assert {r["review"] for r in rows if r["onet_code"]} == flagged


def test_cli_refuses_an_unknown_column_and_writes_nothing(tmp_path, db_path):
    source = tmp_path / "t.csv"
    _write_table(source, ROWS)
    done = _run(db_path, str(source), "--column", "title")
    assert done.returncode != 0
    assert "no title column 'title'" in done.stderr and "job_title" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]
    done = _run(db_path, str(source), "--column", "job_title", "-o", str(tmp_path / "t.jsonl"))
    assert done.returncode != 0 and "must be csv" in done.stderr


def test_cli_interrupted_leaves_no_output(tmp_path, db_path):
    """Ctrl-C (SIGINT) in the middle of a large file: exit 130, no output, no temporary file left."""
    words = [r["Alternate Title"] for r in read_release("Alternate Titles")]
    source = tmp_path / "big.csv"
    with open(source, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["title"])
        for i in range(200_000):
            writer.writerow([f"{words[i % len(words)]} {words[(i * 7919) % len(words)]}"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "onetlocal", "code", str(source), "--db", str(db_path), "--quiet", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):  # writing has begun
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.05)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted: no output written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv"]
