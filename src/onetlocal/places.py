"""Place names as the geography importer stores them and the location resolver looks them up."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=None)
def name_key(text: str) -> str:
    """Comparable form of a place or county name: no accents, case, punctuation or control characters."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c) and unicodedata.category(c) != "Cc")
    text = re.sub(r"[.'’`]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^saint ", "st ", re.sub(r" saint ", " st ", f" {text} ")).strip()
