"""The one bounded memo (`onetlocal.memo`): least recently used dropped first, within a byte budget."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from onetlocal.memo import MISSING, LruBytes, approx_size


def test_the_least_recently_used_go_first_and_the_bytes_stay_within_the_budget():
    lru = LruBytes(1000)
    for key in "abcd":
        lru.put(key, key, size=250)
    assert lru.get("a") == "a"  # now the most recent
    lru.put("e", "e", size=250)  # drops b, the oldest
    assert lru.get("b") is MISSING and lru.size == 1000 and len(lru) == 4
    lru.put("big", "x", size=600)  # 1600 bytes: drops c, d and a, oldest first, until within the budget
    assert [lru.get(k) is MISSING for k in "cdae"] == [True, True, True, False] and lru.size == 850


def test_an_entry_over_the_whole_budget_is_not_kept_and_none_is_a_value():
    lru = LruBytes(100)
    assert lru.put("huge", "v", size=101) == "v" and lru.get("huge") is MISSING
    lru.put("none", None, size=10)
    assert lru.get("none") is None


def test_replacing_a_key_counts_its_size_once():
    lru = LruBytes(1000)
    lru.put("k", 1, size=400)
    lru.put("k", 2, size=300)
    assert lru.size == 300 and lru.get("k") == 2


@dataclass
class Row:
    title: str
    scores: list


def test_approx_size_counts_what_containers_and_objects_hold_once():
    text = "x" * 10_000
    assert approx_size([text, text]) < approx_size([text, "y" * 10_000])  # shared once
    assert approx_size({"a": [text]}) > 10_000
    assert approx_size(Row("t", [text])) > 10_000
    assert approx_size(list(range(1000)), limit=100) < 20_000  # stops counting past the limit


def test_threads_never_break_the_budget():
    lru = LruBytes(5000)

    def work(n: int) -> None:
        for i in range(2000):
            lru.put((n, i), i, size=50)
            lru.get((n, i - 1))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert lru.size <= 5000 and lru.size == 50 * len(lru)


def test_a_size_may_be_a_function_of_the_value():
    lru = LruBytes(1000)
    lru.put("codes", ("a", "b", "c"), size=lambda codes: 100 * len(codes))
    assert lru.size == 300
