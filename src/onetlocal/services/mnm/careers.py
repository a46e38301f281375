"""The My Next Move career report, `/{site}/careers/{code}/` and `/{site}/careers/{code}/{section}`, for every site.

Every section is one row of `SECTIONS` (title, builder, the sites that serve it); the overview's `contents` lists the
sections with data for the career, in that order. Section bodies are built once per site and career (memoised with
site-relative links; links are made absolute per request). An unknown code, an unknown section, a section the site
does not serve (`technology` on `/mpp/`, `in_the_military` outside `/veterans/`) or a section without data for the
career is 422 (spec §1).

Shapes (spec §7): the overview `{code, title, tags, also_called: [{title, summary}], what_they_do, on_the_job: [str],
career_video, contents: [{href, title}]}`; `knowledge|skills|abilities` a bare array of groups; the other sections an
object that starts with the career's `code` and `title` (every v2 section body is reported to carry them).

Decisions:
- also_called: the career's Sample of Reported Titles rows in file order, `summary` = "Shown in My Next Move" (the
  short list); an empty list when the release has none (as the Spanish record of Data Scientists shows). On
  `/mpp/` the Spanish "También llamado" titles when the file has them, with `summary` as on `/mnm/`. They cannot be
  paired with the English rows (the Spanish list is deduplicated and sorted in Spanish) and the file has no
  short-list flag, so every Spanish title is `summary: true`: a client that shows the short list shows the Spanish
  titles (at most 10) rather than none, and the key and type are those of `/mnm/` (a `null` would break typed
  clients modelled on `summary: bool`).
- what_they_do: the O*NET-SOC description (Spanish where the file has it). on_the_job: the Core tasks in the
  order of the O*NET OnLine task report (importance when Task Ratings are imported, else incumbents responding),
  at most 6, the short list My Next Move shows; Spanish task texts are not available (English, marked).
- career_video: true when CareerOneStop's video list names a video for the career (`services/videos.py`; also
  another career's video), else false (also when the list was not imported).
- Careers are the occupations with O*NET data (those with a Job Zone: 923 in O*NET 30.1, the careers My Next Move
  and Mi Próximo Paso cover); another code of the taxonomy ("All Other" groups) is 422, not a career.
- explore_more: `careers` = the Primary-Short related careers (the first 10 related when that tier is empty) as
  career items of the site; `industries` from OEWS industry employment (services/mnm/outlook.py), each
  `{href, code, title, percent_employed}` with `href: null` when the career is on neither of its lists.
- Absent data: a key of a section's shape is always there, `null` for a missing object or value and `[]` for a
  missing list (docs/compatibility.md "Absent data"); the exceptions are the evidence's: `tags` flags only when
  true, `bright_outlook` only when Bright, a top-coded wage as `<key>_over` instead of `<key>`.
- Language marking on `/mpp/`: services/mnm/language.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from onetlocal import urls
from onetlocal.context import Ctx
from onetlocal.errors import InvalidParameter
from onetlocal.services import bls, common, videos
from onetlocal.services.mnm import Site, explore, language, military, outlook, sections
from onetlocal.services.mnm.items import career_item, careers, require_career
from onetlocal.services.mnm.language import EN, mark, mark_all

ON_THE_JOB = 6
RELATED = 10

Builder = Callable[[Ctx, Site, str], Any]


@dataclass(frozen=True)
class CareerSection:
    title: str
    build: Builder
    sites: frozenset[str] | None = None  # None: every site
    per_request: bool = False  # depends on query parameters: built per request, never memoised
    links: bool = False  # holds site-relative hrefs to make absolute per request

    def serves(self, site: Site) -> bool:
        return self.sites is None or site.name in self.sites


# -- overview ----------------------------------------------------------------------------------------------------


def _also_called(ctx: Ctx, site: Site, code: str) -> list[dict]:
    spanish, lang = language.text(ctx, site, code, "also_called")
    if spanish:
        return [{"title": t, "summary": True} for t in spanish]
    rows = ctx.db.all(
        "SELECT reported_job_title, shown_in_my_next_move FROM sample_of_reported_titles "
        "WHERE onetsoc_code = ? ORDER BY rowid",
        (code,),
    )
    return mark_all(
        site, [{"title": r["reported_job_title"], "summary": r["shown_in_my_next_move"] == "Y"} for r in rows], lang
    )


def _on_the_job(ctx: Ctx, code: str) -> list[str]:
    rows = ctx.db.all(
        "SELECT task_id, task, task_type, incumbents_responding FROM task_statements WHERE onetsoc_code = ?", (code,)
    )
    importance = {}
    if ctx.db.table_exists("task_ratings"):
        importance = {
            r["task_id"]: r["data_value"]
            for r in ctx.db.all(
                "SELECT task_id, data_value FROM task_ratings WHERE onetsoc_code = ? AND scale_id = 'IM'", (code,)
            )
        }
    core = [r for r in rows if r["task_type"] == "Core"] or rows
    core.sort(key=lambda r: (-(importance.get(r["task_id"]) or 0), -(r["incumbents_responding"] or 0), r["task_id"]))
    return [r["task"] for r in core[:ON_THE_JOB]]


def _overview(ctx: Ctx, site: Site, code: str) -> dict:
    occupation = common.occupations(ctx)[code]
    title, title_lang = language.title(ctx, site, code)
    what, what_lang = language.text(ctx, site, code, "what_they_do")
    contents = []
    for name, section in SECTIONS.items():
        if section.serves(site) and has_data(ctx, site, code, name):
            contents.append(
                mark(
                    site,
                    {
                        "href": urls.path(urls.CAREER_SECTION, site=site.name, code=code, section=name),
                        "title": section.title,
                    },
                )
            )
    body = {
        "code": code,
        "title": title,
        "tags": common.tags(ctx, code),
        "also_called": _also_called(ctx, site, code),
        "what_they_do": what or occupation["description"],
        "on_the_job": _on_the_job(ctx, code),
        "career_video": videos.video(ctx, code) is not None,
        "contents": contents,
    }
    return language.text_language(site, body, title=title_lang, what_they_do=what_lang if what else EN, on_the_job=EN)


# -- sections ----------------------------------------------------------------------------------------------------


def _descriptor(name: str) -> Builder:
    return lambda ctx, site, code: sections.descriptors(ctx, site, name, code)


def _explore_more(ctx: Ctx, site: Site, code: str) -> dict:
    known = careers(ctx)
    rows = [
        r
        for r in ctx.db.all(
            "SELECT related_onetsoc_code, relatedness_tier FROM related_occupations "
            "WHERE onetsoc_code = ? ORDER BY related_index",
            (code,),
        )
        if r["related_onetsoc_code"] in known
    ]
    chosen = [r for r in rows if r["relatedness_tier"] == "Primary-Short"] or rows[:RELATED]
    body: dict[str, Any] = {
        "careers": [career_item(ctx, site, r["related_onetsoc_code"]) for r in chosen],
        "industries": mark_all(site, explore.career_industries(ctx, site, code)),
    }
    if not body["careers"] and not body["industries"]:
        raise sections.no_data("explore_more", code)
    return body


def _job_outlook(ctx: Ctx, site: Site, code: str) -> dict:
    body = outlook.job_outlook(ctx, code)
    if body["outlook"] is not None:
        mark(site, body["outlook"])
    mark_all(site, body.get("bright_outlook", []))
    return body


def _check_out_my_state(ctx: Ctx, site: Site, code: str, location: str | None = None) -> dict:
    body = outlook.check_out_my_state(ctx, code, location)
    if site.language == EN:
        return body
    # state names are BLS's English names: marked on a copy (the body is shared by every site)
    marked: dict[str, Any] = {
        key: [mark(site, dict(s)) for s in value] if type(value) is list else value for key, value in body.items()
    }
    if "state" in marked:
        marked["state"] = mark(site, dict(marked["state"]))
    return marked


SECTIONS: dict[str, CareerSection] = {
    "knowledge": CareerSection("Knowledge", _descriptor("knowledge")),
    "skills": CareerSection("Skills", _descriptor("skills")),
    "abilities": CareerSection("Abilities", _descriptor("abilities")),
    "personality": CareerSection("Personality", sections.personality),
    "technology": CareerSection("Technology", sections.technology, frozenset({"mnm", "veterans"})),
    "education": CareerSection("Education", sections.education),
    "job_outlook": CareerSection("Job Outlook", _job_outlook),
    "check_out_my_state": CareerSection("Check Out My State", _check_out_my_state, per_request=True),
    "explore_more": CareerSection("Explore More", _explore_more, links=True),
    "in_the_military": CareerSection("In the Military", military.in_the_military, frozenset({"veterans"})),
}


def section_names(site: Site) -> list[str]:
    return [name for name, section in SECTIONS.items() if section.serves(site)]


def _memo(ctx: Ctx, site: Site, code: str, name: str, build: Callable[[], Any]) -> Any:
    """The section body, built once per site and career; a "no data" answer is remembered too."""

    def attempt() -> tuple[bool, Any]:
        try:
            return True, build()
        except InvalidParameter as exc:
            return False, exc.message

    ok, value = ctx.db.memo(("mnm.career", site.name, code, name), attempt, bounded=True)
    if not ok:
        raise InvalidParameter(value)
    return value


def has_data(ctx: Ctx, site: Site, code: str, name: str) -> bool:
    if name == "check_out_my_state":  # cheap test; the body depends on `location`
        return bls.bls_code(ctx, "oews_states", code, outlook.state_socs(ctx)) is not None
    try:
        _section_body(ctx, site, code, name)
    except InvalidParameter:
        return False
    return True


def _section_body(ctx: Ctx, site: Site, code: str, name: str, **params: Any) -> Any:
    section = SECTIONS[name]
    if section.per_request:
        return section.build(ctx, site, code, **params)
    return _memo(ctx, site, code, name, lambda: section.build(ctx, site, code))


# -- services ----------------------------------------------------------------------------------------------------


def overview(ctx: Ctx, site: Site, code: str) -> dict:
    """`/{site}/careers/{code}/`: the career overview with the sections that have data."""
    require_career(ctx, site, code)
    return urls.absolute(ctx.base_url, _memo(ctx, site, code, "", lambda: _overview(ctx, site, code)))


def section(ctx: Ctx, site: Site, code: str, name: str, **params: Any) -> Any:
    """`/{site}/careers/{code}/{name}`: one report section (422 for an unknown code or section, or no data)."""
    require_career(ctx, site, code)
    spec = SECTIONS.get(name)
    if spec is None or not spec.serves(site):
        where = f" on {site.title}" if spec is not None else ""
        raise InvalidParameter(
            f"unknown career report section {name!r}{where}; one of {', '.join(section_names(site))}"
        )
    body = _section_body(ctx, site, code, name, **params)
    if isinstance(body, list):
        return urls.absolute(ctx.base_url, body) if spec.links else body
    title, title_lang = language.title(ctx, site, code)
    full = {"code": code, "title": title, **body}
    language.text_language(
        site, full, title=title_lang, **({"education_usually_needed": EN} if "education_usually_needed" in body else {})
    )
    return urls.absolute(ctx.base_url, full) if spec.links else full
