#!/usr/bin/env bash
# Install onetlocal into .venv (once; again only when pyproject.toml changes) and serve the API. The database is
# built on first use: from ONET_SOURCE / ONETLOCAL_DATA when set, else from the public sources downloaded by
# `onetlocal fetch`. Extra arguments go to `onetlocal serve` (e.g. --port 9000, --workers 2).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
ensure_venv ""
exec .venv/bin/onetlocal serve "$@"
