"""Issue 22 item 7: a 503 about the database names no path in its body; the server log keeps the path."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from starlette.testclient import TestClient

from onetlocal.app import create_app
from onetlocal.config import Settings
from onetlocal.errors import DatabaseMissing, SchemaMismatch
from onetlocal.http.errors import public_message

PATHS = [
    "/about/",
    "/online/search?keyword=nurse",
    "/v1/occupation/x/15-1252.00/US",
    "/ui/api/mnm/interestprofiler/job_zones",
]  # the UI proxy forwards only the routes its page calls


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _old_build(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.close()
    return path


@pytest.mark.parametrize("kind", ["missing", "other schema", "not a database"])
def test_database_503s_name_no_path(tmp_path, kind):
    folder = tmp_path / "secret place"
    folder.mkdir()
    db = folder / "onet.sqlite"
    if kind == "other schema":
        _old_build(db)
    elif kind == "not a database":
        db.write_bytes(b"x" * 4096)
    app = create_app(Settings(db_path=db, keys_db_path=tmp_path / "keys.sqlite", auth=False, rate_limit=None))
    logged = _Lines()
    logging.getLogger("onetlocal").addHandler(logged)  # not caplog: configure_logging stops propagation
    with TestClient(app) as client:
        for path in PATHS:
            answer = client.get(path)
            assert answer.status_code == 503, (path, answer.text)
            assert "secret" not in answer.text and str(tmp_path) not in answer.text, (path, answer.text)
            message = answer.json().get("error") or answer.json()["Message"]
            assert "database" in message
    logging.getLogger("onetlocal").removeHandler(logged)
    assert any(str(db) in line for line in logged.lines)  # the operator still learns which file


def test_public_message_keeps_the_gist():
    old = SchemaMismatch("/srv/o net/onet.sqlite", "3", "7", program="onetlocal")
    assert public_message(old) == (
        "the database was built by an older onetlocal version (schema 3, this one reads "
        "7): rebuild it with `onetlocal build`"
    )
    missing = DatabaseMissing("no database at /srv/onet.sqlite: run `onetlocal build` first")
    assert public_message(missing) == "no database: run `onetlocal build` first"
    changed = DatabaseMissing("the database file changed during the request; retry")
    assert public_message(changed) == changed.message
    odd = DatabaseMissing("cannot open /var/lib/onet/onet.sqlite now")
    assert "/var" not in public_message(odd)
