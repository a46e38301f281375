"""`onetlocal build`: run the importers into a temporary database, then atomically replace the target.

The build is a list of steps (`STEPS`): one importer per source family, then derived tables. A step with a
source key runs when that source is given (the O*NET release is required); a derived step always runs.
Any failure or interruption leaves the previous database untouched.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onetlocal.errors import BuildError
from onetlocal.ingest import oews, onet, previous
from onetlocal.ingest.search_index import build_search_index
from onetlocal.ingest.source import ProgressFn
from onetlocal.ingest.supplementary import import_supplementary
from onetlocal.ingest.tables import META_SCHEMA
from onetlocal.schema import SCHEMA_VERSION


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[sqlite3.Connection, Any, ProgressFn | None], dict | None]  # (connection, source path, progress)
    source: str | None = None  # key in `sources`; None = derived step, always runs
    required: bool = False
    without_source: bool = False  # runs when its source is not given too (with location None)


#: The build, in order: importers, then derived tables. An importer may return a "checksum" of what it read;
#: otherwise its source path is hashed.
STEPS: list[Step] = [
    Step("onet", onet.import_from, source="onet", required=True),
    Step("onet_previous", previous.import_previous, source="onet_previous"),
    # Without a supplementary folder it still imports the lists that ship in the package (onetlocal/data/).
    Step("supplementary", import_supplementary, source="supplementary", without_source=True),
    Step("oews", oews.import_oews, source="oews"),
    Step("search_index", build_search_index),
]


def path_checksum(path: str | os.PathLike) -> str:
    """sha256 of a file, or of every file (names and bytes) under a folder."""
    root = Path(path)
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    for file in files:
        digest.update(str(file.relative_to(root) if root.is_dir() else file.name).encode() + b"\0")
        with open(file, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def remove_stale_temps(target: Path) -> None:
    """Delete the temp files of builds of `target` whose process is gone (killed: SIGKILL leaves ~80 MB)."""
    for stale in target.parent.glob(f".{target.name}.tmp-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _pid_alive(int(pid)):
            continue
        stale.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def build(
    target: str | os.PathLike,
    sources: Mapping[str, str | os.PathLike | None],
    progress: ProgressFn | None = None,
) -> dict[str, str]:
    """Build the database at `target` from `sources` ({"onet": ..., "supplementary": ..., "oews": ...}).

    Returns the meta values written. Raises BuildError; the previous `target` survives any failure.
    """
    target = Path(target).expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    for step in STEPS:
        if step.required and not sources.get(step.source or ""):
            raise BuildError(f"no {step.source} source given")
    tmp = _temp_path(target)
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    meta: dict[str, str] = {}
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;")
            conn.executescript(META_SCHEMA)
            checksums = []
            for step in STEPS:
                location = sources.get(step.source) if step.source else None
                if step.source and not location and not step.without_source:
                    continue
                result = dict(step.run(conn, location, progress) or {})
                checksum = result.pop("checksum", None)
                if step.source and location and not checksum:
                    checksum = path_checksum(location)
                if step.source and checksum:
                    checksums.append(f"{step.source}:{checksum}")
                meta.update(result)
                # Written as it comes, so a later step can read what an earlier one found (e.g. the layout).
                conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(result.items()))
            meta.update(
                schema_version=SCHEMA_VERSION,
                source_checksum=hashlib.sha256("\n".join(checksums).encode()).hexdigest(),
                built_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
                build_seconds=f"{time.perf_counter() - started:.2f}",
            )
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(meta.items()))
            conn.commit()
            conn.execute("ANALYZE")
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, target)
    except BuildError:
        tmp.unlink(missing_ok=True)
        raise
    except (sqlite3.Error, OSError, ValueError, UnicodeError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"build failed: {exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return meta
