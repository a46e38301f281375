"""What a career is and how one is listed, shared by every career route of every site.

Careers are the occupations with O*NET data: those with a Job Zone (923 in O*NET 30.1, the careers My Next Move and
Mi Próximo Paso cover); another code of the taxonomy (an "All Other" group without data) is 422 on the career routes
and never listed. Without Job Zones imported every occupation counts.
"""

from __future__ import annotations

from onetlocal import urls
from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.services import common
from onetlocal.services.mnm import Site
from onetlocal.services.mnm.language import mark, title


def careers(ctx: Ctx) -> frozenset[str]:
    """The careers: occupations with O*NET data (a Job Zone; 923 in O*NET 30.1, as My Next Move covers), or every
    occupation when Job Zones were not imported."""

    def load() -> frozenset[str]:
        codes = frozenset(common.occupations(ctx))
        if not ctx.db.table_exists("job_zones"):
            return codes
        return codes & frozenset(r["onetsoc_code"] for r in ctx.db.all("SELECT onetsoc_code FROM job_zones"))

    return ctx.db.memo("mnm.careers.codes", load)


def require_career(ctx: Ctx, site: Site, code: str) -> None:
    """422 for an unknown O*NET-SOC code, or an occupation without data (not a career of the site)."""
    common.require_occupation(ctx, code)
    if code not in careers(ctx):
        raise InvalidParameter(
            f"O*NET-SOC code {code!r} is not a {site.title} career (an occupation without "
            'O*NET data, such as an "All Other" group)'
        )


def career_item(ctx: Ctx, site: Site, code: str) -> dict:
    """`{href, code, title, tags}` of a career on `site` (site-relative href; title in the site's language)."""
    text, language = title(ctx, site, code)
    return mark(
        site,
        {
            "href": urls.path(urls.CAREER, site=site.name, code=code),
            "code": code,
            "title": text,
            "tags": common.tags(ctx, code),
        },
        language,
    )
