"""My supplementary importers fail a present-but-malformed file with a one-line BuildError naming the file and the
problem (small files written here in the sources' layouts)."""

from __future__ import annotations

import sqlite3

import pytest

from onetlocal.errors import BuildError
from onetlocal.ingest.supplementary import cip, interest_profiler, projections, state_projections
from onetlocal.ingest.tables import META_SCHEMA


def _target() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(META_SCHEMA)
    return conn


PROJECTION_HEADER = (
    "STFIPS,Area,OccCode,Title,BaseYear,ProjYear,Base,Projected,Change,PercentChange,AvgAnnualOpenings,StateURL\n"
)

CASES = [
    (
        interest_profiler.import_questions,
        "ip.tsv",
        "index\tarea\ttext\n1\tRealistic\tBuild\n2\tSporty\tRun\n",
        r"ip\.tsv: unknown interest area 'Sporty'",
    ),
    (
        interest_profiler.import_questions,
        "ip.tsv",
        "index\tarea\ttext\n1\tRealistic\tBuild\n3\tSocial\tHelp\n",
        r"ip\.tsv: item indexes must run 1\.\.2",
    ),
    (
        interest_profiler.import_questions,
        "ip.tsv",
        "number\tarea\ttext\n1\tRealistic\tBuild\n",
        r"ip\.tsv: bad header, missing column\(s\) index",
    ),
    (
        state_projections.import_state_projections,
        "nv.csv",
        PROJECTION_HEADER + "32,Nevada,15-1252,Software Developers,2024,2034,many,5640,720,14.5,330,x\n",
        r"nv\.csv: column 'Base Employment': not a number: 'many'",
    ),
    (
        state_projections.import_state_projections,
        "nv.csv",
        "STFIPS,Area\n32,Nevada\n",
        r"nv\.csv: bad header, missing column\(s\) OccCode",
    ),
    (
        cip.import_cip_codes,
        "cip.csv",
        "CIPFamily,CIPCode,Action,TextChange,CIPTitle,CIPDefinition,CrossReferences,Examples\n"
        '="01",="1.2.3",None,no,Title.,Def.,,\n',
        r"cip\.csv: bad CIP code",
    ),
]


@pytest.mark.parametrize("run,name,text,message", CASES, ids=[c[3][:40] for c in CASES])
def test_malformed_file(tmp_path, run, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError, match=message) as err:
        run(_target(), path)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("run", [cip.import_cip_soc, cip.import_cip_onetsoc, projections.import_projections])
def test_not_a_workbook(tmp_path, run):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BuildError, match=r"book\.xlsx: not a readable xlsx workbook"):
        run(_target(), path)


def test_projections_header_is_checked(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Table 1.2"
    sheet.append(["Table 1.2 Occupational projections"])
    sheet.append(["2024 National Employment Matrix title", "2024 National Employment Matrix code", "Occupation type"])
    sheet.append(["Software developers", "15-1252", "Line item"])
    path = tmp_path / "occupation.xlsx"
    book.save(path)
    with pytest.raises(BuildError, match=r"occupation\.xlsx Table 1\.2: bad header, missing column\(s\) Employment"):
        projections.import_projections(_target(), path)
