"""Bounded memory (issue 20 item 2): walking every report a client can reach grows a worker by at most its memo
budget plus a stated slack, whatever the number of occupations, sites and flags."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: The memo budget the crawl runs with (small, so that the crawl overflows it many times over).
BUDGET_MIB = 8
#: What the worker may grow beyond the budget: the allocator's fragmentation and the approximate sizes (a crawl of
#: the same reports with no bound grew the worker by ~112 MiB).
SLACK_MIB = 24


def test_a_crawl_of_every_report_stays_within_the_memo_budget(db_path):
    script = Path(__file__).parent / "fixtures" / "crawl.py"
    result = subprocess.run(
        [sys.executable, str(script), str(db_path), str(BUDGET_MIB << 20)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["statuses"].get("500") is None and figures["statuses"]["200"] > 20_000
    assert figures["bounded"] <= BUDGET_MIB << 20
    assert figures["first"] - figures["before"] <= BUDGET_MIB + SLACK_MIB, figures
    assert figures["second"] - figures["before"] <= BUDGET_MIB + SLACK_MIB, figures  # and it stays there
