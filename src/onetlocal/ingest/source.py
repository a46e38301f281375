"""Where a release comes from, and how its files are read: an unpacked folder, a zip file, or an https URL of an
official zip, in any of O*NET's editions.

O*NET publishes each release as one download per edition, the same tables spelled four ways: the text edition
(`Essential Skills.txt`: tab-delimited, `n/a` for empty), the CSV edition (`essential_skills.csv`: RFC 4180 quoting,
empty cells, extra `Title`/`Scale Name` columns), the Excel edition and the JSON edition (`essential_skills.json`:
`{column: [{column_id, ...}], row: [...]}`). A `ReleaseSource` finds the release's folder inside whatever it is
given, tells the edition from the files, and hands every table out by one key — the file name in snake case
(`file_key`) — as a header and rows of text cells, whatever the edition.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path, PurePosixPath
from typing import IO

import httpx

from onetlocal.errors import BuildError

ProgressFn = Callable[[str, int, int], None]
Rows = tuple[list[str], Iterator[list[str | None]]]

#: Data file ending -> edition. (The Excel edition is not read: it holds the same tables as the CSV edition.)
EDITIONS = {".txt": "text", ".csv": "csv", ".json": "json"}
#: The file every release has, by which its folder is found inside a download.
MARKER = "occupation_data"
READ_ME = "read_me"


def file_key(name: str) -> str:
    """One key per table whatever the edition: 'Essential Skills.txt', 'essential_skills.csv' -> 'essential_skills';
    'Education, Training, and Experience.txt' -> 'education_training_and_experience'."""
    stem = PurePosixPath(name).stem if PurePosixPath(name).suffix.lower() in (*EDITIONS, ".xlsx") else name
    return re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")


def _json_cell(value: object, column: str) -> str | None:
    """A JSON value as the text edition writes it (numbers keep their JSON form: 0.0 stays a REAL)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    text = str(value)
    if column.startswith("date") and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        return f"{text[5:7]}/{text[:4]}"  # the JSON edition's 2025-08-01 is the text edition's 08/2025
    return text


class ReleaseSource:
    """The files of one O*NET release, by `file_key`, whatever container and edition they come in."""

    def __init__(
        self, label: str, edition: str, files: dict[str, tuple[str, Callable[[], IO[bytes]]]], sizes: dict[str, int]
    ):
        self.label = label
        self.edition = edition
        self._files = files  # key -> (file name, opener)
        self.sizes = sizes

    def keys(self) -> list[str]:
        return sorted(self._files)

    def names(self) -> list[str]:
        """The file names, as they are in the download."""
        return sorted(name for name, _ in self._files.values())

    def has(self, key: str) -> bool:
        return key in self._files

    def name_of(self, key: str) -> str:
        return self._files[key][0]

    def read_me(self) -> str:
        """The release's Read Me (its first 4 KiB), or '' when there is none."""
        if not self.has(READ_ME):
            return ""
        with self._text(READ_ME) as fh:
            return fh.read(4096)

    def _text(self, key: str) -> io.TextIOWrapper:
        # utf-8-sig: tolerate a byte-order mark; newline="" lets csv handle CRLF and quoted line breaks.
        return io.TextIOWrapper(self._files[key][1](), encoding="utf-8-sig", errors="replace", newline="")

    @contextmanager
    def rows(self, key: str) -> Iterator[Rows]:
        """The header and rows (text cells, None for empty) of one table, read in this source's edition."""
        name = self.name_of(key)
        try:
            with self._text(key) as fh:
                if self.edition == "json":
                    yield self._json_rows(fh)
                else:
                    if self.edition == "text":
                        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
                        empty: tuple[str, ...] = ("", "n/a")
                    else:
                        reader = csv.reader(fh)
                        empty = ("",)
                    header = [h.strip() for h in next(reader, [])]
                    yield header, _checked(name, header, reader, empty)
        except (csv.Error, zipfile.BadZipFile, EOFError, ValueError, UnicodeError) as exc:
            # An oversized field (csv's 128 KiB limit), bad JSON or a corrupt zip member: name the file.
            raise BuildError(f"{name}: unreadable ({exc})") from exc

    @staticmethod
    def _json_rows(fh: io.TextIOWrapper) -> Rows:
        document = json.load(fh)
        if not isinstance(document, dict) or not isinstance(document.get("column"), list):
            raise ValueError("not an O*NET JSON table (no 'column' list)")
        header = [str(c.get("column_id", "")) for c in document["column"] if isinstance(c, dict)]
        records = document.get("row") or []

        def rows() -> Iterator[list[str | None]]:
            for record in records:
                values = [record.get(c) for c in header] if isinstance(record, dict) else list(record)
                if len(values) != len(header):
                    raise BuildError(f"a row has {len(values)} fields, the table has {len(header)} columns")
                yield [_json_cell(v, c) for v, c in zip(values, header, strict=True)]

        return header, rows()

    def checksum(self) -> str:
        """sha256 over every file's name and bytes: the identity of this release's content."""
        digest = hashlib.sha256()
        for key in self.keys():
            name, opener = self._files[key]
            digest.update(name.encode() + b"\0")
            with opener() as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        return digest.hexdigest()


def _checked(
    name: str, header: list[str], reader: Iterable[list[str]], empty: tuple[str, ...]
) -> Iterator[list[str | None]]:
    for line_no, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(header):
            raise BuildError(f"{name}: line {line_no} has {len(row)} fields, header has {len(header)}")
        yield [None if v in empty else v for v in row]


def _select(paths: list[PurePosixPath]) -> tuple[str, list[PurePosixPath]] | None:
    """The release's own files among `paths`: those beside the marker file, in the marker's edition."""
    markers = sorted(
        (p for p in paths if p.suffix.lower() in EDITIONS and file_key(p.name) == MARKER),
        key=lambda p: (len(p.parts), str(p)),
    )
    if not markers:
        return None
    marker = markers[0]
    rivals = [p for p in markers[1:] if len(p.parts) == len(marker.parts)]
    if rivals:
        # Two releases (or editions) side by side: which one was meant is not ours to guess.
        raise BuildError(
            f"several O*NET releases here ({', '.join(str(p.parent) for p in [marker, *rivals])}): "
            "pass one release's folder or zip"
        )
    edition = EDITIONS[marker.suffix.lower()]
    chosen = [
        p
        for p in paths
        if p.parent == marker.parent
        and (p.suffix.lower() == marker.suffix.lower() or (p.suffix.lower() == ".txt" and file_key(p.name) == READ_ME))
    ]
    return edition, chosen


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: open(path, "rb")


def _from_folder(folder: Path) -> ReleaseSource:
    paths = [
        PurePosixPath(p.relative_to(folder).as_posix())
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in EDITIONS
    ]
    found = _select(paths)
    if found is None:
        raise BuildError(f"{folder}: no O*NET release here (no 'Occupation Data.txt' nor 'occupation_data.csv')")
    edition, chosen = found
    files = {file_key(p.name): (p.name, _file_opener(folder / p)) for p in chosen}
    root = folder / chosen[0].parent if chosen else folder
    return ReleaseSource(str(root), edition, files, {file_key(p.name): (folder / p).stat().st_size for p in chosen})


def _from_zip(path: Path) -> ReleaseSource:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BuildError(f"{path}: not a readable zip file ({exc})") from exc
    infos = {
        PurePosixPath(i.filename): i
        for i in archive.infolist()
        if not i.is_dir() and PurePosixPath(i.filename).suffix.lower() in EDITIONS
    }
    found = _select(list(infos))
    if found is None:
        raise BuildError(f"{path}: no O*NET release in this zip (no 'Occupation Data.txt' nor 'occupation_data.csv')")
    edition, chosen = found
    prefix = str(chosen[0].parent) if chosen else ""
    return ReleaseSource(
        f"{path}:{'' if prefix == '.' else prefix}",
        edition,
        {file_key(p.name): (p.name, partial(archive.open, infos[p])) for p in chosen},
        {file_key(p.name): infos[p].file_size for p in chosen},
    )


def _download(url: str, target: Path, progress: ProgressFn | None) -> None:
    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=60) as response:
            response.raise_for_status()
            total = int(response.headers.get("content-length") or 0)
            done = 0
            with open(target, "wb") as out:
                for chunk in response.iter_bytes(1 << 16):
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(f"download {url.rsplit('/', 1)[-1]}", done, total or done)
    except httpx.HTTPError as exc:
        raise BuildError(f"{url}: download failed ({exc})") from exc


@contextmanager
def open_release(location: str | Path, progress: ProgressFn | None = None) -> Iterator[ReleaseSource]:
    """Yield the release at `location` (folder, zip path or https URL); downloads go to a temp dir."""
    text = str(location)
    if text.startswith(("http://", "https://")):
        tmp = Path(tempfile.mkdtemp(prefix="onetlocal-dl-"))
        try:
            target = tmp / "release.zip"
            _download(text, target, progress)
            yield _from_zip(target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    path = Path(text).expanduser()
    if path.is_dir():
        yield _from_folder(path)
    elif path.is_file():
        yield _from_zip(path)
    else:
        raise BuildError(f"{path}: no such file or folder")
