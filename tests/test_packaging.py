"""Packaging: the wheel (`pip install .`) works from any directory and as `python -m onetlocal`; the Dockerfile and
compose.yaml are linted here (the image is not built in the tests) and name only commands and options the CLI has."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest
import yaml

from fixtures import free_port, zip_release
from onetlocal.cli import main

REPO = Path(__file__).resolve().parents[1]


def _check_cli(args: list[str]) -> None:
    """`args` (after `onetlocal`) parse with the CLI's own parser: the command exists, every option too."""
    command: click.Command = main
    rest = list(args)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        name = rest.pop(0)
        assert name in command.commands, f"no command {name!r} in `onetlocal`"
        command = command.commands[name]
    command.make_context(
        command.name or "onetlocal", [a for a in rest if a != "--version"] if command is main else rest
    )


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            rows.append((instruction.upper(), rest.strip()))
    return rows


def _exec_form(value: str) -> list[str]:
    import json

    return json.loads(value) if value.startswith("[") else shlex.split(value)


def test_dockerfile_is_slim_non_root_with_a_healthcheck_and_a_real_entrypoint():
    rows = _dockerfile()
    known = {
        "FROM",
        "ARG",
        "ENV",
        "RUN",
        "COPY",
        "WORKDIR",
        "USER",
        "VOLUME",
        "EXPOSE",
        "HEALTHCHECK",
        "ENTRYPOINT",
        "CMD",
        "LABEL",
    }
    assert {i for i, _ in rows} <= known
    final = rows[max(i for i, (ins, _) in enumerate(rows) if ins == "FROM") :]
    assert final[0][1].split()[0].endswith("-slim")
    users = [arg for ins, arg in final if ins == "USER"]
    assert users and users[-1] not in ("root", "0")
    health = next(arg for ins, arg in final if ins == "HEALTHCHECK")
    assert "/healthz" in health and "CMD" in health
    entrypoint = _exec_form(next(arg for ins, arg in final if ins == "ENTRYPOINT"))
    cmd = _exec_form(next(arg for ins, arg in final if ins == "CMD"))
    assert entrypoint == ["onetlocal"]
    _check_cli(cmd)
    assert cmd[0] == "serve" and "0.0.0.0" in cmd
    port = next(arg for ins, arg in final if ins == "EXPOSE")
    assert cmd[cmd.index("--port") + 1] == port and port in health
    # Every onetlocal command run at image build exists too.
    for ins, arg in final:
        if ins == "RUN":
            for call in re.findall(r"onetlocal ([a-z][^;&|]*)", arg):
                _check_cli(shlex.split(call))
    # the wheel stage copies every file the build reads (pyproject's readme and licence files too)
    copied = {name for ins, arg in rows if ins == "COPY" and "--from" not in arg for name in arg.split()[:-1]}
    assert {"pyproject.toml", "README.md", "LICENSE", "src"} <= copied


def test_dockerignore_keeps_environments_build_outputs_and_databases_out_of_the_context():
    patterns = [
        line.strip() for line in (REPO / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")
    ]
    for needed in (".venv", ".git", "build", "dist", "**/*.egg-info", "**/*.sqlite", "**/*.sqlite.gz", "tests"):
        assert needed in patterns, needed
    assert not any(p in ("src", "src/onetlocal/data") or p.startswith("src/") for p in patterns)  # the image needs src


def test_compose_runs_replicas_behind_a_proxy_sharing_redis():
    doc = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = doc["services"]
    assert {"redis", "api", "proxy"} <= set(services)
    api = services["api"]
    assert str(api["deploy"]["replicas"]).startswith("${API_REPLICAS:-") or int(api["deploy"]["replicas"]) >= 2
    assert api["environment"]["ONETLOCAL_REDIS_URL"].startswith("redis://redis:")
    assert any(v.endswith(":/data:ro") for v in api["volumes"])  # each replica reads the database, read-only
    assert api["depends_on"]["redis"]["condition"] == "service_healthy"
    _check_cli([re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", a) for a in api["command"]])  # ${VAR:-default} -> default
    assert "--host" in api["command"] and api["command"][api["command"].index("--host") + 1] == "0.0.0.0"
    proxy_conf = (REPO / services["proxy"]["volumes"][0].split(":")[0]).read_text()
    assert "proxy_pass http://onetlocal_api" in proxy_conf and "server api:8080" in proxy_conf
    init = services["init"]
    assert "onetlocal build" in " ".join(init["entrypoint"])
    # the base URL defaults to this machine: the file says PUBLIC_URL must be set for any other one
    assert "${PUBLIC_URL:-http://127.0.0.1:8080}" in api["command"]
    assert re.search(r"#.*PUBLIC_URL must be set for any machine but this one", (REPO / "compose.yaml").read_text())
    for name, service in services.items():
        assert "image" in service or "build" in service, name


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--wheel-dir",
            str(out),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 and "setuptools" in result.stderr:  # no setuptools in the venv: isolated build
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--wheel-dir", str(out), str(REPO)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr
    return next(out.glob("onetlocal-*.whl"))


def test_wheel_holds_every_package_data_file_the_licence_and_the_entry_point(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    src = REPO / "src"
    for path in src.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".json", ".sql", ".html") and "__pycache__" not in path.parts:
            assert str(path.relative_to(src)) in names, path
    # the lists shipped with their provenance and licence (ingest.supplementary.PACKAGED)
    for path in (src / "onetlocal" / "data").rglob("*"):
        if path.is_file():
            assert str(path.relative_to(src)) in names, path
    licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
    assert zipfile.ZipFile(wheel).read(licence) == (REPO / "LICENSE").read_bytes()
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "onetlocal = onetlocal.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_the_sdist_holds_the_licence_and_the_shipped_lists(tmp_path):
    """The source archive as `python -m build --sdist` makes it (setuptools' PEP 517 hook, run on a copy of the
    tracked files so the tree gets no egg-info)."""
    tree = tmp_path / "tree"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (REPO / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            (tree / name).write_bytes((REPO / name).read_bytes())
    env = dict(os.environ)
    import setuptools

    if int(setuptools.__version__.split(".")[0]) < 77:  # pyproject's build requirement (PEP 639 licence fields)
        backend = tmp_path / "backend"  # what pip's build isolation would install, as the wheel fixture falls back to
        pip = [sys.executable, "-m", "pip", "install", "-q", "--target", str(backend), "setuptools>=77"]
        installed = subprocess.run(pip, capture_output=True, text=True, timeout=300)
        assert installed.returncode == 0, installed.stderr
        env["PYTHONPATH"] = str(backend)
    code = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    made = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "dist")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    import tarfile

    with tarfile.open(tmp_path / "dist" / made.stdout.strip().splitlines()[-1]) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert "LICENSE" in names
    assert {
        "src/onetlocal/data/interest-profiler/ip-short-form-60.tsv",
        "src/onetlocal/data/interest-profiler/PROVENANCE.md",
        "src/onetlocal/data/mpp-spanish-sample/mpp_sample_52.tsv",
        "src/onetlocal/data/mpp-spanish-sample/PROVENANCE.md",
    } <= names


def test_the_installed_wheel_serves_from_any_directory(wheel, tmp_path):
    """The wheel unpacked alone on sys.path (not the source tree): `python -m onetlocal serve` from another
    directory builds a database and answers."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONETLOCAL_", "ONET_"))}
    env.update(PYTHONPATH=str(site), ONET_SOURCE=str(zip_release(tmp_path / "r.zip")))
    where = subprocess.run(
        [sys.executable, "-c", "import onetlocal, sys; print(onetlocal.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip().startswith(str(site)), where.stdout
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "onetlocal",
            "serve",
            "--db",
            str(tmp_path / "db" / "o.sqlite"),
            "--no-auth",
            "--port",
            str(port),
        ],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    import signal
    import time

    import httpx

    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                docs = httpx.get(f"http://127.0.0.1:{port}/docs", timeout=2)
                if docs.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert httpx.get(f"http://127.0.0.1:{port}/docs/swagger-ui-bundle.js", timeout=5).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/about/", timeout=5).status_code == 200
    finally:
        os.kill(proc.pid, signal.SIGINT)
        proc.communicate(timeout=30)
