"""The server's application: the HTTP APIs (`http.app`) and the web UI (`ui`) composed into one ASGI app, in this one
place above both, and the factory the server processes call (`app_from_env`, named in `http/servers.py`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from starlette.applications import Starlette

from onetlocal import ui
from onetlocal.config import Settings
from onetlocal.context import Ctx
from onetlocal.db import Database
from onetlocal.errors import ApiError, DatabaseMissing
from onetlocal.http.access import configure_logging
from onetlocal.http.api import Api
from onetlocal.http.app import http_app, key_stores
from onetlocal.http.auth import KeyLookup, Limiter
from onetlocal.http.routes import APIS

log = logging.getLogger("onetlocal")


def create_app(
    settings: Settings, keys: KeyLookup | None = None, limiter: Limiter | None = None, apis: Sequence[Api] = APIS
) -> Starlette:
    """The server: every API of `apis` mounted with its own key scheme, and the web UI at /ui/. `keys` and `limiter`
    default to the keys file and a per-process token bucket; pass shared ones (e.g. Redis-backed) to share across
    nodes."""
    keys, limiter = key_stores(settings, keys, limiter)
    web_ui = ui.UiApp(list(apis), settings.auth, ui.ui_key_check(settings), limiter, settings.base_url)
    app = http_app(settings, keys, limiter, apis, mounts=[web_ui])
    app.state.db.warmers.append(lambda db: prepare(db, apis))  # a rebuilt database is served once prepared
    return app


def app_from_env() -> Starlette:
    """App factory for the server processes (`onetlocal serve` passes its settings through the environment)."""
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    app = create_app(settings)
    warm(app.state.db)
    return app


#: Requests whose first answer derives data about the whole database (the search index takes seconds, the
#: reference tables behind the reports a few hundred ms): `prepare` answers them on a new database before it
#: is served. (path, path parameters, query); "{code}" is the database's first occupation.
WARM_REQUESTS: tuple[tuple[str, dict[str, str], list[tuple[str, str]]], ...] = (
    ("/online/search", {}, [("keyword", "registered nurse")]),
    ("/online/occupations/{code}/", {"code": "{code}"}, []),
    ("/mnm/careers/{code}/", {"code": "{code}"}, []),
    ("/v1/occupation/{userId}/{keyword}/{location}", {"userId": "warm", "keyword": "{code}", "location": "US"}, []),
)


def prepare(db: Database, apis: Sequence[Api] = APIS) -> None:
    """Answer `WARM_REQUESTS` on `db` (their answers are dropped; what they derived is kept). Run on a new worker's
    database before it accepts connections, and on every rebuilt database before it replaces the served one. A
    request that fails here fails for its callers too: it is logged, and never stops a worker from starting."""
    endpoints = {endpoint.path: endpoint for api in apis for endpoint in api.endpoints}
    first = None
    if db.table_exists("occupation_data"):
        first = db.scalar("SELECT onetsoc_code FROM occupation_data ORDER BY onetsoc_code LIMIT 1")
    for path, params, query in WARM_REQUESTS:
        endpoint = endpoints.get(path)
        if endpoint is None or (first is None and any("{code}" in v for v in params.values())):
            continue
        filled = {name: value.replace("{code}", first or "") for name, value in params.items()}
        try:
            endpoint.service(Ctx(db=db), **endpoint.arguments(query, filled))
        except DatabaseMissing:
            raise
        except ApiError:  # a route without its data on this build ("no data"): nothing to prepare
            pass
        except Exception:  # noqa: BLE001 - logged with its traceback; the route's callers will see it too
            log.exception("preparing %s failed", path)


def warm(db: Database) -> None:
    """`prepare` the database of a worker that starts, before it accepts connections. Nothing to do without a
    usable database: the routes answer 503 until there is one."""
    if not db.healthy():
        return
    started = time.perf_counter()
    try:
        prepare(db)
    except DatabaseMissing:  # replaced meanwhile (by a file of another schema, say): 503 until a good build
        return
    log.info("database prepared in %.1f s", time.perf_counter() - started)
