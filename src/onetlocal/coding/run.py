"""Code a file: read it in chunks, code each distinct title once, write the rows with the coded columns.

- Workers: `workers` processes (fork; each opens the database and ranks on its own core), fed chunks of
  `CHUNK` rows' distinct new titles; the main process reads, dedupes, writes in input order and keeps at most
  `2 x workers + 1` chunks in flight, so memory is bounded whatever the input's size (plus the titles remembered for
  dedupe, at most `coding.CACHE_ENTRIES`). With `workers=1` everything runs in this process.
- All or nothing: the output is written to a hidden temporary file beside it and renamed into place at the end; an
  error or Ctrl-C (KeyboardInterrupt) removes it, so an interrupted run leaves no output (and an older output file
  of the same name untouched).
- Progress: a rich bar on stderr (bytes read, or rows for XLSX; rows per second; time left).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onetlocal.coding.files import FileError, Reader, file_format, open_reader, open_writer
from onetlocal.context import Ctx
from onetlocal.db import Database
from onetlocal.services import coding

#: Rows per chunk. Small enough that the last chunks, coded while other workers have nothing left, end soon
#: (1,000: ~7% slower with 2 workers on 24,425 titles); large enough that handing chunks over costs little.
CHUNK = 250

#: The columns added to every row, in this order (alternatives: alt1_*, alt2_*).
ADDED = [
    "onet_code",
    "onet_title",
    "confidence",
    *(f"alt{i}_{part}" for i in range(1, coding.MAX_ALTERNATIVES + 1) for part in ("code", "title", "confidence")),
    "review",
]

Key = tuple[str, str | None, str | None]
#: A key's answer as the workers send it back: the ADDED columns' values, whether it is flagged for review, whether
#: the industry was used. Plain tuples: unpickling them costs the main process (which also reads and writes every
#: row) a fraction of what `Coded` objects would.
Answer = tuple[tuple[Any, ...], bool, bool]


@dataclass
class Summary:
    rows: int = 0
    distinct: int = 0  # titles ranked (identical inputs coded once)
    flagged: int = 0
    bad_industry: int = 0  # rows whose industry was no NAICS code OEWS publishes (coded without it)
    seconds: float = 0.0  # in all, loading included
    load_seconds: float = 0.0  # loading the index (once, before the workers fork)


def _added(coded: coding.Coded) -> tuple[Any, ...]:
    """The values of the ADDED columns, in order."""
    best = coded.choice
    out: list[Any] = [best.code, best.title, best.confidence] if best else ["", "", 0.0]
    for i in range(coding.MAX_ALTERNATIVES):
        alt = coded.alternatives[i] if i < len(coded.alternatives) else None
        out += [alt.code, alt.title, alt.confidence] if alt else ["", "", ""]
    out.append(coded.review)
    return tuple(out)


# -- the coder in each worker ------------------------------------------------------------------------------

_coder: coding.Coder | None = None


def _start() -> None:
    """Worker initialiser: Ctrl-C is the main process's to handle (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _make_coder(db_path: Path, review_below: float, industries: bool) -> coding.Coder:
    """A coder with everything it reads loaded (the search index; the staffing patterns when the rows have
    industries): forked workers inherit it, so it is loaded once, not once per worker, and they never touch the
    database file."""
    ctx = Ctx(db=Database(db_path), base_url="http://localhost", path="/", params=[])
    coder = coding.Coder(ctx, review_below)
    coder.code("registered nurse")
    if industries:
        coder.industry_known("62")  # False on a database without the OEWS tables: rows are coded without them
    coder.forget()
    return coder


def _code_keys(keys: list[Key], coder: coding.Coder | None = None) -> list[Answer]:
    """The answer per key (ranked together); a row whose industry is no NAICS code OEWS publishes is coded without
    it."""
    coder = coder or _coder
    assert coder is not None, "the worker initialiser makes the coder"
    used = [industry is None or coder.industry_known(industry) for _title, industry, _description in keys]
    rows = [
        (title, industry if ok else None, description)
        for (title, industry, description), ok in zip(keys, used, strict=True)
    ]
    return [(_added(coded), coded.review, ok) for coded, ok in zip(coder.code_many(rows), used, strict=True)]


@dataclass
class _Chunk:
    rows: list[dict[str, Any]]
    keys: list[Key]
    new: list[Key] = field(default_factory=list)  # its distinct keys no earlier chunk codes
    refs: dict[Key, _Chunk] = field(default_factory=dict)  # its keys an earlier chunk still in flight codes
    result: Any = None  # the worker's answer (AsyncResult), or the list itself in-process
    values: dict[Key, Answer] | None = None  # once finished


# -- the run -----------------------------------------------------------------------------------------------


def _pick(columns: list[str], name: str | None, what: str) -> str | None:
    if name is None:
        return None
    if name not in columns:
        raise FileError(f"no {what} column {name!r}; the columns are: {', '.join(columns)[:300]}")
    return name


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}.coded{path.suffix}")


def code_file(
    source: Path,
    target: Path,
    db_path: Path,
    column: str = "title",
    industry_column: str | None = None,
    description_column: str | None = None,
    review_below: float = coding.REVIEW_BELOW,
    workers: int = 1,
    progress: Callable[[int, int, int], None] | None = None,
) -> Summary:
    """Code every row of `source` into `target` (same format); `progress(position, size, rows)` after each chunk."""
    fmt = file_format(source)
    if file_format(target) != fmt:
        raise FileError(f"the output must be {fmt} like the input ({target.name})")
    if not 0.0 <= review_below <= 1.0:
        raise FileError("--review-below must be between 0 and 1")
    reader = open_reader(source)
    try:
        columns = reader.columns
        title_col = _pick(columns, column, "title")
        industry_col = _pick(columns, industry_column, "industry")
        description_col = _pick(columns, description_column, "description")
        clash = [c for c in ADDED if c in columns]
        if clash:
            raise FileError(f"the input already has the column(s) the coder adds: {', '.join(clash)}")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            writer = open_writer(tmp, fmt, columns + ADDED)
            try:
                summary = _run(
                    reader,
                    writer.write,
                    db_path,
                    (title_col, industry_col, description_col),
                    review_below,
                    workers,
                    progress,
                )
            finally:
                writer.close()
            os.chmod(tmp, 0o666 & ~_umask())  # as a file the user created (mkstemp makes it private)
            os.replace(tmp, target)
            return summary
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        reader.close()


def _run(
    reader: Reader,
    write: Callable[[dict[str, Any]], None],
    db_path: Path,
    cols: tuple[str | None, str | None, str | None],
    review_below: float,
    workers: int,
    progress: Callable[[int, int, int], None] | None,
) -> Summary:
    started = time.perf_counter()
    summary = Summary()
    title_col, industry_col, description_col = cols

    def key(row: dict[str, Any]) -> Key:
        def text(col: str | None) -> str | None:
            value = row.get(col) if col else None
            return str(value).strip() or None if value is not None else None

        return (text(title_col) or "", text(industry_col), text(description_col))

    def chunks() -> Iterator[list[dict[str, Any]]]:
        chunk: list[dict[str, Any]] = []
        for row in reader.rows():
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    known: dict[Key, Answer] = {}  # at most CACHE_ENTRIES, never evicted
    inflight: dict[Key, _Chunk] = {}  # key -> the pending chunk coding it
    global _coder
    pool = None
    local = _make_coder(db_path, review_below, industry_col is not None)
    summary.load_seconds = time.perf_counter() - started
    if workers > 1:
        _coder = local  # what the forked workers code with
        # The loaded index is permanent for the collector: the workers' collections never walk (nor write to the
        # pages of) the objects they share with this process.
        gc.freeze()
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_start)
    pending: deque[_Chunk] = deque()

    def finish_one() -> None:
        chunk = pending.popleft()
        chunk.values = dict(zip(chunk.new, chunk.result.get() if pool else chunk.result, strict=True))
        for k, value in chunk.values.items():
            if inflight.get(k) is chunk:
                del inflight[k]
            if len(known) < coding.CACHE_ENTRIES:
                known[k] = value
        for row, k in zip(chunk.rows, chunk.keys, strict=True):
            found = chunk.values.get(k) or known.get(k) or chunk.refs[k].values[k]  # type: ignore[index]
            added, review, used = found
            summary.bad_industry += not used
            summary.flagged += review
            write({**row, **dict(zip(ADDED, added, strict=True))})
        summary.rows += len(chunk.rows)
        if progress:
            progress(reader.position, reader.size, summary.rows)

    try:
        for rows in chunks():
            keys = [key(row) for row in rows]
            chunk = _Chunk(rows, keys)
            for k in keys:
                if k in known or k in chunk.refs or k in inflight and inflight[k] is chunk:
                    continue
                if k in inflight:
                    chunk.refs[k] = inflight[k]  # an earlier chunk codes it: written first, so done by then
                else:
                    chunk.new.append(k)
                    inflight[k] = chunk
            summary.distinct += len(chunk.new)
            if pool is not None:
                chunk.result = pool.apply_async(_code_keys, (chunk.new,))  # the worker's inherited coder
                pending.append(chunk)
                while len(pending) > 2 * workers:
                    finish_one()
            else:
                chunk.result = _code_keys(chunk.new, local)
                pending.append(chunk)
                finish_one()
        while pending:
            finish_one()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            gc.unfreeze()
        _coder = None
    summary.seconds = time.perf_counter() - started
    return summary
