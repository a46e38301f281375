"""`onetlocal fetch`: download the public sources listed in `sources.json` into one data folder.

The manifest (`manifest.py`) names, for every source, its publisher, licence, official page or URL, the folder it
lands in (`dest`, the layout of `shared/data`: `onet/`, `oews/`, `supplementary/<folder>/`) and its files. Each file
has one or more `urls`, tried in order, and, where the bytes are stable, its `size` and `sha256`; a download that
does not match them is discarded and the next URL is tried. A file that is already in place with the pinned checksum
is not downloaded again. Of O*NET, the newest release is fetched unless one is pinned (`discover.py`).

Decisions:
- Where the publisher serves a *live* export (Bright Outlook, Projections Central) no checksum is pinned: the file is
  whatever the publisher serves today. Where the publisher no longer serves the vintage the importers were checked
  against, the URL is a pinned copy (a git commit) whose sha256 equals the copy under shared/data.
- A partial download is kept as `<file>.part` and resumed with an HTTP Range request (a server that ignores the
  range starts it over); network errors and 5xx/408/429 are retried with exponential backoff, other 4xx are not,
  nor a host that does not resolve or refuses the connection (offline, retrying only delays the message).
- Files with no public download (transcribed or derived here) are listed under `missing` and reported, never
  invented; the routes that need them answer "no data". A file the build needs in another shape than the
  download is listed under `derived` and made from it by a named conversion (`DERIVATIONS`), e.g. the Projections
  Central REST answer's rows as the CSV the importer reads.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import socket
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from onetlocal.errors import BuildError
from onetlocal.ingest.discover import LATEST, check_release, choose
from onetlocal.ingest.layout import layout_sources
from onetlocal.ingest.manifest import MANIFEST, Derived, FileSpec, SourceSpec, load_manifest, manifest_path, select

__all__ = [
    "DERIVATIONS",
    "MANIFEST",
    "Fetcher",
    "FetchResult",
    "FileSpec",
    "SourceSpec",
    "fetch",
    "layout_sources",
    "load_manifest",
    "manifest_path",
    "select",
    "sha256_of",
]
ProgressFn = Callable[[str, int, int], None]
_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
_CHUNK = 1 << 16


def _json_rows_csv(source: Path, target: Path, spec: Derived) -> None:
    """`{"rows": [{...}, ...]}` -> CSV with `spec.columns`, values as served (strings), rows in served order."""
    import csv

    try:
        rows = json.loads(source.read_text(encoding="utf-8"))["rows"]
        with open(target, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(spec.columns)
            for row in rows:
                writer.writerow([row[c] for c in spec.columns])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        target.unlink(missing_ok=True)
        raise BuildError(f"{spec.path}: cannot make it from {spec.source} ({type(exc).__name__}: {exc})") from exc


DERIVATIONS: dict[str, Callable[[Path, Path, Derived], None]] = {"json_rows_csv": _json_rows_csv}


@dataclass
class FetchResult:
    source: SourceSpec
    ok: bool
    message: str
    downloaded: list[Path] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _in_place(target: Path, spec: FileSpec) -> bool:
    if not target.is_file():
        return False
    if spec.size is not None and target.stat().st_size != spec.size:
        return False
    if spec.sha256:
        return sha256_of(target) == spec.sha256
    return True


class _Failed(Exception):
    """One URL failed; `retry` says whether trying the same URL again may help."""

    def __init__(self, message: str, retry: bool):
        super().__init__(message)
        self.retry = retry


class Fetcher:
    def __init__(
        self,
        progress: ProgressFn | None = None,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float = 60.0,
        client: httpx.Client | None = None,
    ):
        self.progress = progress
        self.retries = retries
        self.backoff = backoff
        self.client = client or httpx.Client(
            follow_redirects=True, timeout=timeout, headers={"User-Agent": "onetlocal-fetch"}
        )

    def close(self) -> None:
        self.client.close()

    def fetch(self, dest: Path, sources: list[SourceSpec]) -> list[FetchResult]:
        return [self.fetch_source(dest, source) for source in sources]

    def fetch_source(self, dest: Path, source: SourceSpec) -> FetchResult:
        folder = dest / source.dest
        staging = dest / ".fetching" / source.dest
        if not source.files:
            return FetchResult(source, False, f"no public download: {source.note or 'see PROVENANCE.md'}")
        done: list[Path] = []
        present = 0
        # A source lands whole or not at all: its files wait in .fetching/ (where a later run resumes them) until
        # every one is there, so a build never reads half a source.
        staged: list[tuple[Path, Path]] = []
        for spec in source.files:
            target = folder / spec.path
            if _in_place(target, spec):
                present += 1
                continue
            waiting = staging / spec.path
            if not _in_place(waiting, spec) or not (spec.sha256 or spec.size):
                try:
                    self._fetch_file(waiting, spec)
                except _Failed as exc:
                    release = f" (release {source.release})" if source.releases else ""
                    return FetchResult(source, False, f"{spec.path}: {exc}{release}", done)
            staged.append((waiting, target))
        for waiting, target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(waiting, target)
            done.append(target)
        shutil.rmtree(staging, ignore_errors=True)
        parent = staging.parent
        while parent != dest:  # empty folders only: another source may still wait there
            with contextlib.suppress(OSError):
                parent.rmdir()
            parent = parent.parent
        for derived in source.derived:
            target = folder / derived.path
            if done or not target.exists():
                try:
                    DERIVATIONS[derived.kind](folder / derived.source, target, derived)
                except BuildError as exc:
                    return FetchResult(source, False, str(exc), done)
        what = f"{len(done)} downloaded, {present} already there" if present else f"{len(done)} downloaded"
        if source.releases:
            what += f" (release {source.release})"
        if source.derived:
            what += f"; made {', '.join(d.path for d in source.derived)}"
        if source.missing:
            what += f"; not downloadable: {', '.join(source.missing)}"
        return FetchResult(source, True, what, done)

    def _fetch_file(self, target: Path, spec: FileSpec) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        errors = []
        for url in spec.urls:
            try:
                self._from_url(url, target, spec)
                return
            except _Failed as exc:
                errors.append(f"{url}: {exc}")
        raise _Failed("; ".join(errors) if len(errors) > 1 else errors[0], retry=False)

    def _from_url(self, url: str, target: Path, spec: FileSpec) -> None:
        part = target.with_name(target.name + ".part")
        for attempt in range(1, self.retries + 1):
            try:
                self._download(url, part, target.name, None if spec.member else spec.size)
                break
            except _Failed as exc:
                if not exc.retry or attempt == self.retries:
                    raise
                time.sleep(self.backoff * 2 ** (attempt - 1))
        try:
            if spec.member:
                self._extract(part, spec.member, target.with_name(target.name + ".member"))
                part.unlink()
                part = target.with_name(target.name + ".member")
            if spec.size is not None and part.stat().st_size != spec.size:
                raise _Failed(f"size {part.stat().st_size} bytes, expected {spec.size}", retry=False)
            if spec.sha256 and sha256_of(part) != spec.sha256:
                raise _Failed("checksum mismatch (sha256 differs from the manifest)", retry=False)
        except _Failed:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, target)

    @staticmethod
    def _extract(archive: Path, member: str, out: Path) -> None:
        try:
            with zipfile.ZipFile(archive) as zf, zf.open(member) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            archive.unlink(missing_ok=True)
            raise _Failed(f"cannot take {member} from the download ({exc})", retry=False) from exc

    def _download(self, url: str, part: Path, label: str, size: int | None) -> None:
        """Download `url` into `part`, resuming what is there; raises _Failed."""
        have = part.stat().st_size if part.exists() else 0
        if size is not None and have > size:
            part.unlink()
            have = 0
        if size is not None and have == size:
            return
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 416 and have:  # nothing past what we have: the part is complete
                    return
                if response.status_code not in (200, 206):
                    raise _Failed(f"HTTP {response.status_code}", retry=response.status_code in _RETRY_STATUS)
                if response.status_code == 200:
                    have = 0  # the server ignored the range: start over
                length = response.headers.get("content-length")
                total = have + int(length) if length and length.isdigit() else (size or 0)
                with open(part, "ab" if have else "wb") as out:
                    done = have
                    for chunk in response.iter_bytes(_CHUNK):
                        out.write(chunk)
                        done += len(chunk)
                        if self.progress:
                            self.progress(label, done, total or done)
                if total and done < total:
                    raise _Failed(f"connection closed after {done} of {total} bytes", retry=True)
        except httpx.HTTPError as exc:
            raise _Failed(
                f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, retry=not _unreachable(exc)
            ) from exc


def _unreachable(exc: BaseException) -> bool:
    """The host does not resolve, refuses the connection, or there is no route to it: offline, not a hiccup."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (socket.gaierror, ConnectionRefusedError)):
            return True
        if isinstance(seen, OSError) and seen.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def fetch(
    dest: str | os.PathLike,
    only: Iterable[str] | None = None,
    manifest: str | os.PathLike | None = None,
    progress: ProgressFn | None = None,
    release: str = LATEST,
    **options: Any,
) -> list[FetchResult]:
    """Download the sources of `manifest` (all, or those named in `only`) into `dest`; of a source published as
    releases (O*NET), `release`: 'latest' (the newest found online, else the manifest's newest) or e.g. '30.1'."""
    check_release(release)
    sources = select(load_manifest(manifest), only)
    if "retries" not in options and os.environ.get("ONETLOCAL_FETCH_RETRIES", "").isdigit():
        options["retries"] = max(1, int(os.environ["ONETLOCAL_FETCH_RETRIES"]))
    fetcher = Fetcher(progress, **options)
    try:
        chosen = [choose(source, release, fetcher.client) for source in sources]
        return fetcher.fetch(Path(dest).expanduser(), chosen)
    finally:
        fetcher.close()
