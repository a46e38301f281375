"""`onetlocal` command line: a thin shell over the library (fetch, build, serve, keys, get).

Decisions:
- Where the data comes from, in order: --source/--supplementary/--oews (or ONET_SOURCE, ONETLOCAL_SUPPLEMENTARY,
  ONETLOCAL_OEWS); else --data DIR, a folder laid out as `onetlocal fetch` writes it (the layout of shared/data),
  only read; else the default data folder (ONETLOCAL_DATA, or the per-user one), filled by `fetch` when empty.
- Every path given is checked before anything starts, and every error is one line naming what to do.
- Hints print a pasteable command: the absolute path of this program (or `python -m onetlocal`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import socket
import sqlite3
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import click
import orjson

from onetlocal.coding.command import code as code_command
from onetlocal.config import (
    DEFAULT_RATE_LIMIT,
    OFFICIAL_SOURCE_URL,
    ONET_DATABASE_PAGE,
    Settings,
    allowed_hosts_from,
    default_data_dir,
    default_db_path,
    keys_db_path,
    parse_rate_limit,
)
from onetlocal.errors import ConfigError, OnetLocalError
from onetlocal.http.servers import (
    HEAD_TIMEOUT,
    connection_limit,
    default_workers,
    raise_open_files_limit,
    run_granian,
    run_uvicorn,
)

if TYPE_CHECKING:
    from onetlocal.http.redis_store import RedisKeyStore
    from onetlocal.ingest.fetch import FetchResult
    from onetlocal.keys import KeyStore

_db_option = click.option(
    "--db",
    "db",
    type=click.Path(path_type=Path),
    default=None,
    help="The SQLite database built from the data [env ONETLOCAL_DB; default: onet.sqlite in "
    "the per-user data folder, e.g. ~/.local/share/onetlocal/].",
)
_keys_option = click.option(
    "--keys-db",
    type=click.Path(path_type=Path),
    default=None,
    help="Where API keys are kept (hashed) [env ONETLOCAL_KEYS_DB; default: keys.sqlite beside --db].",
)
_redis_option = click.option(
    "--redis-url",
    envvar="ONETLOCAL_REDIS_URL",
    default=None,
    help="Keep API keys and rate-limit counters in this Redis (e.g. redis://host:6379/0), "
    "shared by every instance using it [env ONETLOCAL_REDIS_URL].",
)
_data_option = click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    default=None,
    help="A data folder laid out as `onetlocal fetch` writes it (onet/, oews/, "
    "supplementary/) [env ONETLOCAL_DATA; default: the per-user data folder].",
)
_source_help = "The O*NET release: a zip, an unpacked folder or an https URL [env ONET_SOURCE]."

#: What answers "no data" without the OEWS file (said once, at build time; the supplementary sources are said one
#: by one from what the build found, ingest.supplementary.NO_DATA_WITHOUT).
_NO_OEWS = "wages (details, CareerOneStop Wages, My Next Move outlook salaries), and the employment weighting of search"


def _fail(exc: Exception | str, code: int = 1) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(code)


def _program() -> str:
    """How the user can run this program again, pasteable from any directory."""
    argv0 = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if argv0 is not None and argv0.name == "onetlocal" and argv0.exists():
        return str(argv0.resolve())
    return f"{sys.executable} -m onetlocal"


def _quote(path: Path | str) -> str:
    import shlex

    return shlex.quote(str(path))


# -- data sources ----------------------------------------------------------------------------------------------


def _no_onet_message(reason: str) -> str:
    newest = OFFICIAL_SOURCE_URL.rsplit("/", 1)[-1]
    return (
        f"no O*NET data: the build needs an O*NET release (the newest known here: {newest}, {OFFICIAL_SOURCE_URL}; "
        f"the current one is linked from {ONET_DATABASE_PAGE}); {reason}. {local_copies_hint()}"
    )


def resolve_sources(
    source: str | None,
    supplementary: str | None,
    oews: str | None,
    data: Path | None,
    fetch_missing: bool = True,
    previous: str | None = None,
) -> dict[str, str | None]:
    """The build's sources (see the module docstring for the order); checks every local path first."""
    from onetlocal.ingest.fetch import layout_sources

    explicit = {
        "onet": source or os.environ.get("ONET_SOURCE") or None,
        # The release before 30.3 whose DWA/IWA ids a 30.3+ release re-keyed; found beside it in a data folder.
        "onet_previous": previous or os.environ.get("ONET_PREVIOUS") or None,
        "supplementary": supplementary or os.environ.get("ONETLOCAL_SUPPLEMENTARY") or None,
        "oews": oews or os.environ.get("ONETLOCAL_OEWS") or None,
    }
    _check_paths(explicit)
    if explicit["onet"]:
        return explicit
    folder = (data or default_data_dir()).expanduser()
    if data is not None and not folder.is_dir():
        raise ConfigError(f"--data {folder}: no such folder")
    found = layout_sources(folder)
    # An explicit --data is only read; the default folder (ONETLOCAL_DATA or per-user) is filled when empty.
    if not found["onet"] and fetch_missing and data is None:
        click.echo(f"no local data: downloading the public sources into {folder} (`onetlocal fetch`)", err=True)
        results = run_fetch(folder, None)
        found = layout_sources(folder)
        if not found["onet"]:
            onet = next((r for r in results if r.source.name == "onet"), None)
            raise ConfigError(_no_onet_message(f"the download failed ({onet.message if onet else 'not listed'})"))
    if not found["onet"]:
        raise ConfigError(_no_onet_message(f"{folder} holds no onet/db_*_text, _csv or _json folder or zip"))
    return {key: explicit[key] or found[key] for key in explicit}


def _check_paths(sources: dict[str, str | None]) -> None:
    onet = sources["onet"]
    if onet and not onet.startswith(("http://", "https://")) and not Path(onet).expanduser().exists():
        raise ConfigError(f"--source {onet}: no such file or folder (ONET_SOURCE)")
    previous = sources.get("onet_previous")
    if previous and not Path(previous).expanduser().exists():
        raise ConfigError(f"--previous {previous}: no such file or folder (ONET_PREVIOUS)")
    supplementary = sources["supplementary"]
    if supplementary:
        _check_supplementary(Path(supplementary).expanduser().absolute())
    oews = sources["oews"]
    if oews:
        _check_oews(Path(oews).expanduser().absolute())


def _check_supplementary(folder: Path) -> None:
    """A folder holding none of the supplementary sources is a mistake (a typo, the data folder itself), not a
    build without them: said before anything starts."""
    from onetlocal.ingest.supplementary import sources_in

    if not folder.is_dir():
        raise ConfigError(f"--supplementary {folder}: no such folder (ONETLOCAL_SUPPLEMENTARY)")
    if sources_in(folder):
        return
    inner = folder / "supplementary"
    hint = f"; did you mean --supplementary {_quote(inner)}, or --data {_quote(folder)}?" if sources_in(inner) else ""
    raise ConfigError(
        f"--supplementary {folder}: holds none of the supplementary sources (folders such as onet-bright-outlook/ "
        f"or us-geo-census/, as `onetlocal fetch --dest DIR` writes them in DIR/supplementary/){hint}"
    )


_SQLITE = b"SQLite format 3\x00"


def _check_oews(path: Path) -> None:
    """The OEWS source is what it claims before the build spends time on it: BLS's published `oe.*` files (their
    folder, or its oe.data.0.Current, with the other six beside it), or an SQLite database (gzipped or not) with the
    OEWS tables."""
    import gzip
    import zlib

    from onetlocal.ingest.oews_timeseries import FILES, folder_of

    if (published := folder_of(path)) is not None:
        if absent := [name for name in FILES if not (published / name).is_file()]:
            raise ConfigError(f"--oews {path}: BLS's {', '.join(absent)} missing beside oe.data.0.Current")
        return
    if not path.is_file():
        raise ConfigError(f"--oews {path}: no such file, nor a folder of BLS's oe.* files (ONETLOCAL_OEWS)")
    expected = "BLS's oe.* time-series files (their folder) or the OEWS wages as SQLite (.gz accepted)"
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head[:4] == b"PK\x03\x04":
        raise ConfigError(f"--oews {path}: a zip (BLS's oesm*all.zip workbook is not read); expected {expected}")
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path) as gz:
                head = gz.read(16)
        except (OSError, EOFError, zlib.error) as exc:
            raise ConfigError(f"--oews {path}: a damaged gzip file ({exc}); expected {expected}") from None
        if head != _SQLITE:
            raise ConfigError(f"--oews {path}: gzip of something other than an SQLite database; expected {expected}")
        return
    if head != _SQLITE:
        raise ConfigError(f"--oews {path}: not an OEWS file (neither SQLite nor gzip); expected {expected}")
    from onetlocal.ingest.oews import SOURCE_TABLES

    found = {name for (name,) in _sqlite_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in SOURCE_TABLES if t not in found]
    if missing:
        raise ConfigError(f"--oews {path}: an SQLite database without the OEWS tables ({', '.join(missing)})")


def _sqlite_rows(path: Path, query: str) -> list[tuple]:
    """Rows of `query` on the SQLite file at `path`, opened read-only; [] when it cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute(query).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _say_what_is_missing(sources: dict[str, str | None], meta: dict[str, str]) -> None:
    """Once, after a build: each optional source it lacked, what answers "no data" without it and how to add it; and
    which lists came from the copies shipped in the package (see ingest.supplementary)."""
    from onetlocal.ingest.supplementary import NO_DATA_WITHOUT, importers, source_of

    by_name = {imp.name: source_of(imp) for imp in importers()}

    def sources_named(key: str) -> list[str]:
        return list(dict.fromkeys(by_name[n] for n in meta.get(key, "").split(",") if n in by_name))

    echo = lambda text: click.echo(text, err=True)  # noqa: E731
    folder = sources.get("supplementary")
    packaged, absent = sources_named("supplementary_packaged"), sources_named("supplementary_absent")
    if packaged:
        where = f" (not in {folder})" if folder else ""
        echo(f"lists: {', '.join(packaged)}{where}: the copies shipped with onetlocal (see their PROVENANCE.md)")
    if absent:
        if folder:
            plural = "s" if len(absent) > 1 else ""
            only = "".join(f"--only {name} " for name in absent) if len(absent) <= 3 else ""  # else: all (kept)
            echo(
                f'note: {folder} lacks {len(absent)} supplementary source{plural}; until added, these answer "no '
                f'data" (`onetlocal fetch {only}--dest DIR` downloads {"them" if plural else "it"} into '
                "DIR/supplementary/):"
            )
        else:
            echo(
                'note: no supplementary folder; until one is given, these answer "no data" (add it with '
                "--supplementary DIR or ONETLOCAL_SUPPLEMENTARY, or --data DIR; `onetlocal fetch --dest DIR` "
                "downloads it):"
            )
        width = max(len(name) for name in absent)
        for name in absent:
            echo(f"  {name:<{width}}  {NO_DATA_WITHOUT.get(name, 'its tables')}")
    if not sources.get("oews"):
        echo(
            f'note: no oews source; until one is given, these answer "no data": {_NO_OEWS} (add it with --oews PATH '
            "or ONETLOCAL_OEWS; `onetlocal fetch --only oews --dest DIR` downloads it)"
        )


# -- progress --------------------------------------------------------------------------------------------------


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # Progress goes to stderr, and only to a terminal: piped/CI output stays clean (stdout holds nothing).
    console = Console(stderr=True)
    return Progress(
        TextColumn("{task.description:<48}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    ), DownloadColumn


def run_build(db: Path, sources: dict[str, str | None], phase_lines: bool = False) -> dict:
    """Build with a progress bar on a terminal; elsewhere, with `phase_lines`, one line per phase (serve's first
    build, which a log shows as it happens), else nothing until the total time."""
    from onetlocal.ingest import build

    started = time.perf_counter()
    progress, _ = _progress()
    phases: list[str] = []
    with progress:
        tasks: dict[str, int] = {}

        def report(label: str, done: int, total: int) -> None:
            family = label.split(" ", 1)[0] if label.startswith("download") else "build"
            if family not in tasks:
                tasks[family] = progress.add_task(label, total=total)
            progress.update(tasks[family], description=label, completed=done, total=total)
            if (
                progress.disable and phase_lines
            ):  # not a terminal (a pipe, a log file): one line per phase instead of a bar
                phase = next(
                    (p for p in ("download", "supplementary", "oews", "search index") if label.startswith(p)),
                    "O*NET release",
                )
                if not phases or phases[-1] != phase:
                    phases.append(phase)
                    click.echo(
                        f"building: {phase}" + (f" ({total} files)" if phase == "O*NET release" else ""), err=True
                    )

        meta = build(db, sources, report)
    size = db.stat().st_size / 1e6 if db.exists() else 0
    click.echo(
        f"built {db} ({_release_line(meta)}, {meta.get('onet_edition', 'text')} edition) in "
        f"{time.perf_counter() - started:.1f} s; {size:.0f} MB",
        err=True,
    )
    for line in _absent_lines(meta):
        click.echo(f"note: the release has no {line}", err=True)
    if meta.get("activity_crosswalk"):
        click.echo(
            f"pre-30.3 DWA/IWA ids: {meta['activity_crosswalk']} (from {sources.get('onet_previous')})", err=True
        )
    elif meta.get("onet_layout") == "current":
        click.echo(
            "note: no release before 30.3 given (--previous PATH, ONET_PREVIOUS): routes accept only this "
            "release's DWA and IWA ids, not the pre-30.3 ones clients may send",
            err=True,
        )
    _say_what_is_missing(sources, meta)
    return meta


def run_fetch(
    dest: Path, only: tuple[str, ...] | None, manifest: Path | None = None, release: str = "latest"
) -> list[FetchResult]:
    """Download the manifest's sources: a line per source as it ends (and a bar for the bytes on a terminal), then a
    line per source that could not be fetched, saying why (stderr)."""
    from onetlocal.ingest.fetch import fetch

    progress, _ = _progress()
    with progress:
        tasks: dict[str, int] = {}

        def report(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done, total=total)

        def each(result: FetchResult, number: int, total: int) -> None:
            source = result.source
            if source.packaged:
                line = f"skipped {source.name}: {result.message}"
            elif result.ok:
                line = f"ok      {source.name}: {result.message} -> {dest / source.dest} ({source.licence})"
            elif not source.files:
                line = f"skipped {source.name}: {result.message}"
            else:
                line = f"missing {source.name}"
            progress.console.print(
                f"[{number:>{len(str(total))}}/{total}] {line}", markup=False, highlight=False, soft_wrap=True
            )

        results = fetch(dest, only, manifest, report, release=release, on_source=each)
    for result in results:
        if not result.ok and result.source.files:
            required = " (required)" if result.source.required else ""
            click.echo(f"missing {result.source.name}{required}: {result.message}", err=True)
    return results


def local_copies_hint() -> str:
    """How to build from copies of the sources on this machine: said once, after the list of what is missing."""
    return (
        "Pass local copies instead: `onetlocal build --source PATH` (the O*NET zip or folder; ONET_SOURCE), with "
        "--supplementary DIR (ONETLOCAL_SUPPLEMENTARY) and --oews PATH (ONETLOCAL_OEWS), or `./scripts/serve.sh "
        "--source PATH` (the same options), or --data DIR for a folder laid out as `onetlocal fetch --dest DIR` "
        "writes it"
    )


# -- commands --------------------------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="onetlocal")
def main() -> None:
    """Self-hosted O*NET Web Services v2 API, built from the public O*NET database.

    First run: `onetlocal serve` (downloads the public data and builds the database when there is none), then
    `onetlocal keys create --name me` in another terminal, and call the API with the printed key.
    """


@main.command()
@click.option(
    "--dest",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to download into (onet/, oews/, supplementary/<source>/) [env ONETLOCAL_DATA; default: "
    "the per-user data folder].",
)
@click.option(
    "--only", multiple=True, metavar="NAME", help="Fetch only this source (repeatable); `--list` shows the names."
)
@click.option(
    "--list",
    "list_",
    is_flag=True,
    help="List the sources (name, files, size, licence, official page, the hosts downloaded from) and exit.",
)
@click.option(
    "--manifest",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Another manifest in the layout of the checked-in one (e.g. an internal mirror).",
)
@click.option(
    "--release",
    default="latest",
    show_default=True,
    metavar="X.Y|latest",
    help="The O*NET release: the newest published (found on the O*NET database page, else the newest the "
    "manifest knows), or one pinned, e.g. 30.1.",
)
def fetch(dest: Path | None, only: tuple[str, ...], list_: bool, manifest: Path | None, release: str) -> None:
    """Download the public sources (O*NET release, BLS OEWS, supplementary files) into one data folder.

    Files already in place with the right checksum are kept; partial downloads are resumed; each file's pinned
    size and sha256 are checked. Exit status 1 when a downloadable source failed.
    """
    from onetlocal.ingest.fetch import load_manifest, select

    try:
        sources = select(load_manifest(manifest), only)
    except OnetLocalError as exc:
        _fail(exc)
    if list_:
        for s in sources:
            size = sum(f.size or 0 for f in s.files)
            shown = f"{size / 1e6:.1f} MB" if s.files and all(f.size for f in s.files) else "size not pinned"
            hosts = list(dict.fromkeys(urlsplit(loc.url).netloc for f in s.files for loc in f.locations))
            hosts += [f"fallback {h}" for h in dict.fromkeys(urlsplit(u).netloc for f in s.fallback for u in f.urls)]
            files = f"{len(s.files)} file{'' if len(s.files) == 1 else 's'}"
            click.echo(f"{s.name}\t{files}\t{shown}\t{s.licence}\t{s.official or '-'}\t{', '.join(hosts) or '-'}")
        return
    dest = (dest or default_data_dir()).expanduser()
    try:
        results = run_fetch(dest, only, manifest, release)
    except OnetLocalError as exc:
        _fail(exc)
    failed = [r for r in results if not r.ok and r.source.files]
    if failed:
        _fail(f"{len(failed)} of {len(results)} sources could not be downloaded (above). {local_copies_hint()}")
    click.echo(f"done: build with `{_program()} build --data {_quote(dest)}`", err=True)


@main.command()
@click.option("--source", help=_source_help)
@click.option(
    "--supplementary",
    help="Folder of supplementary public files (layout of `fetch`'s supplementary/) [env ONETLOCAL_SUPPLEMENTARY].",
)
@click.option(
    "--oews",
    help="BLS OEWS wages: the folder of BLS's oe.* files, or the wages as SQLite (.gz accepted) [env ONETLOCAL_OEWS].",
)
@click.option(
    "--previous",
    help="With a 30.3+ --source: a release of O*NET 30.2 or earlier (zip or folder), whose "
    "DWA and IWA ids the routes then accept too [env ONET_PREVIOUS].",
)
@_data_option
@_db_option
def build(
    source: str | None,
    supplementary: str | None,
    oews: str | None,
    previous: str | None,
    data: Path | None,
    db: Path | None,
) -> None:
    """Import the data into a new database (atomically replacing the old one).

    With no --source (nor ONET_SOURCE) the sources come from --data, or the per-user data folder, downloaded
    there first with `fetch` when it is empty.
    """
    try:
        db = (db or default_db_path()).expanduser()
        _check_db(db)
        run_build(db, resolve_sources(source, supplementary, oews, data, previous=previous))
    except OnetLocalError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        _fail("build interrupted; the previous database is untouched", 130)


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:  # socket.gaierror too: a name that does not resolve, 256.1.1.1
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise ConfigError(
                f"--host {host}: cannot listen there ({exc.strerror or exc}); give an address of this machine, "
                "e.g. 127.0.0.1, or 0.0.0.0 for every interface"
            ) from None
    return True


def _check_db(db: Path) -> None:
    """`--db` is a database built by onetlocal, or a path where none is yet (built there): never a folder or some
    other file, which `serve` would serve as an empty database and `build` would replace."""
    if db.is_dir():
        raise ConfigError(f"--db {db}: is a folder; give the database file, e.g. --db {_quote(db / 'onet.sqlite')}")
    if not db.exists():
        return
    try:
        with open(db, "rb") as fh:
            head = fh.read(len(_SQLITE))
    except OSError as exc:
        raise ConfigError(f"--db {db}: cannot be read ({exc.strerror or exc})") from None
    what = "not an SQLite file" if head != _SQLITE else "an SQLite file without onetlocal's meta table"
    if head != _SQLITE or not _sqlite_rows(db, "SELECT value FROM meta WHERE key = 'schema_version'"):
        raise ConfigError(
            f"--db {db}: not a database built by onetlocal ({what}); give the file `onetlocal build` wrote, "
            "or a path where there is none yet to build one there"
        )


def _db_meta(db: Path) -> dict[str, str]:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta"))
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def _release_line(meta: dict) -> str:
    """'O*NET 30.3 (May 2026)'."""
    date = meta.get("onet_release_date")
    return f"O*NET {meta.get('onet_version', '?')}" + (f" ({date})" if date else "")


def _absent_lines(meta: dict) -> list[str]:
    """One line per release file the build did not have, with the routes that answer "no data" without it."""
    from onetlocal.releases import LEGACY, absent_summary

    return absent_summary(meta.get("onet_layout", LEGACY), meta.get("onet_absent_files", ""))


def _db_summary(db: Path) -> str:
    meta = _db_meta(db)
    return f"{_release_line(meta)}, built {meta.get('built_at', '?')}, {db.stat().st_size / 1e6:.0f} MB at {db}"


def _refuse_other_schema(db: Path) -> None:
    """A database built by an older or newer onetlocal stops `serve` with one line naming the rebuild. It is not
    rebuilt over as a missing one is built: an older server may still be serving it, and it may hold sources
    (supplementary, OEWS) that serve's own build would not import. A file that is no onetlocal database at all was
    refused before (`_check_db`); one with onetlocal's meta table but otherwise unusable (truncated) is served: 503
    until a build replaces it."""
    from onetlocal.db import open_build
    from onetlocal.errors import DatabaseMissing, SchemaMismatch

    try:
        open_build(db).close()
    except SchemaMismatch as exc:
        raise SchemaMismatch(db.absolute(), exc.found, exc.expected, program=_program()) from None
    except DatabaseMissing:
        pass


def _safe_url(url: str) -> str:
    """The URL without its password, for printing."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


SERVERS = ("granian", "uvicorn")


@main.command()
@_db_option
@_keys_option
@_redis_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 for every interface (e.g. in a container).",
)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="TCP port to listen on.")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Server processes [default: one per core this process may use, at most 16]. Without --redis-url the "
    "rate limit counts per process.",
)
@click.option(
    "--server",
    "server_name",
    type=click.Choice(SERVERS),
    default="granian",
    show_default=True,
    help="HTTP server: granian (Rust, faster here; see benchmarks/bench_server.py) or uvicorn.",
)
@click.option(
    "--no-auth",
    is_flag=True,
    help="Serve without API keys (local use only: anyone who can reach the port can use the API).",
)
@click.option(
    "--rate-limit",
    default=DEFAULT_RATE_LIMIT,
    show_default=True,
    help="Requests allowed per API key, e.g. 10/s, 600/m, 36000/h, or off.",
)
@click.option(
    "--base-url",
    default=None,
    help="Absolute base URL for the links in answers, when the server sits "
    "behind a proxy (default: taken from each request).",
)
@click.option(
    "--allowed-hosts",
    default=None,
    metavar="HOST,...",
    help="Host header values served, comma-separated ('*.example.org' for subdomains, '*' for any); "
    "others get 400, so links in answers cannot point elsewhere. Default: localhost, 127.0.0.1, "
    "::1 and the --base-url's host [env ONETLOCAL_ALLOWED_HOSTS].",
    envvar="ONETLOCAL_ALLOWED_HOSTS",
)
@click.option(
    "--loop",
    type=click.Choice(["auto", "asyncio", "uvloop"]),
    default="auto",
    show_default=True,
    help="Event loop (uvicorn only): auto = asyncio with one worker, uvloop with several.",
)
@click.option(
    "--forwarded-allow-ips",
    default=None,
    metavar="IP,...",
    envvar="ONETLOCAL_FORWARDED_ALLOW_IPS",
    help="Proxies whose X-Forwarded-For/-Proto headers are believed (uvicorn only; addresses or CIDR "
    "ranges). Default: none, so no client picks the address the access log and the wrong-key "
    "throttle see [env ONETLOCAL_FORWARDED_ALLOW_IPS].",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
    help="Messages printed by the server.",
)
@click.option(
    "--access-log",
    type=click.Choice(["plain", "json", "off"]),
    default="plain",
    show_default=True,
    help="One line per request on stderr (method, path, status, latency, key name, request id); "
    "json = JSON lines. Printed at --log-level info or debug.",
)
@click.option("--source", help=_source_help + " Used only when there is no database yet.")
@click.option(
    "--supplementary",
    help="With --source: the folder of supplementary public files (see `build --help`); used only when there is no "
    "database yet [env ONETLOCAL_SUPPLEMENTARY].",
)
@click.option(
    "--oews",
    help="With --source: BLS OEWS wages (see `build --help`); used only when there is no database yet "
    "[env ONETLOCAL_OEWS].",
)
@click.option(
    "--previous",
    help="With a 30.3+ --source: a release of O*NET 30.2 or earlier (see `build --help`); used only when there is "
    "no database yet [env ONET_PREVIOUS].",
)
@_data_option
@click.option(
    "--ui-key",
    default=None,
    metavar="NAME",
    help="Name of the API key the web UI at /ui/ calls the API with (never sent to browsers).",
)
def serve(
    db: Path | None,
    keys_db: Path | None,
    redis_url: str | None,
    host: str,
    port: int,
    workers: int | None,
    server_name: str,
    no_auth: bool,
    rate_limit: str,
    base_url: str | None,
    allowed_hosts: str | None,
    loop: str,
    forwarded_allow_ips: str | None,
    log_level: str,
    access_log: str,
    source: str | None,
    supplementary: str | None,
    oews: str | None,
    previous: str | None,
    data: Path | None,
    ui_key: str | None,
) -> None:
    """Serve the API, building the database first if there is none.

    A database built by an older or newer onetlocal is refused at start, with the `build` command to run.
    """
    db = (db or default_db_path()).expanduser()
    try:
        settings = Settings(
            db_path=db,
            keys_db_path=keys_db_path(db, keys_db),
            auth=not no_auth,
            rate_limit=parse_rate_limit(rate_limit),
            base_url=base_url,
            redis_url=redis_url,
            access_log=access_log,
            log_level=log_level,
            ui_key=ui_key,
            allowed_hosts=allowed_hosts_from(allowed_hosts, base_url),
        )
        if forwarded_allow_ips and server_name != "uvicorn":
            raise ConfigError("--forwarded-allow-ips needs --server uvicorn (granian never reads X-Forwarded-For)")
        from onetlocal.ingest import remove_stale_temps

        remove_stale_temps(db.resolve())  # what a killed build left behind (a build in progress is kept)
        _check_db(db)
        if db.exists():
            _refuse_other_schema(db)
        if not _port_free(host, port):
            raise ConfigError(
                f"port {port} on {host} is already in use (another server?); choose another with "
                f"--port, e.g. --port {port + 1}"
            )
        if redis_url and not no_auth:
            from onetlocal.http.redis_store import connect

            connect(redis_url).close()
        if (
            not no_auth
            and ui_key
            and not any(k["name"] == ui_key and not k["revoked_at"] for k in _store(db, keys_db, redis_url).list())
        ):
            raise ConfigError(f"--ui-key {ui_key!r}: no active key of that name (`onetlocal keys list`)")
        if not db.exists():
            click.echo(f"no database at {db}: building it first", err=True)
            run_build(db, resolve_sources(source, supplementary, oews, data, previous=previous), phase_lines=True)
    except OnetLocalError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        _fail("build interrupted; the previous database is untouched", 130)
    workers = workers or default_workers()
    with contextlib.ExitStack() as stack:
        if workers > 1 and settings.auth and settings.rate_limit and not settings.redis_url:
            from onetlocal.http import shared_bucket

            try:
                settings = dataclasses.replace(settings, rate_file=stack.enter_context(shared_bucket.table()))
            except OSError as exc:
                click.echo(f"warning: no shared rate-limit table ({exc}): each worker counts on its own", err=True)
        _banner(settings, host, port, workers, server_name, connection_limit(raise_open_files_limit()))
        os.environ.update(settings.to_env())
        try:
            if server_name == "granian":
                run_granian(host, port, workers, log_level)
            else:
                run_uvicorn(host, port, workers, log_level, loop, forwarded_allow_ips)
        except KeyboardInterrupt:
            pass


def _banner(
    settings: Settings, host: str, port: int, workers: int, server_name: str, connections: int | None = None
) -> None:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    url = f"http://{shown}:{port}" if ":" not in shown else f"http://[{shown}]:{port}"
    echo = lambda text: click.echo(text, err=True)  # noqa: E731
    echo(f"onetlocal serving {url}/" + ("  (listening on all interfaces)" if shown != host else ""))
    echo(f"  database  {_db_summary(settings.db_path)}")
    absent = _absent_lines(_db_meta(settings.db_path))
    if absent:
        echo(f"  absent    {len(absent)} release file{'s' if len(absent) > 1 else ''}:")
        for line in absent:
            echo(f"    {line}")
    echo(f"  docs      {url}/docs   (OpenAPI: {url}/openapi.json, health: {url}/healthz)")
    if settings.auth and not settings.ui_key:
        echo(f"  web UI    {url}/ui/   (needs --ui-key NAME to call the API)")
    else:
        echo(f"  web UI    {url}/ui/" + (f"   (calls the API as key {settings.ui_key!r})" if settings.auth else ""))
    if not settings.auth:
        echo("  auth      WARNING: --no-auth: anyone who can reach this port can use the API")
    else:
        store = f"Redis {_safe_url(settings.redis_url)}" if settings.redis_url else str(settings.keys_db_path)
        limit = f"{settings.rate_limit:g}/s per key" if settings.rate_limit else "no rate limit"
        if settings.redis_url:
            limit += ", shared by every instance"
        elif settings.rate_file:
            limit += f", shared by the {workers} workers (--redis-url: by every instance)"
        elif workers > 1 and settings.rate_limit:
            limit += f", counted per worker (up to {workers}x per key)"
        echo(f"  auth      API key in the X-API-Key header; keys in {store}; {limit}")
        if settings.redis_url:
            from onetlocal.http.redis_store import persistence_warning

            warning = persistence_warning(settings.redis_url)
            if warning:
                echo(f"  redis     WARNING: {warning}")
        if not settings.redis_url and not settings.keys_db_path.exists():
            db_arg = f" --db {_quote(settings.db_path)}" if settings.db_path != default_db_path() else ""
            if settings.keys_db_path != keys_db_path(settings.db_path):
                db_arg = f" --keys-db {_quote(settings.keys_db_path)}"
            echo(
                f"  no API keys yet; create one (in another terminal) with:\n"
                f"    KEY=$({_program()} keys create --name me{db_arg} | tail -n 1)\n"
                f'    curl -H "X-API-Key: $KEY" {url}/about/'
            )
    echo(
        f"  server    {server_name}, {workers} worker{'s' if workers > 1 else ''}; log level "
        f"{settings.log_level}, access log {settings.access_log}; Ctrl-C to stop"
    )
    if connections:
        low = connections < LOW_CONNECTION_LIMIT
        echo(
            f"  limits    request heads within {HEAD_TIMEOUT} s; at most {connections:,} connections per worker"
            + (
                "; WARNING: low, raise the hard open-files limit (ulimit -Hn, systemd LimitNOFILE=, docker "
                "--ulimit nofile=)"
                if low
                else ""
            )
        )


#: Below this many connections per worker the banner asks for a higher open-files limit (SECURITY.md).
LOW_CONNECTION_LIMIT = 10_000


main.add_command(code_command)  # `onetlocal code` (bulk occupation coding): onetlocal/coding/command.py


@main.group()
def keys() -> None:
    """Create, list and revoke API keys (stored hashed: a key is shown once, when it is created)."""


def _store(db: Path | None, keys_db: Path | None, redis_url: str | None) -> KeyStore | RedisKeyStore:
    """The key store: Redis when --redis-url is given; else the keys file of an existing database (or an
    explicit --keys-db), so a mistyped --db is an error instead of keys written where no server looks."""
    if redis_url:
        from onetlocal.http.redis_store import RedisKeyStore, connect

        return RedisKeyStore(connect(redis_url))
    from onetlocal.keys import KeyStore

    db = (db or default_db_path()).expanduser()
    if keys_db is None and not os.environ.get("ONETLOCAL_KEYS_DB") and not db.exists():
        raise ConfigError(
            f"no database at {db}: start `{_program()} serve` (or `build`) first, pass the --db "
            "the server uses, or --keys-db to keep keys elsewhere"
        )
    return KeyStore(keys_db_path(db, keys_db))


@keys.command("create")
@click.option("--name", required=True, help="A name for the key (who or what uses it); shown in the access log.")
@_db_option
@_keys_option
@_redis_option
def keys_create(name: str, db: Path | None, keys_db: Path | None, redis_url: str | None) -> None:
    """Create a key; it is printed once, alone on the last line (KEY=$(onetlocal keys create --name me | tail -n 1))."""
    try:
        key = _store(db, keys_db, redis_url).create(name)
    except OnetLocalError as exc:
        _fail(exc)
    click.echo(f"created key {name!r}; store it now, it cannot be shown again:")
    click.echo(key)


@keys.command("list")
@_db_option
@_keys_option
@_redis_option
def keys_list(db: Path | None, keys_db: Path | None, redis_url: str | None) -> None:
    """List the keys: name, first characters, creation time, state."""
    try:
        rows = _store(db, keys_db, redis_url).list()
    except OnetLocalError as exc:
        _fail(exc)
    if not rows:
        click.echo("no keys yet", err=True)
    for k in rows:
        state = f"revoked {k['revoked_at']}" if k["revoked_at"] else "active"
        click.echo(f"{k['name']}\t{k['prefix']}…\tcreated {k['created_at']}\t{state}")


@keys.command("revoke")
@click.argument("name")
@_db_option
@_keys_option
@_redis_option
def keys_revoke(name: str, db: Path | None, keys_db: Path | None, redis_url: str | None) -> None:
    """Revoke the key called NAME (every server using the same keys refuses it from then on)."""
    try:
        _store(db, keys_db, redis_url).revoke(name)
    except OnetLocalError as exc:
        _fail(exc)
    click.echo(f"revoked {name!r}")


@main.command()
@click.argument("path")
@click.argument("params", nargs=-1)
@click.option(
    "--url",
    envvar="ONETLOCAL_URL",
    default="http://127.0.0.1:8080",
    show_default=True,
    help="Base URL of the server [env ONETLOCAL_URL].",
)
@click.option("--api-key", envvar="ONETLOCAL_API_KEY", default=None, help="API key [env ONETLOCAL_API_KEY].")
def get(path: str, params: tuple[str, ...], url: str, api_key: str | None) -> None:
    """GET PATH with k=v query parameters (repeatable) and print the answer: JSON indented, other formats
    (format=csv, text, jsonl, excel) as served."""
    import httpx

    query: list[tuple[str, str]] = []
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"expected k=v, got {item!r}")
        query.append((key, value))
    target = url.rstrip("/") + "/" + path.lstrip("/")
    headers = {"X-API-Key": api_key} if api_key else {}
    try:
        response = httpx.get(target, params=tuple(query), headers=headers, timeout=60)
    except httpx.ConnectError as exc:
        _fail(f"cannot connect to {target} ({exc}); is `onetlocal serve` running there? (--url / ONETLOCAL_URL)")
    except httpx.HTTPError as exc:
        _fail(f"request to {target} failed: {type(exc).__name__}: {exc}")
    kind = response.headers.get("content-type", "")
    if response.status_code != 200:
        try:
            message = response.json().get("error")
        except (ValueError, AttributeError):
            message = response.text[:200]
        _fail(f"HTTP {response.status_code}: {message or response.reason_phrase}")
    if kind.startswith("application/json"):
        click.echo(orjson.dumps(response.json(), option=orjson.OPT_INDENT_2).decode())
    elif kind.startswith("text/") or "jsonl" in kind or "ndjson" in kind:
        click.echo(response.text, nl=not response.text.endswith("\n"))
    else:
        sys.stdout.buffer.write(response.content)
