"""CareerOneStop career videos: which occupations have one and which video each uses (the `career_videos` table of
`ingest/supplementary/careeronestop_videos.py`), for CareerOneStop's `Video` / `COSVideoURL` and My Next Move's
`career_video`.

Decisions:
- The video's code is the O*NET-SOC code its file is named by (`.../OccupationVideos/11-1011.00.mp4`): an occupation
  may use another's video (11-1021.00 General and Operations Managers -> 11-1011.00), as CareerOneStop says ("not a
  one-to-one correspondence").
- Its title is the O*NET title of that code: the loaded release's, else that of the newest O*NET-SOC taxonomy holding
  the code (51-9131.04, an O*NET-SOC 2000 code: "Film Laboratory Technicians"), else null.
- The URL is the list's CDN URL of the .mp4 (links only; the videos are CareerOneStop's).
- Without the table (the file was absent at build) no occupation has a video.
"""

from __future__ import annotations

from dataclasses import dataclass

from onetlocal.context import Ctx
from onetlocal.services import common


@dataclass(frozen=True)
class Video:
    code: str  # the O*NET-SOC code naming the video
    title: str | None  # that code's O*NET title
    url: str
    poster_url: str


def _title(ctx: Ctx, code: str) -> str | None:
    occupation = common.occupations(ctx).get(code)
    if occupation:
        return occupation["title"]
    if ctx.db.table_exists("taxonomy_occupations"):
        return ctx.db.scalar(
            "SELECT title FROM taxonomy_occupations WHERE onetsoc_code = ? ORDER BY taxonomy DESC LIMIT 1", (code,)
        )
    return None


def videos(ctx: Ctx) -> dict[str, Video]:
    """O*NET-SOC code -> its video, for every occupation the list names."""

    def load() -> dict[str, Video]:
        if not ctx.db.table_exists("career_videos"):
            return {}
        rows = ctx.db.all("SELECT onetsoc_code, video_code, video_url, poster_url FROM career_videos")
        titles = {code: _title(ctx, code) for code in {r["video_code"] for r in rows}}
        return {
            r["onetsoc_code"]: Video(r["video_code"], titles[r["video_code"]], r["video_url"], r["poster_url"])
            for r in rows
        }

    return ctx.db.memo("videos", load)


def video(ctx: Ctx, code: str) -> Video | None:
    return videos(ctx).get(code)
