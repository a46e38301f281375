"""Version info: `/about/`."""

from __future__ import annotations

from onetlocal import API_VERSION, __version__
from onetlocal.context import Ctx

ATTRIBUTION = (
    "This site incorporates information from the O*NET Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 license. "
    "O*NET® is a trademark of USDOL/ETA. BLS data are in the public domain."
)


def about(ctx: Ctx) -> dict:
    meta = ctx.db.meta()
    version = meta.get("onet_version", "unknown")
    return {
        "api_version": API_VERSION,
        "database": f"O*NET {version}",
        "database_version": version,
        "taxonomy": "O*NET-SOC 2019",
        "built_at": meta.get("built_at"),
        "server": f"onetlocal {__version__}",
        "attribution": ATTRIBUTION,
    }
