"""Bounded schemathesis run over /openapi.json (issue 13, 4): every operation, all checks, with and without a
key, a few examples each, so the document and the server agree (benchmarks/fuzz.sh is the long run).

positive_data_acceptance is replaced by benchmarks/st_hooks.py's stricter-where-it-can `schema_valid_accepted`
(a schema-valid request refused only when its value names nothing in this database; see that module)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures import running_server

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def server(app) -> str:
    with running_server(app) as url:
        yield url


def schemathesis_run(url: str, headers: dict[str, str], examples: int, cwd: Path, *extra: str) -> tuple[int, str]:
    """`st run` in `cwd` (it keeps a .schemathesis/ cache in its working directory, never in the checkout)."""
    args = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{url}/openapi.json",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",
        "--max-examples",
        str(examples),
        "--workers",
        "2",
        "--no-color",
        "--seed",
        "1",
        *extra,
    ]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "st_hooks",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCHMARKS), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, cwd=cwd)
    return done.returncode, done.stdout + done.stderr


def _cases(output: str) -> tuple[int, int]:
    found = re.search(r"(\d+) generated, (?:(\d+) found)?", output)
    assert found, output[-3000:]
    return int(found.group(1)), int(found.group(2) or 0)


@pytest.mark.parametrize("with_key", [True, False], ids=["key", "no-key"])
def test_schemathesis_all_checks_pass(server, api_key, with_key, tmp_path):
    headers = {"X-API-Key": api_key, "Authorization": f"Bearer {api_key}"} if with_key else {}
    code, output = schemathesis_run(server, headers, 3, tmp_path, "--phases", "examples,coverage,fuzzing")
    generated, failed = _cases(output)
    print(f"schemathesis ({'with' if with_key else 'without'} a key): {generated} cases, {failed} failures")
    assert code == 0 and failed == 0 and "schema_valid_accepted" not in output, output[-6000:]
    assert generated > 500  # every operation was exercised
