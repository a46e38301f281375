"""Idle and slowloris sockets against `onetlocal serve`: does a normal client still get through?

For each server (granian, uvicorn) and each count of held sockets (default 0, 1000, 3000), this opens that many
connections to the server on 127.0.0.1 that send nothing (`idle`) or a request head that never ends (`slowloris`:
the request line and one header at once, then one more header line every `--trickle` seconds), holds them for
`--hold` seconds while a fresh client sends `GET /healthz` every `--every` seconds (each probe on a new
connection, `--probe-timeout` at most), then closes them all. Per cell it prints how many sockets the kernel
connected, the probes answered 200 and their latencies (p50 / max), when probes failed (seconds into the cell,
first failure to last failure's end), how many held sockets the server had closed by the end (a head-read
timeout at work), how many were re-opened (`--reconnect`: an attacker who reconnects what the server closes),
the server's resident memory (all its processes, the cell's peak) and whether it still ran.

`--open-files N` runs the server with that RLIMIT_NOFILE (soft and hard), so a few thousand sockets reach its
connection cap (as on a host whose limit is low); `--src DIR` serves another checkout's `src/` (before/after).

Only 127.0.0.1 is ever connected to; socket counts are capped at 10,000 and every cell is bounded by `--hold`.

    .venv/bin/python benchmarks/slowloris.py --db ~/.local/share/onetlocal/onet.sqlite
    .venv/bin/python benchmarks/slowloris.py --db DB --counts 2000 --modes idle --open-files 1500 --hold 40
"""

from __future__ import annotations

import argparse
import errno
import resource
import selectors
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import HOST, exe, free_port, server  # noqa: E402

MAX_SOCKETS = 10_000
HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def open_sockets(port: int, count: int, mode: str, timeout: float = 10.0) -> tuple[list[socket.socket], int]:
    """`count` non-blocking connects at once; returns (the sockets, how many completed the handshake within
    `timeout`). In `slowloris` mode each connected socket has sent an unfinished request head."""
    socks, pending = [], {}
    sel = selectors.DefaultSelector()
    for _ in range(count):
        s = socket.socket()
        s.setblocking(False)
        if s.connect_ex((HOST, port)) not in (0, errno.EINPROGRESS):
            s.close()
            continue
        socks.append(s)
        pending[s.fileno()] = s
        sel.register(s, selectors.EVENT_WRITE)
    connected = 0
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(max(0.0, deadline - time.monotonic())):
            s = key.fileobj
            sel.unregister(s)
            del pending[s.fileno()]
            if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                connected += 1
                if mode == "slowloris":
                    try:
                        s.send(HEAD)
                    except OSError:
                        pass
    sel.close()
    return socks, connected


def trickle(socks: list[socket.socket]) -> None:
    for s in socks:
        try:
            s.send(b"X-Slow: 1\r\n")
        except OSError:
            pass


def closed_by_server(socks: list[socket.socket]) -> int:
    """How many of the held sockets the server has closed (EOF or reset; a late answer counts as closing)."""
    closed = 0
    for s in socks:
        try:
            data = s.recv(4096, socket.MSG_PEEK)
            closed += 1 if data == b"" or data.startswith(b"HTTP/") else 0
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    return closed


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        todo.extend(children.get(tree[-1], []))
    return tree


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants, MB."""
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def probe(port: int, timeout: float) -> float | None:
    """Seconds for a fresh connection's `GET /healthz` to come back 200; None if it did not in `timeout`."""
    started = time.perf_counter()
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.settimeout(max(0.01, timeout - (time.perf_counter() - started)))
            s.sendall(HEAD + b"Connection: close\r\n\r\n")
            first = s.recv(64)
            return time.perf_counter() - started if first.startswith(b"HTTP/1.1 200") else None
    except OSError:
        return None


def reopen_closed(port: int, socks: list[socket.socket], mode: str) -> int:
    """Replace every held socket the server has closed by a new one (as an attacker who reconnects would);
    returns how many were replaced. New connects are not waited for."""
    replaced = 0
    for i, s in enumerate(socks):
        if closed_by_server([s]):
            s.close()
            new = socket.socket()
            new.setblocking(False)
            new.connect_ex((HOST, port))
            if mode == "slowloris":
                try:
                    new.send(HEAD)
                except OSError:
                    pass  # not connected yet: it stays idle
            socks[i] = new
            replaced += 1
    return replaced


def cell(port: int, pid: int, count: int, mode: str, args) -> dict:
    socks, connected = open_sockets(port, count, mode)
    rss, reopened = 0.0, 0
    probes: list[tuple[float, float | None]] = []  # (seconds into the cell, latency or None)
    try:
        started = time.monotonic()
        next_trickle = started + args.trickle
        while time.monotonic() - started < args.hold:
            t0 = time.monotonic()
            probes.append((t0 - started, probe(port, args.probe_timeout)))
            if mode == "slowloris" and time.monotonic() >= next_trickle:
                trickle(socks)
                next_trickle += args.trickle
            if args.reconnect:
                reopened += reopen_closed(port, socks, mode)
            rss = max(rss, rss_mb(pid))
            time.sleep(max(0.0, args.every - (time.monotonic() - t0)))
        closed = closed_by_server(socks)
    finally:
        for s in socks:
            s.close()
    ok = sorted(x for _, x in probes if x is not None)
    failed = [t for t, x in probes if x is None]
    return {
        "rss": rss,
        "connected": connected,
        "ok": len(ok),
        "probes": len(probes),
        "closed": closed,
        "reopened": reopened,
        "p50": ok[len(ok) // 2] * 1000 if ok else None,
        "max": ok[-1] * 1000 if ok else None,
        "failing": f"{failed[0]:.0f}-{failed[-1] + args.probe_timeout:.0f}" if failed else "-",
    }


def _num(value: float | None, width: int) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.1f}"


def serve_command(db: Path, name: str, port: int, args) -> list[str]:
    src = Path(args.src).resolve() if args.src else None
    program = [sys.executable, "-m", "onetlocal"] if src else [exe("onetlocal")]
    cmd = [
        *program,
        "serve",
        "--db",
        str(db),
        "--host",
        HOST,
        "--port",
        str(port),
        "--rate-limit",
        "off",
        "--no-auth",
        "--server",
        name,
        "--workers",
        str(args.workers),
        "--access-log",
        "off",
    ]
    if args.open_files:  # the server's own open-files limit, soft and hard (as a host with a low limit has)
        cmd = ["prlimit", f"--nofile={args.open_files}:{args.open_files}", "--", *cmd]
    return cmd


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="an existing onetlocal database to serve")
    p.add_argument("--servers", default="granian,uvicorn")
    p.add_argument("--counts", default="0,1000,3000", help=f"held sockets per cell (≤ {MAX_SOCKETS})")
    p.add_argument("--modes", default="idle,slowloris")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument(
        "--src",
        help="serve the package in this folder (another checkout's src/, e.g. to compare with "
        "a version before a change)",
    )
    p.add_argument(
        "--open-files",
        type=int,
        help="run the server with this RLIMIT_NOFILE (soft and hard), to see "
        "what happens when held sockets reach its connection cap",
    )
    p.add_argument("--reconnect", action="store_true", help="re-open each held socket the server closes")
    p.add_argument("--hold", type=float, default=20.0, help="seconds each cell holds its sockets (≤ 120)")
    p.add_argument("--every", type=float, default=0.5, help="seconds between probes")
    p.add_argument("--probe-timeout", type=float, default=2.0)
    p.add_argument("--trickle", type=float, default=5.0, help="seconds between slowloris header lines")
    args = p.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    if max(counts) > MAX_SOCKETS or args.hold > 120:
        sys.exit(f"bounded: at most {MAX_SOCKETS} sockets and --hold 120")
    raise_fd_limit(max(counts) + 256)
    db = Path(args.db).expanduser()
    print(
        f"{'server':8} {'mode':9} {'held':>5} {'conn':>5} {'200s':>9} {'p50 ms':>7} {'max ms':>7} "
        f"{'failing s':>9} {'closed':>6} {'reopen':>6} {'RSS MB':>6}  alive"
    )
    for name in args.servers.split(","):
        port = free_port()
        env = {"PYTHONPATH": str(Path(args.src).resolve())} if args.src else None
        with server(name, serve_command(db, name, port, args), port, env=env) as srv:
            for mode in args.modes.split(","):
                for count in counts:
                    r = cell(port, srv.proc.pid, count, mode, args)
                    print(
                        f"{name:8} {mode:9} {count:5} {r['connected']:5} {r['ok']:>4}/{r['probes']:<4} "
                        f"{_num(r['p50'], 7)} {_num(r['max'], 7)} {r['failing']:>9} "
                        f"{r['closed']:6} {r['reopened']:6} {r['rss']:6.0f}  {srv.proc.poll() is None}",
                        flush=True,
                    )
                    time.sleep(1.0)  # let the server drop what was just closed


if __name__ == "__main__":
    main()
