"""The floor of per-request cost: a bare ASGI callable (no framework, no database) answering every request with
a fixed JSON body of the size of onetlocal's `/about/`, served by the same HTTP server `onetlocal serve` uses.

    python benchmarks/raw_app.py PORT [granian|uvicorn]
"""

from __future__ import annotations

import sys

BODY = b'{"api_version":"2.0","database":"O*NET 30.1","server":"raw ASGI floor",' + b'"pad":"' + b"x" * 600 + b'"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":  # lifespan: nothing to start
        message = await receive()
        while message["type"] != "lifespan.shutdown":
            await send({"type": message["type"] + ".complete"})
            message = await receive()
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def main(port: int, server: str) -> None:
    """One worker, with the options `onetlocal serve` gives the server (http/servers.py)."""
    if server == "uvicorn":
        import uvicorn

        uvicorn.run("raw_app:app", host="127.0.0.1", port=port, workers=1, log_level="warning", access_log=False)
        return
    from granian import Granian
    from granian.constants import Interfaces, RuntimeModes

    Granian(
        "raw_app:app",
        address="127.0.0.1",
        port=port,
        interface=Interfaces.ASGI,
        workers=1,
        runtime_mode=RuntimeModes.st,
        log_access=False,
    ).serve()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "granian")
