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
from onetlocal.errors import DatabaseMissing
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
    return http_app(settings, keys, limiter, apis, mounts=[web_ui])


def app_from_env() -> Starlette:
    """App factory for the server processes (`onetlocal serve` passes its settings through the environment)."""
    settings = Settings.from_env()
    configure_logging(settings.log_level)
    app = create_app(settings)
    warm(app.state.db)
    return app


def warm(db: Database) -> None:
    """Load what the first requests would otherwise build (the search index takes seconds) before the worker
    accepts connections. Nothing to do without a usable database: the routes answer 503 until there is one."""
    from onetlocal.services.search import search_codes

    if not db.healthy():
        return
    started = time.perf_counter()
    try:
        search_codes(Ctx(db=db), "registered nurse")
    except DatabaseMissing:  # replaced meanwhile (by a file of another schema, say): 503 until a good build
        return
    log.info("search index loaded in %.1f s", time.perf_counter() - started)
