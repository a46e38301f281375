"""Place names as the geography importer stores them and the location resolver looks them up."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Names remembered (the importer repeats the same few thousand; a request's city is client text: bounded).
CACHE_SIZE = 1 << 16


@lru_cache(maxsize=CACHE_SIZE)
def name_key(text: str) -> str:
    """Comparable form of a place or county name: no accents, case, punctuation or control characters."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cc")
    text = re.sub(r"[.'’`]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^saint ", "st ", re.sub(r" saint ", " st ", f" {text} ")).strip()
