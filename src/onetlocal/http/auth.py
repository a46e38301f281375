"""Who is calling: how an API's requests carry a key (its scheme), and the check of that key and its rate.

The key store and the rate limiter are passed in (any object with `name_for(key)` / `take(name)`), so a store
shared across nodes (e.g. Redis) can replace the per-process ones without touching the APIs.

Hostile callers (issue 13): a key longer than `keys.MAX_KEY_LENGTH` is refused without being hashed or
remembered; wrong keys are throttled per client address (`BadKeyThrottle`: 10 per second, a burst of 100, per
process): beyond that an address sending wrong keys gets 429 with Retry-After instead of 401, while a valid key
from the same address (e.g. a shared proxy) still passes. The per-address table is
bounded (oldest addresses dropped first) so a spread of addresses cannot grow it without limit either.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from onetlocal.errors import NotFound, RateLimited, Unauthorized
from onetlocal.keys import MAX_KEY_LENGTH


class KeyLookup(Protocol):
    def name_for(self, key: str) -> str | None: ...


class Limiter(Protocol):
    def take(self, name: str, cost: float = 1.0) -> float: ...


T = TypeVar("T")


async def ask(store: object, method: Callable[..., T], *args: Any) -> T:
    """`method(*args)` of a key store or limiter: inline when it answers from memory, on a worker thread when the
    store says it does network I/O (`blocking = True`: Redis), so a slow store holds that thread, never the event
    loop and the other requests on it."""
    if getattr(store, "blocking", False):
        return await run_in_threadpool(method, *args)
    return method(*args)


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

    def take(self, key: str, cost: float = 1.0) -> float:
        """0 if allowed, else the seconds to wait. A request is allowed when a token is left; it costs `cost` tokens
        (a batch: one per title) and may leave the bucket below zero, so the next requests wait until it is paid."""
        now = time.monotonic()
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self.buckets[key] = (tokens - cost, now)
            return 0.0
        self.buckets[key] = (tokens, now)
        return (1 - tokens) / self.rate


class BadKeyThrottle:
    """Wrong keys per client address: `rate` per second with a burst of `burst`, for at most `max_addresses`
    addresses (least recently seen dropped first). Missing keys are not counted: they cost nothing to refuse."""

    def __init__(self, rate: float = 10.0, burst: float = 100.0, max_addresses: int = 50_000):
        self.rate, self.burst, self.max_addresses = rate, burst, max_addresses
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _tokens(self, address: str, now: float) -> float:
        tokens, last = self.buckets.get(address, (self.burst, now))
        return min(self.burst, tokens + (now - last) * self.rate)

    def wait(self, address: str) -> float:
        """Seconds until `address` may try a key again (0: now)."""
        if address not in self.buckets:
            return 0.0
        tokens = self._tokens(address, time.monotonic())
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def failed(self, address: str) -> None:
        """Count one wrong key from `address`."""
        now = time.monotonic()
        tokens = self._tokens(address, now)
        self.buckets[address] = (max(0.0, tokens - 1), now)
        self.buckets.move_to_end(address)
        while len(self.buckets) > self.max_addresses:
            self.buckets.popitem(last=False)


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "-"


@dataclass(frozen=True)
class Guard:
    """The check every request of an API passes: a known, unrevoked key under its rate limit."""

    scheme: HeaderKey | BearerToken
    keys: KeyLookup
    limiter: Limiter | None = None
    #: Whether any route of the API matches the request's path. Asked only when the key is refused, so a path no
    #: route could ever answer is a 404 (what /openapi.json already tells anyone), not a misleading 401.
    known: Callable[[Scope], bool] | None = None
    throttle: BadKeyThrottle = field(default_factory=BadKeyThrottle)

    def _refuse(self, scope: Scope, message: str) -> NoReturn:
        if self.known is not None and not self.known(scope):
            raise NotFound(f"no such resource: {scope['path']}")
        raise Unauthorized(message)

    async def check(self, scope: Scope) -> None:
        key = self.scheme.key(scope)
        if not key:
            self._refuse(scope, self.scheme.missing)
        name = await ask(self.keys, self.keys.name_for, key) if len(key) <= MAX_KEY_LENGTH else None
        if name is None:
            # A valid key always passes: behind a proxy every caller shares one address, and one of them
            # guessing keys must not lock the others out.
            address = client_address(scope)
            wait = self.throttle.wait(address)
            self.throttle.failed(address)
            if wait:
                raise RateLimited(max(1, math.ceil(wait)))
            self._refuse(scope, "invalid or revoked API key")
        scope.setdefault("state", {})["key_name"] = name  # for the access log: the key's name, never the key
        if self.limiter:
            wait = await ask(self.limiter, self.limiter.take, name)
            if wait:
                raise RateLimited(max(1, math.ceil(wait)))
