"""BLS data as every family reads it (My Next Move, CareerOneStop): the code a BLS source publishes an O*NET
occupation under (`soc.published_code` on this database), and the OEWS top-coding caps (`oews_footnotes`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from onetlocal import soc
from onetlocal.context import Ctx
from onetlocal.oews_footnotes import TOP_CODED, top_codes
from onetlocal.services import common


def occupation_socs(ctx: Ctx) -> frozenset[str]:
    """The SOC codes of the O*NET occupations: the detailed occupations, none of them a BLS combination."""
    return ctx.db.memo("bls.occupation_socs", lambda: frozenset(soc.soc_code(c) for c in common.occupations(ctx)))


def bls_code(
    ctx: Ctx, source: str, code: str, published: Collection[str], titles: Mapping[str, str] | None = None
) -> str | None:
    """The code under which `source` (publishing the codes `published`, titled `titles` when given) gives the
    O*NET-SOC or SOC code `code`, or None (`soc.published_code`). Worked out once per source and database for every
    O*NET occupation: `source` names what `published` holds, the same codes under the same name wherever it is asked
    ("oews": national OEWS wages, "oews_states", "oews_industries", "ep": national projections, "attainment",
    "state_projections.32")."""
    detailed = occupation_socs(ctx)

    def load() -> dict[str, str | None]:
        named = {**soc_titles(ctx), **titles} if titles else None
        return {s: soc.published_code(s, published, detailed, named) for s in detailed}

    codes: dict[str, str | None] = ctx.db.memo(f"bls.code.{source}", load)
    return codes.get(soc.soc_code(code))


def soc_titles(ctx: Ctx) -> dict[str, str]:
    """SOC code -> the title of its O*NET occupation (the first O*NET-SOC code of it: `.00` when there is one)."""

    def load() -> dict[str, str]:
        found: dict[str, str] = {}
        for code, occupation in common.occupations(ctx).items():  # ordered by code
            found.setdefault(soc.soc_code(code), occupation["title"])
        return found

    return ctx.db.memo("bls.soc_titles", load)


def oews_caps(ctx: Ctx) -> dict[str, float]:
    """The OEWS top-coding caps, `{'hourly': 115.0, 'annual': 239200}` from the text of footnote 5; empty when the
    OEWS footnotes were not imported or the text states none."""

    def load() -> dict[str, float]:
        if not ctx.db.table_exists("oews_footnotes"):
            return {}
        return top_codes(
            ctx.db.scalar("SELECT footnote_text FROM oews_footnotes WHERE footnote_code = ?", (TOP_CODED,)) or ""
        )

    return ctx.db.memo("bls.oews_caps", load)
