"""OEWS footnotes: the codes the `*_footnote` columns of `oews_wages` hold (kept as BLS publishes them, next to each
value), and the top-coding caps stated in the text of footnote 5. My Next Move (`salary.<key>_over`) and
CareerOneStop (`239,200+`) both read the caps through `top_codes()`.
"""

from __future__ import annotations

import re

#: "This wage is equal to or greater than $115.00 per hour or $239,200 per year."
TOP_CODED = "5"
#: "Estimate not released."
NOT_RELEASED = "8"

_CAP = {
    rate: re.compile(rf"\$([\d,]+(?:\.\d+)?) per {unit}") for rate, unit in (("hourly", "hour"), ("annual", "year"))
}


def top_codes(text: str) -> dict[str, float]:
    """The caps a top-coding footnote states, `{'hourly': 115.0, 'annual': 239200}` (annual in whole dollars); a
    rate the text does not state is left out."""
    caps: dict[str, float] = {}
    for rate, pattern in _CAP.items():
        found = pattern.search(text)
        if found:
            value = float(found.group(1).replace(",", ""))
            caps[rate] = int(value) if rate == "annual" else value
    return caps
