"""What a request must satisfy before any route sees it (issue 13), answered as JSON in the owning API's shape.

- Trusted hosts: the `Host` header ends up in every `href`/`next` link when no `--base-url` is set, so a cache
  in front could be poisoned with links to another site (`Host: evil.example`). Only the hosts of
  `Settings.allowed_hosts` are served (default: loopback names plus the base URL's host); any other is 400
  "invalid host header" (Starlette's TrustedHostMiddleware, but JSON and without its www-redirect). `*` allows
  every host, `*.example.org` any subdomain. `/healthz` is exempt: it carries no links, and load balancers
  probe it by address.
- Header size: at most `MAX_HEADER_BYTES` (16 kB) of headers in all, else 431 JSON. granian is configured to
  refuse far larger headers before the app sees them (see cli._run_granian); uvicorn's httptools parser has no
  limit, so this check is what bounds what a request can make the app hold.
- CORS preflight: Starlette answers a disallowed method or header with `text/plain` 400; `JsonCORSMiddleware`
  answers the same status in JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from starlette.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

#: Total size of a request's header names and values the app accepts.
MAX_HEADER_BYTES = 16 * 1024

#: Hosts always allowed unless --allowed-hosts says otherwise: the loopback names.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")

#: Paths the host check leaves alone (no links in their answers).
EXEMPT = frozenset({"/healthz"})

Render = Callable[[str, int, str], Response]


def default_allowed_hosts(base_url: str | None) -> tuple[str, ...]:
    """Loopback names, plus the --base-url's host when one is set."""
    hosts = list(LOOPBACK_HOSTS)
    if base_url:
        host = urlsplit(base_url).hostname
        if host and host not in hosts:
            hosts.append(host)
    return tuple(hosts)


def parse_hosts(text: str) -> tuple[str, ...]:
    """'a.example, *.b.example' -> ('a.example', '*.b.example'); lower case, ports and brackets dropped."""
    return tuple(dict.fromkeys(_hostname(h) for h in text.split(",") if h.strip()))


def _hostname(value: str) -> str:
    """The host part of a Host header value: no port, IPv6 brackets removed, lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    name = _hostname(host)
    for pattern in allowed:
        if pattern == "*" or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]) and len(name) > len(pattern) - 1:
            return True
    return False


class RequestLimits:
    """Header size, then trusted Host; anything refused is rendered by `render(path, status, message)`."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] | None, render: Render,
                 max_header_bytes: int = MAX_HEADER_BYTES):
        self.app = app
        self.allowed = tuple(allowed_hosts) if allowed_hosts is not None else None
        self.any_host = self.allowed is None or "*" in self.allowed
        self.render = render
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        if sum(len(k) + len(v) for k, v in headers) > self.max_header_bytes:
            response = self.render(scope["path"], 431, f"request headers too large (at most {self.max_header_bytes} bytes)")
        elif not self.any_host and scope["path"] not in EXEMPT and not host_allowed(
                next((v.decode("latin-1") for k, v in headers if k == b"host"), ""), self.allowed):
            response = self.render(scope["path"], 400, "invalid host header: this server does not answer for that "
                                                        "host (see --allowed-hosts)")
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


class JsonCORSMiddleware(CORSMiddleware):
    """CORSMiddleware whose refused preflights (disallowed method, header or origin) are JSON, not text/plain."""

    def __init__(self, app: ASGIApp, render: Render, **options):
        super().__init__(app, **options)
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            if "origin" in headers and "access-control-request-method" in headers:
                response = self.preflight_response(request_headers=headers)
                if response.status_code >= 400:
                    response = self._json(scope["path"], response)
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def _json(self, path: str, refused: Response) -> Response:
        response = self.render(path, refused.status_code, f"CORS preflight refused: {refused.body.decode()}")
        for name, value in refused.headers.items():
            if name.startswith("access-control-") or name == "vary":
                response.headers[name] = value
        return response
