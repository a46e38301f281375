"""Mi Próximo Paso Spanish texts (`mpp-spanish-sample/mpp_sample_52.tsv` layout) -> `mpp_careers`, `mpp_also_called`.

Layout (UTF-8, tab-separated, header row): `onetsoc_code`, `title_en`, `title_es`, `what_they_do_es`,
`also_called_es` (Spanish alternate titles joined with " | "). The public sample covers 52 occupations; a deployment
with the full texts supplies a file in the same layout and every `/mpp/` career answers in Spanish. Texts are kept
exactly as published (Mi Próximo Paso, USDOL/ETA, CC BY 4.0); nothing is translated here. An empty cell is "no
Spanish text" (the service then answers English and says so), not an empty text.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from onetlocal.errors import BuildError
from onetlocal.ingest.readers import read_delimited, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Cell, Column, write_table

HEADER = ["onetsoc_code", "title_en", "title_es", "what_they_do_es", "also_called_es"]
CODE_RE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
SEPARATOR = " | "

CAREERS = [
    Column("onetsoc_code", "O*NET-SOC Code", "TEXT", "O*NET-SOC 2019 code"),
    Column("title_en", "English Title", "TEXT", "O*NET-SOC title as given in the source file (a check on the code)"),
    Column("title", "Spanish Title", "TEXT", "Mi Próximo Paso career title"),
    Column("what_they_do", "What They Do", "TEXT", 'Mi Próximo Paso "¿Qué hacen?" description'),
]
ALSO_CALLED = [
    Column("onetsoc_code", "O*NET-SOC Code", "TEXT", "O*NET-SOC 2019 code"),
    Column("position", "Position", "INTEGER", "1-based order of the title in the source cell"),
    Column("title", "Title", "TEXT", 'Mi Próximo Paso "También llamado" title'),
]


def import_mpp_spanish(conn: sqlite3.Connection, path: Path) -> int:
    header, rows = read_delimited(path, delimiter="\t")
    require_columns(path.name, header, HEADER)
    idx = {h.lower(): i for i, h in enumerate(header)}
    careers: list[list[Cell]] = []
    also_called: list[list[Cell]] = []
    seen: set[str] = set()
    for row in rows:
        code = row[idx["onetsoc_code"]] or ""
        if not CODE_RE.match(code):
            raise BuildError(f"{path.name}: bad O*NET-SOC code {code!r}")
        if code in seen:
            raise BuildError(f"{path.name}: O*NET-SOC code {code} listed twice")
        seen.add(code)
        careers.append([code, row[idx["title_en"]], row[idx["title_es"]], row[idx["what_they_do_es"]]])
        titles = [t.strip() for t in (row[idx["also_called_es"]] or "").split(SEPARATOR.strip())]
        also_called += [[code, n, t] for n, t in enumerate((t for t in titles if t), 1)]
    careers.sort(key=lambda r: str(r[0]))
    count = write_table(
        conn,
        "mpp_careers",
        "Mi Próximo Paso Careers",
        "Spanish career titles and descriptions of Mi Próximo Paso (USDOL/ETA, CC BY 4.0), one row per "
        "O*NET-SOC code present in the imported file.",
        CAREERS,
        careers,
        source="supplementary",
    )
    write_table(
        conn,
        "mpp_also_called",
        "Mi Próximo Paso Also Called",
        'Spanish "También llamado" titles of Mi Próximo Paso careers (USDOL/ETA, CC BY 4.0), in source order.',
        ALSO_CALLED,
        also_called,
        source="supplementary",
        indexes=[("onetsoc_code", "position")],
    )
    return count


IMPORTERS = [
    SupplementaryImporter("mpp_spanish", "mpp-spanish-sample/mpp_sample_52.tsv", import_mpp_spanish),
]
