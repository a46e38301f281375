"""Tables in and out, one row at a time: CSV, TSV, XLSX and JSON Lines, chosen by the file's extension (`FORMATS`).

A reader opens the input, gives its column names and then its rows as dicts (so memory stays flat whatever the
size), and says how far it has read (`position` / `size`, for the progress bar). A writer writes rows with the same
columns plus the added ones, in the same format. XLSX is read with openpyxl's read-only mode (the first sheet, the
first row as the header) and written with its write-only mode; both stream.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol

from onetlocal.errors import OnetLocalError


class FileError(OnetLocalError):
    """An input the coder cannot read (unknown format, no such column, a bad line): said in one line."""


class Reader(Protocol):
    columns: list[str]

    def rows(self) -> Iterator[dict[str, Any]]: ...

    @property
    def position(self) -> int: ...  # bytes or rows read so far, in the unit of `size`

    @property
    def size(self) -> int: ...

    def close(self) -> None: ...


class Writer(Protocol):
    def write(self, row: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


class _TextReader:
    """CSV or TSV: the first row names the columns."""

    def __init__(self, path: Path, delimiter: str):
        self._raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.size = path.stat().st_size
        self._text = io.TextIOWrapper(self._raw, encoding="utf-8-sig", newline="")
        self._csv = csv.reader(self._text, delimiter=delimiter)
        self.columns: list[str] = next(self._csv, [])
        if not self.columns:
            raise FileError(f"{path.name}: empty file (the first row must name the columns)")

    def rows(self) -> Iterator[dict[str, Any]]:
        n = len(self.columns)
        for cells in self._csv:
            if cells:
                yield dict(zip(self.columns, (cells + [""] * n)[:n], strict=True))

    @property
    def position(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._text.close()


class _TextWriter:
    def __init__(self, fh: IO[str], columns: list[str], delimiter: str):
        self._fh = fh
        self._columns = columns
        self._csv = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        self._csv.writerow(columns)

    def write(self, row: dict[str, Any]) -> None:
        self._csv.writerow([_cell(row.get(c)) for c in self._columns])

    def close(self) -> None:
        self._fh.close()


class _JsonlReader:
    """JSON Lines: one object per line; the columns are the keys of the first."""

    def __init__(self, path: Path):
        self._raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.size = path.stat().st_size
        self._name = path.name
        self._lines = self._objects()
        self._first = next(self._lines, None)
        self.columns = list(self._first) if self._first else []

    def _objects(self) -> Iterator[dict[str, Any]]:
        for number, line in enumerate(self._raw, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                raise FileError(f"{self._name} line {number}: not JSON ({exc.args[0][:80]})") from None
            if not isinstance(value, dict):
                raise FileError(f"{self._name} line {number}: not a JSON object")
            yield value

    def rows(self) -> Iterator[dict[str, Any]]:
        if self._first is not None:
            yield self._first
        yield from self._lines

    @property
    def position(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._raw.close()


class _JsonlWriter:
    def __init__(self, fh: IO[str]):
        self._fh = fh

    def write(self, row: dict[str, Any]) -> None:
        self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._fh.close()


class _XlsxReader:
    def __init__(self, path: Path):
        import openpyxl

        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
            raise FileError(f"{path.name}: not an .xlsx workbook ({type(exc).__name__})") from None
        sheet = self._book.worksheets[0]
        self._rows = sheet.iter_rows(values_only=True)
        header = next(self._rows, None) or ()
        self.columns = [_cell(c) for c in header]
        if not any(self.columns):
            raise FileError(f"{path.name}: the first row of the first sheet must name the columns")
        self.size = max(1, (sheet.max_row or 1) - 1)
        self._read = 0

    def rows(self) -> Iterator[dict[str, Any]]:
        n = len(self.columns)
        for cells in self._rows:
            self._read += 1
            if cells and any(c is not None for c in cells):
                yield dict(zip(self.columns, (list(cells) + [None] * n)[:n], strict=True))

    @property
    def position(self) -> int:
        return self._read

    def close(self) -> None:
        self._book.close()


class _XlsxWriter:
    def __init__(self, path: Path, columns: list[str]):
        import openpyxl

        self._path = path
        self._book = openpyxl.Workbook(write_only=True)
        self._sheet = self._book.create_sheet("coded")
        self._columns = columns
        self._sheet.append(columns)

    def write(self, row: dict[str, Any]) -> None:
        self._sheet.append([row.get(c) for c in self._columns])

    def close(self) -> None:
        self._book.save(self._path)


#: extension -> format name.
FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise FileError(f"{path.name}: unknown format (one of {', '.join(sorted(FORMATS))})")
    return fmt


def open_reader(path: Path) -> Reader:
    fmt = file_format(path)
    if fmt == "xlsx":
        return _XlsxReader(path)
    if fmt == "jsonl":
        return _JsonlReader(path)
    return _TextReader(path, "\t" if fmt == "tsv" else ",")


def open_writer(path: Path, fmt: str, columns: list[str]) -> Writer:
    """A writer of `fmt` into `path` (a new file: the caller renames it into place when every row is written)."""
    if fmt == "xlsx":
        return _XlsxWriter(path, columns)
    fh = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the writer's close()
    if fmt == "jsonl":
        return _JsonlWriter(fh)
    return _TextWriter(fh, columns, "\t" if fmt == "tsv" else ",")
