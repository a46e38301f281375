#!/usr/bin/env bash
# Set up .venv with the project and its test dependencies (once; again only when pyproject.toml changes), make
# sure redis-server is there for the shared-keys tests (Debian package, installed with apt-get when missing and
# we are root), then run the test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
ensure_venv test
if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing redis-server (Debian package) for the shared-keys tests" >&2
        # policy-rc.d 101: install the program without starting the system service (the tests start their own);
        # an existing policy file is left as it is.
        made_policy=""
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
        fi
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) \
            || echo "warning: could not install redis-server; the Redis tests will be skipped" >&2
        if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
    else
        echo "note: redis-server not found (apt-get install redis-server); the Redis tests will be skipped" >&2
    fi
fi
# The web UI's browser tests (tests/test_ui_browser.py) drive Debian's `chromium` package: install it when missing.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "note: could not install chromium; the browser tests will fail" >&2
fi
exec .venv/bin/python -m pytest "$@"
