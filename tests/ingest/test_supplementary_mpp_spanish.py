"""Mi Próximo Paso Spanish sample: every row and also-called title of the TSV, in source order; a malformed file
fails the build naming the problem."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from conftest import SHARED
from onetlocal.errors import BuildError
from onetlocal.ingest.supplementary.mpp_spanish import import_mpp_spanish
from onetlocal.ingest.tables import META_SCHEMA

TSV = SHARED / "supplementary" / "mpp-spanish-sample" / "mpp_sample_52.tsv"
HEADER = "onetsoc_code\ttitle_en\ttitle_es\twhat_they_do_es\talso_called_es\n"


def test_rows_equal_the_tsv(db):
    with open(TSV, encoding="utf-8", newline="") as fh:
        source = list(csv.DictReader(fh, delimiter="\t"))
    careers = {r["onetsoc_code"]: r for r in db.all("SELECT * FROM mpp_careers")}
    assert len(careers) == len(source) == 52
    for row in source:
        ours = careers[row["onetsoc_code"]]
        assert (ours["title_en"], ours["title"], ours["what_they_do"]) == (
            row["title_en"],
            row["title_es"],
            row["what_they_do_es"],
        )
        titles = [
            r["title"]
            for r in db.all(
                "SELECT title FROM mpp_also_called WHERE onetsoc_code = ? ORDER BY position", (row["onetsoc_code"],)
            )
        ]
        assert titles == ([t for t in row["also_called_es"].split(" | ")] if row["also_called_es"] else [])


def test_english_titles_match_the_release(db):
    """The file's English titles are the release's: the codes point at the intended occupations."""
    mismatched = db.all(
        "SELECT m.onetsoc_code FROM mpp_careers m LEFT JOIN occupation_data o USING (onetsoc_code) "
        "WHERE o.title IS NOT m.title_en"
    )
    assert mismatched == []


def _target() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(META_SCHEMA)
    return conn


@pytest.mark.parametrize(
    "text,message",
    [
        (HEADER + "15-1252\tSoftware Developers\tX\tY\t\n", r"bad O\*NET-SOC code '15-1252'"),
        (HEADER + "15-1252.00\tA\tB\tC\t\n15-1252.00\tA\tB\tC\t\n", r"15-1252\.00 listed twice"),
        ("onetsoc_code\ttitle_es\n15-1252.00\tB\n", r"bad header, missing column\(s\) title_en"),
    ],
)
def test_malformed_file(tmp_path, text, message):
    path = tmp_path / "mpp.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError, match=message):
        import_mpp_spanish(_target(), path)


def test_a_full_file_in_the_same_layout(tmp_path):
    path = tmp_path / "mpp.tsv"
    path.write_text(
        HEADER + "15-1252.00\tSoftware Developers\tDesarrolladores\tHacen programas.\tA | B\n"
        "29-1141.00\tRegistered Nurses\tEnfermeros\t\t\n",
        encoding="utf-8",
    )
    conn = _target()
    assert import_mpp_spanish(conn, path) == 2
    assert conn.execute("SELECT what_they_do FROM mpp_careers WHERE onetsoc_code = '29-1141.00'").fetchone() == (None,)
    assert conn.execute("SELECT onetsoc_code, position, title FROM mpp_also_called").fetchall() == [
        ("15-1252.00", 1, "A"),
        ("15-1252.00", 2, "B"),
    ]
