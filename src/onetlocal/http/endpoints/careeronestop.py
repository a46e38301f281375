"""CareerOneStop Get Occupation Details: one route, its flags declared once (each switches on one response block of
`services.careeronestop.blocks.BLOCKS`; `true`/`false` in any case, anything else is 400)."""

from __future__ import annotations

from onetlocal import urls
from onetlocal.http.params import Param
from onetlocal.http.routing import Endpoint
from onetlocal.services import careeronestop

_TAG = "careeronestop"

#: Flag -> what it switches on (the CareerOneStop documentation's wording, shortened).
FLAG_DOCS = {
    "training": "EducationTraining: typical education, experience and training; educational attainment",
    "interest": "InterestDataList: O*NET interests (RIASEC)",
    "videos": "Video, COSVideoURL: the occupation's CareerOneStop career video and its URL",
    "tasks": "Tasks: O*NET tasks",
    "dwas": "Dwas: detailed work activities",
    "wages": "Wages: OEWS national, state and area wages",
    "alternateOnetTitles": "AlternateTitles: common alternate titles",
    "projectedEmployment": "Projections: national and state employment projections",
    "ooh": "OOHs: Occupational Outlook Handbook link",
    "stateLMILinks": "StateResourcesLinks: state labor market information links",
    "relatedOnetTitles": "RelatedOnetTitles: related O*NET occupations",
    "skills": "SkillsDataList: O*NET skills",
    "knowledge": "KnowledgeDataList: O*NET knowledge areas",
    "ability": "AbilityDataList: O*NET abilities",
    "trainingPrograms": "TrainingPrograms: programs of study (CIP crosswalk)",
    "industryEmpPattern": "Projections.IndustryOccEmplt: employment by industry",
    "toolsAndTechnology": "ToolsAndTechOccupationDetails: tools and technology",
    "workValues": "WorkValuesOccupationDetails: the top work value and its characteristics",
}
ENDPOINTS = [
    Endpoint(
        urls.COS_OCCUPATION,
        careeronestop.occupation_details,
        "Occupation details by O*NET code or exact title, for a location (City, ST / state / ZIP / 0 or US)",
        _TAG,
        params=(
            Param(
                "userId", "CareerOneStop user id (any non-empty value; the bearer token is the key)", location="path"
            ),
            Param("keyword", "O*NET-SOC code (29-1141.00) or exact O*NET occupation title", location="path"),
            Param(
                "location",
                "City, ST (Chicago, IL), state (IL or Illinois), ZIP code (60601), or 0 / US",
                location="path",
            ),
            *(Param(flag, f"true: include {doc}", "boolean", default=False) for flag, doc in FLAG_DOCS.items()),
            Param("enableMetaData", "false: leave out MetaData", "boolean", default=True),
        ),
    ),
]
