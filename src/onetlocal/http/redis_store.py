"""API keys and per-key rate limits in Redis, so several onetlocal instances (each with its own read-only copy
of the SQLite database) share one set of keys and one counter per key.

Used when `onetlocal serve --redis-url` (or ONETLOCAL_REDIS_URL) is given; without it nothing here is imported.

Layout (every name under `prefix`, default `onetlocal`):
- `{prefix}:key:{sha256(key)}` -> key name (string): the lookup done per request. Deleted on revoke.
- `{prefix}:keyinfo:{name}` -> hash {hash, prefix, created_at, revoked_at}: what `keys list` shows.
- `{prefix}:rate:{name}` -> hash {tokens, ts}: a token bucket updated atomically by one Lua script, using the
  Redis server's clock (instances' clocks never matter); expires once it would be full again.

Decisions:
- Keys are stored only as sha256 hashes, as in the SQLite key store; the key itself is shown once.
- An instance remembers a key lookup for `cache_seconds` (0.5 s) to spare a round trip per request; a revoke
  therefore applies on every instance within that time.
- Redis unreachable: requests answer 503 "key store unavailable" (never let a caller through unchecked).
- Every call made while serving runs on a worker thread (`blocking = True`, see `http.auth.ask`): a slow or
  unreachable Redis (up to the 2 s socket timeout) holds that request only, never the event loop.
- Durability is Redis's: a key lives only in Redis, so a Redis without an append-only file (`appendonly no`, the
  redis-server default) loses every key created since its last snapshot when it is killed (a key made just before
  a SIGKILL was lost). `serve` asks Redis (`INFO persistence`) and says so in its banner (`persistence_warning`);
  compose.yaml runs Redis with `--appendonly yes`.
"""

from __future__ import annotations

import time
from typing import Any

from onetlocal.errors import ApiError, ConfigError

try:
    import redis
except ImportError as exc:  # an optional extra: only --redis-url needs it
    raise ConfigError(
        "--redis-url (ONETLOCAL_REDIS_URL) needs the redis package: pip install 'onetlocal[redis]'"
    ) from exc
from onetlocal.keys import MAX_KEY_LENGTH, AnswerCache, _now, hash_key, new_key


class KeyStoreUnavailable(ApiError):
    status = 503


def connect(url: str) -> Any:
    """A Redis client for `url` (redis://, rediss://, unix://); fails early with a one-line error."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)
        client.ping()
    except ValueError as exc:
        raise ConfigError(f"invalid --redis-url {url!r}: {exc}") from exc
    except redis.RedisError as exc:
        raise ConfigError(f"cannot reach Redis at {url}: {exc}") from exc
    return client


def persistence_warning(url: str) -> str | None:
    """None when the Redis at `url` logs every write to an append-only file; else what a crash would lose."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)
        try:
            info = client.info("persistence")
        finally:
            client.close()
    except (ValueError, redis.RedisError) as exc:
        return (
            f"could not ask Redis whether it persists keys (INFO persistence: {type(exc).__name__}); without "
            "appendonly yes a Redis crash loses the keys created since its last snapshot"
        )
    if str(info.get("aof_enabled", "0")) == "1":
        return None
    return (
        "Redis runs without an append-only file (appendonly no): keys created since its last snapshot are lost "
        "if Redis is killed; start it with --appendonly yes (see README, Several instances)"
    )


def _guarded(fn):
    """Turn a Redis failure during a request into a 503 instead of a 500."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except redis.RedisError as exc:
            raise KeyStoreUnavailable(f"key store unavailable ({type(exc).__name__})") from exc

    return wrapper


class RedisKeyStore:
    """create/list/revoke, as `keys.KeyStore`, for keys shared by every instance using the same Redis."""

    def __init__(self, client: Any, prefix: str = "onetlocal"):
        self.redis = client
        self.prefix = prefix

    def _info(self, name: str) -> str:
        return f"{self.prefix}:keyinfo:{name}"

    def create(self, name: str) -> str:
        if not name.strip():
            raise ConfigError("a key needs a non-empty name")
        key = new_key()
        digest = hash_key(key)
        # HSETNX on the name makes two concurrent creates of one name fail cleanly.
        if not self.redis.hsetnx(self._info(name), "hash", digest):
            raise ConfigError(f"a key named {name!r} exists already")
        pipe = self.redis.pipeline()
        pipe.hset(self._info(name), mapping={"prefix": key[:8], "created_at": _now()})
        pipe.set(f"{self.prefix}:key:{digest}", name)
        pipe.execute()
        return key

    def list(self) -> list[dict]:
        rows = []
        for info_key in self.redis.scan_iter(match=f"{self.prefix}:keyinfo:*", count=500):
            info = self.redis.hgetall(info_key)
            rows.append(
                {
                    "name": info_key.split(":keyinfo:", 1)[1],
                    "prefix": info.get("prefix", ""),
                    "created_at": info.get("created_at", ""),
                    "revoked_at": info.get("revoked_at") or None,
                }
            )
        return sorted(rows, key=lambda r: (r["created_at"], r["name"]))

    def revoke(self, name: str) -> None:
        info = self.redis.hgetall(self._info(name))
        if not info or info.get("revoked_at"):
            raise ConfigError(f"no active key named {name!r}")
        pipe = self.redis.pipeline()
        pipe.delete(f"{self.prefix}:key:{info['hash']}")
        pipe.hset(self._info(name), "revoked_at", _now())
        pipe.execute()


class RedisKeys:
    """`KeyLookup` for the Guard: key -> name, remembered for `cache_seconds`."""

    blocking = True  # a network round trip: asked from a worker thread (`http.auth.ask`)

    def __init__(
        self, client: Any, prefix: str = "onetlocal", cache_seconds: float = 0.5, max_cache_bytes: int = 2 << 20
    ):
        self.redis = client
        self.prefix = prefix
        self.cache_seconds = cache_seconds
        self._seen = AnswerCache(max_cache_bytes)  # by the key's hash, bounded in bytes (see keys.AnswerCache)

    @_guarded
    def name_for(self, key: str) -> str | None:
        if len(key) > MAX_KEY_LENGTH:
            return None
        now = time.monotonic()
        digest = AnswerCache.digest(key)
        hit = self._seen.get(digest, now)
        if hit is not None:
            return hit[0]
        name = self.redis.get(f"{self.prefix}:key:{digest.hex()}")
        self._seen.put(digest, name, now + self.cache_seconds)
        return name


_TAKE = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local cost = tonumber(ARGV[3]) or 1
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1]) or capacity
local ts = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - cost else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - math.min(tokens, 0)) / rate * 1000) + 1000)
return tostring(wait)
"""


class RedisLimiter:
    """`Limiter` for the Guard: `rate` requests per second per key name, burst max(rate, 1), across instances."""

    blocking = True  # a network round trip: asked from a worker thread (`http.auth.ask`)

    def __init__(self, client: Any, rate: float, prefix: str = "onetlocal"):
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self.prefix = prefix
        self._take = client.register_script(_TAKE)

    @_guarded
    def take(self, name: str, cost: float = 1.0) -> float:
        """As `TokenBucket.take` (a batch costs one token per title), across instances."""
        return float(self._take(keys=[f"{self.prefix}:rate:{name}"], args=[self.rate, self.capacity, cost]))
