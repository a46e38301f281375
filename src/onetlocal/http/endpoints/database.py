from onetlocal import urls
from onetlocal.export import FORMATS
from onetlocal.http.params import Param
from onetlocal.http.routing import Endpoint
from onetlocal.services import database

_FILTER = Param(
    "filter",
    "column.operator.value, repeatable (AND-ed); operators: "
    + ", ".join(f"{k} ({v.description})" for k, v in database.OPERATORS.items()),
    repeat=True,
    max_items=database.MAX_FILTERS,
)
_SORT = Param(
    "sort", "column, column.ascending or column.descending; repeatable", repeat=True, max_items=database.MAX_SORTS
)

ENDPOINTS = [
    Endpoint("/database/", database.list_tables, "List of data tables (release names and hosted v2 ids)", "database"),
    Endpoint(urls.DATABASE_INFO, database.table_info, "Column information for a table", "database"),
    Endpoint(
        urls.DATABASE_ROWS,
        database.rows,
        "Rows of a table, filtered and sorted",
        "database",
        params=(
            _FILTER,
            _SORT,
            Param(
                "format",
                "json (paged, default), or csv / text (tab-delimited, column titles as header) / "
                "excel (.xlsx, column titles as header) / jsonl to stream every matching row",
                enum=("json", *FORMATS),
                default="json",
            ),
        ),
        list_key="row",
        offload=True,
    ),
]
