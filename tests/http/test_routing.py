"""How services are called: statements that can scan run off the event loop, so a slow `/database/rows` query never
holds the requests behind it (issue 22 item 3)."""

from __future__ import annotations

import statistics
import threading
import time

import httpx

from fixtures import running_server
from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.http.routes import ENDPOINTS

#: A full sort of the biggest table on a column without an index, read deep: ~0.7 s of SQLite on one core.
SLOW = (
    "/database/rows/oews_wages?sort=location_quotient_footnote.descending&sort=hourly_pct90.descending"
    "&start=200000&end=200020"
)


def test_a_slow_rows_query_does_not_hold_other_requests(db_path, tmp_path):
    app = create_app(Settings(db_path=db_path, keys_db_path=tmp_path / "keys.sqlite", auth=False, rate_limit=None))
    slow_times: list[float] = []
    slow_statuses: set[int] = set()
    stop = threading.Event()

    def slow_loop(url: str) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            while not stop.is_set():
                started = time.perf_counter()
                slow_statuses.add(http.get(SLOW).status_code)
                slow_times.append(time.perf_counter() - started)

    with running_server(app) as url, httpx.Client(base_url=url, timeout=60) as http:
        http.get("/about/")
        http.get("/database/rows/oews_wages?end=1")  # table and column lists memoised before measuring
        loops = [threading.Thread(target=slow_loop, args=(url,)) for _ in range(2)]  # as the two loops
        for t in loops:
            t.start()
        fast: list[float] = []
        try:
            time.sleep(0.2)
            until = time.monotonic() + 3
            while time.monotonic() < until:
                for path in ("/healthz", "/about/"):
                    started = time.perf_counter()
                    assert http.get(path).status_code == 200
                    fast.append(time.perf_counter() - started)
                time.sleep(0.01)
        finally:
            stop.set()
            for t in loops:
                t.join()
    assert slow_statuses <= {200, 503}, slow_statuses  # 503: stopped by the statement time limit
    assert statistics.median(slow_times) > 0.2, slow_times  # the slow ones were slow
    fast.sort()
    p90 = fast[int(len(fast) * 0.9)]
    assert statistics.median(fast) < 0.05 and p90 < 0.2, (statistics.median(fast), p90, fast[-5:])


def test_only_the_scanning_routes_leave_the_event_loop():
    offloaded = sorted(e.path for e in ENDPOINTS if e.offload)
    assert offloaded == ["/database/rows/{table_id}"]
