"""API keys: stored only as sha256 hashes in their own database; create/list/revoke through the CLI."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from onetlocal.cli import main
from onetlocal.errors import ConfigError
from onetlocal.keys import KeyStore, KeyVerifier


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


def test_key_is_stored_hashed_only(tmp_path):
    path = tmp_path / "keys.sqlite"
    key = KeyStore(path).create("alice")
    raw = path.read_bytes()
    assert key.encode() not in raw
    assert key[8:].encode() not in raw  # not even the secret part beyond the shown prefix
    assert hashlib.sha256(key.encode()).hexdigest().encode() in raw
    assert KeyVerifier(path).name_for(key) == "alice"
    assert KeyVerifier(path).name_for(key + "x") is None


def test_keys_cli_create_list_revoke(tmp_path):
    keys_db = tmp_path / "k" / "keys.sqlite"
    created = _cli("keys", "create", "--name", "bob", "--keys-db", str(keys_db))
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("olk_") and " " not in key and len(key) > 30
    assert key.encode() not in keys_db.read_bytes()
    assert KeyVerifier(keys_db).name_for(key) == "bob"

    listed = _cli("keys", "list", "--keys-db", str(keys_db))
    assert listed.exit_code == 0
    assert "bob" in listed.stdout and "active" in listed.stdout and key not in listed.stdout

    revoked = _cli("keys", "revoke", "bob", "--keys-db", str(keys_db))
    assert revoked.exit_code == 0
    assert "revoked" in _cli("keys", "list", "--keys-db", str(keys_db)).stdout
    assert KeyVerifier(keys_db).name_for(key) is None

    again = _cli("keys", "revoke", "bob", "--keys-db", str(keys_db))
    assert again.exit_code != 0 and "bob" in again.stderr


def test_keys_db_defaults_beside_data_db(tmp_path):
    db = tmp_path / "data" / "onet.sqlite"
    db.parent.mkdir()
    db.write_bytes(b"")  # a database file is there (its content is not read)
    result = _cli("keys", "create", "--name", "carol", "--db", str(db))
    assert result.exit_code == 0
    assert (tmp_path / "data" / "keys.sqlite").exists()
    assert db.read_bytes() == b""  # the keys never live in the data database


@pytest.mark.parametrize("command", [("create", "--name", "x"), ("list",), ("revoke", "x")])
def test_keys_with_a_db_that_does_not_exist_is_one_error(tmp_path, command):
    """A mistyped --db must not write keys where no server looks (nor list nothing silently)."""
    db = tmp_path / "typo" / "onet.sqlite"
    result = _cli("keys", *command, "--db", str(db))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: no database at") and str(db) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "typo").exists()


def test_duplicate_name_is_an_error(tmp_path):
    keys_db = tmp_path / "keys.sqlite"
    assert _cli("keys", "create", "--name", "dup", "--keys-db", str(keys_db)).exit_code == 0
    result = _cli("keys", "create", "--name", "dup", "--keys-db", str(keys_db))
    assert result.exit_code != 0
    assert "dup" in result.stderr and "exists" in result.stderr
    assert len(KeyStore(keys_db).list()) == 1
    with pytest.raises(ConfigError):
        KeyStore(keys_db).create("dup")


def test_empty_name_is_an_error(tmp_path):
    result = _cli("keys", "create", "--name", "  ", "--keys-db", str(tmp_path / "keys.sqlite"))
    assert result.exit_code != 0 and result.stderr.startswith("error:")


def test_list_without_keys_db(tmp_path):
    result = _cli("keys", "list", "--keys-db", str(tmp_path / "none.sqlite"))
    assert result.exit_code == 0 and result.stdout == ""
