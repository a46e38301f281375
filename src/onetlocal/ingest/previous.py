"""The previous release's activity ids: O*NET 30.3 re-keyed every DWA and IWA (`4.A.2.a.4.I09.D03` became a
content-model id such as `4.A.2.a.4.i.3`), but clients keep sending the old ids. Given a release of the legacy
layout beside the current one, the build pairs each old id with the new one whose title is the same (titles are
unique in both and were kept word for word), so routes that take DWA or IWA ids accept either.
"""

from __future__ import annotations

import sqlite3

from onetlocal.errors import BuildError
from onetlocal.ingest.onet import read_release_file
from onetlocal.ingest.source import ProgressFn, open_release
from onetlocal.ingest.tables import column_id
from onetlocal.releases import CROSSWALK, LEGACY, RELEASE_FILES, detect_layout, file_keys

#: (kind, the previous release's file, its id and title columns, the current service table, its id and title)
_PAIRS = (
    ("dwa", "DWA Reference", "DWA ID", "DWA Title", "dwa_reference", "dwa_id", "dwa_title"),
    ("iwa", "IWA Reference", "IWA ID", "IWA Title", "iwa_reference", "iwa_id", "iwa_title"),
)


def import_previous(conn: sqlite3.Connection, location: str, progress: ProgressFn | None = None) -> dict:
    """The build step for `sources["onet_previous"]`: fill the crosswalk (a no-op when the main release is itself
    of the legacy layout)."""
    layout = conn.execute("SELECT value FROM meta WHERE key = 'onet_layout'").fetchone()
    if layout is None or layout[0] == LEGACY:
        return {}
    specs = {spec.name: spec for spec in RELEASE_FILES if LEGACY in spec.layouts}
    pairs: list[tuple[str | None, str, str]] = []
    unmatched = 0
    missing: list[str] = []
    with open_release(location, progress) as source:
        if detect_layout(set(source.keys())) != LEGACY:
            raise BuildError(f"{source.label}: the previous release must be of the layout before O*NET 30.3")
        for kind, file, id_col, title_col, table, new_id, new_title in _PAIRS:
            if not any(source.has(k) for k in file_keys(specs[file])):  # a partial copy: no ids of this kind
                missing.append(file)
                continue
            if progress:
                progress(f"previous release: {file}", 0, 1)
            header, rows = read_release_file(source, specs[file])
            ids = [column_id(h) for h in header]
            at_id, at_title = ids.index(column_id(id_col)), ids.index(column_id(title_col))
            by_title = {r[1]: r[0] for r in conn.execute(f"SELECT {new_id}, {new_title} FROM {table}")}
            for row in rows:
                match = by_title.get(row[at_title])
                if match is None:
                    unmatched += 1
                elif row[at_id] != match:
                    pairs.append((row[at_id], match, kind))
        checksum = source.checksum()
    conn.executemany(f"INSERT OR REPLACE INTO {CROSSWALK} VALUES (?, ?, ?)", pairs)
    absent = f" (the previous release had no {' or '.join(missing)})" if missing else ""
    return {
        "activity_crosswalk": f"{len(pairs)} ids mapped, {unmatched} without a successor{absent}",
        "checksum": checksum,
    }
