"""The build's sources in a data folder laid out as `fetch` (and shared/data) lays it out: `onet/`, `supplementary/`,
`oews/` (BLS's `oe.*` files, else `oews/*.sqlite[.gz]`).

`onet/` may hold several releases, each an unpacked folder or a zip, in the text, CSV or JSON edition
(`db_31_0_text/`, `db_30_3_csv.zip`, ...). The build reads the newest (by number: 30.10 is newer than 30.3), and, when
that one is of the layout O*NET introduced in 30.3, also the newest release of the layout before it
(`onet_previous`: the build pairs the old DWA/IWA ids, which clients still send, with the re-keyed ones).

Decisions:
- The layout is told from the files, never from the version number, by the markers the importer uses
  (`onetlocal.releases.LAYOUT_MARKERS`: `DWA Reference` and the like up to 30.2, `GWAs to IWAs to DWAs` and the like
  from 30.3); a zip's members are listed, not extracted. A release with neither marker (a partial copy) or with both
  can be the one read, never `onet_previous`.
- Of two copies of one release, an unpacked folder is preferred to a zip (it is what someone unpacked on purpose),
  then the text edition, the CSV, the JSON.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path, PurePosixPath

from onetlocal.ingest.source import EDITIONS, file_key
from onetlocal.releases import CURRENT, LAYOUT_MARKERS, LEGACY

_RELEASE = re.compile(r"db_(\d+)_(\d+)_(text|csv|json)(\.zip)?", re.IGNORECASE)
_EDITION_RANK = {"text": 2, "csv": 1, "json": 0}


def layout_of(release: Path) -> str | None:
    """LEGACY or CURRENT, from the file names of a release folder or zip; None when it has the markers of neither
    layout or of both, or cannot be read."""
    try:
        if release.is_dir():
            names = [name for _, _, files in os.walk(release) for name in files]
        else:
            with zipfile.ZipFile(release) as archive:
                names = [PurePosixPath(n).name for n in archive.namelist()]
    except (OSError, zipfile.BadZipFile):
        return None
    keys = {file_key(n) for n in names if PurePosixPath(n).suffix.lower() in EDITIONS}
    found = [layout for layout in (LEGACY, CURRENT) if keys & LAYOUT_MARKERS[layout]]
    return found[0] if len(found) == 1 else None


def _rank(path: Path) -> tuple[int, int, int, int] | None:
    """Sort key of a release folder or zip (newest, then folder before zip, then edition); None if not one."""
    match = _RELEASE.fullmatch(path.name)
    if not match:
        return None
    zipped = bool(match[4])
    if not (path.is_file() if zipped else path.is_dir()):
        return None
    return int(match[1]), int(match[2]), 0 if zipped else 1, _EDITION_RANK[match[3].lower()]


def onet_releases(folder: Path) -> tuple[str | None, str | None]:
    """(the newest release in `folder`, and the newest of the legacy layout when that one is of the current)."""
    if not folder.is_dir():
        return None, None
    ranked = sorted(((rank, path) for path in folder.iterdir() if (rank := _rank(path))), reverse=True)
    if not ranked:
        return None, None
    newest = ranked[0][1]
    if layout_of(newest) != CURRENT:
        return str(newest), None
    previous = next((path for _, path in ranked[1:] if layout_of(path) == LEGACY), None)
    return str(newest), str(previous) if previous else None


def layout_sources(data: str | os.PathLike) -> dict[str, str | None]:
    """{"onet", "onet_previous", "supplementary", "oews"}: what the build reads from the data folder `data`."""
    root = Path(data).expanduser()
    onet, previous = onet_releases(root / "onet")
    oews_files = sorted([*(root / "oews").glob("*.sqlite.gz"), *(root / "oews").glob("*.sqlite")])
    published = (root / "oews" / "oe.data.0.Current").is_file()  # BLS's own files: read before a copy beside them
    return {
        "onet": onet,
        "onet_previous": previous,
        "supplementary": str(root / "supplementary") if (root / "supplementary").is_dir() else None,
        "oews": str(root / "oews") if published else str(oews_files[-1]) if oews_files else None,
    }
