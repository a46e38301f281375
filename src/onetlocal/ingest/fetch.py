"""`onetlocal fetch`: download the public sources listed in `sources.json` into one data folder.

The manifest (`manifest.py`) names, for every source, its publisher, licence, official page or URL, the folder it
lands in (`dest`, the layout of `shared/data`: `onet/`, `oews/`, `supplementary/<folder>/`) and its files. Each file
has one or more `urls`, tried in order, and, where the bytes are stable, its `size` and `sha256`; a download that
does not match them is discarded and the next URL is tried. A file that is already in place with the pinned checksum
is not downloaded again. Of O*NET, the newest release is fetched unless one is pinned (`discover.py`).

Decisions:
- The publisher's URL comes first; a pinned copy (a git commit, a wheel) whose sha256 equals the copy under
  shared/data is the fallback. Where the publisher serves a *live* export (Bright Outlook, Projections Central, the
  current Employment Projections cycle) that URL pins no checksum: the file is whatever the publisher serves today.
  Where the publisher's files are another set than the pinned copy (BLS OEWS), the source's `fallback` set is
  fetched only when the official one cannot be; a set already in place is kept.
- A partial download is kept as `<file>.part` and resumed with an HTTP Range request (a server that ignores the
  range starts it over); timeouts, dropped connections and 5xx/408/429 are retried with exponential backoff, other
  4xx are not, nor a host whose name does not resolve or that refuses the connection: offline, retrying only
  delays the message, so such a host is not asked again in the run (the next URL, on another host, is tried).
  Empty folders under `.fetching/` are removed at the end; only partial files a later run resumes stay.
- Files with no public download are listed under `missing` and reported, never invented; the routes that need
  them answer "no data". A file the build needs in another shape than the download is listed under `derived` and
  made from it by a named conversion (`DERIVATIONS`), e.g. the Projections Central REST answer's rows as the CSV
  the importer reads.
- The User-Agent is `onetlocal-fetch`, or ONETLOCAL_FETCH_USER_AGENT (BLS asks automated clients to name a
  contact there and may refuse others; its fallback copy is then fetched).
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
from urllib.parse import urlsplit

import httpx

from onetlocal.errors import BuildError
from onetlocal.ingest.discover import LATEST, check_release, choose
from onetlocal.ingest.layout import layout_sources
from onetlocal.ingest.manifest import (
    MANIFEST,
    Derived,
    FileSpec,
    Location,
    SourceSpec,
    load_manifest,
    manifest_path,
    select,
)

__all__ = [
    "DERIVATIONS",
    "MANIFEST",
    "Fetcher",
    "FetchResult",
    "FileSpec",
    "SourceSpec",
    "fetch",
    "layout_sources",
    "no_download_message",
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


SourceFn = Callable[[FetchResult, int, int], None]  # (result, its number, how many): called as each source ends


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _in_place(target: Path, spec: FileSpec) -> bool:
    """The file is there with the bytes one of its locations pins (any bytes, if one pins none)."""
    if not target.is_file():
        return False
    size = target.stat().st_size
    digest: str | None = None
    for loc in spec.locations:
        if loc.size is not None and size != loc.size:
            continue
        if loc.sha256:
            digest = digest or sha256_of(target)
            if digest != loc.sha256:
                continue
        return True
    return False


def _pinned(spec: FileSpec) -> bool:
    return all(loc.pinned for loc in spec.locations)


def no_download_message(note: str) -> str:
    """'no public download: <why>' (a note may already start with those words)."""
    why = note[len("no public download") :].lstrip(":. ") if note.lower().startswith("no public download") else note
    return f"no public download: {why or 'see PROVENANCE.md'}"


class _Failed(Exception):
    """One URL failed; `retry` says whether trying the same URL again may help, `unreachable` that its host cannot
    be reached at all (no other URL on that host is tried in this run)."""

    def __init__(self, message: str, retry: bool, unreachable: bool = False):
        super().__init__(message)
        self.retry = retry
        self.unreachable = unreachable


class Fetcher:
    def __init__(
        self,
        progress: ProgressFn | None = None,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float = 60.0,
        client: httpx.Client | None = None,
        on_source: SourceFn | None = None,
    ):
        self.progress = progress
        self.on_source = on_source
        self.retries = retries
        self.backoff = backoff
        agent = os.environ.get("ONETLOCAL_FETCH_USER_AGENT") or "onetlocal-fetch"
        self.client = client or httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": agent})
        self.down: dict[str, str] = {}  # host -> why it cannot be reached: not asked again in this run

    def close(self) -> None:
        self.client.close()

    def fetch(self, dest: Path, sources: list[SourceSpec]) -> list[FetchResult]:
        results = []
        try:
            for number, source in enumerate(sources, 1):
                results.append(self.fetch_source(dest, source))
                if self.on_source:
                    self.on_source(results[-1], number, len(sources))
        finally:
            _prune(dest / ".fetching")
        return results

    def fetch_source(self, dest: Path, source: SourceSpec) -> FetchResult:
        if source.packaged:
            return FetchResult(source, True, "shipped with onetlocal: the build reads the package's copy")
        if not source.files:
            return FetchResult(source, False, no_download_message(source.note))
        release = f" (release {source.release})" if source.releases else ""
        sets = [(source.files, "")]
        if source.fallback:
            sets.append((source.fallback, f"fallback: {source.fallback_note or 'the pinned copy'}"))
        folder = dest / source.dest
        # A set already in place is kept as it is: a fallback fetched earlier is not replaced by a long download.
        complete = next(
            ((files, label) for files, label in sets if all(_in_place(folder / f.path, f) for f in files)), None
        )
        errors = []
        for files, label in [complete] if complete else sets:
            try:
                done, present = self._fetch_set(dest, source, files)
            except _Failed as exc:
                errors.append(f"{exc}{release}")
                continue
            for derived in source.derived:
                target = folder / derived.path
                if done or not target.exists():
                    try:
                        DERIVATIONS[derived.kind](folder / derived.source, target, derived)
                    except BuildError as exc:
                        return FetchResult(source, False, str(exc), done)
            what = f"{len(done)} downloaded, {present} already there" if present else f"{len(done)} downloaded"
            what += release
            if label:
                what += f"; {label}"
            if source.derived:
                what += f"; made {', '.join(d.path for d in source.derived)}"
            if source.missing:
                what += f"; not downloadable: {', '.join(source.missing)}"
            return FetchResult(source, True, what, done)
        return FetchResult(source, False, "; then ".join(errors))

    def _fetch_set(self, dest: Path, source: SourceSpec, files: tuple[FileSpec, ...]) -> tuple[list[Path], int]:
        """Fetch one file set of `source`: (files moved into place, files already there); raises _Failed."""
        folder = dest / source.dest
        staging = dest / ".fetching" / source.dest
        present = 0
        # A source lands whole or not at all: its files wait in .fetching/ (where a later run resumes them) until
        # every one is there, so a build never reads half a source.
        staged: list[tuple[Path, Path]] = []
        for spec in files:
            target = folder / spec.path
            if _in_place(target, spec):
                present += 1
                continue
            waiting = staging / spec.path
            if not _in_place(waiting, spec) or not _pinned(spec):
                try:
                    self._fetch_file(waiting, spec)
                except _Failed as exc:
                    raise _Failed(f"{spec.path}: {exc}", retry=False) from exc
            staged.append((waiting, target))
        done: list[Path] = []
        for waiting, target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(waiting, target)
            done.append(target)
        shutil.rmtree(staging, ignore_errors=True)
        return done, present

    def _fetch_file(self, target: Path, spec: FileSpec) -> None:
        errors = []
        for loc in spec.locations:
            host = urlsplit(loc.url).netloc
            try:
                if host in self.down:
                    raise _Failed(self.down[host], retry=False, unreachable=True)
                self._from_url(loc, target)
                return
            except _Failed as exc:
                if exc.unreachable:
                    self.down[host] = str(exc)
                errors.append(f"{host}: {exc}")
        raise _Failed("; ".join(errors), retry=False)

    def _from_url(self, loc: Location, target: Path) -> None:
        part = target.with_name(target.name + ".part")
        for attempt in range(1, self.retries + 1):
            try:
                self._download(loc.url, part, target.name, None if loc.member else loc.size)
                break
            except _Failed as exc:
                if not exc.retry or attempt == self.retries:
                    raise
                time.sleep(self.backoff * 2 ** (attempt - 1))
        try:
            if loc.member:
                self._extract(part, loc.member, target.with_name(target.name + ".member"))
                part.unlink()
                part = target.with_name(target.name + ".member")
            if loc.size is not None and part.stat().st_size != loc.size:
                raise _Failed(f"size {part.stat().st_size} bytes, expected {loc.size}", retry=False)
            if loc.sha256 and sha256_of(part) != loc.sha256:
                raise _Failed("checksum mismatch (sha256 differs from the manifest)", retry=False)
        except _Failed:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, target)

    @staticmethod
    def _extract(archive: Path, member: str, out: Path) -> None:
        try:
            with zipfile.ZipFile(archive) as zf:
                names = zf.namelist()
                if member not in names:  # the publisher's folder inside the zip may change: the file's own name
                    same = [n for n in names if n.rsplit("/", 1)[-1] == member.rsplit("/", 1)[-1]]
                    member = same[0] if len(same) == 1 else member
                with zf.open(member) as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            archive.unlink(missing_ok=True)
            out.unlink(missing_ok=True)
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
                kind = response.headers.get("content-type", "").lower()
                if kind.startswith("text/html") and not label.lower().endswith((".htm", ".html")):
                    raise _Failed("an HTML page, not the file", retry=False)  # a "not found" page served with 200
                if response.status_code == 200:
                    have = 0  # the server ignored the range: start over
                length = response.headers.get("content-length")
                total = have + int(length) if length and length.isdigit() else (size or 0)
                part.parent.mkdir(parents=True, exist_ok=True)  # made only once there are bytes to keep
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
            why = _unreachable(exc)
            if why:
                raise _Failed(why, retry=False, unreachable=True) from exc
            raise _Failed(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, retry=True) from exc


def _unreachable(exc: BaseException) -> str | None:
    """Why the host cannot be reached (its name does not resolve, it refuses the connection, no route to it): offline
    or a wrong name, not a hiccup, so neither worth a retry; None for anything else."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return "host name does not resolve"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, OSError) and seen.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "no route to the host"
        seen = seen.__cause__ or seen.__context__
    return None


def _prune(root: Path) -> None:
    """Remove the empty folders under `root` (and `root` if it ends empty): a failed fetch leaves only the partial
    files a later run resumes."""
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()
    with contextlib.suppress(OSError):
        root.rmdir()


def fetch(
    dest: str | os.PathLike,
    only: Iterable[str] | None = None,
    manifest: str | os.PathLike | None = None,
    progress: ProgressFn | None = None,
    release: str = LATEST,
    on_source: SourceFn | None = None,
    **options: Any,
) -> list[FetchResult]:
    """Download the sources of `manifest` (all, or those named in `only`) into `dest`; of a source published as
    releases (O*NET), `release`: 'latest' (the newest found online, else the manifest's newest) or e.g. '30.1'."""
    check_release(release)
    sources = select(load_manifest(manifest), only)
    if "retries" not in options and os.environ.get("ONETLOCAL_FETCH_RETRIES", "").isdigit():
        options["retries"] = max(1, int(os.environ["ONETLOCAL_FETCH_RETRIES"]))
    fetcher = Fetcher(progress, on_source=on_source, **options)
    try:
        chosen = [choose(source, release, fetcher.client) for source in sources]
        return fetcher.fetch(Path(dest).expanduser(), chosen)
    finally:
        fetcher.close()
