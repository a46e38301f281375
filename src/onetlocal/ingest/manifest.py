"""The sources manifest (`sources.json`, checked in beside this module): what `onetlocal fetch` downloads and where.

Each source names its publisher, licence, official page, the folder it lands in (`dest`, the layout of shared/data)
and its files, each with one or more `urls` tried in order and, where the bytes are stable, `size` and `sha256`.
A URL is a string (it serves the file's pinned bytes) or an object naming what differs there (`Location`): the
publisher's URL of a live export has no checksum, or the file is a `member` of the zip the publisher serves.
A source whose official files are another file set than its pinned copy (BLS OEWS: the `oe.*` time series, or the
SQLite built from them) names that copy under `fallback`: fetched only when the official set cannot be.
A source published as numbered releases (O*NET) lists them under `releases` (its `files` are the newest one's) and
may name the `site` where newer ones appear (`Site`): the release fetched is chosen at fetch time.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onetlocal.errors import BuildError

MANIFEST = Path(__file__).with_name("sources.json")
Version = tuple[int, int]  # (31, 0): compared as numbers, so 30.10 > 30.3


def parse_version(text: str) -> Version | None:
    """'31.0' -> (31, 0); anything else -> None."""
    match = re.fullmatch(r"\s*(\d{1,4})\.(\d{1,4})\s*", text)
    return (int(match[1]), int(match[2])) if match else None


def version_text(version: Version) -> str:
    return f"{version[0]}.{version[1]}"


@dataclass(frozen=True)
class Site:
    """Where a source publishes its releases: a page linking the current downloads, and the download URL pattern
    (`{major}`, `{minor}`, `{edition}`) under which every release, older or newer, is found."""

    page: str
    pattern: str
    edition: str = "text"

    def url(self, version: Version, edition: str | None = None) -> str:
        return self.pattern.format(major=version[0], minor=version[1], edition=edition or self.edition)


@dataclass(frozen=True)
class Location:
    """One place a file is downloaded from, with what its bytes must be there (None: not pinned)."""

    url: str
    size: int | None = None
    sha256: str | None = None
    member: str | None = None  # the file is this member of the downloaded zip (e.g. a wheel)

    @property
    def pinned(self) -> bool:
        return bool(self.sha256 or self.size is not None)


@dataclass(frozen=True)
class FileSpec:
    path: str  # relative to the source's dest folder
    urls: tuple[str, ...]
    size: int | None = None
    sha256: str | None = None
    member: str | None = None  # the file is this member of the downloaded zip (e.g. a wheel)
    locations: tuple[Location, ...] = ()  # one per URL, in order; from `urls` and the fields above when not given

    def __post_init__(self) -> None:
        if not self.locations:
            object.__setattr__(
                self, "locations", tuple(Location(u, self.size, self.sha256, self.member) for u in self.urls)
            )


@dataclass(frozen=True)
class Derived:
    path: str  # written in the source's dest folder
    source: str  # the downloaded file it is made from
    kind: str  # a key of fetch.DERIVATIONS
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Release:
    """One numbered release of a source, as the manifest knows it (its files may carry pinned checksums)."""

    version: Version
    files: tuple[FileSpec, ...]
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class SourceSpec:
    name: str
    title: str
    licence: str
    official: str | None
    dest: str
    files: tuple[FileSpec, ...]
    option: str = ""
    publisher: str = ""
    note: str = ""
    missing: tuple[str, ...] = ()
    required: bool = False
    derived: tuple[Derived, ...] = ()
    releases: tuple[Release, ...] = ()  # oldest first; `files` are the last one's until a release is chosen
    site: Site | None = None  # where releases newer than the manifest's are looked for
    release: str = ""  # which release `files` hold and how it was chosen, once chosen (for the report line)
    fallback: tuple[FileSpec, ...] = ()  # another file set with the same data, when `files` cannot be fetched
    fallback_note: str = ""
    #: Shipped inside the package (onetlocal/data/): nothing to download, the build reads it there.
    packaged: bool = False

    @property
    def newest(self) -> Release | None:
        return self.releases[-1] if self.releases else None


def manifest_path(path: str | os.PathLike | None = None) -> Path:
    """`path`, else ONETLOCAL_FETCH_MANIFEST (e.g. an internal mirror's copy), else the checked-in manifest."""
    return Path(path or os.environ.get("ONETLOCAL_FETCH_MANIFEST") or MANIFEST).expanduser()


def _location(entry: str | dict, file: dict) -> Location:
    """A URL of `file`: a string has the file's pins; an object overrides those it names (null: not pinned)."""
    given: dict[str, Any] = {"url": entry} if isinstance(entry, str) else entry
    return Location(
        url=given["url"],
        size=given.get("size", file.get("size")),
        sha256=given.get("sha256", file.get("sha256")),
        member=given.get("member", file.get("member")),
    )


def _files(entries: Iterable[dict]) -> tuple[FileSpec, ...]:
    return tuple(
        FileSpec(
            path=f["path"],
            urls=tuple(u if isinstance(u, str) else u["url"] for u in f["urls"]),
            size=f.get("size"),
            sha256=f.get("sha256"),
            member=f.get("member"),
            locations=tuple(_location(u, f) for u in f["urls"]),
        )
        for f in entries
    )


def _release(entry: dict) -> Release:
    version = parse_version(str(entry["version"]))
    if version is None:
        raise BuildError(f"sources manifest: release version {entry['version']!r} is not like 31.0")
    return Release(version, _files(entry.get("files", ())), entry.get("title", ""), entry.get("note", ""))


def load_manifest(path: str | os.PathLike | None = None) -> list[SourceSpec]:
    """The sources of the manifest at `manifest_path(path)`."""
    location = manifest_path(path)
    try:
        data = json.loads(location.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"cannot read the sources manifest {location}: {exc}") from exc
    sources = []
    for entry in data["sources"]:
        releases = tuple(sorted((_release(r) for r in entry.get("releases", ())), key=lambda r: r.version))
        site = entry.get("site")
        sources.append(
            SourceSpec(
                name=entry["name"],
                title=entry["title"],
                licence=entry["licence"],
                official=entry.get("official"),
                dest=entry["dest"],
                files=releases[-1].files if releases else _files(entry.get("files", ())),
                option=entry.get("option", ""),
                publisher=entry.get("publisher", ""),
                note=entry.get("note", ""),
                missing=tuple(entry.get("missing", ())),
                required=entry.get("required", False),
                packaged=entry.get("packaged", False),
                derived=tuple(
                    Derived(path=d["path"], source=d["from"], kind=d["kind"], columns=tuple(d.get("columns", ())))
                    for d in entry.get("derived", ())
                ),
                releases=releases,
                site=Site(site["page"], site["pattern"], site.get("edition", "text")) if site else None,
                release=version_text(releases[-1].version) if releases else "",
                fallback=_files(entry.get("fallback", {}).get("files", ())),
                fallback_note=entry.get("fallback", {}).get("note", ""),
            )
        )
    return sources


def select(sources: list[SourceSpec], only: Iterable[str] | None) -> list[SourceSpec]:
    """The sources named in `only` (all when empty); an unknown name is an error that lists the known ones."""
    names = list(only or ())
    if not names:
        return sources
    known = {s.name: s for s in sources}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise BuildError(f"unknown source {', '.join(map(repr, unknown))}; known: {', '.join(known)}")
    return [known[n] for n in names]
