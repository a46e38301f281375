"""Per-key token buckets shared by the worker processes of one machine (`serve --workers N` without Redis).

Each worker holding its own `auth.TokenBucket` would let a key make N times its rate. Instead `serve` creates one
small file (`Settings.rate_file`, in /dev/shm when there is one) and every worker maps it: a table of `SLOTS` slots,
each a key name's digest, its tokens and the time they were counted (`time.monotonic()`, one clock for the whole
machine). A take locks the file with `fcntl.lockf` (a POSIX record lock: released by the kernel if its holder dies,
so a killed worker never leaves the others locked out), reads and writes one slot, and unlocks: a few microseconds,
inline on the event loop. Slots are found by the digest with linear probing; when the probed slots are all taken, the
one counted longest ago is reused (that key starts again with a full bucket). Across machines, `--redis-url` shares
the counts instead (`redis_store.RedisLimiter`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import mmap
import os
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

#: Key slots in the file (32 bytes each: 128 KiB), and how many are looked at from a key's first slot.
SLOTS, PROBES = 4096, 32
_SLOT = struct.Struct("<16sdd")  # key digest (all zeros: free), tokens, when counted


def create(path: Path) -> None:
    """The empty table at `path` (written over if it exists), written out in full: a full /dev/shm fails here, not
    as a SIGBUS in a worker writing to a page the file never had."""
    with open(path, "wb") as fh:
        fh.write(bytes(SLOTS * _SLOT.size))


class SharedTokenBucket:
    """`auth.TokenBucket` with its buckets in the file at `path`, shared by every process that opens it."""

    def __init__(self, path: Path, rate: float):
        self.rate = rate
        self.capacity = max(rate, 1.0)
        fd = os.open(path, os.O_RDWR)
        try:
            if os.fstat(fd).st_size != SLOTS * _SLOT.size:
                raise ValueError(f"{path} is not a rate-limit table ({SLOTS * _SLOT.size} bytes)")
            self._map = mmap.mmap(fd, SLOTS * _SLOT.size)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._local = threading.Lock()  # record locks exclude processes, not the threads of one

    def take(self, key: str, cost: float = 1.0) -> float:
        """As `TokenBucket.take`: 0 if allowed, else the seconds to wait; counted across the processes."""
        digest = hashlib.blake2b(key.encode(), digest_size=16).digest()
        first = int.from_bytes(digest[:8], "little") % SLOTS
        with self._local:
            fcntl.lockf(self._fd, fcntl.LOCK_EX)
            try:
                now = time.monotonic()
                offset, tokens, last = self._find(digest, first, now)
                tokens = min(self.capacity, tokens + (now - last) * self.rate)
                allowed = tokens >= 1
                _SLOT.pack_into(self._map, offset, digest, tokens - cost if allowed else tokens, now)
            finally:
                fcntl.lockf(self._fd, fcntl.LOCK_UN)
        return 0.0 if allowed else (1 - tokens) / self.rate

    def _find(self, digest: bytes, first: int, now: float) -> tuple[int, float, float]:
        """(offset of the key's slot, its tokens, when counted): a new key gets a free slot with a full bucket, or
        the slot counted longest ago among those probed."""
        oldest: tuple[float, int] | None = None
        for i in range(PROBES):
            offset = (first + i) % SLOTS * _SLOT.size
            held, tokens, last = _SLOT.unpack_from(self._map, offset)
            if held == digest:
                return offset, tokens, last
            if held == bytes(16):
                return offset, self.capacity, now
            if oldest is None or last < oldest[0]:
                oldest = (last, offset)
        assert oldest is not None
        return oldest[1], self.capacity, now

    def close(self) -> None:
        self._map.close()
        os.close(self._fd)


@contextlib.contextmanager
def table() -> Iterator[Path]:
    """A new table in a private folder (in /dev/shm, memory, when it is writable), removed afterwards."""
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="onetlocal-rate-", dir=shm if os.access(shm, os.W_OK) else None))
    try:
        path = folder / "buckets"
        create(path)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
