#!/usr/bin/env bash
# Install onetlocal into a venv (once) and serve the API; the database is built on first use
# (from ONET_SOURCE, or the official O*NET download). Extra arguments go to `onetlocal serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/onetlocal serve "$@"
