"""CIP 2020 programs of study: the code list (NCES), CIP <-> SOC 2018 (NCES/BLS) and CIP -> O*NET-SOC 2019 (O*NET).

CIP codes are kept as `NN.NNNN` text (leading zeros matter). The NCES crosswalk marks codes without a partner
with a `99-9999` / `99.9999` "NO MATCH" row; those placeholders are not pairs and are left out.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from onetlocal.errors import BuildError
from onetlocal.ingest.readers import read_delimited, read_xlsx, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Column, write_table

CIP_RE = re.compile(r"^\d{2}(\.\d{2}(\d{2})?)?$")
NO_MATCH = {"99-9999", "99.9999"}

CIP_CODE = Column("cip_code", "CIP Code", "TEXT", "2020 CIP code, NN.NNNN")


def cip_code(name: str, text: str | None) -> str:
    """The code as NCES writes it; a code Excel turned into a number (1.0101) is padded back ('01.0101')."""
    code = (text or "").strip().removeprefix("=").strip('"')
    if re.fullmatch(r"\d{1,2}\.\d{1,4}", code) and not CIP_RE.match(code):
        whole, frac = code.split(".")
        code = f"{whole.zfill(2)}.{frac.ljust(4, '0')}"
    if not CIP_RE.match(code):
        raise BuildError(f"{name}: bad CIP code {text!r}")
    return code


def _pick(name: str, header: list[str], rows: list[list[str | None]], wanted: list[str]) -> list[list[str | None]]:
    require_columns(name, header, wanted)
    idx = {h.strip().lower(): i for i, h in enumerate(header)}
    return [[row[idx[w.lower()]] for w in wanted] for row in rows]


def import_cip_codes(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_delimited(path)
    header = [h.removeprefix("=").strip('"') for h in header]
    wanted = [
        "CIPCode",
        "CIPFamily",
        "CIPTitle",
        "CIPDefinition",
        "CrossReferences",
        "Examples",
        "Action",
        "TextChange",
    ]
    out = []
    for code, family, *rest in _pick(path.name, header, rows, wanted):
        code = cip_code(path.name, code)
        out.append([code, cip_code(path.name, family), str(len(code.replace(".", ""))), *rest])
    columns = [
        CIP_CODE,
        Column("cip_family", "CIP Family", "TEXT", "2-digit CIP series"),
        Column("code_level", "Code Level", "INTEGER", "Digits in the code: 2 (series), 4 (group) or 6 (program)"),
        Column("title", "Title", "TEXT", "CIP title as published by NCES (with its trailing period)"),
        Column("definition", "Definition", "TEXT", "CIP definition"),
        Column("cross_references", "Cross References", "TEXT", "Related CIP codes named by NCES"),
        Column("examples", "Examples", "TEXT", "Illustrative program names"),
        Column("action", "Action", "TEXT", "Change from CIP 2010 (e.g. No substantive changes, New)"),
        Column("text_change", "Text Change", "TEXT", "Whether the text changed from CIP 2010 (yes/no)"),
    ]
    return write_table(
        conn,
        "cip_codes",
        "CIP 2020 Codes",
        "The 2020 Classification of Instructional Programs: series, groups and programs with their "
        "titles and definitions (NCES).",
        columns,
        out,
        source="supplementary",
        indexes=[("cip_code",), ("cip_family", "code_level")],
    )


def import_cip_soc(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_xlsx(path, "CIP-SOC")
    out = []
    for cip, cip_title, soc, soc_title in _pick(
        path.name, header, rows, ["CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title"]
    ):
        if cip in NO_MATCH or soc in NO_MATCH:
            continue
        if not re.fullmatch(r"\d{2}-\d{4}", soc or ""):
            raise BuildError(f"{path.name}: bad SOC code {soc!r}")
        out.append([cip_code(path.name, cip), cip_title, soc, soc_title])
    columns = [
        CIP_CODE,
        Column("cip_title", "CIP Title", "TEXT", "CIP title (NCES, with trailing period)"),
        Column("soc_code", "SOC Code", "TEXT", "2018 SOC detailed occupation code"),
        Column("soc_title", "SOC Title", "TEXT", "2018 SOC title"),
    ]
    return write_table(
        conn,
        "cip_soc_crosswalk",
        "CIP 2020 to SOC 2018 Crosswalk",
        "NCES/BLS crosswalk between 2020 CIP programs and 2018 SOC occupations (many-to-many; codes "
        "without a match are not listed).",
        columns,
        out,
        source="supplementary",
        indexes=[("cip_code",)],
    )


def import_cip_onetsoc(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_xlsx(path, header_when=lambda r: (r[0] or "").strip() == "2020 CIP Code")
    out = []
    wanted = ["2020 CIP Code", "2020 CIP Title", "O*NET-SOC 2019 Code", "O*NET-SOC 2019 Title"]
    for cip, cip_title, code, title in _pick(path.name, header, rows, wanted):
        if not re.fullmatch(r"\d{2}-\d{4}\.\d{2}", code or ""):
            raise BuildError(f"{path.name}: bad O*NET-SOC code {code!r}")
        out.append([cip_code(path.name, cip), cip_title, code, title])
    columns = [
        CIP_CODE,
        Column("cip_title", "CIP Title", "TEXT", "CIP title (O*NET wording, no trailing period)"),
        Column("onetsoc_code", "O*NET-SOC Code", "TEXT", "O*NET-SOC 2019 code"),
        Column("onetsoc_title", "O*NET-SOC Title", "TEXT", "O*NET-SOC 2019 title"),
    ]
    return write_table(
        conn,
        "cip_onetsoc_crosswalk",
        "CIP 2020 to O*NET-SOC 2019 Crosswalk",
        "O*NET's crosswalk from 2020 CIP programs to O*NET-SOC 2019 occupations (many-to-many).",
        columns,
        out,
        source="supplementary",
        indexes=[("cip_code",)],
    )


IMPORTERS = [
    SupplementaryImporter("cip_codes", "nces-cip2020-soc2018-crosswalk/CIPCode2020.csv", import_cip_codes),
    SupplementaryImporter(
        "cip_soc_crosswalk", "nces-cip2020-soc2018-crosswalk/CIP2020_SOC2018_Crosswalk.xlsx", import_cip_soc
    ),
    SupplementaryImporter(
        "cip_onetsoc_crosswalk", "onet-cip-to-onet-soc-crosswalk/Education_CIP_to_ONET_SOC.xlsx", import_cip_onetsoc
    ),
]
