"""The lists with no machine-readable public download ship in the package (`onetlocal/data/`, issue 19 item 1):
the 60 Interest Profiler items and the Mi Próximo Paso sample, each with its provenance and licence. A build with no
supplementary folder imports them, so the Interest Profiler works from public sources alone; a folder's own copy
wins."""

from __future__ import annotations

import csv
import hashlib

from conftest import require_source, sql
from fixtures import RELEASE
from onetlocal.ingest import build
from onetlocal.ingest.supplementary import PACKAGED, importers, source_of

SEED_ANSWERS = "553421321134342523523523254115342111351145453111231155343444"  # the Web Services manual's example
LICENCES = {"interest-profiler": "O*NET Career Exploration Tools licence", "mpp-spanish-sample": "CC BY 4.0"}


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_the_package_ships_exactly_the_two_small_lists_each_with_provenance_licence_and_checksum():
    shipped = {source_of(imp) for imp in importers() if (PACKAGED / imp.path).exists()}
    assert shipped == set(LICENCES) == {p.name for p in PACKAGED.iterdir()}
    for name, licence in LICENCES.items():
        folder = PACKAGED / name
        provenance = (folder / "PROVENANCE.md").read_text()
        (data,) = folder.glob("*.tsv")
        assert licence in provenance and "USDOL/ETA" in provenance
        assert hashlib.sha256(data.read_bytes()).hexdigest() in provenance
    assert sum(p.stat().st_size for p in PACKAGED.rglob("*") if p.is_file()) < 60_000  # small lists, never big data


def test_the_packaged_lists_are_the_data_folders_copies():
    folder = require_source("supplementary")
    for imp in importers():
        if (PACKAGED / imp.path).exists():
            assert (PACKAGED / imp.path).read_bytes() == (folder / imp.path).read_bytes(), imp.path


def test_a_build_without_a_supplementary_folder_reads_the_packaged_lists(public_db_path):
    meta = dict(sql(public_db_path, "SELECT key, value FROM meta"))
    assert meta["supplementary_packaged"].split(",") == ["interest_profiler", "mpp_spanish"]
    assert meta["supplementary_imported"] == meta["supplementary_packaged"]
    assert "bright_outlook" in meta["supplementary_absent"].split(",")
    items = _rows(PACKAGED / "interest-profiler" / "ip-short-form-60.tsv")
    stored = sql(public_db_path, 'SELECT "index", area_title, text FROM ip_questions ORDER BY "index"')
    assert stored == [(int(r["index"]), r["area"], r["text"]) for r in items] and len(stored) == 60
    careers = _rows(PACKAGED / "mpp-spanish-sample" / "mpp_sample_52.tsv")
    titles = dict(sql(public_db_path, "SELECT onetsoc_code, title FROM mpp_careers"))
    assert titles == {r["onetsoc_code"]: r["title_es"] for r in careers} and len(titles) == 52


def test_the_interest_profiler_answers_from_public_sources_alone(public_client):
    items = _rows(PACKAGED / "interest-profiler" / "ip-short-form-60.tsv")
    questions = public_client.get("/mnm/interestprofiler/questions", params={"end": 60})
    assert questions.status_code == 200, questions.text
    assert [q["text"] for q in questions.json()["question"]] == [r["text"] for r in items]
    careers = public_client.get("/mnm/interestprofiler/careers", params={"answers": SEED_ANSWERS})
    assert careers.status_code == 200, careers.text
    # the manual's example: its top matches are Dancers and Skincare Specialists
    assert [c["title"] for c in careers.json()["career"][:2]] == ["Dancers", "Skincare Specialists"]
    nurse = public_client.get("/mpp/careers/29-1141.00/").json()
    spanish = {r["onetsoc_code"]: r["title_es"] for r in _rows(PACKAGED / "mpp-spanish-sample" / "mpp_sample_52.tsv")}
    assert nurse["title"] == spanish["29-1141.00"]
    # a source that is not there still answers "no data", marked for the web UI
    missing = public_client.get("/veterans/military", params={"keyword": "68W"})
    assert missing.status_code == 422 and missing.headers["X-Onetlocal-No-Data"] == "military_crosswalk"


def test_a_supplementary_folders_own_copy_wins(tmp_path):
    folder = tmp_path / "supplementary" / "interest-profiler"
    folder.mkdir(parents=True)
    text = (PACKAGED / "interest-profiler" / "ip-short-form-60.tsv").read_text()
    first = _rows(PACKAGED / "interest-profiler" / "ip-short-form-60.tsv")[0]["text"]
    (folder / "ip-short-form-60.tsv").write_text(text.replace(first, "Build cabinets in a local copy", 1))
    target = tmp_path / "x.sqlite"
    meta = build(target, {"onet": str(RELEASE), "supplementary": str(folder.parent)})
    assert meta["supplementary_packaged"] == "mpp_spanish"
    assert sql(target, 'SELECT text FROM ip_questions WHERE "index" = 1') == [("Build cabinets in a local copy",)]


def test_without_census_files_a_state_is_no_data_not_an_unknown_location(public_client):
    """CareerOneStop on a build of the release alone: the nation answers; a state, ZIP code or city names the
    missing Census files (400 there, with the no-data header), never "unknown location"."""
    headers = {"Authorization": "Bearer anything"}
    national = public_client.get("/v1/occupation/u/15-1252.00/US", headers=headers)
    assert national.status_code == 200, national.text
    for place in ("IL", "Illinois", "61299", "Chicago, IL"):
        answer = public_client.get(f"/v1/occupation/u/15-1252.00/{place}", headers=headers)
        assert answer.status_code == 400, answer.text
        assert "data not available in this build (missing geo_states" in answer.json()["Message"]
        assert answer.headers["x-onetlocal-no-data"] == "geo_states"
