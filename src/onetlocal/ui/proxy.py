"""What the web UI's keyless proxy (`/ui/api/...`) lets through: the routes the page calls, at a pace per client.

The proxy spends the UI's key (or none, with `--no-auth`) on behalf of anyone who can reach the page, so it is no
gateway to the whole API:
- `ROUTES`: the route rows `app.js` calls (its `api(...)` calls; `tests/test_ui.py` checks the two agree). Any other
  path (`/database/...`, `/about/`, the other reports) answers 403 naming the API itself, with a key.
- No exports: a `format` other than `json` answers 403 (the page never downloads; a stream would hold a worker's
  thread and CPU for as long as the client reads).
- `ClientLimiter`: a token bucket per client address (IPv6: per /64), `CLIENT_RATE` requests a second after a burst
  of `CLIENT_BURST`, on top of the UI key's own limit, so one client cannot spend the key's `--rate-limit` that
  every visitor shares. The address is the connection's peer (behind a reverse proxy: whatever address the server
  is told to trust; without that every visitor shares the proxy's one bucket).
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections import OrderedDict
from urllib.parse import parse_qsl

#: The API routes the page calls, as their route rows write them (the only paths the proxy forwards).
ROUTES = (
    "/online/search",
    "/online/occupations/{code}/",
    "/online/occupations/{code}/summary/{section}",
    "/online/occupations/{code}/details/{section}",
    "/mpp/careers/{code}/",
    "/mnm/interestprofiler/questions",
    "/mnm/interestprofiler/results",
    "/mnm/interestprofiler/job_zones",
    "/mnm/interestprofiler/careers",
    "/veterans/military",
    "/v1/occupation/{userId}/{keyword}/{location}",
)

#: Per client address: requests a second, and the burst allowed at once (a career page makes ~15 calls).
CLIENT_RATE = 10.0
CLIENT_BURST = 60
#: Client addresses remembered at most (least recently seen dropped first).
MAX_CLIENTS = 10_000


def _pattern(template: str) -> str:
    """A route template as a regex: `{name}` is one path segment; the trailing slash is optional (as routed)."""
    return re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template.rstrip("/"))) + "/?"


_ALLOWED = re.compile("|".join(f"(?:{_pattern(t)})" for t in ROUTES))


def forwarded(path: str) -> bool:
    """Whether the proxy forwards `path` (a path of the API, without the `/ui/api` prefix)."""
    return _ALLOWED.fullmatch(path) is not None


def is_export(query_string: bytes) -> bool:
    """Whether the query asks for a download (`format=csv|text|excel|jsonl`) instead of a JSON answer."""
    if b"format" not in query_string:
        return False
    query = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return any(name == "format" and value not in ("", "json") for name, value in query)


def client_key(host: str | None) -> str:
    """The bucket of a peer address: the address itself, or its /64 for IPv6 (one host holds a whole /64)."""
    if not host:
        return "-"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class ClientLimiter:
    """A token bucket per client address, in memory, per process; at most `max_clients` buckets are kept."""

    def __init__(self, rate: float = CLIENT_RATE, burst: float = CLIENT_BURST, max_clients: int = MAX_CLIENTS):
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str) -> float:
        """0 when the client may go on, else the seconds until it may."""
        now = time.monotonic()
        tokens, last = self.buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
        self.buckets[client] = (tokens - 1 if not wait else tokens, now)  # now the most recent
        while len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)
        return wait
