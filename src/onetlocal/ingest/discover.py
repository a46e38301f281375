"""Which release of a numbered source (O*NET) `fetch` downloads: the one pinned with `--release`, else the newest.

The newest is read from the links of the site's page (the O*NET database page links `db_31_0_text.zip` and
`db_31_0_csv.zip`); when the page cannot be read or links none, the download URL pattern is probed upward from the
newest release the manifest knows (31.1, else 32.0; from a hit, on again), stopping when both miss; when that finds
nothing newer either, the manifest's newest is fetched. A release the manifest knows comes from its entry (with any
pinned checksum); a newer one from the URL found, unchecked (nothing to check it against).

Decisions:
- Discovery only chooses what to download: one attempt per URL, a short timeout, and probing stops at the first
  answer that is not a plain hit or miss (a name that does not resolve, a refused connection, a 5xx). Offline it
  falls back to the manifest at once, and the report line says which release was taken and why.
- A probe hit must be a 2xx that is not an HTML page (some sites answer "not found" pages with 200); HEAD first,
  a GET's headers when the server refuses HEAD.
- A pinned release the manifest does not know is taken from the URL pattern if it answers there, else refused with
  one line (a typo must not download nothing quietly).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit

import httpx

from onetlocal.errors import BuildError
from onetlocal.ingest.manifest import FileSpec, Site, SourceSpec, Version, parse_version, version_text

LATEST = "latest"
_LINK = re.compile(r"""href\s*=\s*["']?([^"'\s>]*?db_(\d+)_(\d+)_(text|csv)\.zip)""", re.IGNORECASE)
_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_MAX_STEPS = 12  # probing never walks further than this many releases up


def check_release(text: str) -> str:
    """`text` if it is 'latest' or a version like 31.0; else a BuildError saying what is expected."""
    if text.strip().lower() == LATEST:
        return LATEST
    if parse_version(text) is None:
        raise BuildError(f"release {text!r}: expected '{LATEST}' or a version like 31.0")
    return text.strip()


def page_links(site: Site, client: httpx.Client) -> dict[Version, str]:
    """{version: download URL} linked from the site's page (its edition preferred, else CSV); {} if unreadable."""
    try:
        response = client.get(site.page, timeout=_TIMEOUT)
    except httpx.HTTPError:
        return {}
    if response.status_code != 200:
        return {}
    by_version: dict[Version, dict[str, str]] = {}
    for match in _LINK.finditer(response.text):
        url = urljoin(str(response.url), html.unescape(match[1]))
        by_version.setdefault((int(match[2]), int(match[3])), {}).setdefault(match[4].lower(), url)
    return {v: eds.get(site.edition) or eds.get("text") or eds["csv"] for v, eds in by_version.items()}


def answers(url: str, client: httpx.Client) -> bool | None:
    """Whether `url` serves a download: True; False for a 4xx or an HTML page; None when unreachable or a 5xx."""
    try:
        response = client.head(url, timeout=_TIMEOUT)
        if response.status_code in (405, 501):  # HEAD refused: the headers of a GET, body left unread
            with client.stream("GET", url, timeout=_TIMEOUT) as response:
                pass
    except httpx.HTTPError:
        return None
    if response.status_code >= 500:
        return None
    html_page = response.headers.get("content-type", "").lower().startswith("text/html")
    return 200 <= response.status_code < 300 and not html_page


def probe(site: Site, start: Version, client: httpx.Client) -> Version | None:
    """The newest release above `start` at the site's URL pattern: the next minor, else the next major, on from
    each hit, until both miss (or one cannot be reached)."""
    found, current = None, start
    for _ in range(_MAX_STEPS):
        for candidate in ((current[0], current[1] + 1), (current[0] + 1, 0)):
            hit = answers(site.url(candidate), client)
            if hit is None:
                return found
            if hit:
                found = current = candidate
                break
        else:
            return found
    return found


def _newest(source: SourceSpec, client: httpx.Client) -> tuple[Version, str | None, str]:
    """(version, URL when the manifest does not know it, how it was found)."""
    known = source.releases[-1].version
    if source.site is None:
        return known, None, "the newest the manifest knows"
    links = page_links(source.site, client)
    if links:
        top = max(links)
        if top > known:
            return top, links[top], f"newest on {source.site.page}"
        return known, None, f"newest on {source.site.page}" if top == known else "the newest the manifest knows"
    probed = probe(source.site, known, client)
    if probed is not None:
        return probed, source.site.url(probed), f"found at the download URL ({source.site.page} unreadable)"
    return known, None, "the newest the manifest knows; none newer found online"


def choose(source: SourceSpec, release: str, client: httpx.Client) -> SourceSpec:
    """`source` holding the files of `release` ('latest' or a version like 31.0); a source without releases is
    returned as is. A pinned release that is neither in the manifest nor at the site's URL is a BuildError."""
    if not source.releases:
        return source
    known = {r.version: r for r in source.releases}
    url: str | None
    if check_release(release) == LATEST:
        version, url, how = _newest(source, client)
    else:
        pinned = parse_version(release)
        assert pinned is not None  # check_release accepted it
        version, url, how = pinned, None, "pinned"
        if version not in known:
            names = ", ".join(map(version_text, known))
            if source.site is None:
                raise BuildError(f"{source.name} release {release}: not in the manifest (it knows {names})")
            url = source.site.url(version)
            hit = answers(url, client)
            if not hit:
                where = "not found at" if hit is False else "cannot reach"
                raise BuildError(
                    f"{source.name} release {release}: not in the manifest (it knows {names}) and {where} {url}"
                )
    if version in known:
        entry = known[version]
        return replace(
            source, files=entry.files, title=entry.title or source.title, release=f"{version_text(version)}, {how}"
        )
    assert url is not None  # a version the manifest does not know was found (or checked) at a URL
    name = PurePosixPath(urlsplit(url).path).name
    return replace(
        source,
        files=(FileSpec(path=name, urls=(url,)),),
        title=f"{source.name} {version_text(version)}",
        release=f"{version_text(version)}, {how}",
    )
