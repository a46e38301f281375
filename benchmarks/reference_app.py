"""The floor to compare onetlocal against: bare Starlette + sqlite3 + orjson, no middleware, no Ctx, no route
table, answering `/about/` and `/database/rows/{table_id}` (filter=<col>.eq.<value>, sort=<col>[.direction],
start/end) with the same SQL and the same JSON bodies as onetlocal.

    ONETLOCAL_DB=path/to/onet.sqlite uvicorn --app-dir benchmarks reference_app:create_app --factory \
        --host 127.0.0.1 --port 8090 --log-level warning --no-access-log
"""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import urlencode

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from onetlocal import API_VERSION, __version__  # constants only, so the /about/ body is byte-identical
from onetlocal.services.about import ATTRIBUTION


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_app() -> Starlette:
    conn = sqlite3.connect(f"file:{os.environ['ONETLOCAL_DB']}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = lambda cur, row: {d[0]: v for d, v in zip(cur.description, row, strict=True)}
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA mmap_size = 268435456")

    meta = {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM meta")}
    tables = {r["table_id"]: r for r in conn.execute("SELECT table_id, row_count FROM meta_tables")}
    columns: dict[str, dict[str, str]] = {}
    for r in conn.execute("SELECT table_id, column_id, type FROM meta_columns ORDER BY table_id, position"):
        columns.setdefault(r["table_id"], {})[r["column_id"]] = r["type"]

    def json(body: object, status: int = 200) -> Response:
        return Response(orjson.dumps(body), status_code=status, media_type="application/json")

    async def about(request: Request) -> Response:
        version = meta.get("onet_version", "unknown")
        return json(
            {
                "api_version": API_VERSION,
                "database": f"O*NET {version}",
                "database_version": version,
                "taxonomy": "O*NET-SOC 2019",
                "built_at": meta.get("built_at"),
                "server": f"onetlocal {__version__}",
                "attribution": ATTRIBUTION,
            }
        )

    async def rows(request: Request) -> Response:
        table_id = request.path_params["table_id"]
        cols = columns.get(table_id)
        if table_id not in tables or cols is None:
            return json({"error": "unknown table"}, 422)
        q = request.query_params
        clauses, params = [], []
        for raw in q.getlist("filter"):
            name, op, value = raw.split(".", 2)
            if name not in cols or op != "eq":
                return json({"error": "unsupported filter"}, 422)
            clauses.append(f"{_quote(name)} = ?")
            params.append(value if cols[name] != "Number" else float(value))
        order = []
        for raw in q.getlist("sort"):
            name, _, direction = raw.partition(".")
            if name not in cols:
                return json({"error": "unknown sort column"}, 422)
            order.append(f"{_quote(name)} {'DESC' if direction == 'descending' else 'ASC'}")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        start = int(q.get("start") or 1)
        end = int(q.get("end") or start + 19)
        size = end - start + 1
        table = _quote(table_id)
        total = (
            conn.execute(f"SELECT count(*) AS n FROM {table}{where}", params).fetchone()["n"]
            if where
            else tables[table_id]["row_count"]
        )
        items = conn.execute(
            f"SELECT {', '.join(map(_quote, cols))} FROM {table}{where} ORDER BY {', '.join(order + ['rowid'])}"
            " LIMIT ? OFFSET ?",
            [*params, size, start - 1],
        ).fetchall()
        body: dict = {"start": start, "end": start + len(items) - 1 if items else 0, "total": total}
        url = str(request.base_url).rstrip("/") + request.url.path
        kept = [(k, v) for k, v in q.multi_items() if k not in ("start", "end")]
        if start > 1:
            prev_start = max(1, start - size)
            prev_end = min(start - 1, prev_start + size - 1)
            body["prev"] = f"{url}?{urlencode(kept + [('start', prev_start), ('end', prev_end)])}"
        if end < total:
            body["next"] = f"{url}?{urlencode(kept + [('start', end + 1), ('end', end + size)])}"
        body["row"] = items
        return json(body)

    async def healthz(request: Request) -> Response:
        return json({"status": "ok"})

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/about/", about),
            Route("/database/rows/{table_id}", rows),
        ]
    )
