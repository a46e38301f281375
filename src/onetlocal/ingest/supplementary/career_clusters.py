"""Career Clusters: the Advance CTE 2024 framework (14 clusters, 72 sub-clusters; SOC, CIP and NAICS crosswalks)
and the older O*NET 16-cluster / 79-pathway export (kept as history).

Codes. The workbooks give names only. The live v2 service uses 6-digit codes where a cluster code ends in 00
(`010100`) and its sub-clusters share its first four digits (`010101`), so: clusters numbered 1–14 in
alphabetical order (the framework's own listing order) -> `NN0100`; sub-clusters numbered within their cluster in
alphabetical order -> `NN01MM`. Codes are assigned from the SOC workbook only (the one the routes use), so they
are deterministic for a given edition; the CIP/NAICS/full-framework tables keep the names as published.

Names that differ only in letter case within a cluster are one sub-cluster, spelled as most rows spell it (the
2024 SOC workbook has one "water systems" row beside eight "Water Systems" rows under Agriculture: 71
sub-clusters, not 72).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from onetlocal.errors import BuildError
from onetlocal.ingest.readers import read_delimited, read_xlsx, require_columns
from onetlocal.ingest.supplementary import SupplementaryImporter
from onetlocal.ingest.tables import Column, write_table

_SOURCE = "supplementary"
_CLUSTER = Column("cluster", "Career Cluster", "TEXT", "Career Cluster (Advance CTE 2024 framework)")
_SUB = Column("sub_cluster", "Sub-Cluster", "TEXT", "Sub-Cluster")


def cluster_code(n: int) -> str:
    return f"{n:02d}0100"


def sub_cluster_code(n: int, m: int) -> str:
    return f"{n:02d}01{m:02d}"


def _sheet(path: Path, sheet: str, expected: list[str]) -> tuple[dict[str, int], list[list[str | None]]]:
    header, rows = read_xlsx(path, sheet, header_when=lambda r: r[0] is not None and r[0] == expected[0])
    require_columns(f"{path.name}[{sheet}]", header, expected)
    return {h.lower(): i for i, h in enumerate(header)}, rows


def _one_spelling(pairs: list[tuple]) -> list[tuple]:
    """(soc, title, cluster, sub) rows with each sub-cluster name spelled as most rows of its cluster spell it."""
    counts = Counter((p[2], p[3]) for p in pairs)
    best: dict[tuple[str, str], str] = {}
    for (cluster, sub), _count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        best.setdefault((cluster, sub.casefold()), sub)
    out = [(soc, title, cluster, best[(cluster, sub.casefold())]) for soc, title, cluster, sub in pairs]
    return list(dict.fromkeys(out))


def import_soc_clusters(conn: sqlite3.Connection, path: Path) -> int:
    """`career_clusters` (one row per sub-cluster, with codes) and `career_cluster_soc` (SOC x sub-cluster)."""
    idx, rows = _sheet(
        path, "SOC - CC - Sub-Clusters", ["SOC Code", "Occupation Title", "Career Cluster", "Sub-Cluster"]
    )
    pairs = []
    for row in rows:
        soc, cluster, sub = row[idx["soc code"]], row[idx["career cluster"]], row[idx["sub-cluster"]]
        if not (soc and cluster and sub):
            raise BuildError(f"{path.name}: incomplete row {row}")
        pairs.append((soc, row[idx["occupation title"]], cluster, sub))
    pairs = _one_spelling(pairs)
    clusters = sorted({p[2] for p in pairs})
    codes: dict[tuple[str, str], tuple[str, str]] = {}
    for n, cluster in enumerate(clusters, 1):
        for m, sub in enumerate(sorted({p[3] for p in pairs if p[2] == cluster}), 1):
            codes[(cluster, sub)] = (cluster_code(n), sub_cluster_code(n, m))
    cluster_cols = [
        Column("cluster_code", "Career Cluster Code", "TEXT", "6-digit cluster code (assigned at build: NN0100)"),
        Column("cluster", "Career Cluster", "TEXT", "Career Cluster title"),
        Column("sub_cluster_code", "Sub-Cluster Code", "TEXT", "6-digit sub-cluster code (assigned at build: NN01MM)"),
        Column("sub_cluster", "Sub-Cluster", "TEXT", "Sub-Cluster title"),
    ]
    listing = [[c[0], cl, c[1], sub] for (cl, sub), c in sorted(codes.items(), key=lambda kv: kv[1][1])]
    write_table(
        conn,
        "career_clusters",
        "Career Clusters",
        "Advance CTE National Career Clusters Framework (2024): clusters and sub-clusters with their codes.",
        cluster_cols,
        listing,
        source=_SOURCE,
    )
    soc_cols = [
        Column("soc_code", "SOC Code", "TEXT", "2018 SOC code (6-digit); O*NET-SOC codes NN-NNNN.xx join on it"),
        Column("soc_title", "Occupation Title", "TEXT", "2018 SOC title"),
        *cluster_cols,
    ]
    out = [[soc, title, codes[(cl, sub)][0], cl, codes[(cl, sub)][1], sub] for soc, title, cl, sub in pairs]
    return write_table(
        conn,
        "career_cluster_soc",
        "Career Clusters: SOC Crosswalk",
        "2018 SOC occupations in Career Clusters and Sub-Clusters (one row per SOC and sub-cluster).",
        soc_cols,
        out,
        source=_SOURCE,
        indexes=[("sub_cluster_code",), ("cluster_code",)],
    )


def import_cip_clusters(conn: sqlite3.Connection, path: Path) -> int:
    idx, rows = _sheet(
        path, "CIP - CC - Sub-Clusters", ["CIP Code (2020)", "CIP Title (2020)", "Career Cluster", "Sub-Cluster"]
    )
    out = [
        [r[idx["cip code (2020)"]], r[idx["cip title (2020)"]], r[idx["career cluster"]], r[idx["sub-cluster"]]]
        for r in rows
    ]
    columns = [
        Column("cip_code", "CIP Code (2020)", "TEXT", "CIP 2020 program code"),
        Column("cip_title", "CIP Title (2020)", "TEXT", "CIP 2020 program title"),
        _CLUSTER,
        _SUB,
    ]
    return write_table(
        conn,
        "career_cluster_cip",
        "Career Clusters: CIP Crosswalk",
        "CIP 2020 programs in Career Clusters and Sub-Clusters (Advance CTE 2024 framework).",
        columns,
        out,
        source=_SOURCE,
        indexes=[("cip_code",)],
    )


def import_naics_clusters(conn: sqlite3.Connection, path: Path) -> int:
    idx, rows = _sheet(
        path, "CC - Sub-Cluster - NAICS", ["Career Cluster", "Sub-Cluster", "2-Digit NAICS", "NAICS title"]
    )
    out = [
        [r[idx["career cluster"]], r[idx["sub-cluster"]], r[idx["2-digit naics"]], r[idx["naics title"]]]
        for r in rows
        if r[idx["career cluster"]]
    ]
    columns = [
        _CLUSTER,
        _SUB,
        Column("naics_code", "2-Digit NAICS", "TEXT", "NAICS sector (e.g. 31-33)"),
        Column("naics_title", "NAICS Title", "TEXT", "NAICS sector title"),
    ]
    return write_table(
        conn,
        "career_cluster_naics",
        "Career Clusters: NAICS Crosswalk",
        "NAICS sectors linked to Career Clusters and Sub-Clusters (Advance CTE 2024 framework).",
        columns,
        out,
        source=_SOURCE,
    )


def import_full_framework(conn: sqlite3.Connection, path: Path) -> int:
    expected = [
        "Career Cluster",
        "Sub-Cluster",
        "SOC Code",
        "Occupation Title",
        "CIP Code (2020)",
        "CIP Title (2020)",
        "2-Digit NAICS",
        "NAICS title",
    ]
    idx, rows = _sheet(path, "SOC - CIP - CC", expected)
    keys = [e.lower() for e in expected]
    out = [[r[idx[k]] for k in keys] for r in rows if r[idx["soc code"]]]  # cluster-only heading rows dropped
    columns = [
        _CLUSTER,
        _SUB,
        Column("soc_code", "SOC Code", "TEXT", "2018 SOC code"),
        Column("soc_title", "Occupation Title", "TEXT", "2018 SOC title"),
        Column("cip_code", "CIP Code (2020)", "TEXT", "CIP 2020 program code"),
        Column("cip_title", "CIP Title (2020)", "TEXT", "CIP 2020 program title"),
        Column("naics_code", "2-Digit NAICS", "TEXT", "NAICS sector"),
        Column("naics_title", "NAICS Title", "TEXT", "NAICS sector title"),
    ]
    return write_table(
        conn,
        "career_cluster_framework",
        "Career Clusters: Full Framework Crosswalk",
        "SOC x CIP x NAICS links per Career Cluster and Sub-Cluster (Advance CTE 2024 framework).",
        columns,
        out,
        source=_SOURCE,
        indexes=[("cip_code",)],
    )


def import_clusters_16(conn: sqlite3.Connection, path: Path) -> int:
    """The pre-2024 O*NET export: parallel '; '-joined cluster and pathway lists, one row per occupation."""
    header, rows = read_delimited(path)
    require_columns(path.name, header, ["Career Cluster", "Career Pathway", "Code", "Occupation"])
    idx = {h.lower(): i for i, h in enumerate(header)}
    out = []
    for row in rows:
        clusters = [c.strip() for c in (row[idx["career cluster"]] or "").split(";")]
        pathways = [p.strip() for p in (row[idx["career pathway"]] or "").split(";")]
        if len(clusters) != len(pathways):
            raise BuildError(f"{path.name}: clusters and pathways differ in number for {row[idx['code']]}")
        for cluster, pathway in dict.fromkeys(zip(clusters, pathways, strict=True)):
            out.append([row[idx["code"]], row[idx["occupation"]], cluster, pathway])
    columns = [
        Column("onetsoc_code", "Code", "TEXT", "O*NET-SOC code"),
        Column("title", "Occupation", "TEXT", "Occupation title"),
        Column("cluster", "Career Cluster", "TEXT", "Career Cluster (16-cluster framework)"),
        Column("pathway", "Career Pathway", "TEXT", "Career Pathway (79-pathway framework)"),
    ]
    return write_table(
        conn,
        "career_clusters_16",
        "Career Clusters (16-cluster framework, history)",
        "O*NET occupations in the pre-2024 16 Career Clusters and 79 Pathways (one row per occupation and pathway).",
        columns,
        out,
        source=_SOURCE,
    )


_DIR = "advancecte-career-clusters-2024"

IMPORTERS = [
    SupplementaryImporter("career_clusters", f"{_DIR}/SOC_Career_Clusters_Crosswalk.xlsx", import_soc_clusters),
    SupplementaryImporter("career_cluster_cip", f"{_DIR}/CIP_Career_Clusters_Crosswalk.xlsx", import_cip_clusters),
    SupplementaryImporter("career_cluster_naics", f"{_DIR}/NAICS_Subclusters_Crosswalk.xlsx", import_naics_clusters),
    SupplementaryImporter("career_cluster_framework", f"{_DIR}/Full_Framework_Crosswalk.xlsx", import_full_framework),
    SupplementaryImporter("career_clusters_16", "onet-career-clusters-16/All_Career_Clusters.csv", import_clusters_16),
]
