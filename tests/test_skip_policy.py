"""tests/skip_policy.py: under CI a skip off the allow-list fails the run; outside CI it stays a skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import skip_policy

TESTS = Path(__file__).resolve().parent

SUITE = {
    "conftest.py": f"import sys\nsys.path.insert(0, {str(TESTS)!r})\nfrom skip_policy import *  # noqa\n"
    "from skip_policy import pytest_make_collect_report, pytest_runtest_makereport, "
    "pytest_sessionfinish, pytest_terminal_summary  # noqa\n",
    "test_some.py": "import pytest\n\ndef test_runs():\n    pass\n\n"
    "def test_skips():\n    pytest.skip('no widget here')\n",
}


def _run(tmp_path: Path, ci: str | None, *, files: dict[str, str] = SUITE) -> subprocess.CompletedProcess:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfs", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_outside_ci_a_skip_stays_a_skip(tmp_path):
    result = _run(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 skipped" in result.stdout
    assert "CI skip policy" not in result.stdout


def test_in_ci_a_skip_off_the_allow_list_fails_and_says_why(tmp_path):
    result = _run(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert "skipped in CI (no widget here)" in result.stdout
    assert "CI skip policy" in result.stdout and "skipped off it (failures): 1" in result.stdout


def test_in_ci_a_module_skipped_at_collection_fails_the_run(tmp_path):
    files = {
        **SUITE,
        "test_some.py": "import pytest\npytest.importorskip('no_such_module_here')\n\ndef test_never():\n    pass\n",
    }
    result = _run(tmp_path, "true", files=files)
    assert result.returncode == 1, result.stdout
    assert "FAILED (skipped in CI)" in result.stdout


def test_the_allow_list_is_matched_by_test_file_or_test_with_its_parameters(monkeypatch):
    monkeypatch.setattr(skip_policy, "ALLOWED_SKIPS", {"tests/test_a.py": "why a", "tests/test_b.py::test_x": "why x"})
    assert skip_policy.allowed_reason("tests/test_a.py::test_any[1]") == "why a"
    assert skip_policy.allowed_reason("tests/test_b.py::test_x[param]") == "why x"
    assert skip_policy.allowed_reason("tests/test_b.py::test_x") == "why x"
    assert skip_policy.allowed_reason("tests/test_b.py::test_xy") is None
    assert skip_policy.allowed_reason("tests/test_ab.py::test_any") is None


def test_every_allow_list_entry_names_an_existing_test_file_and_a_reason():
    for nodeid, reason in skip_policy.ALLOWED_SKIPS.items():
        assert (TESTS.parent / nodeid.split("::")[0]).is_file(), nodeid
        assert len(reason) > 20, f"{nodeid}: say why CI cannot run it"
