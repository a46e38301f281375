"""Version info: `/about/`."""

from __future__ import annotations

from onetlocal import API_VERSION, __version__
from onetlocal.context import Ctx
from onetlocal.releases import LEGACY, absent_files

ATTRIBUTION = (
    "This site incorporates information from the O*NET Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 license. "
    "O*NET® is a trademark of USDOL/ETA. BLS data are in the public domain."
)


def about(ctx: Ctx) -> dict:
    """The API version and the loaded release: its number and date (from its Read Me), and the release tables
    the build did not have (their routes answer "no data"). The same for every request to one database file."""
    return ctx.db.memo("about", lambda: _about(ctx))


def _about(ctx: Ctx) -> dict:
    meta = ctx.db.meta()
    version = meta.get("onet_version", "unknown")
    layout = meta.get("onet_layout", LEGACY)
    return {
        "api_version": API_VERSION,
        "database": f"O*NET {version}",
        "database_version": version,
        "database_date": meta.get("onet_release_date") or None,
        "database_tables_absent": [f.table_id for f in absent_files(layout, meta.get("onet_absent_files", ""))],
        "taxonomy": "O*NET-SOC 2019",
        "built_at": meta.get("built_at"),
        "server": f"onetlocal {__version__}",
        "attribution": ATTRIBUTION,
    }
