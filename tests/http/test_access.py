"""Issue 22 item 7: the client address the access log and the wrong-key throttle see is the peer's, unless the
peer is a proxy named by --forwarded-allow-ips (uvicorn believed X-Forwarded-For from any loopback peer)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys

import httpx
import pytest

from fixtures import free_port, wait_until_up

SPOOFED = "203.0.113.9"


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ONETLOCAL_") and k != "FORWARDED_ALLOW_IPS"}


def _serve(db_path, keys_path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "onetlocal",
            "serve",
            "--db",
            str(db_path),
            "--keys-db",
            str(keys_path),
            "--port",
            str(port),
            "--access-log",
            "plain",
            *extra,
        ],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(proc, url, 60)
    return proc, url


def _stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGINT)
    return proc.communicate(timeout=30)[1]


@pytest.mark.parametrize("server_name", ["uvicorn", "granian"])
def test_a_loopback_client_cannot_pick_its_address(db_path, keys_path, server_name):
    proc, url = _serve(db_path, keys_path, "--server", server_name)
    try:
        with httpx.Client(base_url=url, timeout=10) as client:
            statuses = [
                client.get(
                    "/about/",
                    headers={"X-API-Key": secrets.token_urlsafe(32), "X-Forwarded-For": f"198.51.100.{i % 250}"},
                ).status_code
                for i in range(140)
            ]
            client.get("/about/", headers={"X-Forwarded-For": SPOOFED})
    finally:
        log = _stop(proc)
    assert 429 in statuses, statuses  # one throttle for the peer, whatever address each request claims
    assert SPOOFED not in log and " 127.0.0.1 " in log, log


def test_forwarded_headers_from_a_named_proxy_are_believed(db_path, keys_path):
    proc, url = _serve(db_path, keys_path, "--server", "uvicorn", "--forwarded-allow-ips", "127.0.0.1")
    try:
        httpx.get(f"{url}/about/", headers={"X-Forwarded-For": SPOOFED}, timeout=10)
    finally:
        log = _stop(proc)
    assert f" {SPOOFED} " in log, log


def test_forwarded_allow_ips_needs_uvicorn(db_path, keys_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "onetlocal",
            "serve",
            "--db",
            str(db_path),
            "--keys-db",
            str(keys_path),
            "--port",
            str(free_port()),
            "--forwarded-allow-ips",
            "10.0.0.1",
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "--forwarded-allow-ips needs --server uvicorn" in result.stderr
