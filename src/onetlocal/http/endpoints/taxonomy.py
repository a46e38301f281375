"""Taxonomy crosswalks (spec §5) and the military crosswalk search."""

from onetlocal.http.params import PATH_DEFAULTS, SOC_CODE_PATTERN, Param
from onetlocal.http.routing import Endpoint
from onetlocal.services import taxonomy

_TAXONOMY = "one of " + ", ".join(taxonomy.TAXONOMIES) + " (active = the loaded release)"

ENDPOINTS = [
    Endpoint(
        "/taxonomy/{source}/{target}/{code}",
        taxonomy.crosswalk,
        "O*NET-SOC code of one taxonomy -> its occupations in another (2010, 2019, active; one-to-many kept; "
        "422 for an unknown code or taxonomy)",
        "taxonomy",
        params=(
            Param("source", f"from taxonomy: {_TAXONOMY}", enum=taxonomy.TAXONOMIES, location="path"),
            Param("target", f"to taxonomy: {_TAXONOMY}", enum=taxonomy.TAXONOMIES, location="path"),
            Param(
                "code",
                "O*NET-SOC code in the from taxonomy, e.g. 15-1252.00",
                location="path",
                pattern=SOC_CODE_PATTERN,
                mismatch=PATH_DEFAULTS["code"].mismatch,
            ),
        ),
    ),
    Endpoint(
        "/online/crosswalks/military",
        taxonomy.military,
        "Military occupations (code or title keyword) -> civilian O*NET occupations",
        "taxonomy",
        params=(Param("keyword", "military occupation code or title words", required=True),),
        list_key="match",
    ),
]
