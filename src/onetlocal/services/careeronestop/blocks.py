"""The response blocks of Get Occupation Details, one builder each, and the table flag -> block that assembles them.

A block whose flag is off keeps its key with the value null (the response always has the same keys, the way
CareerOneStop's serializer writes them); a block whose flag is on but whose source holds nothing for the occupation
is its empty shape ([] / {} / null for a single string). Values are strings, as CareerOneStop sends them.

Key spelling: the keys that working clients of the live API read (spec §8), where the seed's typeset table differs:
`Dwas: [{DwaTitle, DwaId, DataValue, TaskId}]`, rating items `ElementId`, projection rows `Stfips` (the top level and
wage items keep `StFips`), `Video: [{VideoCode, VideoTitle, VideoType}]`, `ToolsAndTechOccupationDetails` and
`WorkValuesOccupationDetails` objects (see their builders).

Ratings (Skills, Knowledge, Abilities, Interests): `DataValue` is the O*NET value on the element's primary scale as
published (importance 1-5 for skills/knowledge/abilities, occupational interest 1-7), `Importance` the same value on
O*NET OnLine's 0-100 scale; elements are listed most important first (ties by element id). Tasks: `DataValue` is
the task's importance (Task Ratings, IM) when that file was imported, else null; Core tasks before Supplemental.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from onetlocal.context import Ctx
from onetlocal.services import bls, common, videos
from onetlocal.services.careeronestop import resolve, wages
from onetlocal.services.careeronestop.resolve import Place
from onetlocal.vocabulary import ATTAINMENT_LEVELS


@dataclass(frozen=True)
class Subject:
    """What every builder needs: the occupation, its SOC occupation and the requested place."""

    ctx: Ctx
    occupation: dict  # {code, title, description}
    soc: dict | None  # {code, title}
    place: Place

    @property
    def code(self) -> str:
        return self.occupation["code"]


def _num(value: Any, digits: int = 2) -> str | None:
    return None if value is None else f"{value:.{digits}f}"


def _count(thousands: float | None) -> str | None:
    """EP figures are in thousands: as a count of people."""
    return None if thousands is None else str(round(thousands * 1000))


def _has(ctx: Ctx, table: str) -> bool:
    return ctx.db.memo(f"cos.has.{table}", lambda: ctx.db.table_exists(table))


# -- BLS Employment Projections -------------------------------------------------------------------------------------
#: EP category -> CareerOneStop code (the codes of its documentation).
EDUCATION_CODES = {
    "Doctoral or professional degree": "1",
    "Master's degree": "2",
    "Bachelor's degree": "3",
    "Associate's degree": "4",
    "Postsecondary nondegree award": "5",
    "Some college, no degree": "6",
    "High school diploma or equivalent": "7",
    "No formal educational credential": "9",
}
EXPERIENCE_CODES = {"5 years or more": "1", "Less than 5 years": "2", "None": "3"}
TRAINING_CODES = {
    "Internship/residency": "1",
    "Apprenticeship": "2",
    "Long-term on-the-job training": "3",
    "Moderate-term on-the-job training": "4",
    "Short-term on-the-job training": "5",
    "None": "6",
}


def ep_row(s: Subject) -> dict | None:
    """The occupation's row of the national projections (its SOC code or the EP aggregate publishing it)."""
    if not s.soc or not _has(s.ctx, "bls_projections"):
        return None
    code = bls.bls_code(
        s.ctx,
        "ep",
        s.soc["code"],
        resolve.codes(s.ctx, "bls_projections", "SELECT soc_code AS code FROM bls_projections"),
    )
    return s.ctx.db.one("SELECT * FROM bls_projections WHERE soc_code = ?", (code,)) if code else None


def education_training(s: Subject) -> dict:
    ep = ep_row(s) or {}
    attainment: list[dict] = []
    if s.soc and _has(s.ctx, "bls_education_attainment"):
        code = bls.bls_code(
            s.ctx,
            "attainment",
            s.soc["code"],
            resolve.codes(s.ctx, "bls_education_attainment", "SELECT soc_code AS code FROM bls_education_attainment"),
            resolve.titles(
                s.ctx, "bls_education_attainment", "SELECT soc_code AS code, title FROM bls_education_attainment"
            ),
        )
        row = s.ctx.db.one("SELECT * FROM bls_education_attainment WHERE soc_code = ?", (code,)) if code else None
        if row:
            attainment = [
                {"EducationLevel": title, "Value": _num(row[column], 1)} for title, column in ATTAINMENT_LEVELS
            ]
    education, experience, training = (
        ep.get(k) for k in ("typical_education", "work_experience", "on_the_job_training")
    )
    return {
        "EducationType": attainment,
        "EducationCode": EDUCATION_CODES.get(education or ""),
        "EducationTitle": education,
        "ExperienceCode": EXPERIENCE_CODES.get(experience or ""),
        "ExperienceTitle": experience,
        "TrainingCode": TRAINING_CODES.get(training or ""),
        "TrainingTitle": training,
        "OccupationTitle": ep.get("title"),
        "MatOccupation": {"MatOccCode": ep["soc_code"].replace("-", ""), "MatOccTitle": ep["title"]} if ep else None,
    }


def _state_projection(s: Subject) -> dict | None:
    ctx, state = s.ctx, s.place.state_fips
    if not state or not s.soc or not _has(ctx, "state_projections"):
        return None
    published = ctx.db.memo(
        f"cos.state_codes.{state}",
        lambda: frozenset(
            r["soc_code"] for r in ctx.db.all("SELECT soc_code FROM state_projections WHERE state_fips = ?", (state,))
        ),
    )
    code = bls.bls_code(ctx, f"state_projections.{state}", s.soc["code"], published)
    return (
        ctx.db.one("SELECT * FROM state_projections WHERE state_fips = ? AND soc_code = ?", (state, code))
        if code
        else None
    )


def projections(s: Subject) -> dict:
    """National projections (EP, employment in thousands -> people) and the state's where a file exists."""
    ep = ep_row(s)
    rows = []
    if ep:
        rows.append(
            {
                "StateName": "United States",
                "Stfips": "00",
                "EstimatedEmployment": _count(ep["employment_base_thousands"]),
                "ProjectedEmployment": _count(ep["employment_projected_thousands"]),
                "PerCentChange": _num(ep["employment_change_percent"], 1),
                "ProjectedAnnualJobOpening": _count(ep["annual_openings_thousands"]),
                "EstimatedYear": str(ep["base_year"]),
                "ProjectedYear": str(ep["projected_year"]),
            }
        )
    state = _state_projection(s)
    if state:
        rows.append(
            {
                "StateName": state["state_name"],
                "Stfips": state["state_fips"],
                "EstimatedEmployment": str(state["base_employment"]),
                "ProjectedEmployment": str(state["projected_employment"]),
                "PerCentChange": _num(state["percent_change"], 1),
                "ProjectedAnnualJobOpening": str(state["annual_openings"]),
                "EstimatedYear": str(state["base_year"]),
                "ProjectedYear": str(state["projected_year"]),
            }
        )
    return {
        "EstimatedYear": str(ep["base_year"]) if ep else None,
        "ProjectedYear": str(ep["projected_year"]) if ep else None,
        "OccupationTitle": ep["title"] if ep else None,
        "Projections": rows,
    }


def industry_pattern(s: Subject) -> list[dict]:
    """OEWS national employment of the occupation by industry (3-digit NAICS level and the OEWS government
    designations), largest first; the share is of the occupation's cross-industry national employment. The EP
    industry-occupation matrix (projected employment and change by industry) is not in our data: those fields null."""
    code = wages.oews_code(s.ctx, s.soc["code"] if s.soc else None)
    if not code or not _has(s.ctx, "oews_industry_wages"):
        return []
    total = s.ctx.db.scalar("SELECT employment FROM oews_wages WHERE soc_code = ? AND area_code = '0000000'", (code,))
    rows = s.ctx.db.all(
        "SELECT i.industry_code, i.title, w.employment FROM oews_industry_wages w "
        "JOIN oews_industries i ON i.industry_code = w.industry_code "
        "WHERE w.soc_code = ? AND i.display_level = 3 AND w.employment IS NOT NULL "
        "ORDER BY w.employment DESC, i.industry_code",
        (code,),
    )
    return [
        {
            "Industry": r["title"],
            "MatInCode": r["industry_code"],
            "Pctestocc": _num(100 * r["employment"] / total, 1) if total else None,
            "EstimatedEmployment": str(r["employment"]),
            "ProjectedEmployment": None,
            "NumberChanged": None,
            "PercentChange": None,
            "IagCode": None,
        }
        for r in rows
    ]


def oohs(s: Subject) -> list[dict]:
    ep = ep_row(s)
    return [{"Title": ep["title"], "OOHUrl": ep["ooh_url"]}] if ep and ep["ooh_url"] else []


def state_links(s: Subject) -> dict:
    """The state's labor market information pages our data names (the state projections page, where a state file
    exists); none for a national request."""
    links = []
    state = _state_projection(s) if s.place.state_fips else None
    if state is None and s.place.state_fips and _has(s.ctx, "state_projections"):
        state = s.ctx.db.one(
            "SELECT state_name, state_url FROM state_projections WHERE state_fips = ? LIMIT 1", (s.place.state_fips,)
        )
    if state and state["state_url"]:
        links.append(
            {
                "Title": f"{state['state_name']} Long-Term Occupational Projections",
                "Url": state["state_url"],
                "Type": "Projections",
                "StateName": state["state_name"],
            }
        )
    return {"StateWebResource": links}


# -- O*NET ----------------------------------------------------------------------------------------------------------
def _descriptions(ctx: Ctx) -> dict[str, str]:
    return ctx.db.memo(
        "cos.descriptions",
        lambda: {
            r["element_id"]: r["description"]
            for r in ctx.db.all("SELECT element_id, description FROM content_model_reference")
        },
    )


def _ratings(s: Subject, table: str, scale: str, level: str | None) -> list[dict]:
    """Elements of a rating file on `scale` (and `level` beside it), most important first."""
    if not _has(s.ctx, table):
        return []
    scales = (scale, level) if level else (scale,)
    marks = ", ".join("?" * len(scales))
    rows = s.ctx.db.all(
        f"SELECT element_id, element_name, scale_id, data_value FROM {table} "
        f"WHERE onetsoc_code = ? AND scale_id IN ({marks})",
        (s.code, *scales),
    )
    values: dict[str, dict] = {}
    for r in rows:
        values.setdefault(r["element_id"], {"name": r["element_name"]})[r["scale_id"]] = r["data_value"]
    low, high = common.scales(s.ctx)[scale]
    descriptions = _descriptions(s.ctx)
    ordered = sorted((e for e in values.items() if e[1].get(scale) is not None), key=lambda e: (-e[1][scale], e[0]))
    return [
        {
            "ElementId": element_id,
            "ElementName": v["name"],
            "ElementDescription": descriptions.get(element_id),
            "DataValue": _num(v[scale]),
            "Importance": str(common.scaled(v[scale], low, high)),
        }
        for element_id, v in ordered
    ]


def skills(s: Subject) -> list[dict]:
    return _ratings(s, "skills", "IM", None)


def knowledge(s: Subject) -> list[dict]:
    return _ratings(s, "knowledge", "IM", None)


def abilities(s: Subject) -> list[dict]:
    return _ratings(s, "abilities", "IM", None)


def interests(s: Subject) -> list[dict]:
    return _ratings(s, "interests", "OI", None)


def tasks(s: Subject) -> list[dict]:
    importance = {}
    if _has(s.ctx, "task_ratings"):
        importance = {
            r["task_id"]: r["data_value"]
            for r in s.ctx.db.all(
                "SELECT task_id, data_value FROM task_ratings WHERE onetsoc_code = ? AND scale_id = 'IM'", (s.code,)
            )
        }
    rows = s.ctx.db.all(
        "SELECT task_id, task, task_type FROM task_statements WHERE onetsoc_code = ? "
        "ORDER BY task_type = 'Supplemental', task_id",
        (s.code,),
    )
    if importance:
        rows.sort(key=lambda r: -(importance.get(r["task_id"]) or 0))
    return [
        {"TaskDescription": r["task"], "TaskId": str(r["task_id"]), "DataValue": _num(importance.get(r["task_id"]))}
        for r in rows
    ]


def dwas(s: Subject) -> list[dict]:
    """Detailed work activities, once per task they are linked to (DataValue: DWAs carry no rating)."""
    rows = s.ctx.db.all(
        "SELECT t.task_id, t.dwa_id, d.dwa_title FROM task_dwas t JOIN dwa_reference d ON d.dwa_id = t.dwa_id "
        "WHERE t.onetsoc_code = ? ORDER BY t.dwa_id, t.task_id",
        (s.code,),
    )
    return [
        {"DwaTitle": r["dwa_title"], "DwaId": r["dwa_id"], "DataValue": None, "TaskId": str(r["task_id"])} for r in rows
    ]


def alternate_titles(s: Subject) -> list[str] | None:
    """The reported titles O*NET shows for the occupation ("Also called" on My Next Move, up to four); null when
    none, as CareerOneStop sends it."""
    rows = s.ctx.db.all(
        "SELECT reported_job_title FROM sample_of_reported_titles WHERE onetsoc_code = ? "
        "AND shown_in_my_next_move = 'Y' ORDER BY rowid",
        (s.code,),
    )
    return [r["reported_job_title"] for r in rows] or None


def related_titles(s: Subject) -> dict[str, str]:
    titles = common.occupations(s.ctx)
    rows = s.ctx.db.all(
        "SELECT related_onetsoc_code FROM related_occupations WHERE onetsoc_code = ? ORDER BY related_index", (s.code,)
    )
    return {
        r["related_onetsoc_code"]: titles[r["related_onetsoc_code"]]["title"]
        for r in rows
        if r["related_onetsoc_code"] in titles
    }


def _category_list(rows: list[dict], flags: bool) -> dict:
    """`{CategoryList: [{Title, Examples: [{Name, (Hot_Technology, In_Demand)}]}]}`, categories and examples sorted
    by title and name; the flags are the release's Y/N cells."""
    grouped: dict[str, list[dict]] = {}
    for r in rows:
        example = {"Name": r["example"]}
        if flags:
            example.update(Hot_Technology=r["hot_technology"], In_Demand=r["in_demand"])
        grouped.setdefault(r["commodity_title"], []).append(example)
    return {"CategoryList": [{"Title": title, "Examples": examples} for title, examples in grouped.items()]}


def tools_and_technology(s: Subject) -> dict:
    """One object `{OnetCode, OnetTitle, Technology, Tools}`, each a `CategoryList` (spec §8: the two Python clients'
    reading of `Tools`, not the seed's `Categories`). Technologies (Technology Skills) grouped by UNSPSC commodity
    title, with the release's Hot Technology / In Demand flags as `Hot_Technology` / `In_Demand` ("Y"/"N"); tools
    (Tools Used) likewise, their examples `{Name}` only (the release flags no tool). From O*NET 30.3 the technologies
    are Software Skills, grouped by their category element's name, and the release has no tools: `Tools.CategoryList`
    is empty (nothing invented)."""
    tools = (
        s.ctx.db.all(
            "SELECT commodity_title, example FROM tools_used WHERE onetsoc_code = ? ORDER BY commodity_title, example",
            (s.code,),
        )
        if _has(s.ctx, "tools_used")
        else []
    )
    tech = (
        s.ctx.db.all(
            "SELECT commodity_title, example, hot_technology, in_demand FROM technology_skills "
            "WHERE onetsoc_code = ? ORDER BY commodity_title, example",
            (s.code,),
        )
        if _has(s.ctx, "technology_skills")
        else []
    )
    return {
        "OnetCode": s.code,
        "OnetTitle": s.occupation["title"],
        "Technology": _category_list(tech, True),
        "Tools": _category_list(tools, False),
    }


#: Work Value High-Point values -> the work value's element (O*NET data dictionary, Work Values: 1 = Achievement ...
#: 6 = Independence; 0 = no high point).
HIGH_POINTS = {1: "1.B.2.a", 2: "1.B.2.b", 3: "1.B.2.c", 4: "1.B.2.d", 5: "1.B.2.e", 6: "1.B.2.f"}
FIRST_HIGH_POINT = "1.B.2.g"


def work_values(s: Subject) -> dict:
    """`{WorkValue, Characteristics: [str]}` (spec §8): the occupation's top work value, O*NET's First Work Value
    High-Point (it agrees with the highest Extent and decides ties), and `Characteristics` the descriptions of that
    value's needs in Content Model order ("Workers on this job have co-workers who are easy to get along with.", ...,
    the Content Model's children of the value). Without a value — an occupation O*NET did not rate, or a release
    without Work Values (O*NET 30.3+) — `{WorkValue: null, Characteristics: []}`: the same object, so a client
    reading `.WorkValue` and `.Characteristics` keeps working, and nothing is invented."""
    empty: dict[str, Any] = {"WorkValue": None, "Characteristics": []}
    if not _has(s.ctx, "work_values"):
        return empty
    first = s.ctx.db.scalar(
        "SELECT data_value FROM work_values WHERE onetsoc_code = ? AND element_id = ?", (s.code, FIRST_HIGH_POINT)
    )
    value_id = HIGH_POINTS.get(int(first)) if first is not None else None
    if value_id is None:
        return empty
    rows = s.ctx.db.all(
        "SELECT element_id, element_name, description FROM content_model_reference "
        "WHERE element_id = ? OR element_id LIKE ? ORDER BY element_id",
        (value_id, value_id + ".%"),
    )
    name = next((r["element_name"] for r in rows if r["element_id"] == value_id), None)
    return {"WorkValue": name, "Characteristics": [r["description"] for r in rows if r["element_id"] != value_id]}


def training_programs(s: Subject) -> list[str]:
    """CIP 2020 program titles of the O*NET CIP crosswalk (the NCES CIP-SOC crosswalk when O*NET lists none)."""
    rows = []
    if _has(s.ctx, "cip_onetsoc_crosswalk"):
        rows = s.ctx.db.all(
            "SELECT cip_title FROM cip_onetsoc_crosswalk WHERE onetsoc_code = ? ORDER BY cip_code", (s.code,)
        )
    if not rows and s.soc and _has(s.ctx, "cip_soc_crosswalk"):
        rows = s.ctx.db.all(
            "SELECT cip_title FROM cip_soc_crosswalk WHERE soc_code = ? ORDER BY cip_code", (s.soc["code"],)
        )
    return list(dict.fromkeys(r["cip_title"].rstrip(".") for r in rows))


def video(s: Subject) -> list[dict]:
    """The occupation's CareerOneStop video (`services/videos.py`: its code, that code's O*NET title), one item; `[]`
    when the video list names none. `VideoType` is null: no public file says what CareerOneStop writes there."""
    found = videos.video(s.ctx, s.code)
    return [{"VideoCode": found.code, "VideoTitle": found.title, "VideoType": None}] if found else []


def video_url(s: Subject) -> str | None:
    """The best-matching video's URL: the video list's CareerOneStop CDN URL of the .mp4; null without a video."""
    found = videos.video(s.ctx, s.code)
    return found.url if found else None


@dataclass(frozen=True)
class Block:
    flag: str  # the query flag that switches the block on
    key: str  # its key in OccupationDetail
    build: Callable[[Subject], Any]
    parent: str | None = None  # nested inside this OccupationDetail key


#: flag -> block, in response order. Flags not here switch nothing on (see the endpoint row).
BLOCKS: list[Block] = [
    Block("wages", "Wages", lambda s: wages.block(s.ctx, s.soc, s.place)),
    Block("videos", "COSVideoURL", video_url),
    Block("training", "EducationTraining", education_training),
    Block("tasks", "Tasks", tasks),
    Block("dwas", "Dwas", dwas),
    Block("alternateOnetTitles", "AlternateTitles", alternate_titles),
    Block("videos", "Video", video),
    Block("interest", "InterestDataList", interests),
    Block("projectedEmployment", "Projections", projections),
    Block("industryEmpPattern", "IndustryOccEmplt", industry_pattern, parent="Projections"),
    Block("ooh", "OOHs", oohs),
    Block("stateLMILinks", "StateResourcesLinks", state_links),
    Block("relatedOnetTitles", "RelatedOnetTitles", related_titles),
    Block("skills", "SkillsDataList", skills),
    Block("knowledge", "KnowledgeDataList", knowledge),
    Block("ability", "AbilityDataList", abilities),
    Block("trainingPrograms", "TrainingPrograms", training_programs),
    Block("toolsAndTechnology", "ToolsAndTechOccupationDetails", tools_and_technology),
    Block("workValues", "WorkValuesOccupationDetails", work_values),
]

FLAGS: list[str] = list(dict.fromkeys(b.flag for b in BLOCKS))
