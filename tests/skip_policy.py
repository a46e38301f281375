"""CI notices what it skipped (imported by conftest.py for its hooks).

A skipped test proves nothing, so under CI (the environment variable CI set to true, as `.ci/run` runs) a skip
fails the run unless the test is on `ALLOWED_SKIPS`, a short list naming why CI may skip it. A test skipped there
is reported as failed ("skipped in CI: ..."); a whole module skipped at collection fails the run at its end. Every
run prints, at its end, the allowed skips that happened with their reasons; a CI run also prints the list itself.

Outside CI a skip stays a skip (a developer without redis-server or the OEWS file still runs the rest).
"""

from __future__ import annotations

import os

import pytest

#: Node id (a test, or a prefix of ids: a file, a test with all its parameters) -> why CI may skip it. Keep it
#: short: every entry is something CI does not prove. Add one only with the reason CI's machine cannot run it.
ALLOWED_SKIPS: dict[str, str] = {}

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")

_allowed_seen: list[tuple[str, str, str]] = []  # (node id, allow-list reason, skip message)
_refused: list[tuple[str, str]] = []  # (node id, skip message)


def allowed_reason(nodeid: str) -> str | None:
    """The allow-list's reason for skipping `nodeid`, or None when it is not on the list."""
    for key, reason in ALLOWED_SKIPS.items():
        if nodeid == key or nodeid.startswith((key + "::", key + "[")):
            return reason
    return None


def _message(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (file, line, "Skipped: why")
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _judge(report: pytest.CollectReport | pytest.TestReport) -> None:
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    message = _message(report)
    reason = allowed_reason(report.nodeid)
    if reason is not None:
        _allowed_seen.append((report.nodeid, reason, message))
    elif IN_CI:
        _refused.append((report.nodeid, message))
        if isinstance(report, pytest.TestReport):
            report.outcome = "failed"
            report.longrepr = (
                f"skipped in CI ({message}): under CI a skip fails unless the test is on "
                "ALLOWED_SKIPS in tests/skip_policy.py, with the reason CI cannot run it"
            )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    report = yield
    _judge(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport:
    report = yield
    _judge(report)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A module skipped whole at collection has no test report to turn into a failure: fail the run instead.
    if IN_CI and _refused and session.exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    write = terminalreporter.write_line
    if _allowed_seen:
        terminalreporter.section("allowed skips (tests/skip_policy.py)")
        for nodeid, reason, message in _allowed_seen:
            write(f"{nodeid}: {reason} (skipped: {message})")
    if IN_CI:
        terminalreporter.section("CI skip policy")
        write(
            f"allow-list (tests/skip_policy.py ALLOWED_SKIPS): {len(ALLOWED_SKIPS)} entr"
            f"{'y' if len(ALLOWED_SKIPS) == 1 else 'ies'}"
        )
        for key, reason in ALLOWED_SKIPS.items():
            write(f"  {key}: {reason}")
        write(f"skipped on the allow-list: {len(_allowed_seen)}; skipped off it (failures): {len(_refused)}")
        for nodeid, message in _refused:
            write(f"  FAILED (skipped in CI) {nodeid}: {message}")
