"""SQL text that both the build and the services write: identifiers of our own schema, quoted."""

from __future__ import annotations


def quote(identifier: str) -> str:
    """Quote an identifier that comes from our own schema (never from user text)."""
    return '"' + identifier.replace('"', '""') + '"'
