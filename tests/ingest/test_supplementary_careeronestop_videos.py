"""The CareerOneStop video list (careeronestop-videos/career-videos.json) as imported: every entry, checked against the
file; a malformed file fails the build in one line; an absent one is recorded and skipped."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import SHARED, sql
from onetlocal.errors import BuildError
from onetlocal.ingest.supplementary import import_supplementary
from onetlocal.ingest.supplementary.careeronestop_videos import import_career_videos
from onetlocal.ingest.tables import META_SCHEMA

VIDEOS = SHARED / "supplementary" / "careeronestop-videos" / "career-videos.json"


def file_entries() -> dict[str, dict]:
    """O*NET-SOC code -> the file's entry (key `11-1011` is 11-1011.00, `11-1011-03` is 11-1011.03)."""
    entries = json.loads(VIDEOS.read_text(encoding="utf-8"))["videos"]
    return {f"{key[:7]}.{key[8:] or '00'}": entry for key, entry in entries.items()}


@pytest.mark.parametrize("build", ["db_path", "current_db_path"])
def test_table_is_the_file(request, build):
    rows = sql(
        request.getfixturevalue(build),
        "SELECT onetsoc_code, title, video_code, video_url, poster_url, last_verified FROM career_videos",
    )
    expected = file_entries()
    assert len(rows) == len(expected) == 877
    for code, title, video_code, url, poster, verified in rows:
        entry = expected[code]
        assert (title, url, poster, verified) == (
            entry["title"],
            entry["videoUrl"],
            entry["posterUrl"],
            entry["lastVerified"],
        )
        assert url.endswith(f"/{video_code}.mp4")
    assert dict((r[0], r[2]) for r in rows)["11-1021.00"] == "11-1011.00"  # another occupation's video


def _target() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(META_SCHEMA)
    return conn


GOOD = {
    "videoUrl": "https://cdn.careeronestop.org/OccVids/OccupationVideos/11-1011.00.mp4",
    "posterUrl": "https://cdn.careeronestop.org/OccVids/OccupationVideos/11-1011.00.jpg",
    "title": "Chief Executives",
    "lastVerified": "2026-01-07",
}


@pytest.mark.parametrize(
    "document,message",
    [
        ("not json", r"v\.json: not readable JSON"),
        ({"metadata": {}}, r'v\.json: no "videos" object'),
        ({"metadata": {"total_videos": 2}, "videos": {"11-1011": GOOD}}, r"metadata says 2 videos, the file lists 1"),
        ({"videos": {"11-1011.00": GOOD}}, r"bad O\*NET-SOC code '11-1011\.00'"),
        (
            {"videos": {"11-1011": {**GOOD, "videoUrl": "https://cdn.example/x.mp4"}}},
            r"11-1011: videoUrl .* not an https",
        ),
        ({"videos": {"11-1011": {k: v for k, v in GOOD.items() if k != "title"}}}, r"11-1011: needs the text fields"),
    ],
)
def test_malformed_file(tmp_path, document, message):
    path = tmp_path / "v.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    with pytest.raises(BuildError, match=message) as err:
        import_career_videos(_target(), path)
    assert "\n" not in str(err.value)


def test_a_small_file_in_the_layout(tmp_path):
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"videos": {"11-1021": GOOD, "11-1011-03": {**GOOD, "title": "CSOs"}}}))
    conn = _target()
    assert import_career_videos(conn, path) == 2
    assert conn.execute("SELECT onetsoc_code, video_code FROM career_videos").fetchall() == [
        ("11-1011.03", "11-1011.00"),
        ("11-1021.00", "11-1011.00"),
    ]


def test_absent_file_is_recorded(tmp_path):
    meta = import_supplementary(_target(), tmp_path / "nothing-here")
    assert "careeronestop_videos" in meta["supplementary_absent"].split(",")
