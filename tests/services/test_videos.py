"""services/videos.py on both builds: every occupation's video as the CareerOneStop video list gives it, and none for
the others."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED, read_release
from onetlocal.context import Ctx
from onetlocal.db import Database
from onetlocal.services import videos

VIDEOS = SHARED / "supplementary" / "careeronestop-videos" / "career-videos.json"


def file_entries() -> dict[str, dict]:
    """O*NET-SOC code -> the file's entry (key `11-1011` is 11-1011.00, `11-1011-03` is 11-1011.03)."""
    entries = json.loads(VIDEOS.read_text(encoding="utf-8"))["videos"]
    return {f"{key[:7]}.{key[8:] or '00'}": entry for key, entry in entries.items()}


@pytest.fixture(scope="module", params=["db_path", "current_db_path"])
def any_ctx(request) -> Ctx:
    return Ctx(db=Database(request.getfixturevalue(request.param)))


def test_every_occupation_has_the_video_of_the_file(any_ctx):
    expected = file_entries()
    titles = {r["O*NET-SOC Code"]: r["Title"] for r in read_release("Occupation Data")}
    for code in titles:
        video = videos.video(any_ctx, code)
        entry = expected.get(code)
        if entry is None:
            assert video is None, code
            continue
        assert video.url == entry["videoUrl"] and video.poster_url == entry["posterUrl"]
        assert entry["videoUrl"].endswith(f"/{video.code}.mp4")
        if video.code in titles:
            assert video.title == titles[video.code]
    assert len([c for c in titles if videos.video(any_ctx, c)]) == 877


def test_a_video_of_another_occupation(any_ctx):
    video = videos.video(any_ctx, "11-1021.00")  # General and Operations Managers use the Chief Executives video
    assert (video.code, video.title) == ("11-1011.00", "Chief Executives")
    # 51-9131.04 is no code of the release: its title is the newest O*NET-SOC taxonomy's that has it (2000)
    video = videos.video(any_ctx, "51-9151.00")
    assert (video.code, video.title) == ("51-9131.04", "Film Laboratory Technicians")
    assert videos.video(any_ctx, "11-3071.00") is None and videos.video(any_ctx, "99-9999.00") is None
