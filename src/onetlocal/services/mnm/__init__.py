"""My Next Move and its mirrors: the same career-exploration services under three sites (spec §3).

`/mnm/` (My Next Move), `/mpp/` (Mi Próximo Paso: Spanish texts where the data has them) and `/veterans/`
(My Next Move for Veterans: plus the military search and the `in_the_military` section). Each route family is
declared once and mounted for every row of `SITES`; a service takes the `Site` it answers for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    name: str  # the path segment: "mnm", "mpp", "veterans"
    title: str
    language: str  # "en" or "es": the language of the texts this site answers in, where the data has them

    @property
    def prefix(self) -> str:
        return f"/{self.name}/"


MNM = Site("mnm", "My Next Move", "en")
MPP = Site("mpp", "Mi Próximo Paso", "es")
VETERANS = Site("veterans", "My Next Move for Veterans", "en")

SITES: dict[str, Site] = {site.name: site for site in (MNM, MPP, VETERANS)}
