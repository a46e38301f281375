"""What a request must satisfy before any route sees it (issue 13), answered as JSON in the owning API's shape.
The checks run in `http.front.Front`, the one layer in front of every API; the rules are here.

- Trusted hosts: the `Host` header ends up in every `href`/`next` link when no `--base-url` is set, so a cache
  in front could be poisoned with links to another site (`Host: evil.example`). Only the hosts of
  `Settings.allowed_hosts` are served (default: loopback names plus the base URL's host); any other is 400
  "invalid host header" (Starlette's TrustedHostMiddleware, but JSON and without its www-redirect). `*` allows
  every host, `*.example.org` any subdomain. `/healthz` is exempt: it carries no links, and load balancers
  probe it by address. The value is parsed strictly (`split_host`): a name or an IP literal, then an optional
  port of digits only; anything else (`localhost:@evil.example`, `localhost:"><b>`, an empty value, several Host
  headers) is refused whatever `--allowed-hosts` says, even `*`. A Host that passes is exactly `name[:port]`, so
  the links built from it (routing.base_url) can only name an allowed host.
- Header size: at most `MAX_HEADER_BYTES` (16 kB) of headers in all, else 431 JSON. granian is configured to
  refuse far larger headers before the app sees them (see http/servers.py); uvicorn's httptools parser has no
  limit, so this check is what bounds what a request can make the app hold.
- CORS preflight: Starlette answers a disallowed method or header with `text/plain` 400; `Preflight` answers the
  same status in JSON.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

#: Total size of a request's header names and values the app accepts.
MAX_HEADER_BYTES = 16 * 1024

#: Paths the host check leaves alone (no links in their answers).
EXEMPT = frozenset({"/healthz"})

Render = Callable[[str, int, str], Response]


#: A DNS name or IPv4 address: dot-separated labels of letters, digits, '-' and '_' (compose service names),
#: at most 63 each, an optional final dot; then an optional port of 1-5 digits.
_NAME = re.compile(
    r"((?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?)"
    r"(?::([0-9]{1,5}))?",
    re.ASCII,
)
#: An IPv6 literal in brackets (no zone id), then an optional port.
_IPV6 = re.compile(r"\[([0-9a-f:.]{2,45})\](?::([0-9]{1,5}))?", re.ASCII)
#: The longest Host value considered (a 253-character name, brackets, a port).
MAX_HOST_LENGTH = 262


def split_host(value: str) -> tuple[str, int | None] | None:
    """A Host header value as (host name, port), lower case, IPv6 without brackets; None when it is not exactly
    a name or IP literal followed by an optional digits-only port (RFC 9110 §7.2 / RFC 3986 §3.2.2)."""
    if not value or len(value) > MAX_HOST_LENGTH:
        return None
    value = value.lower()
    match = _NAME.fullmatch(value)
    if match is not None:
        name = match.group(1).rstrip(".")
        if len(name) > 253:
            return None
    else:
        match = _IPV6.fullmatch(value)
        if match is None:
            return None
        try:
            name = str(ipaddress.IPv6Address(match.group(1)))
        except ValueError:
            return None
    port = match.group(2)
    if port is not None and not 0 < int(port) <= 65535:
        return None
    return name, int(port) if port is not None else None


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether a request's Host value is well formed and names one of `allowed`."""
    parsed = split_host(host)
    if parsed is None:
        return False
    name = parsed[0]
    for pattern in allowed:
        if pattern == "*" or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]) and len(name) > len(pattern) - 1:
            return True
    return False


class Preflight:
    """CORS preflights (OPTIONS with Origin and Access-Control-Request-Method) answered as Starlette's
    CORSMiddleware answers them, except that a refused one is JSON in the owning API's shape, not text/plain."""

    def __init__(
        self,
        render: Render,
        allow_origins: Sequence[str] = (),
        allow_methods: Sequence[str] = ("GET",),
        allow_headers: Sequence[str] = (),
        max_age: int = 600,
    ) -> None:
        self.cors = CORSMiddleware(
            _no_app,
            allow_origins=allow_origins,
            allow_methods=allow_methods,
            allow_headers=allow_headers,
            max_age=max_age,
        )
        self.render = render

    @staticmethod
    def asked(scope: Scope) -> bool:
        """Whether the request is a preflight (the caller has checked the method and the Origin)."""
        return any(k == b"access-control-request-method" for k, _ in scope["headers"])

    def answer(self, path: str, headers: Headers) -> Response:
        response = self.cors.preflight_response(request_headers=headers)
        if response.status_code < 400:
            return response
        refused = self.render(path, response.status_code, f"CORS preflight refused: {bytes(response.body).decode()}")
        for name, value in response.headers.items():
            if name.startswith("access-control-") or name == "vary":
                refused.headers[name] = value
        return refused


async def _no_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("Preflight only answers preflights")  # never called: no request passes through it
