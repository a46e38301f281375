"""Where a release comes from: an unpacked folder, a zip file, or an https URL of the official zip."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from onetlocal.errors import BuildError

ProgressFn = Callable[[str, int, int], None]


class ReleaseSource:
    """The files of one O*NET text release, by file name, whatever container they come in."""

    def __init__(self, label: str, files: dict[str, Callable[[], io.BufferedIOBase]], sizes: dict[str, int]):
        self.label = label
        self._files = files
        self.sizes = sizes

    def names(self) -> list[str]:
        return sorted(self._files)

    def has(self, name: str) -> bool:
        return name in self._files

    def open_text(self, name: str) -> io.TextIOWrapper:
        # utf-8-sig: tolerate a byte-order mark; newline="" lets csv handle CRLF.
        return io.TextIOWrapper(self._files[name](), encoding="utf-8-sig", errors="replace", newline="")

    def checksum(self) -> str:
        """sha256 over every file's name and bytes: the identity of this release's content."""
        digest = hashlib.sha256()
        for name in self.names():
            digest.update(name.encode() + b"\0")
            with self._files[name]() as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        return digest.hexdigest()


def _from_folder(folder: Path) -> ReleaseSource:
    marker = next(folder.rglob("Occupation Data.txt"), None)
    root = marker.parent if marker else folder
    paths = {p.name: p for p in root.iterdir() if p.is_file() and p.suffix.lower() == ".txt"}
    return ReleaseSource(
        str(root),
        {name: (lambda p=p: open(p, "rb")) for name, p in paths.items()},
        {name: p.stat().st_size for name, p in paths.items()},
    )


def _from_zip(path: Path) -> ReleaseSource:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BuildError(f"{path}: not a readable zip file ({exc})") from exc
    infos = [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".txt")]
    marker = next((i for i in infos if Path(i.filename).name == "Occupation Data.txt"), None)
    prefix = str(Path(marker.filename).parent) if marker else None
    members = {
        Path(i.filename).name: i
        for i in infos
        if prefix is None or str(Path(i.filename).parent) == prefix
    }
    return ReleaseSource(
        f"{path}:{prefix or ''}",
        {name: (lambda i=i: archive.open(i)) for name, i in members.items()},
        {name: i.file_size for name, i in members.items()},
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
