"""Who is calling: how an API's requests carry a key (its scheme), and the check of that key and its rate.

The key store and the rate limiter are passed in (any object with `name_for(key)` / `take(name)`), so a store
shared across nodes (e.g. Redis) can replace the per-process ones without touching the APIs.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from starlette.types import Scope

from onetlocal.errors import RateLimited, Unauthorized


class KeyLookup(Protocol):
    def name_for(self, key: str) -> str | None: ...


class Limiter(Protocol):
    def take(self, name: str) -> float: ...


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k == name), None)


@dataclass(frozen=True)
class HeaderKey:
    """The key in a header of its own (O*NET Web Services: `X-API-Key`)."""

    header: str = "X-API-Key"

    @property
    def missing(self) -> str:
        return f"missing API key: send it in the {self.header} header"

    def key(self, scope: Scope) -> str | None:
        return _header(scope, self.header.lower().encode()) or None

    def openapi(self) -> dict:
        return {"type": "apiKey", "in": "header", "name": self.header}


@dataclass(frozen=True)
class BearerToken:
    """The key as a bearer token (CareerOneStop: `Authorization: Bearer <token>`)."""

    missing: str = "missing token: send it as Authorization: Bearer <token>"

    def key(self, scope: Scope) -> str | None:
        value = _header(scope, b"authorization") or ""
        scheme, _, token = value.strip().partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None

    def openapi(self) -> dict:
        return {"type": "http", "scheme": "bearer"}


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


@dataclass(frozen=True)
class Guard:
    """The check every request of an API passes: a known, unrevoked key under its rate limit."""

    scheme: HeaderKey | BearerToken
    keys: KeyLookup
    limiter: Limiter | None = None

    def check(self, scope: Scope) -> None:
        key = self.scheme.key(scope)
        if not key:
            raise Unauthorized(self.scheme.missing)
        name = self.keys.name_for(key)
        if name is None:
            raise Unauthorized("invalid or revoked API key")
        if self.limiter:
            wait = self.limiter.take(name)
            if wait:
                raise RateLimited(max(1, math.ceil(wait)))
