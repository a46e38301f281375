"""Streaming exports (CSV, tab-delimited text, Excel, JSON Lines) of a query's rows: a renderer of the same query,
not a second path."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import orjson

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12


@dataclass
class Stream:
    """A service result that is sent as a streamed download instead of a JSON body."""

    media_type: str
    chunks: Iterator[bytes]
    filename: str | None = None


def csv_chunks(
    columns: list[str], rows: Iterable[dict], batch: int = 500, header: list[str] | None = None, delimiter: str = ","
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", delimiter=delimiter)
    writer.writerow(header or columns)
    for i, row in enumerate(rows, start=1):
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
        if i % batch == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def jsonl_chunks(rows: Iterable[dict], batch: int = 500) -> Iterator[bytes]:
    lines: list[bytes] = []
    for row in rows:
        lines.append(orjson.dumps(row) + b"\n")
        if len(lines) >= batch:
            yield b"".join(lines)
            lines.clear()
    yield b"".join(lines)


def text_chunks(columns: list[str], rows: Iterable[dict], titles: list[str] | None = None) -> Iterator[bytes]:
    """Tab-delimited with the column titles as header, the layout of the O*NET release's text files."""
    return csv_chunks(columns, rows, header=titles, delimiter="\t")


class _Drain(io.RawIOBase):
    """A write-only, unseekable file whose written bytes are taken out as they come (zipfile streams into it)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Buffer) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        return len(chunk)

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
    ),
}
#: Characters XML 1.0 cannot carry.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _xlsx_cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(_NOT_XML.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def xlsx_chunks(
    columns: list[str], rows: Iterable[dict], titles: list[str] | None = None, batch: int = 500
) -> Iterator[bytes]:
    """One worksheet, the column titles as its first row; written as it streams (inline strings, no styles)."""
    drain = _Drain()
    letters = [_column_letters(i) for i in range(1, len(columns) + 1)]
    with zipfile.ZipFile(drain, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in _XLSX_PARTS.items():
            book.writestr(name, xml)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            header = "".join(_xlsx_cell(f"{c}1", t) for c, t in zip(letters, titles or columns, strict=False))
            sheet.write(f'<row r="1">{header}</row>'.encode())
            for n, row in enumerate(rows, start=2):
                cells = "".join(_xlsx_cell(f"{c}{n}", row[col]) for c, col in zip(letters, columns, strict=True))
                sheet.write(f'<row r="{n}">{cells}</row>'.encode())
                if n % batch == 0:
                    yield drain.take()
            sheet.write(b"</sheetData></worksheet>")
    yield drain.take()


#: format name -> (media type, file extension, renderer(columns, rows, titles))
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv", lambda columns, rows, titles: csv_chunks(columns, rows)),
    "text": ("text/tab-separated-values; charset=utf-8", "txt", text_chunks),
    "excel": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", xlsx_chunks),
    "jsonl": ("application/x-ndjson", "jsonl", lambda columns, rows, titles: jsonl_chunks(rows)),
}


def export(fmt: str, name: str, columns: list[str], rows: Iterable[dict], titles: list[str] | None = None) -> Stream:
    media_type, ext, render = FORMATS[fmt]
    return Stream(media_type, render(columns, rows, titles), f"{name}.{ext}")
