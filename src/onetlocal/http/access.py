"""Request ids and the access log (written by `http.front.Front`, the one layer around the whole app).

Every response carries `X-Request-ID` (the caller's, when it sends a short safe one; else a new random id), so a
client's report can be matched to a log line. The log line has the method, the path (never the query string, which
may hold search terms), the status, the latency and the *name* of the key that was accepted, never the key. Plain
text or JSON lines, on the `onetlocal.access` logger.
"""

from __future__ import annotations

import logging
import re
import sys
import time

import orjson
from starlette.types import Scope

log = logging.getLogger("onetlocal.access")
SAFE_ID = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")
FORMATS = ("plain", "json", "off")


def log_request(fmt: str, scope: Scope, status: int, ms: float, rid: str) -> None:
    """One access log line (`fmt` "plain" or "json") for a request answered with `status` in `ms`."""
    key = (scope.get("state") or {}).get("key_name")
    client = (scope.get("client") or ("-",))[0]
    if fmt == "json":
        line = {
            "ts": time.time(),
            "client": client,
            "method": scope["method"],
            "path": scope["path"],
            "status": status,
            "ms": round(ms, 2),
            "key": key,
            "request_id": rid,
        }
        log.info(orjson.dumps(line).decode())
    else:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        method, path = scope["method"], scope["path"]
        log.info('%s %s "%s %s" %d %.1fms key=%s id=%s', stamp, client, method, path, status, ms, key or "-", rid)


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
