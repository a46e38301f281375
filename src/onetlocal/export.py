"""Streaming exports (CSV, tab-delimited text, JSON Lines) of a query's rows: a renderer of the same query, not a
second path."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import orjson


@dataclass
class Stream:
    """A service result that is sent as a streamed download instead of a JSON body."""

    media_type: str
    chunks: Iterator[bytes]
    filename: str | None = None


def csv_chunks(columns: list[str], rows: Iterable[dict], batch: int = 500, header: list[str] | None = None,
               delimiter: str = ",") -> Iterator[bytes]:
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


#: format name -> (media type, file extension, renderer(columns, rows, titles))
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv", lambda columns, rows, titles: csv_chunks(columns, rows)),
    "text": ("text/tab-separated-values; charset=utf-8", "txt", text_chunks),
    "jsonl": ("application/x-ndjson", "jsonl", lambda columns, rows, titles: jsonl_chunks(rows)),
}


def export(fmt: str, name: str, columns: list[str], rows: Iterable[dict], titles: list[str] | None = None) -> Stream:
    media_type, ext, render = FORMATS[fmt]
    return Stream(media_type, render(columns, rows, titles), f"{name}.{ext}")
