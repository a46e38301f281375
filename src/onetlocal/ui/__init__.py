"""The web UI at `/ui/`: a career-exploration page served offline by the API server itself.

What it is: three static files (`index.html`, `app.css`, `app.js`, plain HTML/CSS/JS, no build step, no CDN, no
library) and a same-origin JSON proxy under `/ui/api/...`. The page's script only ever calls `api/<API path>`
relative to itself; the proxy hands the request to the API that owns the path (O*NET Web Services, or
CareerOneStop for `/v1/...`) in-process, with the UI's identity instead of a key.

Decisions (also rows of the "Web UI" section of docs/compatibility.md):
- Key handling: the operator names an existing key (`onetlocal serve --ui-key NAME`, env ONETLOCAL_UI_KEY).
  Keys are stored hashed, so the server cannot (and does not) send a key anywhere: the proxy checks that the
  named key is still active in the server's key store, the keys file or Redis (a revoke stops the UI at once)
  and charges the key's rate limit, then calls the API app directly. No key reaches the browser, the page or a log.
  With `--no-auth` no key is needed. With keys
  on and no `--ui-key`, the pages load and every proxied call answers 401 with the fix in its message.
- Other origins: the proxy answers 403 to a browser request from another origin (`Sec-Fetch-Site` cross-site /
  same-site, or an `Origin` that is not this host), so another site cannot spend the UI's quota through its
  visitors' browsers. A non-browser client can still call `/ui/api/` without a key: whatever the public page
  shows is public. So the proxy is no keyless gateway to the API (`ui.proxy`): it forwards only the routes the
  page calls, never an export, and at most `CLIENT_RATE` requests a second per client address (after a burst of
  `CLIENT_BURST`), on top of the UI key's own rate limit (`--rate-limit`, per key) that every visitor shares.
- Links: the proxied API runs with `root_path = /ui/api`, so its absolute hrefs point at the proxy (same
  origin, readable without a key); the page lists "API JSON behind this page" with each real API path.
- Pages are cached by the browser until their content changes (ETag = content hash, `no-cache`); a strict
  Content-Security-Policy (scripts and styles from this origin only, `connect-src 'self'`) backs "offline, no
  CDN" in the browser itself.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response
from starlette.types import Receive, Scope, Send

from onetlocal.config import Settings
from onetlocal.db import readonly_uri
from onetlocal.errors import ApiError, RateLimited, Unauthorized
from onetlocal.http.api import Api, ApiApp
from onetlocal.http.auth import Limiter, ask
from onetlocal.http.coding import PATH as CODING_PATH
from onetlocal.http.coding import CodingApp
from onetlocal.http.docs import CSP
from onetlocal.http.errors import describe
from onetlocal.http.routing import JSONResponse
from onetlocal.ui.proxy import ClientLimiter, client_key, forwarded, is_export

PREFIX = "/ui/"
PROXY = "/ui/api"

#: file name -> media type: the only files the UI serves (nothing is read from a client-chosen path).
FILES = {
    "index.html": "text/html; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}

NO_UI_KEY = (
    "the web UI has no API key: start the server with `onetlocal serve --ui-key NAME` "
    "(a key created with `onetlocal keys create --name NAME`) or with --no-auth"
)


NOT_FORWARDED = (
    "the web UI's proxy forwards only the routes the page calls; ask the API itself for {path}, with an API key"
)
NO_EXPORTS = "the web UI's proxy sends no exports (format=...); ask the API itself, with an API key"


class Forbidden(ApiError):
    status = 403


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


def load_assets() -> dict[str, Asset]:
    """The UI's files, read once from the package (they ship in the wheel as package data)."""
    root = resources.files(__name__)
    assets = {}
    for name, media_type in FILES.items():
        body = (root / name).read_bytes()
        assets[name] = Asset(body, media_type, '"' + hashlib.sha256(body).hexdigest()[:20] + '"')
    return assets


class NamedKey:
    """Is the key called `name` active? Read-only, remembered until the keys file changes (like KeyVerifier), so
    revoking the UI's key takes effect on the next request."""

    def __init__(self, keys_db: str | os.PathLike, name: str):
        self.path = Path(keys_db)
        self.name = name
        self._identity: tuple[int, int] | None = None
        self._active = False

    def active(self) -> bool:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return False
        identity = (st.st_ino, st.st_mtime_ns)
        if identity != self._identity:
            try:
                with sqlite3.connect(readonly_uri(self.path), uri=True) as conn:
                    row = conn.execute(
                        "SELECT 1 FROM api_keys WHERE name = ? AND revoked_at IS NULL", (self.name,)
                    ).fetchone()
            except sqlite3.Error:
                row = None
            self._identity, self._active = identity, row is not None
        return self._active


class RedisNamedKey:
    """The same check against the Redis key store (`serve --redis-url`): the key's info hash exists and is not
    revoked; remembered for `cache_seconds`, as `redis_store.RedisKeys` remembers its lookups."""

    def __init__(self, client: Any, name: str, prefix: str = "onetlocal", cache_seconds: float = 0.5):
        self.redis = client
        self.name = name
        self.info = f"{prefix}:keyinfo:{name}"
        self.cache_seconds = cache_seconds
        self._until = 0.0
        self._active = False

    def active(self) -> bool:
        now = time.monotonic()
        if now >= self._until:
            from onetlocal.http.redis_store import KeyStoreUnavailable

            try:
                info = self.redis.hgetall(self.info)
            except Exception as exc:  # Redis down: refuse (503), never let the UI through unchecked
                raise KeyStoreUnavailable(f"key store unavailable ({type(exc).__name__})") from exc
            self._active, self._until = bool(info.get("hash")) and not info.get("revoked_at"), now + self.cache_seconds
        return self._active


def ui_key_check(settings: Settings) -> NamedKey | RedisNamedKey | None:
    """The check of `--ui-key NAME` in the key store the server uses (keys file, or Redis)."""
    if not settings.ui_key:
        return None
    if settings.redis_url:
        from onetlocal.http import redis_store

        return RedisNamedKey(redis_store.connect(settings.redis_url), settings.ui_key)
    return NamedKey(settings.keys_db_path, settings.ui_key)


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k == name), None)


def _same_origin(scope: Scope, base_url: str | None) -> bool:
    """False for a browser request sent by a page of another origin. The page's origin is the Host of the
    request, or the configured --base-url (behind a reverse proxy that rewrites Host)."""
    fetch_site = _header(scope, b"sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = _header(scope, b"origin")
    if origin is None:
        return True
    hosts = {_header(scope, b"host") or ""}
    if base_url:
        hosts.add(urlsplit(base_url).netloc)
    return origin != "null" and origin.split("://", 1)[-1] in hosts


class UiApp:
    """ASGI app of `/ui/`: the static pages, and the proxy to the APIs under `/ui/api/`."""

    def __init__(
        self,
        apis: list[Api],
        auth: bool,
        ui_key: NamedKey | RedisNamedKey | None,
        limiter: Limiter | None,
        base_url: str | None = None,
        clients: ClientLimiter | None = None,
    ):
        # What the Dispatcher reads: every path starting "/ui" (so "/ui" itself can be redirected to "/ui/").
        self.api = Api(name="ui", title="Web UI", prefix=PREFIX.rstrip("/"), endpoints=[])
        self.routes: list = []  # no Starlette routes: not part of /openapi.json
        self.assets = load_assets()
        self.auth = auth
        self.ui_key = ui_key
        self.limiter = limiter
        self.base_url = base_url
        self.clients = clients or ClientLimiter()  # per client address, before the UI key's own limit
        # The APIs without their key check: the proxy is the check (the UI's named key and its rate limit).
        self.apps = sorted((ApiApp(api, None) for api in apis), key=lambda a: len(a.api.prefix), reverse=True)
        # Bulk coding (the page's "Code titles" upload): POST, charged to the UI's key one token per title.
        self.coder = CodingApp(None, limiter)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        if path == PREFIX.rstrip("/"):  # "/ui" -> "/ui/", so relative links in the page resolve under it
            await RedirectResponse(scope.get("root_path", "") + PREFIX, status_code=308)(scope, receive, send)
            return
        if path == PROXY or path.startswith(PROXY + "/"):
            await self.proxy(scope, receive, send, path[len(PROXY) :] or "/")
            return
        try:
            if scope["method"] not in ("GET", "HEAD"):
                raise HTTPException(405)
            name = path[len(PREFIX) :] or "index.html"
            asset = self.assets.get(name) if path.startswith(PREFIX) else None
            if asset is None:
                raise HTTPException(404)
        except Exception as exc:
            await self.error(exc, scope, receive, send)
            return
        headers = {
            "ETag": asset.etag,
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
        }
        if name == "index.html":
            headers["Content-Security-Policy"] = CSP
        if _header(scope, b"if-none-match") == asset.etag:
            await Response(status_code=304, headers=headers)(scope, receive, send)
            return
        await Response(asset.body, media_type=asset.media_type, headers=headers)(scope, receive, send)

    async def proxy(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        coding = path.rstrip("/") == CODING_PATH
        try:
            if scope["method"] not in (("POST",) if coding else ("GET", "HEAD")):
                raise HTTPException(405)
            if not _same_origin(scope, self.base_url):
                raise Forbidden("the web UI's API proxy answers pages of this server only")
            if not coding and not forwarded(path):
                raise Forbidden(NOT_FORWARDED.format(path=path))
            if is_export(scope.get("query_string", b"")):
                raise Forbidden(NO_EXPORTS)
            wait = self.clients.take(client_key((scope.get("client") or ("", 0))[0]))
            if wait:
                raise RateLimited(max(1, math.ceil(wait)))
            if self.auth:
                if self.ui_key is None or not self.ui_key.active():
                    raise Unauthorized(
                        NO_UI_KEY
                        if self.ui_key is None
                        else f"the web UI's key {self.ui_key.name!r} is missing or revoked"
                    )
                scope.setdefault("state", {})["key_name"] = self.ui_key.name  # the access log names the key
                if self.limiter and not coding:  # the coder charges its titles itself
                    wait = await ask(self.limiter, self.limiter.take, self.ui_key.name)
                    if wait:
                        raise RateLimited(max(1, math.ceil(wait)))
        except Exception as exc:
            await self.error(exc, scope, receive, send)
            return
        inner: dict[str, Any] = {
            **scope,
            "path": path,
            "raw_path": path.encode(),
            "root_path": scope.get("root_path", "") + PROXY,
        }
        if coding:
            await self.coder(inner, receive, send)
            return
        for app in self.apps:
            if path.startswith(app.api.prefix):
                await app(inner, receive, send)
                return

    @staticmethod
    async def error(exc: Exception, scope: Scope, receive: Receive, send: Send) -> None:
        status, message, headers = describe(exc, scope["path"])
        await JSONResponse({"error": message}, status_code=status, headers=headers)(scope, receive, send)
