"""API-key authentication and per-key rate limiting, as plain ASGI middleware (no per-request overhead
beyond one indexed lookup)."""

from __future__ import annotations

import math
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from onetlocal.errors import ApiError, RateLimited, Unauthorized
from onetlocal.http.errors import error_response
from onetlocal.keys import KeyVerifier

#: Paths anyone may read without a key.
PUBLIC_PATHS = frozenset({"/", "/openapi.json", "/docs", "/docs/", "/healthz"})


class TokenBucket:
    """`rate` requests per second with a burst of max(rate, 1); one bucket per key, per process."""

    def __init__(self, rate: float):
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self.buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """0 if allowed, else the seconds to wait."""
        now = time.monotonic()
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self.buckets[key] = (tokens - 1, now)
            return 0.0
        self.buckets[key] = (tokens, now)
        return (1 - tokens) / self.rate


class AuthMiddleware:
    def __init__(self, app: ASGIApp, verifier: KeyVerifier, rate_limit: float | None):
        self.app = app
        self.verifier = verifier
        self.limiter = TokenBucket(rate_limit) if rate_limit else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS" or scope["path"] in PUBLIC_PATHS:
            await self.app(scope, receive, send)
            return
        try:
            self.check(scope)
        except ApiError as exc:
            await error_response(exc.status, exc.message, exc.headers)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def check(self, scope: Scope) -> None:
        key = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-api-key"), None)
        if not key:
            raise Unauthorized("missing API key: send it in the X-API-Key header")
        name = self.verifier.name_for(key)
        if name is None:
            raise Unauthorized("invalid or revoked API key")
        if self.limiter:
            wait = self.limiter.take(name)
            if wait:
                raise RateLimited(max(1, math.ceil(wait)))
