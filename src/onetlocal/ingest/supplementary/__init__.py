"""Importers for the supplementary public files (the folder layout of `shared/data/supplementary/`).

Each module lists `IMPORTERS`; every file is optional: a missing one is skipped (and recorded in `meta`), so only
the routes that need it answer "no data". A file that is present but malformed fails the build.

Two small lists have no machine-readable public download: the 60 Interest Profiler items and the Mi Próximo Paso
sample. They ship in the package (`onetlocal/data/`, same layout, each with its PROVENANCE.md and licence), so the
Interest Profiler works from public sources alone; a supplementary folder's own copy wins when it has one, and
`meta` records which was read (`supplementary_packaged`). Nothing big ships: every other source is downloaded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import onetlocal
from onetlocal.ingest.source import ProgressFn

#: The lists shipped in the package, in the supplementary folder's layout (see the module docstring).
PACKAGED = Path(onetlocal.__file__).parent / "data"

#: Supplementary source (its folder) -> what answers "no data" without it: said once by the build. A folder not
#: listed here is reported by name alone.
NO_DATA_WITHOUT: dict[str, str] = {
    "onet-bright-outlook": "Bright Outlook (/online/bright_outlook/, the bright_outlook tags, My Next Move outlook)",
    "advancecte-career-clusters-2024": "career clusters (/online/career_clusters/)",
    "onet-career-clusters-16": "the career_clusters_16 table (the 16 clusters of the earlier framework)",
    "onet-stem-occupations": "STEM occupations (/online/stem_occupations/)",
    "bls-ep-occupation-2024-34": "employment projections (My Next Move job_outlook, CareerOneStop Projections)",
    "projectionscentral-longterm-nv-2024-34": "state projections (CareerOneStop state rows, check_out_my_state)",
    "bls-ep-education-2020-30": "education attainment (CareerOneStop EducationTraining)",
    "nces-cip2020-soc2018-crosswalk": "CIP programs (CareerOneStop TrainingPrograms)",
    "onet-cip-to-onet-soc-crosswalk": "CIP programs (CareerOneStop TrainingPrograms)",
    "onet-military-crosswalk": "the military crosswalk (/veterans/military, /online/crosswalks/military)",
    "onet-soc-2019-taxonomy": "taxonomy crosswalks (/taxonomy/...)",
    "soc-2018": "SOC definitions (CareerOneStop SocInfo.SocDescription)",
    "us-geo-census": "places and ZIP codes (CareerOneStop locations other than a state)",
    "careeronestop-videos": "career videos (CareerOneStop Video, My Next Move career_video)",
    "interest-profiler": "the Interest Profiler questions",
    "mpp-spanish-sample": "Spanish texts on /mpp/",
}


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


def importers() -> list[SupplementaryImporter]:
    return [imp for module in _modules() for imp in module.IMPORTERS]


def source_of(imp: SupplementaryImporter) -> str:
    """The supplementary source (its folder, as `onetlocal fetch` names it) an importer reads."""
    return imp.path.split("/", 1)[0]


def sources_in(folder: str | Path) -> list[str]:
    """The supplementary sources `folder` holds (none: it is not a supplementary folder)."""
    root = Path(folder).expanduser()
    return sorted({source_of(imp) for imp in importers() if (root / imp.path).exists()})


def import_supplementary(
    conn: sqlite3.Connection, folder: str | Path | None, progress: ProgressFn | None = None
) -> dict:
    """Import every supplementary file `folder` holds (None: no folder), the packaged lists where it lacks them."""
    root = Path(folder).expanduser() if folder else None
    todo = importers()
    imported, packaged, absent = [], [], []
    for done, imp in enumerate(todo):
        if progress:
            progress(f"supplementary: {imp.name}", done, len(todo))
        path = root / imp.path if root else None
        if path is None or not path.exists():
            path = PACKAGED / imp.path
            if not path.exists():
                absent.append(imp.name)
                continue
            packaged.append(imp.name)
        imp.run(conn, path)
        imported.append(imp.name)
    if progress:
        progress("supplementary", len(todo), len(todo))
    meta = {
        "supplementary_imported": ",".join(imported),
        "supplementary_absent": ",".join(absent),
        "supplementary_packaged": ",".join(packaged),
    }
    if root is None:  # what was read: the packaged lists (a folder given is hashed by the build)
        from onetlocal.ingest import path_checksum

        meta["checksum"] = path_checksum(PACKAGED)
    return meta
