"""The version of the database layout: written by `onetlocal build`, checked by every reader (`db.open_build`)."""

from __future__ import annotations

#: Bumped whenever the database layout changes, so a cached or old database is rebuilt.
SCHEMA_VERSION = "2"
