"""The one internal model: the tables the services read, derived from the release tables of either layout.

The services read one set of tables whatever the release (`SERVICE_TABLES`): on a release of the legacy layout
(O*NET up to 30.2) most of them are the release's own tables; on a 30.3+ release each is made from the tables
that replaced it — skills from essential + transferable skills, technology from software skills (categories are
`2.E` elements instead of UNSPSC commodities), interests from career interest types, alternate titles from job
titles, education/training/experience from its two halves, the DWA tree from GWAs to IWAs to DWAs. A table whose
data the release dropped (work values, tools, UNSPSC) is empty there.

A one-table rename is a view (no copy; SQLite flattens it into the query, indexes included); a union of two
tables is written out once, with its lookup indexes. Service tables are never registered for Database services:
those list the release's own tables.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from onetlocal.ingest.tables import index_table
from onetlocal.releases import CROSSWALK, CURRENT, LEGACY
from onetlocal.sql import quote

_RATING = (
    "onetsoc_code, element_id, element_name, scale_id, data_value, n, standard_error, lower_ci_bound, "
    "upper_ci_bound, recommend_suppress, not_relevant, date_updated, domain_source"
)
_RATED_CATEGORY = (
    "onetsoc_code, element_id, element_name, scale_id, category, data_value, n, standard_error, "
    "lower_ci_bound, upper_ci_bound, recommend_suppress, date_updated, domain_source"
)
_CATEGORIES = "element_id, element_name, scale_id, category, category_description"


@dataclass(frozen=True)
class ServiceTable:
    name: str
    #: layout -> the SELECT that fills it from that layout's release tables; a layout not named here has the
    #: release table of the same name already (or, for `empty` layouts, nothing: the table stays empty).
    select: dict[str, str]
    materialize: bool = False  # a union: written out as a table instead of a view


#: The tables the services read that a layout does not have under that name and shape.
SERVICE_TABLES: tuple[ServiceTable, ...] = (
    ServiceTable(
        "skills",
        {CURRENT: f"SELECT {_RATING} FROM essential_skills UNION ALL SELECT {_RATING} FROM transferable_skills"},
        materialize=True,
    ),
    ServiceTable(
        "technology_skills",
        {
            CURRENT: "SELECT onetsoc_code, workplace_example AS example, "
            "element_id AS commodity_code, element_name AS commodity_title, "
            "hot_technology, in_demand FROM software_skills"
        },
    ),
    ServiceTable(
        "interests",
        {
            CURRENT: "SELECT onetsoc_code, element_id, element_name, scale_id, data_value, "
            "date_updated, domain_source FROM career_interest_types"
        },
    ),
    ServiceTable(
        "alternate_titles",
        {CURRENT: "SELECT onetsoc_code, job_title AS alternate_title, short_title, sources FROM job_titles"},
    ),
    ServiceTable(
        "education_training_experience",
        {
            CURRENT: f"SELECT {_RATED_CATEGORY} FROM education UNION ALL "
            f"SELECT {_RATED_CATEGORY} FROM training_and_experience"
        },
        materialize=True,
    ),
    ServiceTable(
        "ete_categories",
        {
            CURRENT: f"SELECT {_CATEGORIES} FROM education_categories UNION ALL "
            f"SELECT {_CATEGORIES} FROM training_and_experience_categories"
        },
        materialize=True,
    ),
    ServiceTable(
        "iwa_reference",
        {
            CURRENT: "SELECT gwa_element_id AS element_id, iwa_element_id AS iwa_id, "
            "iwa_element_name AS iwa_title FROM gwas_to_iwas"
        },
    ),
    ServiceTable(
        "dwa_reference",
        {
            CURRENT: "SELECT gwa_element_id AS element_id, iwa_element_id AS iwa_id, "
            "dwa_element_id AS dwa_id, dwa_element_name AS dwa_title "
            "FROM gwas_to_iwas_to_dwas"
        },
    ),
    # Both layouts name their task-DWA links `tasks_to_dwas`, with other columns: the services read this one.
    ServiceTable(
        "task_dwas",
        {
            LEGACY: "SELECT onetsoc_code, task_id, dwa_id, date_updated, domain_source FROM tasks_to_dwas",
            CURRENT: "SELECT onetsoc_code, task_id, dwa_element_id AS dwa_id, date_updated, domain_source "
            "FROM tasks_to_dwas",
        },
    ),
    # Dropped in 30.3: empty on a current release (the services answer "no data", or 404 where the hosted API does).
    ServiceTable(
        "work_values",
        {
            CURRENT: "SELECT onetsoc_code, element_id, element_name, scale_id, data_value, "
            "date_updated, domain_source FROM career_interest_types WHERE 0"
        },
    ),
    ServiceTable(
        "tools_used",
        {
            CURRENT: "SELECT onetsoc_code, workplace_example AS example, "
            "element_id AS commodity_code, element_name AS commodity_title "
            "FROM software_skills WHERE 0"
        },
    ),
    ServiceTable(
        "unspsc_reference",
        {
            CURRENT: "SELECT element_id AS commodity_code, element_name AS commodity_title, "
            "element_id AS class_code, element_name AS class_title, "
            "element_id AS family_code, element_name AS family_title, "
            "element_id AS segment_code, element_name AS segment_title "
            "FROM software_skills WHERE 0"
        },
    ),
)


def derive(conn: sqlite3.Connection, layout: str) -> None:
    """Create the service tables for a release of `layout` whose release tables are imported."""
    for table in SERVICE_TABLES:
        select = table.select.get(layout)
        if select is None:
            continue
        conn.execute(f"DROP VIEW IF EXISTS {quote(table.name)}")
        conn.execute(f"DROP TABLE IF EXISTS {quote(table.name)}")
        if table.materialize:
            conn.execute(f"CREATE TABLE {quote(table.name)} AS {select}")
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({quote(table.name)})")]
            index_table(conn, table.name, columns)
        else:
            conn.execute(f"CREATE VIEW {quote(table.name)} AS {select}")
    create_crosswalk(conn)


def create_crosswalk(conn: sqlite3.Connection) -> None:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {CROSSWALK} (old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL, kind TEXT NOT NULL)"
    )
