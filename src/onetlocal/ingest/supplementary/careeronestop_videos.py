"""CareerOneStop occupation videos (`careeronestop-videos/career-videos.json`) -> `career_videos`.

Layout: `{"metadata": {..., "total_videos": n}, "videos": {key: {source, videoUrl, posterUrl, title,
lastVerified}}}`, one entry per O*NET-SOC code that has a video. A key is the code in SOC form: `11-1011` is
11-1011.00, `11-1011-03` is 11-1011.03. `videoUrl` is CareerOneStop's CDN file
`.../OccVids/OccupationVideos/<O*NET-SOC code>.mp4`; the code in that file name is the video's own (an occupation may
use another occupation's video: 11-1021 -> 11-1011.00), kept as `video_code`. Links only: the videos are
CareerOneStop's and are never copied. A present file that is not in this layout fails the build.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from onetlocal.errors import BuildError
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Column, write_table

KEY_RE = re.compile(r"^(\d{2}-\d{4})(?:-(\d{2}))?$")
VIDEO_RE = re.compile(r"^https://[^\s?#]+/(\d{2}-\d{4}\.\d{2})\.mp4$")
FIELDS = ("videoUrl", "posterUrl", "title", "lastVerified")

COLUMNS = [
    Column("onetsoc_code", "O*NET-SOC Code", "TEXT", "O*NET-SOC code of the occupation"),
    Column("title", "Title", "TEXT", "Occupation title as given in the source file (a check on the code)"),
    Column(
        "video_code",
        "Video Code",
        "TEXT",
        "O*NET-SOC code naming the video the occupation uses (its file name; may be another occupation's)",
    ),
    Column("video_url", "Video URL", "TEXT", "CareerOneStop CDN URL of the video (.mp4)"),
    Column("poster_url", "Poster URL", "TEXT", "CareerOneStop CDN URL of the video's poster image (.jpg)"),
    Column("last_verified", "Last Verified", "TEXT", "Date the URL was checked by the list's compiler"),
]


def onetsoc_code(key: str) -> str | None:
    """`11-1011` -> 11-1011.00, `11-1011-03` -> 11-1011.03; None for anything else."""
    match = KEY_RE.match(key)
    return f"{match[1]}.{match[2] or '00'}" if match else None


def import_career_videos(conn: sqlite3.Connection, path: Path) -> int:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BuildError(f"{path.name}: not readable JSON ({type(exc).__name__})") from exc
    videos = document.get("videos") if isinstance(document, dict) else None
    if not isinstance(videos, dict):
        raise BuildError(f'{path.name}: no "videos" object')
    declared = (document.get("metadata") or {}).get("total_videos")
    if declared is not None and declared != len(videos):
        raise BuildError(f"{path.name}: metadata says {declared} videos, the file lists {len(videos)}")
    rows, seen = [], set()
    for key, entry in videos.items():
        code = onetsoc_code(key)
        if code is None:
            raise BuildError(f"{path.name}: bad O*NET-SOC code {key!r}")
        if code in seen:
            raise BuildError(f"{path.name}: O*NET-SOC code {code} listed twice")
        seen.add(code)
        if not isinstance(entry, dict) or any(not isinstance(entry.get(f), str) for f in FIELDS):
            raise BuildError(f"{path.name}: {key}: needs the text fields {', '.join(FIELDS)}")
        video = VIDEO_RE.match(entry["videoUrl"])
        if video is None:
            raise BuildError(
                f"{path.name}: {key}: videoUrl {entry['videoUrl']!r} is not an https URL of <O*NET-SOC code>.mp4"
            )
        rows.append([code, entry["title"], video[1], entry["videoUrl"], entry["posterUrl"], entry["lastVerified"]])
    rows.sort(key=lambda r: r[0])
    return write_table(
        conn,
        "career_videos",
        "CareerOneStop Career Videos",
        "Which occupations have a CareerOneStop career video and which video each uses (links to "
        "CareerOneStop's CDN), one row per O*NET-SOC code with a video.",
        COLUMNS,
        rows,
        source="supplementary",
    )


IMPORTERS = [
    SupplementaryImporter("careeronestop_videos", "careeronestop-videos/career-videos.json", import_career_videos),
]
