"""Request ids and the access log: one ASGI middleware around the whole app.

Every response carries `X-Request-ID` (the caller's, when it sends a short safe one; else a new random id), so a
client's report can be matched to a log line. The log line has the method, the path (never the query string, which
may hold search terms), the status, the latency and the *name* of the key that was accepted, never the key. Plain
text or JSON lines, on the `onetlocal.access` logger.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("onetlocal.access")
_SAFE_ID = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")
FORMATS = ("plain", "json", "off")


class AccessLog:
    def __init__(self, app: ASGIApp, fmt: str = "off"):
        self.app = app
        self.fmt = fmt if fmt in FORMATS else "off"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)
        rid = (
            incoming if incoming and _SAFE_ID.fullmatch(incoming) else os.urandom(16).hex().encode()
        )  # = uuid4().hex, cheaper
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", rid)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.fmt != "off":
                self._log(scope, status, (time.perf_counter() - started) * 1000, rid.decode("latin-1"))

    def _log(self, scope: Scope, status: int, ms: float, rid: str) -> None:
        key = (scope.get("state") or {}).get("key_name")
        client = (scope.get("client") or ("-",))[0]
        if self.fmt == "json":
            log.info(
                orjson.dumps(
                    {
                        "ts": time.time(),
                        "client": client,
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round(ms, 2),
                        "key": key,
                        "request_id": rid,
                    }
                ).decode()
            )
        else:
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            log.info(
                '%s %s "%s %s" %d %.1fms key=%s id=%s',
                stamp,
                client,
                scope["method"],
                scope["path"],
                status,
                ms,
                key or "-",
                rid,
            )


def configure_logging(level: str = "info") -> None:
    """onetlocal's loggers to stderr at `level` (once per process: every worker calls it from the app factory)."""
    root = logging.getLogger("onetlocal")
    root.setLevel(level.upper())
    if not any(getattr(h, "_onetlocal", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._onetlocal = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.propagate = False
