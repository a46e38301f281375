"""Importers for the supplementary public files (the folder layout of `shared/data/supplementary/`).

Each module lists `IMPORTERS`; every file is optional: a missing one is skipped (and recorded in `meta`), so only
the routes that need it answer "no data". A file that is present but malformed fails the build.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from onetlocal.ingest.source import ProgressFn


@dataclass(frozen=True)
class SupplementaryImporter:
    name: str
    path: str  # relative to the supplementary folder
    run: Callable[[sqlite3.Connection, Path], int]  # returns rows imported


def _modules():
    # Imported here so each family module stays independent; order = build order.
    from onetlocal.ingest.supplementary import (
        bls_education,
        bright_outlook,
        career_clusters,
        careeronestop_videos,
        cip,
        geography,
        interest_profiler,
        military,
        mpp_spanish,
        projections,
        soc_definitions,
        state_projections,
        stem_occupations,
        taxonomy,
    )

    return [
        bright_outlook,
        cip,
        interest_profiler,
        state_projections,
        projections,
        bls_education,
        geography,
        stem_occupations,
        career_clusters,
        taxonomy,
        soc_definitions,
        military,
        mpp_spanish,
        careeronestop_videos,
    ]


def import_supplementary(conn: sqlite3.Connection, folder: str | Path, progress: ProgressFn | None = None) -> dict:
    folder = Path(folder).expanduser()
    importers = [imp for module in _modules() for imp in module.IMPORTERS]
    imported, absent = [], []
    for done, imp in enumerate(importers):
        if progress:
            progress(f"supplementary: {imp.name}", done, len(importers))
        path = folder / imp.path
        if not path.exists():
            absent.append(imp.name)
            continue
        imp.run(conn, path)
        imported.append(imp.name)
    if progress:
        progress("supplementary", len(importers), len(importers))
    return {"supplementary_imported": ",".join(imported), "supplementary_absent": ",".join(absent)}
