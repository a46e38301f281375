"""uvicorn's HTTP protocol with a head-read timeout, TCP_NODELAY, and its own 400 answers in JSON.

`onetlocal serve --server uvicorn` passes `GuardedProtocol` as uvicorn's `http` protocol (http/servers.py).

- Head-read timeout: uvicorn closes a connection only `timeout_keep_alive` seconds after a response, and any byte
  received cancels that; a connection that never sends a byte, or sends a request head a byte at a time, is held
  for ever (slowloris). Here a whole request head must arrive within `servers.HEAD_TIMEOUT` seconds of the
  connection's start or of the previous response's end, else the connection is closed without an answer.
- Head size: httptools keeps a request head whole until it ends, with no limit of its own (the app's 16 kB check
  runs only then), so a head that has sent more than `servers.MAX_SERVER_HEADER_BYTES` without ending is answered
  431 `{"error": "request headers too large (at most 16384 bytes)"}` (the app's words) and closed, as granian does
  (without a body) at the same size.
- TCP_NODELAY: asyncio sets it only on sockets whose `proto` is TCP, which a socket inherited by a worker process
  (uvicorn's supervisor) is not; without it every keep-alive response waited ~44 ms for a delayed ACK.
- JSON 400s: uvicorn writes "Invalid HTTP request received." as `text/plain` itself, before any app runs, for
  requests its parser refuses (a request line over httptools' limit, non-ASCII bytes in the request line, an
  unknown method, not HTTP at all). Here that answer is `{"error": "bad request: invalid HTTP request"}` like
  every other error. The path is not known at that point (the request line did not parse), so the body is
  O*NET's shape for every API.

Why a subclass of uvicorn's protocol (issue 20 item 5). Passing a protocol class as uvicorn's `http` setting is
supported (`uvicorn.Config(http=...)` takes a class), but what this class overrides or reads is uvicorn's own
implementation, not an API: `send_400_response`, `on_response_complete`, `cycle` (and its `response_complete`),
`server_state.default_headers`. No supported setting does these things: `timeout_keep_alive` starts only after a
response and any byte resets it (no head deadline), `h11_max_incomplete_event_size` bounds h11 only (httptools, the
parser `auto` picks, has no limit), and the 400 text is uvicorn's. Removing the class would leave `--server uvicorn`
open to slowloris and unbounded heads. So it stays, held in place: constraints.txt pins the uvicorn CI tests with,
pyproject.toml bounds it below 1.0, and tests/http/test_servers.py checks that the overridden methods exist and
runs the head timeout, the 431 and the JSON 400 under uvicorn, so an upgrade that moves them fails CI, not users.
granian, the default server, needs none of this (its own header_read_timeout and max_buffer_size).
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import orjson
from uvicorn.protocols.http.auto import AutoHTTPProtocol

from onetlocal.http.limits import MAX_HEADER_BYTES
from onetlocal.http.servers import HEAD_TIMEOUT, MAX_SERVER_HEADER_BYTES

BODY = orjson.dumps({"error": "bad request: invalid HTTP request"})
TOO_LARGE = orjson.dumps({"error": f"request headers too large (at most {MAX_HEADER_BYTES} bytes)"})


class GuardedProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    """httptools (or h11 when httptools is absent) with a head deadline, TCP_NODELAY and JSON 400s."""

    head_timeout: float = HEAD_TIMEOUT
    max_head_bytes: int = MAX_SERVER_HEADER_BYTES
    _head_timer: asyncio.TimerHandle | None = None
    _head_bytes: int = 0
    _seen_cycle: Any = None

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        waiting = self._head_timer is not None
        super().data_received(data)
        if self.cycle is not self._seen_cycle:  # the parser made a new request: its head is complete
            self._seen_cycle = self.cycle
            self._cancel_head_timer()
        elif waiting and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > self.max_head_bytes:
                self._cancel_head_timer()
                self._send_and_close(b"431 Request Header Fields Too Large", TOO_LARGE)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()  # the next head (keep-alive) has the same time to arrive

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_bytes = 0
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.cycle is not None and self.cycle is not self._seen_cycle:
            self._seen_cycle = self.cycle  # a pipelined request started meanwhile: it has its head
            return
        if (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing():
            self.transport.close()

    def send_400_response(self, msg: str) -> None:
        self._send_and_close(b"400 Bad Request", BODY)

    def _send_and_close(self, status: bytes, body: bytes) -> None:
        content = [b"HTTP/1.1 ", status, b"\r\n"]
        for name, value in getattr(self.server_state, "default_headers", []):
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: application/json\r\n",
                b"content-length: %d\r\n" % len(body),
                b"connection: close\r\n",
                b"\r\n",
                body,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()


#: The name this class had before it grew the head timeout (kept for anyone who passed it to uvicorn).
JsonErrorsProtocol = GuardedProtocol
