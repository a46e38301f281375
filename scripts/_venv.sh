# Sourced by serve.sh, test.sh and .ci/run: make .venv (Python >= 3.11) with the project installed at the versions
# constraints.txt pins, reinstalling only when pyproject.toml or constraints.txt changed (the install is editable:
# source changes need no reinstall).
# Usage: ensure_venv EXTRAS   (EXTRAS: "" or "test")
# PYTHON=/path/to/python3.x picks the interpreter; a .venv made by another Python is recreated.

ensure_venv() {
    local extras="$1" python="${PYTHON:-python3}"
    if ! command -v "$python" >/dev/null 2>&1; then
        echo "error: $python not found; onetlocal needs Python >= 3.11 (set PYTHON=/path/to/python3.11 or newer)" >&2
        exit 1
    fi
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
        echo "error: onetlocal needs Python >= 3.11; $("$python" -V 2>&1) is $(command -v "$python") (set PYTHON=/path/to/python3.11 or newer)" >&2
        exit 1
    fi
    local want have
    want="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    have="$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
    if [ "$have" != "$want" ]; then
        [ -e .venv ] && echo "recreating .venv (it was made by Python ${have:-that no longer runs}; now $want)" >&2
        rm -rf .venv
        "$python" -m venv .venv
    fi
    local stamp spec
    stamp="$(cat pyproject.toml constraints.txt | "$python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')-$want"
    spec="."
    [ -n "$extras" ] && spec=".[$extras]"
    # A test install (extras) also satisfies a plain one.
    if [ "$(cat ".venv/.installed-${extras:-base}" 2>/dev/null)" = "$stamp" ] || \
       { [ -z "$extras" ] && [ "$(cat .venv/.installed-test 2>/dev/null)" = "$stamp" ]; }; then
        return 0
    fi
    echo "installing onetlocal into .venv (once, and again only when pyproject.toml or constraints.txt changes)" >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e "$spec"
    echo "$stamp" > ".venv/.installed-${extras:-base}"
}
