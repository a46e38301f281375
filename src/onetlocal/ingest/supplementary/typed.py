"""Typing supplementary cells against declared columns, so a malformed number fails the build with a clear message
(naming the file, the column and the value) instead of silently turning a numeric column into text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from onetlocal.errors import BuildError
from onetlocal.ingest.tables import Cell, Column

#: Cell texts official files use for "no value" (BLS uses an em dash).
MISSING = frozenset({"—", "–", "-", "(NA)", "N/A", "*", "**", "#"})


def typed_rows(name: str, columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> list[list[Cell]]:
    """Rows converted to each column's type (INTEGER -> int, REAL -> float, TEXT kept); empty cells and MISSING
    texts in number columns -> None."""
    out = []
    for row in rows:
        values: list[Cell] = []
        for column, value in zip(columns, row, strict=False):
            if column.type == "TEXT" or value is None:
                values.append(value if value != "" else None)
                continue
            text = str(value).strip().replace(",", "")
            if not text or text in MISSING:
                values.append(None)
                continue
            try:
                number = float(text)
                values.append(
                    int(number)
                    if column.type == "INTEGER" and number.is_integer()
                    else number
                    if column.type == "REAL"
                    else int(text)
                )
            except ValueError:
                raise BuildError(f"{name}: column {column.title!r}: not a number: {value!r}") from None
        out.append(values)
    return out
