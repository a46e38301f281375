"""Reading supplementary source files (CSV, TSV, xlsx) into a header and rows of text cells."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from onetlocal.errors import BuildError

Table = tuple[list[str], list[list[str | None]]]


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()
    text = str(value).strip()
    return text if text and text.lower() not in ("n/a", "na") else None


def _clean(rows: Iterable[Sequence[object]]) -> list[list[str | None]]:
    out = []
    for row in rows:
        cells = [_cell(v) for v in row]
        if any(c is not None for c in cells):
            out.append(cells)
    return out


def read_delimited(path: Path, delimiter: str = ",", encoding: str = "utf-8-sig") -> Table:
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = [h.strip() for h in next(reader, [])]
        rows = _clean(reader)
    width = len(header)
    return header, [(r + [None] * width)[:width] for r in rows]


def read_xlsx(
    path: Path, sheet: str | int | None = None, header_when: Callable[[list[str | None]], bool] | None = None
) -> Table:
    """Rows of one sheet (by name, index, or the first); the header is the first row `header_when` accepts
    (default: the first non-empty row), since many official workbooks start with title rows."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise BuildError(f"{path.name}: not a readable xlsx workbook ({exc})") from exc
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif isinstance(sheet, int):
            ws = book.worksheets[sheet]
        else:
            ws = book[sheet]
        rows = _clean(ws.iter_rows(values_only=True))
    except (KeyError, IndexError) as exc:
        raise BuildError(f"{path.name}: no sheet {sheet!r}") from exc
    finally:
        book.close()
    accept = header_when or (lambda r: True)
    for i, row in enumerate(rows):
        if accept(row):
            width = max(j for j, c in enumerate(row) if c is not None) + 1
            header = [c or f"column_{j + 1}" for j, c in enumerate(row[:width])]
            return header, [(r + [None] * width)[:width] for r in rows[i + 1 :]]
    raise BuildError(f"{path.name}: no header row found")


def require_columns(name: str, header: Sequence[str], expected: Sequence[str]) -> None:
    lower = {h.lower() for h in header}
    missing = [e for e in expected if e.lower() not in lower]
    if missing:
        raise BuildError(f"{name}: bad header, missing column(s) {', '.join(missing)}")
