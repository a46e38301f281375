#!/usr/bin/env bash
# The long schemathesis run (tests/test_fuzz.py is the bounded one): every operation, all checks, with a key.
# Starts `onetlocal serve` on a free port against --db (default: the per-user database) with a fresh key, runs
# schemathesis, prints the number of test cases and the failures by check, and exits non-zero on any failure.
# Usage: benchmarks/fuzz.sh [--db PATH] [--examples N (default 200)] [--max-time SECONDS] [extra `st run` args]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_venv.sh
ensure_venv test
db="" examples=200 extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --db) db="$2"; shift 2 ;;
        --examples) examples="$2"; shift 2 ;;
        *) extra+=("$1"); shift ;;
    esac
done
work="$(mktemp -d)"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
db_args=()
[ -n "$db" ] && db_args=(--db "$db")
key="$(.venv/bin/onetlocal keys create --name "fuzz-$$" "${db_args[@]}" --keys-db "$work/keys.sqlite" | tail -n 1)"
port="$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
.venv/bin/onetlocal serve "${db_args[@]}" --keys-db "$work/keys.sqlite" --port "$port" --rate-limit off \
    --access-log off >"$work/server.log" 2>&1 &
server_pid=$!
up=""
for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && { up=1; break; }
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
done
if [ -z "$up" ]; then
    echo "the server did not come up:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
repo="$PWD"
set +e
# run in the temp folder: schemathesis keeps a .schemathesis/ cache in its working directory
(cd "$work" && SCHEMATHESIS_HOOKS=st_hooks PYTHONPATH="$repo/benchmarks${PYTHONPATH:+:$PYTHONPATH}" "$repo/.venv/bin/st" run \
    "http://127.0.0.1:$port/openapi.json" --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$examples" --workers 2 --no-color -H "X-API-Key: $key" -H "Authorization: Bearer $key" \
    "${extra[@]}" >"$work/st.txt" 2>&1)
status=$?
set -e
# the failures (each with a curl line to reproduce) and the summary; the whole report without failures
if grep -q "= FAILURES =" "$work/st.txt"; then sed -n '/= FAILURES =/,$p' "$work/st.txt"; else cat "$work/st.txt"; fi
echo "---"
echo "cases: $(grep -Eo '[0-9]+ generated' "$work/st.txt" | head -1)"
echo "failures by check:"
grep -E '^ *❌ ST[0-9]+|^ *❌ [a-z_]+:' "$work/st.txt" || echo "  none"
exit $status
