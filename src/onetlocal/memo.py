"""Bounded memory for remembered answers: one least-recently-used table bounded in bytes.

Everything a server remembers per value a client chooses (a report per occupation and site, a location, a
CareerOneStop body, a key's verdict) goes into one of these, so walking every occupation, location or key can
never grow a worker's memory past the bounds it was given (issue 20: the My Next Move report cache alone grew
~152 MB per worker). Sizes are estimated once, when an entry is stored (`approx_size`).
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

#: What `get` answers for a key that is not there (None may be a remembered value).
MISSING: Any = object()

_CONTAINERS = (dict, list, tuple, set, frozenset)

#: An entry's size in bytes: given, computed from the value, or (None) estimated by `approx_size`.
Size = int | Callable[[Any], int] | None


def approx_size(value: Any, limit: int = 1 << 30) -> int:
    """Bytes `value` holds: `sys.getsizeof` of it and of everything its dicts, lists, tuples, sets and dataclass
    instances hold (objects reached twice are counted once). Stops counting past `limit`."""
    seen: set[int] = set()
    stack = [value]
    total = 0
    while stack and total < limit:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, _CONTAINERS):
            stack.extend(item)
        elif hasattr(item, "__dict__"):
            stack.append(vars(item))
        elif hasattr(item, "__slots__"):
            stack.extend(getattr(item, name) for name in item.__slots__ if hasattr(item, name))
    return total


class LruBytes:
    """Key -> value, at most `max_bytes` of values in all (each entry's size given or estimated when stored), the
    least recently used dropped first. An entry larger than the whole budget is not kept. Thread-safe."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[Hashable]:
        """The keys held now, least recently used first."""
        with self._lock:
            return list(self._entries)

    def get(self, key: Hashable) -> Any:
        """The value stored under `key` (now the most recently used), else `MISSING`. Without the lock (it is on
        every request's path): each OrderedDict call is atomic under the GIL, and an entry dropped by another
        thread between the two is simply not moved."""
        entry = self._entries.get(key)
        if entry is None:
            return MISSING
        try:
            self._entries.move_to_end(key)
        except KeyError:
            pass
        return entry[0]

    def put(self, key: Hashable, value: Any, size: Size = None) -> Any:
        """Store `value` under `key` (its size: `size`, or `size(value)`, else `approx_size`), dropping the least
        recently used entries while over budget. Returns `value`."""
        if size is None:
            size = approx_size(value, self.max_bytes + 1)
        elif callable(size):
            size = size(value)
        if size > self.max_bytes:
            return value
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0
