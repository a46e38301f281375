"""The one pass every HTTP request makes before an API sees it, as a single ASGI layer.

It does what four middlewares did, in one scan of the headers (issue 20: ~55 µs of every request went to
per-request layers): the header size limit and the trusted Host (`http.limits`), the request id and the access
log (`http.access`), and CORS (`http.limits.Preflight`: preflights answered here; every other answer gets
`Vary: Origin`, and `Access-Control-Allow-Origin: *` when the request has an Origin, as Starlette's
CORSMiddleware sends with `allow_origins=["*"]`), and Starlette's ServerErrorMiddleware (an exception no API
rendered is a 500 JSON, logged with its traceback). A refusal is rendered in the shape of the API owning the path.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onetlocal.http.access import FORMATS, SAFE_ID, log_request
from onetlocal.http.errors import describe
from onetlocal.http.limits import EXEMPT, MAX_HEADER_BYTES, Preflight, Render, host_allowed, split_host
from onetlocal.memo import MISSING, LruBytes

#: Bytes of Host verdicts kept (least recently used dropped first: a client sending a new Host per request
#: only pushes out the others).
HOST_VERDICT_BYTES = 64 << 10
_ANY_ORIGIN = (b"access-control-allow-origin", b"*")


class Front:
    """Header size, trusted Host, CORS preflight, then `app`; every answer with its request id (and the access
    log line when `fmt` is not "off")."""

    def __init__(
        self,
        app: ASGIApp,
        render: Render,
        preflight: Preflight,
        allowed_hosts: Iterable[str] | None = None,
        fmt: str = "off",
        max_header_bytes: int = MAX_HEADER_BYTES,
    ):
        self.app = app
        self.render = render
        self.preflight = preflight
        self.allowed = tuple(allowed_hosts) if allowed_hosts is not None else None
        self.any_host = self.allowed is None or "*" in self.allowed
        self.fmt = fmt if fmt in FORMATS else "off"
        self.max_header_bytes = max_header_bytes
        self._verdicts = LruBytes(HOST_VERDICT_BYTES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        size, hosts, host, rid, origin = 0, 0, b"", None, None
        for name, value in scope["headers"]:
            size += len(name) + len(value)
            if name == b"host":
                hosts += 1
                host = value
            elif name == b"x-request-id":
                rid = rid or value
            elif name == b"origin":
                origin = origin or value
        if not rid or not SAFE_ID.fullmatch(rid):
            rid = os.urandom(16).hex().encode()  # = uuid4().hex, cheaper
        path = scope["path"]
        preflight = scope["method"] == "OPTIONS" and origin is not None and self.preflight.asked(scope)
        # A preflight's answer carries its own CORS headers.
        extra = [] if preflight else [*([_ANY_ORIGIN] if origin is not None else []), (b"vary", b"Origin")]
        status = 0  # until the answer begins

        async def respond(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                earlier = [v for k, v in headers if k == b"vary"]
                if earlier and extra:  # one Vary header listing every value
                    headers = [(k, v) for k, v in headers if k != b"vary"]
                    extra[-1] = (b"vary", b", ".join([*earlier, b"Origin"]))
                message["headers"] = [*headers, *extra, (b"x-request-id", rid)]
            await send(message)

        try:
            try:
                if size > self.max_header_bytes:
                    refusal = f"request headers too large (at most {self.max_header_bytes} bytes)"
                    await self.render(path, 431, refusal)(scope, receive, respond)
                elif path not in EXEMPT and not self._host_ok(host if hosts == 1 else None if not hosts else b""):
                    refusal = "invalid host header: this server does not answer for that host (see --allowed-hosts)"
                    await self.render(path, 400, refusal)(scope, receive, respond)
                elif preflight:
                    await self.preflight.answer(path, Headers(scope=scope))(scope, receive, respond)
                else:
                    await self.app(scope, receive, respond)
            except Exception as exc:  # a bug: 500 in the owning API's shape, the traceback in the log (describe)
                if status:  # the answer had begun (a stream): nothing else can be sent
                    raise
                code, message, headers = describe(exc, path)
                await self.render(path, code, message)(scope, receive, respond)
        finally:
            if self.fmt != "off":
                ms = (time.perf_counter() - started) * 1000
                log_request(self.fmt, scope, status or 500, ms, rid.decode("latin-1"))

    def _host_ok(self, host: bytes | None) -> bool:
        """A well-formed Host naming an allowed host; with any host allowed, a well-formed one or none (HTTP/1.0:
        links are then built from the listening address). Several Host headers are refused like a malformed one."""
        if host is None:
            return self.any_host
        verdict = self._verdicts.get(host)
        if verdict is MISSING:
            value = host.decode("latin-1")
            verdict = split_host(value) is not None if self.any_host else host_allowed(value, self.allowed or ())
            self._verdicts.put(host, verdict, 64 + len(host))
        return verdict
