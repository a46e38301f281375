"""Which language a text is in, per site: Spanish texts for Mi Próximo Paso where the data has them, English else.

The Spanish texts come only from the imported Mi Próximo Paso file (`mpp_careers`, `mpp_also_called`: career
title, "¿Qué hacen?" and "También llamado" titles); nothing is machine-translated and no English text is
presented as Spanish. On a Spanish site (`/mpp/`):
- an object whose text is English carries `"language": "en"` (also-called titles, contents entries, element
  groups and elements, top interest, work styles, job zone, outlook, Bright Outlook categories, states, careers
  and industries in lists);
- a body's own text fields are named in `text_language`, e.g. `{"title": "es", "what_they_do": "es",
  "on_the_job": "en"}`, because a plain string or string list has no room for a marker.
English sites (`/mnm/`, `/veterans/`) never carry either key.
"""

from __future__ import annotations

from typing import Any

from onetlocal.context import Ctx
from onetlocal.services import common
from onetlocal.services.mnm import Site

EN, ES = "en", "es"


def _spanish(ctx: Ctx) -> dict[str, dict]:
    """O*NET-SOC code -> {title, what_they_do, also_called: [str]} from the imported Spanish file."""

    def load() -> dict[str, dict]:
        if not ctx.db.table_exists("mpp_careers"):
            return {}
        texts = {
            r["onetsoc_code"]: {"title": r["title"], "what_they_do": r["what_they_do"], "also_called": []}
            for r in ctx.db.all("SELECT onetsoc_code, title, what_they_do FROM mpp_careers")
        }
        if ctx.db.table_exists("mpp_also_called"):
            for r in ctx.db.all("SELECT onetsoc_code, title FROM mpp_also_called ORDER BY onetsoc_code, position"):
                if r["onetsoc_code"] in texts:
                    texts[r["onetsoc_code"]]["also_called"].append(r["title"])
        return texts

    return ctx.db.memo("mnm.spanish", load)


def spanish_texts(ctx: Ctx) -> dict[str, dict]:
    """O*NET-SOC code -> {title, what_they_do, also_called: [str]} of every career the Spanish file has."""
    return _spanish(ctx)


def text(ctx: Ctx, site: Site, code: str, field: str) -> tuple[Any, str]:
    """(value, language) of a career's `title` / `what_they_do` / `also_called` for `site`: the Spanish text
    when the site is Spanish and the file has it, else (None, 'en') for the caller's English value."""
    if site.language == ES:
        value = (_spanish(ctx).get(code) or {}).get(field)
        if value:
            return value, ES
    return None, EN


def title(ctx: Ctx, site: Site, code: str) -> tuple[str, str]:
    """(career title, language) for `site`."""
    value, language = text(ctx, site, code, "title")
    return (value, language) if value else (common.occupations(ctx)[code]["title"], EN)


def mark(site: Site, item: dict, language: str = EN) -> dict:
    """`item` with `"language": "en"` when its text is English on a Spanish site (in place; returned)."""
    if site.language != EN and language == EN:
        item["language"] = EN
    return item


def mark_all(site: Site, items: list[dict], language: str = EN) -> list[dict]:
    for item in items:
        mark(site, item, language)
    return items


def text_language(site: Site, body: dict, **fields: str) -> dict:
    """`body` with `text_language: {field: language}` on a Spanish site (for fields present in the body)."""
    if site.language != EN:
        body["text_language"] = {name: language for name, language in fields.items() if name in body}
    return body
