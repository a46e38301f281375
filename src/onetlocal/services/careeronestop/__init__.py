"""CareerOneStop "Get Occupation Details" (`/v1/occupation/{userId}/{keyword}/{location}`), served from the same
database: O*NET 30.1, OEWS May 2025 wages, BLS Employment Projections 2024-34 and the supplementary crosswalks.

Decisions where the CareerOneStop documentation is silent (also in docs/compatibility.md, "CareerOneStop"):
- The body is `{"OccupationDetail": [one object], "RecordCount": 1, "DidYouMean": null, "AutoCorrection": null,
  "MetaData": {...}}`; `MetaData` unless `enableMetaData=false`. Every OccupationDetail key is always present; a
  block whose flag is off is null (see `blocks`). `userId` is any non-empty string (the bearer token is the key).
- `SocWageInfo` is inside `Wages` (where clients read it), `SocInfo` (the O*NET code's SOC 2018 occupation and
  definition) is always sent, `Green` is always null ("no longer supported"), `BrightOutlook` is "Bright" with
  `BrightOutlookCategory` the O*NET categories joined by "; ", both null for other occupations.
- Keyword and location resolution: `resolve`; wages: `wages`.
- The assembled occupation object depends only on (occupation, state, areas, flags) and the database, so it is kept
  serialized in the database's bounded memo (about 45 KiB each with every flag on) and sent as an
  `orjson.Fragment`: `orjson.loads(orjson.dumps(body))` is the plain data. A cold build takes ~10-20 ms.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from onetlocal.context import Ctx
from onetlocal.services.careeronestop import resolve
from onetlocal.services.careeronestop.blocks import BLOCKS, FLAGS, Subject

__all__ = ["FLAGS", "build_detail", "occupation_details"]

#: OccupationDetail keys in response order: the order of CareerOneStop's response model as transcribed in
#: evidence §15, spelled as working clients of the live API read them (spec §8: `Dwas`, `ToolsAndTech...`).
KEYS = (
    "OnetTitle",
    "OnetCode",
    "OnetDescription",
    "Wages",
    "BrightOutlook",
    "Green",
    "COSVideoURL",
    "EducationTraining",
    "BrightOutlookCategory",
    "Tasks",
    "Dwas",
    "AlternateTitles",
    "StFips",
    "Location",
    "Video",
    "InterestDataList",
    "SocInfo",
    "Projections",
    "OOHs",
    "StateResourcesLinks",
    "RelatedOnetTitles",
    "SkillsDataList",
    "KnowledgeDataList",
    "AbilityDataList",
    "TrainingPrograms",
    "ToolsAndTechOccupationDetails",
    "WorkValuesOccupationDetails",
)


def _bright_outlook(ctx: Ctx, code: str) -> str | None:
    def load() -> dict[str, str]:
        if not ctx.db.table_exists("bright_outlook"):
            return {}
        out: dict[str, list[str]] = {}
        for r in ctx.db.all("SELECT onetsoc_code, category_title FROM bright_outlook ORDER BY rowid"):
            out.setdefault(r["onetsoc_code"], []).append(r["category_title"])
        return {k: "; ".join(v) for k, v in out.items()}

    return ctx.db.memo("cos.bright_outlook", load).get(code)


def soc_info(ctx: Ctx, soc: dict | None) -> dict | None:
    if not soc:
        return None
    _, title, definition = resolve.soc_details(ctx).get(soc["code"], ("", soc["title"], ""))
    return {"SocCode": soc["code"], "SocTitle": title or soc["title"], "SocDescription": definition or None}


def build_detail(ctx: Ctx, occupation: dict, place: resolve.Place, on: frozenset[str]) -> dict:
    """The OccupationDetail object (without the request's own `Location` text)."""
    code = occupation["code"]
    soc = resolve.soc_of(ctx, code)
    category = _bright_outlook(ctx, code)
    detail: dict[str, Any] = dict.fromkeys(KEYS)
    detail.update(
        {
            "OnetTitle": occupation["title"],
            "OnetCode": code,
            "OnetDescription": occupation["description"],
            "BrightOutlook": "Bright" if category else None,
            "BrightOutlookCategory": category,
            "StFips": place.fips,
            "SocInfo": soc_info(ctx, soc),
        }
    )
    subject = Subject(ctx, occupation, soc, place)
    for block in BLOCKS:
        if block.flag not in on:
            continue
        value = block.build(subject)
        if block.parent:
            detail[block.parent] = {**(detail[block.parent] or {}), block.key: value}
        else:
            detail[block.key] = value
    return detail


_LOCATION = "\u0000location\u0000"  # placeholder for the request's own Location text in a cached body


def _cached_detail(ctx: Ctx, occupation: dict, place: resolve.Place, on: frozenset[str]) -> tuple[bytes, bytes]:
    """The serialized OccupationDetail split around its Location value, built once per (occupation, state, areas,
    flags): bytes, as the dicts would take ~3x the memory (~120 KiB per occupation with every flag on)."""

    def build() -> tuple[bytes, bytes]:
        detail = build_detail(ctx, occupation, place, on)
        detail["Location"] = _LOCATION
        head, _, tail = orjson.dumps(detail).partition(orjson.dumps(_LOCATION))
        return head, tail

    key = ("cos.details", occupation["code"], place.state_fips, tuple(a.code for a in place.areas), on)
    return ctx.db.memo(key, build, bounded=True)


def metadata(ctx: Ctx) -> dict:
    """Where the data comes from (versions read from the build), and when this answer was made."""
    meta = ctx.db.meta()
    built = meta.get("built_at")
    sources = [
        (
            "O*NET",
            "O*NET Resource Center, U.S. Department of Labor/ETA",
            "https://www.onetcenter.org/database.html",
            f"O*NET {meta.get('onet_version', '')}".strip(),
            "Occupation titles, descriptions, tasks, work activities, skills, knowledge, interests, work values, "
            "tools and technology, related occupations",
            f"O*NET® {meta.get('onet_version', '')} Database by the U.S. Department of Labor, Employment and Training "
            "Administration (USDOL/ETA). Used under the CC BY 4.0 license.",
        ),
        (
            "Wages",
            "Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS)",
            "https://www.bls.gov/oes/",
            meta.get("oews_release", ""),
            "National, state and area wages by occupation",
            "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (public domain).",
        ),
        (
            "Projections, education and training",
            "Bureau of Labor Statistics, Employment Projections",
            "https://www.bls.gov/emp/",
            "2024-34",
            "National employment projections and education and training "
            "assignments; state projections from Projections Central where available",
            "U.S. Bureau of Labor Statistics, Employment Projections program (public domain).",
        ),
    ]
    return {
        "Publisher": "onetlocal",
        "Sponsor": None,
        "LastAccessDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "CitationSuggested": sources[0][5],
        "DataSource": [
            {
                "DataName": name,
                "DataSourceName": source,
                "DataSourceUrl": url,
                "DataLastUpdate": built,
                "DataVintageOrVersion": version,
                "DataDescription": description,
                "DataSourceCitation": citation,
            }
            for name, source, url, version, description, citation in sources
        ],
    }


def occupation_details(
    ctx: Ctx, userId: str, keyword: str, location: str, enableMetaData: bool = True, **flags: bool
) -> dict:
    """Get Occupation Details: the occupation's blocks switched on by the flags, for the location's state/area."""
    occupation = resolve.occupation(ctx, keyword)
    place = resolve.location(ctx, location)
    on = frozenset(name for name in FLAGS if flags.get(name))
    head, tail = _cached_detail(ctx, occupation, place, on)
    detail = orjson.Fragment(head + orjson.dumps(place.text) + tail)
    body: dict[str, Any] = {"OccupationDetail": [detail], "RecordCount": 1, "DidYouMean": None, "AutoCorrection": None}
    if enableMetaData:
        body["MetaData"] = metadata(ctx)
    return body
