#!/usr/bin/env bash
# Write constraints.txt: the exact versions of every package `pip install -e .[test]` brings in, resolved afresh
# in a throw-away venv from pyproject.toml's ranges. CI (.ci/run) and scripts/_venv.sh install with
# `-c constraints.txt`, so every machine tests the same versions. Run after changing a dependency in
# pyproject.toml (or to take newer releases), then run the tests and commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check ".[test]"
{
    echo "# Exact versions CI and scripts/_venv.sh install (pip install -c constraints.txt -e .[test]); written by"
    echo "# scripts/lock.sh with $("$tmp/venv/bin/python" -V) from pyproject.toml's ranges. Do not edit: run it again."
    "$tmp/venv/bin/python" -m pip freeze --disable-pip-version-check --exclude onetlocal
} > constraints.txt
echo "wrote constraints.txt ($(grep -cv '^#' constraints.txt) packages)" >&2
