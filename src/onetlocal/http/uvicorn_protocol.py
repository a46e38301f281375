"""uvicorn's HTTP protocol with its own 400 answers in JSON.

uvicorn writes "Invalid HTTP request received." as `text/plain` itself, before any app runs, for requests its
parser refuses (a request line over httptools' limit, non-ASCII bytes in the request line, an unknown method,
not HTTP at all). `onetlocal serve --server uvicorn` passes this class as uvicorn's `http` protocol, so that answer
is `{"error": "bad request: invalid HTTP request"}` like every other error. The path is not known at that point
(the request line did not parse), so the body is O*NET's shape for every API.
"""

from __future__ import annotations

import orjson
from uvicorn.protocols.http.auto import AutoHTTPProtocol

BODY = orjson.dumps({"error": "bad request: invalid HTTP request"})


class JsonErrorsProtocol(AutoHTTPProtocol):  # type: ignore[misc, valid-type]
    """httptools (or h11 when httptools is absent) with `send_400_response` answering JSON."""

    def send_400_response(self, msg: str) -> None:
        content = [b"HTTP/1.1 400 Bad Request\r\n"]
        for name, value in getattr(self.server_state, "default_headers", []):
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"content-type: application/json\r\n", b"content-length: %d\r\n" % len(BODY),
                        b"connection: close\r\n", b"\r\n", BODY])
        self.transport.write(b"".join(content))
        self.transport.close()
